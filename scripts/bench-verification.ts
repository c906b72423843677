/**
 * npm run bench:verification — the server time of the public verification page /xac-minh/:token
 * on a database with 1,500 certificates (one province, 1,500 schools, one issued decision; one
 * certificate in ten revoked), built in a fresh temporary directory and removed afterwards.
 *   - the page's loader (policy, token check, the certificate by its token, the edition's level names);
 *   - the JSON route's loader (/xac-minh/:token/json);
 *   - a wrong token (the 404);
 *   - the whole HTML document: root and page loaders and the React render, through Remix's request
 *     handler on the app's own entry, root and route (HTTP framing not counted).
 * Each run picks another certificate. The files are brought to "assessed" directly in SQL (the
 * review is not what is measured); the decision is made, filled and issued through the service.
 * Target (issue 9): < 20 ms server time (p95). BENCH_RUNS (default 200), BENCH_CERTIFICATES (1500).
 */
import fs from "node:fs";
import { register } from "node:module";
import os from "node:os";
import path from "node:path";
import { percentile } from "./bench-lib.mjs";

const RUNS = Number(process.env.BENCH_RUNS || 200);
const COUNT = Number(process.env.BENCH_CERTIFICATES || 1500);
const TARGET_MS = 20;

function log(s: string) {
  process.stdout.write(`${s}\n`);
}

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-verification-"));
  process.env.DATABASE_PATH = path.join(dir, "verification.sqlite");
  process.env.SESSION_SECRET ||= "bench-secret-not-for-production";
  process.env.PUBLIC_BASE_URL ||= "https://cds.example.vn";
  process.env.NODE_ENV ||= "production";
  try {
    await run();
  } finally {
    const { closeDb } = await import("../app/server/db/client.server");
    closeDb();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function run() {
  const { getDb } = await import("../app/server/db/client.server");
  await import("../app/server/services/catalogue-seed.server");
  const { createSchool, createUnit, createUser } = await import("../app/server/services/org.server");
  const { openCycle } = await import("../app/server/services/cycles.server");
  const { changeDecisionFiles, createDecision, issueDecision, revokeCertificate, updateDecision } = await import("../app/server/services/recognition.server");
  const { localDateOf } = await import("../app/utils/time");
  const db = getDb();
  const c = db.$client;
  const t0 = performance.now();

  // ── data: a province, 10 districts, COUNT schools reviewed by the Sở, one cycle ──
  const province = createUnit({ kind: "province", code: "SGD", name: "Sở Giáo dục và Đào tạo Tỉnh Thử", parentId: null }, null);
  const districts = Array.from({ length: 10 }, (_, i) => createUnit({ kind: "district", code: `PGD${i + 1}`, name: `Phòng GDĐT Huyện ${i + 1}`, parentId: province }, null));
  const admin = await createUser({ username: "so.bench", displayName: "Sở Thử", password: "mat-khau-bench-123", roles: ["office_admin", "office_reviewer"], unitId: province }, null);
  const types = ["TH", "THCS", "THPT"] as const;
  for (let i = 0; i < COUNT; i++)
    createSchool({ code: `T${String(i + 1).padStart(4, "0")}`, name: `Trường ${types[i % 3] === "TH" ? "Tiểu học" : types[i % 3]} Số ${i + 1}`, type: types[i % 3]!, managingUnitId: districts[i % 10]!, reviewingUnitId: province }, null);
  const now = Date.now();
  const year = new Date(now).getUTCFullYear();
  const schoolYear = `${year - 1}-${year}`;
  const opened = openCycle({ ownerUnitId: province, schoolYear, editionId: "qd-4725-2022", selfAssessmentDeadline: `${year}-05-31`, reviewDeadline: `${year}-06-20` }, admin);
  if (!opened.ok) throw new Error(`openCycle: ${JSON.stringify(opened)}`);
  // The external assessments finished (levels 1–3), directly: the review is not what is measured.
  c.prepare(
    `UPDATE assessments SET status = 'assessed', round = 1, self_level = 2, external_level = 1 + (school_id % 3),
       submitted_at = ?, approved_at = ?, external_finished_at = ?, updated_at = ?`,
  ).run(now, now, now, now);
  const files = (c.prepare("SELECT id FROM assessments ORDER BY id").all() as { id: number }[]).map((r) => r.id);

  // ── one decision for all of them, through the service (the door, serials, tokens) ──
  const d = createDecision(province, schoolYear, admin, now);
  if (!("id" in d)) throw new Error(`createDecision: ${d.message}`);
  const u = updateDecision(
    d.id,
    { number: "123/QĐ-SGDĐT", decidedOn: localDateOf(now), place: "Thành phố Thử", signerName: "Nguyễn Văn Ký", signerTitle: "Giám đốc", bases: [] },
    admin,
    1,
    now,
  );
  if (!("version" in u)) throw new Error(`updateDecision: ${u.message}`);
  const added = changeDecisionFiles(d.id, { add: files }, admin, now);
  if (!("version" in added)) throw new Error(`changeDecisionFiles: ${added.message}`);
  const issued = issueDecision(d.id, admin, added.version, now);
  if (!("serials" in issued)) throw new Error(`issueDecision: ${issued.message}`);
  const certs = c.prepare("SELECT id, token FROM certificates ORDER BY id").all() as { id: number; token: string }[];
  for (const cert of certs.filter((_, i) => i % 10 === 9)) {
    const r = revokeCertificate(cert.id, "Thu hồi để đo thời gian (thử nghiệm).", admin, now + 1000);
    if (!r.ok) throw new Error(`revokeCertificate: ${r.message}`);
  }
  const tokens = certs.map((x) => x.token);
  const revoked = (c.prepare("SELECT count(*) AS n FROM certificates WHERE revoked_at IS NOT NULL").get() as { n: number }).n;
  log(`Dữ liệu: ${tokens.length} giấy công nhận (${revoked} đã thu hồi), ${COUNT} trường, tạo trong ${((performance.now() - t0) / 1000).toFixed(1)} s.`);

  // ── the measured calls ──
  const page = await import("../app/routes/xac-minh.$token");
  // Spelled with its extension at run time (tsx would take ".json" for one); typed as TypeScript resolves it.
  const jsonFile: string = "../app/routes/xac-minh.$token.json.tsx";
  const jsonRoute = (await import(jsonFile)) as typeof import("../app/routes/xac-minh.$token.json");
  const anon = (url: string) => new Request(`http://localhost${url}`);
  const call = (loader: unknown, url: string, token: string) => async () => {
    try {
      return await (loader as (a: unknown) => Promise<Response>)({ request: anon(url), params: { token }, context: { clientIp: "127.0.0.1" } });
    } catch (e) {
      if (e instanceof Response) return e;
      throw e;
    }
  };
  // The whole document through Remix, on the app's entry, root and this route. The root's stylesheet
  // import is a URL in the Remix build; here a stand-in module gives one.
  const cssAsUrl = `export async function load(url, context, next) {
    if (url.endsWith(".css")) return { format: "module", source: "export default '/build/_assets/app.css';", shortCircuit: true };
    return next(url, context);
  }`;
  register(`data:text/javascript,${encodeURIComponent(cssAsUrl)}`);
  const { createRequestHandler } = await import("@remix-run/node");
  const { testBuild } = await import("../tests/helpers/http-server");
  const handle = createRequestHandler(testBuild({ "xac-minh/:token": page, "xac-minh/:token/json": jsonRoute }), "production");

  const results: { name: string; p50: number; p95: number }[] = [];
  async function time(name: string, status: number, fn: (token: string) => Promise<Response>, pick: (i: number) => string) {
    for (let i = 0; i < 5; i++) await (await fn(pick(i))).arrayBuffer(); // warm: prepared statements, caches
    const lat: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const token = pick(i * 7 + 11);
      const t = performance.now();
      const r = await fn(token);
      await r.arrayBuffer();
      lat.push(performance.now() - t);
      if (r.status !== status) throw new Error(`${name}: ${r.status} (expected ${status})`);
    }
    lat.sort((x, y) => x - y);
    results.push({ name, p50: percentile(lat, 50), p95: percentile(lat, 95) });
  }
  const some = (i: number) => tokens[i % tokens.length]!;
  const wrong = (i: number) => `${"Z".repeat(20)}${String(i % 10_000).padStart(4, "0")}`;
  await time("/xac-minh/:token (loader của trang)", 200, (t) => call(page.loader, `/xac-minh/${t}`, t)(), some);
  await time("/xac-minh/:token/json (loader JSON)", 200, (t) => call(jsonRoute.loader, `/xac-minh/${t}/json`, t)(), some);
  await time("/xac-minh/<mã sai> (404)", 404, (t) => call(page.loader, `/xac-minh/${t}`, t)(), wrong);
  await time("/xac-minh/:token (cả trang HTML)", 200, (t) => handle(anon(`/xac-minh/${t}`), { clientIp: "127.0.0.1" }), some);

  log(`\nbench:verification — ${tokens.length} giấy công nhận, ${RUNS} lần mỗi phép đo, thời gian xử lý của máy chủ (ms)`);
  let failed = 0;
  for (const r of results) {
    const pass = r.p95 < TARGET_MS;
    if (!pass) failed++;
    log(`${r.name.padEnd(40)} p50 ${r.p50.toFixed(2).padStart(7)}  p95 ${r.p95.toFixed(2).padStart(7)}  mục tiêu < ${TARGET_MS}  ${pass ? "đạt" : "CHƯA ĐẠT"}`);
  }
  const pageLoader = results[0]!;
  const whole = results[3]!;
  log(`verification: ${tokens.length} certificates, loader p50 ${pageLoader.p50.toFixed(2)} ms p95 ${pageLoader.p95.toFixed(2)} ms, page p50 ${whole.p50.toFixed(2)} ms p95 ${whole.p95.toFixed(2)} ms`);
  process.exitCode = failed ? 1 : 0;
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
