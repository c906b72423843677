// npm run test:browser: the browser tests (tests/e2e) with vitest, driving Debian's Chromium
// (CHROMIUM_PATH, default /usr/bin/chromium). Extra arguments go to vitest, e.g.
//   npm run test:browser -- --reporter=json --outputFile=e2e.json
import { spawnSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const vitest = path.join(root, "node_modules", "vitest", "vitest.mjs");
const result = spawnSync(process.execPath, [vitest, "run", "--config", "tests/e2e/vitest.config.ts", ...process.argv.slice(2)], {
  cwd: root,
  stdio: "inherit",
  env: process.env,
});
if (result.error) {
  console.error(result.error);
  process.exit(1);
}
process.exit(result.status ?? 1);
