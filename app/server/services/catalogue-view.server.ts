/** Which editions a visitor may see: published ones for everyone, drafts for catalogue managers. */
import type { CurrentUser } from "../auth/session.server";
import { can } from "../policy.server";
import { getEdition, listEditions } from "./catalogue.server";

export function mayManageCatalogue(user: CurrentUser | null): boolean {
  return !!user && can(user, "catalogue.manage", { kind: "system" });
}

export function visibleEdition(id: string, user: CurrentUser | null) {
  const found = getEdition(id);
  if (!found) return null;
  if (found.row.status !== "published" && !mayManageCatalogue(user)) return null;
  return found;
}

export function visibleEditions(user: CurrentUser | null) {
  return listEditions({ includeDrafts: mayManageCatalogue(user) });
}
