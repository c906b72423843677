/**
 * The one authorization door. Every loader, action, list and menu asks it, before touching data,
 * whether this user (or an anonymous visitor) may do this action on this school, unit, account,
 * result or the system. Import from here only; the rules live in app/server/policy/:
 *
 * - rules.server.ts      `can(user | null, action, target)`: roles, scope, review, external
 *                        assessment, recognition, publication, cycles, catalogue, public reads;
 *                        account management (`canManageUser`, `grantableRoles`), parent units.
 * - placement.server.ts  `placeSchool` / `canPlaceSchool`: the school placement rule, used by the
 *                        school forms and the CSV import.
 * - scope.server.ts      where a user stands: the subtree and ancestries loaded once per request
 *                        (cached per CurrentUser object), and the SQL scope of lists.
 * - guards.server.ts     the same questions as 403 refusals for loaders and actions.
 * - app/server/services/assessment-page.server.ts `requireAssessment`: id, user, assessment and
 *                        policy for every /danh-gia/:id route.
 */
export {
  can,
  canCreateUnitUnder,
  canManageUser,
  canSeeExternal,
  grantableRoles,
  ownPlace,
  school,
  SYSTEM,
  unit,
  worksAtSchool,
  type Action,
  type Target,
  type UserTarget,
} from "./policy/rules.server";
export { canPlaceSchool, placeSchool, reviewingUnitLocked, type Placement, type PlacementProblem, type PlacementVerdict } from "./policy/placement.server";
export {
  ancestryOf,
  has,
  isAtOrAbove,
  isOffice,
  isSchoolUser,
  isSystemAdmin,
  inRange,
  officeRange,
  pathRange,
  schoolScope,
  subtreeOf,
  unitAncestry,
  unitScope,
  unitRange,
  unitSubtree,
  visibleUnitIds,
  within,
  type PathRange,
} from "./policy/scope.server";
export { authorize, authorizeArea, authorizeRoles, authorizeUser, canArea, forbidden, placementFormErrors, resolveUserTarget, type AreaAction } from "./policy/guards.server";
