/**
 * The certificate (giấy công nhận mức độ chuyển đổi số) as a PDF: A4 landscape with a double
 * border; the issuing office top-left, the national heading top-right; "GIẤY CÔNG NHẬN", the
 * school, its level ("Mức 2 – Mức đáp ứng cơ bản", the edition's level names), the school year
 * and the decision; place, date and signer bottom-right; the serial number and a QR code of the
 * public verification URL bottom-left (the URL printed small under it).
 *
 * A revoked certificate still draws, but carries a red "ĐÃ THU HỒI ngày …" stamp: it is never
 * shown as valid. renderCertificateBook draws many certificates into one PDF, one per page (the
 * merged file for printing).
 *
 * Pure presentation: takes CertificateData (plain JSON, see services/recognition-documents.server.ts).
 */
import QRCode from "qrcode";
import { pick } from "~/i18n";
import { recognitionDocuments } from "~/i18n/recognition-documents";
import { clean, MM, Nd30Document, ndDateParts, toBuffer, upper } from "./nd30.server";
import { authorityOf, signerLinesOf, slashDate } from "./decision.server";
import { addSignaturePlaceholder, type SignatureRequest } from "./signature.server";

// ───────────────────────────── data ─────────────────────────────

export interface CertificateData {
  certificateId: number;
  serial: string;
  /** The public verification URL: PUBLIC_BASE_URL/xac-minh/<token> (the QR code's content). */
  verifyUrl: string;
  school: string;
  schoolCode: string;
  schoolYear: string;
  level: number;
  /** "Mức 2 – Mức đáp ứng cơ bản" (levelTitle with the edition's level names). */
  levelTitle: string;
  issuingOffice: string;
  /** The body above the issuing office, "" when none. */
  issuingParent: string;
  decisionNumber: string;
  /** The decision's date (epoch ms, noon local). */
  decisionDate: number;
  place: string;
  signerTitle: string;
  signerName: string;
  /** Set when the certificate was revoked: its date (epoch ms) and reason. */
  revoked: { at: number; reason: string } | null;
  signature?: SignatureRequest;
}

/** A4 landscape. */
export const CERT_PAGE = { width: 841.89, height: 595.28 };
/** Every word stays 20 mm inside the page; the border runs in that margin. */
export const CERT_MARGIN = 20 * MM;
const M = CERT_MARGIN;
const CW = CERT_PAGE.width - 2 * M;
const BORDER = "#8b1a1a";
const TITLE = "#b01c1c";
const NAME = "#12306b";
const STAMP = "#d00000";
const QR_SIZE = 92;

/**
 * The QR code as vector shapes (one rectangle per run of dark modules in a row), with a quiet zone
 * of one module, inside a `size` square: sharp at any print size, and a tenth of the cost of a
 * PNG that is drawn, encoded and decoded again (about 3 ms against 30 ms a certificate).
 */
export function drawQr(doc: PDFKit.PDFDocument, text: string, x: number, y: number, size: number): void {
  const { modules } = QRCode.create(text, { errorCorrectionLevel: "M" });
  const n = modules.size;
  const cell = size / (n + 2);
  doc.save();
  doc.rect(x, y, size, size).fill("white");
  for (let row = 0; row < n; row++) {
    for (let col = 0; col < n; ) {
      if (!modules.get(row, col)) {
        col++;
        continue;
      }
      let end = col;
      while (end < n && modules.get(row, end)) end++;
      // A hair wider and taller than the module, so neighbouring rectangles leave no seams.
      doc.rect(x + (col + 1) * cell, y + (row + 1) * cell, (end - col) * cell + 0.05, cell + 0.05);
      col = end;
    }
  }
  doc.fill("black");
  doc.restore();
}
const HEAD_L_W = 300;
const HEAD_R_W = 330;
const SIGN_W = 330;

class CertificateWriter extends Nd30Document {
  readonly t = pick(recognitionDocuments).certificate;
  private first = true;

  constructor(meta: { title: string; author: string }, private readonly signing?: SignatureRequest) {
    const t = pick(recognitionDocuments).certificate;
    // pdfkit's own margins are smaller than the drawn ones, so that no text near the bottom adds a page.
    super({ title: meta.title, author: meta.author, subject: t.subject, keywords: t.keywords }, { layout: "landscape", margins: { top: 10 * MM, bottom: 10 * MM, left: 10 * MM, right: 10 * MM } });
  }

  /** No page numbers: every page is one certificate. */
  protected override onPageAdded(): void {}

  protected override beforeEnd(): void {
    if (this.signing) addSignaturePlaceholder(this.doc, this.signing);
  }

  private line(x1: number, y: number, w: number): void {
    this.doc.save().lineWidth(0.6).strokeColor("black").moveTo(x1 - w / 2, y).lineTo(x1 + w / 2, y).stroke().restore();
  }

  private border(): void {
    const { width, height } = CERT_PAGE;
    const doc = this.doc;
    const o = 8 * MM;
    const i = 10.5 * MM;
    doc.save().strokeColor(BORDER);
    doc.lineWidth(3).rect(o, o, width - 2 * o, height - 2 * o).stroke();
    doc.lineWidth(0.9).rect(i, i, width - 2 * i, height - 2 * i).stroke();
    // Small squares in the corners, between the two rules.
    const c = 2.2 * MM;
    for (const [x, y] of [
      [i, i],
      [width - i, i],
      [i, height - i],
      [width - i, height - i],
    ])
      doc.rect(x - c / 2, y - c / 2, c, c).fill(BORDER);
    doc.restore();
  }

  /** Centred text in a box, one call per hard line (as Nd30Document.balanced does). */
  private centred(s: string, font: "R" | "B" | "I" | "BI", size: number, x: number, y: number, width: number, color = "black"): number {
    this.doc.fillColor(color);
    this.balanced(clean(s), font, size, x, y, width);
    this.doc.fillColor("black");
    return this.doc.y;
  }

  async drawPage(d: CertificateData): Promise<void> {
    const doc = this.doc;
    const t = this.t;
    const nd = this.nd;
    if (!this.first) doc.addPage();
    this.first = false;
    this.border();

    // ── heading: the office (left), the national heading (right) ──
    let ly = M;
    if (d.issuingParent) ly = this.centred(upper(d.issuingParent), "R", 12, M, ly, HEAD_L_W);
    ly = this.centred(upper(d.issuingOffice), "B", 12, M, ly, HEAD_L_W);
    this.line(M + HEAD_L_W / 2, ly + 2, 70);
    const rx = M + CW - HEAD_R_W;
    let ry = this.centred(nd.nationalName, "B", 12, rx, M, HEAD_R_W);
    ry = this.centred(nd.motto, "B", 13, rx, ry, HEAD_R_W);
    this.use("B", 13);
    this.line(rx + HEAD_R_W / 2, ry + 2, doc.widthOfString(nd.motto));
    let y = Math.max(ly, ry) + 50;

    // ── the title, the school, the level, the year, the decision ──
    y = this.centred(t.title, "B", 36, M, y, CW, TITLE) + 16;
    y = this.centred(d.school, "B", 24, M + 40, y, CW - 80, NAME) + 12;
    y = this.centred(t.level(d.levelTitle), "B", 17, M + 20, y, CW - 40) + 8;
    y = this.centred(t.schoolYear(d.schoolYear), "R", 15, M, y, CW) + 8;
    const authority = authorityOf(d.signerTitle, d.issuingOffice);
    this.centred(t.decisionRef(d.decisionNumber, slashDate(d.decisionDate), authority), "I", 12.5, M + 40, y, CW - 80);

    // ── bottom right: place and date, the signer ──
    const bottom = CERT_PAGE.height - M;
    const sx = M + CW - SIGN_W;
    const signerLines = signerLinesOf(d.signerTitle);
    this.use("B", 13.5);
    const titleH = doc.heightOfString(signerLines, { width: SIGN_W, lineGap: 1 });
    this.use("B", 14);
    const nameH = d.signerName ? doc.currentLineHeight(true) : 0;
    this.use("I", 13);
    const dateH = doc.currentLineHeight(true) + 3;
    const signSpace = 62;
    let sy = bottom - nameH - signSpace - titleH - dateH;
    const { day, month, year } = ndDateParts(d.decisionDate);
    sy = this.centred(nd.placeDate(d.place, day, month, year), "I", 13, sx, sy, SIGN_W) + 3;
    sy = this.centred(signerLines, "B", 13.5, sx, sy, SIGN_W) + signSpace;
    if (d.signerName) this.centred(d.signerName, "B", 14, sx, sy, SIGN_W);

    // ── bottom left: the serial, the QR code, the URL ──
    this.use("R", 7);
    const urlH = doc.currentLineHeight(true);
    const qrW = 230;
    const qrY = bottom - urlH - 3 - QR_SIZE;
    const qx = M + (qrW - QR_SIZE) / 2;
    this.centred(t.serial(d.serial), "B", 12.5, M, qrY - 20, qrW);
    drawQr(doc, d.verifyUrl, qx, qrY, QR_SIZE);
    this.use("R", 7);
    doc.fillColor("#333333").text(clean(d.verifyUrl), M, qrY + QR_SIZE + 3, { width: qrW, align: "center", lineBreak: false });
    doc.fillColor("black");

    // ── a revoked certificate: a red stamp between the two blocks ──
    if (d.revoked) {
      const w = 210;
      const x = CERT_PAGE.width / 2 - w / 2 - 20;
      const top = bottom - 92;
      doc.save().lineWidth(2.5).strokeColor(STAMP).rect(x, top, w, 74).stroke().restore();
      this.centred(t.revoked(slashDate(d.revoked.at)).replace(" ngày ", "\nngày "), "B", 19, x + 6, top + 8, w - 12, STAMP);
      this.centred(t.revokedNote, "I", 9.5, x + 6, this.doc.y + 2, w - 12, STAMP);
    }
    this.use("R", 13);
  }
}

async function draw(list: CertificateData[], meta: { title: string; author: string }, signature?: SignatureRequest): Promise<Buffer> {
  const w = new CertificateWriter(meta, signature);
  for (const d of list) await w.drawPage(d);
  return toBuffer(w.finish());
}

/** One certificate as a PDF (signed later when data.signature is set). */
export async function renderCertificateToBuffer(data: CertificateData): Promise<Buffer> {
  const t = pick(recognitionDocuments).certificate;
  return draw([data], { title: t.docTitle(data.school, data.schoolYear), author: data.issuingOffice }, data.signature);
}

/** Many certificates in one PDF, one per page (the merged file for printing; never signed). */
export async function renderCertificateBook(list: CertificateData[]): Promise<Buffer> {
  const t = pick(recognitionDocuments).certificate;
  if (list.length === 0) throw new Error("certificate book: no certificates");
  return draw(list, { title: t.bookTitle, author: list[0].issuingOffice });
}
