/**
 * Benchmark: saving an answer with 50 concurrent users on the demo (autocannon).
 *   npm run bench:save            (BENCH_SECONDS=10 BENCH_CONNECTIONS=50 to change)
 * Starts the real server (node scripts/serve.mjs --demo) on a temporary database in a child
 * process, gives 50 school users a session each, then every connection saves its own item
 * answer and note again and again, keeping its base version from each response as the form does.
 * Prints requests/s and latency percentiles (p50, p95, p99) measured per request.
 * BENCH_RATE: total saves per second (default = BENCH_CONNECTIONS, one save per user per second,
 * faster than the form's autosave allows), each user from a random offset (autocannon's rate
 * limit fires every connection of an instance in the same instant, which no group of people
 * does, so each user is its own one-connection instance); BENCH_RATE=0 is the closed-loop
 * stress test: every user saves again the moment the last save answers.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import autocannon from "autocannon";
import { eq } from "drizzle-orm";

const SECONDS = Number(process.env.BENCH_SECONDS || 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS || 50);
const PORT = Number(process.env.BENCH_PORT || 3917);
/** Saves per second across all users (0: as fast as possible, a stress test). Default: each user saves once a second. */
const RATE = process.env.BENCH_RATE !== undefined ? Number(process.env.BENCH_RATE) : CONNECTIONS;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cds-bench-save-"));
process.env.DATABASE_PATH = path.join(dir, "bench.sqlite");
process.env.SESSION_SECRET = "bench-secret";
process.env.COOKIE_SECURE = "false";

async function waitFor(url: string, ms = 60_000) {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      /* not yet */
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`server did not start: ${url}`);
}

const server = spawn(process.execPath, [...(process.env.BENCH_PROFILE ? ["--cpu-prof", "--cpu-prof-dir=" + process.env.BENCH_PROFILE] : []), "scripts/serve.mjs", "--demo"], {
  env: { ...process.env, PORT: String(PORT), HOST: "127.0.0.1", NODE_ENV: "production" },
  stdio: ["ignore", "inherit", "inherit"],
});
const stop = () => server.kill("SIGINT");
process.on("exit", stop);

try {
  await waitFor(`http://127.0.0.1:${PORT}/login`);
  const { getDb } = await import("../app/server/db/client.server");
  const { assessments, schools } = await import("../app/server/db/schema.server");
  const { createUser } = await import("../app/server/services/org.server");
  const { createSession } = await import("../app/server/auth/session.server");
  const { getCsrfToken } = await import("../app/server/auth/csrf.server");
  const db = getDb();
  const rows = db.select({ id: assessments.id, schoolId: assessments.schoolId, version: assessments.version }).from(assessments).innerJoin(schools, eq(assessments.schoolId, schools.id)).all();
  if (rows.length === 0) throw new Error("the demo has no open assessments");
  const ITEMS = ["1.3.1", "1.3.2", "1.3.3", "1.3.4", "1.3.5", "1.5.2", "1.7.3", "2.3.1", "2.3.2", "2.3.3"];
  const clients: { path: string; cookie: string; csrf: string; item: string; assessment: number }[] = [];
  for (let i = 0; i < CONNECTIONS; i++) {
    const a = rows[i % rows.length];
    const userId = await createUser({ username: `bench${i}`, displayName: `Bench ${i}`, password: "bench-password-1", roles: ["school_staff"], schoolId: a.schoolId }, null, db);
    const session = (await createSession(userId)).split(";")[0];
    // CSRF tokens are bound to the session: each client gets its session's token.
    const { token: csrf } = await getCsrfToken(new Request("http://x/", { headers: { Cookie: session } }));
    clients.push({ path: `/danh-gia/${a.id}/luu`, cookie: session, csrf, item: ITEMS[Math.floor(i / rows.length) % ITEMS.length], assessment: a.id });
  }

  const latencies: number[] = [];
  let conflicts = 0;
  let errors = 0;
  // Like the form: each save names the version of its item the user last saw (from the previous answer).
  const bodyFor = (me: (typeof clients)[number], flip: boolean, seen: number) =>
    new URLSearchParams({ _csrf: me.csrf, payload: JSON.stringify({ baseVersion: seen, changes: { [me.item]: { value: flip, note: `ghi chú ${Date.now()}`, seen } } }) }).toString();
  // One connection is one user: its own session, its own item, a new value every save.
  type Client = {
    setRequests: (r: Record<string, unknown>[]) => void;
    on: (e: string, f: (...args: never[]) => void) => void;
  };
  const setupFor = (me: (typeof clients)[number]) => (client: Client) => {
    let flip = false;
    let seen = 0;
    const request = (value: boolean) => ({
      method: "POST",
      path: me.path,
      headers: { "content-type": "application/x-www-form-urlencoded", cookie: me.cookie, accept: "application/json" },
      body: bodyFor(me, value, seen),
    });
    // The answer comes before the "response" event: follow the version it carries.
    client.on("body", ((buf: Buffer) => {
      try {
        const d = JSON.parse(buf.toString()) as { ok: boolean; version?: number; theirs?: { version: number }[] };
        if (d.ok && typeof d.version === "number") seen = d.version;
        else if (d.theirs?.[0]) seen = d.theirs[0].version;
      } catch {
        // not JSON (an error page): counted by the response handler
      }
    }) as never);
    client.setRequests([request(flip)]);
    client.on("response", ((status: number, _bytes: number, responseTime: number) => {
      latencies.push(responseTime);
      if (status === 409) conflicts++;
      else if (status !== 200) errors++;
      flip = !flip;
      client.setRequests([request(flip)]);
    }) as never);
  };
  const started = performance.now();
  if (RATE > 0) {
    // Paced: people do not save in step, and autocannon's rate limit fires all connections of one
    // instance in the same instant. So each user is its own one-connection autocannon instance,
    // started at a random offset within the first period, saving RATE/CONNECTIONS times a second.
    const period = (CONNECTIONS / RATE) * 1000;
    await Promise.all(
      clients.map(async (me) => {
        await new Promise((r) => setTimeout(r, Math.random() * period));
        await autocannon({ url: `http://127.0.0.1:${PORT}`, connections: 1, duration: SECONDS, pipelining: 1, connectionRate: RATE / CONNECTIONS, setupClient: setupFor(me) } as never);
      }),
    );
  } else {
    let next = 0;
    await autocannon({
      url: `http://127.0.0.1:${PORT}`,
      connections: CONNECTIONS,
      duration: SECONDS,
      pipelining: 1,
      setupClient: (client: Client) => setupFor(clients[next++ % CONNECTIONS])(client),
    } as never);
  }
  const requestsPerSecond = Math.round(latencies.length / ((performance.now() - started) / 1000));

  latencies.sort((a, b) => a - b);
  const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))];
  console.log(
    JSON.stringify(
      {
        connections: CONNECTIONS,
        seconds: SECONDS,
        mode: RATE > 0 ? `paced: ${RATE} saves/s in all (each user about one save every ${(CONNECTIONS / RATE).toFixed(1)} s)` : "stress: every user saves again as soon as the last save answers",
        requests: latencies.length,
        requestsPerSecond,
        latencyMs: { p50: +pct(50).toFixed(1), p95: +pct(95).toFixed(1), p99: +pct(99).toFixed(1), max: +latencies[latencies.length - 1].toFixed(1) },
        conflicts,
        errors,
        tool: "autocannon",
        target: "p95 < 50 ms",
      },
      null,
      2,
    ),
  );
} finally {
  stop();
  fs.rmSync(dir, { recursive: true, force: true });
}
