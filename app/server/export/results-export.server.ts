/**
 * The results of a scope as a download (/thong-ke.xlsx, /thong-ke.csv): the request of the
 * dashboard (statsRequest: query nam/donVi/coSo/loai, the policy's results.stats), its rollups
 * (rollups.server's dashboard), and one row per school file of the year in scope with the stored
 * results of both phases (assessment_results).
 *
 * XLSX sheets:
 *  - "Tổng hợp": the distributions (recognised, external, self levels; per group and per school
 *    type on the dashboard's basis), counts and shares, and what the file is of;
 *  - "Theo đơn vị": per sub-unit of the scope;
 *  - "Theo trường": one row per file, streamed (below);
 *  - "Theo chỉ số": per indicator and item, on the basis.
 * Numbers are number cells: points as points (hundredths / 100, format 0.00), shares as fractions
 * (82,6% is 0.826, format 0.0%), levels as 1..3 (format "Mức "0). Every cell goes through
 * cells.server (formula escaping). Header row frozen, autofilter, widths from the content.
 *
 * Streaming: the workbook is written by exceljs's WorkbookWriter into the response as it is read
 * (inline strings, no shared-string table kept in memory), waiting whenever the client is slower.
 * The per-school rows come from ONE query ordered by school, read with better-sqlite3 `.iterate()`
 * on a read-only connection of its own, inside one read transaction: an iterator left open on the
 * process-wide connection would make every write of other requests fail ("connection is busy")
 * for as long as the download lasts; the own connection also gives the whole file one snapshot.
 */
import { PassThrough } from "node:stream";
import Database from "better-sqlite3";
import ExcelJS from "exceljs";
import { createReadableStreamFromReadable } from "@remix-run/node";
import { pick } from "~/i18n";
import { resultsExport } from "~/i18n/results-export";
import { STATE_LABELS, type AssessmentState } from "~/domain/assessment-states";
import type { Edition } from "~/domain/catalogue";
import { formatTenths, LEVELS, shareTenths, type Dashboard, type Distribution, type Tenths } from "~/domain/stats";
import { formatDateTime } from "~/utils/time";
import { BUSY_TIMEOUT_MS, databasePath } from "../db/client.server";
import { abbreviateUnit, utf8FileNamePart } from "../pdf/nd30.server";
import { getEdition } from "../services/catalogue.server";
import { dashboard, filesOf, type ScopeUnit } from "../services/rollups.server";
import { statsRequest, type StatsRequest } from "../services/stats-page.server";
import { contentDisposition } from "../storage/filename.server";
import { addSafeRow, csvLine, CSV_BOM, safeCell, type CellValue } from "./cells.server";
import { XLSX_MIME } from "./schools-export.server";
import { pathRange } from "../policy/scope.server";

const t = pick(resultsExport);

export const POINTS_FORMAT = "0.00";
export const SHARE_FORMAT = "0.0%";

/** Hundredths of a point → points (a number cell); null stays empty. */
const pts = (h: number | null | undefined): number | null => (h == null ? null : h / 100);
/** Tenths of a percent → a fraction (826 → 0.826) for a percent-formatted cell. */
const frac = (x: Tenths | null | undefined): number | null => (x == null ? null : x / 1000);

/* ───────────────────────── file names and headers ───────────────────────── */

/** "Thống-kê-Sở-GD&ĐT-tỉnh-Đông-Sơn-2025-2026[-THPT].xlsx" (contentDisposition adds the ASCII form). */
export function resultsFileName(scope: ScopeUnit, f: StatsRequest["filter"], ext: "xlsx" | "csv"): string {
  const unit = scope.unitId == null ? t.nation : utf8FileNamePart(abbreviateUnit(scope.name)) || scope.code || "don-vi";
  const year = f.schoolYear.replace(/[^0-9-]/g, "");
  const type = f.type ? `-${utf8FileNamePart(f.type)}` : "";
  return `${t.fileBase}-${unit}-${year}${type}.${ext}`.normalize("NFC");
}

const headers = (contentType: string, name: string) => ({
  "Content-Type": contentType,
  "Content-Disposition": contentDisposition("attachment", name),
  "Cache-Control": "private, no-store",
});

/** A column of a sheet: its header, width and number format. */
interface Column {
  header: string;
  width: number;
  numFmt?: string;
}

/** Display width of a cell value, for column widths. */
function textWidth(v: CellValue, numFmt?: string): number {
  if (v == null) return 0;
  if (typeof v === "number") return numFmt === SHARE_FORMAT ? 7 : numFmt === POINTS_FORMAT ? Math.max(5, String(Math.round(v)).length + 3) : String(v).length + (numFmt === t.levelFormat ? 4 : 0);
  return Math.max(...safeCell(v).split("\n").map((l) => l.length));
}

/** Widths that fit the header and the rows (between 6 and 70 characters). */
function fitColumns(head: readonly string[], rows: readonly (readonly CellValue[])[], fmts: readonly (string | undefined)[] = []): Column[] {
  return head.map((h, i) => {
    let w = h.length;
    for (const r of rows) w = Math.max(w, textWidth(r[i], fmts[i]));
    return { header: h, width: Math.min(70, Math.max(6, w + 2)), numFmt: fmts[i] };
  });
}

/* ───────────────────────── the sheets in memory (from the dashboard) ───────────────────────── */

interface Table {
  columns: Column[];
  rows: CellValue[][];
  /** Lines below the table, outside the autofilter (label, value). */
  notes?: CellValue[][];
}

const levelHead = () => LEVELS.flatMap((l) => [t.summary.level(l), t.summary.levelShare(l)]);
const levelCells = (d: Distribution): CellValue[] => LEVELS.flatMap((_, i) => [d.counts[i], frac(d.total ? d.shares[i] : null)]);
const levelFmts = () => LEVELS.flatMap(() => [undefined, SHARE_FORMAT]);

export function summaryTable(d: Dashboard, edition: Edition | null, now = Date.now()): Table {
  const basis = t.basis[d.filter.basis];
  const thisYear = d.years.find((y) => y.schoolYear === d.filter.schoolYear);
  const head = [t.summary.subject, t.summary.counted, ...levelHead(), t.summary.avgPoints];
  const fmts = [undefined, undefined, ...levelFmts(), POINTS_FORMAT];
  const rows: CellValue[][] = [
    ...(["recognised", "external", "self"] as const).map((b) => [
      t.basis[b],
      d.levels[b].total,
      ...levelCells(d.levels[b]),
      b === d.filter.basis ? pts(thisYear?.avgPoints) : null,
    ]),
    ...d.groups.map((g) => [t.summary.group(g.code, g.title, basis), g.dist.total, ...levelCells(g.dist), pts(g.avgPoints)]),
    ...d.types.map((ty) => [t.summary.type(ty.type, basis), ty.dist.total, ...levelCells(ty.dist), pts(ty.avgPoints)]),
  ];
  const i = t.summary.info;
  const notes: CellValue[][] = [
    [i.unit, d.scope.name],
    [i.year, d.filter.schoolYear],
    [i.basis, basis],
    [i.type, d.filter.type ?? i.allTypes],
    [i.files, d.progress.total],
    ...(edition ? [[i.edition, edition.title]] : []),
    [i.exportedAt, formatDateTime(now)],
  ];
  const columns = fitColumns(head, rows, fmts);
  columns[0].width = Math.max(columns[0].width, ...notes.map((n) => textWidth(n[0]) + 2));
  return { columns, rows, notes };
}

export function subUnitTable(d: Dashboard): Table {
  const head = [t.subUnits.unit, t.subUnits.files, t.subUnits.counted, ...levelHead(), t.summary.avgPoints];
  const fmts = [undefined, undefined, undefined, ...levelFmts(), POINTS_FORMAT];
  const rows = d.subUnits.map((s) => [s.name, s.files, s.dist.total, ...levelCells(s.dist), pts(s.avgPoints)]);
  return { columns: fitColumns(head, rows, fmts), rows };
}

export function indicatorTable(d: Dashboard): Table {
  const x = t.indicators;
  // Band columns: one pair per band level used by any indicator (named after the first one).
  const bandNames = new Map<number, string>();
  for (const i of d.indicators) for (const b of i.bands ?? []) if (!bandNames.has(b.level)) bandNames.set(b.level, b.name);
  const bandLevels = [...bandNames.keys()].sort((a, b) => a - b);
  const head = [x.kind, x.code, x.title, x.max, x.avgPoints, x.avgShare, x.met, x.n, x.metShare, ...bandLevels.flatMap((l) => [x.band(bandNames.get(l)!), x.bandShare(bandNames.get(l)!)]), x.options];
  const fmts = [undefined, undefined, undefined, POINTS_FORMAT, POINTS_FORMAT, SHARE_FORMAT, undefined, undefined, SHARE_FORMAT, ...bandLevels.flatMap(() => [undefined, SHARE_FORMAT])];
  const rows: CellValue[][] = [];
  for (const i of d.indicators) {
    const scored = i.max > 0;
    const bands = bandLevels.flatMap((l) => {
      const b = i.bands?.find((y) => y.level === l);
      return b ? [b.count, frac(b.share)] : [null, null];
    });
    rows.push([
      x.indicator,
      i.code,
      i.title,
      scored ? pts(i.max) : null,
      pts(i.avgPoints),
      frac(i.avgShare),
      scored ? null : (i.met ?? 0),
      i.n,
      scored ? null : frac(i.n ? shareTenths(i.met ?? 0, i.n) : null),
      ...bands,
      null,
    ]);
    for (const it of d.items.filter((y) => y.indicatorCode === i.code)) {
      rows.push([
        x.item,
        it.code,
        it.title,
        it.rule === "mandatory" ? null : pts(it.max),
        pts(it.avgPoints),
        it.rule === "mandatory" || it.avgPoints == null || !it.max ? null : frac(shareTenths(it.avgPoints, it.max)),
        it.met,
        it.n,
        frac(it.n ? it.share : null),
        ...bandLevels.flatMap(() => [null, null]),
        it.options?.map((o) => `${o.label}: ${o.count} (${formatTenths(o.share)})`).join("\n") ?? null,
      ]);
    }
  }
  const columns = fitColumns(head, rows, fmts);
  columns[2].width = Math.min(columns[2].width, 60);
  columns[columns.length - 1].width = Math.min(columns[columns.length - 1].width, 60);
  return { columns, rows };
}

/* ───────────────────────── the per-school rows (streamed) ───────────────────────── */

/** The per-school columns of an edition: the file, then per phase the totals, groups and items. */
export interface SchoolLayout {
  columns: Column[];
  /** "self|item|1.3.1" → column index. */
  index: Map<string, number>;
  mandatory: Set<string>;
}

const PHASES = ["self", "external"] as const;

export function schoolLayout(edition: Edition | null, widths: { name: number; unit: number } = { name: 40, unit: 36 }): SchoolLayout {
  const s = t.schools;
  const fit = (h: string, w = 0, numFmt?: string): Column => ({ header: h, width: Math.min(70, Math.max(6, h.length, w) + 2), numFmt });
  const columns: Column[] = [
    fit(s.code, 10),
    fit(s.name, widths.name),
    fit(s.type, 12),
    fit(s.managingUnit, widths.unit),
    fit(s.state, Math.max(...Object.values(STATE_LABELS).map((l) => l.vi.length))),
    fit(s.selfLevel, 6, t.levelFormat),
    fit(s.externalLevel, 6, t.levelFormat),
    fit(s.recognisedLevel, 6, t.levelFormat),
  ];
  const index = new Map<string, number>();
  const mandatory = new Set<string>();
  for (const phase of PHASES) {
    const p = phase === "self" ? s.phaseSelf : s.phaseExternal;
    index.set(`${phase}|institution|`, columns.length);
    columns.push(fit(s.total(p), 6, POINTS_FORMAT));
    for (const g of edition?.groups ?? []) {
      index.set(`${phase}|group|${g.code}`, columns.length);
      columns.push(fit(s.group(g.code, p), 6, POINTS_FORMAT));
    }
    for (const g of edition?.groups ?? [])
      for (const i of g.indicators)
        for (const it of i.items) {
          if (it.rule === "mandatory") mandatory.add(it.code);
          index.set(`${phase}|item|${it.code}`, columns.length);
          columns.push(fit(s.item(it.code, p), it.rule === "mandatory" ? s.notMet.length : 6, it.rule === "mandatory" ? undefined : POINTS_FORMAT));
        }
  }
  return { columns, index, mandatory };
}

interface FileResultRow {
  id: number;
  code: string;
  name: string;
  type: string;
  unit: string;
  status: AssessmentState;
  self: number | null;
  ext: number | null;
  rec: number | null;
  /** The file's stored results, "phase kind code points met" joined by ",", or null. */
  results: string | null;
}

/** The files of the year in scope (the rollups' filesOf), with each school's managing unit. */
const FILES = filesOf("JOIN units mu ON mu.id = s.managing_unit_id");

/**
 * One query ordered by school, one row per file with its stored results (institution, groups,
 * items, both phases) concatenated by SQLite: a file is one row to JavaScript, not 66 (reading
 * 1.3 million result rows as objects took most of the time of a 20 000-file export).
 */
const ROWS_SQL = `SELECT a.id AS id, s.code AS code, s.name AS name, s.type AS type, mu.name AS unit, a.status AS status,
       a.self_level AS self, a.external_level AS ext, a.recognised_level AS rec,
       (SELECT group_concat(r.phase || ' ' || r.kind || ' ' || r.code || ' ' || r.points || ' ' || ifnull(r.met, ''), ',')
          FROM assessment_results r WHERE r.assessment_id = a.id AND r.kind IN ('institution','group','item')) AS results
  ${FILES}
 ORDER BY s.code, s.id, a.id`;

/**
 * A read-only connection of its own, in one read transaction: the snapshot the per-school rows
 * are read from. `close()` ends the iteration and the connection (idempotent).
 */
export class SchoolRowsReader {
  private db: Database.Database;
  private iter: IterableIterator<FileResultRow> | null = null;
  private params: Record<string, string | null>;
  readonly files: number;
  readonly nameWidth: number;
  readonly unitWidth: number;

  constructor(scope: ScopeUnit, filter: StatsRequest["filter"], file = databasePath()) {
    this.db = new Database(file, { readonly: true, fileMustExist: true });
    try {
      this.db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
      this.db.exec("BEGIN");
      this.params = { year: filter.schoolYear, ...pathRange(scope.path), type: filter.type ?? null };
      const c = this.db
        .prepare<Record<string, string | null>, { n: number; nameLen: number | null; unitLen: number | null }>(`SELECT count(*) AS n, max(length(s.name)) AS nameLen, max(length(mu.name)) AS unitLen ${FILES}`)
        .get(this.params)!;
      this.files = c.n;
      this.nameWidth = c.nameLen ?? 20;
      this.unitWidth = c.unitLen ?? 20;
    } catch (e) {
      this.db.close();
      throw e;
    }
  }

  /** The rows, one per file (school order), as cells of `layout`. */
  *rows(layout: SchoolLayout): Generator<CellValue[]> {
    this.iter = this.db.prepare<Record<string, string | null>, FileResultRow>(ROWS_SQL).iterate(this.params);
    const width = layout.columns.length;
    try {
      for (const r of this.iter) {
        const cur = new Array<CellValue>(width).fill(null);
        cur[0] = r.code;
        cur[1] = r.name;
        cur[2] = r.type;
        cur[3] = r.unit;
        cur[4] = STATE_LABELS[r.status]?.vi ?? r.status;
        cur[5] = r.self;
        cur[6] = r.ext;
        cur[7] = r.rec;
        for (const part of r.results ? r.results.split(",") : []) {
          const [phase, kind, code, points, met] = part.split(" ");
          const at = layout.index.get(`${phase}|${kind}|${code}`);
          if (at === undefined) continue;
          cur[at] = kind === "item" && layout.mandatory.has(code) ? (met === "1" ? t.schools.met : t.schools.notMet) : Number(points) / 100;
        }
        yield cur;
      }
    } finally {
      this.close();
    }
  }

  close(): void {
    if (this.iter) {
      this.iter.return?.();
      this.iter = null;
    }
    if (this.db.open) this.db.close();
  }
}

/* ───────────────────────── the responses ───────────────────────── */

interface Prepared {
  sr: StatsRequest;
  d: Dashboard;
  edition: Edition | null;
  reader: SchoolRowsReader;
  layout: SchoolLayout;
}

async function prepare(request: Request): Promise<Prepared> {
  const sr = await statsRequest(request);
  const d = dashboard(sr.scope, sr.filter);
  const edition = d.editionId ? (getEdition(d.editionId)?.edition ?? null) : null;
  const reader = new SchoolRowsReader(sr.scope, sr.filter);
  const layout = schoolLayout(edition, { name: reader.nameWidth, unit: reader.unitWidth });
  return { sr, d, edition, reader, layout };
}

/** Waits until the response has taken what was written (backpressure); false when it is gone. */
async function roomIn(out: PassThrough): Promise<boolean> {
  if (out.destroyed) return false;
  if (out.writableNeedDrain) {
    await new Promise<void>((resolve) => {
      const done = () => {
        out.off("drain", done);
        out.off("close", done);
        resolve();
      };
      out.on("drain", done);
      out.on("close", done);
    });
  } else await new Promise<void>((resolve) => setImmediate(resolve));
  return !out.destroyed;
}

type SheetWriter = ExcelJS.Worksheet;

function openSheet(wb: ExcelJS.stream.xlsx.WorkbookWriter, name: string, columns: Column[]): SheetWriter {
  const sheet = wb.addWorksheet(name, { views: [{ state: "frozen", ySplit: 1, xSplit: 0 }] }) as unknown as SheetWriter;
  sheet.columns = columns.map((c) => ({ width: c.width, ...(c.numFmt ? { style: { numFmt: c.numFmt } } : {}) }));
  const head = addSafeRow(sheet, columns.map((c) => c.header), { commit: false });
  head.font = { bold: true };
  head.alignment = { vertical: "top", wrapText: true };
  head.commit();
  return sheet;
}

function filterRange(sheet: SheetWriter, columns: number, lastRow: number): void {
  sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: Math.max(1, lastRow), column: Math.max(1, columns) } };
}

function writeTable(wb: ExcelJS.stream.xlsx.WorkbookWriter, name: string, table: Table): void {
  const sheet = openSheet(wb, name, table.columns);
  for (const r of table.rows) {
    const row = addSafeRow(sheet, r, { commit: false });
    if (r.some((v) => typeof v === "string" && v.includes("\n"))) row.alignment = { wrapText: true, vertical: "top" };
    row.commit();
  }
  filterRange(sheet, table.columns.length, 1 + table.rows.length);
  if (table.notes?.length) {
    addSafeRow(sheet, []);
    for (const n of table.notes) addSafeRow(sheet, n);
  }
  sheet.commit();
}

/** Rows written between two looks at the response's backpressure. */
const ROWS_PER_TURN = 100;

/** /thong-ke.xlsx: the four sheets, streamed (exceljs WorkbookWriter, rows committed one by one). */
export async function resultsXlsxResponse(request: Request): Promise<Response> {
  const { sr, d, edition, reader, layout } = await prepare(request);
  const out = new PassThrough();
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useSharedStrings: false, useStyles: true });
  wb.creator = "CĐS 4725";
  void (async () => {
    try {
      writeTable(wb, t.sheets.summary, summaryTable(d, edition));
      writeTable(wb, t.sheets.subUnits, subUnitTable(d));
      const sheet = openSheet(wb, t.sheets.schools, layout.columns);
      let n = 0;
      for (const r of reader.rows(layout)) {
        addSafeRow(sheet, r);
        if (++n % ROWS_PER_TURN === 0 && !(await roomIn(out))) return;
      }
      filterRange(sheet, layout.columns.length, 1 + n);
      sheet.commit();
      writeTable(wb, t.sheets.indicators, indicatorTable(d));
      await wb.commit();
    } catch (e) {
      console.error("results xlsx", e);
      out.destroy(e instanceof Error ? e : new Error(String(e)));
    } finally {
      reader.close();
    }
  })();
  return new Response(createReadableStreamFromReadable(out), { status: 200, headers: headers(XLSX_MIME, resultsFileName(sr.scope, sr.filter, "xlsx")) });
}

/** /thong-ke.csv: the "Theo trường" sheet as CSV (UTF-8 with BOM, CRLF), streamed as the client reads. */
export async function resultsCsvResponse(request: Request): Promise<Response> {
  const { sr, reader, layout } = await prepare(request);
  const rows = reader.rows(layout);
  const enc = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(enc.encode(`${CSV_BOM}${csvLine(layout.columns.map((c) => c.header))}\r\n`));
    },
    pull(controller) {
      try {
        let chunk = "";
        for (let i = 0; i < 500; i++) {
          const next = rows.next();
          if (next.done) {
            if (chunk) controller.enqueue(enc.encode(chunk));
            controller.close();
            return;
          }
          chunk += `${csvLine(next.value)}\r\n`;
        }
        controller.enqueue(enc.encode(chunk));
      } catch (e) {
        reader.close();
        controller.error(e);
      }
    },
    cancel() {
      rows.return(undefined);
      reader.close();
    },
  });
  return new Response(body, { status: 200, headers: headers("text/csv; charset=utf-8", resultsFileName(sr.scope, sr.filter, "csv")) });
}
