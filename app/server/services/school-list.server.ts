/**
 * The request of the admin schools list (/quan-tri/truong) and its downloads: the gate (office
 * reviewers and admins, the system admin), then the filters ?q=&page=&type=&unit=, a unit filter
 * outside the user's scope being a 400. One place, so the page and its exports can never differ.
 */
import { z } from "zod";
import { SCHOOL_TYPES } from "~/domain/roles";
import { pick } from "~/i18n";
import { admin } from "~/i18n/admin";
import { requireUser, type CurrentUser } from "../auth/session.server";
import { authorizeArea, can } from "../policy.server";
import { badRequest, listQuerySchema, optionalIdParam, parseQuery } from "../validate.server";

const t = pick(admin);

export async function schoolListRequest(request: Request) {
  // Built here, not at module level: validate.server is not in the browser bundle.
  const querySchema = listQuerySchema.extend({
    type: z.preprocess((v) => (v === "" ? undefined : v), z.enum(SCHOOL_TYPES, { errorMap: () => ({ message: t.errors.badFilter }) }).optional()),
    unit: optionalIdParam(t.errors.badFilter),
  });
  const user: CurrentUser = await requireUser(request);
  // Office reviewers may list (read-only) the schools they can read; school users may not.
  authorizeArea(user, "unit.read");
  const query = parseQuery(request, querySchema);
  if (query.unit != null && !can(user, "unit.read", { kind: "unit", unitId: query.unit })) badRequest(t.errors.badFilter);
  return { user, query };
}
