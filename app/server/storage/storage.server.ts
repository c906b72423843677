/**
 * Evidence file storage: content-addressed by sha256, streamed, never buffered whole.
 *
 * The interface is deliberately small so that an S3-compatible implementation can replace the local
 * one later (multipart upload to a staging key while hashing → copy to `<sha256>` / delete staging on
 * commit, `HeadObject` for exists, `GetObject` stream for openRead, `DeleteObject` for remove).
 *
 *   putStream(source, { maxBytes })  writes the bytes to a staging place while hashing them and returns a
 *                                    StagedBlob; it throws BlobTooLargeError as soon as more than maxBytes
 *                                    arrive, and leaves nothing behind on any failure.
 *   staged.commit()                  makes the content addressable under its sha256 (idempotent: content
 *                                    already stored is kept once, `created: false`).
 *   staged.discard()                 drops the staged bytes (safe to call after commit: it does nothing).
 *   openRead(sha256)                 a Node Readable of the stored bytes (errors with ENOENT if absent).
 *   exists(sha256) / size(sha256)    presence and byte length.
 *   remove(sha256)                   deletes the stored content (no error when already absent).
 *
 * Two phases (stage, then commit) let the caller check what can only be known once the whole stream has
 * been read (the hash: is this a duplicate? the size against a quota) before anything becomes visible.
 *
 * Local layout: <root>/<sha[0..2]>/<sha[2..4]>/<sha256>, staging files in <root>/.tmp/ (same file
 * system, so the final rename is atomic). root = EVIDENCE_DIR, or <dirname(DATABASE_PATH)>/evidence.
 *
 * Staging files and who owns them: a staging file is named `<pid>@<host>~<time>-<random>.part`, after
 * the process that writes it. sweepStaging() (at every start, see startup.server) removes every staging
 * file that no running upload owns:
 *   - this process's files that no upload of this process is writing (at start: all of them, since a
 *     process that died with kill -9 may have had our pid);
 *   - files of this host whose process is gone (`kill(pid, 0)` answers ESRCH);
 *   - anything older than 24 h, whoever wrote it (files of another host — e.g. another container on a
 *     shared data folder, whose pids mean nothing here — and names of another format).
 * A live sibling server process on the same host keeps its in-flight staging files.
 */
import { createHash, randomBytes } from "node:crypto";
import fs from "node:fs";
import fsp from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { Readable } from "node:stream";
import { databasePath } from "../db/client.server";

export interface StagedBlob {
  readonly sha256: string;
  readonly size: number;
  /** Where the staged bytes are, for implementations that have a local file (diagnostics, tests). */
  readonly tempPath?: string;
  commit(): Promise<{ created: boolean }>;
  discard(): Promise<void>;
}

export interface PutOptions {
  /** Fail with BlobTooLargeError as soon as the stream exceeds this many bytes. */
  maxBytes: number;
}

export interface EvidenceStorage {
  putStream(source: AsyncIterable<Uint8Array>, opts: PutOptions): Promise<StagedBlob>;
  openRead(sha256: string): Readable;
  exists(sha256: string): Promise<boolean>;
  size(sha256: string): Promise<number | null>;
  remove(sha256: string): Promise<void>;
}

export class BlobTooLargeError extends Error {
  constructor(readonly maxBytes: number) {
    super(`blob larger than ${maxBytes} bytes`);
    this.name = "BlobTooLargeError";
  }
}

const SHA256_RE = /^[0-9a-f]{64}$/;

export function isSha256(s: unknown): s is string {
  return typeof s === "string" && SHA256_RE.test(s);
}

function assertSha(sha256: string): void {
  // The only way a path is built from outside input: refuse anything but 64 lowercase hex digits.
  if (!isSha256(sha256)) throw new Error("invalid sha256");
}

/** Default root: EVIDENCE_DIR, else an `evidence` folder next to the database file. */
export function evidenceRoot(): string {
  const dir = process.env.EVIDENCE_DIR;
  return path.resolve(dir && dir.trim() ? dir : path.join(path.dirname(databasePath()), "evidence"));
}

async function fsyncDir(dir: string): Promise<void> {
  // Makes the rename durable. Not supported on every platform/file system: best effort.
  try {
    const h = await fsp.open(dir, "r");
    try {
      await h.sync();
    } finally {
      await h.close();
    }
  } catch {
    /* ignore */
  }
}

/** This host, as it appears in staging file names. */
export function stagingHostTag(): string {
  return (os.hostname() || "host").replace(/[^A-Za-z0-9_.-]/g, "_").slice(0, 64) || "host";
}

const STAGING_NAME = /^(\d{1,10})@([A-Za-z0-9_.-]{1,64})~[0-9a-z]+-[0-9a-f]+\.part$/;

/** Owner of a staging file, from its name (null for names of another format). */
export function stagingOwner(name: string): { pid: number; host: string } | null {
  const m = STAGING_NAME.exec(name);
  return m ? { pid: Number(m[1]), host: m[2] } : null;
}

/** Whether a process with this pid runs on this host (EPERM: it runs, as another user). */
export function isProcessAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Staging files being written or waiting for commit/discard in THIS process (absolute paths). */
const globalForStaging = globalThis as unknown as { __cds4725Staging?: Set<string> };
const inFlight = (globalForStaging.__cds4725Staging ??= new Set<string>());

export interface SweepResult {
  removed: string[];
  kept: string[];
}

export const STAGING_MAX_AGE_MS = 24 * 60 * 60 * 1000;

export class LocalContentAddressedStorage implements EvidenceStorage {
  readonly root: string;
  readonly tmpDir: string;

  constructor(root: string = evidenceRoot()) {
    this.root = path.resolve(root);
    this.tmpDir = path.join(this.root, ".tmp");
  }

  /** Where content with this hash lives. */
  pathOf(sha256: string): string {
    assertSha(sha256);
    return path.join(this.root, sha256.slice(0, 2), sha256.slice(2, 4), sha256);
  }

  async putStream(source: AsyncIterable<Uint8Array>, opts: PutOptions): Promise<StagedBlob> {
    const hash = createHash("sha256");
    const tempPath = path.join(this.tmpDir, `${process.pid}@${stagingHostTag()}~${Date.now().toString(36)}-${randomBytes(8).toString("hex")}.part`);
    inFlight.add(tempPath);
    let handle: fsp.FileHandle | null = null;
    let size = 0;
    try {
      for await (const chunk of source) {
        if (chunk.byteLength === 0) continue;
        size += chunk.byteLength;
        if (size > opts.maxBytes) throw new BlobTooLargeError(opts.maxBytes);
        hash.update(chunk);
        if (!handle) {
          // Opened lazily: a source that fails before its first byte (e.g. a refused type) leaves nothing.
          await fsp.mkdir(this.tmpDir, { recursive: true });
          handle = await fsp.open(tempPath, "wx", 0o640);
        }
        // Awaiting each write is the back-pressure: the request body is read no faster than the disk takes it.
        let off = 0;
        while (off < chunk.byteLength) {
          const { bytesWritten } = await handle.write(chunk, off, chunk.byteLength - off);
          off += bytesWritten;
        }
      }
      if (!handle) {
        await fsp.mkdir(this.tmpDir, { recursive: true });
        handle = await fsp.open(tempPath, "wx", 0o640);
      }
      await handle.sync();
      await handle.close();
      handle = null;
    } catch (e) {
      if (handle) await handle.close().catch(() => undefined);
      await fsp.rm(tempPath, { force: true }).catch(() => undefined);
      inFlight.delete(tempPath);
      throw e;
    }

    const sha256 = hash.digest("hex");
    const target = this.pathOf(sha256);
    let settled = false;
    return {
      sha256,
      size,
      tempPath,
      commit: async () => {
        if (settled) throw new Error("staged blob already committed or discarded");
        settled = true;
        try {
          if (fs.existsSync(target)) {
            await fsp.rm(tempPath, { force: true });
            return { created: false };
          }
          const dir = path.dirname(target);
          await fsp.mkdir(dir, { recursive: true });
          await fsp.rename(tempPath, target);
          await fsyncDir(dir);
          return { created: true };
        } catch (e) {
          await fsp.rm(tempPath, { force: true }).catch(() => undefined);
          throw e;
        } finally {
          inFlight.delete(tempPath);
        }
      },
      discard: async () => {
        if (settled) return;
        settled = true;
        try {
          await fsp.rm(tempPath, { force: true });
        } finally {
          inFlight.delete(tempPath);
        }
      },
    };
  }

  openRead(sha256: string): Readable {
    return fs.createReadStream(this.pathOf(sha256));
  }

  async exists(sha256: string): Promise<boolean> {
    return (await this.size(sha256)) !== null;
  }

  async size(sha256: string): Promise<number | null> {
    try {
      const st = await fsp.stat(this.pathOf(sha256));
      return st.isFile() ? st.size : null;
    } catch {
      return null;
    }
  }

  async remove(sha256: string): Promise<void> {
    const file = this.pathOf(sha256);
    // unlink, not rm({ force }): one call to the thread pool instead of rm's lstat then unlink.
    try {
      await fsp.unlink(file);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
    }
    // Tidy the two fan-out folders when they become empty (rmdir refuses non-empty ones).
    for (const dir of [path.dirname(file), path.dirname(path.dirname(file))]) {
      try {
        await fsp.rmdir(dir);
      } catch {
        break;
      }
    }
  }

  /**
   * Removes the staging files that no running upload owns (see the top of this file). Run at every
   * start; safe at any time (this process's in-flight uploads and live siblings' files are kept).
   */
  async sweepStaging(opts: { now?: number; maxAgeMs?: number } = {}): Promise<SweepResult> {
    const now = opts.now ?? Date.now();
    const maxAgeMs = opts.maxAgeMs ?? STAGING_MAX_AGE_MS;
    const host = stagingHostTag();
    const result: SweepResult = { removed: [], kept: [] };
    let names: string[] = [];
    try {
      names = await fsp.readdir(this.tmpDir);
    } catch {
      return result;
    }
    for (const name of names) {
      const p = path.join(this.tmpDir, name);
      try {
        const st = await fsp.stat(p);
        if (!st.isFile()) continue;
        const owner = stagingOwner(name);
        let orphan: boolean;
        if (now - st.mtimeMs > maxAgeMs) orphan = true;
        else if (!owner || owner.host !== host) orphan = false;
        else if (owner.pid === process.pid) orphan = !inFlight.has(p);
        else orphan = !isProcessAlive(owner.pid);
        if (orphan) {
          await fsp.rm(p, { force: true });
          result.removed.push(name);
        } else {
          result.kept.push(name);
        }
      } catch {
        /* raced with its owner */
      }
    }
    return result;
  }
}

const globalForStorage = globalThis as unknown as { __cds4725Storage?: { key: string; storage: EvidenceStorage } };

/**
 * The process-wide storage: local, rooted at evidenceRoot() (re-created when that changes, as tests do).
 * setEvidenceStorage() installs another implementation (e.g. S3) for the whole process.
 */
export function getEvidenceStorage(): EvidenceStorage {
  const cached = globalForStorage.__cds4725Storage;
  if (cached?.key === "custom") return cached.storage;
  const root = evidenceRoot();
  if (cached?.key === root) return cached.storage;
  const storage = new LocalContentAddressedStorage(root);
  globalForStorage.__cds4725Storage = { key: root, storage };
  return storage;
}

export function setEvidenceStorage(storage: EvidenceStorage | null): void {
  if (storage) globalForStorage.__cds4725Storage = { key: "custom", storage };
  else delete globalForStorage.__cds4725Storage;
}
