/**
 * /xac-minh/:token/pdf — the certificate (giấy công nhận) itself, PUBLIC (no login). The public
 * URL /xac-minh/<token>.pdf is rewritten to this path in front of Remix.
 *
 * Every wrong token (bad form or unknown) gets the same 404. A revoked certificate is still
 * served, with its "ĐÃ THU HỒI" stamp and date (never as valid). Kept in the document cache per
 * version of its data (a revocation makes new data, hence a new key and ETag).
 */
import type { Readable } from "node:stream";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { createReadableStreamFromReadable, json } from "@remix-run/node";
import { TOKEN_PATTERN } from "~/domain/recognition";
import { pick } from "~/i18n";
import { recognitionDocuments } from "~/i18n/recognition-documents";
import { asciiPart } from "~/server/pdf/decision.server";
import { cachedDocument, documentKey } from "~/server/pdf/document-cache.server";
import { DocumentBusy } from "~/server/pdf/pool.server";
import { contentDisposition } from "~/server/pdf/self-assessment-report.server";
import { can } from "~/server/policy.server";
import { certificateByToken } from "~/server/services/recognition.server";
import { certificateDataOf, withSignature } from "~/server/services/recognition-documents.server";

const t = pick(recognitionDocuments);
const KIND = "certificate" as const;

const notFound = () => json({ error: t.errors.certificateNotFound }, { status: 404, headers: { "Cache-Control": "no-store" } });

function matches(ifNoneMatch: string | null, etag: string): boolean {
  if (!ifNoneMatch) return false;
  return ifNoneMatch.split(",").some((tag) => {
    const s = tag.trim();
    return s === "*" || s === etag || s === `W/${etag}`;
  });
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  if (!can(null, "certificate.verify", { kind: "system" })) throw notFound();
  const token = params.token ?? "";
  if (!TOKEN_PATTERN.test(token)) throw notFound();
  const c = certificateByToken(token);
  if (!c) throw notFound();

  // Signed with the issuing office's certificate when it has one, at the time of issue.
  const { data, sign } = withSignature(certificateDataOf(c), c.issuingUnitId, c.issuedAt.getTime(), "Cấp giấy công nhận mức độ chuyển đổi số");
  const text = JSON.stringify(data);
  const key = documentKey(KIND, text, sign);
  const etag = `"${key}"`;
  const headers: Record<string, string> = { "Cache-Control": "no-cache", ETag: etag, "X-Robots-Tag": "noindex" };
  if (matches(request.headers.get("If-None-Match"), etag)) return new Response(null, { status: 304, headers });

  let doc: Awaited<ReturnType<typeof cachedDocument>>;
  try {
    doc = await cachedDocument(KIND, c.id, text, key, sign);
  } catch (e) {
    if (e instanceof DocumentBusy) {
      throw json({ error: t.errors.busy }, { status: 503, headers: { "Retry-After": "5", "Cache-Control": "no-store" } });
    }
    console.error("certificate pdf", c.id, e);
    throw json({ error: t.errors.renderFailed }, { status: 500 });
  }
  const f = t.fileNames;
  headers["Content-Type"] = "application/pdf";
  headers["Content-Disposition"] = contentDisposition({
    ascii: f.certificateAscii(asciiPart(c.schoolCode) || "truong", asciiPart(c.serial)),
    utf8: f.certificateUtf8(c.schoolCode.replace(/[\\/:*?"<>|\s]+/g, "-"), c.serial.replace(/[\\/:*?"<>|\s]+/g, "-")).normalize("NFC"),
  });
  if (doc.source === "cache") {
    headers["Content-Length"] = String(doc.size);
    return new Response(createReadableStreamFromReadable(doc.stream as Readable), { status: 200, headers });
  }
  headers["Content-Length"] = String(doc.pdf.length);
  return new Response(new Uint8Array(doc.pdf.buffer, doc.pdf.byteOffset, doc.pdf.byteLength) as unknown as BodyInit, { status: 200, headers });
}
