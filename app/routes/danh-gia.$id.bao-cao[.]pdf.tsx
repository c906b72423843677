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
import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { pick } from "~/i18n";
import { report } from "~/i18n/report";
import { reportFileNames } from "~/server/pdf/self-assessment-report.server";
import { requireAssessment } from "~/server/services/assessment-page.server";
import { buildReportData } from "~/server/services/report.server";
import { localDateOf } from "~/utils/time";
import { pdfResponse } from "~/server/pdf/serve.server";

const t = pick(report);
const KIND = "self-assessment-report" as const;

/**
 * The report prints only the date (a draft: the day it is generated), so a draft's "now" is noon
 * of the local day: the data, hence the key, stays the same all day instead of every millisecond.
 */
function reportDay(now = Date.now()): number {
  return Date.parse(`${localDateOf(now)}T12:00:00+07:00`);
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { a } = await requireAssessment(request, params, "school.read", { messages: { badId: t.errors.badId, notFound: t.errors.notFound } });

  const data = buildReportData(a.id, reportDay());
  if (!data) throw json({ error: t.errors.notFound }, { status: 404 });
  return pdfResponse(request, {
    kind: KIND,
    ownerId: a.id,
    data,
    fileNames: reportFileNames(a.schoolCode, a.schoolYear),
    messages: { busy: t.errors.busy, renderFailed: t.errors.renderFailed },
  });
}
