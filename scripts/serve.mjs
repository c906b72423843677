// Production server: express + Remix. Applies migrations at start, then listens on PORT (default 3000).
//   npm start                      serves DATABASE_PATH (default data/cds4725.sqlite); never seeds demo data
//   node scripts/serve.mjs --demo  used by `npm run demo`: seeds the demo province into its own database
//   WEB_CONCURRENCY=N npm start    N server processes (node:cluster) on the one port and the one SQLite file
//                                  (WAL, busy_timeout): the primary migrates, bootstraps and seeds once, then
//                                  forks the workers; SIGTERM/SIGINT stop them all. Default 1: one process.
import cluster from "node:cluster";
import http from "node:http";
import path from "node:path";
import { pathToFileURL } from "node:url";
import express from "express";
import { buildIfNeeded } from "./build-if-needed.mjs";

/** TRUST_PROXY: "true"/"false", a hop count ("1"), or addresses/subnets ("loopback, 10.0.0.0/8"). */
export function parseTrustProxy(v) {
  const s = String(v).trim();
  if (s === "true") return true;
  if (s === "false") return false;
  if (/^\d+$/.test(s)) return Number(s);
  return s;
}

/** WEB_CONCURRENCY: how many server processes (default 1; at least 1). */
export function webConcurrency(v = process.env.WEB_CONCURRENCY) {
  const n = Number.parseInt(String(v ?? "1"), 10);
  return Number.isSafeInteger(n) && n > 1 ? Math.min(n, 64) : 1;
}

async function loadBuild() {
  process.env.NODE_ENV ??= "production";
  buildIfNeeded();
  const build = await import(pathToFileURL(path.resolve("build/index.js")).href);
  return { build, entry: build.entry.module };
}

/** The WAL checkpointer this process started (prepare), stopped when its server closes. */
let checkpointer = null;

/** Once per database, before any process serves: migrations (getDb), demo data, the first admin, the sweep. */
async function prepare(entry, { demo, quiet }) {
  // Checkpoints leave the request threads: set before the first connection opens, inherited by the workers.
  if (entry.startCheckpointer && process.env.CDS_NO_BACKGROUND_CHECKPOINT !== "1") process.env[entry.BACKGROUND_CHECKPOINT_ENV] = "1";
  if (demo) {
    const { seeded } = await entry.seedDemo();
    if (!quiet) console.log(seeded ? "Đã tạo dữ liệu mẫu (tỉnh demo, 32 trường, 5 tài khoản)." : "Dữ liệu mẫu đã có sẵn.");
  }
  const boot = await entry.bootstrap();
  if (boot.message && !quiet) (boot.ok ? console.log : console.error)(boot.message);
  // The cookie secret file (when SESSION_SECRET is not set) is created here, before any worker signs a cookie.
  if (boot.ok) entry.sessionSecret?.();
  if (boot.ok && process.env[entry.BACKGROUND_CHECKPOINT_ENV] === "1") checkpointer = entry.startCheckpointer(entry.databasePath());
  return boot.ok;
}

/** The express app on the build, listening. */
async function listen({ build, entry }, { port, host, quiet }) {
  const app = express();
  app.disable("x-powered-by");
  if (process.env.TRUST_PROXY) app.set("trust proxy", parseTrustProxy(process.env.TRUST_PROXY));

  // Security headers, cross-site refusal, the session check for writes and the body limits, all before
  // a byte of a body is read (app/server/http/guards.server.ts, reached through the build's entry).
  app.use(...entry.httpGuards());
  // The answer save (the form's autosave), answered in front of Remix with the route's own checks.
  app.use(entry.saveEndpoint());

  app.use("/build", express.static("build/public/build", { immutable: true, maxAge: "1y" }));
  app.use(express.static("build/public", { maxAge: "1h" }));
  // Remix, with each body counted as it is read (413 at the first byte over the route's limit).
  app.all(
    "*",
    entry.createRemixHandler({ build, mode: process.env.NODE_ENV, getLoadContext: (req) => ({ clientIp: req.ip ?? req.socket.remoteAddress ?? "unknown" }) }),
  );

  // The answer save also has its own door in front of express's router (same guards, same handler):
  // it is most of the traffic in the last week of May.
  const listener = entry.withFastSave ? entry.withFastSave(app, entry.httpGuards()) : app;
  return await new Promise((resolve) => {
    const server = http.createServer(listener);
    // Closing the server (tests, shutdown) also stops the threads it started: PDF workers, the checkpointer.
    server.on("close", () => {
      void entry.closePdfPool?.();
      void checkpointer?.stop();
      checkpointer = null;
    });
    server.listen(port, host, () => {
      const addr = server.address();
      const shownPort = typeof addr === "object" && addr ? addr.port : port;
      if (!quiet) console.log(`CĐS 4725 đang chạy tại http://localhost:${shownPort}${cluster.isWorker ? ` (tiến trình ${process.pid})` : ""}`);
      // Load the PDF workers now rather than on the first report.
      entry.warmPdfPool?.();
      resolve(server);
    });
  });
}

const defaults = () => ({ port: Number(process.env.PORT || 3000), host: process.env.HOST || "0.0.0.0" });

/** One server process (tests, scripts, WEB_CONCURRENCY=1): prepares the database, then listens. */
export async function startServer({ demo = false, port = defaults().port, host = defaults().host, quiet = false } = {}) {
  const loaded = await loadBuild();
  if (!(await prepare(loaded.entry, { demo, quiet }))) {
    process.exitCode = 1;
    return null;
  }
  return await listen(loaded, { port, host, quiet });
}

/**
 * WEB_CONCURRENCY > 1: this (primary) process prepares the database once and forks the workers,
 * which share the port (node:cluster) and only listen. A worker that dies is replaced; SIGTERM or
 * SIGINT stops them all, then the primary.
 */
async function startPrimary({ demo, workers }) {
  const loaded = await loadBuild();
  if (!(await prepare(loaded.entry, { demo, quiet: false }))) {
    process.exitCode = 1;
    return;
  }
  // The workers open the file this process migrated and checked, without doing it again each.
  if (loaded.entry.PREPARED_DATABASE_ENV) process.env[loaded.entry.PREPARED_DATABASE_ENV] = loaded.entry.databasePath();
  let stopping = false;
  const fork = () => cluster.fork({ CDS_WORKER: "1" });
  for (let i = 0; i < workers; i++) fork();
  cluster.on("exit", (worker, code, signal) => {
    if (stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
      return;
    }
    console.error(`Tiến trình ${worker.process.pid} dừng (${signal ?? code}); khởi động lại.`);
    setTimeout(fork, 500).unref();
  });
  const stop = () => {
    if (stopping) return;
    stopping = true;
    const live = Object.values(cluster.workers ?? {});
    if (live.length === 0) process.exit(0);
    for (const w of live) w?.process.kill("SIGTERM");
    // A worker that does not stop within 10 s is killed.
    setTimeout(() => {
      for (const w of Object.values(cluster.workers ?? {})) w?.process.kill("SIGKILL");
      process.exit(0);
    }, 10_000).unref();
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

async function startWorker() {
  for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => process.exit(0));
  const loaded = await loadBuild();
  await listen(loaded, defaults());
}

if (cluster.isWorker && process.env.CDS_WORKER === "1") {
  startWorker().catch((err) => {
    console.error(err);
    process.exit(1);
  });
} else if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const demo = process.argv.includes("--demo");
  const workers = webConcurrency();
  if (workers > 1) {
    startPrimary({ demo, workers }).catch((err) => {
      console.error(err);
      process.exit(1);
    });
  } else {
    // Exit cleanly on Ctrl-C / SIGTERM (lets --cpu-prof write its profile).
    for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => process.exit(0));
    startServer({ demo }).catch((err) => {
      console.error(err);
      process.exit(1);
    });
  }
}
