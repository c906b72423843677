/**
 * The policy's answers as HTTP refusals for loaders and actions: each `authorize*` throws a 403
 * JSON response when the matching `can*` question says no. Routes call these, never role checks.
 */
import { json } from "@remix-run/node";
import { eq } from "drizzle-orm";
import { getDb } from "../db/client.server";
import { schools, units, type Role } from "../db/schema.server";
import type { CurrentUser } from "../auth/session.server";
import { pick } from "~/i18n";
import { admin } from "~/i18n/admin";
import { policyUi } from "~/i18n/policy";
import type { PlacementVerdict } from "./placement.server";
import { can, canManageUser, grantableRoles, ownPlace, type Action, type Target, type UserTarget } from "./rules.server";

export function forbidden(message: string = pick(policyUi).forbidden): never {
  throw json({ error: message }, { status: 403 });
}

/** Throws a 403 response unless the user may act. Use in every loader and action. */
export function authorize(user: CurrentUser | null, action: Action, target: Target, message?: string): void {
  if (!can(user, action, target)) forbidden(message);
}

/** Area questions, asked at the user's own place (see `ownPlace`). */
export type AreaAction = Extract<Action, "unit.read" | "unit.create" | "school.manage" | "user.manage" | "cycle.manage" | "assessment.list" | "results.publish" | "results.stats" | "decision.read" | "decision.manage">;

/**
 * May the user do `action` from their own place? Office users ask at their unit, system admins
 * always may, school users never (these are office actions).
 * - "unit.read", "assessment.list": office reviewers and admins (read-only lists);
 * - "unit.create", "school.manage", "user.manage", "cycle.manage", "results.publish": office admins.
 */
export function canArea(user: CurrentUser, action: AreaAction): boolean {
  return can(user, action, ownPlace(user));
}

export function authorizeArea(user: CurrentUser, action: AreaAction): void {
  if (!canArea(user, action)) forbidden();
}

export function authorizeUser(user: CurrentUser, target: UserTarget): void {
  if (!canManageUser(user, target)) forbidden(pick(admin).errors.forbidden);
}

/** Refuses (403) a role the user may not grant: the form never offers it, so this is tampering. */
export function authorizeRoles(user: CurrentUser, roles: Role[]): void {
  const allowed = grantableRoles(user);
  if (roles.some((r) => !allowed.includes(r))) forbidden(pick(admin).errors.roleNotGrantable);
}

/**
 * Turns the scope fields of a user form into a target: a school typed by its code must exist and be
 * one whose users this admin manages (one message for both, so codes outside scope are not revealed);
 * a unit id must exist. Whether the admin may manage that unit is asked afterwards (authorizeUser).
 */
export function resolveUserTarget(
  user: CurrentUser,
  v: { roles: Role[]; unitId?: number; schoolCode?: string },
): { ok: true; target: UserTarget } | { ok: false; field: "schoolCode" | "unitId"; message: string } {
  const t = pick(admin);
  const db = getDb();
  let schoolId: number | null = null;
  if (v.schoolCode) {
    const found = db.select({ id: schools.id }).from(schools).where(eq(schools.code, v.schoolCode.trim())).get();
    if (!found || !can(user, "user.manage", { kind: "user", unitId: null, schoolId: found.id })) {
      return { ok: false, field: "schoolCode", message: t.users.schoolNotFound };
    }
    schoolId = found.id;
  }
  if (v.unitId != null && !db.select({ id: units.id }).from(units).where(eq(units.id, v.unitId)).get()) {
    return { ok: false, field: "unitId", message: t.users.unitNotFound };
  }
  return { ok: true, target: { unitId: v.unitId ?? null, schoolId, roles: v.roles } };
}

/**
 * A placement verdict for a school form: scope problems are tampering (the form offers only units
 * in scope) and throw 403; the shape and lock rules are field errors the user can fix (null: ok).
 */
export function placementFormErrors(verdict: PlacementVerdict): Partial<Record<"managingUnitId" | "reviewingUnitId", string[]>> | null {
  if (verdict.ok) return null;
  if (verdict.problems.some((p) => p === "school-out-of-scope" || p === "managing-out-of-scope" || p === "reviewing-out-of-scope")) forbidden();
  const t = pick(policyUi).placement;
  const errors: Partial<Record<"managingUnitId" | "reviewingUnitId", string[]>> = {};
  if (verdict.problems.includes("reviewing-locked")) errors.reviewingUnitId = [t.reviewingLocked];
  else if (verdict.problems.includes("reviewing-not-above")) errors.reviewingUnitId = [t.reviewingNotAbove];
  return errors;
}
