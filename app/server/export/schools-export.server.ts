/**
 * The schools list of the admin screens as a download (/quan-tri/truong.csv, /quan-tri/truong.xlsx):
 * the same gate, filters (?q=&type=&unit=) and scope as /quan-tri/truong, every page of it, in the
 * order of the screen, with the columns of the screen. The rows come from org.server's listSchools,
 * page after page, so the export can never show a school the list would not.
 */
import ExcelJS from "exceljs";
import { PassThrough } from "node:stream";
import { createReadableStreamFromReadable } from "@remix-run/node";
import { pick } from "~/i18n";
import { admin } from "~/i18n/admin";
import { exportStrings } from "~/i18n/export";
import { localDateOf } from "~/utils/time";
import { listSchools, type SchoolListRow } from "../services/org.server";
import { schoolListRequest } from "../services/school-list.server";
import { contentDisposition } from "../storage/filename.server";
import { addSafeRow, toCsv, type CellValue } from "./cells.server";

const t = pick(admin);
const tx = pick(exportStrings);

/** The export's columns, as on the screen. */
export function schoolExportHeader(): string[] {
  return [t.schools.code, t.schools.name, t.schools.type, t.schools.managingUnit, t.schools.reviewingUnit, t.common.status];
}

export function schoolExportRow(s: SchoolListRow): CellValue[] {
  return [s.code, s.name, s.type, s.managingUnit.name, s.reviewingUnit.name, s.active ? t.common.active : t.common.inactive];
}

/** Gate and filters of /quan-tri/truong, then every matching row (all pages, screen order). */
export async function schoolsForExport(request: Request): Promise<SchoolListRow[]> {
  const { user, query } = await schoolListRequest(request);
  const rows: SchoolListRow[] = [];
  // Synchronous page after page (better-sqlite3): no other request runs in between in this process.
  for (let page = 1, pageCount = 1; page <= pageCount; page++) {
    const list = listSchools(user, { q: query.q, page, type: query.type, unitId: query.unit });
    pageCount = list.pageCount;
    rows.push(...list.rows);
  }
  return rows;
}

function fileName(ext: "csv" | "xlsx"): string {
  return `${tx.schools.fileBase}-${localDateOf().replace(/-/g, "")}.${ext}`;
}

const privateHeaders = (contentType: string, ext: "csv" | "xlsx") => ({
  "Content-Type": contentType,
  "Content-Disposition": contentDisposition("attachment", fileName(ext)),
  "Cache-Control": "private, no-store",
});

export async function schoolsCsvResponse(request: Request): Promise<Response> {
  const rows = await schoolsForExport(request);
  const body = toCsv([schoolExportHeader(), ...rows.map(schoolExportRow)]);
  return new Response(body, { status: 200, headers: privateHeaders("text/csv; charset=utf-8", "csv") });
}

export const XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/** Streams the XLSX (exceljs WorkbookWriter): rows are written and flushed one by one. */
export async function schoolsXlsxResponse(request: Request): Promise<Response> {
  const rows = await schoolsForExport(request);
  const out = new PassThrough();
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useSharedStrings: true, useStyles: true });
  wb.creator = "CĐS 4725";
  const sheet = wb.addWorksheet(tx.schools.sheet, { views: [{ state: "frozen", ySplit: 1 }] });
  sheet.columns = [{ width: 14 }, { width: 44 }, { width: 14 }, { width: 36 }, { width: 36 }, { width: 18 }];
  const head = addSafeRow(sheet, schoolExportHeader(), { commit: false });
  head.font = { bold: true };
  head.commit();
  void (async () => {
    try {
      for (const r of rows) addSafeRow(sheet, schoolExportRow(r));
      sheet.commit();
      await wb.commit();
    } catch (e) {
      out.destroy(e instanceof Error ? e : new Error(String(e)));
    }
  })();
  return new Response(createReadableStreamFromReadable(out), { status: 200, headers: privateHeaders(XLSX_MIME, "xlsx") });
}
