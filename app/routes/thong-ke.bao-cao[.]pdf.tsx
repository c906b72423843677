/**
 * /thong-ke/bao-cao.pdf?nam=…&donVi=…&coSo=…&loai=… — the province report (báo cáo tổng hợp kết
 * quả đánh giá mức độ chuyển đổi số) of a scope and school year as a PDF download (resource route).
 *
 * Order: statsRequest parses the query (400) and asks the policy for the scope (results.stats,
 * 403 outside it) before anything is read; then the dashboard of rollups.server, the heading of the
 * scope's unit, and the PDF drawn in a worker, kept in the document cache per version of its data
 * (the key is the ETag: 304 when the browser has it), 503 when the renderers are busy.
 */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { pick } from "~/i18n";
import { provinceReport } from "~/i18n/province-report";
import { provinceReportFileNames } from "~/server/pdf/province-report.server";
import { pdfResponse } from "~/server/pdf/serve.server";
import { provinceReportData } from "~/server/services/province-report-data.server";
import { dashboard } from "~/server/services/rollups.server";
import { statsRequest } from "~/server/services/stats-page.server";

const t = pick(provinceReport);
const KIND = "province-report" as const;

export async function loader({ request }: LoaderFunctionArgs) {
  const req = await statsRequest(request);
  const now = Date.now();
  const d = dashboard(req.scope, req.filter, now);
  const data = provinceReportData(req.scope.unitId, d, now);
  return pdfResponse(request, {
    kind: KIND,
    ownerId: req.scope.unitId ?? 0,
    data,
    fileNames: provinceReportFileNames(req.filter.schoolYear),
    messages: { busy: t.errors.busy, renderFailed: t.errors.renderFailed },
  });
}
