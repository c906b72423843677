/**
 * Group commit for the answer saves of the lean handler (save-endpoint.server.ts).
 *
 * A save is a small write whose fixed cost is the transaction around it: BEGIN IMMEDIATE, the
 * COMMIT that appends the WAL frames, and the write-lock dance with the other server processes.
 * Saves that arrive in the same turn of the event loop are run one after another inside one
 * IMMEDIATE transaction: each save's door transaction becomes a SAVEPOINT of it (better-sqlite3
 * nests transactions), so a save the door refuses (conflict, stale, locked) rolls back only its
 * own writes, exactly as alone. Every save is answered after the one COMMIT, so no client is told
 * "saved" before its rows are durable; a later save in a batch sees the earlier ones (one
 * connection), which is the order they would have had one by one.
 *
 * A save that throws (a fault, not a refusal) rolls back the whole batch; each save of that batch
 * is then run again alone, so only the faulty one fails and nothing another save wrote is lost.
 */
import { getDb, withWriteLock, type Db } from "../db/client.server";

interface Job<R> {
  run: () => R;
  resolve: (r: R) => void;
  reject: (e: unknown) => void;
}

/** The most saves one transaction holds (the write lock is not kept from the other processes for long). */
export const MAX_BATCH = 32;

const queue: Job<unknown>[] = [];
let scheduled = false;
/** Figures for the benchmark and the tests: transactions run, saves in them. */
export const batchStats = { transactions: 0, saves: 0, retriedAlone: 0 };

/** Runs `run` (a save through the door) in the next group commit of this process; resolves after its COMMIT. */
export function inSaveBatch<R>(run: () => R, db: () => Db = getDb): Promise<R> {
  return new Promise<R>((resolve, reject) => {
    queue.push({ run, resolve, reject } as Job<unknown>);
    if (!scheduled) {
      scheduled = true;
      setImmediate(() => start(db));
    }
  });
}

/** The next group commit; when the database cannot even be opened, every waiting save is told so (nothing hangs). */
function start(db: () => Db): void {
  let d: Db;
  try {
    d = db();
  } catch (e) {
    scheduled = false;
    for (const j of queue.splice(0)) j.reject(e);
    return;
  }
  flush(d);
}

function alone(job: Job<unknown>): void {
  try {
    job.resolve(job.run());
  } catch (e) {
    job.reject(e);
  }
}

function flush(db: Db): void {
  const jobs = queue.splice(0, MAX_BATCH);
  if (queue.length) setImmediate(() => flush(db));
  else scheduled = false;
  batchStats.transactions++;
  batchStats.saves += jobs.length;
  if (jobs.length === 1) return alone(jobs[0]);
  let results: unknown[];
  try {
    const c = db.$client;
    results = withWriteLock(db, () => c.transaction(() => jobs.map((j) => j.run())).immediate());
  } catch {
    batchStats.retriedAlone += jobs.length;
    for (const j of jobs) alone(j);
    return;
  }
  jobs.forEach((j, i) => j.resolve(results[i]));
}
