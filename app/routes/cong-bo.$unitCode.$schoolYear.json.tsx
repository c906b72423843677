/**
 * /cong-bo/:unitCode/:schoolYear/json — the open data of a published year (also reached as
 * /cong-bo/<unit>/<year>.json: app/server/http/public-urls.server.ts). No login: only files matching
 * PUBLISHED_SQL of the unit's active publication (policy "results.read" on published results is
 * public). Cached for 5 minutes with a strong ETag (304 on If-None-Match). A unit or year that is
 * not published is a 404 with a Vietnamese message.
 */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { pick } from "~/i18n";
import { publication as strings } from "~/i18n/publication";
import { authorize } from "~/server/policy.server";
import { openDataResponse, publishedYear } from "~/server/services/publication.server";

const t = pick(strings);

export async function loader({ request, params }: LoaderFunctionArgs) {
  const data = publishedYear(params.unitCode ?? "", params.schoolYear ?? "");
  if (!data) throw json({ error: t.notPublishedJson }, { status: 404, headers: { "Cache-Control": "no-store" } });
  // Every row is a published result: the public case of results.read.
  authorize(null, "results.read", { kind: "result", schoolId: 0, published: true });
  return openDataResponse(request, JSON.stringify(data), { "Content-Type": "application/json; charset=utf-8" });
}
