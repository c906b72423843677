/**
 * Recomputes the stored results (assessment_results and the level columns) of cycles from their
 * answers, after an edition's data was corrected:
 *   npm run results:recompute -- <cycleId> [<cycleId> …]     or   -- --all
 * Uses DATABASE_PATH like the server. Prints one line per cycle; a second run reports 0 changes.
 * Recognised levels are decisions' records and are never changed here.
 */
async function main() {
  const args = process.argv.slice(2);
  const { getDb, closeDb } = await import("../app/server/db/client.server");
  const { recomputeCycle } = await import("../app/server/services/results.server");
  const db = getDb();
  const ids =
    args[0] === "--all"
      ? db.$client.prepare<[], { id: number }>("SELECT id FROM cycles ORDER BY id").all().map((r) => r.id)
      : args.map((a) => Number(a));
  if (!ids.length || ids.some((n) => !Number.isInteger(n) || n <= 0)) {
    console.error("Cách dùng: npm run results:recompute -- <mã đợt> … | --all");
    process.exit(2);
  }
  for (const id of ids) {
    const exists = db.$client.prepare("SELECT 1 FROM cycles WHERE id = ?").get(id);
    if (!exists) {
      console.error(`Không có đợt đánh giá ${id}.`);
      process.exitCode = 2;
      continue;
    }
    const r = recomputeCycle(id);
    console.log(`cycle ${id}: ${r.assessments} assessments, ${r.changedRows} rows changed, ${r.changedLevels} levels changed`);
  }
  closeDb();
}
main().catch((e) => {
  console.error(e);
  process.exit(1);
});
