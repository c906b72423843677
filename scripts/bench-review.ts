/**
 * npm run bench:review — the review's server times on a 1,500-school province (the province
 * database of bench:national, built or reused in BENCH_DIR, default data/bench, and copied so this
 * run never changes it):
 *   - the inbox /ho-so of the Sở (office_admin + office_reviewer): first page, a state filter, a search;
 *   - the checking page /danh-gia/:id/kiem-tra of a fully answered file with 60 evidence entries;
 *   - the biên bản PDF /danh-gia/:id/bien-ban.pdf of that file once approved (rendered by the pool).
 * "Server time" is the route's loader, called in this process with a signed-in request (session
 * lookup, policy, queries, rendering to JSON or PDF bytes); HTTP framing is not counted.
 * Targets (issue 8): each inbox view < 100 ms, the checking page < 150 ms, the biên bản < 500 ms.
 */
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { buildBenchDb, isBuilt } from "./bench-national-data";
import { percentile } from "./bench-lib.mjs";

const DIR = path.resolve(process.env.BENCH_DIR || "data/bench");
const SOURCE = path.join(DIR, "province.sqlite");
const FILE = path.join(DIR, "review.sqlite");
const RUNS = Number(process.env.BENCH_RUNS || 30);

function log(s: string) {
  process.stdout.write(`${s}\n`);
}

async function main() {
  fs.mkdirSync(DIR, { recursive: true });
  if (!isBuilt(SOURCE, Database)) {
    log(`Tạo CSDL tỉnh (1.500 trường) tại ${SOURCE}…`);
    await buildBenchDb(SOURCE, 1, log);
  }
  // A consistent copy (the WAL folded in), so this run's writes never touch the shared database.
  for (const ext of ["", "-wal", "-shm"]) fs.rmSync(FILE + ext, { force: true });
  const src = new Database(SOURCE, { readonly: true });
  await src.backup(FILE);
  src.close();
  process.env.DATABASE_PATH = FILE;

  const { getDb } = await import("../app/server/db/client.server");
  const { createSession } = await import("../app/server/auth/session.server");
  const { buildIfNeeded } = (await import(path.resolve("scripts/build-if-needed.mjs"))) as { buildIfNeeded: () => boolean };
  buildIfNeeded(); // the PDF workers' bundle
  process.env.PDF_WORKER_PATH ||= path.resolve("build/pdf-worker.mjs");
  const db = getDb();
  const c = db.$client;
  const so = c.prepare("SELECT id FROM users WHERE username = 'so.s01'").get() as { id: number };
  const cookie = (await createSession(so.id)).split(";")[0]!;
  const get = (url: string) => new Request(`http://localhost${url}`, { headers: { Cookie: cookie } });

  // A submitted file of the Sở's, fully answered: give it 60 evidence entries.
  const file = c
    .prepare(
      `SELECT a.id, a.school_id AS schoolId FROM assessments a JOIN schools s ON s.id = a.school_id
        WHERE a.status = 'submitted' AND s.reviewing_unit_id = (SELECT unit_id FROM users WHERE id = ?) ORDER BY a.id LIMIT 1`,
    )
    .get(so.id) as { id: number; schoolId: number };
  const have = (c.prepare("SELECT count(*) AS n FROM evidence_links WHERE assessment_id = ?").get(file.id) as { n: number }).n;
  const items = (c.prepare("SELECT item_code AS code FROM answers WHERE assessment_id = ? AND phase = 'self' ORDER BY item_code").all(file.id) as { code: string }[]).map((r) => r.code);
  const now = Date.now();
  c.transaction(() => {
    for (let i = have; i < 60; i++) {
      const ev = c.prepare("INSERT INTO evidence (school_id, kind, title, url, created_at) VALUES (?, 'link', ?, ?, ?)").run(file.schoolId, `Minh chứng bổ sung ${i + 1}`, `https://truong.example.vn/mc/${i + 1}`, now);
      const code = items[i % items.length]!;
      c.prepare("INSERT INTO evidence_links (assessment_id, item_code, evidence_id, code, created_at) VALUES (?, ?, ?, ?, ?)").run(file.id, code, Number(ev.lastInsertRowid), `MC-${code}-B${i + 1}`, now);
    }
  })();
  const evidenceCount = (c.prepare("SELECT count(*) AS n FROM evidence_links WHERE assessment_id = ?").get(file.id) as { n: number }).n;
  const q = (c.prepare("SELECT name FROM schools WHERE id = ?").get(file.schoolId) as { name: string }).name.split(" ").slice(-2).join(" ");

  const inbox = await import("../app/routes/ho-so._index");
  const check = await import("../app/routes/danh-gia.$id.kiem-tra");
  const results: { name: string; p50: number; p95: number; target: number }[] = [];
  async function time(name: string, target: number, fn: () => Promise<unknown>) {
    await fn(); // warm: prepared statements, caches
    const lat: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const t0 = performance.now();
      const r = await fn();
      lat.push(performance.now() - t0);
      if (r instanceof Response && r.status !== 200) throw new Error(`${name}: ${r.status}`);
      if (r instanceof Response) await r.arrayBuffer();
    }
    lat.sort((x, y) => x - y);
    results.push({ name, p50: percentile(lat, 50), p95: percentile(lat, 95), target });
  }
  const call = (loader: unknown, url: string, params: Record<string, string> = {}) => async () => {
    try {
      return await (loader as (a: unknown) => Promise<Response>)({ request: get(url), params, context: {} });
    } catch (e) {
      if (e instanceof Response) return e;
      throw e;
    }
  };

  await time("/ho-so (trang đầu)", 100, call(inbox.loader, "/ho-so"));
  await time("/ho-so?trang-thai=submitted", 100, call(inbox.loader, "/ho-so?trang-thai=submitted"));
  await time(`/ho-so?q=${q}`, 100, call(inbox.loader, `/ho-so?q=${encodeURIComponent(q)}`));
  await time(`/danh-gia/:id/kiem-tra (${evidenceCount} minh chứng)`, 150, call(check.loader, `/danh-gia/${file.id}/kiem-tra`, { id: String(file.id) }));

  // The biên bản of that file once approved, one changed item with its reason. Each run a new
  // version of the record's data (the reason alternates), so no cached document: the render is
  // what is measured, through the pool, as the route does it.
  {
    const { approve } = await import("../app/server/services/review.server");
    const ok = approve(file.id, so.id);
    if (!ok.ok) throw new Error(`approve: ${ok.message}`);
    const bb = await import("../app/routes/danh-gia.$id.bien-ban[.]pdf");
    const { saveAnswers, getAssessment } = await import("../app/server/services/assessments.server");
    const selfRows = c.prepare("SELECT item_code AS code, value FROM answers WHERE assessment_id = ? AND phase = 'self' ORDER BY item_code").all(file.id) as { code: string; value: string | null }[];
    const flippable = selfRows.find((r) => r.value === "true" || r.value === "false");
    if (!flippable) throw new Error("no boolean answer to change in the external phase");
    const changed = flippable.value !== "true";
    let flip = false;
    await time("/danh-gia/:id/bien-ban.pdf", 500, async () => {
      flip = !flip;
      const saved = saveAnswers(
        file.id,
        { baseVersion: getAssessment(file.id)!.version, changes: { [flippable.code]: { value: changed, note: flip ? "Lý do điều chỉnh A" : "Lý do điều chỉnh B" } }, phase: "external" },
        so.id,
      );
      if (!saved.ok) throw new Error(`saveAnswers (external): ${saved.message}`);
      return call(bb.loader, `/danh-gia/${file.id}/bien-ban.pdf`, { id: String(file.id) })();
    });
  }

  const { closePdfPool } = await import("../app/server/pdf/pool.server");
  await closePdfPool();
  log(`\nbench:review — tỉnh 1.500 trường, ${RUNS} lần mỗi trang, thời gian xử lý của máy chủ (ms)`);
  let failed = 0;
  for (const r of results) {
    const pass = r.p95 < r.target;
    if (!pass) failed++;
    log(`${r.name.padEnd(48)} p50 ${r.p50.toFixed(1).padStart(7)}  p95 ${r.p95.toFixed(1).padStart(7)}  mục tiêu < ${r.target}  ${pass ? "đạt" : "CHƯA ĐẠT"}`);
  }
  process.exit(failed ? 1 : 0);
}

void main();
