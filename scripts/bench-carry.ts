/**
 * npm run bench:carry — carrying forward (dùng lại kết quả năm trước) a fully answered assessment
 * with 60 evidence links (issue 11, "Performance"): carryForward() of
 * app/server/services/carry-forward.server.ts, in this process, on a temporary SQLite file.
 *
 * Data: one Sở, one Phòng, BENCH_RUNS + 1 schools (the first run warms up and is not counted).
 * Last year (a closed cycle) every school's file answers every item and the LMS block, with a note
 * on each item and 60 evidence links (link evidence spread over the items); this year's cycle
 * gives each school an empty draft. Each run carries one school's file forward (one door
 * transition: answers, notes, 60 links with new codes and their audit entries, the result rows).
 * Checks: every run wrote every item and 60 links. Target: median < 100 ms.
 * The last line: `carry: <ms> ms` (the median). Exit 1 when the target or a check is missed.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

const RUNS = Number(process.env.BENCH_RUNS || 20);
const LINKS = 60;
const TARGET_MS = 100;

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cds-bench-carry-"));
process.env.DATABASE_PATH = path.join(dir, "bench.sqlite");
process.env.SESSION_SECRET ||= "bench-secret";

let code = 0;
try {
  const { getDb, closeDb } = await import("../app/server/db/client.server");
  await import("../app/server/services/catalogue-seed.server");
  const { createSchool, createUnit, createUser } = await import("../app/server/services/org.server");
  const { closeCycle, openCycle } = await import("../app/server/services/cycles.server");
  const { editionOf, getAssessment, saveAnswers } = await import("../app/server/services/assessments.server");
  const { createLinkEvidence } = await import("../app/server/services/evidence.server");
  const { carryForward } = await import("../app/server/services/carry-forward.server");
  type AnswerChange = import("../app/server/services/assessments.server").AnswerChange;
  const db = getDb();

  const EDITION = "qd-4725-2022";
  const province = createUnit({ kind: "province", code: "BC-P", name: "Sở GDĐT Đông Sơn", parentId: null }, null);
  const office = createUnit({ kind: "district", code: "BC-D", name: "Phòng GDĐT Đông Sơn", parentId: province }, null);
  const admin = await createUser({ username: "bench.so", displayName: "Sở", password: "bench-password-1", roles: ["office_admin"], unitId: province }, null);
  const schools: { id: number; head: number }[] = [];
  for (let i = 0; i <= RUNS; i++) {
    const id = createSchool({ code: `BC-${i}`, name: `Trường Tiểu học Số ${i + 1}`, type: "TH", managingUnitId: office, reviewingUnitId: office }, null);
    const head = await createUser({ username: `bench.head${i}`, displayName: `Hiệu trưởng ${i + 1}`, password: "bench-password-1", roles: ["school_head"], schoolId: id }, null);
    schools.push({ id, head });
  }
  const inCycle = (cycleId: number, schoolId: number) => (db.$client.prepare("SELECT id FROM assessments WHERE cycle_id = ? AND school_id = ?").get(cycleId, schoolId) as { id: number }).id;

  // Last year: every item answered, with a note, and 60 links.
  const y0 = openCycle({ ownerUnitId: office, schoolYear: "2024-2025", editionId: EDITION, selfAssessmentDeadline: "2099-05-31", reviewDeadline: "2099-06-20" }, admin);
  if (!y0.ok) throw new Error(y0.message);
  const edition = editionOf({ editionId: EDITION });
  const changes: Record<string, AnswerChange> = {};
  const itemCodes: string[] = [];
  for (const g of edition.groups)
    for (const ind of g.indicators) {
      for (const it of ind.items) {
        itemCodes.push(it.code);
        const value = it.rule === "ratio" ? { numerator: 9, denominator: 10 } : it.rule === "choice" ? it.options[0].id : true;
        changes[it.code] = { value, note: `Minh chứng lưu tại văn phòng, tiêu chí ${it.code}` };
      }
      for (const info of ind.info ?? []) changes[info.key] = { value: Object.fromEntries(info.fields.map((f) => [f.id, f.type === "text" ? "Moodle" : f.options[0].id])) };
    }
  for (const s of schools) {
    const a = inCycle(y0.cycleId, s.id);
    const r = saveAnswers(a, { baseVersion: getAssessment(a)!.version, changes }, s.head);
    if (!r.ok) throw new Error(`save: ${r.message}`);
    for (let k = 0; k < LINKS; k++) {
      const item = itemCodes[k % itemCodes.length];
      const e = createLinkEvidence({ assessmentId: a, itemCodes: [item], url: `https://truong${s.id}.example.vn/minh-chung/${k}`, title: `Minh chứng ${k + 1} — ${item}` }, s.head);
      if (!e.ok) throw new Error(`link: ${e.message}`);
    }
  }
  if (!closeCycle(y0.cycleId, admin)) throw new Error("close");
  const y1 = openCycle({ ownerUnitId: office, schoolYear: "2025-2026", editionId: EDITION, selfAssessmentDeadline: "2099-05-31", reviewDeadline: "2099-06-20" }, admin);
  if (!y1.ok) throw new Error(y1.message);

  const expectedItems = Object.keys(changes).length;
  const times: number[] = [];
  for (let i = 0; i <= RUNS; i++) {
    const s = schools[i];
    const a = inCycle(y1.cycleId, s.id);
    const t0 = performance.now();
    const r = carryForward(a, s.head);
    const ms = performance.now() - t0;
    if (!r.ok) throw new Error(`carry: ${r.message}`);
    if (r.result.items.length !== expectedItems || r.result.links.length !== LINKS) {
      console.error(`run ${i}: carried ${r.result.items.length}/${expectedItems} items and ${r.result.links.length}/${LINKS} links`);
      code = 1;
    }
    if (i > 0) times.push(ms);
  }
  closeDb();
  times.sort((x, y) => x - y);
  const median = times.length % 2 ? times[(times.length - 1) / 2] : (times[times.length / 2 - 1] + times[times.length / 2]) / 2;
  console.log(JSON.stringify({ runs: times.length, items: expectedItems, links: LINKS, minMs: +times[0].toFixed(2), medianMs: +median.toFixed(2), maxMs: +times[times.length - 1].toFixed(2), targetMs: TARGET_MS }));
  if (median >= TARGET_MS) code = 1;
  console.log(`carry: ${median.toFixed(1)} ms`);
} catch (e) {
  console.error(e);
  code = 1;
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
process.exit(code);
