/**
 * /danh-gia/:id/bien-ban.pdf — the external assessment record (biên bản đánh giá ngoài) as a PDF
 * download (resource route).
 *
 * Order: requireAssessment (another province's or school's id answers 403 before anything else
 * is read), then canSeeExternal (the school sees the record only once the external assessment is
 * finished: 403 before), then the state (approved — marked "DỰ THẢO" —, assessed or recognised;
 * else 409). As for the report (danh-gia.$id.bao-cao[.]pdf.tsx): drawn in a worker, kept in the
 * document cache per version of its data, the key is the ETag (304 when the browser has it),
 * 503 when the renderers are busy.
 */
import type { Readable } from "node:stream";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { createReadableStreamFromReadable, json } from "@remix-run/node";
import { pick } from "~/i18n";
import { externalRecord } from "~/i18n/external-record";
import { cachedDocument, documentKey } from "~/server/pdf/document-cache.server";
import { externalRecordFileNames } from "~/server/pdf/external-record.server";
import { DocumentBusy } from "~/server/pdf/pool.server";
import { contentDisposition } from "~/server/pdf/self-assessment-report.server";
import { canSeeExternal } from "~/server/policy.server";
import { requireAssessment } from "~/server/services/assessment-page.server";
import { buildExternalRecordData, RECORD_STATES } from "~/server/services/external-record.server";
import { localDateOf } from "~/utils/time";

const t = pick(externalRecord);
const KIND = "external-record" as const;

/** Noon of the local day: a record without the team's date keeps the same data (and key) all day. */
function recordDay(now = Date.now()): number {
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
  const { user, a } = await requireAssessment(request, params, "school.read", {
    messages: { badId: t.errors.badId, notFound: t.errors.notFound, forbidden: t.errors.forbidden },
  });
  if (!canSeeExternal(user, a)) throw json({ error: t.errors.forbidden }, { status: 403 });
  if (!RECORD_STATES.includes(a.status)) throw json({ error: t.errors.state, status: a.status }, { status: 409 });

  const data = buildExternalRecordData(a.id, recordDay());
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
    // The whole file is drawn before a byte is sent: a failure is still a clean 500.
    console.error("external record pdf", a.id, e);
    throw json({ error: t.errors.renderFailed }, { status: 500 });
  }
  headers["Content-Type"] = "application/pdf";
  headers["Content-Disposition"] = contentDisposition(externalRecordFileNames(a.schoolCode, a.schoolYear));
  if (doc.source === "cache") {
    headers["Content-Length"] = String(doc.size);
    return new Response(createReadableStreamFromReadable(doc.stream as Readable), { status: 200, headers });
  }
  headers["Content-Length"] = String(doc.pdf.length);
  return new Response(new Uint8Array(doc.pdf.buffer, doc.pdf.byteOffset, doc.pdf.byteLength) as unknown as BodyInit, { status: 200, headers });
}
