/**
 * /minh-chung/:evidenceId — downloads one evidence file, streamed from storage.
 *   attachment by default, with an RFC 5987 filename* for Vietnamese names;
 *   ?xem=1 shows PDF and images inline, under a restrictive Content-Security-Policy.
 * Readable by policy "evidence.read" on the evidence's school (the school, its reviewing office and the
 * levels above). Anyone else, and any deleted evidence, gets the same 404: existence is not revealed.
 * A link evidence redirects to its (validated http/https) address.
 */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { createReadableStreamFromReadable, json, redirect } from "@remix-run/node";
import { z } from "zod";
import { isPreviewable, safeHttpUrl } from "~/domain/evidence";
import { pick } from "~/i18n";
import { evidence as strings } from "~/i18n/evidence";
import { requireUser } from "~/server/auth/session.server";
import { can } from "~/server/policy.server";
import { getStoredEvidence } from "~/server/services/evidence.server";
import { contentDisposition } from "~/server/storage/filename.server";
import { getEvidenceStorage } from "~/server/storage/storage.server";

const t = pick(strings);

const paramsSchema = z.object({ evidenceId: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER) });

/** Images: nothing but the image itself, in a sandbox. */
const IMAGE_CSP = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; frame-ancestors 'self'; sandbox";
/**
 * PDFs: the same, without `sandbox`, which makes Chrome and Safari refuse to start their PDF viewer
 * (the viewer is a plugin-like document; Chrome drops the page's CSP for it anyway). The bytes are a
 * PDF by their magic number and `nosniff` forbids any other reading of them.
 */
const PDF_CSP = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; object-src 'self'; frame-ancestors 'self'";

function notFound(): never {
  throw json({ error: t.errors.notFound }, { status: 404, headers: { "Cache-Control": "no-store" } });
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const p = paramsSchema.safeParse(params);
  if (!p.success) notFound();
  const user = await requireUser(request);
  const ev = getStoredEvidence(p.data.evidenceId);
  if (!ev || ev.deleted || !can(user, "evidence.read", { kind: "school", schoolId: ev.schoolId })) notFound();

  if (ev.kind === "link") {
    const url = safeHttpUrl(ev.url);
    if (!url) notFound();
    throw redirect(url, { headers: { "Cache-Control": "no-store", "Referrer-Policy": "no-referrer" } });
  }
  if (!ev.sha256 || !ev.mime || ev.size == null) notFound();

  const storage = getEvidenceStorage();
  const etag = `"${ev.sha256}"`;
  const common = {
    ETag: etag,
    "Cache-Control": "private, no-cache",
    "X-Content-Type-Options": "nosniff",
  };
  if (request.headers.get("If-None-Match") === etag) return new Response(null, { status: 304, headers: common });

  const size = await storage.size(ev.sha256);
  if (size == null) {
    console.error(`evidence ${ev.id}: blob ${ev.sha256} is missing from storage`);
    notFound();
  }

  const inline = new URL(request.url).searchParams.get("xem") === "1" && isPreviewable(ev.mime);
  const fileName = ev.fileName || `minh-chung-${ev.id}`;
  const headers: Record<string, string> = {
    ...common,
    "Content-Type": ev.mime,
    "Content-Length": String(size),
    "Content-Disposition": contentDisposition(inline ? "inline" : "attachment", fileName),
  };
  if (inline) headers["Content-Security-Policy"] = ev.mime === "application/pdf" ? PDF_CSP : IMAGE_CSP;
  else headers["Content-Security-Policy"] = "default-src 'none'; sandbox";

  if (request.method === "HEAD") return new Response(null, { status: 200, headers });
  const body = createReadableStreamFromReadable(storage.openRead(ev.sha256));
  return new Response(body, { status: 200, headers });
}
