/**
 * /cong-nhan/:id/quyet-dinh.pdf — the recognition decision (quyết định công nhận) as a PDF
 * download (resource route).
 *
 * Order: requireUser, the decision must exist (404), then the policy (decision.read on the
 * issuing unit: 403 before anything else is read). Drawn in a worker, kept in the document cache
 * per version of its data (the key is the ETag: 304 when the browser has it), 503 when the
 * renderers are busy. A draft is marked "DỰ THẢO".
 */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { pick } from "~/i18n";
import { recognitionDocuments } from "~/i18n/recognition-documents";
import { requireUser } from "~/server/auth/session.server";
import { decisionFileNames } from "~/server/pdf/decision.server";
import { can } from "~/server/policy.server";
import { decisionById } from "~/server/services/recognition.server";
import { decisionData, withSignature } from "~/server/services/recognition-documents.server";
import { localDateOf } from "~/utils/time";
import { pdfResponse } from "~/server/pdf/serve.server";

const t = pick(recognitionDocuments);
const KIND = "decision" as const;

/** Noon of the local day: a draft without a date keeps the same data (and key) all day. */
function printDay(now = Date.now()): number {
  return Date.parse(`${localDateOf(now)}T12:00:00+07:00`);
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const id = /^[1-9][0-9]{0,15}$/.test(params.id ?? "") ? Number(params.id) : NaN;
  const d = Number.isSafeInteger(id) ? decisionById(id) : null;
  if (!d) throw json({ error: t.errors.notFound }, { status: 404 });
  if (!can(user, "decision.read", { kind: "unit", unitId: d.issuingUnitId })) throw json({ error: t.errors.forbidden }, { status: 403 });

  const built = decisionData(d.id, printDay());
  if (!built) throw json({ error: t.errors.notFound }, { status: 404 });
  // An issued (or revoked) decision is signed when its office has a signing certificate; a draft never is.
  const { data, sign } = d.status !== "draft" && d.issuedAt ? withSignature(built, d.issuingUnitId, d.issuedAt.getTime(), "Ban hành quyết định công nhận mức độ chuyển đổi số") : { data: built, sign: undefined };
  return pdfResponse(request, {
    kind: KIND,
    ownerId: d.id,
    data,
    sign,
    fileNames: decisionFileNames(d.status === "draft" ? null : d.number),
    messages: { busy: t.errors.busy, renderFailed: t.errors.renderFailed },
  });
}
