/**
 * The start-up sweep (finding 8): staging files that no running upload owns are removed at every start,
 * not after 24 h; a live sibling process's staging file and this process's in-flight upload are kept.
 * Orphan stored files (no blobs row) older than the grace period go too.
 */
import fs from "node:fs";
import path from "node:path";
import { spawn, spawnSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TMP_DIR, useTestDatabase } from "../helpers/db";
import { getDb } from "~/server/db/client.server";
import { createUser } from "~/server/services/org.server";
import { bootstrap } from "~/server/startup.server";
import { LocalContentAddressedStorage, stagingHostTag, stagingOwner } from "~/server/storage/storage.server";
import { ORPHAN_GRACE_MS } from "~/server/storage/sweep.server";

useTestDatabase("uploads-staging");

const EVIDENCE_DIR = path.join(TMP_DIR, `uploads-staging-${process.pid}-${randomBytes(4).toString("hex")}`);
const TMP = path.join(EVIDENCE_DIR, ".tmp");
const savedDir = process.env.EVIDENCE_DIR;
let sibling: ReturnType<typeof spawn> | null = null;

beforeAll(async () => {
  process.env.EVIDENCE_DIR = EVIDENCE_DIR;
  fs.mkdirSync(TMP, { recursive: true });
  await createUser({ username: "st.admin", displayName: "Quản trị", password: "mat-khau-kiem-thu-12", roles: ["system_admin"] }, null);
});

afterAll(() => {
  if (sibling && sibling.exitCode === null) sibling.kill("SIGKILL");
  fs.rmSync(EVIDENCE_DIR, { recursive: true, force: true });
  if (savedDir === undefined) delete process.env.EVIDENCE_DIR;
  else process.env.EVIDENCE_DIR = savedDir;
});

const host = stagingHostTag();
const part = (pid: number, h = host) => `${pid}@${h}~${Date.now().toString(36)}-${randomBytes(8).toString("hex")}.part`;
const put = (name: string, ageMs = 0) => {
  const p = path.join(TMP, name);
  fs.writeFileSync(p, randomBytes(100));
  if (ageMs) fs.utimesSync(p, new Date(Date.now() - ageMs), new Date(Date.now() - ageMs));
  return name;
};
const left = () => fs.readdirSync(TMP).sort();

/** A pid that was alive a moment ago and has exited (a process killed with -9, say). */
function deadPid(): number {
  const r = spawnSync(process.execPath, ["-e", "0"]);
  return r.pid!;
}

describe("staging files at start", () => {
  it("are named after their owner process", async () => {
    const storage = new LocalContentAddressedStorage(EVIDENCE_DIR);
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    async function* slow() {
      yield Buffer.from("%PDF-1.4 first half ");
      await gate;
      yield Buffer.from("second half");
    }
    const pending = storage.putStream(slow(), { maxBytes: 1000 });
    await new Promise((r) => setTimeout(r, 50));
    const [name] = left();
    expect(stagingOwner(name)).toEqual({ pid: process.pid, host });
    // This process's upload is running: a sweep now keeps its file.
    const mid = await storage.sweepStaging();
    expect(mid).toEqual({ removed: [], kept: [name] });
    release();
    const staged = await pending;
    await staged.commit();
    expect(left()).toEqual([]);
  });

  it("bootstrap removes every staging file no running upload owns, and keeps a live sibling's", async () => {
    sibling = spawn(process.execPath, ["-e", "setTimeout(() => {}, 60000)"], { stdio: "ignore" });
    await new Promise((r) => sibling!.once("spawn", r));
    const dead = put(part(deadPid())); // kill -9 of another server process of this host
    const mine = put(part(process.pid)); // a previous process that had our pid, or a lost upload of ours
    const live = put(part(sibling.pid!)); // a sibling server, uploading right now
    const otherHostFresh = put(part(12345, "another-container")); // pids of another host mean nothing here
    const otherHostOld = put(part(12345, "another-container"), 25 * 3600_000);
    const oldFormatFresh = put(`${Date.now().toString(36)}-${randomBytes(8).toString("hex")}.part`);
    const oldFormatOld = put(`${(Date.now() - 90_000_000).toString(36)}-${randomBytes(8).toString("hex")}.part`, 25 * 3600_000);

    const boot = await bootstrap();
    expect(boot.ok).toBe(true);
    expect(left()).toEqual([live, otherHostFresh, oldFormatFresh].sort());
    for (const gone of [dead, mine, otherHostOld, oldFormatOld]) expect(fs.existsSync(path.join(TMP, gone))).toBe(false);

    // Once the sibling is gone, the next start removes its file too.
    sibling.kill("SIGKILL");
    await new Promise((r) => sibling!.once("exit", r));
    await bootstrap();
    expect(left()).toEqual([otherHostFresh, oldFormatFresh].sort());
  });
});

describe("orphan stored files at start", () => {
  it("removes stored files without a blobs row once older than the grace period", async () => {
    const storage = new LocalContentAddressedStorage(EVIDENCE_DIR);
    const store = (content: string, ageMs: number) => {
      const sha = createHash("sha256").update(content).digest("hex");
      const p = storage.pathOf(sha);
      fs.mkdirSync(path.dirname(p), { recursive: true });
      fs.writeFileSync(p, content);
      const t = new Date(Date.now() - ageMs);
      fs.utimesSync(p, t, t);
      return sha;
    };
    const oldOrphan = store("mồ côi cũ", ORPHAN_GRACE_MS + 60_000);
    const freshOrphan = store("mồ côi mới", 0);
    const referenced = store("có hàng trong blobs", 3600_000);
    getDb().$client.prepare("INSERT INTO blobs (sha256, size, mime, created_at) VALUES (?, ?, 'application/pdf', ?)").run(referenced, 20, Date.now());

    await bootstrap();
    expect(fs.existsSync(storage.pathOf(oldOrphan))).toBe(false);
    expect(fs.existsSync(path.dirname(storage.pathOf(oldOrphan)))).toBe(false);
    expect(fs.existsSync(storage.pathOf(freshOrphan))).toBe(true);
    expect(fs.existsSync(storage.pathOf(referenced))).toBe(true);
  });
});
