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
import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { pick } from "~/i18n";
import { externalRecord } from "~/i18n/external-record";
import { externalRecordFileNames } from "~/server/pdf/external-record.server";
import { canSeeExternal } from "~/server/policy.server";
import { requireAssessment } from "~/server/services/assessment-page.server";
import { buildExternalRecordData, RECORD_STATES } from "~/server/services/external-record.server";
import { localDateOf } from "~/utils/time";
import { pdfResponse } from "~/server/pdf/serve.server";

const t = pick(externalRecord);
const KIND = "external-record" as const;

/** Noon of the local day: a record without the team's date keeps the same data (and key) all day. */
function recordDay(now = Date.now()): number {
  return Date.parse(`${localDateOf(now)}T12:00:00+07:00`);
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, a } = await requireAssessment(request, params, "school.read", {
    messages: { badId: t.errors.badId, notFound: t.errors.notFound, forbidden: t.errors.forbidden },
  });
  if (!canSeeExternal(user, a)) throw json({ error: t.errors.forbidden }, { status: 403 });
  if (!RECORD_STATES.includes(a.status)) throw json({ error: t.errors.state, status: a.status }, { status: 409 });

  const data = buildExternalRecordData(a.id, recordDay());
  if (!data) throw json({ error: t.errors.notFound }, { status: 404 });
  return pdfResponse(request, {
    kind: KIND,
    ownerId: a.id,
    data,
    fileNames: externalRecordFileNames(a.schoolCode, a.schoolYear),
    messages: { busy: t.errors.busy, renderFailed: t.errors.renderFailed },
  });
}
