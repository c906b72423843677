/**
 * kill -9 (How it is checked): a child process running the real services is killed with SIGKILL
 * (a) in the middle of a burst of answer saves: after reopening the database through the start-up path,
 *     every save the child acknowledged is there and PRAGMA integrity_check is ok;
 * (b) in the middle of streaming an upload: it leaves a staging file, and after the start-up sweep no
 *     staging file, no stored file and no blob or evidence row is left.
 */
import fs from "node:fs";
import path from "node:path";
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TMP_DIR, useTestDatabase } from "../helpers/db";
import { closeDb, getDb } from "~/server/db/client.server";
import { createSchool, createUnit, createUser } from "~/server/services/org.server";
import { openCycle } from "~/server/services/cycles.server";
import { editionOf, getAssessment } from "~/server/services/assessments.server";
import { bootstrap } from "~/server/startup.server";
import { stagingOwner } from "~/server/storage/storage.server";

const dbPath = useTestDatabase("crash");
const ROOT = path.resolve(__dirname, "../..");
const EVIDENCE_DIR = path.join(TMP_DIR, `crash-${process.pid}-${randomBytes(4).toString("hex")}`);
const savedDir = process.env.EVIDENCE_DIR;
const ids = { assessment: 0, head: 0 };
let items: string[] = [];
const children: ChildProcess[] = [];

beforeAll(async () => {
  process.env.EVIDENCE_DIR = EVIDENCE_DIR;
  const province = createUnit({ kind: "province", code: "CR-P", name: "Sở GDĐT Thử sập", parentId: null }, null);
  const school = createSchool({ code: "CR-A", name: "Trường Tiểu học Sập Nguồn", type: "TH", managingUnitId: province, reviewingUnitId: province }, null);
  const admin = await createUser({ username: "cr.so", displayName: "Sở", password: "mat-khau-kiem-thu-12", roles: ["office_admin"], unitId: province }, null);
  ids.head = await createUser({ username: "cr.head", displayName: "Hiệu trưởng", password: "mat-khau-kiem-thu-12", roles: ["school_head"], schoolId: school }, null);
  const year = new Date().getFullYear();
  const opened = openCycle({ ownerUnitId: province, schoolYear: `${year}-${year + 1}`, editionId: "qd-4725-2022", selfAssessmentDeadline: `${year + 1}-05-31`, reviewDeadline: `${year + 1}-06-20` }, admin);
  if (!opened.ok) throw new Error(opened.message);
  ids.assessment = (getDb().$client.prepare("SELECT id FROM assessments WHERE school_id = ?").get(school) as { id: number }).id;
  const ed = editionOf(getAssessment(ids.assessment)!);
  items = ed.groups.flatMap((g) => g.indicators.flatMap((i) => i.items.filter((it) => it.rule === "boolean").map((it) => it.code))).slice(0, 6);
  expect(items.length).toBeGreaterThan(2);
});

afterAll(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill("SIGKILL");
  fs.rmSync(EVIDENCE_DIR, { recursive: true, force: true });
  if (savedDir === undefined) delete process.env.EVIDENCE_DIR;
  else process.env.EVIDENCE_DIR = savedDir;
});

/** Starts the child; calls onLine for each stdout line; resolves when it has been killed and reaped. */
function startChild(mode: "save" | "upload", env: Record<string, string>, onLine: (line: string, child: ChildProcess) => void) {
  const child = spawn(process.execPath, ["--import", "tsx", "tests/integration/fixtures/crash-child.ts", mode], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_PATH: dbPath(), EVIDENCE_DIR, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  let stderr = "";
  child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
  let buf = "";
  child.stdout!.on("data", (d: Buffer) => {
    buf += d.toString();
    let nl: number;
    while ((nl = buf.indexOf("\n")) >= 0) {
      const line = buf.slice(0, nl);
      buf = buf.slice(nl + 1);
      onLine(line, child);
    }
  });
  return new Promise<{ signal: NodeJS.Signals | null; code: number | null; stderr: string; pid: number }>((resolve) =>
    child.on("exit", (code, signal) => resolve({ code, signal, stderr, pid: child.pid! })),
  );
}

describe("kill -9", () => {
  it("mid save burst: every acknowledged save survives and the database is intact", async () => {
    const acks: { version: number; item: string; n: number }[] = [];
    const exited = startChild("save", { ASSESSMENT_ID: String(ids.assessment), ACTOR_ID: String(ids.head), ITEMS: items.join(",") }, (line, child) => {
      const m = /^ack (\d+) (\S+) (\d+)$/.exec(line);
      if (!m) return;
      acks.push({ version: Number(m[1]), item: m[2], n: Number(m[3]) });
      if (acks.length === 150) child.kill("SIGKILL");
    });
    const end = await exited;
    expect(end.stderr).toBe("");
    expect(end.signal).toBe("SIGKILL");
    expect(acks.length).toBeGreaterThanOrEqual(150);

    // Reopen through the start-up path (open, migrate, sweep).
    closeDb();
    expect((await bootstrap()).ok).toBe(true);
    const db = getDb().$client;
    expect(db.pragma("integrity_check")).toEqual([{ integrity_check: "ok" }]);
    const last = acks[acks.length - 1];
    const a = db.prepare("SELECT version FROM assessments WHERE id = ?").get(ids.assessment) as { version: number };
    expect(a.version).toBeGreaterThanOrEqual(last.version);
    const rows = db.prepare("SELECT item_code AS item, note, version FROM answers WHERE assessment_id = ? AND phase = 'self'").all(ids.assessment) as { item: string; note: string; version: number }[];
    const stored = new Map(rows.map((r) => [r.item, r]));
    for (const item of items) {
      const lastAck = acks.filter((x) => x.item === item).pop();
      if (!lastAck) continue;
      const r = stored.get(item)!;
      expect(r, item).toBeDefined();
      // The stored write is the last acknowledged one, or a later one the child made before dying.
      expect(Number(/^n=(\d+)$/.exec(r.note)![1]), item).toBeGreaterThanOrEqual(lastAck.n);
      expect(r.version, item).toBeGreaterThanOrEqual(lastAck.version);
    }
    // Every acknowledged version is a committed transition: one audit entry per save, none missing.
    const audited = (db.prepare("SELECT count(*) AS n FROM audit_log WHERE assessment_id = ? AND action LIKE '%save%'").get(ids.assessment) as { n: number }).n;
    expect(audited).toBeGreaterThanOrEqual(acks.length);
  });

  it("mid upload: the staging file it leaves is swept at start, and nothing else is left", async () => {
    const tmp = path.join(EVIDENCE_DIR, ".tmp");
    const parts = () => (fs.existsSync(tmp) ? fs.readdirSync(tmp) : []);
    let seen: string[] = [];
    const exited = startChild("upload", {}, (line, child) => {
      const m = /^chunk (\d+)$/.exec(line);
      if (!m || child.killed) return;
      // Killed once at least 256 KB are on disk in a staging file.
      const files = parts();
      if (Number(m[1]) >= 512 * 1024 && files.length === 1 && fs.statSync(path.join(tmp, files[0])).size >= 256 * 1024) {
        seen = files;
        child.kill("SIGKILL");
      }
    });
    const end = await exited;
    expect(end.stderr).toBe("");
    expect(end.signal).toBe("SIGKILL");
    // The crash left a staging file, owned by the dead child.
    expect(parts()).toEqual(seen);
    expect(stagingOwner(seen[0])?.pid).toBe(end.pid);

    closeDb();
    expect((await bootstrap()).ok).toBe(true);
    expect(parts()).toEqual([]);
    const stored = fs.readdirSync(EVIDENCE_DIR).filter((f) => f !== ".tmp");
    expect(stored).toEqual([]);
    const db = getDb().$client;
    expect((db.prepare("SELECT count(*) AS n FROM blobs").get() as { n: number }).n).toBe(0);
    expect((db.prepare("SELECT count(*) AS n FROM evidence").get() as { n: number }).n).toBe(0);
  });
});
