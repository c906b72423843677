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
import type { Dashboard } from "~/domain/stats";
import { provinceReportFileNames, type ProvinceReportData } from "~/server/pdf/province-report.server";
import { pdfResponse } from "~/server/pdf/serve.server";
import { getUnit } from "~/server/services/org.server";
import { placeFromProvince } from "~/server/services/report.server";
import { dashboard } from "~/server/services/rollups.server";
import { statsRequest } from "~/server/services/stats-page.server";
import { localDateOf } from "~/utils/time";

const t = pick(provinceReport);
const KIND = "province-report" as const;

/** Noon of the local day: the report keeps the same data (and key) all day. */
function printDay(now = Date.now()): number {
  return Date.parse(`${localDateOf(now)}T12:00:00+07:00`);
}

/** The heading of the report from the scope's unit and its ancestors (no unit: the nation). */
function headingOf(unitId: number | null, d: Dashboard, now: number): ProvinceReportData {
  const up: { name: string; kind: "ministry" | "province" | "district" | "commune" }[] = [];
  for (let id: number | null = unitId, k = 0; id != null && k < 16; k++) {
    const u = getUnit(id);
    if (!u) break;
    up.push({ name: u.name, kind: u.kind });
    id = u.parentId;
  }
  const self = up[0];
  const parent = up[1]?.name ?? "";
  const province = up.find((u) => u.kind === "province");
  // A Sở or a Phòng is under the people's committee of its place ("UBND tỉnh Đông Sơn").
  const place = self && (self.kind === "province" || self.kind === "district") ? /(tỉnh|thành phố|huyện|quận|thị xã)\s+\S.*$/iu.exec(self.name)?.[0] : undefined;
  return {
    unit: self?.name ?? t.nation,
    issuer: place ? `UBND ${place}` : self?.kind === "commune" ? "" : parent,
    numberAbbr: t.numberAbbr[self?.kind ?? "ministry"],
    place: province ? placeFromProvince(province.name) : self ? placeFromProvince(self.name) : "Hà Nội",
    date: printDay(now),
    signerTitle: t.signerTitle[self?.kind ?? "ministry"],
    signerName: null,
    reportTo: parent || (self?.kind === "province" ? t.nation : ""),
    dashboard: d,
  };
}

export async function loader({ request }: LoaderFunctionArgs) {
  const req = await statsRequest(request);
  const now = Date.now();
  const d = dashboard(req.scope, req.filter, now);
  const data = headingOf(req.scope.unitId, d, now);
  return pdfResponse(request, {
    kind: KIND,
    ownerId: req.scope.unitId ?? 0,
    data,
    fileNames: provinceReportFileNames(req.filter.schoolYear),
    messages: { busy: t.errors.busy, renderFailed: t.errors.renderFailed },
  });
}
