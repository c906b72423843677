/**
 * The self-assessment report as a PDF (pdfkit), in the state format of Nghị định 30/2020/NĐ-CP:
 * A4, margins top/bottom 20 mm, left 30 mm, right 15 mm, Tinos (Times metrics) 13 pt body,
 * the national heading, the issuing body top-left with its number, place and date top-right,
 * page numbers top-centre from page 2, signature bottom-right and "Nơi nhận" bottom-left.
 *
 * Outline: Phụ lục 2 of seed 002 (sections I–V), with the generated score table in II.2 (the
 * information blocks such as 1.3's LMS under their indicator), the school's notes per item after
 * it, and the evidence list (danh mục minh chứng: one row per evidence, with all its codes) as an
 * annex after the signature.
 *
 * The page, heading, title, section, signature blocks come from the shared Nghị định 30 document
 * module (./nd30.server.ts), the tables from ./table.server.ts; this module draws the report's own
 * parts: the free-text sections, the score table and summary, and the evidence annex.
 *
 * Pure presentation: takes ReportData (see services/report.server.ts), reads no database.
 */
import type { Edition, Indicator, Item } from "~/domain/catalogue";
import type { AssessmentState } from "~/domain/assessment-states";
import { formatPoints, type GroupScore, type IndicatorScore, type ItemScore, type ScoreResult } from "~/domain/scoring";
import { pick } from "~/i18n";
import { report, type ReportSectionKey } from "~/i18n/report";
import { abbreviateUnit, asciiFileNamePart, BODY, BOTTOM, clean, INDENT, LEFT, Nd30Document, toBuffer, TOP, utf8FileNamePart, WIDTH } from "./nd30.server";
import { cell, drawTable, run, TABLE, type Column, type Row, type Run } from "./table.server";

// Used by the report's route and tests under their old home.
export { clean, MARGINS, ndDateParts } from "./nd30.server";

// ───────────────────────────── data ─────────────────────────────

export interface ReportEvidenceRow {
  evidenceId: number;
  title: string;
  kind: "file" | "link";
  /** Original file name (kind file) or URL (kind link). */
  location: string | null;
  /** Every link of this evidence in the assessment, in catalogue order: its code ("MC-1.3.2-01") and item ("1.3.2"). */
  links: { code: string; itemCode: string }[];
}

/** An information block the school filled in (1.3.lms), as printed: labels and values (option labels). */
export interface ReportInfoBlock {
  key: string;
  indicatorCode: string;
  title: string;
  fields: { label: string; value: string }[];
}

/** The school's note on an item (or an information block). */
export interface ReportNote {
  code: string;
  text: string;
}

export interface ReportData {
  assessmentId: number;
  status: AssessmentState;
  school: { name: string; code: string; type: string };
  /** The school's managing unit (cơ quan chủ quản), printed in capitals above the school name. */
  managingUnitName: string;
  /** The reviewing unit, the first recipient ("Nơi nhận"). */
  reviewingUnitName: string;
  /** Nearest unit of kind province above the school (null when none). */
  provinceName: string | null;
  /** Place printed before the date ("Đông Sơn, ngày …"). */
  placeName: string;
  schoolYear: string;
  /** "12/BC-THCSĐS" when known; null prints "Số:   /BC-……" for the clerk to fill. */
  documentNumber: string | null;
  /** Date of the report (epoch ms): the submission date, else the day it is generated. */
  reportDate: number;
  /** Free text per section; absent or blank sections print a dotted line. */
  reportText: Partial<Record<ReportSectionKey, string>>;
  edition: Edition;
  score: ScoreResult;
  /** One row per evidence (with all its codes), in catalogue order of its first item. */
  evidence: ReportEvidenceRow[];
  /** Information blocks filled in (1.3.lms), printed under their indicator in the score table. */
  info: ReportInfoBlock[];
  /** The school's notes per item, in catalogue order. */
  notes: ReportNote[];
  /** Name of the head (a school_head of the school), without a role in brackets, if known. */
  headName: string | null;
}

const GROUP_FILL = "#e4e4e4";
const TOTAL_FILL = "#f1f1f1";

class ReportWriter extends Nd30Document {
  readonly t = pick(report).pdf;
  readonly sections = pick(report).sections;

  constructor(private readonly data: ReportData) {
    const t = pick(report).pdf;
    super({ title: t.docTitle(data.school.name, data.schoolYear), author: data.school.name, subject: t.subject, keywords: t.keywords });
  }

  // ─── sections ───

  // ─── the school's text ───

  paragraphs(key: ReportSectionKey): string[] {
    return clean(this.data.reportText[key])
      .split("\n")
      .map((p) => p.replace(/\s+$/g, ""))
      .filter((p) => p.trim() !== "");
  }

  private static readonly PARA: PDFKit.Mixins.TextOptions = { align: "justify", indent: INDENT, paragraphGap: 4 };

  /**
   * The school's text: one paragraph per line, justified, first line indented; blank → dotted line.
   * `keepLast`: height that must follow the last paragraph on the same page (the signature).
   */
  freeText(key: ReportSectionKey, keepLast = 0): void {
    const paragraphs = this.paragraphs(key);
    if (paragraphs.length === 0) {
      if (keepLast) this.ensureSpace(this.lineHeight() + 4 + keepLast);
      this.dottedLine();
      return;
    }
    paragraphs.forEach((p, i) => {
      if (keepLast && i === paragraphs.length - 1) {
        const h = this.heightOf(p, "R", BODY, WIDTH, ReportWriter.PARA);
        if (h + keepLast <= BOTTOM - TOP) this.ensureSpace(h + keepLast);
      }
      this.text(p, "R", BODY, ReportWriter.PARA);
    });
  }

  // ─── II.2: the score table ───

  scoreTable(): void {
    const t = this.t;
    const { edition, score } = this.data;
    const itemScore = new Map<string, ItemScore>(score.items.map((i) => [i.code, i]));
    const indScore = new Map<string, IndicatorScore>(score.indicators.map((i) => [i.code, i]));
    const grpScore = new Map<string, GroupScore>(score.groups.map((g) => [g.code, g]));
    const codesByItem = new Map<string, string[]>();
    for (const e of this.data.evidence)
      for (const l of e.links) {
        const list = codesByItem.get(l.itemCode) ?? [];
        list.push(clean(l.code));
        codesByItem.set(l.itemCode, list);
      }
    const infoOf = new Map<string, ReportInfoBlock[]>();
    for (const b of this.data.info ?? []) infoOf.set(b.indicatorCode, [...(infoOf.get(b.indicatorCode) ?? []), b]);
    // An information block: one row under its indicator's items, its fields as "label: value".
    const infoRows = (indicatorCode: string): Row[] =>
      (infoOf.get(indicatorCode) ?? []).map((b) => ({
        cells: [cell(run("")), cell([run(t.infoHeading(b.title), "BI"), ...b.fields.map((f) => run(t.infoField(f.label, f.value || t.unanswered)))], { span: 4 })],
      }));

    const columns: Column[] = [
      { width: 42, align: "center" },
      { width: 0, align: "left" },
      { width: 50, align: "center" },
      { width: 54, align: "center" },
      { width: 100, align: "left" },
    ];
    columns[1].width = WIDTH - columns.reduce((a, c) => a + c.width, 0);
    const c = t.scoreCols;
    const header = [c.code, c.content, c.max, c.points, c.evidence].map((h) => cell(run(h, "B"), { align: "center" }));

    const rows: Row[] = [];
    const maxText = (it: Item | Indicator, scored: boolean) => (scored ? formatPoints(Math.round(("max" in it ? it.max : 0) * 100)) : t.mandatory);
    const itemPoints = (s: ItemScore | undefined): Run => {
      if (!s) return run(t.unanswered);
      if (s.rule === "mandatory") return run(s.met ? t.met : t.notMet, s.met ? "R" : "B");
      return run(s.answered ? formatPoints(s.points) : t.unanswered);
    };
    const work = (s: ItemScore | undefined): Run[] => {
      if (!s || !s.answered) return [];
      if (s.rule === "ratio") return [run(t.ratioWork(s.explanation), "I", TABLE - 1)];
      if (s.rule === "choice") return [run(t.choiceWork(s.explanation), "I", TABLE - 1)];
      return [];
    };
    const evidenceCell = (code: string) => cell(run((codesByItem.get(code) ?? []).join(", "), "R", TABLE - 1));

    for (const g of edition.groups) {
      const gs = grpScore.get(g.code);
      rows.push({ cells: [cell(run(g.code, "B")), cell(run(t.groupHeading(g.code, g.title), "B"), { span: 4 })], fill: GROUP_FILL, keepWithNext: true });
      for (const ind of g.indicators) {
        const is = indScore.get(ind.code);
        const scored = is?.scored ?? ind.max > 0;
        if (ind.items.length === 1) {
          const it = ind.items[0];
          const s = itemScore.get(it.code);
          rows.push({
            cells: [
              cell(run(it.code)),
              cell([run(ind.title, "B"), run(it.text), ...work(s)]),
              cell(run(maxText(it, it.rule !== "mandatory"))),
              cell(itemPoints(s)),
              evidenceCell(it.code),
            ],
          });
          rows.push(...infoRows(ind.code));
          continue;
        }
        const allMet = ind.items.every((it) => itemScore.get(it.code)?.met === true);
        rows.push({
          cells: [
            cell(run(ind.code, "B")),
            cell(run(ind.title, "B")),
            cell(run(maxText(ind, scored), "B")),
            cell(run(scored ? formatPoints(is?.points ?? 0) : allMet ? t.met : t.notMet, "B")),
            cell(run("")),
          ],
          keepWithNext: true,
        });
        for (const it of ind.items) {
          const s = itemScore.get(it.code);
          rows.push({
            cells: [
              cell(run(it.code)),
              cell([run(it.text), ...work(s)]),
              cell(run(maxText(it, it.rule !== "mandatory"))),
              cell(itemPoints(s)),
              evidenceCell(it.code),
            ],
          });
        }
        rows.push(...infoRows(ind.code));
      }
      if (gs) {
        const totalRuns = [run(t.groupTotal(g.code, gs.level, gs.levelName), "B")];
        if (gs.level < gs.pointsLevel) totalRuns.push(run(t.groupCapped(gs.pointsLevel, gs.mandatoryUnmet), "I", TABLE - 1));
        rows.push({
          cells: [cell(run("")), cell(totalRuns), cell(run(formatPoints(gs.max), "B")), cell(run(formatPoints(gs.points), "B")), cell(run(""))],
          fill: TOTAL_FILL,
        });
      }
    }
    drawTable(this, columns, header, rows);
  }

  scoreSummary(): void {
    const t = this.t;
    const { score, edition } = this.data;
    const unanswered = score.total - score.answered;
    if (unanswered > 0) {
      this.gap(2);
      this.text(t.unansweredNote(unanswered, score.total), "I", TABLE);
    }
    this.gap(10);
    for (const g of score.groups) {
      this.text(`- ${t.groupLine(g.code, g.title, formatPoints(g.points), formatPoints(g.max), g.level, g.levelName)}`, "R", BODY, {
        indent: INDENT,
        align: "justify",
      });
    }
    this.text(`- ${t.institution(score.level, score.levelName)}`, "B", BODY, { indent: INDENT, align: "justify" });
    if (score.mandatoryUnmet.length === 0) {
      this.text(`- ${t.mandatoryAllMet}`, "R", BODY, { indent: INDENT });
    } else {
      const text = new Map<string, string>();
      for (const g of edition.groups) for (const ind of g.indicators) for (const it of ind.items) text.set(it.code, it.text);
      this.text(`- ${t.mandatoryUnmet}`, "R", BODY, { indent: INDENT });
      for (const code of score.mandatoryUnmet) this.text(`+ ${code}: ${text.get(code) ?? ""}`, "R", BODY, { indent: INDENT + 14, align: "justify" });
    }
    this.gap(4);
  }

  /** The school's notes per item (ghi chú), after the results: flowing text, never cut. */
  notesList(): void {
    const notes = this.data.notes ?? [];
    if (notes.length === 0) return;
    this.gap(4);
    this.text(this.t.notesHeading, "B", BODY, { indent: INDENT });
    for (const n of notes) this.text(this.t.noteLine(n.code, n.text), "R", BODY, { indent: INDENT, align: "justify" });
    this.gap(4);
  }

  // ─── annex: danh mục minh chứng ───

  evidenceList(): void {
    const t = this.t;
    const d = this.data;
    this.doc.addPage();
    this.y = TOP;
    this.text(t.evidenceAnnex, "B", BODY, { align: "center" });
    this.text(t.evidenceTitle, "B", 14, { align: "center" });
    this.balanced(t.evidenceSubtitle(d.school.name, d.schoolYear), "I", BODY, LEFT, this.doc.y, WIDTH);
    this.doc.x = LEFT;
    this.gap(10);
    if (d.evidence.length === 0) {
      this.text(t.evidenceNone, "I", BODY, { align: "center" });
      return;
    }
    const columns: Column[] = [
      { width: 32, align: "center" },
      { width: 78, align: "left" },
      { width: 0, align: "left" },
      { width: 52, align: "center" },
      { width: 132, align: "left" },
    ];
    columns[2].width = WIDTH - columns.reduce((a, c) => a + c.width, 0);
    const c = t.evidenceCols;
    const header = [c.no, c.code, c.title, c.item, c.where].map((h) => cell(run(h, "B"), { align: "center" }));
    // One row per evidence: each of its codes on its own line, its items together.
    const rows: Row[] = d.evidence.map((e, i) => ({
      cells: [
        cell(run(String(i + 1))),
        cell(e.links.map((l) => run(l.code))),
        cell(run(e.title)),
        cell(run([...new Set(e.links.map((l) => l.itemCode))].join(", "))),
        // The label on its own line, then the file name or the URL (which may wrap after a "/").
        cell([run(e.kind === "link" ? t.evidenceLink : t.evidenceFile, "I", TABLE - 1), run(e.location ?? "", "R", TABLE - 1)]),
      ],
    }));
    drawTable(this, columns, header, rows);
  }

  render(): void {
    const s = this.sections;
    const d = this.data;
    this.heading({ issuer: d.managingUnitName, body: d.school.name, number: this.t.number(d.documentNumber), date: d.reportDate, place: d.placeName });
    this.titleBlock(this.t.title, this.t.subtitleLines(d.schoolYear));
    this.sectionHeading(s.leadership.heading);
    this.freeText("leadership");
    this.sectionHeading(this.t.partII, 3);
    this.sectionHeading(s.process.heading);
    this.freeText("process");
    this.sectionHeading(s.results.heading);
    this.freeText("results");
    this.text(this.t.tableIntro(this.data.edition.decision ?? null), "R", BODY, { align: "justify", indent: INDENT, paragraphGap: 4 });
    this.scoreTable();
    this.scoreSummary();
    this.notesList();
    for (const key of ["difficulties", "directions"] as const) {
      this.sectionHeading(s[key].heading);
      this.freeText(key);
    }
    // The last section: its last paragraph (and its heading when it is short) stays with the signature.
    const sign = this.signatureHeight();
    const last = this.paragraphs("proposals");
    if (last.length <= 1) {
      const body = last.length ? this.heightOf(last[0], "R", BODY, WIDTH, ReportWriter.PARA) : this.lineHeight() + 4;
      const need = this.heightOf(s.proposals.heading, "B", BODY, WIDTH) + 8 + body + sign;
      if (need <= BOTTOM - TOP) this.ensureSpace(need);
    }
    this.sectionHeading(s.proposals.heading);
    this.freeText("proposals", sign);
    this.signature({
      title: this.t.signTitle,
      note: this.t.signNote,
      name: d.headName,
      recipients: [this.t.recipientReport(clean(abbreviateUnit(d.reviewingUnitName))), this.t.recipientArchive],
    });
    this.evidenceList();
  }
}

/**
 * Renders the report. The document is a Readable stream: pipe it to the response or a file.
 * Drawing runs synchronously before this returns, so a rendering error throws here (and the
 * caller can still answer 500) rather than breaking a response half sent.
 */
export function renderSelfAssessmentReport(data: ReportData): NodeJS.ReadableStream {
  const w = new ReportWriter(data);
  w.render();
  return w.finish();
}

/** The whole PDF in memory (tests, benchmarks, the PDF workers). */
export async function renderSelfAssessmentReportToBuffer(data: ReportData): Promise<Buffer> {
  return toBuffer(renderSelfAssessmentReport(data));
}

/** File name of the report: ASCII fallback and UTF-8 (RFC 5987) forms. */
export function reportFileNames(schoolCode: string, schoolYear: string): { ascii: string; utf8: string } {
  const year = schoolYear.replace(/[^0-9-]/g, "");
  return {
    ascii: `Bao-cao-tu-danh-gia-${asciiFileNamePart(schoolCode) || "truong"}-${year}.pdf`,
    utf8: `Báo-cáo-tự-đánh-giá-${utf8FileNamePart(schoolCode) || "truong"}-${year}.pdf`.normalize("NFC"),
  };
}

/** Content-Disposition for a download: quoted ASCII name plus filename*=UTF-8''… (RFC 6266/5987). */
export function contentDisposition(names: { ascii: string; utf8: string }): string {
  const encoded = encodeURIComponent(names.utf8).replace(/['()*]/g, (ch) => "%" + ch.charCodeAt(0).toString(16).toUpperCase());
  return `attachment; filename="${names.ascii.replace(/["\\]/g, "")}"; filename*=UTF-8''${encoded}`;
}
