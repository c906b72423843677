/**
 * Cross-process leases on the shared SQLite file (the `leases` table, migration 0004): several
 * server processes (WEB_CONCURRENCY) serve one database, and some work must not run in two of them
 * at once for the same key (a stored file being written or removed, the start-up sweep).
 *
 *   acquire  one statement, atomic under SQLite's write lock: insert the key, or take it over when
 *            the holder's lease has expired (a crashed or killed process); changes() = 1 means ours;
 *   renew    while held, every ttl/3, so a long holder (a large upload) keeps it;
 *   release  in finally, only our own row (key and owner);
 *   waiters  poll with a short, growing, jittered backoff (2 ms → 20 ms).
 *
 * Within one process, callers queue in front (withBlobLock's FIFO), so a process never polls
 * against itself. The owner is unique per acquisition: host, pid, a random process tag, a counter.
 */
import { randomBytes } from "node:crypto";
import os from "node:os";
import type Database from "better-sqlite3";
import { getDb, prepared, type Db } from "./client.server";

/** A lease lasts this long unless renewed (its holder renews every third of it). */
export const LEASE_TTL_MS = 30_000;
const POLL_MIN_MS = 2;
const POLL_MAX_MS = 20;

const processTag = `${os.hostname()}:${process.pid}:${randomBytes(4).toString("hex")}`;
let counter = 0;

/** A fresh owner id (one per acquisition). */
export function newLeaseOwner(): string {
  return `${processTag}:${++counter}`;
}

const statements = (db: Db) =>
  prepared(db, "lease.statements", () => {
    const c: Database.Database = db.$client;
    return {
      acquire: c.prepare(
        "INSERT INTO leases (key, owner, expires_at) VALUES (?, ?, ?) " +
          "ON CONFLICT(key) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at WHERE leases.expires_at < ?",
      ),
      renew: c.prepare("UPDATE leases SET expires_at = ? WHERE key = ? AND owner = ?"),
      release: c.prepare("DELETE FROM leases WHERE key = ? AND owner = ?"),
    };
  });

/** Takes `key` for `owner` when it is free or its lease has expired; true when it is now ours. */
export function tryAcquireLease(key: string, owner: string, opts: { ttlMs?: number; now?: number; db?: Db } = {}): boolean {
  const now = opts.now ?? Date.now();
  const db = opts.db ?? getDb();
  return statements(db).acquire.run(key, owner, now + (opts.ttlMs ?? LEASE_TTL_MS), now).changes === 1;
}

/** Extends our lease; false when it is no longer ours (it expired and another owner took it). */
export function renewLease(key: string, owner: string, opts: { ttlMs?: number; now?: number; db?: Db } = {}): boolean {
  const now = opts.now ?? Date.now();
  const db = opts.db ?? getDb();
  return statements(db).renew.run(now + (opts.ttlMs ?? LEASE_TTL_MS), key, owner).changes === 1;
}

/** Gives our lease back (a lease taken over by someone else is left alone). */
export function releaseLease(key: string, owner: string, db: Db = getDb()): void {
  statements(db).release.run(key, owner);
}

export interface LeaseOptions {
  ttlMs?: number;
  db?: Db;
  /** Give up (throw) after waiting this long; default: wait as long as it takes. */
  timeoutMs?: number;
}

export class LeaseTimeoutError extends Error {
  constructor(readonly key: string) {
    super(`lease ${key} not acquired in time`);
    this.name = "LeaseTimeoutError";
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Runs fn while holding the cross-process lease on `key` (waiting for it), renewing it while fn runs. */
export async function withLease<T>(key: string, fn: () => Promise<T> | T, opts: LeaseOptions = {}): Promise<T> {
  const ttlMs = opts.ttlMs ?? LEASE_TTL_MS;
  const db = opts.db ?? getDb();
  const owner = newLeaseOwner();
  const started = Date.now();
  let wait = POLL_MIN_MS;
  while (!tryAcquireLease(key, owner, { ttlMs, db })) {
    if (opts.timeoutMs !== undefined && Date.now() - started > opts.timeoutMs) throw new LeaseTimeoutError(key);
    await sleep(wait + Math.random() * wait);
    wait = Math.min(wait * 2, POLL_MAX_MS);
  }
  const renewer = setInterval(() => {
    try {
      if (!renewLease(key, owner, { ttlMs, db })) console.error(`lease ${key} was lost while held`);
    } catch (e) {
      console.error(`lease ${key} could not be renewed`, e);
    }
  }, Math.max(10, Math.floor(ttlMs / 3)));
  renewer.unref();
  try {
    return await fn();
  } finally {
    clearInterval(renewer);
    try {
      releaseLease(key, owner, db);
    } catch (e) {
      // The lease expires by itself; never hide fn's own outcome behind this.
      console.error(`lease ${key} could not be released`, e);
    }
  }
}
