// Adds to package-lock.json the entries for platform-specific optional packages that npm left out
// because this machine's registry does not serve them (today: rollup's non-linux-gnu binaries).
// Without them npm 11 refuses `npm ci` ("Missing: @rollup/rollup-darwin-arm64@ from lock file"),
// while npm 10 accepts the lock. The entries carry os/cpu/libc, so npm skips them on this machine.
// Run after any `npm install` that rewrote the lock:   node scripts/lock-platform-entries.mjs
// `--check` only reports (exit 1 when entries are missing).
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const file = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "package-lock.json");
const check = process.argv.includes("--check");
const lock = JSON.parse(fs.readFileSync(file, "utf8"));
const pk = lock.packages;

function platform(name) {
  const m = /^@rollup\/rollup-(android|darwin|freebsd|linux|openbsd|openharmony|win32)-(arm64|arm|x64|ia32|loong64|ppc64|riscv64|s390x)(?:-(.*))?$/.exec(name);
  if (!m) return null;
  const [, os, cpu, abi] = m;
  const libc = os === "linux" && abi ? (/musl/.test(abi) ? ["musl"] : /gnu/.test(abi) ? ["glibc"] : null) : null;
  return { cpu: [cpu], ...(libc ? { libc } : {}), os: [os] };
}

const added = [];
for (const entry of Object.values(pk)) {
  for (const [dep, version] of Object.entries(entry.optionalDependencies ?? {})) {
    if (pk[`node_modules/${dep}`]) continue;
    const p = platform(dep);
    if (!p) {
      console.error(`lock-platform-entries: ${dep} is missing from the lock and is not a known platform package; leaving it`);
      continue;
    }
    const { cpu, libc, os } = p;
    pk[`node_modules/${dep}`] = { version, cpu, ...(entry.dev ? { dev: true } : {}), ...(libc ? { libc } : {}), license: "MIT", optional: true, os };
    added.push(`${dep}@${version}`);
  }
}

if (check) {
  if (added.length) console.error(`package-lock.json lacks ${added.length} platform entries; run: node scripts/lock-platform-entries.mjs`);
  process.exit(added.length ? 1 : 0);
}
if (added.length) {
  // npm's own order: "" first, then keys by localeCompare("en").
  lock.packages = Object.fromEntries(Object.entries(pk).sort(([a], [b]) => (a === "" ? -1 : b === "" ? 1 : a.localeCompare(b, "en"))));
  fs.writeFileSync(file, JSON.stringify(lock, null, 2) + "\n");
}
console.log(added.length ? `Added ${added.length} entries: ${added.join(", ")}` : "package-lock.json already complete.");
