import fs from "node:fs";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { databasePath } from "../db/client.server";

let cached: string | undefined;

/**
 * The secret that signs cookies: SESSION_SECRET, or else a random one created once and kept
 * beside the database (data/.session-secret), so a fresh install works without configuration.
 */
export function sessionSecret(): string {
  if (process.env.SESSION_SECRET) return process.env.SESSION_SECRET;
  if (cached) return cached;
  const file = path.join(path.dirname(databasePath()), ".session-secret");
  try {
    cached = fs.readFileSync(file, "utf8").trim();
  } catch {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    cached = randomBytes(32).toString("hex");
    fs.writeFileSync(file, cached, { mode: 0o600 });
  }
  return cached;
}

export function cookieSecure(): boolean {
  if (process.env.COOKIE_SECURE) return process.env.COOKIE_SECURE === "true";
  return process.env.NODE_ENV === "production";
}
