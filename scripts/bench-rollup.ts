/**
 * npm run bench:rollup — the results rollups at national scale (issue 10), on the database of
 * bench:national (scripts/bench-national-data.ts: 34 provinces, 53,000 schools, one open cycle per
 * province) with stored results added:
 *
 * Data (done once, in BENCH_DIR/rollup.sqlite, a copy of national.sqlite, guarded by bench_meta
 * key 'results-1'; the shared national.sqlite is never changed):
 *   - 2026-2027 (the open cycle): about 60% of the files made recognised (round 1, external
 *     answers = self answers, external_level = recognised_level = the engine's level), 5% assessed,
 *     the rest as generated (draft, submitted, returned, approved, recognised); drafts made
 *     recognised or assessed get their missing answers. Round 1 for every submitted state.
 *     Stored results (storeResultIn with scoreAssessment) of every file: self phase (every file has
 *     answers), external phase (approved, assessed, recognised).
 *   - 2025-2026: a closed cycle per province, one file per school (recognised 55%, assessed 5%,
 *     approved 5%, submitted 10%, returned 5%, draft 20%), scored from generated answers that are
 *     not stored (only the results and the level columns are), for the year-over-year query.
 *     BENCH_PREVIOUS_YEAR=0 leaves it out.
 *   - ANALYZE afterwards (as the national builder does).
 *
 * Measured, in this process (no HTTP framing):
 *   1. dashboard(scopeUnit(null), …) for each basis against a raw SQLite GROUP BY over the same
 *      rows (the cube over the year's files; the year's stored rows of the basis; the institution,
 *      group and indicator rows of every year up to it), median of BENCH_RUNS after a warm-up,
 *      runs interleaved; the same for province 1 (1,500 schools). Target: within 2× of the raw.
 *   2. The /thong-ke loader of the Sở of province 1 (real session cookie): median, p95, JSON size. < 300 ms.
 *   3. /thong-ke.xlsx of that province: time to read the whole streamed body, RSS growth sampled
 *      while streaming. < 5 s and < 100 MB.
 *   4. /cong-bo/S01/<year> and its json/csv data routes (the year published first): < 100 ms, with
 *      their ETag / Cache-Control headers.
 * Knobs: BENCH_DIR (data/bench), BENCH_PROVINCES (34; fewer: a private small database
 * rollup-<n>.sqlite built from scratch), BENCH_RUNS (15), BENCH_RECOGNISED (0.6).
 * The last line: `rollup: <ms> ms vs group-by <ms> ms (ratio <r>)`, the national dashboard of the
 * three bases summed (medians).
 */
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import Database from "better-sqlite3";
import { buildBenchDb, isBuilt, PROVINCES as ALL_PROVINCES, SCHOOL_YEAR, SHAPE_VERSION } from "./bench-national-data";
import { percentile, prng as rng } from "./bench-lib.mjs";

const DIR = path.resolve(process.env.BENCH_DIR || "data/bench");
const PROVINCES = Number(process.env.BENCH_PROVINCES || ALL_PROVINCES);
const FULL = PROVINCES === ALL_PROVINCES;
const NATIONAL = path.join(DIR, "national.sqlite");
const FILE = path.join(DIR, FULL ? "rollup.sqlite" : `rollup-${PROVINCES}.sqlite`);
const RUNS = Number(process.env.BENCH_RUNS || 15);
const RECOGNISED = Number(process.env.BENCH_RECOGNISED || 0.6);
const PREVIOUS = process.env.BENCH_PREVIOUS_YEAR !== "0";
const PREVIOUS_YEAR = "2025-2026";
const MARKER = "results-1";
process.env.SESSION_SECRET ||= "bench-rollup-secret";
process.env.COOKIE_SECURE ||= "false";

const log = (s = "") => process.stdout.write(`${s}\n`);
const r1 = (x: number) => Math.round(x * 10) / 10;
const med = (xs: number[]) => percentile([...xs].sort((a, b) => a - b), 50);
const p95 = (xs: number[]) => percentile([...xs].sort((a, b) => a - b), 95);
let failed = 0;
const mark = (ok: boolean) => {
  if (!ok) failed++;
  return ok ? "✓" : "✗";
};

/** A route module by file name (names ending in .json/.csv do not resolve without the extension). */
const routeModule = (file: string) => import(pathToFileURL(path.resolve("app/routes", file)).href) as Promise<{ loader: unknown }>;

function markerOf(file: string): string | null {
  if (!fs.existsSync(file)) return null;
  const db = new Database(file, { readonly: true });
  try {
    return (db.prepare("SELECT value FROM bench_meta WHERE key = ?").get(MARKER) as { value: string } | undefined)?.value ?? null;
  } catch {
    return null;
  } finally {
    db.close();
  }
}

/* ───────────────────────── data: the stored results ───────────────────────── */

async function prepareDb(): Promise<void> {
  fs.mkdirSync(DIR, { recursive: true });
  if (markerOf(FILE) === SHAPE_VERSION && isBuilt(FILE, Database)) return;
  const t0 = performance.now();
  for (const ext of ["", "-wal", "-shm"]) fs.rmSync(FILE + ext, { force: true });
  if (FULL) {
    if (!isBuilt(NATIONAL, Database)) {
      log(`Tạo CSDL toàn quốc (34 tỉnh, 53.000 trường) tại ${NATIONAL}…`);
      await buildBenchDb(NATIONAL, ALL_PROVINCES, log);
    }
    log(`Sao chép ${NATIONAL} → ${FILE}…`);
    const src = new Database(NATIONAL, { readonly: true });
    await src.backup(FILE);
    src.close();
  } else {
    log(`Tạo CSDL nhỏ (${PROVINCES} tỉnh) tại ${FILE}…`);
    await buildBenchDb(FILE, PROVINCES, log);
  }
  await addResults(FILE);
  log(`  dữ liệu kết quả sẵn sàng (${((performance.now() - t0) / 1000).toFixed(0)} s)`);
}

async function addResults(file: string): Promise<void> {
  process.env.DATABASE_PATH = file;
  const { getDb, closeDb } = await import("../app/server/db/client.server");
  const { newestPublished } = await import("../app/server/services/catalogue.server");
  const { scoreAssessment } = await import("../app/domain/scoring");
  const { storeResultIn } = await import("../app/server/services/results.server");
  closeDb();
  const db = getDb();
  const c = db.$client;
  c.pragma("synchronous = OFF");
  const ed = newestPublished(db)!.edition;
  const items = ed.groups.flatMap((g) => g.indicators.flatMap((i) => i.items));
  const infos = ed.groups.flatMap((g) => g.indicators.flatMap((i) => i.info ?? []));
  const now = Date.now();
  const t0 = performance.now();
  /** Like the national generator's answers; `q` lowers the odds (the earlier year did worse). */
  const answerFor = (item: (typeof items)[number], r: () => number, q = 1): unknown => {
    switch (item.rule) {
      case "mandatory":
        return r() < 0.9 * q;
      case "boolean":
        return r() < 0.7 * q;
      case "ratio": {
        const d = 20 + Math.floor(r() * 80);
        return { numerator: Math.floor(r() * q * (d + 1)), denominator: d };
      }
      case "choice":
        return item.options[Math.floor(r() * q * item.options.length)]!.id;
    }
  };
  const infoAnswers = () => Object.fromEntries(infos.map((info) => [info.key, Object.fromEntries(info.fields.map((f) => [f.id, f.type === "choice" ? f.options[0]!.id : "Hệ thống LMS của trường"]))]));

  const q = {
    cycles: c.prepare("SELECT id, owner_unit_id AS unit, created_by AS so FROM cycles WHERE school_year = ? ORDER BY id"),
    files: c.prepare("SELECT id, status, school_id AS school FROM assessments WHERE cycle_id = ? ORDER BY id"),
    answers: c.prepare("SELECT item_code AS code, value FROM answers WHERE assessment_id = ? AND phase = 'self'"),
    heads: c.prepare("SELECT school_id AS school, min(id) AS id FROM users WHERE school_id IS NOT NULL GROUP BY school_id"),
    schools: c.prepare("SELECT id FROM schools WHERE reviewing_unit_id = ? ORDER BY id"),
    self: c.prepare("INSERT INTO answers (assessment_id, phase, item_code, value, note, updated_by, updated_at, version) VALUES (?, 'self', ?, ?, NULL, ?, ?, 1)"),
    external: c.prepare("INSERT OR REPLACE INTO answers (assessment_id, phase, item_code, value, note, updated_by, updated_at, version) VALUES (?, 'external', ?, ?, NULL, ?, ?, 1)"),
    update: c.prepare(
      `UPDATE assessments SET status = @status, round = @round, self_level = @self, external_level = @ext, recognised_level = @rec,
              submitted_at = COALESCE(submitted_at, @sub), submitted_by = COALESCE(submitted_by, @head),
              approved_at = COALESCE(approved_at, @appr), approved_by = COALESCE(approved_by, @so),
              external_finished_at = @fin, external_finished_by = @finBy, recognised_at = @recAt, updated_at = @now
        WHERE id = @id`,
    ),
    cycle: c.prepare("INSERT INTO cycles (school_year, owner_unit_id, edition_id, self_assessment_deadline, review_deadline, status, created_by, created_at) VALUES (?, ?, ?, '2026-05-31', '2026-06-20', 'closed', ?, ?)"),
    insert: c.prepare(
      `INSERT INTO assessments (cycle_id, school_id, status, version, round, self_level, external_level, recognised_level, submitted_at, submitted_by,
              approved_at, approved_by, external_finished_at, external_finished_by, recognised_at, created_at, updated_at)
       VALUES (@cycle, @school, @status, 80, @round, @self, @ext, @rec, @sub, @head, @appr, @so, @fin, @finBy, @recAt, @created, @now)`,
    ),
  };
  const heads = new Map((q.heads.all() as { school: number; id: number }[]).map((r) => [r.school, r.id]));
  const cycles = q.cycles.all(SCHOOL_YEAR) as { id: number; unit: number; so: number }[];
  const external = (s: string) => s === "approved" || s === "assessed" || s === "recognised";
  const finished = (s: string) => s === "assessed" || s === "recognised";
  const stamps = (status: string, level: number, so: number, head: number | null, at: number) => ({
    status,
    round: status === "draft" ? 0 : 1,
    self: level,
    ext: external(status) ? level : null,
    rec: status === "recognised" ? level : null,
    sub: status === "draft" ? null : at - 20 * 86_400_000,
    head: status === "draft" ? null : head,
    appr: external(status) ? at - 10 * 86_400_000 : null,
    so: external(status) ? so : null,
    fin: finished(status) ? at - 5 * 86_400_000 : null,
    finBy: finished(status) ? so : null,
    recAt: status === "recognised" ? at : null,
    now: at,
  });
  let files = 0;
  let rows = 0;
  const levels = new Map<string, number>();
  const count = (year: string, status: string, level: number) => levels.set(`${year} ${status} ${level}`, (levels.get(`${year} ${status} ${level}`) ?? 0) + 1);

  cycles.forEach((cy, p) => {
    const r = rng(7000 + p);
    c.transaction(() => {
      // The open year: move a share of the files on to recognised.
      for (const f of q.files.all(cy.id) as { id: number; status: string; school: number }[]) {
        const head = heads.get(f.school) ?? null;
        const answers: Record<string, unknown> = {};
        for (const a of q.answers.all(f.id) as { code: string; value: string }[]) answers[a.code] = JSON.parse(a.value);
        const x = r();
        const status = x < RECOGNISED ? "recognised" : x < RECOGNISED + 0.05 ? "assessed" : f.status;
        if (f.status === "draft" && status !== "draft") {
          for (const it of items) if (!(it.code in answers)) q.self.run(f.id, it.code, JSON.stringify((answers[it.code] = answerFor(it, r))), head, now);
          for (const [k, v] of Object.entries(infoAnswers())) if (!(k in answers)) q.self.run(f.id, k, JSON.stringify((answers[k] = v)), head, now);
        }
        if (external(status) && !external(f.status)) for (const [k, v] of Object.entries(answers)) q.external.run(f.id, k, JSON.stringify(v), cy.so, now);
        const result = scoreAssessment(ed, answers as never);
        q.update.run({ id: f.id, ...stamps(status, result.level, cy.so, head, now) });
        storeResultIn(db, f.id, "self", result);
        if (external(status)) storeResultIn(db, f.id, "external", result);
        files++;
        count(SCHOOL_YEAR, status, result.level);
      }
      // The earlier year, closed: results only (its answers are not stored).
      if (PREVIOUS) {
        const at = now - 365 * 86_400_000;
        const cycle = Number(q.cycle.run(PREVIOUS_YEAR, cy.unit, ed.id, cy.so, at).lastInsertRowid);
        for (const { id: school } of q.schools.all(cy.unit) as { id: number }[]) {
          const x = r();
          const status = x < 0.55 ? "recognised" : x < 0.6 ? "assessed" : x < 0.65 ? "approved" : x < 0.75 ? "submitted" : x < 0.8 ? "returned" : "draft";
          const answered = status === "draft" ? Math.floor(items.length * (0.75 + 0.25 * r())) : items.length;
          const answers: Record<string, unknown> = status === "draft" ? {} : infoAnswers();
          for (let i = 0; i < answered; i++) answers[items[i]!.code] = answerFor(items[i]!, r, 0.85);
          const result = scoreAssessment(ed, answers as never);
          const head = heads.get(school) ?? null;
          const id = Number(q.insert.run({ cycle, school, created: at - 60 * 86_400_000, ...stamps(status, result.level, cy.so, head, at) }).lastInsertRowid);
          storeResultIn(db, id, "self", result);
          if (external(status)) storeResultIn(db, id, "external", result);
          files++;
          count(PREVIOUS_YEAR, status, result.level);
        }
      }
    })();
    if ((p + 1) % 5 === 0 || p + 1 === cycles.length) log(`  kết quả: ${p + 1}/${cycles.length} tỉnh, ${files} hồ sơ (${((performance.now() - t0) / 1000).toFixed(0)} s)`);
  });
  rows = (c.prepare("SELECT count(*) AS n FROM assessment_results").get() as { n: number }).n;
  c.exec("CREATE TABLE IF NOT EXISTS bench_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)");
  c.exec("ANALYZE");
  c.prepare("INSERT OR REPLACE INTO bench_meta (key, value) VALUES (?, ?)").run(MARKER, SHAPE_VERSION);
  c.pragma("wal_checkpoint(TRUNCATE)");
  closeDb();
  log(`  ${files} hồ sơ có kết quả, ${rows} dòng assessment_results`);
  const byLevel = [...levels.entries()].sort().map(([k, n]) => `${k}: ${n}`);
  log(`  (năm trạng thái mức: ${byLevel.join(", ")})`);
}

/* ───────────────────────── the measurements ───────────────────────── */

interface Timed {
  name: string;
  ms: number[];
}

async function main() {
  await prepareDb();
  process.env.DATABASE_PATH = FILE;
  const { getDb, closeDb } = await import("../app/server/db/client.server");
  closeDb();
  const db = getDb();
  const c = db.$client;

  // Every statement the service prepares is timed (for the breakdown of a slow dashboard).
  const perSql = new Map<string, { ms: number; calls: number; params: unknown[] }>();
  const origPrepare = c.prepare.bind(c);
  (c as { prepare: unknown }).prepare = (text: string) => {
    const st = origPrepare(text);
    const all = st.all.bind(st);
    (st as { all: unknown }).all = (...args: unknown[]) => {
      const t = performance.now();
      const out = all(...(args as []));
      const e = perSql.get(text) ?? { ms: 0, calls: 0, params: args };
      e.ms += performance.now() - t;
      e.calls++;
      e.params = args;
      perSql.set(text, e);
      return out;
    };
    return st;
  };

  /** The slowest statement recorded since `perSql` was cleared, with its EXPLAIN QUERY PLAN. */
  const explainSlowest = (indent = "    ") => {
    const top = [...perSql.entries()].sort((a, b) => b[1].ms - a[1].ms)[0];
    if (!top) return;
    const [text, e] = top;
    log(`${indent}truy vấn chậm nhất (${r1(e.ms / e.calls)} ms mỗi lần): ${text.replace(/\s+/g, " ")}`);
    const plan = origPrepare(`EXPLAIN QUERY PLAN ${text}`).all(...(e.params as [])) as { detail: string }[];
    for (const row of plan) log(`${indent}  ${row.detail}`);
  };
  const { dashboard, scopeUnit } = await import("../app/server/services/rollups.server");
  const shape = c
    .prepare(
      `SELECT c.school_year AS year, count(*) AS files, sum(a.recognised_level IS NOT NULL) AS recognised,
              sum(a.status IN ('assessed','recognised') AND a.external_level IS NOT NULL) AS external, sum(a.round > 0) AS submitted
         FROM assessments a JOIN cycles c ON c.id = a.cycle_id GROUP BY 1 ORDER BY 1`,
    )
    .all() as { year: string; files: number; recognised: number; external: number; submitted: number }[];
  const resultRows = (c.prepare("SELECT count(*) AS n FROM assessment_results").get() as { n: number }).n;
  const province = c.prepare("SELECT u.id, u.code, (SELECT count(*) FROM schools s WHERE s.reviewing_unit_id = u.id) AS schools FROM units u WHERE u.kind = 'province' ORDER BY u.id LIMIT 1").get() as {
    id: number;
    code: string;
    schools: number;
  };
  const so = c.prepare("SELECT id FROM users WHERE username = 'so.s01'").get() as { id: number };
  log(`\nbench:rollup — ${FILE} (${Math.round(fs.statSync(FILE).size / 1e6)} MB), ${resultRows.toLocaleString("en")} dòng kết quả`);
  for (const s of shape) log(`  ${s.year}: ${s.files} hồ sơ, đã nộp ${s.submitted}, đánh giá ngoài ${s.external}, công nhận ${s.recognised}`);

  /* 1. dashboard vs raw GROUP BY */
  const PHASE = { recognised: "external", external: "external", self: "self" } as const;
  const WHERE = {
    recognised: "a.recognised_level IS NOT NULL",
    external: "a.status IN ('assessed','recognised') AND a.external_level IS NOT NULL",
    self: "a.round > 0 AND a.self_level IS NOT NULL",
  } as const;
  type Basis = keyof typeof PHASE;
  const BASES: Basis[] = ["recognised", "external", "self"];
  const rawCube = origPrepare(
    `SELECT s.managing_path, s.type, a.status, a.self_level, a.external_level, a.recognised_level, a.round > 0, count(*) AS n
       FROM assessments a JOIN cycles c ON c.id = a.cycle_id AND c.school_year = @year JOIN schools s ON s.id = a.school_id
      WHERE s.managing_path >= @from AND s.managing_path < @to GROUP BY 1, 2, 3, 4, 5, 6, 7`,
  );
  const rawResults = Object.fromEntries(
    BASES.map((b) => [
      b,
      origPrepare(
        `SELECT r.kind, r.code, r.level, r.option, r.met, count(*) AS n, sum(r.points) AS points
           FROM assessments a JOIN cycles c ON c.id = a.cycle_id AND c.school_year = @year JOIN schools s ON s.id = a.school_id
           JOIN assessment_results r ON r.assessment_id = a.id AND r.phase = '${PHASE[b]}'
          WHERE s.managing_path >= @from AND s.managing_path < @to AND ${WHERE[b]} GROUP BY 1, 2, 3, 4, 5`,
      ),
    ]),
  ) as Record<Basis, Database.Statement>;
  const rawYears = Object.fromEntries(
    BASES.map((b) => [
      b,
      origPrepare(
        `SELECT c.school_year, r.kind, r.code, r.level, count(*) AS n, sum(r.points) AS points
           FROM assessments a JOIN cycles c ON c.id = a.cycle_id AND c.school_year < @year JOIN schools s ON s.id = a.school_id
           JOIN assessment_results r ON r.assessment_id = a.id AND r.phase = '${PHASE[b]}' AND r.kind IN ('institution','group','indicator')
          WHERE s.managing_path >= @from AND s.managing_path < @to AND ${WHERE[b]} GROUP BY 1, 2, 3, 4`,
      ),
    ]),
  ) as Record<Basis, Database.Statement>;

  interface Pair {
    scope: string;
    basis: Basis;
    svc: number[];
    raw: number[];
    parts: { cube: number[]; results: number[]; years: number[] };
  }
  const pairs: Pair[] = [];
  const slowest = new Map<string, { ms: number; calls: number; params: unknown[] }>();
  async function compare(label: string, unitId: number | null, runs: number) {
    const scope = scopeUnit(unitId)!;
    const p = { year: SCHOOL_YEAR, from: scope.path, to: scope.path.slice(0, -1) + "0" };
    for (const basis of BASES) {
      const pair: Pair = { scope: label, basis, svc: [], raw: [], parts: { cube: [], results: [], years: [] } };
      const svc = () => dashboard(scope, { schoolYear: SCHOOL_YEAR, unitId, basis });
      const raw = () => {
        let t = performance.now();
        rawCube.all(p);
        const a = performance.now() - t;
        t = performance.now();
        rawResults[basis].all(p);
        const b = performance.now() - t;
        t = performance.now();
        rawYears[basis].all(p);
        return [a, b, performance.now() - t] as const;
      };
      const d = svc(); // warm
      raw();
      if (basis === "recognised") log(`  ${label}: ${d.progress.total} hồ sơ, công nhận ${d.levels.recognised.total} (M1/M2/M3 ${d.levels.recognised.counts.join("/")}), ${d.years.length} năm, ${d.subUnits.length} đơn vị con`);
      perSql.clear();
      for (let i = 0; i < runs; i++) {
        let t = performance.now();
        svc();
        pair.svc.push(performance.now() - t);
        t = performance.now();
        const [a, b, y] = raw();
        pair.raw.push(performance.now() - t);
        pair.parts.cube.push(a);
        pair.parts.results.push(b);
        pair.parts.years.push(y);
      }
      for (const [sql, e] of perSql) slowest.set(`${label} ${basis}\n${sql}`, { ms: e.ms / runs, calls: e.calls / runs, params: e.params });
      pairs.push(pair);
    }
  }
  log("\n1. Bảng điều khiển (dashboard) so với GROUP BY thô trên cùng các dòng");
  await compare("toàn quốc", null, RUNS);
  await compare(`tỉnh ${province.code} (${province.schools} trường)`, province.id, Math.max(RUNS, 30));
  for (const pr of pairs) {
    const s = med(pr.svc);
    const rw = med(pr.raw);
    log(
      `  ${pr.scope.padEnd(26)} ${pr.basis.padEnd(10)} dashboard ${r1(s).toFixed(1).padStart(8)} ms   group-by ${r1(rw).toFixed(1).padStart(8)} ms (cube ${r1(med(pr.parts.cube))}, kết quả ${r1(med(pr.parts.results))}, các năm ${r1(med(pr.parts.years))})   ×${(s / rw).toFixed(2)}  mục tiêu ≤ 2×  ${mark(s <= 2 * rw)}`,
    );
  }
  {
    const [k, e] = [...slowest.entries()].sort((a, b) => b[1].ms - a[1].ms)[0]!;
    perSql.clear();
    perSql.set(k.slice(k.indexOf("\n") + 1), { ...e, calls: 1 });
    explainSlowest("  ");
  }
  log("  Thời gian từng truy vấn của dashboard (ms mỗi lần gọi dashboard, trung bình), 8 truy vấn chậm nhất:");
  const top = [...slowest.entries()].sort((a, b) => b[1].ms - a[1].ms).slice(0, 8);
  for (const [k, e] of top) {
    const [where, sql] = [k.slice(0, k.indexOf("\n")), k.slice(k.indexOf("\n") + 1)];
    log(`   ${r1(e.ms).toFixed(1).padStart(8)}  ${where.padEnd(34)} ${sql.replace(/\s+/g, " ").slice(0, 110)}…`);
  }

  /* 2. /thong-ke as the Sở */
  const { createSession } = await import("../app/server/auth/session.server");
  const cookie = (await createSession(so.id)).split(";")[0]!;
  const get = (url: string, headers: Record<string, string> = {}) => new Request(`http://localhost${url}`, { headers });
  const call = async (loader: unknown, request: Request, params: Record<string, string> = {}): Promise<Response> => {
    try {
      return await (loader as (a: unknown) => Promise<Response>)({ request, params, context: {} });
    } catch (e) {
      if (e instanceof Response) return e;
      throw e;
    }
  };
  const stats = await import("../app/routes/thong-ke._index");
  const page: number[] = [];
  let pageBytes = 0;
  for (let i = 0; i <= Math.max(RUNS, 30); i++) {
    const t = performance.now();
    const res = await call(stats.loader, get("/thong-ke", { Cookie: cookie }));
    const body = await res.text();
    if (i > 0) page.push(performance.now() - t);
    if (res.status !== 200) throw new Error(`/thong-ke: ${res.status} ${body.slice(0, 200)}`);
    pageBytes = Buffer.byteLength(body);
  }
  log(`\n2. /thong-ke (Sở ${province.code}, ${province.schools} trường)`);
  log(`  median ${r1(med(page))} ms  p95 ${r1(p95(page))} ms  JSON ${(pageBytes / 1024).toFixed(0)} KB  mục tiêu < 300 ms  ${mark(p95(page) < 300)}`);

  /* 3. /thong-ke.xlsx */
  log(`\n3. /thong-ke.xlsx (tỉnh ${province.code})`);
  const xlsxPath = path.resolve("app/routes/thong-ke[.]xlsx.tsx");
  if (!fs.existsSync(xlsxPath)) {
    log("  bỏ qua: app/routes/thong-ke[.]xlsx.tsx chưa có");
  } else {
    const xlsx = await import("../app/routes/thong-ke[.]xlsx");
    const gc = (globalThis as { gc?: () => void }).gc;
    const once = async () => {
      gc?.();
      const before = process.memoryUsage().rss;
      let peak = before;
      const sample = () => (peak = Math.max(peak, process.memoryUsage().rss));
      const timer = setInterval(sample, 5);
      const t = performance.now();
      const res = await call(xlsx.loader, get(`/thong-ke.xlsx?donVi=${province.id}&nam=${SCHOOL_YEAR}`, { Cookie: cookie }));
      if (res.status !== 200) throw new Error(`/thong-ke.xlsx: ${res.status} ${await res.text()}`);
      const reader = res.body!.getReader();
      let bytes = 0;
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        bytes += value.byteLength;
        sample();
      }
      const ms = performance.now() - t;
      clearInterval(timer);
      sample();
      const zip = bytes > 4;
      return { ms, bytes, growth: (peak - before) / 1048576, zip, type: res.headers.get("Content-Type") };
    };
    const runs = [];
    for (let i = 0; i < 4; i++) runs.push(await once());
    const first = runs[0]!;
    const rest = runs.slice(1);
    const ms = med(rest.map((r) => r.ms));
    const growth = Math.max(...runs.map((r) => r.growth));
    const xlsxOk = ms < 5000 && growth < 100;
    log(`  lần đầu ${r1(first.ms)} ms (RSS +${r1(first.growth)} MB); ${rest.length} lần sau: median ${r1(ms)} ms; tệp ${(first.bytes / 1024).toFixed(0)} KB (${first.type})`);
    log(`  tăng RSS lớn nhất ${r1(growth)} MB${(globalThis as { gc?: unknown }).gc ? "" : " (không có --expose-gc: RSS trước mỗi lần không được dọn)"}  mục tiêu < 5 s và < 100 MB  ${mark(xlsxOk)}`);
  }

  /* 4. the public pages and open data */
  log(`\n4. Công bố /cong-bo/${province.code}/${SCHOOL_YEAR} (ẩn danh)`);
  const pubFiles = ["app/routes/cong-bo.$unitCode.$schoolYear.tsx", "app/routes/cong-bo.$unitCode.$schoolYear.json.tsx", "app/routes/cong-bo.$unitCode.$schoolYear.csv.tsx"];
  if (!pubFiles.every((f) => fs.existsSync(f))) {
    log("  bỏ qua: các route công bố chưa có");
  } else {
    const { publish } = await import("../app/server/services/publication.server");
    for (const y of [SCHOOL_YEAR, ...(PREVIOUS ? [PREVIOUS_YEAR] : [])]) {
      const r = publish(province.id, y, so.id);
      if (!r.ok && r.code !== "state") throw new Error(`publish ${y}: ${r.message}`);
    }
    const pageRoute = await routeModule("cong-bo.$unitCode.$schoolYear.tsx");
    const jsonRoute = await routeModule("cong-bo.$unitCode.$schoolYear.json.tsx");
    const csvRoute = await routeModule("cong-bo.$unitCode.$schoolYear.csv.tsx");
    const params = { unitCode: province.code, schoolYear: SCHOOL_YEAR };
    const base = `/cong-bo/${province.code}/${SCHOOL_YEAR}`;
    const cases: [string, unknown, string, Record<string, string>][] = [
      [base, pageRoute.loader, base, {}],
      [`${base}?page=5`, pageRoute.loader, `${base}?page=5`, {}],
      [`${base}?q=nguyen du`, pageRoute.loader, `${base}?q=nguyen%20du`, {}],
      [`${base}.json`, jsonRoute.loader, `${base}/json`, {}],
      [`${base}.csv`, csvRoute.loader, `${base}/csv`, {}],
    ];
    let etag: string | null = null;
    for (const [name, loader, url] of cases) {
      const ms: number[] = [];
      let res: Response | null = null;
      let bytes = 0;
      for (let i = 0; i <= Math.max(RUNS, 30); i++) {
        const t = performance.now();
        res = await call(loader, get(url), params);
        const body = await res.text();
        if (i > 0) ms.push(performance.now() - t);
        if (res.status !== 200) throw new Error(`${name}: ${res.status} ${body.slice(0, 200)}`);
        bytes = Buffer.byteLength(body);
      }
      if (name.endsWith(".json")) etag = res!.headers.get("ETag");
      const ok = p95(ms) < 100;
      log(
        `  ${name.padEnd(40)} median ${r1(med(ms)).toFixed(1).padStart(6)} ms  p95 ${r1(p95(ms)).toFixed(1).padStart(6)} ms  ${(bytes / 1024).toFixed(0).padStart(5)} KB  ETag ${res!.headers.get("ETag") ? "có" : "không"}  Cache-Control ${res!.headers.get("Cache-Control") ?? "không"}  mục tiêu < 100 ms  ${mark(ok)}`,
      );
      if (!ok) {
        perSql.clear();
        await (await call(loader, get(url), params)).text();
        explainSlowest();
      }
    }
    if (etag) {
      const ms: number[] = [];
      let status = 0;
      for (let i = 0; i <= 20; i++) {
        const t = performance.now();
        const res = await call(jsonRoute.loader, get(`${base}/json`, { "If-None-Match": etag }), params);
        await res.text();
        status = res.status;
        if (i > 0) ms.push(performance.now() - t);
      }
      log(`  ${`${base}.json (If-None-Match)`.padEnd(40)} median ${r1(med(ms)).toFixed(1).padStart(6)} ms  → ${status}`);
    }
  }

  const nat = pairs.filter((p) => p.scope === "toàn quốc");
  const svc = nat.reduce((s, p) => s + med(p.svc), 0);
  const raw = nat.reduce((s, p) => s + med(p.raw), 0);
  log(`\n(national: the three bases summed; ${RUNS} runs each, medians)`);
  log(`rollup: ${r1(svc)} ms vs group-by ${r1(raw)} ms (ratio ${(svc / raw).toFixed(2)})`);
  closeDb();
  process.exit(failed ? 1 : 0);
}

void main().catch((e) => {
  console.error(e);
  process.exit(1);
});
