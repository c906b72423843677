/**
 * The school placement rule, written once: which managing unit and which reviewing unit (the
 * office that checks, assesses and recognises it) a user may give a school. The create form, the
 * edit form and the CSV import all ask `placeSchool`, so the same (user, school, placement) gets
 * the same answer everywhere.
 *
 * For a user placing a school at {managing M, reviewing R}, with the school's current placement
 * {M0, R0} when it already exists:
 * 1. An existing school must be one the user manages: M0 is at or below the user's unit.
 * 2. M is at or below the user's unit (an office admin places schools in its subtree).
 * 3. R is M or one of M's ancestors: a school is reviewed by its own managing office or by an
 *    office above it (the Phòng, or the Sở for commune-managed and THPT schools), never by an
 *    office below or beside it.
 * 4. R is at or below the user's unit, or R is R0 unchanged: a reviewing office set by a higher
 *    level stays as it is when an office admin renames or re-types the school (the form and the
 *    import both accept this; before, the import refused it).
 * 5. When R0 is outside the user's subtree (a higher level assigned it), only that level may change
 *    it: the user keeps R0. A Phòng admin may rename a school the Sở reviews, but neither hand the
 *    review back to itself nor to another office.
 * System admins may place any school anywhere (they repair data by hand, e.g. a cross-province
 * review); every rule above binds office admins.
 */
import type { CurrentUser } from "../auth/session.server";
import { can } from "./rules.server";
import { isAtOrAbove, isSystemAdmin, within } from "./scope.server";

export interface Placement {
  managingUnitId: number;
  reviewingUnitId: number;
}

export type PlacementProblem =
  /** Rule 1: the existing school is outside the user's management. */
  | "school-out-of-scope"
  /** Rule 2. */
  | "managing-out-of-scope"
  /** Rule 4. */
  | "reviewing-out-of-scope"
  /** Rule 3. */
  | "reviewing-not-above"
  /** Rule 5. */
  | "reviewing-locked";

export interface PlacementVerdict {
  ok: boolean;
  /** Every rule broken, in the order above (an import row lists them all). */
  problems: PlacementProblem[];
}

const inScope = (user: CurrentUser, unitId: number) => isSystemAdmin(user) || within(user, unitId);

export function placeSchool(user: CurrentUser, next: Placement, existing?: Placement | null): PlacementVerdict {
  const problems: PlacementProblem[] = [];
  if (existing && !can(user, "school.manage", { kind: "unit", unitId: existing.managingUnitId })) problems.push("school-out-of-scope");
  if (!can(user, "school.manage", { kind: "unit", unitId: next.managingUnitId })) problems.push("managing-out-of-scope");
  const kept = !!existing && existing.reviewingUnitId === next.reviewingUnitId;
  if (!kept) {
    if (existing && !inScope(user, existing.reviewingUnitId)) problems.push("reviewing-locked");
    else if (!inScope(user, next.reviewingUnitId)) problems.push("reviewing-out-of-scope");
  }
  // The shape rule is reported only when the reviewing unit is otherwise acceptable (one message per field).
  if (!isSystemAdmin(user) && !problems.some((p) => p.startsWith("reviewing")) && !isAtOrAbove(user, next.reviewingUnitId, next.managingUnitId)) {
    problems.push("reviewing-not-above");
  }
  return { ok: problems.length === 0, problems };
}

export function canPlaceSchool(user: CurrentUser, next: Placement, existing?: Placement | null): boolean {
  return placeSchool(user, next, existing).ok;
}

/**
 * Reviewing units the edit form may offer for a school (rules 4 and 5; rule 3 depends on the
 * managing unit chosen in the same form and is answered as a field error): the units in the
 * user's scope, or only the current one when a higher level assigned it.
 */
export function reviewingUnitLocked(user: CurrentUser, existing: Placement): boolean {
  return !inScope(user, existing.reviewingUnitId);
}
