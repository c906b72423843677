/**
 * The one way an official document goes out (the report, the biên bản, the decision, the
 * certificate): the route has asked the policy and built the document's data; this answers with the
 * PDF drawn in a worker and kept on disk per version of its data (document-cache.server). The ETag
 * is that version's key: a browser that has it gets 304 without a render, a cached version streams
 * from disk, a new version is drawn. The whole file is drawn before a byte is sent, so a failure is
 * a clean 500 (or 503 when too many documents wait), never a truncated file.
 */
import type { Readable } from "node:stream";
import { createReadableStreamFromReadable, json } from "@remix-run/node";
import { cachedDocument, documentKey } from "./document-cache.server";
import { DocumentBusy, type DocumentKind, type SignWith } from "./pool.server";
import { contentDisposition } from "./self-assessment-report.server";

export interface PdfAnswer {
  kind: DocumentKind;
  /** The row the document is of (the cache's folder). */
  ownerId: number;
  data: unknown;
  /** The office's certificate, when the document is to be signed (its placeholder is in `data`). */
  sign?: SignWith;
  fileNames: { ascii: string; utf8: string };
  /** Default `private, no-cache`: the browser may keep the file but asks each time, so a revoked access is never served. */
  cacheControl?: string;
  headers?: Record<string, string>;
  messages: { busy: string; renderFailed: string };
}

/** If-None-Match names this ETag (a list, weak forms, or `*`). */
export function matchesEtag(ifNoneMatch: string | null, etag: string): boolean {
  if (!ifNoneMatch) return false;
  return ifNoneMatch.split(",").some((tag) => {
    const s = tag.trim();
    return s === "*" || s === etag || s === `W/${etag}`;
  });
}

export async function pdfResponse(request: Request, o: PdfAnswer): Promise<Response> {
  const text = JSON.stringify(o.data);
  const key = documentKey(o.kind, text, o.sign);
  const etag = `"${key}"`;
  const headers: Record<string, string> = { "Cache-Control": o.cacheControl ?? "private, no-cache", ETag: etag, ...(o.headers ?? {}) };
  if (matchesEtag(request.headers.get("If-None-Match"), etag)) return new Response(null, { status: 304, headers });

  let doc: Awaited<ReturnType<typeof cachedDocument>>;
  try {
    doc = await cachedDocument(o.kind, o.ownerId, text, key, o.sign);
  } catch (e) {
    if (e instanceof DocumentBusy) throw json({ error: o.messages.busy }, { status: 503, headers: { "Retry-After": "5", "Cache-Control": "no-store" } });
    console.error(`${o.kind} pdf`, o.ownerId, e);
    throw json({ error: o.messages.renderFailed }, { status: 500 });
  }
  headers["Content-Type"] = "application/pdf";
  headers["Content-Disposition"] = contentDisposition(o.fileNames);
  if (doc.source === "cache") {
    headers["Content-Length"] = String(doc.size);
    return new Response(createReadableStreamFromReadable(doc.stream as Readable), { status: 200, headers });
  }
  headers["Content-Length"] = String(doc.pdf.length);
  return new Response(new Uint8Array(doc.pdf.buffer, doc.pdf.byteOffset, doc.pdf.byteLength) as unknown as BodyInit, { status: 200, headers });
}
