/**
 * Backup and restore of a CĐS 4725 installation: the SQLite database and the evidence files it
 * refers to. Used by scripts/backup.ts and scripts/restore.ts (npm run backup / restore).
 *
 * A backup folder holds
 *   database.sqlite   a consistent snapshot (SQLite's online backup API, one step, so one read
 *                     transaction: safe while the server runs and writes in WAL mode), turned
 *                     into a single self-contained file (journal_mode DELETE);
 *   evidence/ab/cd/<sha256>  every file the snapshot refers to (the blobs table, plus any
 *                     evidence.sha256), same layout as EVIDENCE_DIR, each one's sha256 checked;
 *   manifest.json     written last: its presence marks a complete backup (created at UTC,
 *                     source paths, row counts per table, file count and bytes, migration id,
 *                     the database file's sha256).
 *
 * Evidence files are copied AFTER the snapshot. They are content-addressed and never change, so
 * every file the snapshot refers to either exists or was deleted after the snapshot (an evidence
 * removed by its school: detachEvidence forgets the blob row, then removes the file). A file that
 * is missing is therefore handled by taking a new snapshot (up to 5 attempts; files already
 * copied are kept, files the final snapshot no longer refers to are dropped). A file still
 * missing after that is a real loss in the evidence store: the backup fails (exit 1) and names
 * it. A file whose content does not match its name fails at once (damaged store).
 *
 * A restore goes into an EMPTY data folder only (no database file at DATABASE_PATH, no file in
 * EVIDENCE_DIR): there is no --force, a mistaken restore must never overwrite live data. It checks
 * the manifest, the database file's hash, integrity_check, foreign_key_check and the row counts
 * on a temporary copy, copies and checks every evidence file, and moves the database into place
 * last, so an interrupted restore never leaves a database whose files are missing.
 */
import { createHash, randomBytes } from "node:crypto";
import fs from "node:fs";
import fsp from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import { backupText } from "../app/i18n/backup";
import { databasePath, migrationsDir } from "../app/server/db/client.server";
import { evidenceRoot, isSha256 } from "../app/server/storage/storage.server";
import { formatDateTime } from "../app/utils/time";

export const DB_FILE = "database.sqlite";
export const EVIDENCE_DIR = "evidence";
export const MANIFEST_FILE = "manifest.json";
export const FORMAT = "cds4725-backup";
export const FORMAT_VERSION = 1;

// ───────────────────────────── messages and errors ─────────────────────────────

export interface Msg {
  vi: string;
  en: string;
}

type Dict = typeof backupText.vi;
type Key = keyof Dict;
type ArgsOf<F> = F extends (...a: infer A) => string ? A : [];

export function say<K extends Key>(key: K, ...args: ArgsOf<Dict[K]>): Msg {
  const pickOne = (d: Dict): string => {
    const v = d[key] as unknown;
    return typeof v === "function" ? (v as (...a: unknown[]) => string)(...args) : String(v);
  };
  return { vi: pickOne(backupText.vi), en: pickOne(backupText.en as Dict) };
}

export const line = (m: Msg) => `${m.vi} | ${m.en}`;

/** A refusal with its exit code: 2 bad usage / target not empty, 1 failure. */
export class BackupError extends Error {
  constructor(
    readonly exitCode: 1 | 2,
    readonly msg: Msg,
  ) {
    super(line(msg));
    this.name = "BackupError";
  }
}

// ───────────────────────────── manifest ─────────────────────────────

export interface Migration {
  /** Tag from drizzle/meta/_journal.json, e.g. "0002_answer_versions" (null when unknown). */
  id: string | null;
  /** drizzle's created_at (the journal entry's `when`). */
  createdAt: number | null;
  hash: string | null;
  applied: number;
}

export interface Manifest {
  format: typeof FORMAT;
  formatVersion: number;
  /** UTC, ISO 8601. */
  createdAt: string;
  app: { name: string; version: string };
  source: { host: string; databasePath: string; evidenceDir: string };
  migration: Migration;
  database: { file: string; bytes: number; sha256: string; integrityCheck: string; foreignKeyViolations: number };
  /** Row count of every table of the snapshot. */
  tables: Record<string, number>;
  evidence: { dir: string; files: number; bytes: number };
  /** Snapshots taken (more than 1 when evidence was deleted during the backup). */
  attempts: number;
}

function appInfo(): { name: string; version: string } {
  try {
    const pkg = JSON.parse(fs.readFileSync(fileURLToPath(new URL("../package.json", import.meta.url)), "utf8")) as { name?: string; version?: string };
    return { name: pkg.name ?? "cds-4725", version: pkg.version ?? "0" };
  } catch {
    return { name: "cds-4725", version: "0" };
  }
}

interface JournalEntry {
  tag: string;
  when: number;
}

/** The app's migrations (drizzle/meta/_journal.json). */
export function appMigrations(dir = migrationsDir()): JournalEntry[] {
  try {
    const j = JSON.parse(fs.readFileSync(path.join(dir, "meta", "_journal.json"), "utf8")) as { entries?: JournalEntry[] };
    return (j.entries ?? []).filter((e) => typeof e.tag === "string" && typeof e.when === "number");
  } catch {
    return [];
  }
}

// ───────────────────────────── files ─────────────────────────────

/** <root>/ab/cd/<sha256>, as the evidence storage lays files out. */
export function blobPath(root: string, sha256: string): string {
  if (!isSha256(sha256)) throw new Error(`invalid sha256 ${sha256}`);
  return path.join(root, sha256.slice(0, 2), sha256.slice(2, 4), sha256);
}

async function fsyncPath(p: string): Promise<void> {
  try {
    const h = await fsp.open(p, "r");
    try {
      await h.sync();
    } finally {
      await h.close();
    }
  } catch {
    /* best effort (some file systems refuse to fsync a folder) */
  }
}

export async function sha256File(file: string): Promise<{ sha256: string; bytes: number }> {
  const hash = createHash("sha256");
  let bytes = 0;
  for await (const chunk of fs.createReadStream(file) as AsyncIterable<Buffer>) {
    hash.update(chunk);
    bytes += chunk.length;
  }
  return { sha256: hash.digest("hex"), bytes };
}

/**
 * Copies src to dest (through dest.part, then a rename) while hashing the bytes; returns their
 * sha256 and size. The partial file is removed on any failure. ENOENT of src is rethrown as is.
 */
export async function copyHashed(src: string, dest: string): Promise<{ sha256: string; bytes: number }> {
  await fsp.mkdir(path.dirname(dest), { recursive: true });
  const part = `${dest}.${randomBytes(4).toString("hex")}.part`;
  const hash = createHash("sha256");
  let bytes = 0;
  const tap = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      hash.update(chunk);
      bytes += chunk.length;
      cb(null, chunk);
    },
  });
  try {
    await pipeline(fs.createReadStream(src), tap, fs.createWriteStream(part, { flags: "wx", mode: 0o640 }));
    await fsyncPath(part);
    await fsp.rename(part, dest);
  } catch (e) {
    await fsp.rm(part, { force: true }).catch(() => undefined);
    throw e;
  }
  return { sha256: hash.digest("hex"), bytes };
}

/** Every file (not folder) under dir, relative paths; [] when dir does not exist. */
export async function listFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (rel: string) => {
    let entries: fs.Dirent[];
    try {
      entries = await fsp.readdir(path.join(dir, rel), { withFileTypes: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "ENOENT") return;
      throw e;
    }
    for (const d of entries) {
      const r = path.join(rel, d.name);
      if (d.isDirectory()) await walk(r);
      else out.push(r);
    }
  };
  await walk("");
  return out.sort();
}

function isInside(child: string, parent: string): boolean {
  const rel = path.relative(parent, child);
  return rel === "" || (!rel.startsWith("..") && !path.isAbsolute(rel));
}

// ───────────────────────────── the snapshot ─────────────────────────────

export interface BlobRef {
  sha256: string;
  /** From the blobs table; null for an evidence hash without a blob row (should not happen: FK). */
  size: number | null;
}

interface SnapshotInfo {
  tables: Record<string, number>;
  migration: Migration;
  integrityCheck: string;
  foreignKeyViolations: number;
  blobs: BlobRef[];
}

/** SQLite's online backup of `src` into `dest`, in one step (one read transaction: a consistent snapshot). */
async function snapshot(src: string, dest: string): Promise<void> {
  await fsp.rm(dest, { force: true });
  const db = new Database(src, { readonly: true, fileMustExist: true });
  try {
    db.pragma("busy_timeout = 10000");
    // better-sqlite3 runs a first step of 0 pages, then asks how many pages the next step copies:
    // all of them, so the copy happens within one read transaction and is never restarted by writes.
    await db.backup(dest, { progress: () => 0x7fffffff });
  } finally {
    db.close();
  }
}

function tablesOf(db: Database.Database): string[] {
  return db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").pluck().all() as string[];
}

const q = (name: string) => `"${name.replace(/"/g, '""')}"`;

export function rowCounts(db: Database.Database): Record<string, number> {
  const out: Record<string, number> = {};
  for (const t of tablesOf(db)) out[t] = db.prepare(`SELECT count(*) FROM ${q(t)}`).pluck().get() as number;
  return out;
}

function migrationOf(db: Database.Database, journal: JournalEntry[]): Migration {
  const has = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '__drizzle_migrations'").get();
  if (!has) return { id: null, createdAt: null, hash: null, applied: 0 };
  const last = db.prepare("SELECT hash, created_at AS createdAt FROM __drizzle_migrations ORDER BY created_at DESC, id DESC LIMIT 1").get() as
    | { hash: string; createdAt: number }
    | undefined;
  const applied = db.prepare("SELECT count(*) FROM __drizzle_migrations").pluck().get() as number;
  if (!last) return { id: null, createdAt: null, hash: null, applied };
  const createdAt = Number(last.createdAt);
  return { id: journal.find((e) => e.when === createdAt)?.tag ?? null, createdAt, hash: last.hash, applied };
}

/** The files a database refers to: every blob, and any evidence hash without a blob row. */
export function referencedBlobs(db: Database.Database): BlobRef[] {
  const tables = new Set(tablesOf(db));
  const out = new Map<string, BlobRef>();
  if (tables.has("blobs")) {
    for (const r of db.prepare("SELECT sha256, size FROM blobs").all() as { sha256: string; size: number }[]) out.set(r.sha256, { sha256: r.sha256, size: r.size });
  }
  if (tables.has("evidence")) {
    for (const sha of db.prepare("SELECT DISTINCT sha256 FROM evidence WHERE sha256 IS NOT NULL").pluck().all() as string[]) {
      if (!out.has(sha)) out.set(sha, { sha256: sha, size: null });
    }
  }
  return [...out.values()].sort((a, b) => a.sha256.localeCompare(b.sha256));
}

/** Makes the snapshot a single file (journal DELETE) and reads what the manifest records. */
function inspectSnapshot(file: string): SnapshotInfo {
  const db = new Database(file, { fileMustExist: true });
  try {
    db.pragma("journal_mode = DELETE");
    const integrityCheck = String(db.pragma("integrity_check", { simple: true }));
    const foreignKeyViolations = (db.pragma("foreign_key_check") as unknown[]).length;
    return { tables: rowCounts(db), migration: migrationOf(db, appMigrations()), integrityCheck, foreignKeyViolations, blobs: referencedBlobs(db) };
  } finally {
    db.close();
  }
}

// ───────────────────────────── backup ─────────────────────────────

export interface BackupOptions {
  dir: string;
  /** Default DATABASE_PATH (data/cds4725.sqlite). */
  databasePath?: string;
  /** Default EVIDENCE_DIR (evidence/ next to the database). */
  evidenceDir?: string;
  /** Snapshots to try when files go missing between the snapshot and the copy (default 5). */
  attempts?: number;
  now?: () => Date;
  log?: (m: Msg) => void;
  /** Tests: runs after each snapshot, before the files are copied. */
  afterSnapshot?: (attempt: number) => void | Promise<void>;
}

export interface BackupResult {
  dir: string;
  manifest: Manifest;
}

async function assertEmptyTarget(dir: string): Promise<boolean> {
  let st: fs.Stats;
  try {
    st = await fsp.stat(dir);
  } catch {
    return false; // absent: created
  }
  if (!st.isDirectory()) throw new BackupError(2, say("targetIsFile", dir));
  if ((await fsp.readdir(dir)).length > 0) throw new BackupError(2, say("targetNotEmpty", dir));
  return true;
}

export async function runBackup(opts: BackupOptions): Promise<BackupResult> {
  const dir = path.resolve(opts.dir);
  const src = path.resolve(opts.databasePath ?? databasePath());
  const evRoot = path.resolve(opts.evidenceDir ?? evidenceRoot());
  const attempts = Math.max(1, opts.attempts ?? 5);
  const log = opts.log ?? (() => undefined);

  if (isInside(dir, evRoot)) throw new BackupError(2, say("targetInsideEvidence", evRoot));
  const existed = await assertEmptyTarget(dir);
  if (!fs.existsSync(src)) throw new BackupError(1, say("noDatabase", src));

  await fsp.mkdir(dir, { recursive: true });
  const dbPart = path.join(dir, `${DB_FILE}.part`);
  const destRoot = path.join(dir, EVIDENCE_DIR);
  try {
    const createdAt = (opts.now ?? (() => new Date()))();
    let info: SnapshotInfo | null = null;
    let attempt = 0;
    let missing: string[] = [];
    const copied = new Set<string>();
    while (attempt < attempts) {
      attempt++;
      await snapshot(src, dbPart);
      info = inspectSnapshot(dbPart);
      if (info.integrityCheck !== "ok") throw new BackupError(1, say("integrity", info.integrityCheck));
      await opts.afterSnapshot?.(attempt);
      missing = [];
      for (const b of info.blobs) {
        if (copied.has(b.sha256)) continue;
        const from = blobPath(evRoot, b.sha256);
        let got: { sha256: string; bytes: number };
        try {
          got = await copyHashed(from, blobPath(destRoot, b.sha256));
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code === "ENOENT") {
            missing.push(b.sha256);
            continue;
          }
          throw e;
        }
        if (got.sha256 !== b.sha256) {
          await fsp.rm(blobPath(destRoot, b.sha256), { force: true });
          throw new BackupError(1, say("hashMismatch", b.sha256, from));
        }
        if (b.size !== null && got.bytes !== b.size) {
          await fsp.rm(blobPath(destRoot, b.sha256), { force: true });
          throw new BackupError(1, say("sizeMismatch", b.sha256, b.size, got.bytes));
        }
        copied.add(b.sha256);
      }
      if (missing.length === 0) break;
      if (attempt < attempts) log(say("retrying", missing.length, attempt));
    }
    if (!info) throw new Error("no snapshot");
    if (missing.length > 0) {
      const list = missing.slice(0, 10).join(", ") + (missing.length > 10 ? ", …" : "");
      throw new BackupError(1, say("missingFiles", missing.length, list));
    }
    // Files copied for an earlier snapshot that the final one no longer refers to.
    const wanted = new Set(info.blobs.map((b) => b.sha256));
    for (const sha of copied) if (!wanted.has(sha)) await fsp.rm(blobPath(destRoot, sha), { force: true });

    let bytes = 0;
    for (const b of info.blobs) bytes += (await fsp.stat(blobPath(destRoot, b.sha256))).size;

    const dbFile = path.join(dir, DB_FILE);
    await fsyncPath(dbPart);
    await fsp.rename(dbPart, dbFile);
    const dbHash = await sha256File(dbFile);
    const manifest: Manifest = {
      format: FORMAT,
      formatVersion: FORMAT_VERSION,
      createdAt: createdAt.toISOString(),
      app: appInfo(),
      source: { host: os.hostname(), databasePath: src, evidenceDir: evRoot },
      migration: info.migration,
      database: { file: DB_FILE, bytes: dbHash.bytes, sha256: dbHash.sha256, integrityCheck: info.integrityCheck, foreignKeyViolations: info.foreignKeyViolations },
      tables: info.tables,
      evidence: { dir: EVIDENCE_DIR, files: info.blobs.length, bytes },
      attempts: attempt,
    };
    const tmp = path.join(dir, `${MANIFEST_FILE}.part`);
    await fsp.writeFile(tmp, JSON.stringify(manifest, null, 2) + "\n", { mode: 0o640 });
    await fsyncPath(tmp);
    await fsp.rename(tmp, path.join(dir, MANIFEST_FILE));
    await fsyncPath(dir);
    return { dir, manifest };
  } catch (e) {
    // Leave nothing that could pass for a backup.
    if (existed) {
      for (const name of await fsp.readdir(dir).catch(() => [] as string[])) await fsp.rm(path.join(dir, name), { recursive: true, force: true });
    } else {
      await fsp.rm(dir, { recursive: true, force: true });
    }
    throw e;
  }
}

// ───────────────────────────── restore ─────────────────────────────

export interface RestoreOptions {
  dir: string;
  databasePath?: string;
  evidenceDir?: string;
}

export interface RestoreResult {
  databasePath: string;
  evidenceDir: string;
  manifest: Manifest;
  files: number;
}

function readManifest(dir: string): Manifest {
  const file = path.join(dir, MANIFEST_FILE);
  if (!fs.existsSync(file)) throw new BackupError(2, say("notABackup", dir));
  let m: Manifest;
  try {
    m = JSON.parse(fs.readFileSync(file, "utf8")) as Manifest;
  } catch (e) {
    throw new BackupError(1, say("badManifest", (e as Error).message));
  }
  const bad = (why: string) => new BackupError(1, say("badManifest", why));
  if (!m || typeof m !== "object") throw bad("not an object");
  if (m.format !== FORMAT) throw bad(`format ${String(m.format)}`);
  if (m.formatVersion !== FORMAT_VERSION) throw bad(`formatVersion ${String(m.formatVersion)}`);
  if (!m.database || m.database.file !== DB_FILE || typeof m.database.sha256 !== "string" || typeof m.database.bytes !== "number") throw bad("database");
  if (!m.tables || typeof m.tables !== "object") throw bad("tables");
  if (!m.evidence || m.evidence.dir !== EVIDENCE_DIR || typeof m.evidence.files !== "number" || typeof m.evidence.bytes !== "number") throw bad("evidence");
  if (!m.migration || typeof m.migration !== "object") throw bad("migration");
  return m;
}

function checkMigration(m: Migration): void {
  if (m.createdAt === null) return;
  const journal = appMigrations();
  if (journal.some((e) => e.when === m.createdAt)) return;
  const id = m.id ?? String(m.createdAt);
  const newest = journal.reduce((a, e) => Math.max(a, e.when), 0);
  if (m.createdAt > newest) throw new BackupError(1, say("newerMigration", id));
  throw new BackupError(1, say("unknownMigration", id));
}

export async function runRestore(opts: RestoreOptions): Promise<RestoreResult> {
  const dir = path.resolve(opts.dir);
  const target = path.resolve(opts.databasePath ?? databasePath());
  const evRoot = path.resolve(opts.evidenceDir ?? evidenceRoot());
  const manifest = readManifest(dir);

  // Only into an empty data folder.
  for (const suffix of ["", "-wal", "-shm", "-journal"]) {
    if (fs.existsSync(target + suffix)) throw new BackupError(2, say("dbExists", target + suffix));
  }
  if ((await listFiles(evRoot)).length > 0) throw new BackupError(2, say("evidenceNotEmpty", evRoot));
  checkMigration(manifest.migration);

  const srcDb = path.join(dir, DB_FILE);
  if (!fs.existsSync(srcDb)) throw new BackupError(1, say("damagedDb"));
  await fsp.mkdir(path.dirname(target), { recursive: true });
  const tmpDb = `${target}.restore-${randomBytes(4).toString("hex")}.part`;
  const placed: string[] = [];
  try {
    const got = await copyHashed(srcDb, tmpDb);
    if (got.sha256 !== manifest.database.sha256 || got.bytes !== manifest.database.bytes) throw new BackupError(1, say("damagedDb"));

    let blobs: BlobRef[];
    const db = new Database(tmpDb, { fileMustExist: true });
    try {
      const ic = String(db.pragma("integrity_check", { simple: true }));
      if (ic !== "ok") throw new BackupError(1, say("integrity", ic));
      const fk = (db.pragma("foreign_key_check") as unknown[]).length;
      if (fk > 0) throw new BackupError(1, say("fkViolations", fk));
      const counts = rowCounts(db);
      for (const t of new Set([...Object.keys(counts), ...Object.keys(manifest.tables)])) {
        if (counts[t] !== manifest.tables[t]) throw new BackupError(1, say("countMismatch", t, manifest.tables[t] ?? 0, counts[t] ?? 0));
      }
      blobs = referencedBlobs(db);
    } finally {
      db.close();
    }

    // The files: exactly the ones the database refers to, each matching its name.
    const srcRoot = path.join(dir, EVIDENCE_DIR);
    const present = await listFiles(srcRoot);
    const wanted = new Set(blobs.map((b) => path.join(b.sha256.slice(0, 2), b.sha256.slice(2, 4), b.sha256)));
    for (const f of present) if (!wanted.has(f)) throw new BackupError(1, say("strayFile", path.join(srcRoot, f)));
    const presentSet = new Set(present);
    const absent = blobs.filter((b) => !presentSet.has(path.join(b.sha256.slice(0, 2), b.sha256.slice(2, 4), b.sha256)));
    if (absent.length > 0) throw new BackupError(1, say("missingInBackup", absent.length, absent.slice(0, 10).map((b) => b.sha256).join(", ")));
    let bytes = 0;
    for (const b of blobs) bytes += (await fsp.stat(blobPath(srcRoot, b.sha256))).size;
    if (blobs.length !== manifest.evidence.files || bytes !== manifest.evidence.bytes) {
      throw new BackupError(1, say("fileCountMismatch", manifest.evidence.files, blobs.length, manifest.evidence.bytes, bytes));
    }
    for (const b of blobs) {
      const dest = blobPath(evRoot, b.sha256);
      const copied = await copyHashed(blobPath(srcRoot, b.sha256), dest);
      placed.push(dest);
      if (copied.sha256 !== b.sha256) throw new BackupError(1, say("hashMismatch", b.sha256, blobPath(srcRoot, b.sha256)));
      if (b.size !== null && copied.bytes !== b.size) throw new BackupError(1, say("sizeMismatch", b.sha256, b.size, copied.bytes));
    }
    for (const d of new Set(placed.map((p) => path.dirname(p)))) await fsyncPath(d);

    // Last: the database, in WAL mode as the server runs it.
    const wal = new Database(tmpDb, { fileMustExist: true });
    try {
      wal.pragma("journal_mode = WAL");
      wal.pragma("wal_checkpoint(TRUNCATE)");
    } finally {
      wal.close();
    }
    for (const suffix of ["-wal", "-shm"]) await fsp.rm(tmpDb + suffix, { force: true });
    await fsp.rename(tmpDb, target);
    await fsyncPath(path.dirname(target));
    return { databasePath: target, evidenceDir: evRoot, manifest, files: blobs.length };
  } catch (e) {
    for (const suffix of ["", "-wal", "-shm", "-journal"]) await fsp.rm(tmpDb + suffix, { force: true }).catch(() => undefined);
    for (const p of placed) await fsp.rm(p, { force: true }).catch(() => undefined);
    // Tidy the fan-out folders this restore made (rmdir refuses non-empty ones).
    for (const p of placed) {
      for (const d of [path.dirname(p), path.dirname(path.dirname(p))]) await fsp.rmdir(d).catch(() => undefined);
    }
    throw e;
  }
}

// ───────────────────────────── command line ─────────────────────────────

/** Parses `[--help] DIR`; throws BackupError(2) on anything else. */
export function parseDirArg(argv: string[], usage: Msg): { help: true } | { help: false; dir: string } {
  const dirs: string[] = [];
  for (const a of argv) {
    if (a === "--help" || a === "-h") return { help: true };
    if (a === "--") continue;
    if (a.startsWith("-")) throw new BackupError(2, { vi: `${say("unknownOption", a).vi} ${usage.vi}`, en: `${say("unknownOption", a).en} ${usage.en}` });
    dirs.push(a);
  }
  if (dirs.length !== 1) throw new BackupError(2, { vi: `${say("oneDir").vi} ${usage.vi}`, en: `${say("oneDir").en} ${usage.en}` });
  return { help: false, dir: dirs[0] };
}

/** Runs a command's main and exits with its code: 0 ok, 2 bad usage / target not empty, 1 failure. */
export async function runCli(main: () => Promise<Msg | null>): Promise<never> {
  let code = 0;
  try {
    const done = await main();
    if (done) process.stdout.write(line(done) + "\n");
  } catch (e) {
    if (e instanceof BackupError) {
      process.stderr.write(line(e.msg) + "\n");
      code = e.exitCode;
    } else {
      const msg = e instanceof Error ? e.message : String(e);
      process.stderr.write(line(say("unexpected", msg)) + "\n");
      code = 1;
    }
  }
  process.exit(code);
}

export const localTime = (iso: string) => formatDateTime(iso);
