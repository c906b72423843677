/**
 * /danh-gia/:id/thu-vien — the school's evidence library as the EvidencePanel of an item reads it
 * (a resource route, JSON): GET ?q=<search>&nguon=gan-day|nam-truoc&page=<n>&item=<code>.
 *
 * Scope: the assessment's own school only (requireAssessment + evidence.read); the list holds the
 * school's live evidence, each with the items of this assessment it already serves and its codes in
 * the school's previous assessment. Linking goes through the evidence route's action
 * (POST /danh-gia/:id/minh-chung, intent=attach), i.e. attachEvidence and the transition door.
 *
 * A fetch (Sec-Fetch-Mode other than navigate, or Accept: application/json) gets JSON; a plain navigation (the panel's
 * search form without JavaScript) is sent to the full library page /truong/:schoolId/minh-chung.
 */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { z } from "zod";
import { isEditableBySchool } from "~/domain/assessment-states";
import { pick } from "~/i18n";
import { evidence as strings } from "~/i18n/evidence";
import { can } from "~/server/policy.server";
import { requireAssessment } from "~/server/services/assessment-page.server";
import { LIBRARY_SOURCES, libraryForAssessment } from "~/server/services/evidence.server";
import { formatDate } from "~/utils/time";

const t = pick(strings);

const querySchema = z.object({
  q: z.string().trim().max(200).optional().catch(undefined),
  nguon: z.enum(LIBRARY_SOURCES).catch("gan-day"),
  page: z.coerce.number().int().min(1).max(100_000).catch(1),
  item: z
    .string()
    .trim()
    .regex(/^[0-9A-Za-z.]{1,32}$/)
    .optional()
    .catch(undefined),
});

export async function loader({ request, params }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  // Remix strips `_data` from the URL a loader sees, so a fetch is told from a page visit by the
  // browser's Sec-Fetch-Mode: only a navigation (a link opened without JavaScript) is redirected to
  // the library page; every fetch (the panel's) gets JSON.
  const wantsData = request.headers.get("Sec-Fetch-Mode") !== "navigate" || (request.headers.get("Accept") ?? "").includes("application/json");
  const { user, a } = await requireAssessment(request, params, "evidence.read", {
    mode: wantsData ? "json" : "page",
    badIdStatus: 404,
    messages: { notFound: t.errors.assessmentNotFound },
  });
  const query = querySchema.parse({
    q: url.searchParams.get("q") ?? undefined,
    nguon: url.searchParams.get("nguon") ?? undefined,
    page: url.searchParams.get("page") ?? undefined,
    item: url.searchParams.get("item") ?? undefined,
  });
  if (!wantsData) {
    const sp = new URLSearchParams();
    if (query.q) sp.set("q", query.q);
    if (query.item) sp.set("item", query.item);
    const qs = sp.toString();
    return redirect(`/truong/${a.schoolId}/minh-chung${qs ? `?${qs}` : ""}`);
  }
  const lib = libraryForAssessment(a, { source: query.nguon, q: query.q, page: query.page });
  return json(
    {
      ok: true as const,
      ...lib,
      entries: lib.entries.map((e) => ({ ...e, created: formatDate(e.createdAt) })),
      canAttach: isEditableBySchool(a.status) && can(user, "assessment.edit", { kind: "school", schoolId: a.schoolId }),
      libraryHref: `/truong/${a.schoolId}/minh-chung`,
    },
    { headers: { "Cache-Control": "private, no-store" } },
  );
}
