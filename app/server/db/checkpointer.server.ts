/**
 * WAL checkpoints off the request threads. In WAL mode SQLite copies the log back into the
 * database file ("checkpoint") from whichever connection's commit pushes the log past
 * wal_autocheckpoint pages (1,000 by default): that commit, and the one Node thread it runs on,
 * then waits for the copy and an fsync: on a 1 GB database, a stall of milliseconds every few
 * hundred saves, in every server process.
 *
 * The server (scripts/serve.mjs: the single process, or the cluster's primary) starts one
 * checkpointer: a worker thread with its own connection that runs `PRAGMA wal_checkpoint(PASSIVE)`
 * every CHECKPOINT_EVERY_MS (PASSIVE never waits for readers or writers). It sets
 * CDS_BACKGROUND_CHECKPOINT=1 before the database is opened, and openDatabase then raises the
 * request connections' wal_autocheckpoint to BACKGROUND_AUTOCHECKPOINT_PAGES: a safety net, so
 * that the log still stays bounded (about 80 MB) should the checkpointer stop.
 */
import { createRequire } from "node:module";
import path from "node:path";
import { Worker } from "node:worker_threads";

export const CHECKPOINT_EVERY_MS = 1000;
/** wal_autocheckpoint of the request connections while a checkpointer runs (pages of 4 KiB). */
export const BACKGROUND_AUTOCHECKPOINT_PAGES = 20_000;
export const BACKGROUND_CHECKPOINT_ENV = "CDS_BACKGROUND_CHECKPOINT";

export interface CheckpointTick {
  /** Frames in the log, and frames checkpointed, after this pass (PRAGMA wal_checkpoint). */
  log: number;
  checkpointed: number;
  busy: number;
}

export interface Checkpointer {
  stop(): Promise<void>;
  /** Called after every pass (tests, logging). */
  onTick(fn: (t: CheckpointTick) => void): void;
}

const CODE = `
const { parentPort, workerData } = require("node:worker_threads");
const Database = require(workerData.module);
const db = new Database(workerData.file);
db.pragma("busy_timeout = 0");
const pass = () => {
  try {
    const [r] = db.pragma("wal_checkpoint(PASSIVE)");
    parentPort.postMessage({ log: r.log, checkpointed: r.checkpointed, busy: r.busy });
  } catch (e) {
    parentPort.postMessage({ error: String(e && e.message || e) });
  }
};
const timer = setInterval(pass, workerData.everyMs);
parentPort.on("message", (m) => { if (m === "stop") { clearInterval(timer); pass(); db.close(); process.exit(0); } });
`;

/** Starts the checkpointer on `file` (the server's DATABASE_PATH). */
export function startCheckpointer(file: string, everyMs = CHECKPOINT_EVERY_MS): Checkpointer {
  // Resolved from the project, as the server's own better-sqlite3 is.
  const module = createRequire(path.join(process.cwd(), "package.json")).resolve("better-sqlite3");
  const worker = new Worker(CODE, { eval: true, workerData: { file: path.resolve(file), everyMs, module } });
  worker.unref();
  const listeners: ((t: CheckpointTick) => void)[] = [];
  let warned = false;
  worker.on("message", (m: CheckpointTick | { error: string }) => {
    if ("error" in m) {
      if (!warned) console.error(`WAL checkpoint: ${m.error}`);
      warned = true;
      return;
    }
    for (const l of listeners) l(m);
  });
  worker.on("error", (e) => console.error("WAL checkpointer stopped:", e));
  return {
    onTick: (fn) => void listeners.push(fn),
    stop: () =>
      new Promise<void>((resolve) => {
        worker.once("exit", () => resolve());
        worker.postMessage("stop");
      }),
  };
}
