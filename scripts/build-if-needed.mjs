// Builds the Remix app when build/ is missing or older than the sources.
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

export function buildIfNeeded(root = process.cwd()) {
  const out = path.join(root, "build", "index.js");
  const built = fs.existsSync(out) ? fs.statSync(out).mtimeMs : 0;
  const src = Math.max(...SOURCES.map((s) => newest(path.join(root, s))));
  if (built >= src) return false;
  console.log("Đang build ứng dụng (remix build)…");
  execFileSync(process.execPath, [path.join(root, "node_modules", "@remix-run", "dev", "dist", "cli.js"), "build"], { cwd: root, stdio: "inherit" });
  return true;
}

if (import.meta.url === `file://${process.argv[1]}`) buildIfNeeded();
