/**
 * /xac-minh/:token/pdf — the certificate (giấy công nhận) itself, PUBLIC (no login). The public
 * URL /xac-minh/<token>.pdf is rewritten to this path in front of Remix.
 *
 * Every wrong token (bad form or unknown) gets the same 404. A revoked certificate is still
 * served, with its "ĐÃ THU HỒI" stamp and date (never as valid). Kept in the document cache per
 * version of its data (a revocation makes new data, hence a new key and ETag).
 */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { TOKEN_PATTERN } from "~/domain/recognition";
import { pick } from "~/i18n";
import { recognitionDocuments } from "~/i18n/recognition-documents";
import { asciiFileNamePart, utf8FileNamePart } from "~/server/pdf/nd30.server";
import { can } from "~/server/policy.server";
import { certificateByToken } from "~/server/services/recognition.server";
import { certificateDataOf, withSignature } from "~/server/services/recognition-documents.server";
import { pdfResponse } from "~/server/pdf/serve.server";

const t = pick(recognitionDocuments);
const KIND = "certificate" as const;

const notFound = () => json({ error: t.errors.certificateNotFound }, { status: 404, headers: { "Cache-Control": "no-store" } });

export async function loader({ request, params }: LoaderFunctionArgs) {
  if (!can(null, "certificate.verify", { kind: "system" })) throw notFound();
  const token = params.token ?? "";
  if (!TOKEN_PATTERN.test(token)) throw notFound();
  const c = certificateByToken(token);
  if (!c) throw notFound();

  // Signed with the issuing office's certificate when it has one, at the time of issue.
  const { data, sign } = withSignature(certificateDataOf(c), c.issuingUnitId, c.issuedAt.getTime(), "Cấp giấy công nhận mức độ chuyển đổi số");
  const f = t.fileNames;
  return pdfResponse(request, {
    kind: KIND,
    ownerId: c.id,
    data,
    sign,
    // Public: shared caches may not keep it, but the browser revalidates (a revocation shows at once).
    cacheControl: "no-cache",
    headers: { "X-Robots-Tag": "noindex" },
    fileNames: {
      ascii: f.certificateAscii(asciiFileNamePart(c.schoolCode) || "truong", asciiFileNamePart(c.serial)),
      utf8: f.certificateUtf8(utf8FileNamePart(c.schoolCode), utf8FileNamePart(c.serial)).normalize("NFC"),
    },
    messages: { busy: t.errors.busy, renderFailed: t.errors.renderFailed },
  });
}
