// Sums vitest JSON reports into the one line CI ends with: "N passed, N failed".
//   node scripts/ci-summary.mjs <name>=<report.json>:<exit status> ... [--check <name>=<exit status>]
// Counts numPassedTests and numFailedTests from each report. Also counted as 1 failed, so the line
// never says "0 failed" for a run that failed:
//   - a report that is missing or unparsable;
//   - a test file that failed without a failing test (it did not load, or a hook threw);
//   - a suite whose vitest exited non-zero although its report shows no failure (unhandled errors);
//   - a --check (e.g. the typecheck) that exited non-zero.
// Skipped and todo tests are reported separately. Exits 1 when anything failed or nothing passed.
// Never reads vitest's text output.
import fs from "node:fs";

let passed = 0;
let failed = 0;
const notes = [];

const args = process.argv.slice(2);
for (let i = 0; i < args.length; i++) {
  if (args[i] === "--check") {
    const [name, status] = args[++i].split("=");
    if (Number(status) !== 0) {
      failed += 1;
      notes.push(`${name}: exited ${status} (counted as 1 failed)`);
    } else notes.push(`${name}: ok`);
    continue;
  }
  const m = /^([^=]+)=(.+):(-?\d+)$/.exec(args[i]);
  if (!m) {
    console.error(`ci-summary: cannot read argument ${args[i]} (expected name=file:status)`);
    failed += 1;
    continue;
  }
  const [, name, file, statusText] = m;
  const status = Number(statusText);
  let report;
  try {
    report = JSON.parse(fs.readFileSync(file, "utf8"));
    if (typeof report.numPassedTests !== "number" || typeof report.numFailedTests !== "number") throw new Error("no test counts");
  } catch (err) {
    failed += 1;
    notes.push(`${name}: report ${file} missing or unparsable (${err.message}); vitest exited ${status} (counted as 1 failed)`);
    continue;
  }
  let suiteFailed = report.numFailedTests;
  const brokenFiles = (report.testResults ?? []).filter(
    (f) => f.status === "failed" && !(f.assertionResults ?? []).some((a) => a.status === "failed"),
  );
  for (const f of brokenFiles) notes.push(`${name}: ${f.name} failed outside any test: ${String(f.message ?? "").split("\n")[0]}`);
  suiteFailed += brokenFiles.length;
  if (status !== 0 && suiteFailed === 0) {
    suiteFailed = 1;
    notes.push(`${name}: vitest exited ${status} with no failed test in its report (counted as 1 failed)`);
  }
  passed += report.numPassedTests;
  failed += suiteFailed;
  const skipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
  notes.push(`${name}: ${report.numPassedTests} passed, ${suiteFailed} failed, ${skipped} skipped/todo (vitest exit ${status})`);
}

for (const n of notes) console.log(`  ${n}`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
