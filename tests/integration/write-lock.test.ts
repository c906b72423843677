/**
 * withWriteLock (app/server/db/client.server.ts): waiting for another connection's write lock
 * (another server process) in short steps instead of SQLite's busy-handler sleeps. A second
 * connection on the same file, in a worker thread, holds BEGIN IMMEDIATE.
 */
import { Worker } from "node:worker_threads";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { useTestDatabase } from "../helpers/db";
import { BUSY_TIMEOUT_MS, getDb, withWriteLock } from "~/server/db/client.server";

const file = useTestDatabase("write-lock");

/** A worker that takes the write lock, writes `key`, says "locked", holds it `holdMs`, commits, says "done". */
function holder(holdMs: number, key: string): { locked: Promise<void>; done: Promise<void> } {
  const w = new Worker(
    `const { parentPort, workerData } = require("node:worker_threads");
     const Database = require(workerData.module);
     const db = new Database(workerData.file);
     db.exec("BEGIN IMMEDIATE");
     db.prepare("INSERT INTO leases (key, owner, expires_at) VALUES (?, 'worker', 0)").run(workerData.key);
     parentPort.postMessage("locked");
     Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, workerData.holdMs);
     db.exec("COMMIT");
     db.close();
     parentPort.postMessage("done");`,
    { eval: true, workerData: { file: file(), holdMs, key, module: require.resolve("better-sqlite3") } },
  );
  let locked!: () => void;
  let done!: () => void;
  const p = { locked: new Promise<void>((r) => (locked = r)), done: new Promise<void>((r) => (done = r)) };
  w.on("message", (m) => (m === "locked" ? locked() : done()));
  return p;
}

const lease = (key: string) => getDb().$client.prepare("SELECT owner FROM leases WHERE key = ?").get(key) as { owner: string } | undefined;
const busyTimeout = () => getDb().$client.pragma("busy_timeout", { simple: true });

describe("withWriteLock", () => {
  it("waits while another connection holds the write lock, then writes after it", async () => {
    const db = getDb();
    const h = holder(60, "held-by-worker");
    await h.locked;
    const started = performance.now();
    withWriteLock(db, () => db.$client.transaction(() => db.$client.prepare("INSERT INTO leases (key, owner, expires_at) VALUES ('after', 'main', 0)").run()).immediate());
    const waited = performance.now() - started;
    await h.done;
    // It waited for the worker's commit (not refused at once), and both rows are there.
    expect(waited).toBeGreaterThan(30);
    expect(lease("held-by-worker")).toEqual({ owner: "worker" });
    expect(lease("after")).toEqual({ owner: "main" });
    expect(busyTimeout()).toBe(BUSY_TIMEOUT_MS);
  });

  it("gives up with SQLITE_BUSY after maxWaitMs, writes nothing and restores busy_timeout", async () => {
    const db = getDb();
    const h = holder(400, "long-hold");
    await h.locked;
    let error: unknown;
    try {
      withWriteLock(db, () => db.$client.transaction(() => db.$client.prepare("INSERT INTO leases (key, owner, expires_at) VALUES ('refused', 'main', 0)").run()).immediate(), 40);
    } catch (e) {
      error = e;
    }
    expect((error as { code?: string }).code).toBe("SQLITE_BUSY");
    expect(db.$client.inTransaction).toBe(false);
    expect(busyTimeout()).toBe(BUSY_TIMEOUT_MS);
    await h.done;
    expect(lease("refused")).toBeUndefined();
  });

  it("runs a nested call inside an open transaction directly", () => {
    const db = getDb();
    const c = db.$client;
    const n = c.transaction(() => withWriteLock(db, () => c.prepare("INSERT INTO leases (key, owner, expires_at) VALUES ('nested', 'main', 0)").run().changes)).immediate();
    expect(n).toBe(1);
    expect(lease("nested")).toEqual({ owner: "main" });
    expect(new Database(file(), { readonly: true }).prepare("SELECT count(*) AS n FROM leases WHERE key = 'nested'").get()).toEqual({ n: 1 });
  });
});
