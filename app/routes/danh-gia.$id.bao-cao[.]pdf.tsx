/**
 * /danh-gia/:id/bao-cao.pdf — the self-assessment report as a PDF download (resource route).
 * Authorization comes first: another school's id answers 403 before anything else is read.
 */
import type { Readable } from "node:stream";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { createReadableStreamFromReadable, json } from "@remix-run/node";
import { z } from "zod";
import { pick } from "~/i18n";
import { report } from "~/i18n/report";
import { requireUser } from "~/server/auth/session.server";
import { contentDisposition, renderSelfAssessmentReport, reportFileNames } from "~/server/pdf/self-assessment-report.server";
import { authorize } from "~/server/policy.server";
import { getAssessment } from "~/server/services/assessments.server";
import { buildReportData } from "~/server/services/report.server";

const t = pick(report);
const paramsSchema = z.object({ id: z.string().regex(/^[1-9]\d{0,9}$/).transform(Number) });

export async function loader({ request, params }: LoaderFunctionArgs) {
  const p = paramsSchema.safeParse(params);
  if (!p.success) throw json({ error: t.errors.badId }, { status: 400 });
  const user = await requireUser(request);
  const a = getAssessment(p.data.id);
  if (!a) throw json({ error: t.errors.notFound }, { status: 404 });
  authorize(user, "school.read", { kind: "school", schoolId: a.schoolId });

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
