/**
 * The organisation tree and accounts: units, schools, users.
 * Every multi-row change runs in one transaction with its audit entry.
 *
 * Authorization is the caller's job (routes ask policy.server before calling here); list
 * functions take the current user only to filter by the policy's scope helpers and to flag,
 * per row, whether the user may manage it.
 *
 * Lists: search is a LIKE on the stored folded `search_key` (every word of the folded query must
 * occur), so "dong son" finds "Đông Sơn". Ordering: when the filtered set has at most
 * SORT_IN_MEMORY_MAX rows we load (id, name, code) of all of them and sort by name with
 * Intl.Collator('vi') (SQLite orders Vietnamese wrongly), then page in memory; for bigger sets
 * (a system admin listing tens of thousands of schools) we order by code in SQL and page with
 * LIMIT/OFFSET, and the page says so.
 */
import { alias, type AnySQLiteColumn, type SQLiteTable } from "drizzle-orm/sqlite-core";
import { and, count, eq, inArray, ne, or, sql, type SQL } from "drizzle-orm";
import type { Db } from "../db/client.server";
import { countRows, getDb } from "../db/client.server";
import { inOrder, sortKeysByName } from "./paging.server";
import { schools, units, userRoles, users, type Role, type SchoolType } from "../db/schema.server";
import { hashPassword } from "../auth/password.server";
import { destroyUserSessions, type CurrentUser } from "../auth/session.server";
import { can, has, inRange, isOffice, officeRange, schoolScope, unitRange, unitScope, unitSubtree } from "../policy.server";
import { treeChanged } from "../db/tree.server";
import { UNIT_KIND_RANK, type UnitKind as DomainUnitKind } from "~/domain/units";
import { writeAudit } from "./audit.server";
import { cleanText, foldVietnamese, viCollator } from "~/utils/text";
import { pick } from "~/i18n";
import { admin } from "~/i18n/admin";

const t = pick(admin);

export type UnitKind = DomainUnitKind;

/** Rows per page of every admin list. */
export const PAGE_SIZE = 20;
/** Up to this many matching rows a list is sorted by name in JS; above it, by code in SQL. */
export const SORT_IN_MEMORY_MAX = 2000;

/** A validation failure tied to a form field, shown at the field. */
export class OrgError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = "OrgError";
  }
}

function isUniqueViolation(e: unknown): boolean {
  return typeof e === "object" && e != null && "code" in e && String((e as { code: unknown }).code).startsWith("SQLITE_CONSTRAINT_UNIQUE");
}

/* ------------------------------------------------------------------------------------------ */
/* Search and paging                                                                          */
/* ------------------------------------------------------------------------------------------ */

/** LIKE conditions on a folded search key: every word of the folded query must occur. */
export function folded(col: AnySQLiteColumn, q: string | undefined | null): SQL | undefined {
  const words = foldVietnamese(q ?? "")
    .split(" ")
    .filter(Boolean)
    .slice(0, 8);
  if (words.length === 0) return undefined;
  return and(...words.map((w) => sql`${col} LIKE ${`%${w.replace(/[\\%_]/g, (c) => `\\${c}`)}%`} ESCAPE '\\'`));
}

export interface PageInfo {
  page: number;
  pageCount: number;
  pageSize: number;
  total: number;
  sortedBy: "name" | "code";
}

export interface Page<T> extends PageInfo {
  rows: T[];
}

interface KeyRow {
  id: number;
  name: string;
  code: string;
}

/** The ids of one page of a filtered table, ordered as described at the top of this file. */
function pageIds(
  db: Db,
  table: SQLiteTable,
  cols: { id: AnySQLiteColumn; name: AnySQLiteColumn; code: AnySQLiteColumn },
  where: SQL | undefined,
  page: number,
  opts: { pageSize?: number; sortInMemoryMax?: number } = {},
): PageInfo & { ids: number[] } {
  const pageSize = opts.pageSize ?? PAGE_SIZE;
  const total = db.select({ n: count() }).from(table).where(where).get()?.n ?? 0;
  const pageCount = Math.max(1, Math.ceil(total / pageSize));
  const p = Math.min(Math.max(1, Math.trunc(page) || 1), pageCount);
  const offset = (p - 1) * pageSize;
  if (total <= (opts.sortInMemoryMax ?? SORT_IN_MEMORY_MAX)) {
    const keys = db.select({ id: cols.id, name: cols.name, code: cols.code }).from(table).where(where).all() as KeyRow[];
    sortKeysByName(keys);
    return { ids: keys.slice(offset, offset + pageSize).map((k) => k.id), page: p, pageCount, pageSize, total, sortedBy: "name" };
  }
  const ids = (
    db.select({ id: cols.id }).from(table).where(where).orderBy(cols.code, cols.id).limit(pageSize).offset(offset).all() as { id: number }[]
  ).map((r) => r.id);
  return { ids, page: p, pageCount, pageSize, total, sortedBy: "code" };
}

export interface ListQuery {
  q?: string;
  page?: number;
  /** Tests only: override the in-memory sort threshold. */
  sortInMemoryMax?: number;
}

/* ------------------------------------------------------------------------------------------ */
/* Units                                                                                      */
/* ------------------------------------------------------------------------------------------ */

/** Rank of unit kinds in the tree (app/domain/units): a child must rank below its parent. */
const KIND_RANK = UNIT_KIND_RANK;

export interface NewUnit {
  kind: UnitKind;
  code: string;
  name: string;
  parentId: number | null;
}

function checkUnitInput(input: NewUnit, selfId: number | null, db: Db): void {
  const code = input.code.trim();
  const dup = db
    .select({ id: units.id })
    .from(units)
    .where(selfId == null ? eq(units.code, code) : and(eq(units.code, code), ne(units.id, selfId)))
    .get();
  if (dup) throw new OrgError("code", t.units.duplicateCode);
  if (input.parentId != null) {
    const parent = db.select({ id: units.id, kind: units.kind }).from(units).where(eq(units.id, input.parentId)).get();
    if (!parent) throw new OrgError("parentId", t.units.parentNotFound);
    if (selfId != null && unitSubtree(selfId, db).includes(parent.id)) throw new OrgError("parentId", t.units.parentCycle);
    if (KIND_RANK[parent.kind] >= KIND_RANK[input.kind]) throw new OrgError("kind", t.units.kindOrder);
  }
  if (selfId != null) {
    const children = db.select({ kind: units.kind }).from(units).where(eq(units.parentId, selfId)).all();
    if (children.some((c) => KIND_RANK[c.kind] <= KIND_RANK[input.kind])) throw new OrgError("kind", t.units.kindOrder);
  }
}

export function createUnit(input: NewUnit, actorId: number | null, db: Db = getDb()): number {
  const name = cleanText(input.name);
  const code = input.code.trim();
  return db.transaction((tx) => {
    checkUnitInput(input, null, db);
    let row: { id: number };
    try {
      row = tx
        .insert(units)
        .values({ kind: input.kind, code, name, searchKey: foldVietnamese(`${code} ${name}`), parentId: input.parentId })
        .returning({ id: units.id })
        .get();
    } catch (e) {
      if (isUniqueViolation(e)) throw new OrgError("code", t.units.duplicateCode);
      throw e;
    }
    writeAudit(tx, { actorId, action: "unit.create", entityType: "unit", entityId: row.id, unitId: row.id, details: { ...input, code, name } });
    treeChanged();
    return row.id;
  });
}

/** Updates a unit; returns false (and writes nothing) when nothing changed. */
export function updateUnit(id: number, input: NewUnit, actorId: number | null, db: Db = getDb()): boolean {
  const name = cleanText(input.name);
  const code = input.code.trim();
  return db.transaction((tx) => {
    const before = db.select().from(units).where(eq(units.id, id)).get();
    if (!before) throw new OrgError("code", t.errors.unitNotFound);
    checkUnitInput(input, id, db);
    const after = { kind: input.kind, code, name, parentId: input.parentId };
    const changes = diff(before, after);
    if (Object.keys(changes).length === 0) return false;
    try {
      tx.update(units)
        .set({ ...after, searchKey: foldVietnamese(`${code} ${name}`) })
        .where(eq(units.id, id))
        .run();
    } catch (e) {
      if (isUniqueViolation(e)) throw new OrgError("code", t.units.duplicateCode);
      throw e;
    }
    writeAudit(tx, { actorId, action: "unit.update", entityType: "unit", entityId: id, unitId: id, details: { changes } });
    treeChanged();
    return true;
  });
}

/** Fields of `after` whose value differs from `before`, as [before, after]. */
function diff(before: object, after: object): Record<string, [unknown, unknown]> {
  const b = before as Record<string, unknown>;
  const out: Record<string, [unknown, unknown]> = {};
  for (const [k, v] of Object.entries(after)) if (b[k] !== v) out[k] = [b[k], v];
  return out;
}

export interface UnitListRow {
  id: number;
  kind: UnitKind;
  code: string;
  name: string;
  parentId: number | null;
  parentName: string | null;
  canManage: boolean;
}

/** Units the user may read (policy.unitScope), searched and paged. */
export function listUnits(user: CurrentUser, query: ListQuery, db: Db = getDb()): Page<UnitListRow> {
  const where = and(unitScope(user), folded(units.searchKey, query.q));
  const info = pageIds(db, units, units, where, query.page ?? 1, query);
  const parent = alias(units, "parent");
  const rows =
    info.ids.length === 0
      ? []
      : db
          .select({ id: units.id, kind: units.kind, code: units.code, name: units.name, parentId: units.parentId, parentName: parent.name })
          .from(units)
          .leftJoin(parent, eq(parent.id, units.parentId))
          .where(inArray(units.id, info.ids))
          .all();
  const { ids, ...rest } = info;
  return { ...rest, rows: inOrder(ids, rows).map((r) => ({ ...r, canManage: can(user, "unit.manage", { kind: "unit", unitId: r.id }) })) };
}

export interface UnitChoice {
  id: number;
  code: string;
  name: string;
  kind: UnitKind;
  depth: number;
}

/**
 * Units the user may read, in tree order (children sorted by Vietnamese name), with their depth
 * below the nearest visible ancestor. Used for the unit pickers of the admin forms.
 */
export function unitChoices(user: CurrentUser, db: Db = getDb()): UnitChoice[] {
  const rows = db
    .select({ id: units.id, code: units.code, name: units.name, kind: units.kind, parentId: units.parentId })
    .from(units)
    .where(unitScope(user))
    .all();
  const ids = new Set(rows.map((r) => r.id));
  const children = new Map<number | null, typeof rows>();
  for (const r of rows) {
    const key = r.parentId != null && ids.has(r.parentId) ? r.parentId : null;
    const list = children.get(key) ?? [];
    list.push(r);
    children.set(key, list);
  }
  const out: UnitChoice[] = [];
  const visit = (parent: number | null, depth: number) => {
    const list = (children.get(parent) ?? []).sort((a, b) => viCollator.compare(a.name, b.name) || viCollator.compare(a.code, b.code));
    for (const r of list) {
      if (depth > 16) continue;
      out.push({ id: r.id, code: r.code, name: r.name, kind: r.kind, depth });
      visit(r.id, depth + 1);
    }
  };
  visit(null, 0);
  return out;
}

/* ------------------------------------------------------------------------------------------ */
/* Schools                                                                                    */
/* ------------------------------------------------------------------------------------------ */

export interface NewSchool {
  code: string;
  name: string;
  type: SchoolType;
  managingUnitId: number;
  reviewingUnitId: number;
}

function checkSchoolInput(input: NewSchool, selfId: number | null, db: Db): void {
  const code = input.code.trim();
  const dup = db
    .select({ id: schools.id })
    .from(schools)
    .where(selfId == null ? eq(schools.code, code) : and(eq(schools.code, code), ne(schools.id, selfId)))
    .get();
  if (dup) throw new OrgError("code", t.schools.duplicateCode);
  for (const field of ["managingUnitId", "reviewingUnitId"] as const) {
    if (!db.select({ id: units.id }).from(units).where(eq(units.id, input[field])).get()) throw new OrgError(field, t.schools.unitNotFound);
  }
}

export function createSchool(input: NewSchool, actorId: number | null, db: Db = getDb()): number {
  const name = cleanText(input.name);
  const code = input.code.trim();
  return db.transaction((tx) => {
    checkSchoolInput(input, null, db);
    let row: { id: number };
    try {
      row = tx
        .insert(schools)
        .values({ ...input, code, name, searchKey: foldVietnamese(`${code} ${name}`) })
        .returning({ id: schools.id })
        .get();
    } catch (e) {
      if (isUniqueViolation(e)) throw new OrgError("code", t.schools.duplicateCode);
      throw e;
    }
    writeAudit(tx, {
      actorId,
      action: "school.create",
      entityType: "school",
      entityId: row.id,
      schoolId: row.id,
      details: { ...input, code, name },
    });
    treeChanged();
    return row.id;
  });
}

export interface SchoolUpdate extends NewSchool {
  active: boolean;
}

/** Updates a school; returns false (and writes nothing) when nothing changed. */
export function updateSchool(id: number, input: SchoolUpdate, actorId: number | null, db: Db = getDb(), now = Date.now()): boolean {
  const name = cleanText(input.name);
  const code = input.code.trim();
  return db.transaction((tx) => {
    const before = db.select().from(schools).where(eq(schools.id, id)).get();
    if (!before) throw new OrgError("code", t.errors.schoolNotFound);
    checkSchoolInput(input, id, db);
    const after = { code, name, type: input.type, managingUnitId: input.managingUnitId, reviewingUnitId: input.reviewingUnitId, active: input.active };
    const changes = diff(before, after);
    if (Object.keys(changes).length === 0) return false;
    try {
      tx.update(schools)
        .set({ ...after, searchKey: foldVietnamese(`${code} ${name}`), updatedAt: new Date(now) })
        .where(eq(schools.id, id))
        .run();
    } catch (e) {
      if (isUniqueViolation(e)) throw new OrgError("code", t.schools.duplicateCode);
      throw e;
    }
    writeAudit(tx, { actorId, action: "school.update", entityType: "school", entityId: id, schoolId: id, details: { changes } }, now);
    treeChanged();
    return true;
  });
}

export interface SchoolListQuery extends ListQuery {
  type?: SchoolType;
  /** Schools managed or reviewed by this unit or a unit below it. */
  unitId?: number;
}

export interface UnitRef {
  id: number;
  code: string;
  name: string;
}

export interface SchoolListRow {
  id: number;
  code: string;
  name: string;
  type: SchoolType;
  active: boolean;
  managingUnit: UnitRef;
  reviewingUnit: UnitRef;
  canManage: boolean;
}

/** Schools the user may read (policy.schoolScope), searched, filtered and paged. */
export function listSchools(user: CurrentUser, query: SchoolListQuery, db: Db = getDb()): Page<SchoolListRow> {
  let unitCond: SQL | undefined;
  if (query.unitId != null) {
    const r = unitRange(query.unitId);
    unitCond = r ? sql`(${inRange(schools.managingPath, r)} OR ${inRange(schools.reviewingPath, r)})` : sql`1 = 0`;
  }
  const where = and(schoolScope(user), folded(schools.searchKey, query.q), query.type ? eq(schools.type, query.type) : undefined, unitCond);
  const info = pageIds(db, schools, schools, where, query.page ?? 1, query);
  const m = alias(units, "m");
  const r = alias(units, "r");
  const rows =
    info.ids.length === 0
      ? []
      : db
          .select({
            id: schools.id,
            code: schools.code,
            name: schools.name,
            type: schools.type,
            active: schools.active,
            managingUnit: { id: m.id, code: m.code, name: m.name },
            reviewingUnit: { id: r.id, code: r.code, name: r.name },
          })
          .from(schools)
          .innerJoin(m, eq(m.id, schools.managingUnitId))
          .innerJoin(r, eq(r.id, schools.reviewingUnitId))
          .where(inArray(schools.id, info.ids))
          .all();
  const { ids, ...rest } = info;
  return {
    ...rest,
    rows: inOrder(ids, rows).map((row) => ({
      ...row,
      // The row carries the placement: the policy needs no lookup, and the tree is cached per request.
      canManage: can(user, "school.manage", { kind: "school", schoolId: row.id, managingUnitId: row.managingUnit.id, reviewingUnitId: row.reviewingUnit.id }),
    })),
  };
}

export function findSchoolByCode(code: string, db: Db = getDb()) {
  return db.select().from(schools).where(eq(schools.code, code.trim())).get();
}

/* ------------------------------------------------------------------------------------------ */
/* Users                                                                                      */
/* ------------------------------------------------------------------------------------------ */

export interface NewUser {
  username: string;
  displayName: string;
  password: string;
  roles: Role[];
  unitId?: number | null;
  schoolId?: number | null;
  /**
   * Whether the user must choose their own password at first sign-in. Default: yes when an admin
   * creates the account (actorId set), no for accounts created by the system (demo seed, tests).
   */
  mustChangePassword?: boolean;
}

export async function createUser(input: NewUser, actorId: number | null, db: Db = getDb()): Promise<number> {
  const username = input.username.trim().toLowerCase();
  const displayName = cleanText(input.displayName);
  if (db.select({ id: users.id }).from(users).where(eq(users.username, username)).get()) throw new OrgError("username", t.users.duplicateUsername);
  const passwordHash = await hashPassword(input.password);
  const roles = [...new Set(input.roles)];
  const mustChangePassword = input.mustChangePassword ?? actorId !== null;
  return db.transaction((tx) => {
    let row: { id: number };
    try {
      row = tx
        .insert(users)
        .values({
          username,
          displayName,
          searchKey: foldVietnamese(`${username} ${displayName}`),
          passwordHash,
          unitId: input.unitId ?? null,
          schoolId: input.schoolId ?? null,
          mustChangePassword,
        })
        .returning({ id: users.id })
        .get();
    } catch (e) {
      if (isUniqueViolation(e)) throw new OrgError("username", t.users.duplicateUsername);
      throw e;
    }
    for (const role of roles) tx.insert(userRoles).values({ userId: row.id, role }).run();
    writeAudit(tx, {
      actorId,
      action: "user.create",
      entityType: "user",
      entityId: row.id,
      unitId: input.unitId ?? null,
      schoolId: input.schoolId ?? null,
      details: { username, displayName, roles, mustChangePassword },
    });
    return row.id;
  });
}

export function countUsers(db: Db = getDb()): number {
  return countRows(users, undefined, db);
}

export function getUnit(id: number, db: Db = getDb()) {
  return db.select().from(units).where(eq(units.id, id)).get();
}

export function getSchool(id: number, db: Db = getDb()) {
  return db.select().from(schools).where(eq(schools.id, id)).get();
}

export interface UserDetail {
  id: number;
  username: string;
  displayName: string;
  active: boolean;
  unitId: number | null;
  schoolId: number | null;
  schoolCode: string | null;
  schoolName: string | null;
  unitName: string | null;
  roles: Role[];
  lastLoginAt: Date | null;
  mustChangePassword: boolean;
}

export function getUserDetail(id: number, db: Db = getDb()): UserDetail | undefined {
  const row = db
    .select({
      id: users.id,
      username: users.username,
      displayName: users.displayName,
      active: users.active,
      unitId: users.unitId,
      schoolId: users.schoolId,
      schoolCode: schools.code,
      schoolName: schools.name,
      unitName: units.name,
      lastLoginAt: users.lastLoginAt,
      mustChangePassword: users.mustChangePassword,
    })
    .from(users)
    .leftJoin(schools, eq(schools.id, users.schoolId))
    .leftJoin(units, eq(units.id, users.unitId))
    .where(eq(users.id, id))
    .get();
  if (!row) return undefined;
  const roles = db.select({ role: userRoles.role }).from(userRoles).where(eq(userRoles.userId, id)).all().map((r) => r.role);
  return { ...row, roles };
}

export interface UserUpdate {
  displayName: string;
  roles: Role[];
  unitId: number | null;
  schoolId: number | null;
  active: boolean;
}

/**
 * Updates a user's name, roles, scope and active flag in one transaction with its audit entry.
 * Deactivating a user ends all their sessions. Returns whether anything changed.
 */
export function updateUser(id: number, input: UserUpdate, actorId: number | null, db: Db = getDb()): { changed: boolean; deactivated: boolean } {
  const displayName = cleanText(input.displayName);
  const roles = [...new Set(input.roles)].sort();
  const result = db.transaction((tx) => {
    const before = getUserDetail(id, db);
    if (!before) throw new OrgError("displayName", t.errors.userNotFound);
    const changes = diff(before, { displayName, unitId: input.unitId, schoolId: input.schoolId, active: input.active });
    const beforeRoles = [...before.roles].sort();
    if (beforeRoles.join(",") !== roles.join(",")) changes.roles = [beforeRoles, roles];
    if (Object.keys(changes).length === 0) return { changed: false, deactivated: false };
    tx.update(users)
      .set({
        displayName,
        searchKey: foldVietnamese(`${before.username} ${displayName}`),
        unitId: input.unitId,
        schoolId: input.schoolId,
        active: input.active,
      })
      .where(eq(users.id, id))
      .run();
    if (changes.roles) {
      tx.delete(userRoles).where(eq(userRoles.userId, id)).run();
      for (const role of roles) tx.insert(userRoles).values({ userId: id, role }).run();
    }
    writeAudit(tx, {
      actorId,
      action: before.active && !input.active ? "user.deactivate" : "user.update",
      entityType: "user",
      entityId: id,
      unitId: input.unitId,
      schoolId: input.schoolId,
      details: { changes },
    });
    return { changed: true, deactivated: before.active && !input.active };
  });
  if (result.deactivated) destroyUserSessions(id);
  return result;
}

/**
 * Sets a new password (hashed), audits it, and ends every session of the user. The user must change
 * it at their next sign-in (an admin knows it).
 */
export async function resetUserPassword(id: number, password: string, actorId: number | null, db: Db = getDb()): Promise<void> {
  const passwordHash = await hashPassword(password);
  db.transaction((tx) => {
    const row = tx.select({ unitId: users.unitId, schoolId: users.schoolId }).from(users).where(eq(users.id, id)).get();
    if (!row) throw new OrgError("password", t.errors.userNotFound);
    tx.update(users).set({ passwordHash, mustChangePassword: true }).where(eq(users.id, id)).run();
    writeAudit(tx, {
      actorId,
      action: "user.password_reset",
      entityType: "user",
      entityId: id,
      unitId: row.unitId,
      schoolId: row.schoolId,
      details: { mustChangePassword: true },
    });
  });
  destroyUserSessions(id);
}

/**
 * Users the user may see: unit in their subtree, or school in their school scope; everyone for
 * system admins. Both halves start from the scope's indexed path ranges (units.path, the schools'
 * paths) and reach users through users_unit_idx / users_school_idx, so the cost follows the scope.
 */
export function userScope(user: CurrentUser, _db: Db = getDb()): SQL {
  if (has(user, "system_admin")) return sql`1 = 1`;
  const r = officeRange(user);
  if (!r) return sql`1 = 0`;
  // One UNION of indexed lookups, by id: an OR of the two halves made SQLite scan every user of the nation.
  return sql`${users.id} IN (SELECT x.id FROM users x WHERE x.unit_id IN (SELECT u.id FROM units u WHERE u.path >= ${r.from} AND u.path < ${r.to})
    UNION ALL SELECT y.id FROM users y WHERE y.school_id IN (SELECT s.id FROM schools s WHERE s.managing_path >= ${r.from} AND s.managing_path < ${r.to}
      UNION SELECT s.id FROM schools s WHERE s.reviewing_path >= ${r.from} AND s.reviewing_path < ${r.to}))`;
}

export interface UserListRow {
  id: number;
  username: string;
  displayName: string;
  active: boolean;
  roles: Role[];
  unitName: string | null;
  schoolCode: string | null;
  schoolName: string | null;
  lastLoginAt: Date | null;
  mustChangePassword: boolean;
  canManage: boolean;
}

/**
 * Users in scope, searched and paged. `canManage` is decided by `mayManage` (the route passes
 * the policy's canManageUser, which adds "never a system admin" to user.manage).
 */
export function listUsers(
  user: CurrentUser,
  query: ListQuery,
  mayManage: (target: { unitId: number | null; schoolId: number | null; roles: Role[] }) => boolean,
  db: Db = getDb(),
): Page<UserListRow> {
  const where = and(userScope(user, db), folded(users.searchKey, query.q));
  const info = pageIds(db, users, { id: users.id, name: users.displayName, code: users.username }, where, query.page ?? 1, query);
  const rows =
    info.ids.length === 0
      ? []
      : db
          .select({
            id: users.id,
            username: users.username,
            displayName: users.displayName,
            active: users.active,
            unitId: users.unitId,
            schoolId: users.schoolId,
            unitName: units.name,
            schoolCode: schools.code,
            schoolName: schools.name,
            lastLoginAt: users.lastLoginAt,
            mustChangePassword: users.mustChangePassword,
          })
          .from(users)
          .leftJoin(units, eq(units.id, users.unitId))
          .leftJoin(schools, eq(schools.id, users.schoolId))
          .where(inArray(users.id, info.ids))
          .all();
  const roleRows = info.ids.length === 0 ? [] : db.select().from(userRoles).where(inArray(userRoles.userId, info.ids)).all();
  const rolesOf = new Map<number, Role[]>();
  for (const r of roleRows) rolesOf.set(r.userId, [...(rolesOf.get(r.userId) ?? []), r.role]);
  const { ids, ...rest } = info;
  return {
    ...rest,
    rows: inOrder(ids, rows).map(({ unitId, schoolId, ...r }) => {
      const roles = rolesOf.get(r.id) ?? [];
      return { ...r, roles, canManage: mayManage({ unitId, schoolId, roles }) };
    }),
  };
}
