/** The contract between the server's root data and the application shell (isomorphic). */
import type { Role } from "./roles";

/** Keys of the main navigation; app/i18n/shell.ts labels each one. */
export const NAV_KEYS = ["home", "assessment", "reviews", "recognition", "stats", "plans", "cycles", "catalogue", "units", "schools", "users", "editions"] as const;
export type NavKey = (typeof NAV_KEYS)[number];

export interface NavItem {
  key: NavKey;
  to: string;
}

/** The signed-in user as the shell shows them, with the navigation the policy allows. */
export interface ShellUser {
  displayName: string;
  username: string;
  roles: Role[];
  nav: NavItem[];
}
