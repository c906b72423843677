/**
 * Assembles the data of the self-assessment report (Phụ lục 2 of seed 002) from the database:
 * school and its units, school year, the school's free text, the score from the engine, the
 * information blocks (1.3.lms) and the per-item notes, the evidence list (one row per evidence,
 * with every code it carries in this assessment), the head's name. Authorization is the caller's
 * job (routes ask policy first).
 */
import { and, asc, eq, isNull } from "drizzle-orm";
import { REPORT_SECTION_KEYS, type ReportSectionKey } from "~/domain/report";
import type { UnitKind } from "~/domain/units";
import { getDb, type Db } from "../db/client.server";
import { evidence, evidenceLinks, schools, units, userRoles, users } from "../db/schema.server";
import type { Edition } from "~/domain/catalogue";
import type { ReportData, ReportEvidenceRow, ReportInfoBlock, ReportNote } from "../pdf/self-assessment-report.server";
import { answersOf, editionOf, getAssessment, scoreOf, type AssessmentRecord } from "./assessments.server";

interface UnitRow {
  id: number;
  kind: UnitKind;
  name: string;
  depth: number;
}

/** The unit and its ancestors, nearest first. */
function ancestry(unitId: number, db: Db): UnitRow[] {
  return db.$client
    .prepare(
      `WITH RECURSIVE up(id, kind, name, parent_id, depth) AS (
         SELECT id, kind, name, parent_id, 0 FROM units WHERE id = ?
         UNION ALL SELECT u.id, u.kind, u.name, u.parent_id, up.depth + 1 FROM units u JOIN up ON u.id = up.parent_id WHERE up.depth < 16)
       SELECT id, kind, name, depth FROM up ORDER BY depth`,
    )
    .all(unitId) as UnitRow[];
}

const PROVINCE_PREFIXES = [
  /^sở\s+giáo\s+dục\s+và\s+đào\s+tạo\s+(tỉnh|thành\s+phố|tp\.?)\s+/iu,
  /^sở\s+(gd\s*&\s*đt|gdđt|gd-đt)\s+(tỉnh|thành\s+phố|tp\.?)\s+/iu,
  /^sở\s+giáo\s+dục\s+và\s+đào\s+tạo\s+/iu,
  /^sở\s+(gd\s*&\s*đt|gdđt|gd-đt)\s+/iu,
];

/**
 * Place name for the date line from the province unit's name:
 * "Sở Giáo dục và Đào tạo tỉnh Quảng Ninh" → "Quảng Ninh"; a name without the prefix is kept.
 */
export function placeFromProvince(name: string): string {
  const n = name.normalize("NFC").replace(/\s+/g, " ").trim();
  for (const re of PROVINCE_PREFIXES) {
    const m = re.exec(n);
    const rest = m ? n.slice(m[0].length).trim() : "";
    if (rest && !/^(tỉnh|thành phố|tp\.?)$/iu.test(rest)) return rest;
  }
  return n;
}

/** The report's data, or null when the assessment does not exist. */
export function buildReportData(assessmentId: number, now = Date.now(), db: Db = getDb()): ReportData | null {
  const a = getAssessment(assessmentId, db);
  if (!a) return null;

  const school = db
    .select({ managingUnitId: schools.managingUnitId, reviewingUnitId: schools.reviewingUnitId })
    .from(schools)
    .where(eq(schools.id, a.schoolId))
    .get()!;
  const up = ancestry(school.managingUnitId, db);
  const managing = up[0];
  const province = up.find((u) => u.kind === "province") ?? null;
  const reviewing = db.select({ name: units.name }).from(units).where(eq(units.id, school.reviewingUnitId)).get();

  const edition = editionOf(a);
  const score = scoreOf(a);

  const evidenceRows = reportEvidenceRows(a, db);
  const set = answersOf(a.id, "self", db);

  const head = db
    .select({ name: users.displayName })
    .from(users)
    .innerJoin(userRoles, eq(userRoles.userId, users.id))
    .where(and(eq(users.schoolId, a.schoolId), eq(userRoles.role, "school_head"), eq(users.active, true)))
    .orderBy(asc(users.id))
    .get();

  const reportText: Partial<Record<ReportSectionKey, string>> = {};
  for (const key of REPORT_SECTION_KEYS) {
    const v = a.reportText?.[key];
    if (typeof v === "string") reportText[key] = v;
  }

  return {
    assessmentId: a.id,
    status: a.status,
    school: { name: a.schoolName, code: a.schoolCode, type: a.schoolType },
    managingUnitName: managing?.name ?? "",
    reviewingUnitName: reviewing?.name ?? managing?.name ?? "",
    provinceName: province?.name ?? null,
    placeName: province ? placeFromProvince(province.name) : placeFromProvince(managing?.name ?? ""),
    schoolYear: a.schoolYear,
    documentNumber: null,
    reportDate: a.submittedAt ?? now,
    reportText,
    edition,
    score,
    evidence: evidenceRows,
    info: reportInfoBlocks(edition, set.answers),
    notes: reportNotes(edition, set.notes),
    headName: head ? personName(head.name) : null,
  };
}

/**
 * A person's name for a signature: a display name with a role in brackets at its end
 * ("Lê Thị Mai (Hiệu trưởng)") loses the brackets; the title is printed on its own line.
 */
export function personName(displayName: string): string {
  const n = displayName.normalize("NFC").replace(/\s+/g, " ").trim();
  const stripped = n.replace(/\s*[(（][^()（）]*[)）]$/u, "").trim();
  return stripped || n;
}

/**
 * The report's evidence list: ONE row per evidence (a file used for three items appears once),
 * carrying all its codes in this assessment, in catalogue order of its first item.
 */
export function reportEvidenceRows(a: Pick<AssessmentRecord, "id" | "editionId">, db: Db = getDb()): ReportEvidenceRow[] {
  const order = new Map<string, number>();
  for (const g of editionOf(a).groups) for (const ind of g.indicators) for (const it of ind.items) order.set(it.code, order.size);
  const collator = new Intl.Collator("vi", { numeric: true, sensitivity: "base" });
  const rows = db
    .select({
      evidenceId: evidence.id,
      code: evidenceLinks.code,
      itemCode: evidenceLinks.itemCode,
      title: evidence.title,
      kind: evidence.kind,
      fileName: evidence.fileName,
      url: evidence.url,
    })
    .from(evidenceLinks)
    .innerJoin(evidence, eq(evidenceLinks.evidenceId, evidence.id))
    .where(and(eq(evidenceLinks.assessmentId, a.id), isNull(evidence.deletedAt)))
    .all();
  const byLink = (x: { itemCode: string; code: string }, y: { itemCode: string; code: string }) =>
    (order.get(x.itemCode) ?? 1e9) - (order.get(y.itemCode) ?? 1e9) || collator.compare(x.itemCode, y.itemCode) || collator.compare(x.code, y.code);
  const byEvidence = new Map<number, ReportEvidenceRow>();
  for (const r of rows) {
    let row = byEvidence.get(r.evidenceId);
    if (!row) {
      row = { evidenceId: r.evidenceId, title: r.title, kind: r.kind, location: r.kind === "link" ? r.url : r.fileName, links: [] };
      byEvidence.set(r.evidenceId, row);
    }
    row.links.push({ code: r.code, itemCode: r.itemCode });
  }
  const out = [...byEvidence.values()];
  for (const row of out) row.links.sort(byLink);
  return out.sort((x, y) => byLink(x.links[0], y.links[0]) || x.evidenceId - y.evidenceId);
}

/** The information blocks of the edition the school filled in (1.3.lms): field labels and values (option labels, not ids). */
export function reportInfoBlocks(edition: Edition, answers: Record<string, unknown>): ReportInfoBlock[] {
  const out: ReportInfoBlock[] = [];
  for (const g of edition.groups)
    for (const ind of g.indicators)
      for (const block of ind.info ?? []) {
        const raw = answers[block.key];
        if (!raw || typeof raw !== "object" || Array.isArray(raw)) continue;
        const value = raw as Record<string, unknown>;
        const fields = block.fields.map((f) => {
          const v = typeof value[f.id] === "string" ? (value[f.id] as string).trim() : "";
          const shown = f.type === "choice" ? (f.options.find((o) => o.id === v)?.label ?? v) : v;
          return { label: f.label, value: shown };
        });
        if (fields.every((f) => f.value === "")) continue;
        out.push({ key: block.key, indicatorCode: ind.code, title: block.title, fields });
      }
  return out;
}

/** The school's notes per item (and per information block), in catalogue order. */
export function reportNotes(edition: Edition, notes: Record<string, string>): ReportNote[] {
  const out: ReportNote[] = [];
  for (const g of edition.groups)
    for (const ind of g.indicators) {
      for (const it of ind.items) {
        const n = notes[it.code]?.trim();
        if (n) out.push({ code: it.code, text: n });
      }
      for (const block of ind.info ?? []) {
        const n = notes[block.key]?.trim();
        if (n) out.push({ code: block.key, text: n });
      }
    }
  return out;
}
