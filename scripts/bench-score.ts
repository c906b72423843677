/**
 * Scoring benchmark: npm run bench:score
 * Two figures, which measure different things:
 *   (a) engine only: 53,000 random valid assessments (one per school nationally, seeded PRNG) are
 *       generated in memory before timing, then scored with explanations; this is the scoring engine
 *       alone (app/domain/scoring), no database.
 *   (b) from stored rows: a temporary database built with the app's own migrations and services
 *       (units, schools, a cycle opened with openCycle, each assessment's answers saved with
 *       saveAnswersFor as the form saves them), then every assessment's answers are read back from
 *       SQLite and scored, two ways:
 *         - per assessment, through the service (answersOf: one query each, as the report and the
 *           submit check read them), with the edition loaded once;
 *         - one scan: all the cycle's self-assessment answers in one prepared query, grouped per
 *           assessment (the least a rollup over the stored rows can cost).
 *       The levels are checked against the ones the saves stored.
 * BENCH_COUNT (default 53,000): assessments for (a). BENCH_STORED (default 1,500; or --stored=N):
 * assessments in the database for (b); 0 skips it. Building takes about 1-2 ms per assessment
 * (53,000: a minute or two). BENCH_SEED: the PRNG seed.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parseEditionJson, type Edition } from "../app/domain/catalogue";
import { scoreAssessment, type Answers, type AnswerValue } from "../app/domain/scoring";
import { prng } from "./bench-lib.mjs";

const COUNT = Number(process.env.BENCH_COUNT ?? 53_000);
const SEED = Number(process.env.BENCH_SEED ?? 4725);
const storedArg = process.argv.find((a) => a.startsWith("--stored="))?.split("=")[1];
const STORED = Number(storedArg ?? process.env.BENCH_STORED ?? 1_500);

function randomAnswers(edition: Edition, rand: () => number): Answers {
  const int = (n: number) => Math.floor(rand() * n);
  const answers: Record<string, AnswerValue> = {};
  for (const g of edition.groups)
    for (const ind of g.indicators)
      for (const it of ind.items) {
        if (rand() < 0.05) continue; // some unanswered
        switch (it.rule) {
          case "mandatory":
            answers[it.code] = rand() < 0.9;
            break;
          case "boolean":
            answers[it.code] = rand() < 0.6;
            break;
          case "ratio": {
            const denominator = 1 + int(300);
            answers[it.code] = { numerator: int(denominator + 1), denominator };
            break;
          }
          case "choice":
            answers[it.code] = it.options[int(it.options.length)].id;
            break;
        }
      }
  return answers;
}

const us = (ms: number, n: number) => ((ms * 1000) / Math.max(1, n)).toFixed(1);

/** (a) The engine alone, on answers already in memory. */
function engineOnly(): void {
  const file = fileURLToPath(new URL("../indicators/qd-4725-2022/edition.json", import.meta.url));
  const parsed = parseEditionJson(readFileSync(file, "utf8"));
  if (!parsed.ok) {
    for (const e of parsed.errors) console.error(`${e.vi} | ${e.en}`);
    process.exit(2);
  }
  const edition = parsed.edition;
  const rand = prng(SEED);
  const assessments: Answers[] = [];
  for (let i = 0; i < COUNT; i++) assessments.push(randomAnswers(edition, rand));

  // Warm-up (JIT), not timed.
  for (let i = 0; i < Math.min(2000, COUNT); i++) scoreAssessment(edition, assessments[i]);

  const levels = [0, 0, 0, 0];
  const t0 = performance.now();
  for (const a of assessments) levels[scoreAssessment(edition, a).level]++;
  const ms = performance.now() - t0;

  const perSecond = Math.round((COUNT / ms) * 1000);
  console.log(`(a) engine only (answers already in memory, no database):`);
  console.log(`    scored ${COUNT} assessments in ${ms.toFixed(1)} ms: ${us(ms, COUNT)} µs per assessment (${perSecond} assessments/s)`);
  console.log(`    levels: Mức 1 ${levels[1]}, Mức 2 ${levels[2]}, Mức 3 ${levels[3]}`);
  console.log(`    ${ms < 1000 ? "OK: under 1 s" : "SLOW: over 1 s"}`);
}

/** (b) Reading each assessment's answers from SQLite, then scoring them. */
async function fromStoredRows(n: number): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cds-bench-score-"));
  process.env.DATABASE_PATH = path.join(dir, "bench.sqlite");
  process.env.SESSION_SECRET ||= "bench-secret";
  try {
    await import("../app/server/services/catalogue-seed.server");
    const { getDb, closeDb } = await import("../app/server/db/client.server");
    const { createSchool, createUnit, createUser } = await import("../app/server/services/org.server");
    const { defaultDeadlines, openCycle } = await import("../app/server/services/cycles.server");
    const { newestPublished } = await import("../app/server/services/catalogue.server");
    const { answersOf, getAssessment, saveAnswersFor } = await import("../app/server/services/assessments.server");
    const db = getDb();

    // The organisation and the cycle, with the app's services.
    const b0 = performance.now();
    const ministry = createUnit({ kind: "ministry", code: "BGDDT", name: "Bộ Giáo dục và Đào tạo", parentId: null }, null, db);
    const so = createUnit({ kind: "province", code: "S98", name: "Sở Giáo dục và Đào tạo tỉnh Thử Nghiệm", parentId: ministry }, null, db);
    const actor = await createUser({ username: "so.bench", displayName: "Sở (bench)", password: "bench-password-1", roles: ["office_admin", "office_reviewer"], unitId: so }, null, db);
    db.$client.transaction(() => {
      for (let i = 0; i < n; i++)
        createSchool({ code: `98${String(i + 1).padStart(6, "0")}`, name: `Trường Tiểu học Thử Nghiệm ${i + 1}`, type: "TH", managingUnitId: so, reviewingUnitId: so }, null, db);
    })();
    const published = newestPublished(db);
    if (!published) throw new Error("no published edition in the new database");
    const year = "2025-2026";
    const d = defaultDeadlines(year);
    const opened = openCycle({ ownerUnitId: so, schoolYear: year, editionId: published.row.id, selfAssessmentDeadline: d.self, reviewDeadline: d.review }, actor, db);
    if (!opened.ok) throw new Error(`openCycle refused: ${opened.message}`);
    const cycleId = opened.cycleId;
    const ids = (db.$client.prepare("SELECT id FROM assessments WHERE cycle_id = ? ORDER BY id").all(cycleId) as { id: number }[]).map((r) => r.id);
    if (ids.length !== n) throw new Error(`the cycle has ${ids.length} assessments, expected ${n}`);

    // Every assessment's answers, saved as the form saves them (one save with all its items).
    const rand = prng(SEED + 1);
    const expected = new Map<number, number>();
    for (const id of ids) {
      const a = getAssessment(id, db)!;
      const answers = randomAnswers(published.edition, rand);
      const changes = Object.fromEntries(Object.entries(answers).map(([code, value]) => [code, { value }]));
      const r = saveAnswersFor(a, { baseVersion: a.version, changes }, actor, Date.now(), db);
      if (!r.ok) throw new Error(`saving the answers of assessment ${id} was refused: ${JSON.stringify(r).slice(0, 300)}`);
      expected.set(id, r.result.level);
    }
    const answerRows = (db.$client.prepare("SELECT count(*) AS n FROM answers").get() as { n: number }).n;
    const buildMs = performance.now() - b0;
    const dbMb = fs.statSync(process.env.DATABASE_PATH).size / 1024 / 1024;

    const edition = published.edition;
    let mismatches = 0;
    const check = (id: number, level: number) => {
      if (expected.get(id) !== level) mismatches++;
    };

    // Per assessment, through the service: one answersOf query each.
    const perAssessment = (list: number[], verify: boolean) => {
      for (const id of list) {
        const level = scoreAssessment(edition, answersOf(id, "self", db).answers as Answers).level;
        if (verify) check(id, level);
      }
    };
    // One scan: the whole cycle's self-assessment answers in one query, grouped per assessment.
    const scan = db.$client
      .prepare("SELECT a.id AS id, x.item_code AS code, x.value AS value FROM assessments a JOIN answers x ON x.assessment_id = a.id AND x.phase = 'self' WHERE a.cycle_id = ? ORDER BY a.id")
      .raw(true);
    const oneScan = (verify: boolean) => {
      let current = -1;
      let answers: Record<string, AnswerValue> = {};
      let scored = 0;
      const flush = () => {
        if (current === -1) return;
        const level = scoreAssessment(edition, answers as Answers).level;
        if (verify) check(current, level);
        scored++;
      };
      for (const [id, code, value] of scan.iterate(cycleId) as Iterable<[number, string, string | null]>) {
        if (id !== current) {
          flush();
          current = id;
          answers = {};
        }
        if (value !== null) answers[code] = JSON.parse(value) as AnswerValue;
      }
      flush();
      return scored;
    };

    // Warm-up (JIT, statements, page cache), not timed.
    perAssessment(ids.slice(0, Math.min(200, ids.length)), false);
    oneScan(false);

    const t1 = performance.now();
    perAssessment(ids, true);
    const perMs = performance.now() - t1;
    const t2 = performance.now();
    const scanned = oneScan(true);
    const scanMs = performance.now() - t2;

    console.log(`(b) from stored rows (SQLite, read then scored):`);
    console.log(`    database: ${n} assessments, ${answerRows} answer rows, ${dbMb.toFixed(1)} MB, built with the app's services in ${(buildMs / 1000).toFixed(1)} s`);
    console.log(`    per assessment (answersOf, one query each): ${perMs.toFixed(1)} ms in all, ${us(perMs, n)} µs per assessment`);
    console.log(`    one scan of the cycle (one query):          ${scanMs.toFixed(1)} ms in all, ${us(scanMs, scanned)} µs per assessment`);
    console.log(`    levels checked against the stored saves: ${mismatches === 0 ? "all equal" : `${mismatches} DIFFER`}`);
    closeDb();
    if (mismatches > 0 || scanned !== n) process.exitCode = 1;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

engineOnly();
if (STORED > 0) await fromStoredRows(STORED);
