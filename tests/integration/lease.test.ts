/**
 * Cross-process leases (app/server/db/lease.server.ts) on one SQLite file: two separate Node
 * processes contend for one key many times, and the holders' enter/exit marks, appended to one
 * file, never interleave (never both inside). Also: an expired lease is taken over, a live one is
 * not, and a release removes only the releaser's own row.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { TMP_DIR, useTestDatabase } from "../helpers/db";
import { getDb } from "~/server/db/client.server";
import { releaseLease, renewLease, tryAcquireLease, withLease } from "~/server/db/lease.server";

const dbFile = useTestDatabase("lease");
const ROOT = path.resolve(__dirname, "..", "..");
const TSX = path.join(ROOT, "node_modules", ".bin", "tsx");

/** A contender: ROUNDS times, take the lease, mark enter, hold a few ms, mark exit, release. */
const CONTENDER = `
import fs from "node:fs";
import { withLease } from ${JSON.stringify(path.join(ROOT, "app/server/db/lease.server.ts"))};
const [log, rounds] = [process.env.LEASE_LOG!, Number(process.env.ROUNDS)];
const me = process.pid;
// Start together: each says it is ready, then waits for the other.
fs.writeFileSync(log + ".ready." + me, "");
const dir = log.slice(0, log.lastIndexOf("/"));
const base = log.slice(log.lastIndexOf("/") + 1) + ".ready.";
while (fs.readdirSync(dir).filter((f) => f.startsWith(base)).length < 2) await new Promise((r) => setTimeout(r, 5));
for (let i = 0; i < rounds; i++) {
  await withLease("blob:contended", async () => {
    fs.appendFileSync(log, "enter " + me + "\\n");
    await new Promise((r) => setTimeout(r, 1 + Math.random() * 4));
    fs.appendFileSync(log, "exit " + me + "\\n");
  }, { ttlMs: 5000 });
  // Some work between two holds (a process does not retake one blob's lease in a tight loop).
  await new Promise((r) => setTimeout(r, 2 + Math.random() * 6));
}
`;

function runContender(script: string, log: string, rounds: number): Promise<{ code: number | null; err: string; pid: number }> {
  return new Promise((resolve) => {
    const child = spawn(TSX, [script], { cwd: ROOT, env: { ...process.env, DATABASE_PATH: dbFile(), LEASE_LOG: log, ROUNDS: String(rounds) }, stdio: ["ignore", "pipe", "pipe"] });
    let err = "";
    child.stderr.on("data", (d) => (err += d));
    child.on("exit", (code) => resolve({ code, err, pid: child.pid! }));
  });
}

describe("a lease across processes", () => {
  it("two processes contending for one key are never both inside", async () => {
    fs.mkdirSync(TMP_DIR, { recursive: true });
    const tag = `${process.pid}-${randomBytes(4).toString("hex")}`;
    const script = path.join(TMP_DIR, `lease-contender-${tag}.mts`);
    const log = path.join(TMP_DIR, `lease-log-${tag}.txt`);
    fs.writeFileSync(script, CONTENDER);
    fs.writeFileSync(log, "");
    try {
      const ROUNDS = 40;
      const [a, b] = await Promise.all([runContender(script, log, ROUNDS), runContender(script, log, ROUNDS)]);
      expect(a.err).toBe("");
      expect(b.err).toBe("");
      expect([a.code, b.code]).toEqual([0, 0]);
      const lines = fs.readFileSync(log, "utf8").trim().split("\n");
      expect(lines.length).toBe(4 * ROUNDS);
      // Strictly alternating enter/exit of the same process: nobody entered while another was inside.
      for (let i = 0; i < lines.length; i += 2) {
        const [e, pe] = lines[i].split(" ");
        const [x, px] = lines[i + 1].split(" ");
        expect([e, x, pe]).toEqual(["enter", "exit", px]);
      }
      const holders = lines.filter((_, i) => i % 2 === 0).map((l) => l.split(" ")[1]);
      expect(new Set(holders).size).toBe(2);
      // They really contended: the key went back and forth between the processes.
      expect(holders.filter((h, i) => i > 0 && h !== holders[i - 1]).length).toBeGreaterThan(5);
      // Released at the end: no row left behind.
      expect(getDb().$client.prepare("SELECT count(*) AS n FROM leases WHERE key = 'blob:contended'").get()).toEqual({ n: 0 });
    } finally {
      fs.rmSync(script, { force: true });
      for (const f of fs.readdirSync(TMP_DIR)) if (f.startsWith(path.basename(log))) fs.rmSync(path.join(TMP_DIR, f), { force: true });
    }
  }, 60_000);

  it("a live lease is not taken; an expired one (its holder died) is", () => {
    const db = getDb();
    const now = 1_000_000;
    expect(tryAcquireLease("k1", "A", { ttlMs: 100, now, db })).toBe(true);
    expect(tryAcquireLease("k1", "B", { ttlMs: 100, now: now + 50, db })).toBe(false);
    expect(renewLease("k1", "A", { ttlMs: 100, now: now + 60, db })).toBe(true);
    expect(tryAcquireLease("k1", "B", { ttlMs: 100, now: now + 120, db })).toBe(false);
    expect(tryAcquireLease("k1", "B", { ttlMs: 100, now: now + 161, db })).toBe(true);
    expect(db.$client.prepare("SELECT owner, expires_at AS e FROM leases WHERE key = 'k1'").get()).toEqual({ owner: "B", e: now + 261 });
    // The old holder can neither renew nor release what is now B's.
    expect(renewLease("k1", "A", { now: now + 170, db })).toBe(false);
    releaseLease("k1", "A", db);
    expect(db.$client.prepare("SELECT owner FROM leases WHERE key = 'k1'").get()).toEqual({ owner: "B" });
    releaseLease("k1", "B", db);
    expect(db.$client.prepare("SELECT count(*) AS n FROM leases WHERE key = 'k1'").get()).toEqual({ n: 0 });
  });

  it("withLease releases after a failure and keeps renewing a long holder", async () => {
    const db = getDb();
    await expect(withLease("k2", async () => Promise.reject(new Error("boom")), { db })).rejects.toThrow("boom");
    expect(db.$client.prepare("SELECT count(*) AS n FROM leases WHERE key = 'k2'").get()).toEqual({ n: 0 });
    // ttl 60 ms, renewed every 20 ms: held for 200 ms, another owner never gets it meanwhile.
    let stolen = false;
    await withLease(
      "k3",
      async () => {
        for (let i = 0; i < 10; i++) {
          await new Promise((r) => setTimeout(r, 20));
          if (tryAcquireLease("k3", `thief-${i}`, { ttlMs: 60, db })) stolen = true;
        }
      },
      { ttlMs: 60, db },
    );
    expect(stolen).toBe(false);
  });
});
