/**
 * The external assessment record (biên bản đánh giá ngoài) as a PDF, in the state format of
 * Nghị định 30/2020/NĐ-CP (./nd30.server.ts): the reviewing office's heading, the title, the
 * team and the school (I), the result per item with the school's and the office's points and the
 * reason of each change, the summary per group and the two levels (II), the conclusion (III), and
 * the signatures of the school's representative, the team's secretary and its leader side by side.
 *
 * While the file is approved (the external assessment not finished) every page carries the mark
 * "DỰ THẢO" at the top (text, searchable).
 *
 * Pure presentation: takes ExternalRecordData (plain JSON, see services/external-record.server.ts),
 * reads no database. Points and levels are the scoring engine's, copied into the data.
 */
import type { AssessmentState } from "~/domain/assessment-states";
import type { RuleType } from "~/domain/catalogue";
import type { TeamMember } from "~/domain/review";
import { formatPoints } from "~/domain/scoring";
import { pick } from "~/i18n";
import { externalRecord } from "~/i18n/external-record";
import { asciiFileNamePart, BODY, clean, INDENT, LEFT, MM, Nd30Document, ndDateParts, toBuffer, utf8FileNamePart, WIDTH } from "./nd30.server";
import { cell, drawTable, run, TABLE, type Column, type Row, type Run } from "./table.server";

// ───────────────────────────── data ─────────────────────────────

/** One phase's result of an item (points in hundredths, as the engine gives them). */
export interface ExternalRecordMark {
  answered: boolean;
  points: number;
  /** Mandatory and boolean items: met or not; null for the others. */
  met: boolean | null;
}

export interface ExternalRecordItem {
  code: string;
  text: string;
  /** "info": an information block of the indicator (1.3.lms), listed only when it was changed. */
  rule: RuleType | "info";
  /** The item's maximum points (hundredths); 0 for conditions and information blocks. */
  max: number;
  self: ExternalRecordMark;
  external: ExternalRecordMark;
  /** The external value differs from the school's. */
  changed: boolean;
  /** The reviewer's note of the external phase, printed where the values differ. */
  reason: string | null;
}

export interface ExternalRecordIndicator {
  code: string;
  title: string;
  scored: boolean;
  /** The indicator's maximum points (hundredths). */
  max: number;
  self: { points: number; allMet: boolean };
  external: { points: number; allMet: boolean };
  items: ExternalRecordItem[];
}

export interface ExternalRecordGroupResult {
  points: number;
  max: number;
  level: number;
  levelName: string;
  mandatoryUnmet: string[];
}

export interface ExternalRecordGroup {
  code: string;
  title: string;
  self: ExternalRecordGroupResult;
  external: ExternalRecordGroupResult;
  indicators: ExternalRecordIndicator[];
}

export interface ExternalRecordData {
  assessmentId: number;
  status: AssessmentState;
  /** Approved, the external assessment not finished: every page is marked "DỰ THẢO". */
  draft: boolean;
  school: { name: string; code: string; type: string };
  managingUnitName: string;
  /** The reviewing office: the issuer of the record. */
  reviewingUnitName: string;
  /** The body above the reviewing office (printed above it), "" when none. */
  reviewingParentName: string;
  /** Place printed before the date. */
  placeName: string;
  schoolYear: string;
  /** The team's number of the record ("05/BB-ĐGN"), or null for the blank the clerk fills. */
  documentNumber: string | null;
  /** Date of the record (epoch ms): the team's date, else the day it is made. */
  recordDate: number;
  /** The day the team assessed (epoch ms, noon local), null when not set yet. */
  teamDate: number | null;
  /** The team, the leader first, then members, then the secretary (stored order within a role). */
  members: TeamMember[];
  conclusion: string | null;
  /** Display name of the head of the school, if known. */
  headName: string | null;
  groups: ExternalRecordGroup[];
  self: { level: number; levelName: string };
  external: { level: number; levelName: string };
  /** Number of items (and info blocks) whose external value differs from the school's. */
  changedCount: number;
}

const GROUP_FILL = "#e4e4e4";
const TOTAL_FILL = "#f1f1f1";
const DRAFT_COLOR = "#c00000";

class ExternalRecordWriter extends Nd30Document {
  readonly t = pick(externalRecord).pdf;

  constructor(private readonly data: ExternalRecordData) {
    const t = pick(externalRecord).pdf;
    super({ title: t.docTitle(data.school.name, data.schoolYear), author: data.reviewingUnitName, subject: t.subject, keywords: t.keywords });
  }

  // ─── the draft mark ───

  /** "DỰ THẢO" top-right in the top margin (the page number sits top-centre). */
  private draftMark(): void {
    if (!this.data.draft) return;
    const { x, y } = this.doc;
    const font = this.font;
    const size = this.size;
    this.doc.font("B").fontSize(BODY).fillColor(DRAFT_COLOR);
    this.doc.text(this.t.draft, LEFT, 10 * MM, { width: WIDTH, align: "right", lineBreak: false });
    this.doc.fillColor("black");
    this.use(font, size);
    this.doc.x = x;
    this.doc.y = y;
  }

  protected override onPageAdded(): void {
    super.onPageAdded();
    this.draftMark();
  }

  // ─── text helpers ───

  private static readonly PARA: PDFKit.Mixins.TextOptions = { align: "justify", indent: INDENT, paragraphGap: 4 };

  para(s: string, font: "R" | "B" | "I" = "R"): void {
    this.text(s, font, BODY, ExternalRecordWriter.PARA);
  }

  // ─── I. the team and the school ───

  opening(): void {
    const d = this.data;
    if (d.teamDate != null) {
      const { day, month, year } = ndDateParts(d.teamDate);
      this.para(this.t.opening(day, month, year, d.school.name, d.reviewingUnitName));
    } else this.para(this.t.openingNoDate(d.school.name, d.reviewingUnitName));
  }

  team(): void {
    const t = this.t;
    const d = this.data;
    this.sectionHeading(t.partI, 3);
    this.sectionHeading(t.teamHeading(d.reviewingUnitName));
    if (d.members.length === 0) {
      this.para(t.teamEmpty);
    } else {
      this.para(t.teamIntro);
      d.members.forEach((m, i) => this.text(t.member(i + 1, m.name, m.title, t.roles[m.role]), "R", BODY, { indent: INDENT, align: "justify" }));
    }
    this.sectionHeading(t.schoolHeading);
    for (const line of [t.schoolName(d.school.name), t.schoolCode(d.school.code), t.schoolType(d.school.type), t.schoolManaging(d.managingUnitName), t.schoolHead(d.headName)])
      this.text(line, "R", BODY, { indent: INDENT, align: "justify" });
  }

  // ─── II.1: the table per item ───

  private mark(rule: ExternalRecordItem["rule"], m: ExternalRecordMark, bold: boolean): Run {
    const t = this.t;
    const font = bold ? "B" : "R";
    if (rule === "info") return run(t.unanswered, font);
    if (!m.answered) return run(t.unanswered, font);
    if (rule === "mandatory") return run(m.met ? t.met : t.notMet, font);
    return run(formatPoints(m.points), font);
  }

  itemsTable(): void {
    const t = this.t;
    const columns: Column[] = [
      { width: 40, align: "center" },
      { width: 0, align: "left" },
      { width: 40, align: "center" },
      { width: 52, align: "center" },
      { width: 52, align: "center" },
      { width: 112, align: "left" },
    ];
    columns[1].width = WIDTH - columns.reduce((a, c) => a + c.width, 0);
    const c = t.itemCols;
    const header = [c.code, c.content, c.max, c.self, c.external, c.reason].map((h) => cell(run(h, "B"), { align: "center" }));
    const maxCell = (max: number, bold = false) => cell(run(max > 0 ? formatPoints(max) : "", bold ? "B" : "R"));
    const rows: Row[] = [];
    const reasonCell = (it: ExternalRecordItem) => cell(run(it.changed ? (it.reason ?? "") : "", "R", TABLE - 1));
    const itemRow = (it: ExternalRecordItem, title?: string): Row => ({
      cells: [
        cell(run(it.code, it.changed ? "B" : "R")),
        cell(title ? [run(title, "B"), run(it.text)] : run(it.text)),
        maxCell(it.max),
        cell(this.mark(it.rule, it.self, false)),
        cell(this.mark(it.rule, it.external, it.changed)),
        reasonCell(it),
      ],
    });
    const indPoints = (scored: boolean, p: { points: number; allMet: boolean }) => run(scored ? formatPoints(p.points) : p.allMet ? t.met : t.notMet, "B");

    for (const g of this.data.groups) {
      rows.push({ cells: [cell(run(g.code, "B")), cell(run(t.groupHeading(g.code, g.title), "B"), { span: 5 })], fill: GROUP_FILL, keepWithNext: true });
      for (const ind of g.indicators) {
        const scoredItems = ind.items.filter((it) => it.rule !== "info");
        if (scoredItems.length === 1 && ind.items.length === 1) {
          rows.push(itemRow(ind.items[0], ind.title));
          continue;
        }
        rows.push({
          cells: [cell(run(ind.code, "B")), cell(run(ind.title, "B")), maxCell(ind.scored ? ind.max : 0, true), cell(indPoints(ind.scored, ind.self)), cell(indPoints(ind.scored, ind.external)), cell(run(""))],
          keepWithNext: true,
        });
        for (const it of ind.items) rows.push(itemRow(it));
      }
      rows.push({
        cells: [
          cell(run("")),
          cell(run(t.groupTotal(g.code), "B")),
          maxCell(g.self.max, true),
          cell(run(formatPoints(g.self.points), "B")),
          cell(run(formatPoints(g.external.points), "B")),
          cell(run("")),
        ],
        fill: TOTAL_FILL,
      });
    }
    drawTable(this, columns, header, rows);
    this.gap(4);
    this.text(t.changedNote(this.data.changedCount), "I", TABLE);
  }

  // ─── II.2: the summary ───

  summaryTable(): void {
    const t = this.t;
    const d = this.data;
    const columns: Column[] = [
      { width: 0, align: "left" },
      { width: 152, align: "center" },
      { width: 152, align: "center" },
    ];
    columns[0].width = WIDTH - columns.reduce((a, c) => a + c.width, 0);
    const c = t.summaryCols;
    const header = [c.group, c.self, c.external].map((h) => cell(run(h, "B"), { align: "center" }));
    const result = (r: ExternalRecordGroupResult): Run[] => {
      const out = [run(t.points(formatPoints(r.points), formatPoints(r.max))), run(t.level(r.level, r.levelName))];
      if (r.mandatoryUnmet.length) out.push(run(t.mandatoryUnmet(r.mandatoryUnmet), "I", TABLE - 1));
      return out;
    };
    // The summary is short: all its rows on one page.
    const rows: Row[] = d.groups.map((g) => ({ cells: [cell(run(t.summaryGroup(g.code, g.title), "B")), cell(result(g.self)), cell(result(g.external))], keepWithNext: true }));
    rows.push({
      cells: [cell(run(t.summaryInstitution, "B")), cell(run(t.level(d.self.level, d.self.levelName), "B")), cell(run(t.level(d.external.level, d.external.levelName), "B"))],
      fill: TOTAL_FILL,
    });
    drawTable(this, columns, header, rows);
    this.gap(6);
    this.text(t.selfLevel(d.self.level, d.self.levelName), "R", BODY, { indent: INDENT, align: "justify" });
    this.text(t.externalLevel(d.external.level, d.external.levelName), "B", BODY, { indent: INDENT, align: "justify" });
  }

  // ─── III. the conclusion ───

  conclusion(): void {
    const paragraphs = clean(this.data.conclusion)
      .split("\n")
      .map((p) => p.trim())
      .filter(Boolean);
    if (paragraphs.length === 0) {
      this.dottedLine();
      this.dottedLine();
    } else for (const p of paragraphs) this.para(p);
    // The closing sentence stays with the signatures.
    this.ensureSpace(this.heightOf(this.t.closing, "R", BODY, WIDTH, ExternalRecordWriter.PARA) + 4 + this.signersHeight());
    this.para(this.t.closing);
  }

  // ─── signatures: the school's representative, the secretary and the team leader ───

  private signersHeight(): number {
    return 14 + 2 * this.lineHeight("B", BODY) + 2 * this.lineHeight("I", 12) + ExternalRecordWriter.SIGN_SPACE + this.lineHeight("B", BODY);
  }

  signatures(): void {
    const t = this.t;
    const d = this.data;
    const doc = this.doc;
    const leader = d.members.find((m) => m.role === "truong_doan")?.name ?? null;
    const secretary = d.members.find((m) => m.role === "thu_ky")?.name ?? null;
    this.ensureSpace(this.signersHeight());
    const y0 = doc.y + 14;
    const third = WIDTH / 3;
    const columns = [
      { x: LEFT, title: t.signSchool, note: t.signSchoolNote, name: d.headName },
      { x: LEFT + third, title: t.signSecretary, note: t.signSecretaryNote, name: secretary },
      { x: LEFT + 2 * third, title: t.signLeader, note: t.signLeaderNote, name: leader },
    ];
    // Titles and notes first; the names then share one line below the tallest column.
    let signed = y0;
    for (const c of columns) {
      this.use("B", BODY);
      doc.text(c.title, c.x, y0, { width: third, align: "center" });
      this.use("I", 12);
      doc.text(c.note, c.x, doc.y, { width: third, align: "center" });
      signed = Math.max(signed, doc.y);
    }
    const nameY = signed + ExternalRecordWriter.SIGN_SPACE;
    let bottom = nameY;
    for (const c of columns) {
      if (!c.name) continue;
      this.use("B", BODY);
      doc.text(clean(c.name), c.x, nameY, { width: third, align: "center" });
      bottom = Math.max(bottom, doc.y);
    }
    this.use("R", BODY);
    this.y = bottom;
  }

  render(): void {
    const d = this.data;
    const t = this.t;
    this.draftMark();
    this.heading({ issuer: d.reviewingParentName, body: d.reviewingUnitName, number: t.number(d.documentNumber), date: d.recordDate, place: d.placeName });
    this.titleBlock(t.title, t.subtitleLines(d.schoolYear));
    this.opening();
    this.team();
    this.sectionHeading(t.partII, 3);
    this.sectionHeading(t.itemsHeading);
    this.para(t.itemsIntro);
    this.itemsTable();
    // The heading stays with the summary table (estimated: a header line, three lines a group, two for the level).
    const line = this.lineHeight("R", TABLE, 1);
    this.ensureSpace(this.lineHeight("B", BODY) + 8 + line * (3 + 3 * d.groups.length) + 8 * (d.groups.length + 2));
    this.sectionHeading(t.summaryHeading);
    this.summaryTable();
    this.sectionHeading(t.partIII, 2);
    this.conclusion();
    this.signatures();
  }
}

/** Renders the record; drawing runs before this returns, so an error throws here. */
export function renderExternalRecord(data: ExternalRecordData): NodeJS.ReadableStream {
  const w = new ExternalRecordWriter(data);
  w.render();
  return w.finish();
}

/** The whole PDF in memory (the PDF workers, tests, benchmarks). */
export async function renderExternalRecordToBuffer(data: ExternalRecordData): Promise<Buffer> {
  return toBuffer(renderExternalRecord(data));
}

/** File name of the record: ASCII fallback and UTF-8 forms ("bien-ban-<code>-<year>.pdf"). */
export function externalRecordFileNames(schoolCode: string, schoolYear: string): { ascii: string; utf8: string } {
  const year = schoolYear.replace(/[^0-9-]/g, "");
  return {
    ascii: `bien-ban-${asciiFileNamePart(schoolCode) || "truong"}-${year}.pdf`,
    utf8: `biên-bản-${utf8FileNamePart(schoolCode) || "truong"}-${year}.pdf`.normalize("NFC"),
  };
}
