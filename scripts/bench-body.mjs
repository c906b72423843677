// Oversized-body benchmark (issue 7, finding 1): one anonymous 256 MB urlencoded POST to /login must
// neither grow the server's memory nor stall other users.
//
//   npm run bench:body                 (BENCH_BODY_MB=512 for a larger body)
//
// What it does:
//   1. starts the real production server in this process (scripts/serve.mjs) on a fresh demo database;
//   2. from a CHILD process (so the sampled memory is the server's alone), streams a 256 MB urlencoded
//      body to POST /login, twice: once with its Content-Length declared, once chunked; the child
//      reports the status, the time to the answer, how many bytes it managed to send and whether the
//      connection ended cleanly (no reset, no hang);
//   3. meanwhile samples this process's RSS every 20 ms and times a GET /login every 100 ms (a user
//      loading the login page), reporting the slowest.
// Targets: 413 within 1 s, RSS growth < 50 MB, other users' page p100 < 200 ms. Exit 1 when one fails.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
process.chdir(root);

const SIZE_MB = Number(process.env.BENCH_BODY_MB || 256);
const MB = 1024 * 1024;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "cds4725-bench-body-"));
process.env.NODE_ENV = "production";
process.env.DATABASE_PATH = path.join(tmp, "bench.sqlite");
process.env.SESSION_SECRET = randomBytes(32).toString("hex");
process.env.COOKIE_SECURE = "false";

const { startServer } = await import("./serve.mjs");

const CLIENT = String.raw`
import http from "node:http";
const [port, mb, mode] = process.argv.slice(1);
const total = Number(mb) * 1024 * 1024;
const chunk = Buffer.alloc(64 * 1024, "a");
chunk.write("username=", 0);
const headers = { "Content-Type": "application/x-www-form-urlencoded" };
if (mode === "declared") headers["Content-Length"] = String(total);
const t0 = performance.now();
let sent = 0, status = 0, answeredMs = 0, ended = "pending";
const req = http.request({ host: "127.0.0.1", port: Number(port), path: "/login", method: "POST", headers, agent: false }, (res) => {
  status = res.statusCode; answeredMs = performance.now() - t0;
  res.resume();
  res.on("end", () => { ended = "clean"; finish(); });
});
req.on("error", (e) => { ended = ended === "clean" ? "clean" : "error: " + (e.code || e.message); finish(); });
let done = false;
function finish() { if (done) return; done = true; clearTimeout(timer); req.destroy(); process.stdout.write(JSON.stringify({ mode, status, answeredMs, sentMb: sent / 1048576, ended })); }
const timer = setTimeout(() => { ended = "hang (10 s)"; finish(); }, 10_000);
function pump() {
  while (!done && sent < total) {
    sent += chunk.length;
    if (!req.write(chunk)) return req.once("drain", pump);
  }
  if (!done) req.end();
}
pump();
`;

function runClient(port, mode) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--input-type=module", "-e", CLIENT, String(port), String(SIZE_MB), mode], { stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.on("exit", () => {
      try {
        resolve(JSON.parse(out));
      } catch (e) {
        reject(new Error(`client output: ${out}`));
      }
    });
  });
}

let server;
let failed = false;
try {
  server = await startServer({ demo: true, port: 0, host: "127.0.0.1", quiet: true });
  if (!server) throw new Error("the server did not start");
  const port = server.address().port;
  const base = `http://127.0.0.1:${port}`;
  const probe = await fetch(`${base}/login`);
  if (probe.status !== 200 || !(await probe.text()).includes("_csrf")) throw new Error(`GET /login on ${base} is not this app (${probe.status})`);
  for (let i = 0; i < 5; i++) await (await fetch(`${base}/login`)).text(); // warm-up
  globalThis.gc?.();
  const results = [];
  for (const mode of ["declared", "chunked"]) {
    const baseline = process.memoryUsage().rss / MB;
    let peak = baseline;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss / MB)), 20);
    const pageTimes = [];
    let probing = true;
    const prober = (async () => {
      while (probing) {
        const t0 = performance.now();
        await (await fetch(`${base}/login`)).text();
        pageTimes.push(performance.now() - t0);
        await new Promise((r) => setTimeout(r, 100));
      }
    })();
    const r = await runClient(port, mode);
    await new Promise((res) => setTimeout(res, 300));
    probing = false;
    await prober;
    clearInterval(sampler);
    results.push({ ...r, baseline, peak, growth: peak - baseline, slowestPage: Math.max(...pageTimes), pages: pageTimes.length });
  }
  console.log(`Anonymous ${SIZE_MB} MB urlencoded POST /login (server in this process, client in a child process)`);
  for (const r of results) {
    const ok = r.status === 413 && r.answeredMs < 1000 && r.growth < 50 && r.slowestPage < 200 && r.ended === "clean";
    if (!ok) failed = true;
    console.log(`  ${r.mode.padEnd(8)} ${r.status} after ${r.answeredMs.toFixed(0)} ms, ${r.sentMb.toFixed(1)} MB sent, connection ${r.ended}`);
    console.log(`           RSS ${r.baseline.toFixed(1)} → ${r.peak.toFixed(1)} MB (growth ${r.growth.toFixed(1)} MB, target < 50); slowest of ${r.pages} page loads meanwhile ${r.slowestPage.toFixed(1)} ms (target < 200) ${ok ? "OK" : "FAILED"}`);
  }
} catch (e) {
  console.error(e);
  failed = true;
} finally {
  server?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
