/**
 * Where a user stands in the organisation tree, loaded once per request.
 *
 * The policy asks "is unit X at or below this user's unit?" for every row of a list. Instead of
 * one recursive query per question, the user's subtree is loaded once into a Set and the ancestry
 * of each unit looked up is remembered, both in a cache keyed by the CurrentUser object (a
 * WeakMap: `requireUser`/`getUser` build a new object for every request, so the cache lives and
 * dies with the request). School placements asked about are remembered the same way. A change to
 * the tree or to a school's placement in this process (`treeChanged()`, called by the unit and
 * school services and the import) invalidates every cache, so a request that moves a unit or a
 * school and then asks again sees the new tree.
 */
import { eq, sql, type SQL } from "drizzle-orm";
import type { AnySQLiteColumn } from "drizzle-orm/sqlite-core";
import { getDb, prepared } from "../db/client.server";
import { schools, units, type Role } from "../db/schema.server";
import { treeVersion, unitAncestry, unitSubtree } from "../db/tree.server";
import type { CurrentUser } from "../auth/session.server";

export { unitAncestry, unitSubtree };

export const has = (user: CurrentUser | null, role: Role): boolean => !!user && user.roles.includes(role);
export const isSystemAdmin = (user: CurrentUser | null): boolean => has(user, "system_admin");
export const isOffice = (user: CurrentUser | null): boolean => has(user, "office_admin") || has(user, "office_reviewer");
export const isSchoolUser = (user: CurrentUser | null): boolean => has(user, "school_staff") || has(user, "school_head");

interface ScopeCache {
  version: number;
  /** The user's unit and every unit below it (empty without an office unit). */
  subtree: ReadonlySet<number> | null;
  /** Unit id → the unit and its ancestors, nearest first. */
  ancestry: Map<number, readonly number[]>;
  /** School id → its placement (null: no such school). */
  schools: Map<number, SchoolPlacementRow | null>;
  /** The office unit's subtree as a path range (undefined: not loaded yet). */
  range?: PathRange | null;
}

export interface SchoolPlacementRow {
  id: number;
  managingUnitId: number;
  reviewingUnitId: number;
}

const caches = new WeakMap<CurrentUser, ScopeCache>();

function cacheFor(user: CurrentUser): ScopeCache {
  const version = treeVersion();
  let c = caches.get(user);
  if (!c || c.version !== version) {
    c = { version, subtree: null, ancestry: new Map(), schools: new Map() };
    caches.set(user, c);
  }
  return c;
}

/** The user's office unit and every unit below it, loaded once per user object. */
export function subtreeOf(user: CurrentUser): ReadonlySet<number> {
  const c = cacheFor(user);
  if (!c.subtree) c.subtree = new Set(user.unitId != null && isOffice(user) ? unitSubtree(user.unitId) : []);
  return c.subtree;
}

/** Is unit `unitId` the user's office unit or below it? */
export function within(user: CurrentUser, unitId: number | null | undefined): boolean {
  return unitId != null && subtreeOf(user).has(unitId);
}

/** The unit and its ancestors, nearest first; remembered per user object. */
export function ancestryOf(user: CurrentUser | null, unitId: number): readonly number[] {
  if (!user) return unitAncestry(unitId);
  const c = cacheFor(user);
  let a = c.ancestry.get(unitId);
  if (!a) {
    a = unitAncestry(unitId);
    c.ancestry.set(unitId, a);
  }
  return a;
}

/** Is `unitId` the unit `of` or one of its ancestors? */
export function isAtOrAbove(user: CurrentUser | null, unitId: number, of: number): boolean {
  return unitId === of || ancestryOf(user, of).includes(unitId);
}

function schoolRowQuery(schoolId: number): SchoolPlacementRow | undefined {
  const db = getDb();
  return prepared(db, "policy.school", () =>
    db
      .select({ id: schools.id, managingUnitId: schools.managingUnitId, reviewingUnitId: schools.reviewingUnitId })
      .from(schools)
      .where(eq(schools.id, sql.placeholder("id")))
      .prepare(),
  ).get({ id: schoolId });
}

/** A school's placement, remembered per user object like the tree (a school write bumps the version too). */
export function schoolPlacement(user: CurrentUser | null, schoolId: number): SchoolPlacementRow | null {
  if (!user) return schoolRowQuery(schoolId) ?? null;
  const c = cacheFor(user);
  if (!c.schools.has(schoolId)) c.schools.set(schoolId, schoolRowQuery(schoolId) ?? null);
  return c.schools.get(schoolId)!;
}

/* ------------------------------------------------------------------------------------------ */
/* Scope of lists, as SQL                                                                     */
/* ------------------------------------------------------------------------------------------ */

/** Units this user can see: "all" for system admins, else their unit's subtree (empty for school users). */
export function visibleUnitIds(user: CurrentUser): number[] | "all" {
  if (isSystemAdmin(user)) return "all";
  return [...subtreeOf(user)];
}

/**
 * The subtree of a unit as a range of `units.path` (kept by triggers, migration 0004): a path
 * "/1/7/" covers itself and every path that starts with it, i.e. [ "/1/7/", "/1/70" ) since "0"
 * follows "/" in ASCII. Each bound is an index seek, so a scope costs the size of the scope.
 */
export interface PathRange {
  from: string;
  to: string;
}
export function pathRange(path: string): PathRange {
  return { from: path, to: path.slice(0, -1) + "0" };
}

function unitPathQuery(unitId: number): string | null {
  const db = getDb();
  const row = prepared(db, "policy.unitPath", () => db.$client.prepare<[number], { path: string }>("SELECT path FROM units WHERE id = ?")).get(unitId);
  return row?.path ? row.path : null;
}

/** A unit's subtree as a path range (null: no such unit). */
export function unitRange(unitId: number): PathRange | null {
  const path = unitPathQuery(unitId);
  return path ? pathRange(path) : null;
}

/** The user's office unit subtree as a path range (null: no office unit). Remembered per request. */
export function officeRange(user: CurrentUser): PathRange | null {
  if (!isOffice(user) || user.unitId == null) return null;
  const c = cacheFor(user);
  if (c.range === undefined) {
    const path = unitPathQuery(user.unitId);
    c.range = path ? pathRange(path) : null;
  }
  return c.range;
}

/** `column` within the range, as two bounds the planner turns into one index range. */
export function inRange(column: AnySQLiteColumn, r: PathRange): SQL {
  return sql`(${column} >= ${r.from} AND ${column} < ${r.to})`;
}

/** SQL condition limiting `schools` rows to those the user may read: managed or reviewed in the subtree. */
export function schoolScope(user: CurrentUser): SQL {
  if (isSystemAdmin(user)) return sql`1 = 1`;
  const r = officeRange(user);
  if (r) return sql`(${inRange(schools.managingPath, r)} OR ${inRange(schools.reviewingPath, r)})`;
  if (isSchoolUser(user) && user.schoolId != null) return eq(schools.id, user.schoolId);
  return sql`1 = 0`;
}

/** SQL condition limiting `units` rows to those the user may read. */
export function unitScope(user: CurrentUser): SQL {
  if (isSystemAdmin(user)) return sql`1 = 1`;
  const r = officeRange(user);
  return r ? inRange(units.path, r) : sql`1 = 0`;
}
