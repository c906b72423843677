/**
 * The recognition decision (quyết định công nhận mức độ chuyển đổi số) as a PDF, in the state
 * format of Nghị định 30/2020/NĐ-CP (./nd30.server.ts): the issuing office (and the body above it)
 * with the number top-left, place and date top-right; the title; the head's authority line; the
 * "Căn cứ …" lines; "QUYẾT ĐỊNH:"; Điều 1–3; "Nơi nhận" and the signature; then the annex: the
 * table of the schools recognised (STT, school, code, type, sub-unit, the external level of each
 * group, the recognised level).
 *
 * A draft carries "DỰ THẢO" on every page, a revoked decision "ĐÃ THU HỒI" (text, searchable).
 * Pure presentation: takes DecisionData (plain JSON, see services/recognition-documents.server.ts),
 * reads no database. Levels are the engine's and the stored ones, copied into the data.
 */
import { pick } from "~/i18n";
import { recognitionDocuments } from "~/i18n/recognition-documents";
import { abbreviateUnit, asciiFileNamePart, BODY, clean, HEAD_LEFT_W, INDENT, LEFT, MM, Nd30Document, ndDateParts, toBuffer, upper, utf8FileNamePart, WIDTH } from "./nd30.server";
import { addSignaturePlaceholder, type SignatureRequest } from "./signature.server";
import { cell, drawTable, run, type Column, type Row } from "./table.server";

// ───────────────────────────── data ─────────────────────────────

export interface DecisionFileRow {
  school: string;
  code: string;
  type: string;
  subUnit: string;
  /** The external level of each group, in the order of DecisionData.groups (null: group missing). */
  groupLevels: (number | null)[];
  /** The recognised level (the certificate's once issued, else the stored external level). */
  level: number | null;
  /** The file's certificate of this decision was revoked. */
  revoked: boolean;
}

export interface DecisionData {
  decisionId: number;
  status: "draft" | "issued" | "revoked";
  issuingOffice: string;
  /** The body above the issuing office, "" when none. */
  issuingParent: string;
  number: string | null;
  /** The decision's date (epoch ms, noon local): its date, else the day the draft is printed. */
  date: number;
  place: string;
  schoolYear: string;
  signerTitle: string;
  signerName: string | null;
  bases: string[];
  /** The edition's groups (the annex's columns of group levels). */
  groups: { code: string; title: string }[];
  /** The edition's level names (groupLevels). */
  levels: { level: number; name: string }[];
  files: DecisionFileRow[];
  signature?: SignatureRequest;
}

const MARK_COLOR = "#c00000";

/** The head's title without "Phó " (the authority of the office is its head's, also when a deputy signs). */
function headTitleOf(signerTitle: string): string {
  const t = clean(signerTitle).trim() || "Thủ trưởng";
  return t.replace(/^phó\s+/iu, "").trim() || t;
}

/** "Trưởng phòng" + "Phòng Giáo dục và Đào tạo …" → "Trưởng phòng Giáo dục và Đào tạo …" (the repeated word once). */
function joinTitle(title: string, office: string): string {
  const o = clean(office).trim();
  const last = title.split(/\s+/).at(-1) ?? "";
  const first = o.split(/\s+/)[0] ?? "";
  if (last && first && last.toLocaleLowerCase("vi-VN") === first.toLocaleLowerCase("vi-VN")) return `${title}${o.slice(first.length)}`;
  return `${title} ${o}`;
}

/** "Giám đốc Sở Giáo dục và Đào tạo tỉnh Thanh Hóa": who decides (the head of the issuing office). */
export function authorityOf(signerTitle: string, office: string): string {
  return joinTitle(headTitleOf(signerTitle), office);
}

/** The signer's lines (upper case): "GIÁM ĐỐC", or "KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC" when a deputy signs. */
export function signerLinesOf(signerTitle: string): string {
  const t = pick(recognitionDocuments).decision;
  const signer = clean(signerTitle).trim();
  const head = headTitleOf(signer);
  return signer && head !== signer ? `${t.signFor(upper(head))}\n${upper(signer)}` : upper(signer || head);
}

/** "dd/mm/yyyy" of a date (epoch ms) in Hà Nội. */
export function slashDate(ms: number): string {
  const { day, month, year } = ndDateParts(ms);
  return `${day}/${month.padStart(2, "0")}/${year}`;
}

class DecisionWriter extends Nd30Document {
  readonly t = pick(recognitionDocuments).decision;

  constructor(private readonly data: DecisionData) {
    const t = pick(recognitionDocuments).decision;
    super({ title: t.docTitle(data.number, data.schoolYear), author: data.issuingOffice, subject: t.subject, keywords: t.keywords });
  }

  private mark(): string | null {
    if (this.data.status === "draft") return this.t.draft;
    if (this.data.status === "revoked") return this.t.revoked;
    return null;
  }

  /** "DỰ THẢO" (or "ĐÃ THU HỒI") top-right in the top margin (the page number sits top-centre). */
  private drawMark(): void {
    const m = this.mark();
    if (!m) return;
    const { x, y } = this.doc;
    const font = this.font;
    const size = this.size;
    this.doc.font("B").fontSize(BODY).fillColor(MARK_COLOR);
    this.doc.text(m, LEFT, 10 * MM, { width: WIDTH, align: "right", lineBreak: false });
    this.doc.fillColor("black");
    this.use(font, size);
    this.doc.x = x;
    this.doc.y = y;
  }

  protected override onPageAdded(): void {
    super.onPageAdded();
    this.drawMark();
  }

  protected override beforeEnd(): void {
    if (this.data.signature) addSignaturePlaceholder(this.doc, this.data.signature);
  }

  private para(s: string, font: "R" | "B" | "I" = "R", opts: PDFKit.Mixins.TextOptions = {}): void {
    this.text(s, font, BODY, { align: "justify", indent: INDENT, paragraphGap: 4, ...opts });
  }

  /** Điều n: the label bold, the text after it (one paragraph). */
  private article(n: number, s: string): void {
    const label = this.t.article(n);
    this.use("B", BODY);
    this.doc.fillColor("black").text(`${label} `, LEFT, this.doc.y, { width: WIDTH, indent: INDENT, align: "justify", lineGap: 2.5, continued: true });
    this.use("R", BODY);
    this.doc.text(clean(s), { align: "justify", lineGap: 2.5, paragraphGap: 4 });
    this.doc.x = LEFT;
  }

  private levelTitle(level: number): string {
    const name = this.data.levels.find((l) => l.level === level)?.name;
    return name ? `Mức ${level} – ${name}` : `Mức ${level}`;
  }

  body(): void {
    const d = this.data;
    const t = this.t;
    const head = headTitleOf(d.signerTitle);
    // The authority line: "GIÁM ĐỐC SỞ GIÁO DỤC VÀ ĐÀO TẠO TỈNH THANH HÓA".
    this.balanced(upper(joinTitle(head, d.issuingOffice)), "B", BODY, LEFT, this.doc.y, WIDTH);
    this.y = this.doc.y + 10;
    for (const b of d.bases) this.text(b, "I", BODY, { align: "justify", indent: INDENT, paragraphGap: 3 });
    this.gap(6);
    this.text(t.decides, "B", BODY, { align: "center" });
    this.gap(6);
    this.article(1, t.article1(d.files.length, d.schoolYear));
    const counts = new Map<number, number>();
    for (const f of d.files) if (f.level != null) counts.set(f.level, (counts.get(f.level) ?? 0) + 1);
    const parts = [...counts.entries()].sort((a, b) => b[0] - a[0]).map(([level, n]) => t.levelCount(this.levelTitle(level), n));
    if (parts.length) this.para(t.article1Levels(parts));
    this.article(2, t.article2);
    this.article(3, t.article3(d.issuingOffice));
  }

  signatureBlock(): void {
    const d = this.data;
    const t = this.t;
    this.signature({
      title: signerLinesOf(d.signerTitle),
      note: d.status === "draft" ? t.signNote : "",
      name: d.signerName,
      recipients: t.recipients(d.issuingParent),
    });
  }

  annex(): void {
    const d = this.data;
    const t = this.t;
    this.doc.addPage();
    this.y = this.doc.page.margins.top;
    this.balanced(t.annexTitle(d.schoolYear), "B", BODY, LEFT, this.doc.y, WIDTH);
    this.y = this.doc.y + 2;
    const date = slashDate(d.date);
    this.balanced(t.annexRef(d.number, date, authorityOf(d.signerTitle, d.issuingOffice)), "I", BODY, LEFT, this.doc.y, WIDTH);
    this.y = this.doc.y + 10;
    if (d.files.length === 0) {
      this.text(t.annexEmpty, "I", BODY, { align: "center" });
      return;
    }
    const c = t.annexCols;
    const groupW = 44;
    const columns: Column[] = [
      { width: 30, align: "center" },
      { width: 0, align: "left" },
      { width: 54, align: "center" },
      { width: 44, align: "center" },
      { width: 84, align: "left" },
      ...d.groups.map(() => ({ width: groupW, align: "center" as const })),
      { width: 60, align: "center" },
    ];
    columns[1].width = WIDTH - columns.reduce((a, col) => a + col.width, 0);
    const size = 10;
    const header = [c.no, c.school, c.code, c.type, c.subUnit, ...d.groups.map((g) => c.group(g.code)), c.level].map((h) => cell(run(h, "B", size), { align: "center" }));
    const lvl = (n: number | null) => (n == null ? "—" : t.levelShort(n));
    const rows: Row[] = d.files.map((f, i) => ({
      cells: [
        cell(run(String(i + 1), "R", size)),
        cell(f.revoked ? [run(f.school, "R", size), run(`(${t.revokedNote})`, "I", size - 1)] : run(f.school, "R", size)),
        cell(run(f.code, "R", size)),
        cell(run(f.type, "R", size)),
        cell(run(abbreviateUnit(f.subUnit), "R", size)),
        ...f.groupLevels.map((g) => cell(run(lvl(g), "R", size))),
        cell(run(lvl(f.level), "B", size)),
      ],
    }));
    drawTable(this, columns, header, rows, size);
    this.gap(6);
    if (d.levels.length) this.text(t.legend(d.levels.map((l) => this.levelTitle(l.level))), "I", 11, { align: "justify" });
  }

  /** The office's name in the heading (bold caps), broken before the place name when it does not fit one line. */
  private officeHeading(): string {
    const name = upper(clean(this.data.issuingOffice));
    this.use("B", 12);
    if (this.doc.widthOfString(name) <= HEAD_LEFT_W) return name;
    return name.replace(/ (TỈNH|THÀNH PHỐ|TP\.|HUYỆN|QUẬN|THỊ XÃ|XÃ|PHƯỜNG|ĐẶC KHU) /u, "\n$1 ");
  }

  render(): void {
    const d = this.data;
    this.drawMark();
    this.heading({ issuer: d.issuingParent, body: this.officeHeading(), number: this.t.number(d.number), date: d.date, place: d.place });
    this.titleBlock(this.t.title, this.t.subtitleLines(d.schoolYear));
    this.body();
    this.signatureBlock();
    this.annex();
  }
}

/** Renders the decision; drawing runs before this returns, so an error throws here. */
export function renderDecision(data: DecisionData): NodeJS.ReadableStream {
  const w = new DecisionWriter(data);
  w.render();
  return w.finish();
}

/** The whole PDF in memory (the PDF workers, tests). */
export async function renderDecisionToBuffer(data: DecisionData): Promise<Buffer> {
  return toBuffer(renderDecision(data));
}

/** ASCII-safe part of a file name ("123/QĐ-SGDĐT" → "123-QD-SGDDT"). */

/** "quyet-dinh-cong-nhan-123-QD-SGDDT.pdf" (or "…-du-thao.pdf" without a number), and its UTF-8 form. */
export function decisionFileNames(number: string | null): { ascii: string; utf8: string } {
  const f = pick(recognitionDocuments).fileNames;
  const a = number ? asciiFileNamePart(number) : "";
  const u = number ? utf8FileNamePart(number).replace(/^-+|-+$/g, "") : "";
  return { ascii: f.decisionAscii(a || f.draft), utf8: f.decisionUtf8(u || f.draft).normalize("NFC") };
}
