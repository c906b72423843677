/**
 * The WAL checkpointer (app/server/db/checkpointer.server.ts): with CDS_BACKGROUND_CHECKPOINT=1 the
 * request connections leave checkpoints to the thread, and the thread copies every frame back.
 */
import fs from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import { freshDatabasePath } from "../helpers/db";
import { openDatabase } from "~/server/db/client.server";
import { BACKGROUND_AUTOCHECKPOINT_PAGES, BACKGROUND_CHECKPOINT_ENV, startCheckpointer, type CheckpointTick } from "~/server/db/checkpointer.server";

const files: string[] = [];
afterAll(() => {
  for (const f of files) for (const s of ["", "-wal", "-shm"]) fs.rmSync(f + s, { force: true });
});

function open(background: boolean) {
  const file = freshDatabasePath("checkpointer");
  files.push(file);
  const prev = process.env[BACKGROUND_CHECKPOINT_ENV];
  if (background) process.env[BACKGROUND_CHECKPOINT_ENV] = "1";
  else delete process.env[BACKGROUND_CHECKPOINT_ENV];
  try {
    return { file, db: openDatabase(file) };
  } finally {
    if (prev === undefined) delete process.env[BACKGROUND_CHECKPOINT_ENV];
    else process.env[BACKGROUND_CHECKPOINT_ENV] = prev;
  }
}

describe("background WAL checkpoints", () => {
  it("request connections keep SQLite's default unless a checkpointer runs", () => {
    const plain = open(false);
    expect(plain.db.$client.pragma("wal_autocheckpoint", { simple: true })).toBe(1000);
    plain.db.$client.close();
    const bg = open(true);
    expect(bg.db.$client.pragma("wal_autocheckpoint", { simple: true })).toBe(BACKGROUND_AUTOCHECKPOINT_PAGES);
    bg.db.$client.close();
  });

  it("the thread checkpoints what the request connection wrote, without the request doing it", async () => {
    const { file, db } = open(true);
    const c = db.$client;
    // About 3,000 pages of writes: more than the default 1,000, so a request would have checkpointed.
    const insert = c.prepare("INSERT INTO leases (key, owner, expires_at) VALUES (?, ?, 0)");
    const filler = "x".repeat(3000);
    c.transaction(() => {
      for (let i = 0; i < 3000; i++) insert.run(`k${i}`, filler);
    })();
    const walBefore = fs.statSync(`${file}-wal`).size;
    expect(walBefore).toBeGreaterThan(1000 * 4096);

    const cp = startCheckpointer(file, 50);
    const tick = await new Promise<CheckpointTick>((resolve) => cp.onTick((t) => t.log > 0 && resolve(t)));
    await cp.stop();
    expect(tick.busy).toBe(0);
    expect(tick.checkpointed).toBe(tick.log);
    // Nothing was left for the next commit to copy: a checkpoint now finds every frame done.
    const [after] = c.pragma("wal_checkpoint(PASSIVE)") as { log: number; checkpointed: number }[];
    expect(after.checkpointed).toBe(after.log);
    c.close();
  });
});
