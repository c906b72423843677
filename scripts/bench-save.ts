/**
 * Benchmark: saving an answer with 50 concurrent users on the demo (autocannon).
 *   npm run bench:save            (BENCH_SECONDS=10 BENCH_CONNECTIONS=50 BENCH_WARMUP=3 to change)
 * Starts the real server (node scripts/serve.mjs --demo) on a temporary database in a child
 * process, and refuses to run (exit 1) when the port is already taken, or when the server that
 * answers is not its own child (its "đang chạy tại" line, and the listening socket is an open file
 * of its process tree: bench-lib.mjs startOwnServer). Gives 50 school users a session each; every
 * connection then saves its own item answer and note again and again, sending as `baseVersion`
 * and `seen` the version of the previous answer (200 `{ ok, version }`, 409 `{ version, theirs }`),
 * as the form does. The first BENCH_WARMUP seconds (default 3) are not counted; then, over
 * BENCH_SECONDS, it prints as JSON: saves/s over all server processes, latency percentiles, 409
 * conflicts and other errors, and the CPU used over the measured window, read from /proc: the
 * server's process tree (utime + stime; the primary and its workers when WEB_CONCURRENCY > 1) per
 * save, this client's own CPU, and the whole machine's.
 * BENCH_RATE: total saves per second (default = BENCH_CONNECTIONS, one save per user per second,
 * faster than the form's autosave allows), each user from a random offset (autocannon's rate
 * limit fires every connection of an instance in the same instant, which no group of people
 * does, so each user is its own one-connection instance); BENCH_RATE=0 is the closed-loop
 * stress test: every user saves again the moment the last save answers.
 * WEB_CONCURRENCY=N is passed to the server (N processes). BENCH_PORT (default 3917).
 * BENCH_PIN=1 (where taskset exists): the server on CPU 0 (all its processes), this client on CPU 1,
 * so client and server do not take turns on the same core; off by default.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import autocannon from "autocannon";
import { eq } from "drizzle-orm";
import { CLK_TCK, cpuTicksOf, cpusAllowed, hasTaskset, latencySummary, machineCpu, pinSelf, startOwnServer, webConcurrencyOf } from "./bench-lib.mjs";

const SECONDS = Number(process.env.BENCH_SECONDS || 10);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 3);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS || 50);
const PORT = Number(process.env.BENCH_PORT || 3917);
/** Saves per second across all users (0: as fast as possible, a stress test). Default: each user saves once a second. */
const RATE = process.env.BENCH_RATE !== undefined && process.env.BENCH_RATE !== "" ? Number(process.env.BENCH_RATE) : CONNECTIONS;
const PIN = process.env.BENCH_PIN === "1";
const WORKERS = webConcurrencyOf(process.env.WEB_CONCURRENCY);

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cds-bench-save-"));
process.env.DATABASE_PATH = path.join(dir, "bench.sqlite");
process.env.SESSION_SECRET = "bench-secret";
process.env.COOKIE_SECURE = "false";

let pinned: string | null = null;
if (PIN) {
  if (!hasTaskset()) {
    console.error("BENCH_PIN=1: taskset is not installed; running unpinned.");
  } else if (os.cpus().length < 2) {
    console.error("BENCH_PIN=1: fewer than 2 CPUs; running unpinned.");
  } else {
    pinned = pinSelf("1") ? "server on CPU 0, this client on CPU 1" : null;
    if (!pinned) console.error("BENCH_PIN=1: could not pin this process; running unpinned.");
  }
}

let server: Awaited<ReturnType<typeof startOwnServer>>;
try {
  server = await startOwnServer({
    port: PORT,
    args: ["--demo"],
    nodeArgs: process.env.BENCH_PROFILE ? ["--cpu-prof", "--cpu-prof-dir=" + process.env.BENCH_PROFILE] : [],
    env: { ...process.env, HOST: "127.0.0.1", NODE_ENV: "production" },
    pin: pinned ? "0" : null,
  });
} catch (e) {
  console.error(`bench:save: ${(e as Error).message}`);
  fs.rmSync(dir, { recursive: true, force: true });
  process.exit(1);
}
process.on("exit", () => server.child.kill("SIGINT"));

let failed = false;
try {
  // One request through the port, to be sure it answers.
  const probe = await fetch(`http://127.0.0.1:${PORT}/login`);
  if (!probe.ok) throw new Error(`GET /login answered ${probe.status}`);
  await probe.arrayBuffer();

  const { getDb } = await import("../app/server/db/client.server");
  const { assessments, schools } = await import("../app/server/db/schema.server");
  const { createUser } = await import("../app/server/services/org.server");
  const { createSession } = await import("../app/server/auth/session.server");
  const { getCsrfToken } = await import("../app/server/auth/csrf.server");
  const db = getDb();
  const rows = db
    .select({ id: assessments.id, schoolId: assessments.schoolId, version: assessments.version, status: assessments.status })
    .from(assessments)
    .innerJoin(schools, eq(assessments.schoolId, schools.id))
    .all()
    .filter((r) => r.status === "draft" || r.status === "returned");
  if (rows.length === 0) throw new Error("the demo has no open assessments");
  const ITEMS = ["1.3.1", "1.3.2", "1.3.3", "1.3.4", "1.3.5", "1.5.2", "1.7.3", "2.3.1", "2.3.2", "2.3.3"];
  type Me = { path: string; cookie: string; csrf: string; item: string; assessment: number; seen: number; flip: boolean };
  const clients: Me[] = [];
  for (let i = 0; i < CONNECTIONS; i++) {
    const a = rows[i % rows.length];
    const userId = await createUser({ username: `bench${i}`, displayName: `Bench ${i}`, password: "bench-password-1", roles: ["school_staff"], schoolId: a.schoolId }, null, db);
    const session = (await createSession(userId)).split(";")[0];
    // CSRF tokens are bound to the session: each client gets its session's token.
    const { token: csrf } = await getCsrfToken(new Request("http://x/", { headers: { Cookie: session } }));
    // The user opened the form on the assessment as it is now: that is the version they saw.
    clients.push({ path: `/danh-gia/${a.id}/luu`, cookie: session, csrf, item: ITEMS[Math.floor(i / rows.length) % ITEMS.length], assessment: a.id, seen: a.version, flip: false });
  }

  // The measured window: [WARMUP, WARMUP + SECONDS] seconds after the load starts.
  let measuring = false;
  const latencies: number[] = [];
  const counts = { saves: 0, conflicts: 0, errors: 0, unreadable: 0, sent: 0, sentFollowing: 0 };
  const byStatus: Record<string, number> = {};
  // Like the form: each save names the version the user last saw (from the previous answer).
  const bodyFor = (me: Me) =>
    new URLSearchParams({ _csrf: me.csrf, payload: JSON.stringify({ baseVersion: me.seen, changes: { [me.item]: { value: me.flip, note: `ghi chú ${Date.now()}`, seen: me.seen } } }) }).toString();
  type Client = {
    setRequests: (r: Record<string, unknown>[]) => void;
    on: (e: string, f: (...args: never[]) => void) => void;
  };
  // One connection is one user: its own session, its own item, a new value every save. The state
  // (seen, flip) belongs to the user, not to the connection, so a reconnect keeps following.
  const setupFor = (me: Me) => (client: Client) => {
    let followed = false; // the version in the next request came from a response
    const request = () => ({
      method: "POST",
      path: me.path,
      headers: { "content-type": "application/x-www-form-urlencoded", cookie: me.cookie, accept: "application/json" },
      body: bodyFor(me),
      // autocannon calls this with the whole body (its "body" event gives chunks) before "response".
      onResponse: (status: number, body: string) => {
        try {
          const d = JSON.parse(body) as { ok?: boolean; version?: number; theirs?: { version: number }[] };
          if (status === 200 && d.ok && typeof d.version === "number") {
            me.seen = d.version;
            followed = true;
          } else if (status === 409 && typeof d.version === "number") {
            // The conflict answers the assessment's version and their change: the form shows it, the user keeps theirs.
            me.seen = Math.max(d.version, ...(d.theirs ?? []).map((t) => t.version));
            followed = true;
          } else followed = false;
        } catch {
          followed = false;
          if (measuring) counts.unreadable++;
        }
      },
    });
    client.setRequests([request()]);
    client.on("response", ((status: number, _bytes: number, responseTime: number) => {
      if (measuring) {
        latencies.push(responseTime);
        byStatus[status] = (byStatus[status] ?? 0) + 1;
        if (status === 200) counts.saves++;
        else if (status === 409) counts.conflicts++;
        else counts.errors++;
      }
      if (status === 200) me.flip = !me.flip;
      client.setRequests([request()]);
      if (measuring) {
        counts.sent++;
        if (followed) counts.sentFollowing++;
      }
    }) as never);
  };

  type Snap = { at: number; server: number; gone: number[]; client: NodeJS.CpuUsage; machine: { busy: number; total: number } };
  const snap = (): Snap => {
    const s = cpuTicksOf(server.pids);
    return { at: performance.now(), server: s.ticks, gone: s.gone, client: process.cpuUsage(), machine: machineCpu() };
  };
  let first: Snap | undefined;
  let last: Snap | undefined;
  const windowTimers = [
    setTimeout(() => {
      first = snap();
      measuring = true;
    }, WARMUP * 1000),
    setTimeout(() => {
      measuring = false;
      last = snap();
    }, (WARMUP + SECONDS) * 1000),
  ];

  // Every run lasts past the end of the window (paced users start at an offset of up to one period).
  const period = RATE > 0 ? (CONNECTIONS / RATE) * 1000 : 0;
  const duration = WARMUP + SECONDS + Math.ceil(period / 1000) + 1;
  if (RATE > 0) {
    // Paced: people do not save in step, and autocannon's rate limit fires all connections of one
    // instance in the same instant. So each user is its own one-connection autocannon instance,
    // started at a random offset within the first period, saving RATE/CONNECTIONS times a second.
    await Promise.all(
      clients.map(async (me) => {
        await new Promise((r) => setTimeout(r, Math.random() * period));
        await autocannon({ url: `http://127.0.0.1:${PORT}`, connections: 1, duration, pipelining: 1, connectionRate: RATE / CONNECTIONS, setupClient: setupFor(me) } as never);
      }),
    );
  } else {
    let next = 0;
    await autocannon({
      url: `http://127.0.0.1:${PORT}`,
      connections: CONNECTIONS,
      duration,
      pipelining: 1,
      setupClient: (client: Client) => setupFor(clients[next++ % CONNECTIONS])(client),
    } as never);
  }
  windowTimers.forEach(clearTimeout);
  if (!first || !last) throw new Error("the load ended before the measured window did");
  if (!server.alive() || last.gone.length > 0) throw new Error(`a server process exited during the run (${last.gone.join(", ") || server.pid}): the figures are not the server's`);

  const windowS = (last.at - first.at) / 1000;
  const serverCpuMs = ((last.server - first.server) * 1000) / CLK_TCK;
  const clientCpuMs = (last.client.user - first.client.user + last.client.system - first.client.system) / 1000;
  const machineBusy = (last.machine.busy - first.machine.busy) / Math.max(1, last.machine.total - first.machine.total);
  const perSave = (ms: number) => (counts.saves ? +(ms / counts.saves).toFixed(3) : null);
  const result = {
    connections: CONNECTIONS,
    serverProcesses: WORKERS,
    serverPids: server.pids,
    warmupSeconds: WARMUP,
    seconds: +windowS.toFixed(2),
    mode: RATE > 0 ? `paced: ${RATE} saves/s in all (each user about one save every ${(CONNECTIONS / RATE).toFixed(1)} s)` : "closed loop: every user saves again as soon as the last save answers",
    pinned: pinned ?? "no (BENCH_PIN=1 to pin the server to CPU 0 and the client to CPU 1)",
    cpusAllowed: { server: cpusAllowed(server.pid), client: cpusAllowed(process.pid) },
    requests: latencies.length,
    savesPerSecond: Math.round(counts.saves / windowS),
    latencyMs: latencySummary(latencies),
    conflicts: counts.conflicts,
    errors: counts.errors,
    statuses: byStatus,
    unreadableAnswers: counts.unreadable,
    /** Requests sent with the version of the previous answer (the rest: after an answer without one). */
    baseVersionFollowed: `${counts.sentFollowing}/${counts.sent}`,
    cpu: {
      clockTicksPerSecond: CLK_TCK,
      serverMs: Math.round(serverCpuMs),
      serverMsPerSave: perSave(serverCpuMs),
      serverCores: +(serverCpuMs / 1000 / windowS).toFixed(2),
      clientMs: Math.round(clientCpuMs),
      clientMsPerSave: perSave(clientCpuMs),
      clientCores: +(clientCpuMs / 1000 / windowS).toFixed(2),
      machineBusy: `${Math.round(machineBusy * 100)}% of ${os.cpus().length} CPUs`,
    },
    tool: "autocannon (in this process)",
    target: "p95 < 50 ms; server CPU per save < 0.5 ms; closed loop ≥ 1,500 saves/s",
  };
  console.log(JSON.stringify(result, null, 2));
  if (counts.saves === 0) failed = true;
} catch (e) {
  console.error(e);
  failed = true;
} finally {
  await server.stop();
  fs.rmSync(dir, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
