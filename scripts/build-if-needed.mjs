// Builds the Remix app when build/ is missing or older than the sources, and the PDF worker bundle
// (build/pdf-worker.mjs, scripts/build-workers.mjs) when it is missing or older than the sources.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

const SOURCES = ["app", "remix.config.js", "package.json", "tsconfig.json"];

function newest(p) {
  if (!fs.existsSync(p)) return 0;
  const st = fs.statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  let m = st.mtimeMs;
  for (const e of fs.readdirSync(p)) m = Math.max(m, newest(path.join(p, e)));
  return m;
}

const mtime = (p) => (fs.existsSync(p) ? fs.statSync(p).mtimeMs : 0);

export function buildIfNeeded(root = process.cwd()) {
  const src = Math.max(...SOURCES.map((s) => newest(path.join(root, s))));
  let rebuilt = false;
  if (mtime(path.join(root, "build", "index.js")) < src) {
    console.log("Đang build ứng dụng (remix build)…");
    execFileSync(process.execPath, [path.join(root, "node_modules", "@remix-run", "dev", "dist", "cli.js"), "build"], { cwd: root, stdio: "inherit" });
    rebuilt = true;
  }
  const workerScript = path.join(root, "scripts", "build-workers.mjs");
  if (mtime(path.join(root, "build", "pdf-worker.mjs")) < Math.max(src, mtime(workerScript))) {
    execFileSync(process.execPath, [workerScript], { cwd: root, stdio: "inherit" });
    rebuilt = true;
  }
  return rebuilt;
}

if (import.meta.url === `file://${process.argv[1]}`) buildIfNeeded();
