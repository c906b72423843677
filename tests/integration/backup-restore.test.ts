/**
 * Issue 7, section 6: npm run backup / npm run restore (scripts/backup-lib.ts).
 *
 * A demo database is seeded; a child process (fixtures/backup-saver.ts) keeps saving answers,
 * uploading and deleting evidence through the real services while `npm run backup` runs. The
 * backup is restored with `npm run restore` into a fresh folder, and the test compares every
 * table's rows with the backup file, checks the snapshot is consistent (answer versions ≤ their
 * assessment's version, one audit row per version), checks every file's hash, and starts the
 * app's database code on the restored folder. Then the refusals (non-empty targets, damaged
 * backups, bad usage) and the two cases of an evidence file gone between snapshot and copy.
 */
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TMP_DIR } from "../helpers/db";
import { closeDb, getDb, migrationsDir } from "~/server/db/client.server";
import "~/server/services/catalogue-seed.server";
import { users } from "~/server/db/schema.server";
import { seedDemoData } from "~/server/demo/seed.server";
import { assessmentsOfSchool, getAssessment, saveAnswers } from "~/server/services/assessments.server";
import { createFileEvidence, detachEvidence } from "~/server/services/evidence.server";
import { getEvidenceStorage, LocalContentAddressedStorage } from "~/server/storage/storage.server";
import { BackupError, runBackup, type Manifest } from "../../scripts/backup-lib";

const REPO = path.resolve(__dirname, "..", "..");
const ROOT = path.join(TMP_DIR, `backup-${process.pid}-${randomBytes(4).toString("hex")}`);
const LIVE_DB = path.join(ROOT, "data", "cds4725.sqlite");
const LIVE_EVIDENCE = path.join(ROOT, "data", "evidence");
const BACKUP = path.join(ROOT, "backup-1");
const RESTORED_DB = path.join(ROOT, "restored", "cds4725.sqlite");
const RESTORED_EVIDENCE = path.join(ROOT, "restored", "evidence");

const prevEnv = { db: process.env.DATABASE_PATH, ev: process.env.EVIDENCE_DIR };

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command asynchronously (the saver keeps running meanwhile). */
function run(cmd: string, args: string[], env: Record<string, string | undefined>): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: REPO, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString("utf8")));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString("utf8")));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

const tsx = (script: string, args: string[], env: Record<string, string | undefined>) => run(process.execPath, ["--import", "tsx", script, ...args], env);
const npm = (script: string, args: string[], env: Record<string, string | undefined>) => run("npm", ["run", "-s", script, "--", ...args], env);

const liveEnv = { DATABASE_PATH: LIVE_DB, EVIDENCE_DIR: undefined };
const restoredEnv = (db: string) => ({ DATABASE_PATH: db, EVIDENCE_DIR: undefined });

function sha256(file: string): string {
  return createHash("sha256").update(fs.readFileSync(file)).digest("hex");
}

/** Relative paths of every file under dir. */
function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return (fs.readdirSync(dir, { recursive: true }) as string[]).filter((f) => fs.statSync(path.join(dir, f)).isFile()).sort();
}

function tablesOf(db: Database.Database): string[] {
  return db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all() as string[];
}

/** Every row of a table, in a stable order (all columns). */
function rowsOf(db: Database.Database, table: string): unknown[] {
  const cols = (db.prepare(`PRAGMA table_info("${table}")`).all() as { name: string }[]).map((c) => `"${c.name}"`);
  return db.prepare(`SELECT * FROM "${table}" ORDER BY ${cols.join(", ")}`).all();
}

// ───────────────────────────── the running demo ─────────────────────────────

interface SaverStats {
  saves: number;
  refused: number;
  uploads: number;
  detached: number;
  lastVersion: number;
  done?: boolean;
}

let saver: ChildProcessWithoutNullStreams;
let progress: SaverStats = { saves: 0, refused: 0, uploads: 0, detached: 0, lastVersion: 0 };
let saverExit: Promise<number | null>;
let saverErr = "";
let assessmentId = 0;
let headId = 0;

function waitFor(cond: () => boolean, what: string, ms = 20_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const t0 = Date.now();
    const tick = () => {
      if (cond()) return resolve();
      if (Date.now() - t0 > ms) return reject(new Error(`timed out waiting for ${what}; saver stderr: ${saverErr}`));
      setTimeout(tick, 20);
    };
    tick();
  });
}

let backupRun: Run;
let atBackupStart: SaverStats;
let atBackupEnd: SaverStats;
let finalStats: SaverStats;
let manifest: Manifest;

beforeAll(async () => {
  fs.mkdirSync(ROOT, { recursive: true });
  process.env.DATABASE_PATH = LIVE_DB;
  delete process.env.EVIDENCE_DIR;
  await seedDemoData(getDb());
  const head = getDb().select({ id: users.id, schoolId: users.schoolId }).from(users).where(eq(users.username, "truong.th1")).get()!;
  headId = head.id;
  assessmentId = assessmentsOfSchool(head.schoolId!)[0].id;

  saver = spawn(process.execPath, ["--import", "tsx", "tests/integration/fixtures/backup-saver.ts"], { cwd: REPO, env: { ...process.env, ...liveEnv }, stdio: ["pipe", "pipe", "pipe"] });
  let buf = "";
  saver.stdout.on("data", (d: Buffer) => {
    buf += d.toString("utf8");
    let nl: number;
    while ((nl = buf.indexOf("\n")) >= 0) {
      const l = buf.slice(0, nl);
      buf = buf.slice(nl + 1);
      if (l.startsWith("{")) progress = JSON.parse(l) as SaverStats;
    }
  });
  saver.stderr.on("data", (d: Buffer) => (saverErr += d.toString("utf8")));
  saverExit = new Promise((resolve) => saver.on("close", resolve));

  // The demo is busy: saves, uploads and deletions are under way.
  await waitFor(() => progress.saves >= 40 && progress.uploads >= 8 && progress.detached >= 1, "the saver to warm up");
  atBackupStart = { ...progress };
  backupRun = await npm("backup", [BACKUP], liveEnv);
  atBackupEnd = { ...progress };
  // Saves go on after the backup, then the saver stops.
  await waitFor(() => progress.saves >= atBackupEnd.saves + 20, "more saves after the backup");
  saver.stdin.end();
  expect(await saverExit).toBe(0);
  finalStats = progress;
  if (backupRun.code === 0) manifest = JSON.parse(fs.readFileSync(path.join(BACKUP, "manifest.json"), "utf8")) as Manifest;
}, 120_000);

afterAll(() => {
  if (saver && saver.exitCode === null) saver.kill();
  closeDb();
  fs.rmSync(ROOT, { recursive: true, force: true });
  if (prevEnv.db === undefined) delete process.env.DATABASE_PATH;
  else process.env.DATABASE_PATH = prevEnv.db;
  if (prevEnv.ev === undefined) delete process.env.EVIDENCE_DIR;
  else process.env.EVIDENCE_DIR = prevEnv.ev;
});

// ───────────────────────────── backup ─────────────────────────────

describe("npm run backup during saves", () => {
  it("exits 0 with a Vietnamese | English summary while the demo keeps saving", () => {
    expect(backupRun.stderr.split("\n").filter((l) => l && !l.includes("chụp lại"))).toEqual([]);
    expect(backupRun.code).toBe(0);
    expect(backupRun.stdout).toMatch(/^Đã sao lưu vào .+ lúc \d{2}\/\d{2}\/\d{4} \d{2}:\d{2}: cơ sở dữ liệu và \d+ tệp minh chứng \([\d.]+ MB\)\. \| Backed up into /m);
    expect(finalStats.done).toBe(true);
    expect(finalStats.refused).toBe(0);
    // The saver saved before, during and after the backup.
    expect(atBackupEnd.saves).toBeGreaterThan(atBackupStart.saves);
    expect(finalStats.saves).toBeGreaterThanOrEqual(atBackupEnd.saves + 20);
  });

  it("writes the snapshot, the files and a manifest that describes them", () => {
    expect(fs.readdirSync(BACKUP).sort()).toEqual(["database.sqlite", "evidence", "manifest.json"]);
    const snap = new Database(path.join(BACKUP, "database.sqlite"), { readonly: true, fileMustExist: true });
    try {
      expect(snap.pragma("journal_mode", { simple: true })).toBe("delete"); // one self-contained file
      expect(snap.pragma("integrity_check", { simple: true })).toBe("ok");
      const counts = Object.fromEntries(tablesOf(snap).filter((t) => !t.startsWith("sqlite_")).map((t) => [t, snap.prepare(`SELECT count(*) FROM "${t}"`).pluck().get()]));
      expect(manifest.tables).toEqual(counts);
      expect(manifest.tables.schools).toBe(32);
      expect(manifest.tables.blobs).toBeGreaterThanOrEqual(5);
      const blobs = snap.prepare("SELECT sha256, size FROM blobs ORDER BY sha256").all() as { sha256: string; size: number }[];
      const files = filesUnder(path.join(BACKUP, "evidence"));
      expect(files).toEqual(blobs.map((b) => path.join(b.sha256.slice(0, 2), b.sha256.slice(2, 4), b.sha256)).sort());
      for (const b of blobs) expect(sha256(path.join(BACKUP, "evidence", b.sha256.slice(0, 2), b.sha256.slice(2, 4), b.sha256))).toBe(b.sha256);
      expect(manifest.evidence).toEqual({ dir: "evidence", files: blobs.length, bytes: blobs.reduce((a, b) => a + b.size, 0) });
      // A snapshot taken while saves went on: later than the start, earlier than the end.
      const v = snap.prepare("SELECT version FROM assessments WHERE id = ?").pluck().get(assessmentId) as number;
      expect(v).toBeGreaterThan(atBackupStart.lastVersion);
      expect(v).toBeLessThan(finalStats.lastVersion);
    } finally {
      snap.close();
    }
    const journal = JSON.parse(fs.readFileSync(path.join(migrationsDir(), "meta", "_journal.json"), "utf8")) as { entries: { tag: string; when: number }[] };
    const last = journal.entries[journal.entries.length - 1];
    expect(manifest).toMatchObject({
      format: "cds4725-backup",
      formatVersion: 1,
      app: { name: "cds-4725" },
      source: { databasePath: LIVE_DB, evidenceDir: LIVE_EVIDENCE },
      migration: { id: last.tag, createdAt: last.when, applied: journal.entries.length },
      database: { file: "database.sqlite", sha256: sha256(path.join(BACKUP, "database.sqlite")), bytes: fs.statSync(path.join(BACKUP, "database.sqlite")).size, integrityCheck: "ok", foreignKeyViolations: 0 },
    });
    expect(manifest.createdAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    expect(Math.abs(Date.parse(manifest.createdAt) - Date.now())).toBeLessThan(10 * 60_000);
  });

  it("is a consistent snapshot: answer versions within their assessment's, one audit row per version", () => {
    const snap = new Database(path.join(BACKUP, "database.sqlite"), { readonly: true, fileMustExist: true });
    try {
      expect(snap.pragma("foreign_key_check")).toEqual([]);
      const over = snap.prepare("SELECT count(*) FROM answers an JOIN assessments a ON a.id = an.assessment_id WHERE an.version > a.version").pluck().get();
      expect(over).toBe(0);
      for (const a of snap.prepare("SELECT id, version FROM assessments").all() as { id: number; version: number }[]) {
        const versions = snap
          .prepare("SELECT json_extract(details, '$.version') FROM audit_log WHERE assessment_id = ? AND json_extract(details, '$.version') IS NOT NULL ORDER BY 1")
          .pluck()
          .all(a.id) as number[];
        expect(versions).toEqual(Array.from({ length: a.version - 1 }, (_, i) => i + 2));
      }
      // The demo assessment's newest answer was written by the save whose audit entry names its version,
      // and every change after it (evidence changes move the version on too) is not an answer save.
      const top = snap.prepare("SELECT max(version) FROM answers WHERE assessment_id = ?").pluck().get(assessmentId) as number;
      const actionAt = (v: number) =>
        snap.prepare("SELECT action FROM audit_log WHERE assessment_id = ? AND json_extract(details, '$.version') = ?").pluck().get(assessmentId, v);
      expect(actionAt(top)).toBe("assessment.save");
      const current = snap.prepare("SELECT version FROM assessments WHERE id = ?").pluck().get(assessmentId) as number;
      for (let v = top + 1; v <= current; v++) expect(actionAt(v)).not.toBe("assessment.save");
      // Every uploaded evidence of the snapshot has its blob (and so its file, checked above).
      expect(snap.prepare("SELECT count(*) FROM evidence WHERE kind = 'file' AND deleted_at IS NULL AND sha256 IS NULL").pluck().get()).toBe(0);
    } finally {
      snap.close();
    }
  });
});

// ───────────────────────────── restore ─────────────────────────────

describe("npm run restore", () => {
  let restoreRun: Run;
  beforeAll(async () => {
    restoreRun = await npm("restore", [BACKUP], restoredEnv(RESTORED_DB));
  }, 60_000);

  it("restores into an empty folder, exit 0, Vietnamese | English", () => {
    expect(restoreRun.stderr).toBe("");
    expect(restoreRun.code).toBe(0);
    expect(restoreRun.stdout).toContain(`Đã khôi phục bản sao lưu lúc `);
    expect(restoreRun.stdout).toContain(`vào ${RESTORED_DB} và ${RESTORED_EVIDENCE} (${manifest.evidence.files} tệp minh chứng). Có thể khởi động máy chủ. | Restored the backup of `);
    expect(fs.readdirSync(path.dirname(RESTORED_DB)).sort()).toEqual(["cds4725.sqlite", "evidence"]);
  });

  it("holds exactly the rows of the backup, table by table", () => {
    const snap = new Database(path.join(BACKUP, "database.sqlite"), { readonly: true, fileMustExist: true });
    const restored = new Database(RESTORED_DB, { readonly: true, fileMustExist: true });
    try {
      expect(restored.pragma("integrity_check", { simple: true })).toBe("ok");
      expect(restored.pragma("foreign_key_check")).toEqual([]);
      expect(restored.pragma("journal_mode", { simple: true })).toBe("wal");
      expect(tablesOf(restored)).toEqual(tablesOf(snap));
      for (const t of tablesOf(snap)) {
        const rows = rowsOf(restored, t);
        expect(rows, t).toEqual(rowsOf(snap, t));
        if (!t.startsWith("sqlite_")) expect(rows.length, t).toBe(manifest.tables[t]);
      }
    } finally {
      snap.close();
      restored.close();
    }
  });

  it("holds every file the database refers to, each matching its hash, and nothing else", () => {
    const restored = new Database(RESTORED_DB, { readonly: true, fileMustExist: true });
    try {
      const blobs = restored.prepare("SELECT sha256, size FROM blobs ORDER BY sha256").all() as { sha256: string; size: number }[];
      expect(blobs.length).toBe(manifest.evidence.files);
      const rel = (sha: string) => path.join(sha.slice(0, 2), sha.slice(2, 4), sha);
      expect(filesUnder(RESTORED_EVIDENCE)).toEqual(blobs.map((b) => rel(b.sha256)).sort());
      for (const b of blobs) {
        const f = path.join(RESTORED_EVIDENCE, rel(b.sha256));
        expect(sha256(f)).toBe(b.sha256);
        expect(fs.statSync(f).size).toBe(b.size);
        expect(sha256(path.join(BACKUP, "evidence", rel(b.sha256)))).toBe(b.sha256);
      }
    } finally {
      restored.close();
    }
  });

  it("is a database the server starts on: migrations, reads, a save and a file read", async () => {
    closeDb();
    process.env.DATABASE_PATH = RESTORED_DB;
    try {
      const before = getAssessment(assessmentId)!; // getDb(): the server's opener (migrate, foreign_key_check)
      const snap = new Database(path.join(BACKUP, "database.sqlite"), { readonly: true, fileMustExist: true });
      expect(before.version).toBe(snap.prepare("SELECT version FROM assessments WHERE id = ?").pluck().get(assessmentId));
      const sha = snap.prepare("SELECT sha256 FROM blobs ORDER BY sha256 LIMIT 1").pluck().get() as string;
      snap.close();
      const r = saveAnswers(assessmentId, { baseVersion: before.version, changes: { "1.1": { value: true, note: "Sau khôi phục" } } }, headId);
      expect(r).toMatchObject({ ok: true, version: before.version + 1 });
      const storage = getEvidenceStorage();
      expect((storage as LocalContentAddressedStorage).root).toBe(RESTORED_EVIDENCE);
      const chunks: Buffer[] = [];
      for await (const c of storage.openRead(sha) as AsyncIterable<Buffer>) chunks.push(c);
      expect(createHash("sha256").update(Buffer.concat(chunks)).digest("hex")).toBe(sha);
    } finally {
      closeDb();
      process.env.DATABASE_PATH = LIVE_DB;
    }
  });

  it("refuses a folder that already has a database or evidence files (exit 2) and changes nothing", async () => {
    const hash = sha256(RESTORED_DB);
    const again = await tsx("scripts/restore.ts", [BACKUP], restoredEnv(RESTORED_DB));
    expect(again.code).toBe(2);
    expect(again.stderr).toContain(`Đã có cơ sở dữ liệu tại ${RESTORED_DB}; chỉ khôi phục vào thư mục dữ liệu trống. | A database already exists at ${RESTORED_DB}`);
    expect(sha256(RESTORED_DB)).toBe(hash);

    // Evidence files but no database: refused too.
    const other = path.join(ROOT, "restored-2", "cds4725.sqlite");
    fs.mkdirSync(path.join(path.dirname(other), "evidence", "ab"), { recursive: true });
    fs.writeFileSync(path.join(path.dirname(other), "evidence", "ab", "x"), "x");
    const withFiles = await tsx("scripts/restore.ts", [BACKUP], restoredEnv(other));
    expect(withFiles.code).toBe(2);
    expect(withFiles.stderr).toContain("đã có tệp; chỉ khôi phục vào thư mục trống. | The evidence folder");
    expect(fs.existsSync(other)).toBe(false);
  });

  it("refuses a damaged backup (exit 1) and leaves the target empty", async () => {
    const damaged = path.join(ROOT, "backup-damaged");
    fs.cpSync(BACKUP, damaged, { recursive: true });
    const victim = path.join(damaged, "evidence", filesUnder(path.join(damaged, "evidence"))[0]);
    const bytes = fs.readFileSync(victim);
    bytes[bytes.length - 1] ^= 0xff;
    fs.writeFileSync(victim, bytes);
    const target = path.join(ROOT, "restored-3", "cds4725.sqlite");
    const r = await tsx("scripts/restore.ts", [damaged], restoredEnv(target));
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`không khớp mã băm ${path.basename(victim)} (tệp bị hỏng). | Evidence file`);
    expect(fs.existsSync(target)).toBe(false);
    expect(filesUnder(path.join(path.dirname(target), "evidence"))).toEqual([]);
    expect(filesUnder(path.dirname(target))).toEqual([]);

    // A modified database file.
    fs.cpSync(BACKUP, damaged + "-db", { recursive: true });
    const dbFile = path.join(damaged + "-db", "database.sqlite");
    const db = fs.readFileSync(dbFile);
    db[db.length - 100] ^= 0x01;
    fs.writeFileSync(dbFile, db);
    const r2 = await tsx("scripts/restore.ts", [damaged + "-db"], restoredEnv(target));
    expect(r2.code).toBe(1);
    expect(r2.stderr).toContain("Tệp cơ sở dữ liệu trong bản sao lưu không khớp manifest (bị hỏng hoặc bị sửa). | The backup's database file does not match its manifest");
    expect(filesUnder(path.dirname(target))).toEqual([]);

    // Not a backup at all.
    const r3 = await tsx("scripts/restore.ts", [path.join(ROOT, "data")], restoredEnv(target));
    expect(r3.code).toBe(2);
    expect(r3.stderr).toContain("không phải là một bản sao lưu hoàn chỉnh (thiếu manifest.json). | ");
  });
});

// ───────────────────────────── usage and refusals ─────────────────────────────

describe("backup refusals", () => {
  it("exit 2 on bad usage and on a target that is not empty; the target is left as it was", async () => {
    const none = await tsx("scripts/backup.ts", [], liveEnv);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain("Cần đúng một thư mục. Cách dùng: npm run backup -- THƯ_MỤC.");
    expect(none.stderr).toContain(" | Exactly one folder is needed.");
    const opt = await tsx("scripts/backup.ts", ["--force", path.join(ROOT, "x")], liveEnv);
    expect(opt.code).toBe(2);
    expect(opt.stderr).toContain("Tùy chọn không hợp lệ: --force.");

    const full = path.join(ROOT, "not-empty");
    fs.mkdirSync(full);
    fs.writeFileSync(path.join(full, "keep.txt"), "giữ nguyên");
    const r = await tsx("scripts/backup.ts", [full], liveEnv);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`Thư mục ${full} đã có dữ liệu; hãy chọn một thư mục mới hoặc rỗng. | ${full} is not empty`);
    expect(fs.readdirSync(full)).toEqual(["keep.txt"]);
  });

  it("exit 1 when there is no database", async () => {
    const r = await tsx("scripts/backup.ts", [path.join(ROOT, "b-none")], restoredEnv(path.join(ROOT, "nowhere", "x.sqlite")));
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("Không tìm thấy cơ sở dữ liệu");
    expect(fs.existsSync(path.join(ROOT, "b-none"))).toBe(false);
  });
});

describe("an evidence file gone between the snapshot and the copy", () => {
  async function upload(n: number): Promise<{ evidenceId: number; sha256: string }> {
    const bytes = Buffer.concat([Buffer.from("%PDF-1.4\n"), randomBytes(3000 + n)]);
    const source = (async function* () {
      yield bytes;
    })();
    const staged = await getEvidenceStorage().putStream(source, { maxBytes: 1 << 20 });
    const r = await createFileEvidence({ assessmentId, itemCodes: ["1.3.1"], title: `Tệp thử ${n}`, upload: { staged, fileName: `thu-${n}.pdf`, mime: "application/pdf" } }, headId);
    if (!r.ok) throw new Error(JSON.stringify(r));
    return { evidenceId: r.evidenceId, sha256: staged.sha256 };
  }

  it("deleted by its school after the snapshot: a new snapshot is taken and the backup holds neither", async () => {
    const ev = await upload(1);
    const dir = path.join(ROOT, "backup-retry");
    const seen: string[] = [];
    const { manifest: m } = await runBackup({
      dir,
      log: (msg) => seen.push(`${msg.vi} | ${msg.en}`),
      afterSnapshot: async (attempt) => {
        if (attempt === 1) expect(await detachEvidence({ assessmentId, itemCode: "1.3.1", evidenceId: ev.evidenceId }, headId)).toMatchObject({ ok: true, blobRemoved: true });
      },
    });
    expect(m.attempts).toBe(2);
    expect(seen).toEqual(["1 tệp minh chứng bị xóa sau khi chụp cơ sở dữ liệu; chụp lại (lần 2). | 1 evidence file(s) were deleted after the database snapshot; taking a new snapshot (attempt 2)."]);
    const snap = new Database(path.join(dir, "database.sqlite"), { readonly: true });
    expect(snap.prepare("SELECT count(*) FROM blobs WHERE sha256 = ?").pluck().get(ev.sha256)).toBe(0);
    expect(snap.prepare("SELECT count(*) FROM blobs").pluck().get()).toBe(m.evidence.files);
    snap.close();
    expect(filesUnder(path.join(dir, "evidence")).some((f) => f.endsWith(ev.sha256))).toBe(false);
    expect(filesUnder(path.join(dir, "evidence"))).toHaveLength(m.evidence.files);
  });

  it("lost from the store while the database still refers to it: exit 1 naming the file, nothing left", async () => {
    const ev = await upload(2);
    const file = new LocalContentAddressedStorage(LIVE_EVIDENCE).pathOf(ev.sha256);
    const keep = fs.readFileSync(file);
    const dir = path.join(ROOT, "backup-lost");
    let err: unknown;
    try {
      await runBackup({ dir, attempts: 2, afterSnapshot: (attempt) => (attempt === 1 ? fs.rmSync(file) : undefined) });
    } catch (e) {
      err = e;
    } finally {
      fs.writeFileSync(file, keep);
    }
    expect(err).toBeInstanceOf(BackupError);
    expect((err as BackupError).exitCode).toBe(1);
    expect((err as BackupError).msg.vi).toBe(`Thiếu 1 tệp minh chứng mà cơ sở dữ liệu còn tham chiếu: ${ev.sha256}.`);
    expect(fs.existsSync(dir)).toBe(false);
  });
});
