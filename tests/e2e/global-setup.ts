/**
 * Starts the real server once for all browser tests: builds the app if needed, uses a fresh
 * database under tests/.tmp/, seeds the demo province (startServer({ demo: true })), and hands
 * the base URL to the tests through vitest's provide/inject (and E2E_BASE_URL).
 */
import fs from "node:fs";
import path from "node:path";
import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import { randomBytes } from "node:crypto";
import type { TestProject } from "vitest/node";
import { spawnSync } from "node:child_process";
import { startServer } from "../../scripts/serve.mjs";
import { chromiumPath } from "./browser";

declare module "vitest" {
  export interface ProvidedContext {
    baseURL: string;
  }
}

const root = path.resolve(__dirname, "../..");

export default async function setup(project: TestProject) {
  const exe = chromiumPath();
  if (!fs.existsSync(exe)) {
    throw new Error(`Chromium not found at ${exe}. Install it with \`apt-get install -y chromium\` or set CHROMIUM_PATH.`);
  }

  process.chdir(root);
  // Build as `npm start` would: vitest sets NODE_ENV=test, which would otherwise make remix build
  // a non-production bundle and leave it in build/ for the next `npm start`.
  process.env.NODE_ENV = "production";
  const build = spawnSync(process.execPath, [path.join(root, "scripts", "build-if-needed.mjs")], { cwd: root, stdio: "inherit", env: process.env });
  if (build.status !== 0) throw new Error("remix build failed (see above).");

  const tmp = path.join(root, "tests", ".tmp", `e2e-${process.pid}-${Date.now()}`);
  fs.mkdirSync(tmp, { recursive: true });
  process.env.DATABASE_PATH = path.join(tmp, "e2e.sqlite");
  process.env.COOKIE_SECURE = "false";
  process.env.SESSION_SECRET = randomBytes(32).toString("hex");

  const server = (await startServer({ demo: true, port: 0, host: "127.0.0.1", quiet: true })) as Server | null;
  if (!server) throw new Error("The server did not start (bootstrap refused); see the message above.");
  const { port } = server.address() as AddressInfo;
  const baseURL = `http://127.0.0.1:${port}`;
  process.env.E2E_BASE_URL = baseURL;
  project.provide("baseURL", baseURL);

  return async () => {
    server.closeAllConnections?.();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    if (!process.env.E2E_KEEP_DB) fs.rmSync(tmp, { recursive: true, force: true });
  };
}
