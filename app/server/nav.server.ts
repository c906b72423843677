import type { CurrentUser } from "./auth/session.server";
import { has, isOffice, isSchoolUser } from "./policy.server";

export type NavKey = "home" | "assessment" | "reviews" | "cycles" | "catalogue" | "units" | "schools" | "users" | "editions";
export interface NavItem {
  key: NavKey;
  to: string;
}

/** The navigation a role sees. Only routes that exist are listed. */
export function navFor(user: CurrentUser): NavItem[] {
  const items: NavItem[] = [{ key: "home", to: "/" }];
  if (isSchoolUser(user)) items.push({ key: "assessment", to: "/danh-gia" });
  if (isOffice(user) || has(user, "system_admin")) items.push({ key: "reviews", to: "/ho-so" });
  if (has(user, "system_admin") || has(user, "office_admin")) items.push({ key: "cycles", to: "/quan-tri/dot-danh-gia" });
  if (has(user, "system_admin") || has(user, "office_admin")) {
    items.push({ key: "units", to: "/quan-tri/don-vi" }, { key: "schools", to: "/quan-tri/truong" }, { key: "users", to: "/quan-tri/nguoi-dung" });
  } else if (isOffice(user)) {
    items.push({ key: "schools", to: "/quan-tri/truong" });
  }
  items.push({ key: "catalogue", to: "/chi-so" });
  if (has(user, "system_admin")) items.push({ key: "editions", to: "/quan-tri/chi-so" });
  return items;
}
