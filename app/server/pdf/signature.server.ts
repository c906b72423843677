/**
 * PDF signatures of official documents (decisions, certificates), with @signpdf: a renderer that
 * is asked to sign adds the placeholder to its pdfkit document before ending it
 * (addSignaturePlaceholder), and the finished bytes are then signed with the issuing office's
 * PKCS#12 certificate (signPdf). Without a configured certificate nothing is added and nothing
 * claims a signature.
 */
import { pdfkitAddPlaceholder } from "@signpdf/placeholder-pdfkit";
import { P12Signer } from "@signpdf/signer-p12";
import { SignPdf } from "@signpdf/signpdf";
import { SUBFILTER_ADOBE_PKCS7_DETACHED } from "@signpdf/utils";

/** What the signature dictionary says (plain JSON: it travels to the PDF worker with the document's data). */
export interface SignatureRequest {
  /** The signer as printed on the document (the office). */
  name: string;
  reason: string;
  location: string;
  contactInfo: string;
  /** Epoch ms; part of the data so that the same data draws the same bytes. */
  signingTime: number;
}

/** Room for the CMS signature (bytes): a 2048/4096-bit RSA chain fits with margin. */
export const SIGNATURE_LENGTH = 16_384;

/**
 * Adds the signature placeholder (an invisible widget, the AcroForm) to a pdfkit document. Call it
 * once, after the last page is drawn and before `doc.end()`.
 */
export function addSignaturePlaceholder(doc: PDFKit.PDFDocument, req: SignatureRequest): void {
  // The library ends the signature and widget objects; pdfkit ends the AcroForm with the document.
  pdfkitAddPlaceholder({
    pdf: doc,
    pdfBuffer: Buffer.alloc(0),
    reason: req.reason,
    contactInfo: req.contactInfo,
    name: req.name,
    location: req.location,
    signingTime: new Date(req.signingTime),
    signatureLength: SIGNATURE_LENGTH,
    subFilter: SUBFILTER_ADOBE_PKCS7_DETACHED,
    widgetRect: [0, 0, 0, 0],
    // A PDF name: ASCII without spaces.
    appName: "CDS-4725",
  });
}

/** Signs a PDF that carries a placeholder with a PKCS#12 certificate. */
export async function signPdf(pdf: Buffer, p12: Buffer, passphrase: string): Promise<Buffer> {
  const signer = new P12Signer(p12, { passphrase });
  return new SignPdf().sign(pdf, signer);
}
