/**
 * /danh-gia/:id/bao-cao.pdf — the self-assessment report as a PDF download (resource route).
 * Authorization comes first: another school's id answers 403 before anything else is read,
 * including the document cache.
 *
 * The PDF is drawn in a worker thread (~/server/pdf/pool.server) and kept on disk per version of
 * its data (~/server/pdf/document-cache.server): the ETag is the cache key, so a browser that has
 * this version gets 304 without a render, a cached version streams from disk, and any change
 * (an answer, the school's name, the date of a draft) makes a new key. `private, no-cache`: the
 * browser may keep the file but asks again each time, so a revoked access is never served.
 */
import type { Readable } from "node:stream";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { createReadableStreamFromReadable, json } from "@remix-run/node";
import { pick } from "~/i18n";
import { report } from "~/i18n/report";
import { cachedDocument, documentKey } from "~/server/pdf/document-cache.server";
import { DocumentBusy } from "~/server/pdf/pool.server";
import { contentDisposition, reportFileNames } from "~/server/pdf/self-assessment-report.server";
import { requireAssessment } from "~/server/services/assessment-page.server";
import { buildReportData } from "~/server/services/report.server";
import { localDateOf } from "~/utils/time";

const t = pick(report);
const KIND = "self-assessment-report" as const;

/**
 * The report prints only the date (a draft: the day it is generated), so a draft's "now" is noon
 * of the local day: the data, hence the key, stays the same all day instead of every millisecond.
 */
function reportDay(now = Date.now()): number {
  return Date.parse(`${localDateOf(now)}T12:00:00+07:00`);
}

/** If-None-Match names this ETag (a list, weak forms, or `*`). */
function matches(ifNoneMatch: string | null, etag: string): boolean {
  if (!ifNoneMatch) return false;
  return ifNoneMatch.split(",").some((tag) => {
    const s = tag.trim();
    return s === "*" || s === etag || s === `W/${etag}`;
  });
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { a } = await requireAssessment(request, params, "school.read", { messages: { badId: t.errors.badId, notFound: t.errors.notFound } });

  const data = buildReportData(a.id, reportDay());
  if (!data) throw json({ error: t.errors.notFound }, { status: 404 });
  const text = JSON.stringify(data);
  const key = documentKey(KIND, text);
  const etag = `"${key}"`;
  const headers: Record<string, string> = { "Cache-Control": "private, no-cache", ETag: etag };
  if (matches(request.headers.get("If-None-Match"), etag)) return new Response(null, { status: 304, headers });

  let doc: Awaited<ReturnType<typeof cachedDocument>>;
  try {
    doc = await cachedDocument(KIND, a.id, text, key);
  } catch (e) {
    if (e instanceof DocumentBusy) {
      throw json({ error: t.errors.busy }, { status: 503, headers: { "Retry-After": "5", "Cache-Control": "no-store" } });
    }
    // The whole file is drawn before a byte is sent: a failure is still a clean 500, not a truncated file.
    console.error("report pdf", a.id, e);
    throw json({ error: t.errors.renderFailed }, { status: 500 });
  }
  headers["Content-Type"] = "application/pdf";
  headers["Content-Disposition"] = contentDisposition(reportFileNames(a.schoolCode, a.schoolYear));
  if (doc.source === "cache") {
    headers["Content-Length"] = String(doc.size);
    return new Response(createReadableStreamFromReadable(doc.stream as Readable), { status: 200, headers });
  }
  headers["Content-Length"] = String(doc.pdf.length);
  return new Response(new Uint8Array(doc.pdf.buffer, doc.pdf.byteOffset, doc.pdf.byteLength) as unknown as BodyInit, { status: 200, headers });
}
