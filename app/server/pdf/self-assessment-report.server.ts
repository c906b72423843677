/**
 * The self-assessment report as a PDF (pdfkit), in the state format of Nghị định 30/2020/NĐ-CP:
 * A4, margins top/bottom 20 mm, left 30 mm, right 15 mm, Tinos (Times metrics) 13 pt body,
 * the national heading, the issuing body top-left with its number, place and date top-right,
 * page numbers top-centre from page 2, signature bottom-right and "Nơi nhận" bottom-left.
 *
 * Outline: Phụ lục 2 of seed 002 (sections I–V), with the generated score table in II.2 and the
 * evidence list (danh mục minh chứng) as an annex after the signature.
 *
 * Tables break cleanly: each row is measured before it is drawn, never split across pages, and
 * the header row repeats on every page the table continues on. Every string is NFC-normalised.
 *
 * Pure presentation: takes ReportData (see services/report.server.ts), reads no database.
 */
import PDFDocument from "pdfkit";
import type { Edition, Indicator, Item } from "~/domain/catalogue";
import type { AssessmentState } from "~/domain/assessment-states";
import { formatPoints, type GroupScore, type IndicatorScore, type ItemScore, type ScoreResult } from "~/domain/scoring";
import { pick } from "~/i18n";
import { report, type ReportSectionKey } from "~/i18n/report";
import { localDateOf } from "~/utils/time";
import { registerTinos, tinos, type FaceKey } from "./fonts.server";

// ───────────────────────────── data ─────────────────────────────

export interface ReportEvidenceRow {
  /** Generated code of the link, e.g. "MC-1.3-01". */
  code: string;
  title: string;
  /** Item (tiêu chí) the evidence is attached to, e.g. "1.3.2". */
  itemCode: string;
  kind: "file" | "link";
  /** Original file name (kind file) or URL (kind link). */
  location: string | null;
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
  /** One row per evidence link, in catalogue order. */
  evidence: ReportEvidenceRow[];
  /** Display name of the head (a school_head of the school), if known. */
  headName: string | null;
}

// ───────────────────────────── layout ─────────────────────────────

const MM = 72 / 25.4;
/** Nghị định 30/2020, Phụ lục I: top 20–25, bottom 20–25, left 30–35, right 15–20 mm. */
export const MARGINS = { top: 20 * MM, bottom: 20 * MM, left: 30 * MM, right: 15 * MM };
const A4 = { width: 595.28, height: 841.89 };
const LEFT = MARGINS.left;
const WIDTH = A4.width - MARGINS.left - MARGINS.right;
const TOP = MARGINS.top;
const BOTTOM = A4.height - MARGINS.bottom;

const BODY = 13;
const BODY_GAP = 2.5;
const INDENT = 10 * MM;
const TABLE = 11;
const TABLE_GAP = 1;
const PAD_X = 4;
const PAD_Y = 3;

/** Heading block: two columns, the issuing body on the left, the national heading on the right. */
const HEAD_RIGHT_W = 258;
const HEAD_GAP = 4;
const HEAD_LEFT_W = WIDTH - HEAD_RIGHT_W - HEAD_GAP;
const HEAD_RIGHT_X = LEFT + WIDTH - HEAD_RIGHT_W;

const GROUP_FILL = "#e4e4e4";
const TOTAL_FILL = "#f1f1f1";
const HEADER_FILL = "#d9d9d9";

type FontKey = FaceKey;
type Align = "left" | "center" | "right" | "justify";

/** Safe text for drawing: NFC, no control characters (they would draw as missing glyphs). */
export function clean(s: string | null | undefined): string {
  if (!s) return "";
  return s
    .normalize("NFC")
    .replace(/\r\n?/g, "\n")
    .replace(/\t/g, "    ")
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\u200B\u200E\u200F\uFEFF]/g, "");
}

/** "Giáo dục và Đào tạo" → "GD&ĐT" (usual abbreviation in the heading of school documents). */
function abbreviateUnit(name: string): string {
  return name.replace(/gi[áa]o d[ụu]c v[àa] [đd][àa]o t[ạa]o/giu, "GD&ĐT").replace(/\s+/g, " ").trim();
}

const upper = (s: string) => s.toLocaleUpperCase("vi-VN");

/** Day and month as Nghị định 30 writes them: a leading 0 for days below 10 and for months 1 and 2. */
export function ndDateParts(ms: number): { day: string; month: string; year: string } {
  const [y, m, d] = localDateOf(ms).split("-").map(Number);
  return { day: d < 10 ? `0${d}` : String(d), month: m < 3 ? `0${m}` : String(m), year: String(y) };
}

// ───────────────────────────── tables ─────────────────────────────

interface Run {
  text: string;
  font: FontKey;
  size?: number;
}

interface Cell {
  runs: Run[];
  span?: number;
  align?: Align;
}

interface Row {
  cells: Cell[];
  fill?: string;
  /** Keep on the same page as the next row (headings of a group or an indicator). */
  keepWithNext?: boolean;
}

interface Column {
  width: number;
  align: Align;
}

/** Text of a table cell: one paragraph (a hard line break inside a cell is set as a space). */
const run = (text: string, font: FontKey = "R", size?: number): Run => ({ text: clean(text).replace(/\s*\n\s*/g, " "), font, size });
const cell = (runs: Run | Run[], opts: { span?: number; align?: Align } = {}): Cell => ({ runs: Array.isArray(runs) ? runs : [runs], ...opts });

// ───────────────────────────── renderer ─────────────────────────────

class ReportWriter {
  readonly doc: PDFKit.PDFDocument;
  private font: FontKey = "R";
  private size = BODY;
  private page = 1;
  readonly t = pick(report).pdf;
  readonly sections = pick(report).sections;

  constructor(private readonly data: ReportData) {
    const f = tinos();
    // The font in the constructor: Helvetica's metrics are never loaded.
    this.doc = new PDFDocument({
      size: "A4",
      font: f.regular,
      margins: MARGINS,
      autoFirstPage: true,
      bufferPages: false,
      lang: "vi-VN",
      displayTitle: true,
      info: {
        Title: clean(this.t.docTitle(data.school.name, data.schoolYear)),
        Author: clean(data.school.name),
        Subject: clean(this.t.subject),
        Keywords: clean(this.t.keywords),
        Creator: "CĐS 4725",
        Producer: "CĐS 4725 (pdfkit)",
      },
    });
    registerTinos(this.doc);
    this.use("R", BODY);
    this.doc.on("pageAdded", () => this.onPageAdded());
  }

  use(font: FontKey, size: number): this {
    this.doc.font(font).fontSize(size);
    this.font = font;
    this.size = size;
    return this;
  }

  /** Page numbers: top centre, Arabic numerals, from page 2 (Nghị định 30/2020). */
  private onPageAdded(): void {
    this.page++;
    const { x, y } = this.doc;
    const font = this.font;
    const size = this.size;
    this.doc.font("R").fontSize(BODY).fillColor("black");
    this.doc.text(String(this.page), LEFT, 10 * MM, { width: WIDTH, align: "center", lineBreak: false });
    this.use(font, size);
    this.doc.x = x;
    this.doc.y = y;
  }

  get y(): number {
    return this.doc.y;
  }

  set y(v: number) {
    this.doc.y = v;
    this.doc.x = LEFT;
  }

  /** Starts a new page unless `height` still fits on this one. */
  ensureSpace(height: number): void {
    if (this.doc.y + height > BOTTOM) {
      this.doc.addPage();
      this.y = TOP;
    }
  }

  heightOf(text: string, font: FontKey, size: number, width: number, opts: PDFKit.Mixins.TextOptions = {}): number {
    if (!text) return 0;
    this.use(font, size);
    return this.doc.heightOfString(text, { width, lineGap: BODY_GAP, ...opts });
  }

  lineHeight(font: FontKey = "R", size = BODY, gap = BODY_GAP): number {
    this.use(font, size);
    return this.doc.currentLineHeight(true) + gap;
  }

  /** A block of text across the full width; long text continues on the next pages. */
  text(s: string, font: FontKey, size: number, opts: PDFKit.Mixins.TextOptions = {}): void {
    const v = clean(s);
    if (!v) return;
    this.use(font, size);
    this.doc.fillColor("black").text(v, LEFT, this.doc.y, { width: WIDTH, lineGap: BODY_GAP, ...opts });
    this.doc.x = LEFT;
  }

  /** Greedy word wrap (as pdfkit does) of one paragraph: the width of each line. */
  private lineWidths(v: string, width: number): number[] {
    const space = this.doc.widthOfString(" ");
    const out: number[] = [];
    let cur = -1;
    for (const word of v.split(/\s+/).filter(Boolean)) {
      const w = this.doc.widthOfString(word);
      if (cur >= 0 && cur + space + w <= width) cur += space + w;
      else {
        if (cur >= 0) out.push(cur);
        cur = w;
      }
    }
    if (cur >= 0) out.push(cur);
    return out;
  }

  /**
   * Centred text. When the natural wrap leaves a short last line ("… ĐÔNG / SƠN"), the text is
   * set in the narrowest width that keeps the number of lines, so the lines come out even.
   */
  balanced(s: string, font: FontKey, size: number, x: number, y: number, width: number, lineGap = 1): void {
    const v = clean(s);
    const parts = v.split("\n");
    if (parts.length > 1) {
      // One call per line: pdfkit centres a line ending in a hard break a little off.
      let ly = y;
      for (const part of parts) {
        this.balanced(part, font, size, x, ly, width, lineGap);
        ly = this.doc.y;
      }
      return;
    }
    this.use(font, size);
    const opts = { lineGap };
    let w = width;
    const widths = this.lineWidths(v, width);
    if (widths.length >= 2 && widths[widths.length - 1] < 0.4 * width) {
      const h = this.doc.heightOfString(v, { width, ...opts });
      let lo = Math.min(width, this.doc.widthOfString(v) / widths.length);
      for (let k = 0; k < 14 && w - lo > 1; k++) {
        const mid = (lo + w) / 2;
        if (this.doc.heightOfString(v, { width: mid, ...opts }) > h + 0.1) lo = mid;
        else w = mid;
      }
    }
    this.doc.text(v, x + (width - w) / 2, y, { width: w, align: "center", ...opts });
  }

  gap(h: number): void {
    this.doc.y += h;
  }

  rule(cx: number, y: number, width: number): void {
    this.doc
      .save()
      .lineWidth(0.6)
      .strokeColor("black")
      .moveTo(cx - width / 2, y)
      .lineTo(cx + width / 2, y)
      .stroke()
      .restore();
  }

  // ─── heading (quốc hiệu, tiêu ngữ, cơ quan ban hành, số, địa danh và ngày) ───

  heading(): void {
    const d = this.data;
    const t = this.t;
    const doc = this.doc;
    const top = TOP;

    // Left: the managing body, the school (bold), a short rule, the number.
    let ly = top;
    const managing = this.breakBeforePlace(upper(clean(abbreviateUnit(d.managingUnitName))), HEAD_LEFT_W);
    const school = upper(clean(d.school.name));
    const lcx = LEFT + HEAD_LEFT_W / 2;
    this.balanced(managing, "R", 12, LEFT, ly, HEAD_LEFT_W);
    ly = doc.y;
    this.balanced(school, "B", 12, LEFT, ly, HEAD_LEFT_W);
    ly = doc.y + 2;
    const schoolLine = Math.min(doc.widthOfString(school), HEAD_LEFT_W);
    this.rule(lcx, ly, Math.max(40, schoolLine * 0.4));
    const leftNumberY = ly + 8;

    // Right: quốc hiệu (bold caps), tiêu ngữ (bold) with a rule as long as it, then place and date.
    let ry = top;
    const rcx = HEAD_RIGHT_X + HEAD_RIGHT_W / 2;
    this.use("B", 12);
    doc.text(t.nationalName, HEAD_RIGHT_X, ry, { width: HEAD_RIGHT_W, align: "center", lineGap: 1 });
    ry = doc.y;
    this.use("B", 13);
    doc.text(t.motto, HEAD_RIGHT_X, ry, { width: HEAD_RIGHT_W, align: "center", lineGap: 1 });
    ry = doc.y + 2;
    this.rule(rcx, ry, doc.widthOfString(t.motto));
    const rightDateY = ry + 8;

    // "Số" and the date on one line (the lower of the two columns decides).
    const lineY = Math.max(leftNumberY, rightDateY);
    this.use("R", 13);
    doc.text(clean(t.number(d.documentNumber)), LEFT, lineY, { width: HEAD_LEFT_W, align: "center" });
    const leftEnd = doc.y;
    const { day, month, year } = ndDateParts(d.reportDate);
    this.use("I", 13);
    doc.text(clean(t.placeDate(d.placeName, day, month, year)), HEAD_RIGHT_X, lineY, { width: HEAD_RIGHT_W, align: "center" });
    this.y = Math.max(leftEnd, doc.y) + 22;
  }

  /** "PHÒNG GD&ĐT THÀNH PHỐ ĐÔNG SƠN" → "PHÒNG GD&ĐT\nTHÀNH PHỐ ĐÔNG SƠN" when it does not fit one line (12 pt). */
  private breakBeforePlace(name: string, width: number): string {
    this.use("R", 12);
    if (this.doc.widthOfString(name) <= width) return name;
    return name.replace(/ (TỈNH|THÀNH PHỐ|TP\.|HUYỆN|QUẬN|THỊ XÃ|XÃ|PHƯỜNG|ĐẶC KHU) /u, "\n$1 ");
  }

  title(): void {
    const t = this.t;
    this.text(t.title, "B", 14, { align: "center" });
    this.gap(1);
    this.balanced(t.subtitleLines(this.data.schoolYear).join("\n"), "B", 14, LEFT, this.doc.y, WIDTH);
    const y = this.doc.y + 3;
    this.rule(LEFT + WIDTH / 2, y, 110);
    this.y = y + 16;
  }

  // ─── sections ───

  sectionHeading(s: string, keepWith = 2): void {
    const h = this.heightOf(clean(s), "B", BODY, WIDTH) + keepWith * this.lineHeight();
    this.ensureSpace(h + 4);
    this.gap(4);
    this.text(s, "B", BODY, { indent: INDENT });
    this.gap(2);
  }

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

  dottedLine(): void {
    this.use("R", BODY);
    const dotW = this.doc.widthOfString(".");
    const n = Math.max(3, Math.floor((WIDTH - 4) / dotW));
    this.text(".".repeat(n), "R", BODY, { paragraphGap: 4 });
  }

  // ─── tables ───

  private cellWidth(columns: Column[], index: number, span: number): number {
    let w = 0;
    for (let k = index; k < index + span; k++) w += columns[k].width;
    return w;
  }

  private runHeight(r: Run, width: number, size: number): number {
    if (!r.text) return 0;
    this.use(r.font, r.size ?? size);
    return this.doc.heightOfString(r.text, { width, lineGap: TABLE_GAP });
  }

  private cellTextHeight(c: Cell, width: number, size: number): number {
    let h = 0;
    for (const r of c.runs) h += this.runHeight(r, width, size);
    return h;
  }

  /** Row height; a row taller than a page body has its longest text shortened with "…" to fit. */
  private measureRow(row: Row, columns: Column[], size: number, maxHeight: number): number {
    let h = 0;
    let col = 0;
    for (const c of row.cells) {
      const span = c.span ?? 1;
      const inner = this.cellWidth(columns, col, span) - 2 * PAD_X;
      let ch = this.cellTextHeight(c, inner, size);
      if (ch + 2 * PAD_Y > maxHeight) {
        this.shorten(c, inner, size, maxHeight - 2 * PAD_Y);
        ch = this.cellTextHeight(c, inner, size);
      }
      h = Math.max(h, ch);
      col += span;
    }
    return Math.ceil(h + 2 * PAD_Y);
  }

  private shorten(c: Cell, width: number, size: number, max: number): void {
    const longest = c.runs.reduce((a, b) => (b.text.length > a.text.length ? b : a));
    const full = longest.text;
    let lo = 0;
    let hi = full.length;
    while (lo < hi) {
      const mid = Math.ceil((lo + hi) / 2);
      longest.text = full.slice(0, mid) + "…";
      if (this.cellTextHeight(c, width, size) <= max) lo = mid;
      else hi = mid - 1;
    }
    longest.text = full.slice(0, lo) + "…";
  }

  private drawRow(row: Row, columns: Column[], y: number, h: number, size: number, vcenter: boolean): void {
    const doc = this.doc;
    let x = LEFT;
    let col = 0;
    for (const c of row.cells) {
      const span = c.span ?? 1;
      const w = this.cellWidth(columns, col, span);
      doc.save().lineWidth(0.5).strokeColor("black");
      if (row.fill) doc.rect(x, y, w, h).fillAndStroke(row.fill, "black");
      else doc.rect(x, y, w, h).stroke();
      doc.restore();
      const inner = w - 2 * PAD_X;
      const align = c.align ?? columns[col].align;
      let ty = y + PAD_Y;
      if (vcenter) ty += Math.max(0, (h - 2 * PAD_Y - this.cellTextHeight(c, inner, size)) / 2);
      for (const r of c.runs) {
        if (!r.text) continue;
        const rh = this.runHeight(r, inner, size);
        doc.fillColor("black").text(r.text, x + PAD_X, ty, { width: inner, align, lineGap: TABLE_GAP, height: rh + 1 });
        ty += rh;
      }
      x += w;
      col += span;
    }
    this.y = y + h;
  }

  /**
   * A table that breaks cleanly across pages: rows are measured first, never split, rows marked
   * keepWithNext stay with the next row, and the header row repeats on each new page.
   */
  table(columns: Column[], header: Cell[], rows: Row[], size = TABLE): void {
    const headerRow: Row = { cells: header, fill: HEADER_FILL };
    const bodyHeight = BOTTOM - TOP;
    const headerH = this.measureRow(headerRow, columns, size, bodyHeight / 3);
    const maxRow = bodyHeight - headerH;
    const heights = rows.map((r) => this.measureRow(r, columns, size, maxRow));

    /** Height of row i plus the rows it must stay with (when that chain fits a page). */
    const chain = (i: number): number => {
      let need = heights[i];
      let j = i;
      while (rows[j]?.keepWithNext && j + 1 < rows.length && need + heights[j + 1] <= maxRow) {
        need += heights[j + 1];
        j++;
      }
      return need;
    };

    let y = this.doc.y;
    const newPage = () => {
      this.doc.addPage();
      y = TOP;
      this.drawRow(headerRow, columns, y, headerH, size, true);
      y += headerH;
    };
    if (y + headerH + (rows.length ? chain(0) : 0) > BOTTOM) {
      this.doc.addPage();
      y = TOP;
    }
    this.drawRow(headerRow, columns, y, headerH, size, true);
    y += headerH;

    for (let i = 0; i < rows.length; i++) {
      // Keep a heading row with what follows (a chain of headings too), when the chain fits a page.
      if (y + chain(i) > BOTTOM && y > TOP + headerH + 0.5) newPage();
      else if (y + heights[i] > BOTTOM) newPage();
      this.drawRow(rows[i], columns, y, heights[i], size, false);
      y += heights[i];
    }
    this.use("R", BODY);
    this.y = y;
  }

  // ─── II.2: the score table ───

  scoreTable(): void {
    const t = this.t;
    const { edition, score } = this.data;
    const itemScore = new Map<string, ItemScore>(score.items.map((i) => [i.code, i]));
    const indScore = new Map<string, IndicatorScore>(score.indicators.map((i) => [i.code, i]));
    const grpScore = new Map<string, GroupScore>(score.groups.map((g) => [g.code, g]));
    const codesByItem = new Map<string, string[]>();
    for (const e of this.data.evidence) {
      const list = codesByItem.get(e.itemCode) ?? [];
      list.push(clean(e.code));
      codesByItem.set(e.itemCode, list);
    }

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
    this.table(columns, header, rows);
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

  // ─── signature and recipients ───

  private static readonly SIGN_SPACE = 70;

  signatureHeight(): number {
    return 14 + this.lineHeight("B", BODY) + this.lineHeight("I", 12) + ReportWriter.SIGN_SPACE + this.lineHeight("B", BODY);
  }

  signature(): void {
    const t = this.t;
    const d = this.data;
    const doc = this.doc;
    const signSpace = ReportWriter.SIGN_SPACE;
    this.ensureSpace(this.signatureHeight());
    const y0 = this.doc.y + 14;

    // Right: title, note, space for signature and seal, name.
    let ry = y0;
    this.use("B", BODY);
    doc.text(t.signTitle, HEAD_RIGHT_X, ry, { width: HEAD_RIGHT_W, align: "center" });
    ry = doc.y;
    this.use("I", 12);
    doc.text(t.signNote, HEAD_RIGHT_X, ry, { width: HEAD_RIGHT_W, align: "center" });
    ry = doc.y + signSpace;
    if (d.headName) {
      this.use("B", BODY);
      doc.text(clean(d.headName), HEAD_RIGHT_X, ry, { width: HEAD_RIGHT_W, align: "center" });
      ry = doc.y;
    }

    // Left: "Nơi nhận:" (bold italic 12) and the list (11).
    let ly = y0 + 2;
    this.use("BI", 12);
    doc.text(t.recipientsLabel, LEFT, ly, { width: HEAD_LEFT_W });
    ly = doc.y;
    this.use("R", 11);
    for (const line of [t.recipientReport(clean(abbreviateUnit(d.reviewingUnitName))), t.recipientArchive]) {
      doc.text(line, LEFT, ly, { width: HEAD_LEFT_W });
      ly = doc.y;
    }
    this.use("R", BODY);
    this.y = Math.max(ly, ry);
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
    const rows: Row[] = d.evidence.map((e, i) => ({
      cells: [
        cell(run(String(i + 1))),
        cell(run(e.code)),
        cell(run(e.title)),
        cell(run(e.itemCode)),
        // The label on its own line, then the file name or the URL (which may wrap after a "/").
        cell([run(e.kind === "link" ? t.evidenceLink : t.evidenceFile, "I", TABLE - 1), run(e.location ?? "", "R", TABLE - 1)]),
      ],
    }));
    this.table(columns, header, rows);
  }

  render(): void {
    const s = this.sections;
    this.heading();
    this.title();
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
    this.signature();
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
  w.doc.end();
  return w.doc;
}

/** The whole PDF in memory (tests, benchmarks). */
export async function renderSelfAssessmentReportToBuffer(data: ReportData): Promise<Buffer> {
  const stream = renderSelfAssessmentReport(data);
  const chunks: Buffer[] = [];
  for await (const chunk of stream as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks);
}

/** File name of the report: ASCII fallback and UTF-8 (RFC 5987) forms. */
export function reportFileNames(schoolCode: string, schoolYear: string): { ascii: string; utf8: string } {
  const code = clean(schoolCode)
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/đ/g, "d")
    .replace(/Đ/g, "D")
    .replace(/[^A-Za-z0-9._-]+/g, "-")
    .replace(/^-+|-+$/g, "");
  const year = schoolYear.replace(/[^0-9-]/g, "");
  return {
    ascii: `Bao-cao-tu-danh-gia-${code || "truong"}-${year}.pdf`,
    utf8: `Báo-cáo-tự-đánh-giá-${clean(schoolCode).replace(/[\\/:*?"<>|\s]+/g, "-") || "truong"}-${year}.pdf`.normalize("NFC"),
  };
}

/** Content-Disposition for a download: quoted ASCII name plus filename*=UTF-8''… (RFC 6266/5987). */
export function contentDisposition(names: { ascii: string; utf8: string }): string {
  const encoded = encodeURIComponent(names.utf8).replace(/['()*]/g, (ch) => "%" + ch.charCodeAt(0).toString(16).toUpperCase());
  return `attachment; filename="${names.ascii.replace(/["\\]/g, "")}"; filename*=UTF-8''${encoded}`;
}
