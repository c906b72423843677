/**
 * The stored tree paths (migration 0004): units.path and the schools' managing/reviewing paths are
 * kept by triggers on every insert and move, backfilled for rows that existed before, and the
 * scope queries built on them give exactly the subtree, whoever wrote the rows.
 */
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshDatabasePath, TMP_DIR, useTestDatabase } from "../helpers/db";
import { getDb, openDatabase } from "~/server/db/client.server";
import { schools, units } from "~/server/db/schema.server";
import { loadUser, type CurrentUser } from "~/server/auth/session.server";
import { pathRange, schoolScope, unitScope } from "~/server/policy.server";
import { createSchool, createUnit, createUser, updateSchool, updateUnit } from "~/server/services/org.server";
import { eq } from "drizzle-orm";

useTestDatabase("paths");

const t: Record<string, number> = {};
const u: Record<string, CurrentUser> = {};

beforeAll(async () => {
  t.M = createUnit({ kind: "ministry", code: "M", name: "Bộ", parentId: null }, null);
  t.A = createUnit({ kind: "province", code: "A", name: "Sở A", parentId: t.M }, null);
  t.B = createUnit({ kind: "province", code: "B", name: "Sở B", parentId: t.M }, null);
  t.A1 = createUnit({ kind: "district", code: "A1", name: "Phòng A1", parentId: t.A }, null);
  t.sA1 = createSchool({ code: "SA1", name: "TH A1", type: "TH", managingUnitId: t.A1, reviewingUnitId: t.A1 }, null);
  t.sB = createSchool({ code: "SB", name: "TH B", type: "TH", managingUnitId: t.B, reviewingUnitId: t.B }, null);
  u.a = loadUser(await createUser({ username: "admin.a", displayName: "A", password: "mat-khau-kiem-thu", roles: ["office_admin"], unitId: t.A }, null))!;
  u.b = loadUser(await createUser({ username: "admin.b", displayName: "B", password: "mat-khau-kiem-thu", roles: ["office_admin"], unitId: t.B }, null))!;
});

const pathOf = (id: number) => getDb().select({ p: units.path }).from(units).where(eq(units.id, id)).get()!.p;
const schoolPaths = (id: number) => getDb().select({ m: schools.managingPath, r: schools.reviewingPath }).from(schools).where(eq(schools.id, id)).get()!;
const codesIn = (user: CurrentUser) =>
  getDb()
    .select({ code: schools.code })
    .from(schools)
    .where(schoolScope(user))
    .all()
    .map((r) => r.code)
    .sort();
const unitCodesIn = (user: CurrentUser) =>
  getDb()
    .select({ code: units.code })
    .from(units)
    .where(unitScope(user))
    .all()
    .map((r) => r.code)
    .sort();

describe("paths written by triggers", () => {
  it("gives every unit its ancestors' ids and every school its units' paths", () => {
    expect(pathOf(t.A1)).toBe(`/${t.M}/${t.A}/${t.A1}/`);
    expect(schoolPaths(t.sA1)).toEqual({ m: `/${t.M}/${t.A}/${t.A1}/`, r: `/${t.M}/${t.A}/${t.A1}/` });
    expect(codesIn(u.a)).toEqual(["SA1"]);
    expect(unitCodesIn(u.a)).toEqual(["A", "A1"]);
  });

  it("a range never covers a sibling whose id starts with the same digits", () => {
    const r = pathRange("/1/2/");
    const inside = (p: string) => p >= r.from && p < r.to;
    expect(["/1/2/", "/1/2/5/", "/1/2/99/7/"].every(inside)).toBe(true);
    expect(["/1/20/", "/1/23/", "/1/3/", "/1/", "/1/2"].some(inside)).toBe(false);
  });

  it("moving a unit moves its subtree and the schools under it, in scope at once", () => {
    const s = createSchool({ code: "SX", name: "TH X", type: "TH", managingUnitId: t.A1, reviewingUnitId: t.A }, null);
    expect(codesIn(u.a)).toEqual(["SA1", "SX"]);
    expect(updateUnit(t.A1, { kind: "district", code: "A1", name: "Phòng A1", parentId: t.B }, null)).toBe(true);
    expect(pathOf(t.A1)).toBe(`/${t.M}/${t.B}/${t.A1}/`);
    expect(schoolPaths(t.sA1)).toEqual({ m: `/${t.M}/${t.B}/${t.A1}/`, r: `/${t.M}/${t.B}/${t.A1}/` });
    expect(schoolPaths(s)).toEqual({ m: `/${t.M}/${t.B}/${t.A1}/`, r: `/${t.M}/${t.A}/` });
    // SX is still reviewed by Sở A, so A keeps it; B now manages both.
    expect(codesIn(u.a)).toEqual(["SX"]);
    expect(codesIn(u.b)).toEqual(["SA1", "SB", "SX"]);
    expect(unitCodesIn(u.b)).toEqual(["A1", "B"]);
    // Moving a province (with a district below it) rewrites the grandchildren too.
    const N = createUnit({ kind: "ministry", code: "N", name: "Bộ khác", parentId: null }, null);
    expect(updateUnit(t.B, { kind: "province", code: "B", name: "Sở B", parentId: N }, null)).toBe(true);
    expect(pathOf(t.A1)).toBe(`/${N}/${t.B}/${t.A1}/`);
    expect(schoolPaths(t.sA1).m).toBe(`/${N}/${t.B}/${t.A1}/`);
    expect(codesIn(u.b)).toEqual(["SA1", "SB", "SX"]);
    expect(updateUnit(t.B, { kind: "province", code: "B", name: "Sở B", parentId: t.M }, null)).toBe(true);
    expect(pathOf(t.A1)).toBe(`/${t.M}/${t.B}/${t.A1}/`);
  });

  it("re-placing a school rewrites its paths", () => {
    expect(updateSchool(t.sB, { code: "SB", name: "TH B", type: "TH", managingUnitId: t.A, reviewingUnitId: t.A, active: true }, null)).toBe(true);
    expect(schoolPaths(t.sB)).toEqual({ m: `/${t.M}/${t.A}/`, r: `/${t.M}/${t.A}/` });
    expect(codesIn(u.a)).toContain("SB");
    expect(codesIn(u.b)).not.toContain("SB");
  });

  it("rows inserted by raw SQL (imports, restores, seeds) get their paths too", () => {
    const raw = getDb().$client;
    const id = Number(raw.prepare("INSERT INTO units (kind, code, name, search_key, parent_id) VALUES ('district', 'RAW', 'Raw', 'raw', ?)").run(t.A).lastInsertRowid);
    raw.prepare("INSERT INTO schools (code, name, search_key, type, managing_unit_id, reviewing_unit_id) VALUES ('SRAW', 'Raw', 'raw', 'TH', ?, ?)").run(id, id);
    expect(pathOf(id)).toBe(`/${t.M}/${t.A}/${id}/`);
    expect(codesIn(u.a)).toContain("SRAW");
  });
});

describe("migration 0004 on a database that already holds a tree", () => {
  const dir = path.join(TMP_DIR, `migrations-before-0004-${process.pid}`);
  const files: string[] = [];
  const prev = process.env.MIGRATIONS_DIR;
  afterAll(() => {
    for (const f of files) for (const s of ["", "-wal", "-shm"]) fs.rmSync(f + s, { force: true });
    fs.rmSync(dir, { recursive: true, force: true });
    if (prev === undefined) delete process.env.MIGRATIONS_DIR;
    else process.env.MIGRATIONS_DIR = prev;
  });

  it("backfills every unit's and school's paths", () => {
    fs.cpSync(path.resolve("drizzle"), dir, { recursive: true });
    const jf = path.join(dir, "meta", "_journal.json");
    const journal = JSON.parse(fs.readFileSync(jf, "utf8")) as { entries: { tag: string }[] };
    const at = journal.entries.findIndex((e) => e.tag.startsWith("0004_"));
    expect(at).toBe(4);
    for (const e of journal.entries.slice(at)) fs.rmSync(path.join(dir, `${e.tag}.sql`), { force: true });
    journal.entries = journal.entries.slice(0, at);
    fs.writeFileSync(jf, JSON.stringify(journal));

    const file = freshDatabasePath("mig-0004");
    files.push(file);
    process.env.MIGRATIONS_DIR = dir;
    openDatabase(file).$client.close();
    const raw = new Database(file);
    raw.exec(`
      INSERT INTO units (id, kind, code, name, search_key, parent_id) VALUES (1, 'ministry', 'M', 'Bộ', 'bo', NULL);
      INSERT INTO units (id, kind, code, name, search_key, parent_id) VALUES (7, 'province', 'P', 'Sở', 'so', 1);
      INSERT INTO units (id, kind, code, name, search_key, parent_id) VALUES (42, 'district', 'D', 'Phòng', 'phong', 7);
      INSERT INTO schools (code, name, search_key, type, managing_unit_id, reviewing_unit_id) VALUES ('S', 'Trường', 'truong', 'TH', 42, 7);
    `);
    raw.close();
    if (prev === undefined) delete process.env.MIGRATIONS_DIR;
    else process.env.MIGRATIONS_DIR = prev;

    const db = openDatabase(file);
    expect(db.$client.prepare("SELECT id, path FROM units ORDER BY id").all()).toEqual([
      { id: 1, path: "/1/" },
      { id: 7, path: "/1/7/" },
      { id: 42, path: "/1/7/42/" },
    ]);
    expect(db.$client.prepare("SELECT managing_path AS m, reviewing_path AS r FROM schools").get()).toEqual({ m: "/1/7/42/", r: "/1/7/" });
    db.$client.close();
  });
});
