/**
 * The start-up sweep of the evidence folder (bootstrap calls it before the server listens):
 *
 *  1. staging files (<root>/.tmp/*.part) that no running upload owns — left by a kill -9 or a crash
 *     mid-upload (LocalContentAddressedStorage.sweepStaging: this process's, dead processes' of this
 *     host, anything older than 24 h);
 *  2. orphan blobs: stored files that no `blobs` row refers to — left by a crash between "file
 *     committed" and "row written" (uploads write the file first), or between "row deleted" and
 *     "file removed" (detach). Only files older than ORPHAN_GRACE_MS are removed, so a sibling server
 *     process that has just committed a file and is writing its row is not robbed of it.
 *
 * The invariant kept: a blob row exists ⇔ its file is stored. Rows without a file are not touched here.
 * Across server processes: the sweep runs under the lease SWEEP_LEASE_KEY, and each orphan is removed
 * only while holding its blob's lease (app/server/db/lease.server.ts), skipped when another holds it.
 */
import fsp from "node:fs/promises";
import path from "node:path";
import type { Db } from "../db/client.server";
import { newLeaseOwner, releaseLease, tryAcquireLease, withLease } from "../db/lease.server";
import { isSha256, LocalContentAddressedStorage, type SweepResult } from "./storage.server";

export const ORPHAN_GRACE_MS = 10 * 60 * 1000;

export interface StartupSweepResult {
  staging: SweepResult;
  orphanBlobs: string[];
}

async function listDir(dir: string): Promise<string[]> {
  try {
    return await fsp.readdir(dir);
  } catch {
    return [];
  }
}

/** Stored files (by sha256) with no blobs row, older than the grace period, are removed. */
export async function sweepOrphanBlobs(db: Db, storage = new LocalContentAddressedStorage(), opts: { now?: number; graceMs?: number } = {}): Promise<string[]> {
  const now = opts.now ?? Date.now();
  const graceMs = opts.graceMs ?? ORPHAN_GRACE_MS;
  const hasRow = db.$client.prepare("SELECT 1 FROM blobs WHERE sha256 = ?").pluck();
  const removed: string[] = [];
  for (const a of await listDir(storage.root)) {
    if (!/^[0-9a-f]{2}$/.test(a)) continue;
    for (const b of await listDir(path.join(storage.root, a))) {
      if (!/^[0-9a-f]{2}$/.test(b)) continue;
      for (const name of await listDir(path.join(storage.root, a, b))) {
        if (!isSha256(name) || !name.startsWith(a + b)) continue;
        if (hasRow.get(name) !== undefined) continue;
        // The blob's own lease (the one uploads and removals hold, evidence.server withBlobLock): a file
        // another server process is writing or removing right now is left to it.
        const owner = newLeaseOwner();
        if (!tryAcquireLease(`blob:${name}`, owner, { db })) continue;
        try {
          const st = await fsp.stat(storage.pathOf(name));
          if (!st.isFile() || now - st.mtimeMs < graceMs) continue;
          // Asked again right before removing: a row may have been written meanwhile.
          if (hasRow.get(name) !== undefined) continue;
          await storage.remove(name);
          removed.push(name);
        } catch {
          /* gone meanwhile */
        } finally {
          releaseLease(`blob:${name}`, owner, db);
        }
      }
    }
  }
  return removed;
}

/** The lease the start-up sweep holds: two processes starting at once do not sweep side by side. */
export const SWEEP_LEASE_KEY = "sweep:startup";

/** Both sweeps, as run at start (under the sweep's lease). */
export async function sweepAtStart(db: Db, opts: { now?: number; orphanGraceMs?: number } = {}): Promise<StartupSweepResult> {
  return withLease(
    SWEEP_LEASE_KEY,
    async () => {
      const storage = new LocalContentAddressedStorage();
      const staging = await storage.sweepStaging({ now: opts.now });
      const orphanBlobs = await sweepOrphanBlobs(db, storage, { now: opts.now, graceMs: opts.orphanGraceMs });
      return { staging, orphanBlobs };
    },
    { db },
  );
}
