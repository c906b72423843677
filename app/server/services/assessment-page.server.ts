/**
 * The one door of every /danh-gia/:id route: `requireAssessment(request, params, action)` parses
 * the id, requires a user, loads the assessment and asks the policy, in that order, before the
 * route reads anything else (the request body included):
 *   bad id → 400 (or 404 where the route hides ids), no session → redirect to /login (page mode)
 *   or 401 (JSON mode), unknown id → 404, policy refusal → 403 (or 404 with hideForbidden).
 * JSON mode (fetch clients such as the autosave) answers every refusal as
 * `{ ok: false, kind, message }` with kind "bad-request" | "unauthenticated" | "not-found" | "forbidden".
 */
import { json } from "@remix-run/node";
import { z } from "zod";
import { isEditableBySchool, STATE_LABELS } from "~/domain/assessment-states";
import { pick } from "~/i18n";
import { policyUi } from "~/i18n/policy";
import { getUser, passwordChangeRequired, requireUser, type CurrentUser } from "../auth/session.server";
import { can, canSeeExternal, worksAtSchool, type Action } from "../policy.server";
import { getAssessment, type AssessmentRecord } from "./assessments.server";

const idParam = z.object({ id: z.string().regex(/^[1-9]\d{0,15}$/).transform(Number).pipe(z.number().int().positive().max(Number.MAX_SAFE_INTEGER)) });

export interface RequireAssessmentOptions {
  /** "page" (default): no session redirects to /login, refusals are `{ error }`. "json": see above. */
  mode?: "page" | "json";
  /** Status of a malformed id: 400 (default), or 404 where unknown and malformed ids look alike. */
  badIdStatus?: 400 | 404;
  /** Answer a policy refusal as the 404 of an unknown id (existence not revealed). */
  hideForbidden?: boolean;
  /** The route's own wording of the refusals. */
  messages?: Partial<{ badId: string; notFound: string; forbidden: string }>;
}

type RefusalKind = "bad-request" | "unauthenticated" | "not-found" | "forbidden";

function refuse(mode: "page" | "json", status: number, kind: RefusalKind, message: string): never {
  throw json(mode === "json" ? { ok: false as const, kind, message } : { error: message }, { status });
}

export async function requireAssessment(
  request: Request,
  params: unknown,
  action: Action = "school.read",
  opts: RequireAssessmentOptions = {},
): Promise<{ user: CurrentUser; a: AssessmentRecord; header: AssessmentHeaderData }> {
  const mode = opts.mode ?? "page";
  const m = { ...pick(policyUi).assessment, forbidden: pick(policyUi).forbidden, ...opts.messages };
  const p = idParam.safeParse(params);
  if (!p.success) refuse(mode, opts.badIdStatus ?? 400, opts.badIdStatus === 404 ? "not-found" : "bad-request", opts.badIdStatus === 404 ? m.notFound : m.badId);
  let user: CurrentUser;
  if (mode === "json") {
    const found = await getUser(request);
    if (!found) refuse(mode, 401, "unauthenticated", m.unauthenticated);
    user = found;
  } else {
    user = await requireUser(request);
  }
  const a = getAssessment(p.data.id);
  if (!a) refuse(mode, 404, "not-found", m.notFound);
  if (!can(user, action, { kind: "school", schoolId: a.schoolId })) {
    if (opts.hideForbidden) refuse(mode, 404, "not-found", m.notFound);
    refuse(mode, 403, "forbidden", m.forbidden);
  }
  return { user, a, header: headerFor(user, a) };
}

/**
 * requireAssessment's JSON mode for a caller that has already looked the session up (the lean save
 * endpoint, app/server/http/save-endpoint.server.ts): the same checks in the same order, answered
 * as a status and a body instead of a thrown response. `found` is the request's session
 * (sessionUserFromCookie); a user who must change their password gets the same 403 as getUser
 * gives a JSON client.
 */
export function assessmentForJson(
  params: unknown,
  found: { user: CurrentUser; mustChangePassword: boolean } | null,
  action: Action,
): { ok: true; user: CurrentUser; a: AssessmentRecord } | { ok: false; status: number; body: Record<string, unknown> } {
  const m = { ...pick(policyUi).assessment, forbidden: pick(policyUi).forbidden };
  const no = (status: number, kind: RefusalKind, message: string) => ({ ok: false as const, status, body: { ok: false, kind, message } });
  const p = idParam.safeParse(params);
  if (!p.success) return no(400, "bad-request", m.badId);
  if (!found) return no(401, "unauthenticated", m.unauthenticated);
  if (found.mustChangePassword) return { ok: false, status: 403, body: passwordChangeRequired() };
  const a = getAssessment(p.data.id);
  if (!a) return no(404, "not-found", m.notFound);
  if (!can(found.user, action, { kind: "school", schoolId: a.schoolId })) return no(403, "forbidden", m.forbidden);
  return { ok: true, user: found.user, a };
}

export interface AssessmentHeaderData {
  id: number;
  schoolName: string;
  schoolCode: string;
  schoolYear: string;
  status: AssessmentRecord["status"];
  statusLabel: string;
  next: string;
  deadline: string;
  extended: boolean;
  editionId: string;
  canEdit: boolean;
  canSubmit: boolean;
  /** The viewer works at the school (its tabs: requests) or at an office (its tabs: checking). */
  schoolView: boolean;
  /** The external assessment tab: offices once approved, the school once it is finished. */
  showExternal: boolean;
}

/** What the tabs header of every assessment page shows (call after the policy allowed reading). */
export function headerFor(user: CurrentUser, a: AssessmentRecord): AssessmentHeaderData {
  const target = { kind: "school" as const, schoolId: a.schoolId };
  const editable = isEditableBySchool(a.status);
  return {
    id: a.id,
    schoolName: a.schoolName,
    schoolCode: a.schoolCode,
    schoolYear: a.schoolYear,
    status: a.status,
    statusLabel: STATE_LABELS[a.status].vi,
    next: STATE_LABELS[a.status].next,
    deadline: a.deadline,
    extended: a.extended,
    editionId: a.editionId,
    canEdit: editable && can(user, "assessment.edit", target),
    canSubmit: editable && can(user, "assessment.submit", target),
    schoolView: worksAtSchool(user),
    showExternal: (a.status === "approved" || a.status === "assessed" || a.status === "recognised") && canSeeExternal(user, a),
  };
}
