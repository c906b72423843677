/**
 * The province report's data: the dashboard of rollups.server and the heading of the scope's unit
 * (issuing body, number sign, place, signer title, "Nơi nhận"), as plain data for the renderer.
 */
import type { Dashboard } from "~/domain/stats";
import { pick } from "~/i18n";
import { provinceReport } from "~/i18n/province-report";
import type { ProvinceReportData } from "../pdf/province-report.server";
import { getUnit } from "./org.server";
import { placeFromProvince } from "./report.server";
import { localDateOf } from "~/utils/time";

const t = pick(provinceReport);

/** Noon of the local day: the report keeps the same data (and key) all day. */
function printDay(now = Date.now()): number {
  return Date.parse(`${localDateOf(now)}T12:00:00+07:00`);
}

/** The heading of the report from the scope's unit and its ancestors (no unit: the nation). */
export function provinceReportData(unitId: number | null, d: Dashboard, now: number): ProvinceReportData {
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

