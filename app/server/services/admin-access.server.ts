/**
 * Access rules of the administration screens, composed from policy.server (the one authorization
 * module). Nothing here decides scope or roles by itself; it only picks which policy question to ask.
 */
import type { CurrentUser } from "../auth/session.server";
import type { Role } from "../db/schema.server";
import { authorize, can, grantableRoles, has, type Action, type Target } from "../policy.server";

export { grantableRoles };
import { json } from "@remix-run/node";
import { findSchoolByCode, getUnit } from "./org.server";
import { pick } from "~/i18n";
import { admin } from "~/i18n/admin";

const t = pick(admin);

/** The user's own position: their unit, or the system for users without one (system admins). */
function ownTarget(user: CurrentUser): Target {
  return user.unitId != null ? { kind: "unit", unitId: user.unitId } : { kind: "system" };
}

/**
 * Gate of an admin page: may the user do `action` from their own unit? System admins always may;
 * school users never (a unit action on no unit, or on the system, is refused by the policy).
 * - "unit.read": office reviewers and admins (read-only lists);
 * - "school.manage" / "user.manage": office admins (and system admins).
 */
export function authorizeArea(user: CurrentUser, action: AreaAction): void {
  authorize(user, action, ownTarget(user));
}

type AreaAction = Extract<Action, "unit.read" | "school.manage" | "user.manage">;

/** The same question as authorizeArea, as a boolean (to show or hide links and buttons). */
export function canArea(user: CurrentUser, action: AreaAction): boolean {
  return can(user, action, ownTarget(user));
}

/** May the user create a unit under `parentId` (null: a root unit, the system admin's alone)? */
export function canCreateUnitUnder(user: CurrentUser, parentId: number | null): boolean {
  if (parentId == null) return can(user, "unit.manage", { kind: "system" });
  return can(user, "unit.create", { kind: "unit", unitId: parentId });
}

/** Units-area gate: users who may create units under their own unit (office admins, system admins). */
export function authorizeUnitsArea(user: CurrentUser): void {
  if (!(has(user, "system_admin") || (user.unitId != null && canCreateUnitUnder(user, user.unitId)))) {
    throw json({ error: t.errors.forbidden }, { status: 403 });
  }
}

export interface UserTarget {
  unitId: number | null;
  schoolId: number | null;
  roles: Role[];
}

/** May the user manage this account? Decided by the policy from the account's place and roles. */
export function canManageUser(user: CurrentUser, target: UserTarget): boolean {
  return can(user, "user.manage", { kind: "user", unitId: target.unitId, schoolId: target.schoolId, roles: target.roles });
}

export function authorizeUser(user: CurrentUser, target: UserTarget): void {
  if (!canManageUser(user, target)) throw json({ error: t.errors.forbidden }, { status: 403 });
}

/** Refuses (403) a role the user may not grant: the form never offers it, so this is tampering. */
export function authorizeRoles(user: CurrentUser, roles: Role[]): void {
  const allowed = grantableRoles(user);
  if (roles.some((r) => !allowed.includes(r))) throw json({ error: t.errors.roleNotGrantable }, { status: 403 });
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
  let schoolId: number | null = null;
  if (v.schoolCode) {
    const school = findSchoolByCode(v.schoolCode);
    if (!school || !can(user, "user.manage", { kind: "user", unitId: null, schoolId: school.id })) {
      return { ok: false, field: "schoolCode", message: t.users.schoolNotFound };
    }
    schoolId = school.id;
  }
  if (v.unitId != null && !getUnit(v.unitId)) return { ok: false, field: "unitId", message: t.users.unitNotFound };
  return { ok: true, target: { unitId: v.unitId ?? null, schoolId, roles: v.roles } };
}
