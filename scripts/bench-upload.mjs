// Upload memory benchmark: a 100 MB evidence file must stream to disk, not into memory.
//
//   npm run bench:upload                                  (builds the app if stale)
//   BENCH_UPLOAD_MB=250 npm run bench:upload
//
// What it does:
//   1. starts the real production server as a CHILD process (node scripts/serve.mjs --demo, on any free
//      port; bench-lib.mjs startOwnServer checks that the answering socket is the child's) on a temporary
//      database seeded with the demo province (its seed opens the current cycle); EVIDENCE_MAX_BYTES is
//      raised to 200 MB for the run;
//   2. logs in as truong.th1 over HTTP (GET /login for the CSRF cookie and hidden token, POST /login);
//   3. writes a 100 MB file that starts like a PDF to disk, hashing it;
//   4. uploads it from another child process (the client) as multipart form data streamed from disk
//      (fetch + ReadableStream body, duplex: "half");
//   5. samples every 50 ms the resident memory (VmRSS, /proc/<pid>/status) of the server's process tree
//      alone, and of the client separately, and prints the server's baseline, peak, steady (median of
//      the second half of the upload) and growth, the client's peak, and the upload time, and checks
//      the stored file's sha256; then restarts the server with a 10 MB limit on the same database and
//      shows that an over-limit upload is refused early (413).
// Target: server RSS growth < 50 MB. Exit code 1 when the target or a check fails.
import fs from "node:fs";
import path from "node:path";
import os from "node:os";
import { createHash, randomBytes, randomFillSync } from "node:crypto";
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import { percentile, processTree, rssKbOf, startOwnServer } from "./bench-lib.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
process.chdir(root);

const SIZE_MB = Number(process.env.BENCH_UPLOAD_MB || 100);
const TARGET_GROWTH_MB = 50;
const MB = 1024 * 1024;

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "cds4725-bench-upload-"));
process.env.NODE_ENV = "production";
process.env.DATABASE_PATH = path.join(tmp, "bench.sqlite");
process.env.EVIDENCE_DIR = path.join(tmp, "evidence");
process.env.EVIDENCE_MAX_BYTES = String(200 * MB);
process.env.SESSION_SECRET = randomBytes(32).toString("hex");
process.env.COOKIE_SECURE = "false";
process.env.HOST = "127.0.0.1";

const fmt = (n) => n.toFixed(1);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
/** The server, a child of this process: every RSS figure below is its process tree's alone. */
const start = (env = {}) => startOwnServer({ port: 0, args: ["--demo"], env: { ...process.env, ...env } });

function cookiesOf(res) {
  return (res.headers.getSetCookie?.() ?? []).map((c) => c.split(";")[0]);
}

/** The upload client, run in a child process: streams the multipart body from disk. */
const CLIENT = String.raw`
import fs from "node:fs";
const [url, cookie, csrf, file, name, itemCode] = process.argv.slice(1);
const boundary = "----cds4725bench" + Math.random().toString(16).slice(2);
const enc = new TextEncoder();
const field = (k, v) => "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + k + "\"\r\n\r\n" + v + "\r\n";
const head = enc.encode(field("_csrf", csrf) + field("intent", "upload") + field("itemCode", itemCode) + field("title", "Bench") +
  "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + name + "\"\r\nContent-Type: application/pdf\r\n\r\n");
const tail = enc.encode("\r\n--" + boundary + "--\r\n");
const src = fs.createReadStream(file, { highWaterMark: 256 * 1024 });
const it = src[Symbol.asyncIterator]();
let stage = 0;
const body = new ReadableStream({
  async pull(c) {
    if (stage === 0) { stage = 1; c.enqueue(head); return; }
    if (stage === 1) { const r = await it.next(); if (!r.done) { c.enqueue(new Uint8Array(r.value)); return; } stage = 2; c.enqueue(tail); return; }
    c.close();
  },
  cancel() { src.destroy(); },
});
const t0 = performance.now();
try {
  const res = await fetch(url, { method: "POST", body, duplex: "half", headers: { Cookie: cookie, Accept: "application/json", "Content-Type": "multipart/form-data; boundary=" + boundary } });
  const text = await res.text();
  process.stdout.write(JSON.stringify({ status: res.status, ms: performance.now() - t0, body: text.slice(0, 500) }));
} catch (e) {
  process.stdout.write(JSON.stringify({ status: 0, ms: performance.now() - t0, error: String(e && (e.cause?.code || e.message)) }));
}
`;

/** Runs the upload client; `onStart(pid)` is told its pid (to sample its memory). */
function uploadFromChild(args, onStart = (_pid) => {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--input-type=module", "-e", CLIENT, ...args], { stdio: ["ignore", "pipe", "inherit"] });
    if (child.pid) onStart(child.pid);
    let out = "";
    child.stdout.on("data", (c) => (out += c));
    child.on("error", reject);
    child.on("close", () => {
      try {
        resolve(JSON.parse(out));
      } catch {
        reject(new Error(`upload client printed: ${out}`));
      }
    });
  });
}

let server;
let failed = false;
try {
  server = await start();
  let base = `http://127.0.0.1:${server.port}`;

  // Log in as the demo head of school.
  const page = await fetch(`${base}/login`);
  const csrfCookie = cookiesOf(page);
  const html = await page.text();
  const csrf = /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
  if (!csrf) throw new Error("no CSRF token on /login");
  const login = await fetch(`${base}/login`, {
    method: "POST",
    redirect: "manual",
    headers: { Cookie: csrfCookie.join("; "), "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ _csrf: csrf, username: "truong.th1", password: "matkhau-demo", redirectTo: "/" }),
  });
  const session = cookiesOf(login).find((c) => c.startsWith("cds_session="));
  if (login.status !== 302 || !session) throw new Error(`login failed (${login.status})`);
  const cookie = [...csrfCookie, session].join("; ");
  // CSRF tokens are bound to the session: take the signed-in page's token, not the login form's.
  const home = await (await fetch(`${base}/`, { headers: { Cookie: cookie } })).text();
  const sessionCsrf = /name="_csrf" value="([^"]+)"/.exec(home)?.[1];
  if (!sessionCsrf) throw new Error("no CSRF token on the home page after login");

  // The head's draft assessment (the demo seed opens the current school year).
  const db = new Database(process.env.DATABASE_PATH, { readonly: true, fileMustExist: true });
  const row = db
    .prepare(
      `SELECT a.id FROM assessments a JOIN users u ON u.school_id = a.school_id JOIN cycles c ON c.id = a.cycle_id
       WHERE u.username = 'truong.th1' AND a.status IN ('draft', 'returned') AND c.status = 'open' ORDER BY c.school_year DESC LIMIT 1`,
    )
    .get();
  db.close();
  if (!row) throw new Error("truong.th1 has no draft assessment in the demo database (no open cycle?)");
  // `_data` makes it a Remix data request, answered with the action's JSON (as useFetcher does); without
  // it a POST to this UI route is a document request and Remix renders the page with the action data.
  const route = `/danh-gia/${row.id}/minh-chung?_data=${encodeURIComponent("routes/danh-gia.$id.minh-chung")}`;
  let url = `${base}${route}`;

  // A 100 MB file that starts like a PDF, written to disk in 1 MB chunks while hashing.
  const file = path.join(tmp, "bench.pdf");
  const hash = createHash("sha256");
  const fd = fs.openSync(file, "w");
  const chunk = Buffer.alloc(MB);
  for (let i = 0; i < SIZE_MB; i++) {
    randomFillSync(chunk);
    if (i === 0) chunk.write("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n", 0, "latin1");
    fs.writeSync(fd, chunk);
    hash.update(chunk);
  }
  fs.closeSync(fd);
  const expectedSha = hash.digest("hex");

  // Warm up the route (module loading, first queries) with a small upload, then measure.
  const small = path.join(tmp, "small.pdf");
  fs.writeFileSync(small, Buffer.concat([Buffer.from("%PDF-1.4\n"), randomBytes(64 * 1024)]));
  const warm = await uploadFromChild([url, cookie, sessionCsrf, small, "Khởi động.pdf", "1.1"]);
  if (warm.status !== 200) throw new Error(`warm-up upload failed: ${JSON.stringify(warm)}`);

  // The server's process tree (one process unless WEB_CONCURRENCY > 1), and the client's pid once it runs.
  const serverPids = processTree(server.pid);
  const serverMb = () => rssKbOf(serverPids) / 1024;
  await sleep(1000);
  const baseline = serverMb();
  /** @type {{ t: number, server: number, client: number }[]} */
  const samples = [];
  let clientPid = 0;
  const t0 = performance.now();
  const sample = () => samples.push({ t: performance.now() - t0, server: serverMb(), client: clientPid ? rssKbOf([clientPid]) / 1024 : 0 });
  const sampler = setInterval(sample, 50);
  const result = await uploadFromChild([url, cookie, sessionCsrf, file, "Kế hoạch CĐS 2025 (bench).pdf", "1.3.1"], (pid) => (clientPid = pid));
  clearInterval(sampler);
  const uploadMs = performance.now() - t0;
  sample();
  await sleep(1000);
  const after = serverMb();
  const peak = Math.max(baseline, ...samples.map((s) => s.server));
  // Steady: the median over the second half of the upload, when the stream runs at its pace.
  const secondHalf = samples.filter((s) => s.t >= uploadMs / 2 && s.t <= uploadMs).map((s) => s.server).sort((a, b) => a - b);
  const steady = secondHalf.length ? percentile(secondHalf, 50) : peak;
  const clientPeak = Math.max(0, ...samples.map((s) => s.client));
  const growth = peak - baseline;
  const stored = path.join(process.env.EVIDENCE_DIR, expectedSha.slice(0, 2), expectedSha.slice(2, 4), expectedSha);
  const storedOk = fs.existsSync(stored) && fs.statSync(stored).size === SIZE_MB * MB;
  const tempLeft = fs.existsSync(path.join(process.env.EVIDENCE_DIR, ".tmp")) ? fs.readdirSync(path.join(process.env.EVIDENCE_DIR, ".tmp")).length : 0;

  console.log(`Upload of ${SIZE_MB} MB (streamed multipart; server: child process ${serverPids.join(", ")}; client: another child process)`);
  let message = result.error ?? "";
  try {
    message = JSON.parse(result.body).message ?? message;
  } catch {
    message = (result.body ?? "").replace(/<[^>]+>/g, " ").replace(/\s+/g, " ").slice(0, 300);
  }
  console.log(`  response:           ${result.status} ${message}`);
  console.log(`  upload time:        ${(result.ms / 1000).toFixed(2)} s (${fmt(SIZE_MB / (result.ms / 1000))} MB/s)`);
  console.log(`  server RSS (VmRSS of the server's processes alone, ${samples.length} samples every 50 ms):`);
  console.log(`    baseline:         ${fmt(baseline)} MB`);
  console.log(`    peak:             ${fmt(peak)} MB`);
  console.log(`    steady:           ${fmt(steady)} MB (median of the upload's second half)`);
  console.log(`    1 s after:        ${fmt(after)} MB`);
  console.log(`    growth:           ${fmt(growth)} MB (peak − baseline; target < ${TARGET_GROWTH_MB} MB) ${growth < TARGET_GROWTH_MB ? "OK" : "TOO HIGH"}`);
  console.log(`  client RSS peak:    ${fmt(clientPeak)} MB (the upload client, not counted above)`);
  console.log(`  stored file:        ${storedOk ? "sha256 path, full size" : "MISSING"}; staging files left: ${tempLeft}`);
  if (result.status !== 200 || !storedOk || tempLeft !== 0 || growth >= TARGET_GROWTH_MB) failed = true;

  // An over-limit upload is refused as soon as the limit is passed: the same server, on the same
  // database (sessions are stored there), restarted with a 10 MB limit.
  await server.stop();
  server = await start({ EVIDENCE_MAX_BYTES: String(10 * MB) });
  base = `http://127.0.0.1:${server.port}`;
  url = `${base}${route}`;
  const other = path.join(tmp, "other.pdf");
  fs.copyFileSync(file, other);
  const ofd = fs.openSync(other, "r+");
  fs.writeSync(ofd, randomBytes(16), 0, 16, 1024); // different content, same size
  fs.closeSync(ofd);
  const refused = await uploadFromChild([url, cookie, sessionCsrf, other, "Quá lớn.pdf", "1.3.1"]);
  const tempAfter = fs.existsSync(path.join(process.env.EVIDENCE_DIR, ".tmp")) ? fs.readdirSync(path.join(process.env.EVIDENCE_DIR, ".tmp")).length : 0;
  console.log(`Over-limit upload (${SIZE_MB} MB against a 10 MB limit)`);
  console.log(`  response:           ${refused.status || "connection closed"} ${refused.error ?? ""} after ${(refused.ms / 1000).toFixed(2)} s; staging files left: ${tempAfter}`);
  if (tempAfter !== 0 || (refused.status !== 413 && refused.status !== 0)) failed = true;
} catch (e) {
  console.error(e);
  failed = true;
} finally {
  if (server) await server.stop();
  fs.rmSync(tmp, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
