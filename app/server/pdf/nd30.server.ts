/**
 * The shared document module of the official documents (the self-assessment report today; the
 * biên bản, decisions, certificates and the province report next), in the state format of
 * Nghị định 30/2020/NĐ-CP: A4, margins top/bottom 20 mm, left 30 mm, right 15 mm, Tinos (Times
 * metrics) 13 pt body; the issuing body and its number top-left, quốc hiệu and tiêu ngữ with place
 * and date top-right; page numbers top-centre from page 2; the signer bottom-right and "Nơi nhận"
 * bottom-left. Every string is NFC-normalised and cleaned of control characters before drawing,
 * and text stays text (searchable). Tables: ./table.server.ts.
 *
 * A document is a subclass of Nd30Document that draws its own parts with these blocks.
 */
import PDFDocument from "pdfkit";
import { pick } from "~/i18n";
import { nd30 } from "~/i18n/nd30";
import { localDateOf } from "~/utils/time";
import { registerTinos, tinos, type FaceKey } from "./fonts.server";

export type FontKey = FaceKey;
export type Align = "left" | "center" | "right" | "justify";

export const MM = 72 / 25.4;
/** Nghị định 30/2020, Phụ lục I: top 20–25, bottom 20–25, left 30–35, right 15–20 mm. */
export const MARGINS = { top: 20 * MM, bottom: 20 * MM, left: 30 * MM, right: 15 * MM };
export const A4 = { width: 595.28, height: 841.89 };
export const LEFT = MARGINS.left;
export const WIDTH = A4.width - MARGINS.left - MARGINS.right;
export const TOP = MARGINS.top;
export const BOTTOM = A4.height - MARGINS.bottom;

export const BODY = 13;
export const BODY_GAP = 2.5;
export const INDENT = 10 * MM;
/** Heading block: two columns, the issuing body on the left, the national heading on the right. */
export const HEAD_RIGHT_W = 258;
export const HEAD_GAP = 4;
export const HEAD_LEFT_W = WIDTH - HEAD_RIGHT_W - HEAD_GAP;
export const HEAD_RIGHT_X = LEFT + WIDTH - HEAD_RIGHT_W;

/** Safe text for drawing: NFC, no control characters (they would draw as missing glyphs). */
export function clean(s: string | null | undefined): string {
  if (!s) return "";
  return s
    .normalize("NFC")
    .replace(/\r\n?/g, "\n")
    .replace(/\t/g, "    ")
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\u200B\u200E\u200F\uFEFF]/g, "");
}

/** A part of a download's file name for the plain `filename=`: ASCII, marks dropped, đ → d, anything else → "-". */
export function asciiFileNamePart(s: string): string {
  return clean(s)
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/đ/g, "d")
    .replace(/Đ/g, "D")
    .replace(/[^A-Za-z0-9._-]+/g, "-")
    .replace(/^-+|-+$/g, "");
}

/** The same part for `filename*=` (UTF-8): only what file systems refuse, and spaces, become "-". */
export function utf8FileNamePart(s: string): string {
  return clean(s).replace(/[\\/:*?"<>|\s]+/g, "-");
}

/** "Giáo dục và Đào tạo" → "GD&ĐT" (usual abbreviation in the heading of school documents). */
export function abbreviateUnit(name: string): string {
  return name.replace(/gi[áa]o d[ụu]c v[àa] [đd][àa]o t[ạa]o/giu, "GD&ĐT").replace(/\s+/g, " ").trim();
}

export const upper = (s: string) => s.toLocaleUpperCase("vi-VN");

/** Day and month as Nghị định 30 writes them: a leading 0 for days below 10 and for months 1 and 2. */
export function ndDateParts(ms: number): { day: string; month: string; year: string } {
  const [y, m, d] = localDateOf(ms).split("-").map(Number);
  return { day: d < 10 ? `0${d}` : String(d), month: m < 3 ? `0${m}` : String(m), year: String(y) };
}

export interface Nd30Meta {
  title: string;
  author: string;
  subject: string;
  keywords: string;
}

/** The heading: the body above the issuer (cơ quan chủ quản), the issuer, the number, place and date. */
export interface Nd30Heading {
  issuer: string;
  body: string;
  /** "Số: 12/BC-THNĐ", or the blank form the clerk fills. */
  number: string;
  /** The document's date (UTC ms), printed as the local day. */
  date: number;
  place: string;
}

export interface Nd30Signature {
  title: string;
  note: string;
  name: string | null;
  /** "Nơi nhận" lines, e.g. "- Phòng GD&ĐT … (để báo cáo);", "- Lưu: VT.". */
  recipients: string[];
}

export class Nd30Document {
  readonly doc: PDFKit.PDFDocument;
  protected font: FontKey = "R";
  protected size = BODY;
  private page = 1;
  readonly nd = pick(nd30);

  constructor(meta: Nd30Meta, page: { layout?: "portrait" | "landscape"; margins?: typeof MARGINS } = {}) {
    const f = tinos();
    // The font in the constructor: Helvetica's metrics are never loaded.
    this.doc = new PDFDocument({
      size: "A4",
      ...(page.layout === "landscape" ? { layout: "landscape" as const } : {}),
      font: f.regular,
      margins: page.margins ?? MARGINS,
      autoFirstPage: true,
      bufferPages: false,
      lang: "vi-VN",
      displayTitle: true,
      info: {
        Title: clean(meta.title),
        Author: clean(meta.author),
        Subject: clean(meta.subject),
        Keywords: clean(meta.keywords),
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
  protected onPageAdded(): void {
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
  protected lineWidths(v: string, width: number): number[] {
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

  heading(h: Nd30Heading): void {
    const t = this.nd;
    const doc = this.doc;
    const top = TOP;

    // Left: the managing body, the school (bold), a short rule, the number.
    let ly = top;
    const managing = this.breakBeforePlace(upper(clean(abbreviateUnit(h.issuer))), HEAD_LEFT_W);
    const school = upper(clean(h.body));
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
    doc.text(clean(h.number), LEFT, lineY, { width: HEAD_LEFT_W, align: "center" });
    const leftEnd = doc.y;
    const { day, month, year } = ndDateParts(h.date);
    this.use("I", 13);
    doc.text(clean(t.placeDate(h.place, day, month, year)), HEAD_RIGHT_X, lineY, { width: HEAD_RIGHT_W, align: "center" });
    this.y = Math.max(leftEnd, doc.y) + 22;
  }

  /** "PHÒNG GD&ĐT THÀNH PHỐ ĐÔNG SƠN" → "PHÒNG GD&ĐT\nTHÀNH PHỐ ĐÔNG SƠN" when it does not fit one line (12 pt). */
  protected breakBeforePlace(name: string, width: number): string {
    this.use("R", 12);
    if (this.doc.widthOfString(name) <= width) return name;
    return name.replace(/ (TỈNH|THÀNH PHỐ|TP\.|HUYỆN|QUẬN|THỊ XÃ|XÃ|PHƯỜNG|ĐẶC KHU) /u, "\n$1 ");
  }

  /** The document's name (bold caps) and its summary (bold, balanced lines), with a short rule under it. */
  titleBlock(title: string, subtitleLines: string[]): void {
    this.text(title, "B", 14, { align: "center" });
    this.gap(1);
    this.balanced(subtitleLines.join("\n"), "B", 14, LEFT, this.doc.y, WIDTH);
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

  dottedLine(): void {
    this.use("R", BODY);
    const dotW = this.doc.widthOfString(".");
    const n = Math.max(3, Math.floor((WIDTH - 4) / dotW));
    this.text(".".repeat(n), "R", BODY, { paragraphGap: 4 });
  }

  // ─── signature and recipients ───

  protected static readonly SIGN_SPACE = 70;

  signatureHeight(): number {
    return 14 + this.lineHeight("B", BODY) + this.lineHeight("I", 12) + Nd30Document.SIGN_SPACE + this.lineHeight("B", BODY);
  }

  /** The signer's block bottom-right (title, note, space for signature and seal, name) and "Nơi nhận" bottom-left. */
  signature(s: Nd30Signature): void {
    const t = this.nd;
    const doc = this.doc;
    const signSpace = Nd30Document.SIGN_SPACE;
    this.ensureSpace(this.signatureHeight());
    const y0 = this.doc.y + 14;

    // Right: title, note, space for signature and seal, name.
    let ry = y0;
    this.use("B", BODY);
    doc.text(clean(s.title), HEAD_RIGHT_X, ry, { width: HEAD_RIGHT_W, align: "center" });
    ry = doc.y;
    this.use("I", 12);
    doc.text(clean(s.note), HEAD_RIGHT_X, ry, { width: HEAD_RIGHT_W, align: "center" });
    ry = doc.y + signSpace;
    if (s.name) {
      this.use("B", BODY);
      doc.text(clean(s.name), HEAD_RIGHT_X, ry, { width: HEAD_RIGHT_W, align: "center" });
      ry = doc.y;
    }

    // Left: "Nơi nhận:" (bold italic 12) and the list (11).
    let ly = y0 + 2;
    this.use("BI", 12);
    doc.text(t.recipientsLabel, LEFT, ly, { width: HEAD_LEFT_W });
    ly = doc.y;
    this.use("R", 11);
    for (const line of s.recipients.map(clean)) {
      doc.text(line, LEFT, ly, { width: HEAD_LEFT_W });
      ly = doc.y;
    }
    this.use("R", BODY);
    this.y = Math.max(ly, ry);
  }

  /** Runs once after the last page is drawn, before the document ends (a signature placeholder). */
  protected beforeEnd(): void {}

  /** Ends the document: the PDF as a Readable stream (drawing is done by then). */
  finish(): NodeJS.ReadableStream {
    this.beforeEnd();
    this.doc.end();
    return this.doc;
  }
}

/** A stream's bytes in memory (tests, benchmarks, the PDF workers). */
export async function toBuffer(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks);
}
