/**
 * THE export helper: every CSV and XLSX the app writes goes through it, so a cell can never be read
 * as a formula by Excel, LibreOffice or Google Sheets (CSV/formula injection, OWASP).
 *
 * Cells are plain values: string, number, boolean, Date, null/undefined. Never a formula object.
 *
 *  - A STRING that starts with `=`, `+`, `-`, `@`, a tab, a CR or a LF is written with a leading single
 *    quote: `=cmd|' /C calc'!A0` → `'=cmd|' /C calc'!A0`, `-2+3` → `'-2+3`. The stored data is unchanged;
 *    only the exported cell is escaped. A spreadsheet shows the quote, which is the point: the value is
 *    text, visibly.
 *  - NUMBERS stay numbers (-2 is a number cell in XLSX and `-2` in CSV, not escaped): only strings are
 *    escaped. Non-finite numbers become empty cells.
 *  - Booleans are written as "Có"/"Không" (text); null/undefined as an empty cell.
 *  - Dates: CSV `dd/mm/yyyy HH:mm` in Asia/Ho_Chi_Minh; XLSX a real date cell holding the same local
 *    wall-clock time (Vietnam is UTC+7 all year, no summer time), formatted dd/mm/yyyy hh:mm.
 *
 * CSV (toCsv/csvLine): RFC 4180 — fields quoted when they contain `"`, `,`, `;`, CR or LF (quotes
 * doubled), lines ended by CRLF, and the file starts with a UTF-8 BOM so Excel reads Vietnamese letters.
 * XLSX (addSafeRow): exceljs rows of these values (strings as shared-string text cells), for the normal
 * and the streaming WorkbookWriter alike.
 */
import type { Row, Worksheet } from "exceljs";
import { formatDateTime } from "~/utils/time";

export type CellValue = string | number | boolean | Date | null | undefined;

/** Characters that make a spreadsheet treat a cell as a formula (or a DDE call) when they come first. */
const DANGEROUS_START = /^[=+\-@\t\r\n]/;

/** UTF-8 byte order mark: Excel needs it to read a CSV as UTF-8. */
export const CSV_BOM = "\uFEFF";

const VIETNAM_OFFSET_MS = 7 * 60 * 60 * 1000;

/** A string that is safe to put in a spreadsheet cell: prefixed with `'` when it could start a formula. */
export function escapeFormula(s: string): string {
  return DANGEROUS_START.test(s) ? `'${s}` : s;
}

/** A cell value for a CSV field (text, not yet quoted). */
export function safeCell(v: CellValue): string {
  if (v === null || v === undefined) return "";
  if (typeof v === "number") return Number.isFinite(v) ? String(v) : "";
  if (typeof v === "boolean") return v ? "Có" : "Không";
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? "" : formatDateTime(v);
  return escapeFormula(String(v));
}

/** One CSV field: the safe cell, quoted when RFC 4180 needs it (or a `;` could split it in Excel). */
export function csvField(v: CellValue): string {
  const s = safeCell(v);
  return /[",;\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** One CSV line, without its line end. */
export function csvLine(cells: readonly CellValue[]): string {
  return cells.map(csvField).join(",");
}

/** A whole CSV file: BOM, one line per row, each ended by CRLF. */
export function toCsv(rows: Iterable<readonly CellValue[]>): string {
  let out = CSV_BOM;
  for (const r of rows) out += `${csvLine(r)}\r\n`;
  return out;
}

/** A cell value for exceljs: strings escaped, numbers kept, dates as local wall-clock time. */
export function xlsxCell(v: CellValue): string | number | Date | null {
  if (v === null || v === undefined) return null;
  if (typeof v === "number") return Number.isFinite(v) ? v : null;
  if (typeof v === "boolean") return v ? "Có" : "Không";
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? null : new Date(v.getTime() + VIETNAM_OFFSET_MS);
  return escapeFormula(String(v));
}

/**
 * Adds a row of safe cells to an exceljs worksheet (a Workbook's or a streaming WorkbookWriter's) and,
 * unless told otherwise, commits it (a streaming writer then flushes it; a normal sheet ignores commit).
 */
export function addSafeRow(sheet: Worksheet, values: readonly CellValue[], opts: { commit?: boolean } = {}): Row {
  const row = sheet.addRow(values.map(xlsxCell));
  values.forEach((v, i) => {
    if (v instanceof Date && !Number.isNaN(v.getTime())) row.getCell(i + 1).numFmt = "dd/mm/yyyy hh:mm";
  });
  if (opts.commit !== false) row.commit();
  return row;
}
