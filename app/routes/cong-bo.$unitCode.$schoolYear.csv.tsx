/**
 * /cong-bo/:unitCode/:schoolYear/csv — the open data of a published year as CSV (also reached as
 * /cong-bo/<unit>/<year>.csv: app/server/http/public-urls.server.ts): UTF-8 with BOM, one row per
 * school, columns code,name,type,subUnit,level,group1Points,group1Level,group2Points,group2Level,
 * certificateNumber,verifyUrl, written through the export helper (formula escaping). Same rules,
 * cache and ETag as the JSON.
 */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { pick } from "~/i18n";
import { publication as strings } from "~/i18n/publication";
import { toCsv } from "~/server/export/cells.server";
import { authorize } from "~/server/policy.server";
import { openDataCsvRows, openDataResponse, publishedYear } from "~/server/services/publication.server";

const t = pick(strings);

export async function loader({ request, params }: LoaderFunctionArgs) {
  const data = publishedYear(params.unitCode ?? "", params.schoolYear ?? "");
  if (!data) throw json({ error: t.notPublishedJson }, { status: 404, headers: { "Cache-Control": "no-store" } });
  authorize(null, "results.read", { kind: "result", schoolId: 0, published: true });
  const file = `cong-bo-${data.unit.code}-${data.schoolYear}.csv`.replace(/[^A-Za-z0-9._-]/g, "_");
  return openDataResponse(request, toCsv(openDataCsvRows(data)), {
    "Content-Type": "text/csv; charset=utf-8",
    "Content-Disposition": `attachment; filename="${file}"`,
  });
}
