/**
 * Deadline week at national scale: npm run bench:national
 *
 * 1. Builds (or reuses, when its shape version matches) two databases in BENCH_DIR (default
 *    data/bench): the national one (34 provinces, 53,000 schools, 3,367 units, 53,036 users,
 *    ~1.6 M answers, 1.06 M evidence rows, 3.76 M audit rows) and the province one (province 1
 *    alone: 1,500 schools), from the same generator (scripts/bench-national-data.ts).
 * 2. Starts the real server (scripts/serve.mjs, WEB_CONCURRENCY processes, default 2) on each,
 *    refusing to run when a port is taken or the answering server is not its own child.
 * 3. Deadline-week mix on the national server, each phase BENCH_PHASE_SECONDS (default 15), after
 *    a warm-up: 50 school users each autosaving once a second (paced, random offsets), alone; with
 *    4 report PDFs a second (a different file each time, as the Sở downloads them); with one
 *    evidence removal a second; with reviewers opening their inbox 5 times a second; while a
 *    53,000-school cycle is opened; then the closed loop (every user saves again at once) for
 *    saves/s and server CPU per save (/proc of the server's processes).
 * 4. Page times of a Sở account, national against province, in the same run (no other load):
 *    /ho-so first page, a filter, a search; the home page; the user list. And the size of every
 *    HTML page an office or the system admin opens.
 * Prints one table per part and the targets with ✓/✗; BENCH_JSON=file writes all figures.
 */
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { buildBenchDb, isBuilt, shapeOf } from "./bench-national-data";
import { CLK_TCK, cpuTicksOf, percentile, processTree, startOwnServer, type OwnServer } from "./bench-lib.mjs";

const DIR = path.resolve(process.env.BENCH_DIR || "data/bench");
const PHASE = Number(process.env.BENCH_PHASE_SECONDS || 15);
const USERS = Number(process.env.BENCH_USERS || 50);
const WORKERS = Number(process.env.WEB_CONCURRENCY || 2);
const PORTS = { national: Number(process.env.BENCH_PORT || 3941), province: Number(process.env.BENCH_PORT || 3941) + 1 };
const NATIONAL = path.join(DIR, "national.sqlite");
const PROVINCE = path.join(DIR, "province.sqlite");
process.env.SESSION_SECRET = "bench-national-secret";
process.env.COOKIE_SECURE = "false";

const log = (...a: unknown[]) => console.log(...a);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// ───────────── statistics, /proc ─────────────

const pct = (xs: number[], p: number): number => percentile([...xs].sort((a, b) => a - b), p);
const r1 = (x: number) => Math.round(x * 10) / 10;
const r2 = (x: number) => Math.round(x * 100) / 100;

/** CPU milliseconds (user + system) used so far by the processes (bench-lib reads /proc). */
const cpuMs = (pids: number[]) => (cpuTicksOf(pids).ticks * 1000) / CLK_TCK;
const selfCpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

// ───────────── servers ─────────────

const servers: OwnServer[] = [];
process.on("exit", () => servers.forEach((s) => s.child.kill("SIGTERM")));
process.on("SIGINT", () => process.exit(130));

/** The real server on `file`, refused when the port is taken or the answering server is not its own child. */
async function startServer(file: string, port: number): Promise<OwnServer> {
  const s = await startOwnServer({
    port,
    env: { ...process.env, DATABASE_PATH: file, HOST: "127.0.0.1", NODE_ENV: "production", WEB_CONCURRENCY: String(WORKERS), EVIDENCE_DIR: path.join(DIR, "evidence") },
  });
  servers.push(s);
  return s;
}

// ───────────── HTTP client ─────────────

interface Reply {
  status: number;
  ms: number;
  body: Buffer;
}
function request(agent: http.Agent, port: number, method: string, url: string, headers: Record<string, string>, body?: string): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const t = performance.now();
    const req = http.request({ host: "127.0.0.1", port, method, path: url, agent, headers: body != null ? { ...headers, "content-length": String(Buffer.byteLength(body)) } : headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, ms: performance.now() - t, body: Buffer.concat(chunks) }));
    });
    req.on("error", reject);
    if (body != null) req.write(body);
    req.end();
  });
}

interface Actor {
  cookie: string;
  csrf: string;
  agent: http.Agent;
}

async function actorFor(username: string, dbFile: string): Promise<Actor> {
  process.env.DATABASE_PATH = dbFile;
  const { getDb } = await import("../app/server/db/client.server");
  const { createSession } = await import("../app/server/auth/session.server");
  const { getCsrfToken } = await import("../app/server/auth/csrf.server");
  const u = getDb().$client.prepare("SELECT id FROM users WHERE username = ?").get(username) as { id: number } | undefined;
  if (!u) throw new Error(`no user ${username} in ${dbFile}`);
  const cookie = (await createSession(u.id)).split(";")[0]!;
  const { token } = await getCsrfToken(new Request("http://x/", { headers: { Cookie: cookie } }));
  return { cookie, csrf: token, agent: new http.Agent({ keepAlive: true, maxSockets: 1 }) };
}

const form = (o: Record<string, string>) => new URLSearchParams(o).toString();
const FORM = { "content-type": "application/x-www-form-urlencoded", accept: "application/json" };

// ───────────── the savers ─────────────

interface Saver extends Actor {
  assessment: number;
  item: string;
  seen: number;
  flip: boolean;
}
interface SaveStats {
  lat: number[];
  at: number[];
  conflicts: number;
  errors: number;
}
const newStats = (): SaveStats => ({ lat: [], at: [], conflicts: 0, errors: 0 });

async function saveOnce(s: Saver, stats: SaveStats | null) {
  s.flip = !s.flip;
  const body = form({ _csrf: s.csrf, payload: JSON.stringify({ baseVersion: s.seen, changes: { [s.item]: { value: s.flip, seen: s.seen } } }) });
  const r = await request(s.agent, PORTS.national, "POST", `/danh-gia/${s.assessment}/luu`, { ...FORM, cookie: s.cookie }, body);
  let d: { ok?: boolean; version?: number; theirs?: { version: number }[] } = {};
  try {
    d = JSON.parse(r.body.toString()) as typeof d;
  } catch {
    /* not JSON */
  }
  if (d.ok && typeof d.version === "number") s.seen = d.version;
  else if (d.theirs?.[0]) s.seen = d.theirs[0].version;
  if (!stats) return;
  stats.lat.push(r.ms);
  stats.at.push(performance.now());
  if (r.status === 409) stats.conflicts++;
  else if (r.status !== 200) stats.errors++;
}

/** Each user saves once a second from a random offset, until `stop`. */
async function pacedSaves(savers: Saver[], seconds: number, stats: SaveStats | null) {
  const end = performance.now() + seconds * 1000;
  await Promise.all(
    savers.map(async (s) => {
      await sleep(Math.random() * 1000);
      for (let next = performance.now(); next < end; next += 1000) {
        await saveOnce(s, stats);
        const wait = next + 1000 - performance.now();
        if (wait > 0) await sleep(wait);
      }
    }),
  );
}

/** Runs `fn` `perSecond` times a second (evenly spaced) until `seconds` passed. */
async function every(perSecond: number, seconds: number, fn: (i: number) => Promise<void>) {
  const end = performance.now() + seconds * 1000;
  const gap = 1000 / perSecond;
  const running: Promise<void>[] = [];
  for (let i = 0, next = performance.now(); next < end; i++, next += gap) {
    running.push(fn(i).catch((e) => console.error("background request failed:", e)));
    const wait = next + gap - performance.now();
    if (wait > 0) await sleep(wait);
  }
  await Promise.all(running);
}

// ───────────── main ─────────────

async function main() {
  fs.mkdirSync(DIR, { recursive: true });
  for (const [file, provinces] of [
    [NATIONAL, 34],
    [PROVINCE, 1],
  ] as const) {
    if (isBuilt(file, Database)) {
      log(`Dùng lại ${file}`);
      continue;
    }
    log(`Tạo ${file} (${provinces} tỉnh)…`);
    const t = performance.now();
    await buildBenchDb(file, provinces);
    log(`  xong sau ${((performance.now() - t) / 1000).toFixed(0)} s`);
  }
  const shape = { national: shapeOf(NATIONAL, Database), province: shapeOf(PROVINCE, Database) };
  log("Quy mô:", JSON.stringify(shape));

  // A cycle left over by an interrupted run of the cycle-open phase.
  dropCycle(NATIONAL, "2027-2028");

  // Build once before two servers start (each would otherwise check and build).
  const { buildIfNeeded } = (await import(path.resolve("scripts/build-if-needed.mjs"))) as { buildIfNeeded: () => boolean };
  buildIfNeeded();
  // This process writes to the databases too (sessions, the service-level removals): like the servers'
  // connections, it leaves WAL checkpoints to the servers' checkpointer thread.
  process.env.CDS_BACKGROUND_CHECKPOINT = "1";
  const national = await startServer(NATIONAL, PORTS.national);
  const province = await startServer(PROVINCE, PORTS.province);
  log(`Máy chủ: quốc gia :${PORTS.national} (${WORKERS} tiến trình), tỉnh :${PORTS.province}; ${os.cpus().length} nhân`);

  // Actors. Savers: 50 draft assessments of province 1 (national database).
  const nat = new Database(NATIONAL, { readonly: true });
  const drafts = nat
    .prepare(
      `SELECT a.id, a.version, u.username FROM assessments a JOIN schools s ON s.id = a.school_id JOIN users u ON u.school_id = s.id
        WHERE s.code LIKE '01%' AND a.status = 'draft' ORDER BY a.id`,
    )
    .all() as { id: number; version: number; username: string }[];
  const boolItem = (nat.prepare("SELECT content FROM catalogue_editions WHERE status = 'published' LIMIT 1").get() as { content: string }).content;
  const items = (JSON.parse(boolItem) as { groups: { indicators: { items: { code: string; rule: string }[] }[] }[] }).groups.flatMap((g) => g.indicators.flatMap((i) => i.items));
  const item = items.find((i) => i.rule === "boolean")!.code;
  const groupCodes = (JSON.parse(boolItem) as { groups: { code: string }[] }).groups.map((g) => g.code);
  const submitted = nat
    .prepare("SELECT a.id FROM assessments a JOIN schools s ON s.id = a.school_id WHERE s.code LIKE '01%' AND a.status = 'submitted' ORDER BY a.id")
    .all() as { id: number }[];
  const sampleName = (nat.prepare("SELECT name FROM schools WHERE code = '01000777'").get() as { name: string }).name;
  nat.close();

  const savers: Saver[] = [];
  for (const d of drafts.slice(0, USERS)) savers.push({ ...(await actorFor(d.username, NATIONAL)), assessment: d.id, item, seen: d.version, flip: false });
  // Evidence removal: other draft schools remove their own evidence, one link each.
  const removers = drafts.slice(USERS, USERS + 400);
  const so = await actorFor("so.s01", NATIONAL);
  const soProvince = await actorFor("so.s01", PROVINCE);
  const admin = await actorFor("admin", NATIONAL);

  const phases: Record<string, { saves: SaveStats; extra?: Record<string, unknown> }> = {};
  log(`\nKhởi động (warm-up) ${Math.min(5, PHASE)} s…`);
  await pacedSaves(savers, Math.min(5, PHASE), null);

  // 1. saves alone
  log("Pha 1: chỉ lưu (50 người, mỗi người 1 lần/giây)");
  phases["saves alone"] = { saves: newStats() };
  await pacedSaves(savers, PHASE, phases["saves alone"].saves);

  // 2. + reports
  log("Pha 2: lưu + 4 báo cáo PDF/giây");
  {
    const stats = newStats();
    const lat: number[] = [];
    let bad = 0;
    await Promise.all([
      pacedSaves(savers, PHASE, stats),
      every(4, PHASE, async (i) => {
        const a = submitted[i % submitted.length]!;
        const r = await request(new http.Agent({ keepAlive: false }), PORTS.national, "GET", `/danh-gia/${a.id}/bao-cao.pdf`, { cookie: so.cookie });
        lat.push(r.ms);
        if (r.status !== 200 || r.body.subarray(0, 5).toString() !== "%PDF-") bad++;
      }),
    ]);
    phases["+ reports (4/s)"] = { saves: stats, extra: { reportMs: { p50: r1(pct(lat, 50)), p95: r1(pct(lat, 95)) }, reports: lat.length, failed: bad } };
  }

  // 3. + evidence removal
  log("Pha 3: lưu + gỡ 1 minh chứng/giây");
  {
    const stats = newStats();
    const lat: number[] = [];
    let bad = 0;
    const dbr = new Database(NATIONAL, { readonly: true });
    const linkOf = dbr.prepare("SELECT item_code AS itemCode, evidence_id AS evidenceId FROM evidence_links WHERE assessment_id = ? ORDER BY evidence_id LIMIT 1");
    await Promise.all([
      pacedSaves(savers, PHASE, stats),
      every(1, PHASE, async (i) => {
        const d = removers[i % removers.length]!;
        const link = linkOf.get(d.id) as { itemCode: string; evidenceId: number } | undefined;
        if (!link) return;
        const who = await actorFor(d.username, NATIONAL);
        // As the evidence panel posts it: a fetcher submission (JSON answer, no page render).
        const r = await request(who.agent, PORTS.national, "POST", `/danh-gia/${d.id}/minh-chung?_data=${encodeURIComponent("routes/danh-gia.$id.minh-chung")}`, { ...FORM, cookie: who.cookie }, form({ _csrf: who.csrf, intent: "detach", _json: "1", itemCode: link.itemCode, evidenceId: String(link.evidenceId) }));
        lat.push(r.ms);
        if (r.status !== 200) bad++;
      }),
    ]);
    // The service alone (detachEvidence on the national database, in this process), once the load
    // has stopped: the figure of finding 1 (under load this process is also the 50 users' client).
    process.env.DATABASE_PATH = NATIONAL;
    const { detachEvidence } = await import("../app/server/services/evidence.server");
    const { getDb } = await import("../app/server/db/client.server");
    const svc: number[] = [];
    const sqlMs: number[] = [];
    const uid = getDb().$client.prepare("SELECT id FROM users WHERE username = ?");
    // Also the time spent in SQLite on this thread (what blocks other requests), statement by statement.
    const proto = Object.getPrototypeOf(uid) as Record<"run" | "get" | "all", (...a: unknown[]) => unknown>;
    const original = { run: proto.run, get: proto.get, all: proto.all };
    let inSql = 0;
    for (const m of ["run", "get", "all"] as const) {
      proto[m] = function (this: unknown, ...a: unknown[]) {
        const t = performance.now();
        try {
          return original[m].apply(this, a);
        } finally {
          inSql += performance.now() - t;
        }
      };
    }
    try {
      for (const d of removers.slice(200, 260)) {
        const link = linkOf.get(d.id) as { itemCode: string; evidenceId: number } | undefined;
        const actor = (uid.get(d.username) as { id: number }).id;
        if (!link) continue;
        inSql = 0;
        const t = performance.now();
        const r = await detachEvidence({ assessmentId: d.id, itemCode: link.itemCode, evidenceId: link.evidenceId }, actor);
        svc.push(performance.now() - t);
        sqlMs.push(inSql);
        if (!r.ok) bad++;
      }
    } finally {
      Object.assign(proto, original);
    }
    dbr.close();
    phases["+ evidence removal (1/s)"] = {
      saves: stats,
      extra: { removalHttpMs: { p50: r1(pct(lat, 50)), p95: r1(pct(lat, 95)), max: r1(Math.max(...lat)) }, removalServiceMs: { p50: r2(pct(svc, 50)), p95: r2(pct(svc, 95)), max: r2(Math.max(...svc)) }, removalSqlMs: { p50: r2(pct(sqlMs, 50)), p95: r2(pct(sqlMs, 95)), max: r2(Math.max(...sqlMs)) }, removals: lat.length + svc.length, failed: bad },
    };
  }

  // 4. + inbox
  log("Pha 4: lưu + người kiểm tra mở hộp hồ sơ 5 lần/giây");
  {
    const stats = newStats();
    const lat: number[] = [];
    let bad = 0;
    const urls = ["/ho-so", "/ho-so?trang-thai=submitted", `/ho-so?q=${encodeURIComponent(sampleName.split(" ").slice(-2).join(" "))}`, "/ho-so?page=3"];
    await Promise.all([
      pacedSaves(savers, PHASE, stats),
      every(5, PHASE, async (i) => {
        const r = await request(so.agent, PORTS.national, "GET", urls[i % urls.length]!, { cookie: so.cookie, accept: "text/html" });
        lat.push(r.ms);
        if (r.status !== 200) bad++;
      }),
    ]);
    phases["+ inbox (5/s)"] = { saves: stats, extra: { inboxMs: { p50: r1(pct(lat, 50)), p95: r1(pct(lat, 95)) }, failed: bad } };
  }

  // 5. + opening a national cycle
  log("Pha 5: lưu trong khi mở một đợt cho 53.000 trường");
  {
    const stats = newStats();
    const ministry = (() => {
      const d = new Database(NATIONAL, { readonly: true });
      const r = d.prepare("SELECT id FROM units WHERE kind = 'ministry'").get() as { id: number };
      const e = d.prepare("SELECT id FROM catalogue_editions WHERE status = 'published' LIMIT 1").get() as { id: string };
      d.close();
      return { unit: r.id, edition: e.id };
    })();
    let openMs = 0;
    let openStatus = 0;
    let created = "";
    let openStart = 0;
    let openEnd = 0;
    await Promise.all([
      pacedSaves(savers, PHASE, stats),
      (async () => {
        await sleep(2000);
        openStart = performance.now();
        const r = await request(admin.agent, PORTS.national, "POST", "/quan-tri/dot-danh-gia", { ...FORM, cookie: admin.cookie }, form({ _csrf: admin.csrf, unitId: String(ministry.unit), schoolYear: "2027-2028", editionId: ministry.edition }));
        openEnd = performance.now();
        openMs = r.ms;
        openStatus = r.status;
        created = r.body.toString().match(/"message":"([^"]*)"/)?.[1] ?? r.body.toString().slice(0, 200);
      })(),
    ]);
    // The saves that were in flight while the cycle was being opened, against saves alone.
    const during = stats.lat.filter((_, i) => stats.at[i]! >= openStart && stats.at[i]! - stats.lat[i]! <= openEnd);
    const base = pct(phases["saves alone"]!.saves.lat, 50);
    phases["+ opening a 53,000-school cycle"] = {
      saves: stats,
      extra: { openMs: Math.round(openMs), openStatus, message: created, savesDuringOpen: during.length, worstSaveDuringOpenMs: r1(Math.max(0, ...during)), delayOverBaselineMs: r1(Math.max(0, ...during) - base) },
    };
    dropCycle(NATIONAL, "2027-2028");
  }

  // 6. closed loop
  log("Pha 6: vòng kín (mỗi người lưu lại ngay khi có trả lời)");
  let closed: Record<string, unknown>;
  {
    // Unmeasured first, as the paced phases are: the servers reach the closed loop's steady state.
    const warm = performance.now() + Math.min(5, PHASE) * 1000;
    await Promise.all(
      savers.map(async (s) => {
        while (performance.now() < warm) await saveOnce(s, null);
      }),
    );
    const stats = newStats();
    const pids = processTree(national.pid);
    const c0 = cpuMs(pids);
    const me0 = selfCpuMs();
    const t0 = performance.now();
    const end = t0 + PHASE * 1000;
    await Promise.all(
      savers.map(async (s) => {
        while (performance.now() < end) await saveOnce(s, stats);
      }),
    );
    const secs = (performance.now() - t0) / 1000;
    const serverCpu = cpuMs(pids) - c0;
    const n = stats.lat.length;
    closed = {
      processes: WORKERS,
      saves: n,
      savesPerSecond: Math.round(n / secs),
      serverCpuMsPerSave: r2(serverCpu / n),
      clientCpuMsPerSave: r2((selfCpuMs() - me0) / n),
      p95Ms: r1(pct(stats.lat, 95)),
      conflicts: stats.conflicts,
      errors: stats.errors,
    };
  }

  // The same write as a save, as one raw prepared better-sqlite3 transaction: the statements the save's
  // transaction runs, without the application around them. The reads it needs (the file with its school and
  // cycle, the stored values and versions it rescores), then the version, the answer, the stored result rows a
  // save of one item rewrites (institution, every group, its indicator, the item) and the audit row.
  let rawWriteUs: number;
  {
    const d = new Database(NATIONAL);
    d.pragma("busy_timeout = 5000");
    const up = d.prepare(
      `INSERT INTO answers (assessment_id, phase, item_code, value, note, updated_by, updated_at, version) VALUES (?, 'self', ?, ?, NULL, NULL, ?, ?)
       ON CONFLICT (assessment_id, phase, item_code) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at, version = excluded.version`,
    );
    // As the door does: the assessment's version moves on, and the answer records the version it was written at.
    const ua = d.prepare("UPDATE assessments SET version = version + 1, updated_at = ? WHERE id = ? RETURNING version");
    const au = d.prepare("INSERT INTO audit_log (at, actor_id, action, entity_type, entity_id, school_id, unit_id, assessment_id, details) VALUES (?, NULL, 'assessment.save', 'assessment', ?, NULL, NULL, ?, ?)");
    const ur = d.prepare(
      `INSERT INTO assessment_results (assessment_id, phase, kind, code, points, max, level, met, option) VALUES (?, 'self', ?, ?, ?, 100, 1, 1, NULL)
       ON CONFLICT (assessment_id, phase, kind, code) DO UPDATE SET points = excluded.points, max = excluded.max, level = excluded.level, met = excluded.met, option = excluded.option`,
    );
    const resultCodes: [string, string][] = [["institution", ""], ...groupCodes.map((g): [string, string] => ["group", g]), ["indicator", item.split(".").slice(0, 2).join(".")], ["item", item]];
    const file = d.prepare(
      `SELECT a.id, a.status, a.version, s.id, s.name, s.code, s.type, s.reviewing_unit_id, c.id, c.school_year, c.edition_id, c.status, c.self_assessment_deadline, a.deadline_override
         FROM assessments a JOIN schools s ON s.id = a.school_id JOIN cycles c ON c.id = a.cycle_id WHERE a.id = ?`,
    );
    const stored = d.prepare("SELECT item_code, value, version FROM answers WHERE assessment_id = ? AND phase = 'self'").raw(true);
    const tx = d.transaction((id: number, i: number) => {
      file.get(id);
      stored.all(id);
      const { version } = ua.get(Date.now(), id) as { version: number };
      up.run(id, item, i % 2 ? "true" : "false", Date.now(), version);
      for (const [kind, code] of resultCodes) ur.run(id, kind, code, i % 2);
      au.run(Date.now(), String(id), id, JSON.stringify({ items: [item] }));
    });
    const xs: number[] = [];
    for (let i = 0; i < 3000; i++) {
      const t = process.hrtime.bigint();
      tx.immediate(savers[i % savers.length]!.assessment, i);
      if (i >= 500) xs.push(Number(process.hrtime.bigint() - t) / 1000);
    }
    d.close();
    rawWriteUs = Math.round(pct(xs, 50));
    closed.rawWriteUs = rawWriteUs;
    closed.ratioToRawWrite = r1(((closed.serverCpuMsPerSave as number) * 1000) / rawWriteUs);
  }

  // 7. page times: the Sở, national against province
  log("Trang của Sở: quốc gia so với tỉnh");
  const pageUrls = {
    "/ho-so": "/ho-so",
    "/ho-so?trang-thai=submitted": "/ho-so?trang-thai=submitted",
    "/ho-so?q=…": `/ho-so?q=${encodeURIComponent(sampleName.split(" ").slice(-2).join(" "))}`,
    "/ (home)": "/",
    "/quan-tri/nguoi-dung": "/quan-tri/nguoi-dung",
  };
  const pages: Record<string, { nationalMs: number; provinceMs: number; ratio: number; bytes: number }> = {};
  for (const [label, url] of Object.entries(pageUrls)) {
    const time = async (who: Actor, port: number) => {
      const xs: number[] = [];
      let bytes = 0;
      for (let i = 0; i < 40; i++) {
        const r = await request(who.agent, port, "GET", url, { cookie: who.cookie, accept: "text/html" });
        if (r.status !== 200) throw new Error(`${url} on :${port} answered ${r.status}`);
        bytes = r.body.length;
        if (i >= 10) xs.push(r.ms);
      }
      return { ms: pct(xs, 50), bytes };
    };
    const a = await time(so, PORTS.national);
    const b = await time(soProvince, PORTS.province);
    pages[label] = { nationalMs: r1(a.ms), provinceMs: r1(b.ms), ratio: r2(a.ms / b.ms), bytes: a.bytes };
  }

  // 8. HTML sizes on the national database
  const sizes: Record<string, number> = {};
  {
    const d = new Database(NATIONAL, { readonly: true });
    const soCycle = (d.prepare("SELECT c.id FROM cycles c JOIN units u ON u.id = c.owner_unit_id WHERE u.code = 'S01'").get() as { id: number }).id;
    const anyCycle = (d.prepare("SELECT id FROM cycles ORDER BY id DESC LIMIT 1").get() as { id: number }).id;
    const oneAssessment = submitted[0]!.id;
    const oneSchool = (d.prepare("SELECT school_id AS id FROM assessments WHERE id = ?").get(oneAssessment) as { id: number }).id;
    // A school's account in the Sở's province (the Sở's own account is not edited from the list: 403).
    const oneUser = (d.prepare("SELECT u.id FROM users u JOIN schools s ON s.id = u.school_id WHERE s.code LIKE '01%' ORDER BY u.id LIMIT 1").get() as { id: number }).id;
    const oneUnit = (d.prepare("SELECT id FROM units WHERE code = 'S01-X001'").get() as { id: number }).id;
    d.close();
    const list: [Actor, string][] = [
      [so, "/"], [so, "/ho-so"], [so, "/quan-tri/truong"], [so, "/quan-tri/truong/moi"], [so, `/quan-tri/truong/${oneSchool}`], [so, "/quan-tri/don-vi"], [so, "/quan-tri/don-vi/moi"], [so, `/quan-tri/don-vi/${oneUnit}`],
      [so, "/quan-tri/nguoi-dung"], [so, "/quan-tri/nguoi-dung/moi"], [so, `/quan-tri/nguoi-dung/${oneUser}`], [so, "/quan-tri/dot-danh-gia"], [so, `/quan-tri/dot-danh-gia/${soCycle}`], [so, `/danh-gia/${oneAssessment}`], [so, `/danh-gia/${oneAssessment}/nhat-ky`],
      [admin, "/"], [admin, "/ho-so"], [admin, "/quan-tri/truong"], [admin, "/quan-tri/don-vi"], [admin, "/quan-tri/nguoi-dung"], [admin, "/quan-tri/dot-danh-gia"], [admin, `/quan-tri/dot-danh-gia/${anyCycle}`], [admin, "/quan-tri/chi-so"], [admin, `/danh-gia/${oneAssessment}/nhat-ky`],
    ];
    for (const [who, url] of list) {
      const r = await request(who.agent, PORTS.national, "GET", url, { cookie: who.cookie, accept: "text/html" });
      if (r.status === 404) continue;
      sizes[`${who === admin ? "admin" : "Sở"} ${url}`] = r.status === 200 ? r.body.length : -r.status;
    }
  }

  await national.stop();
  await province.stop();

  // ───────────── report ─────────────
  const alone = pct(phases["saves alone"]!.saves.lat, 95);
  const phaseRows = Object.entries(phases).map(([name, p]) => ({
    phase: name,
    saves: p.saves.lat.length,
    p50: r1(pct(p.saves.lat, 50)),
    p95: r1(pct(p.saves.lat, 95)),
    max: r1(Math.max(...p.saves.lat)),
    ratioP95: r2(pct(p.saves.lat, 95) / alone),
    conflicts: p.saves.conflicts,
    errors: p.saves.errors,
    ...p.extra,
  }));
  log("\n== Lưu theo pha (ms) ==");
  console.table(phaseRows.map(({ phase, saves, p50, p95, max, ratioP95, conflicts, errors }) => ({ phase, saves, p50, p95, max, ratioP95, conflicts, errors })));
  for (const r of phaseRows) {
    const { phase, saves: _s, p50: _a, p95: _b, max: _m, ratioP95: _r, conflicts: _c, errors: _e, ...extra } = r;
    if (Object.keys(extra).length) log(`  ${phase}: ${JSON.stringify(extra)}`);
  }
  log("\n== Vòng kín ==");
  log(JSON.stringify(closed));
  log("\n== Trang của Sở (trung vị ms): quốc gia / tỉnh ==");
  console.table(pages);
  log("\n== Kích thước HTML (byte) ==");
  console.table(sizes);

  const removal = phases["+ evidence removal (1/s)"]!.extra!.removalServiceMs as { p95: number };
  const removalHttp = phases["+ evidence removal (1/s)"]!.extra!.removalHttpMs as { p95: number };
  const removalSql = phases["+ evidence removal (1/s)"]!.extra!.removalSqlMs as { p95: number };
  const open = phases["+ opening a 53,000-school cycle"]!.extra! as { delayOverBaselineMs: number; openStatus: number };
  const targets: [string, boolean, string][] = [
    // Each user edits its own item and follows its answers' versions: a conflict means the bench itself is wrong.
    ["paced and closed-loop saves: no conflict, no error", phaseRows.every((r) => r.conflicts === 0 && r.errors === 0) && closed.conflicts === 0 && closed.errors === 0, `${phaseRows.reduce((n, r) => n + r.conflicts + r.errors, 0) + (closed.conflicts as number) + (closed.errors as number)}`],
    ...phaseRows.slice(1).map((r) => [`save p95 ${r.phase} ≤ 1.5× alone`, r.ratioP95 <= 1.5, `${r.ratioP95}×`] as [string, boolean, string]),
    ["evidence removal < 5 ms nationally (service p95, after the load)", removal.p95 < 5, `${removal.p95} ms, of which in SQLite on the thread ${removalSql.p95} ms (HTTP round trip under load: p95 ${removalHttp.p95} ms)`],
    ...Object.entries(pages).map(([k, v]) => [`Sở ${k}: ≤ 1.3× province and < 30 ms`, v.ratio <= 1.3 && v.nationalMs < 30, `${v.ratio}×, ${v.nationalMs} ms`] as [string, boolean, string]),
    ["server CPU per save < 0.5 ms (≤ 10× the raw write)", (closed.serverCpuMsPerSave as number) < 0.5 && (closed.ratioToRawWrite as number) <= 10, `${closed.serverCpuMsPerSave} ms, ${closed.ratioToRawWrite}× the raw write (${rawWriteUs} µs)`],
    ["≥ 1,500 saves/s closed loop", (closed.savesPerSecond as number) >= 1500, `${closed.savesPerSecond}/s over ${WORKERS} processes`],
    ["no HTML page over 300 KB", Object.values(sizes).every((b) => b < 300_000), `largest ${Math.max(...Object.values(sizes))} B`],
    ["opening 53,000 schools delays a save ≤ 50 ms", open.openStatus === 200 && open.delayOverBaselineMs <= 50, `+${open.delayOverBaselineMs} ms (HTTP ${open.openStatus})`],
  ];
  log("\n== Mục tiêu ==");
  for (const [name, ok, fig] of targets) log(`${ok ? "✓" : "✗"} ${name}: ${fig}`);
  const out = { shape, workers: WORKERS, cores: os.cpus().length, phaseSeconds: PHASE, phases: phaseRows, closedLoop: closed, pages, sizes, targets: targets.map(([name, ok, figure]) => ({ name, ok, figure })) };
  if (process.env.BENCH_JSON) fs.writeFileSync(process.env.BENCH_JSON, JSON.stringify(out, null, 2));
}

/** Removes a school year's cycles (and their assessments) left by the cycle-open phase. */
function dropCycle(file: string, year: string) {
  const d = new Database(file);
  d.pragma("busy_timeout = 30000");
  d.pragma("foreign_keys = ON");
  const ids = (d.prepare("SELECT id FROM cycles WHERE school_year = ?").all(year) as { id: number }[]).map((r) => r.id);
  if (ids.length) {
    d.transaction(() => {
      for (const id of ids) {
        d.prepare("UPDATE audit_log SET assessment_id = NULL WHERE assessment_id IN (SELECT id FROM assessments WHERE cycle_id = ?)").run(id);
        d.prepare("DELETE FROM audit_log WHERE entity_type = 'cycle' AND entity_id = ?").run(String(id));
        d.prepare("DELETE FROM assessments WHERE cycle_id = ?").run(id);
        d.prepare("DELETE FROM leases WHERE key = ?").run(`cycle.open:${id}`);
        d.prepare("DELETE FROM cycles WHERE id = ?").run(id);
      }
    })();
    // Copied into the file here, by this process: not by the server's checkpointer during the next phase,
    // whose CPU the closed loop counts as the saves'.
    d.pragma("wal_checkpoint(TRUNCATE)");
  }
  d.close();
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  },
);
