/** Migration 0003 (users.must_change_password) applied to a database that already holds users and sessions. */
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { freshDatabasePath, TMP_DIR } from "../helpers/db";
import { openDatabase } from "~/server/db/client.server";
import { sessions, userRoles, users } from "~/server/db/schema.server";

const TAG = "0003_users_must_change_password";
const files: string[] = [];
const oldMigrations = path.join(TMP_DIR, `migrations-before-0003-${process.pid}`);
const prevDir = process.env.MIGRATIONS_DIR;

afterAll(() => {
  for (const f of files) for (const s of ["", "-wal", "-shm"]) fs.rmSync(f + s, { force: true });
  fs.rmSync(oldMigrations, { recursive: true, force: true });
  if (prevDir === undefined) delete process.env.MIGRATIONS_DIR;
  else process.env.MIGRATIONS_DIR = prevDir;
});

/** The drizzle folder as it was before this migration (journal cut just before it). */
function migrationsBefore(): string {
  const src = path.resolve(process.cwd(), "drizzle");
  fs.cpSync(src, oldMigrations, { recursive: true });
  const journalFile = path.join(oldMigrations, "meta", "_journal.json");
  const journal = JSON.parse(fs.readFileSync(journalFile, "utf8")) as { entries: { tag: string }[] };
  const at = journal.entries.findIndex((e) => e.tag === TAG);
  expect(at).toBeGreaterThan(0);
  for (const e of journal.entries.slice(at)) fs.rmSync(path.join(oldMigrations, `${e.tag}.sql`), { force: true });
  journal.entries = journal.entries.slice(0, at);
  fs.writeFileSync(journalFile, JSON.stringify(journal));
  return oldMigrations;
}

describe(`migration ${TAG}`, () => {
  it("adds must_change_password = false to every existing user and keeps users, roles and sessions", () => {
    const file = freshDatabasePath("mig-0003");
    files.push(file);
    process.env.MIGRATIONS_DIR = migrationsBefore();
    openDatabase(file).$client.close();
    const raw = new Database(file);
    const cols = (raw.prepare("PRAGMA table_info(users)").all() as { name: string }[]).map((c) => c.name);
    expect(cols).not.toContain("must_change_password");
    const now = Date.now();
    for (let i = 1; i <= 3; i++) {
      raw.prepare("INSERT INTO users (username, display_name, search_key, password_hash, last_login_at) VALUES (?, ?, ?, 'scrypt$x', ?)").run(`u${i}`, `Người ${i}`, `nguoi ${i}`, i === 1 ? null : now);
      raw.prepare("INSERT INTO user_roles (user_id, role) VALUES (?, 'school_staff')").run(i);
      raw.prepare("INSERT INTO sessions (id, user_id, expires_at, last_seen_at) VALUES (?, ?, ?, ?)").run(`s${i}`, i, now + 1000, now);
    }
    raw.close();

    if (prevDir === undefined) delete process.env.MIGRATIONS_DIR;
    else process.env.MIGRATIONS_DIR = prevDir;
    const db = openDatabase(file);
    const rows = db.select().from(users).all();
    expect(rows.map((u) => [u.username, u.mustChangePassword, u.lastLoginAt?.getTime() ?? null])).toEqual([
      ["u1", false, null],
      ["u2", false, now],
      ["u3", false, now],
    ]);
    expect(db.select().from(userRoles).all()).toHaveLength(3);
    expect(db.select().from(sessions).all()).toHaveLength(3);
    // The column is NOT NULL with a default: a new row without it gets false.
    db.$client.prepare("INSERT INTO users (username, display_name, search_key, password_hash) VALUES ('u4', 'N', 'n', 'scrypt$x')").run();
    expect(db.$client.prepare("SELECT must_change_password FROM users WHERE username = 'u4'").pluck().get()).toBe(0);
    // Opening again is a no-op.
    db.$client.close();
    const again = openDatabase(file);
    expect(again.select().from(users).all()).toHaveLength(4);
    again.$client.close();
  });
});
