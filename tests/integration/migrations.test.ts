/** The database opens with WAL and foreign keys, migrations are idempotent and keep data. */
import fs from "node:fs";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { count } from "drizzle-orm";
import { freshDatabasePath } from "../helpers/db";
import { openDatabase, PREPARED_DATABASE_ENV } from "~/server/db/client.server";
import { schools, units, users, userRoles } from "~/server/db/schema.server";
import { createSchool, createUnit, createUser } from "~/server/services/org.server";

const files: string[] = [];
afterAll(() => {
  for (const f of files) for (const s of ["", "-wal", "-shm"]) fs.rmSync(f + s, { force: true });
});

describe("openDatabase", () => {
  it("uses WAL and enforces foreign keys", () => {
    const file = freshDatabasePath("mig");
    files.push(file);
    const db = openDatabase(file);
    expect(db.$client.pragma("journal_mode", { simple: true })).toBe("wal");
    expect(db.$client.pragma("foreign_keys", { simple: true })).toBe(1);
    expect(() => db.$client.prepare("INSERT INTO schools (code, name, search_key, type, managing_unit_id, reviewing_unit_id) VALUES ('x','x','x','TH', 999, 999)").run()).toThrow(/FOREIGN KEY/);
    db.$client.close();
  });

  it("re-running migrations on a database holding data keeps every row", async () => {
    const file = freshDatabasePath("mig");
    files.push(file);
    const db = openDatabase(file);
    const p = createUnit({ kind: "province", code: "P1", name: "Sở Một", parentId: null }, null, db);
    const d = createUnit({ kind: "district", code: "D1", name: "Phòng Một", parentId: p }, null, db);
    createSchool({ code: "T1", name: "Trường Một", type: "TH", managingUnitId: d, reviewingUnitId: d }, null, db);
    await createUser({ username: "u1", displayName: "U", password: "mat-khau-dai-qua", roles: ["school_staff", "school_head"], schoolId: 1 }, null, db);
    db.$client.close();

    const again = openDatabase(file);
    const n = (t: Parameters<typeof again.select>[0] extends never ? never : any) => again.select({ n: count() }).from(t).get()!.n;
    expect([n(units), n(schools), n(users), n(userRoles)]).toEqual([2, 1, 1, 2]);
    again.$client.close();
  });

  /** A migrated file holding a school whose units do not exist, open raw (foreign keys off) for more changes. */
  function fileWithOrphan(): { file: string; raw: Database.Database } {
    const file = freshDatabasePath("mig");
    files.push(file);
    openDatabase(file).$client.close();
    const raw = new Database(file);
    raw.pragma("foreign_keys = OFF");
    raw.prepare("INSERT INTO schools (code, name, search_key, type, managing_unit_id, reviewing_unit_id) VALUES ('orphan','o','o','TH', 424242, 424242)").run();
    return { file, raw };
  }

  it("refuses to open a database whose rows break foreign keys", () => {
    const { file, raw } = fileWithOrphan();
    raw.close();
    expect(() => openDatabase(file)).toThrow(/foreign key violation/);
  });

  it("a server worker opens the file its primary prepared without migrating or checking it again, with foreign keys on", () => {
    const { file, raw } = fileWithOrphan();
    const migrations = (raw.prepare("SELECT count(*) AS n FROM __drizzle_migrations").get() as { n: number }).n;
    raw.prepare("DELETE FROM __drizzle_migrations WHERE rowid = (SELECT max(rowid) FROM __drizzle_migrations)").run();
    raw.close();
    process.env[PREPARED_DATABASE_ENV] = file;
    try {
      const db = openDatabase(file);
      expect(db.$client.pragma("foreign_keys", { simple: true })).toBe(1);
      expect((db.$client.prepare("SELECT count(*) AS n FROM __drizzle_migrations").get() as { n: number }).n).toBe(migrations - 1);
      db.$client.close();
    } finally {
      delete process.env[PREPARED_DATABASE_ENV];
    }
    // Another file, or no primary: the full open (which here refuses the orphan row).
    expect(() => openDatabase(file)).toThrow();
  });
});
