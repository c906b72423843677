/**
 * The main navigation, derived from the policy: each item is shown exactly when the policy lets
 * this user into the page it links to (the same `can()` question the page's loader asks), so the
 * menu never offers what the server refuses. No role lists here.
 */
import type { NavItem, NavKey } from "~/domain/shell";
import type { CurrentUser } from "./auth/session.server";
import { can, canArea, SYSTEM, worksAtSchool } from "./policy.server";

export type { NavItem, NavKey };

/** Every item, in menu order, with the policy question its page asks. */
export const NAV_ITEMS: readonly { key: NavKey; to: string; allowed: (user: CurrentUser) => boolean }[] = [
  { key: "home", to: "/", allowed: () => true },
  { key: "assessment", to: "/danh-gia", allowed: (u) => worksAtSchool(u) },
  { key: "reviews", to: "/ho-so", allowed: (u) => canArea(u, "assessment.list") },
  { key: "recognition", to: "/cong-nhan", allowed: (u) => canArea(u, "decision.read") },
  { key: "stats", to: "/thong-ke", allowed: (u) => canArea(u, "results.stats") },
  { key: "plans", to: "/ke-hoach", allowed: (u) => canArea(u, "assessment.list") },
  { key: "cycles", to: "/quan-tri/dot-danh-gia", allowed: (u) => canArea(u, "cycle.manage") },
  { key: "units", to: "/quan-tri/don-vi", allowed: (u) => canArea(u, "unit.create") },
  { key: "schools", to: "/quan-tri/truong", allowed: (u) => canArea(u, "unit.read") },
  { key: "users", to: "/quan-tri/nguoi-dung", allowed: (u) => canArea(u, "user.manage") },
  { key: "catalogue", to: "/chi-so", allowed: (u) => can(u, "catalogue.read", SYSTEM) },
  { key: "editions", to: "/quan-tri/chi-so", allowed: (u) => can(u, "catalogue.manage", SYSTEM) },
];

/** The navigation this user sees. */
export function navFor(user: CurrentUser): NavItem[] {
  return NAV_ITEMS.filter((i) => i.allowed(user)).map(({ key, to }) => ({ key, to }));
}
