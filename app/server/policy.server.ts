/**
 * The one authorization policy. Every loader and action asks it, before touching data,
 * whether this user may do this action on this school, unit or the system, by role and by
 * position in the organisation tree. Lists are filtered with the scope helpers below.
 *
 * Scope rules:
 * - system_admin: everything.
 * - school_staff / school_head: their own school only; only the head submits.
 * - office roles act from their unit. They read every school whose managing or reviewing unit is
 *   their unit or below it (the reviewing office and the levels above).
 * - office_reviewer reviews only the schools whose reviewing unit is exactly their unit.
 * - office_admin manages units below their unit (and creates units under it), schools managed at
 *   or below it, users at or below it (not other office admins of its own unit, never a system
 *   admin), and cycles for their unit; it grants school and office roles, never system_admin.
 */
import { json } from "@remix-run/node";
import { eq, inArray, or, sql, type SQL } from "drizzle-orm";
import { getDb, prepared } from "./db/client.server";
import { unitAncestry, unitSubtree } from "./db/tree.server";

export { unitAncestry, unitSubtree };
import { schools, units, type Role } from "./db/schema.server";
import type { CurrentUser } from "./auth/session.server";

export type Action =
  | "school.read"
  | "evidence.read"
  | "assessment.edit"
  | "assessment.submit"
  | "assessment.review"
  | "school.manage"
  | "unit.read"
  | "unit.manage"
  | "unit.create"
  | "user.manage"
  | "cycle.manage"
  | "catalogue.manage"
  | "audit.read";

export type Target =
  | { kind: "school"; schoolId: number }
  | { kind: "unit"; unitId: number }
  | { kind: "user"; unitId: number | null; schoolId: number | null; roles?: Role[] }
  | { kind: "system" };

export const has = (user: CurrentUser, role: Role) => user.roles.includes(role);
export const isOffice = (user: CurrentUser) => has(user, "office_admin") || has(user, "office_reviewer");
export const isSchoolUser = (user: CurrentUser) => has(user, "school_staff") || has(user, "school_head");

function schoolRow(schoolId: number) {
  const db = getDb();
  return prepared(db, "policy.school", () =>
    db
      .select({ id: schools.id, managingUnitId: schools.managingUnitId, reviewingUnitId: schools.reviewingUnitId })
      .from(schools)
      .where(eq(schools.id, sql.placeholder("id")))
      .prepare(),
  ).get({ id: schoolId });
}

/** Is unit `inner` the unit `outer` or below it? */
function within(inner: number | null | undefined, outer: number | null): boolean {
  if (inner == null || outer == null) return false;
  return unitAncestry(inner).includes(outer);
}

export function can(user: CurrentUser, action: Action, target: Target): boolean {
  if (has(user, "system_admin")) return true;

  switch (target.kind) {
    case "system":
      // Reading the published catalogue is public; managing it is the system admin's alone.
      return false;

    case "school": {
      const school = schoolRow(target.schoolId);
      if (!school) return false;
      if (isSchoolUser(user) && user.schoolId === school.id) {
        if (action === "school.read" || action === "evidence.read" || action === "audit.read") return true;
        if (action === "assessment.edit") return true;
        if (action === "assessment.submit") return has(user, "school_head");
        return false;
      }
      if (!isOffice(user) || user.unitId == null) return false;
      const readable = within(school.managingUnitId, user.unitId) || within(school.reviewingUnitId, user.unitId);
      switch (action) {
        case "school.read":
        case "evidence.read":
        case "audit.read":
          return readable;
        case "assessment.review":
          return has(user, "office_reviewer") && school.reviewingUnitId === user.unitId;
        case "school.manage":
          return has(user, "office_admin") && within(school.managingUnitId, user.unitId);
        default:
          return false;
      }
    }

    case "unit": {
      if (!isOffice(user) || user.unitId == null) return false;
      const inside = within(target.unitId, user.unitId);
      switch (action) {
        case "unit.read":
          return inside;
        case "unit.manage":
          // An office admin manages the units below its own, not its own unit or those above.
          return has(user, "office_admin") && inside && target.unitId !== user.unitId;
        case "unit.create":
          // Creating a unit under this one: an office admin at or above it.
          return has(user, "office_admin") && inside;
        case "cycle.manage":
        case "school.manage":
        case "user.manage":
          // Creating schools or users under this unit, opening cycles for it.
          return has(user, "office_admin") && inside;
        default:
          return false;
      }
    }

    case "user": {
      if (action !== "user.manage" || !has(user, "office_admin") || user.unitId == null) return false;
      // Accounts holding system_admin are the system admin's alone (else an office admin could
      // reset a system admin's password); an office admin's peers and itself are managed from above.
      if (target.roles?.includes("system_admin")) return false;
      if (target.unitId != null && target.unitId === user.unitId && target.roles?.includes("office_admin")) return false;
      if (target.unitId != null) return within(target.unitId, user.unitId);
      if (target.schoolId != null) {
        const school = schoolRow(target.schoolId);
        return !!school && within(school.managingUnitId, user.unitId);
      }
      return false; // system-level users belong to the system admin
    }
  }
}

/** Roles a user may grant: all for the system admin; school and office roles for an office admin. */
export function grantableRoles(user: CurrentUser): Role[] {
  if (has(user, "system_admin")) return ["school_staff", "school_head", "office_reviewer", "office_admin", "system_admin"];
  if (has(user, "office_admin") && user.unitId != null) return ["school_staff", "school_head", "office_reviewer", "office_admin"];
  return [];
}

/** Throws a 403 response unless the user may act. Use in every loader and action. */
export function authorize(user: CurrentUser, action: Action, target: Target): void {
  if (!can(user, action, target)) {
    throw json({ error: "Bạn không có quyền truy cập nội dung này." }, { status: 403 });
  }
}

/** Units this user can see: "all" for system admins, else their unit's subtree (empty for school users). */
export function visibleUnitIds(user: CurrentUser): number[] | "all" {
  if (has(user, "system_admin")) return "all";
  if (isOffice(user) && user.unitId != null) return unitSubtree(user.unitId);
  return [];
}

/** SQL condition limiting `schools` rows to those the user may read. */
export function schoolScope(user: CurrentUser): SQL {
  if (has(user, "system_admin")) return sql`1 = 1`;
  if (isOffice(user) && user.unitId != null) {
    const ids = unitSubtree(user.unitId);
    return or(inArray(schools.managingUnitId, ids), inArray(schools.reviewingUnitId, ids)) as SQL;
  }
  if (isSchoolUser(user) && user.schoolId != null) return eq(schools.id, user.schoolId);
  return sql`1 = 0`;
}

/** SQL condition limiting `units` rows to those the user may read. */
export function unitScope(user: CurrentUser): SQL {
  const ids = visibleUnitIds(user);
  if (ids === "all") return sql`1 = 1`;
  if (ids.length === 0) return sql`1 = 0`;
  return inArray(units.id, ids);
}
