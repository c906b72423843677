/**
 * /danh-gia/:id/bao-cao.pdf — the self-assessment report as a PDF download (resource route).
 * Authorization comes first: another school's id answers 403 before anything else is read.
 */
import type { Readable } from "node:stream";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { createReadableStreamFromReadable, json } from "@remix-run/node";
import { pick } from "~/i18n";
import { report } from "~/i18n/report";
import { contentDisposition, renderSelfAssessmentReport, reportFileNames } from "~/server/pdf/self-assessment-report.server";
import { requireAssessment } from "~/server/services/assessment-page.server";
import { buildReportData } from "~/server/services/report.server";

const t = pick(report);

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { a } = await requireAssessment(request, params, "school.read", { messages: { badId: t.errors.badId, notFound: t.errors.notFound } });

  const data = buildReportData(a.id);
  if (!data) throw json({ error: t.errors.notFound }, { status: 404 });
  let pdf: NodeJS.ReadableStream;
  try {
    // Drawing happens here, synchronously: a failure is still a clean 500, not a truncated file.
    pdf = renderSelfAssessmentReport(data);
  } catch (e) {
    console.error("report pdf", a.id, e);
    throw json({ error: t.errors.renderFailed }, { status: 500 });
  }
  return new Response(createReadableStreamFromReadable(pdf as Readable), {
    status: 200,
    headers: {
      "Content-Type": "application/pdf",
      "Content-Disposition": contentDisposition(reportFileNames(a.schoolCode, a.schoolYear)),
      "Cache-Control": "private, no-store",
    },
  });
}
