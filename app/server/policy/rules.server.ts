/**
 * The rules: who may do what, by role and by position in the organisation tree. `can()` is the
 * one question every loader, action, list and menu asks.
 *
 * Roles:
 * - system_admin: everything.
 * - school_staff / school_head: their own school only: read it, its evidence and its log, edit its
 *   self-assessment; only the head submits.
 * - office roles act from their unit. They read every school whose managing or reviewing unit is
 *   their unit or below it (the reviewing office and the levels above), and list those schools'
 *   assessments.
 * - office_reviewer reviews (checks, returns, approves) and carries out the external assessment
 *   only of the schools whose reviewing unit is exactly their unit.
 * - assignment: an office_admin of exactly the school's reviewing unit assigns its files to the
 *   office's reviewers (assessment.assign).
 * - the office's external answers are the office's until it finishes them: school users read them
 *   only once the external assessment is finished (canSeeExternal).
 * - recognition (công nhận) is the reviewing office's decision: an office_reviewer or an
 *   office_admin of exactly the school's reviewing unit may record it (offices are small; the
 *   Phòng of the demo has one reviewer and no admin). Units above read the result, they do not
 *   recognise in the reviewing office's place.
 * - recognition decisions (quyết định công nhận) belong to their issuing office: its office users
 *   prepare, issue and revoke them (decision.manage, exactly their unit); units above read them.
 *   Each file of a decision is also checked with assessment.recognise.
 * - publication of results (công bố) for a unit: an office_admin of that unit or of a unit above it.
 * - results.stats (dashboard, rankings, exports, province report): office users of the unit or
 *   above it read the rollups of its subtree; the system admin the nation. Schools never: they see
 *   their own results and published aggregates only.
 * - office_admin manages units below their unit (and creates units under it or under its own
 *   unit), schools managed at or below it (placement: see placement.server.ts), users at or
 *   below it (not other office admins of its own unit, never a system admin), and cycles for
 *   units at or below it; it grants school and office roles, never system_admin.
 * - anyone, signed in or not (user null): reads the published catalogue, published results, and
 *   verifies a certificate. Drafts and unpublished results follow the rules above.
 */
import { externalVisibleToSchool, type AssessmentState } from "~/domain/assessment-states";
import type { Role } from "../db/schema.server";
import type { CurrentUser } from "../auth/session.server";
import { has, isOffice, isSchoolUser, isSystemAdmin, schoolPlacement, within } from "./scope.server";

export type Action =
  // Public reads (anonymous too).
  | "catalogue.read"
  | "results.read"
  | "certificate.verify"
  // Reading a school and its work.
  | "school.read"
  | "evidence.read"
  | "audit.read"
  | "assessment.list"
  // The school's own work.
  | "assessment.edit"
  | "assessment.submit"
  // The reviewing office's work on a school.
  | "assessment.review"
  | "assessment.external"
  | "assessment.recognise"
  | "assessment.assign"
  | "results.publish"
  /** The results dashboard, rankings and exports of a unit's subtree (the system: the nation). */
  | "results.stats"
  // Recognition decisions of an issuing office (a unit target).
  | "decision.read"
  | "decision.manage"
  // Administration.
  | "school.manage"
  | "unit.read"
  | "unit.manage"
  | "unit.create"
  | "user.manage"
  | "cycle.manage"
  | "catalogue.manage";

export type Target =
  /** A school; pass its placement when the caller has the row (lists), to skip the lookup. */
  | { kind: "school"; schoolId: number; managingUnitId?: number; reviewingUnitId?: number }
  | { kind: "unit"; unitId: number }
  | { kind: "user"; unitId: number | null; schoolId: number | null; roles?: Role[] }
  /** A school's results: published ones are public, others are read like the school. */
  | { kind: "result"; schoolId: number; published: boolean }
  | { kind: "system" };

export const SYSTEM: Target = { kind: "system" };
export const school = (schoolId: number): Target => ({ kind: "school", schoolId });
export const unit = (unitId: number): Target => ({ kind: "unit", unitId });

/**
 * The user's own place, for questions about an area rather than a row ("may I manage users at
 * all?"): their office unit, their school, or the system for users with neither (system admins).
 */
export function ownPlace(user: CurrentUser): Target {
  if (user.unitId != null) return { kind: "unit", unitId: user.unitId };
  if (user.schoolId != null) return { kind: "school", schoolId: user.schoolId };
  return SYSTEM;
}

/** Actions anyone may take, signed in or not. */
const PUBLIC_ACTIONS: ReadonlySet<Action> = new Set(["catalogue.read", "certificate.verify"]);

export function can(user: CurrentUser | null, action: Action, target: Target): boolean {
  if (target.kind === "system" && PUBLIC_ACTIONS.has(action)) return true;
  if (target.kind === "result" && action === "results.read") {
    if (target.published) return true;
    return !!user && can(user, "school.read", { kind: "school", schoolId: target.schoolId });
  }
  if (!user) return false;
  if (isSystemAdmin(user)) return true;

  switch (target.kind) {
    case "system":
      // Managing the catalogue, and lists across the whole system, are the system admin's alone.
      return false;

    case "result":
      return false;

    case "school": {
      const row =
        target.managingUnitId != null && target.reviewingUnitId != null
          ? { id: target.schoolId, managingUnitId: target.managingUnitId, reviewingUnitId: target.reviewingUnitId }
          : schoolPlacement(user, target.schoolId);
      if (!row) return false;
      if (isSchoolUser(user) && user.schoolId === row.id) {
        switch (action) {
          case "school.read":
          case "evidence.read":
          case "audit.read":
          case "assessment.edit":
            return true;
          case "assessment.submit":
            return has(user, "school_head");
          default:
            return false;
        }
      }
      if (!isOffice(user) || user.unitId == null) return false;
      const reviewsIt = row.reviewingUnitId === user.unitId;
      switch (action) {
        case "school.read":
        case "evidence.read":
        case "audit.read":
          return within(user, row.managingUnitId) || within(user, row.reviewingUnitId);
        case "assessment.review":
        case "assessment.external":
          return has(user, "office_reviewer") && reviewsIt;
        case "assessment.recognise":
          return reviewsIt;
        case "assessment.assign":
          // Who checks which file is the reviewing office's admin's call.
          return has(user, "office_admin") && reviewsIt;
        case "school.manage":
          return has(user, "office_admin") && within(user, row.managingUnitId);
        default:
          return false;
      }
    }

    case "unit": {
      if (!isOffice(user) || user.unitId == null) return false;
      const inside = within(user, target.unitId);
      switch (action) {
        case "unit.read":
        case "assessment.list":
        case "decision.read":
        case "results.stats":
          return inside;
        case "decision.manage":
          // The issuing office's own decisions: its reviewers and admins (as assessment.recognise).
          return target.unitId === user.unitId;
        case "unit.manage":
          // An office admin manages the units below its own, not its own unit or those above.
          return has(user, "office_admin") && inside && target.unitId !== user.unitId;
        case "unit.create":
          // Creating a unit under this one: an office admin at or above it.
          return has(user, "office_admin") && inside;
        case "cycle.manage":
        case "school.manage":
        case "user.manage":
        case "results.publish":
          // Creating schools or users under this unit, opening cycles for it, publishing its results.
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
      if (target.unitId != null) return within(user, target.unitId);
      if (target.schoolId != null) {
        const row = schoolPlacement(user, target.schoolId);
        return !!row && within(user, row.managingUnitId);
      }
      return false; // system-level users belong to the system admin
    }
  }
}

/**
 * May the user read the external phase of a file? Offices that read the school do; the school
 * only once the external assessment is finished (never the office's unfinished answers).
 */
export function canSeeExternal(user: CurrentUser | null, a: { schoolId: number; status: AssessmentState }): boolean {
  if (!user || !can(user, "school.read", { kind: "school", schoolId: a.schoolId })) return false;
  if (isSchoolUser(user)) return externalVisibleToSchool(a.status);
  return true;
}

/** Roles a user may grant: all for the system admin; school and office roles for an office admin. */
export function grantableRoles(user: CurrentUser): Role[] {
  if (isSystemAdmin(user)) return ["school_staff", "school_head", "office_reviewer", "office_admin", "system_admin"];
  if (has(user, "office_admin") && user.unitId != null) return ["school_staff", "school_head", "office_reviewer", "office_admin"];
  return [];
}

/** May the user create a unit under `parentId` (null: a root unit, the system admin's alone)? */
export function canCreateUnitUnder(user: CurrentUser, parentId: number | null): boolean {
  if (parentId == null) return isSystemAdmin(user);
  return can(user, "unit.create", { kind: "unit", unitId: parentId });
}

export interface UserTarget {
  unitId: number | null;
  schoolId: number | null;
  roles: Role[];
}

/** May the user manage this account? Decided from the account's place and roles. */
export function canManageUser(user: CurrentUser, target: UserTarget): boolean {
  return can(user, "user.manage", { kind: "user", unitId: target.unitId, schoolId: target.schoolId, roles: target.roles });
}

/** Does the user work at a school it may read (the self-assessment area, /danh-gia)? */
export function worksAtSchool(user: CurrentUser): user is CurrentUser & { schoolId: number } {
  return user.schoolId != null && isSchoolUser(user) && can(user, "school.read", { kind: "school", schoolId: user.schoolId });
}
