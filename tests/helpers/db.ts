/**
 * Integration tests run on a real SQLite file: each test file gets its own fresh database
 * under tests/.tmp/ (migrations applied, working catalogue seeded), removed afterwards.
 */
import fs from "node:fs";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll } from "vitest";
import { closeDb, getDb } from "~/server/db/client.server";
import "~/server/services/catalogue-seed.server";

export const TMP_DIR = path.resolve(__dirname, "..", ".tmp");

export function freshDatabasePath(label = "test"): string {
  fs.mkdirSync(TMP_DIR, { recursive: true });
  return path.join(TMP_DIR, `${label}-${process.pid}-${randomBytes(4).toString("hex")}.sqlite`);
}

/** Points DATABASE_PATH at a fresh file for this test file; returns a getter for its path. */
export function useTestDatabase(label = "test"): () => string {
  let file = "";
  const prev = process.env.DATABASE_PATH;
  beforeAll(() => {
    file = freshDatabasePath(label);
    process.env.DATABASE_PATH = file;
    process.env.SESSION_SECRET ||= "test-secret-not-for-production";
    getDb();
  });
  afterAll(() => {
    closeDb();
    for (const suffix of ["", "-wal", "-shm"]) fs.rmSync(file + suffix, { force: true });
    if (prev === undefined) delete process.env.DATABASE_PATH;
    else process.env.DATABASE_PATH = prev;
  });
  return () => file;
}
