/**
 * CSV import of schools, in two steps:
 *  1. previewSchoolImport: parse and validate every row against the database and the importer's
 *     scope, and say per row what would happen (create / update / unchanged). Writes nothing.
 *  2. applySchoolImport: given the same text and its sha256, validate everything again inside one
 *     transaction and apply ALL rows, or nothing when any row has an error. One audit entry per
 *     changed school plus a summary entry; a file that changes nothing writes nothing at all.
 *
 * Format: UTF-8 (BOM optional), comma or semicolon delimiter (Excel in Vietnam often writes ";"),
 * a header row naming the columns in Vietnamese with or without diacritics, in any case and order.
 * Units are referenced by their unit CODE.
 */
import { createHash } from "node:crypto";
import { parse } from "csv-parse/sync";
import { eq, inArray } from "drizzle-orm";
import type { CurrentUser } from "../auth/session.server";
import { getDb, type Db } from "../db/client.server";
import { SCHOOL_TYPES, schools, units, type SchoolType } from "../db/schema.server";
import { placeSchool, type PlacementProblem } from "../policy.server";
import { treeChanged } from "../db/tree.server";
import { policyUi } from "~/i18n/policy";
import { writeAudit } from "./audit.server";
import { CODE_RE, NAME_MAX } from "~/forms/admin";
import { pick } from "~/i18n";
import { admin } from "~/i18n/admin";
import { cleanText, foldVietnamese } from "~/utils/text";

const t = pick(admin).import;

export const MAX_IMPORT_BYTES = 2 * 1024 * 1024;
export const MAX_IMPORT_ROWS = 5000;

export type ImportColumn = "code" | "name" | "type" | "managingUnit" | "reviewingUnit";
const COLUMNS: ImportColumn[] = ["code", "name", "type", "managingUnit", "reviewingUnit"];

/** Column names shown to users, in the header's canonical Vietnamese. */
export const COLUMN_LABELS: Record<ImportColumn, string> = t.columnNames;

/** Accepted header names, folded (no marks, lower case, punctuation as spaces). */
const HEADER_ALIASES: Record<ImportColumn, string[]> = {
  code: ["ma truong", "ma", "ma co so", "ma co so giao duc", "ma so truong", "code", "school code"],
  name: ["ten", "ten truong", "ten co so", "ten co so giao duc", "name", "school name"],
  type: ["loai hinh", "loai hinh truong", "loai", "cap hoc", "type"],
  managingUnit: ["don vi quan ly", "ma don vi quan ly", "co quan quan ly", "managing unit"],
  reviewingUnit: ["don vi danh gia ngoai", "ma don vi danh gia ngoai", "don vi danh gia", "ma don vi danh gia", "reviewing unit"],
};

const foldHeader = (h: string) =>
  foldVietnamese(h)
    .replace(/[^a-z0-9]+/g, " ")
    .trim();

/** School type from a cell: the code in any case/spacing, "&", "+" or "/" for "-", or the full Vietnamese name. */
const TYPE_ALIASES: Record<string, SchoolType> = {
  th: "TH",
  tieuhoc: "TH",
  thcs: "THCS",
  trunghoccoso: "THCS",
  thpt: "THPT",
  trunghocphothong: "THPT",
  "th-thcs": "TH&THCS",
  "thcs-thpt": "THCS&THPT",
  "th-thcs-thpt": "TH-THCS-THPT",
  phothongnhieucaphoc: "TH-THCS-THPT",
  gdtx: "GDTX",
  "gdnn-gdtx": "GDTX",
  giaoducthuongxuyen: "GDTX",
};

export function parseSchoolType(raw: string): SchoolType | null {
  const key = foldVietnamese(raw)
    .replace(/\s+/g, "")
    .replace(/[&+/]/g, "-");
  if (TYPE_ALIASES[key]) return TYPE_ALIASES[key];
  const exact = SCHOOL_TYPES.find((x) => x.toLowerCase() === raw.trim().toLowerCase());
  return exact ?? null;
}

export type ImportAction = "create" | "update" | "unchanged";
export type ChangedField = "name" | "type" | "managingUnit" | "reviewingUnit";

export interface ImportRow {
  /** Line number in the file (the header is line 1). */
  line: number;
  code: string;
  name: string;
  type: string;
  managingUnitCode: string;
  reviewingUnitCode: string;
  errors: string[];
  /** What confirming would do; null when the row has errors. */
  action: ImportAction | null;
  changes: ChangedField[];
  schoolId: number | null;
}

export interface ImportPreview {
  sha256: string;
  fileErrors: string[];
  warnings: string[];
  rows: ImportRow[];
  counts: { total: number; create: number; update: number; unchanged: number; errors: number };
  /** No file or row error: the file can be applied. */
  ok: boolean;
}

export function sha256Hex(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex");
}

/** Bytes of an uploaded file to text: strict UTF-8, BOM removed, NFC. */
export function decodeCsv(bytes: Uint8Array): { ok: true; text: string } | { ok: false; error: string } {
  if (bytes.byteLength > MAX_IMPORT_BYTES) return { ok: false, error: t.fileErrors.tooLarge(MAX_IMPORT_BYTES / 1024 / 1024) };
  try {
    return { ok: true, text: normaliseText(new TextDecoder("utf-8", { fatal: true }).decode(bytes)) };
  } catch {
    return { ok: false, error: t.fileErrors.notUtf8 };
  }
}

function normaliseText(text: string): string {
  return text.replace(/^\uFEFF/, "").normalize("NFC");
}

/** ";" when the header line holds more semicolons than commas (outside quotes), else ",". */
function detectDelimiter(text: string): "," | ";" {
  let commas = 0;
  let semis = 0;
  let quoted = false;
  for (const ch of text) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === "\n" || ch === "\r")) break;
    else if (!quoted && ch === ",") commas++;
    else if (!quoted && ch === ";") semis++;
  }
  return semis > commas ? ";" : ",";
}

interface RawRow {
  line: number;
  cells: Record<ImportColumn, string>;
  extra: boolean;
}

interface Parsed {
  fileErrors: string[];
  warnings: string[];
  rows: RawRow[];
}

/** Parses the CSV text into rows keyed by column. File-level problems are reported, not thrown. */
export function parseSchoolCsv(input: string): Parsed {
  const text = normaliseText(input);
  const fileErrors: string[] = [];
  const warnings: string[] = [];
  if (Buffer.byteLength(text, "utf8") > MAX_IMPORT_BYTES) return { fileErrors: [t.fileErrors.tooLarge(MAX_IMPORT_BYTES / 1024 / 1024)], warnings, rows: [] };
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text, {
      delimiter: detectDelimiter(text),
      bom: true,
      info: true,
      relax_column_count: true,
      skip_empty_lines: true,
      trim: true,
    }) as { record: string[]; info: { lines: number } }[];
  } catch (e) {
    const err = e as { lines?: number; message?: string };
    return { fileErrors: [t.fileErrors.malformed(typeof err.lines === "number" ? err.lines : null, String(err.message ?? e))], warnings, rows: [] };
  }
  const nonEmpty = records.filter((r) => r.record.some((c) => c !== ""));
  if (nonEmpty.length === 0) return { fileErrors: [t.fileErrors.empty], warnings, rows: [] };

  const [header, ...data] = nonEmpty;
  const index: Partial<Record<ImportColumn, number>> = {};
  const ignored: string[] = [];
  header.record.forEach((cell, i) => {
    const key = foldHeader(cell);
    const col = COLUMNS.find((c) => HEADER_ALIASES[c].includes(key));
    if (!col) {
      if (cell) ignored.push(cell);
      return;
    }
    if (index[col] !== undefined) fileErrors.push(t.fileErrors.duplicateColumn(cell));
    else index[col] = i;
  });
  const missing = COLUMNS.filter((c) => index[c] === undefined);
  if (missing.length) fileErrors.push(t.fileErrors.missingColumns(missing.map((c) => COLUMN_LABELS[c])));
  if (ignored.length) warnings.push(t.fileErrors.ignoredColumns(ignored));
  if (data.length === 0) fileErrors.push(t.fileErrors.empty);
  if (data.length > MAX_IMPORT_ROWS) fileErrors.push(t.fileErrors.tooManyRows(MAX_IMPORT_ROWS));
  if (fileErrors.length) return { fileErrors, warnings, rows: [] };

  const width = header.record.length;
  const rows = data.map(({ record, info }) => {
    const cells = Object.fromEntries(COLUMNS.map((c) => [c, record[index[c]!] ?? ""])) as Record<ImportColumn, string>;
    return { line: info.lines, cells, extra: record.length > width && record.slice(width).some((c) => c !== "") };
  });
  return { fileErrors, warnings, rows };
}

type Reader = Pick<Db, "select">;

interface UnitRow {
  id: number;
  code: string;
}

/**
 * Validates every row against the database and the importer's scope (policy.can) and works out
 * what confirming would do. Writes nothing.
 */
export function previewSchoolImport(user: CurrentUser, text: string, db: Reader = getDb()): ImportPreview {
  const sha256 = sha256Hex(normaliseText(text));
  const parsed = parseSchoolCsv(text);
  const empty = { total: 0, create: 0, update: 0, unchanged: 0, errors: 0 };
  if (parsed.fileErrors.length) return { sha256, fileErrors: parsed.fileErrors, warnings: parsed.warnings, rows: [], counts: empty, ok: false };

  // Units referenced by code (case-insensitive; ambiguous when two codes differ only in case).
  const unitCodes = [...new Set(parsed.rows.flatMap((r) => [r.cells.managingUnit, r.cells.reviewingUnit]).filter(Boolean))];
  const unitsByCode = new Map<string, UnitRow[]>();
  const exactUnits = chunked(unitCodes, (c) => db.select({ id: units.id, code: units.code }).from(units).where(inArray(units.code, c)).all());
  const allUnits: UnitRow[] = exactUnits.length === unitCodes.length ? exactUnits : db.select({ id: units.id, code: units.code }).from(units).all();
  for (const u of allUnits) {
    const key = u.code.toUpperCase();
    unitsByCode.set(key, [...(unitsByCode.get(key) ?? []), u]);
  }

  // Existing schools by code.
  const codes = [...new Set(parsed.rows.map((r) => r.cells.code).filter(Boolean))];
  const existing = new Map(
    chunked(codes, (c) => db.select().from(schools).where(inArray(schools.code, c)).all()).map((s) => [s.code, s]),
  );

  // Duplicate codes inside the file.
  const linesOf = new Map<string, number[]>();
  for (const r of parsed.rows) if (r.cells.code) linesOf.set(r.cells.code, [...(linesOf.get(r.cells.code) ?? []), r.line]);

  const memo = new Map<string, PlacementProblem[]>();
  const placementProblems = (key: string, check: () => PlacementProblem[]) => {
    if (!memo.has(key)) memo.set(key, check());
    return memo.get(key)!;
  };
  const re = pick(admin).import.rowErrors;
  const pt = pick(policyUi).placement;

  const rows: ImportRow[] = parsed.rows.map((raw) => {
    const errors: string[] = [];
    const c = raw.cells;
    const name = cleanText(c.name);
    for (const col of COLUMNS) if (!c[col]) errors.push(re.missing(COLUMN_LABELS[col]));
    if (raw.extra) errors.push(re.extraCells);
    if (c.code && !CODE_RE.test(c.code)) errors.push(re.codeFormat);
    if (name.length > NAME_MAX) errors.push(re.nameTooLong);
    const type = c.type ? parseSchoolType(c.type) : null;
    if (c.type && !type) errors.push(re.unknownType(c.type));
    const dupLines = c.code ? linesOf.get(c.code) ?? [] : [];
    if (dupLines.length > 1) errors.push(re.duplicateInFile(c.code, dupLines));

    const resolve = (code: string, col: ImportColumn): UnitRow | null => {
      if (!code) return null;
      const found = unitsByCode.get(code.toUpperCase()) ?? [];
      const exact = found.filter((u) => u.code === code);
      if (exact.length === 1) return exact[0];
      if (found.length === 1) return found[0];
      errors.push(found.length === 0 ? re.unknownUnit(COLUMN_LABELS[col], code) : re.ambiguousUnit(COLUMN_LABELS[col], code));
      return null;
    };
    const managing = resolve(c.managingUnit, "managingUnit");
    const reviewing = resolve(c.reviewingUnit, "reviewingUnit");
    const current = c.code ? existing.get(c.code) : undefined;
    if (managing && reviewing) {
      // The one placement rule (policy.placeSchool), the same the school forms ask; memoised per
      // (managing, reviewing, current placement) since big files repeat the same few units.
      const key = `${managing.id}:${reviewing.id}:${current ? `${current.managingUnitId}:${current.reviewingUnitId}` : "new"}`;
      const problems = placementProblems(key, () => placeSchool(user, { managingUnitId: managing.id, reviewingUnitId: reviewing.id }, current).problems);
      const messages: Record<PlacementProblem, string> = {
        "school-out-of-scope": re.schoolOutOfScope(c.code),
        "managing-out-of-scope": re.managingOutOfScope(managing.code),
        "reviewing-out-of-scope": re.reviewingOutOfScope(reviewing.code),
        "reviewing-locked": pt.rowReviewingLocked(c.code),
        "reviewing-not-above": pt.rowReviewingNotAbove(reviewing.code, managing.code),
      };
      for (const p of problems) errors.push(messages[p]);
    }

    const row: ImportRow = {
      line: raw.line,
      code: c.code,
      name,
      type: type ?? c.type,
      managingUnitCode: managing?.code ?? c.managingUnit,
      reviewingUnitCode: reviewing?.code ?? c.reviewingUnit,
      errors,
      action: null,
      changes: [],
      schoolId: current?.id ?? null,
    };
    if (errors.length || !type || !managing || !reviewing) return row;
    if (!current) return { ...row, action: "create" };
    const changes: ChangedField[] = [];
    if (current.name !== name) changes.push("name");
    if (current.type !== type) changes.push("type");
    if (current.managingUnitId !== managing.id) changes.push("managingUnit");
    if (current.reviewingUnitId !== reviewing.id) changes.push("reviewingUnit");
    return { ...row, action: changes.length ? "update" : "unchanged", changes };
  });

  const counts = {
    total: rows.length,
    create: rows.filter((r) => r.action === "create").length,
    update: rows.filter((r) => r.action === "update").length,
    unchanged: rows.filter((r) => r.action === "unchanged").length,
    errors: rows.filter((r) => r.errors.length > 0).length,
  };
  return { sha256, fileErrors: [], warnings: parsed.warnings, rows, counts, ok: counts.errors === 0 && rows.length > 0 };
}

/** Runs a query over chunks of at most 500 values (SQLite's bound-parameter limit). */
function chunked<V, R>(values: V[], query: (chunk: V[]) => R[]): R[] {
  const out: R[] = [];
  for (let i = 0; i < values.length; i += 500) out.push(...query(values.slice(i, i + 500)));
  return out;
}

export type ApplyResult =
  | { status: "applied"; created: number; updated: number; unchanged: number }
  | { status: "nothing"; unchanged: number }
  | { status: "changed" }
  | { status: "rejected"; preview: ImportPreview };

/**
 * Applies the file: all rows or nothing, in one transaction, after validating everything again
 * (the preview is never trusted). `expectedSha256` is the hash shown with the preview; a
 * different text is refused ("changed").
 */
export function applySchoolImport(user: CurrentUser, text: string, expectedSha256: string, db: Db = getDb(), now = Date.now()): ApplyResult {
  const normalised = normaliseText(text);
  if (sha256Hex(normalised) !== expectedSha256.trim().toLowerCase()) return { status: "changed" };
  return db.transaction((tx) => {
    const preview = previewSchoolImport(user, normalised, tx);
    if (!preview.ok) return { status: "rejected", preview };
    const { create, update, unchanged } = preview.counts;
    if (create + update === 0) return { status: "nothing", unchanged };

    const unitIds = new Map<string, number>();
    const unitId = (code: string) => {
      if (!unitIds.has(code)) unitIds.set(code, tx.select({ id: units.id }).from(units).where(eq(units.code, code)).get()!.id);
      return unitIds.get(code)!;
    };
    for (const row of preview.rows) {
      if (row.action === "unchanged") continue;
      const fields = {
        code: row.code,
        name: row.name,
        type: row.type as SchoolType,
        managingUnitId: unitId(row.managingUnitCode),
        reviewingUnitId: unitId(row.reviewingUnitCode),
      };
      const values = { ...fields, searchKey: foldVietnamese(`${row.code} ${row.name}`) };
      if (row.action === "create") {
        const created = tx.insert(schools).values(values).returning({ id: schools.id }).get();
        writeAudit(
          tx,
          { actorId: user.id, action: "school.create", entityType: "school", entityId: created.id, schoolId: created.id, details: { source: "csv", sha256: preview.sha256, line: row.line, ...fields } },
          now,
        );
      } else {
        tx.update(schools)
          .set({ ...values, updatedAt: new Date(now) })
          .where(eq(schools.id, row.schoolId!))
          .run();
        writeAudit(
          tx,
          { actorId: user.id, action: "school.update", entityType: "school", entityId: row.schoolId, schoolId: row.schoolId, details: { source: "csv", sha256: preview.sha256, line: row.line, changed: row.changes } },
          now,
        );
      }
    }
    treeChanged(); // schools moved: the policy's cached placements are stale
    writeAudit(
      tx,
      { actorId: user.id, action: "school.import", entityType: "school_import", entityId: preview.sha256.slice(0, 16), unitId: user.unitId, details: { sha256: preview.sha256, rows: preview.counts.total, created: create, updated: update, unchanged } },
      now,
    );
    return { status: "applied", created: create, updated: update, unchanged };
  });
}
