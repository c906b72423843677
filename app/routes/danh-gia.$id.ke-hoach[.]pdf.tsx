/**
 * /danh-gia/:id/ke-hoach.pdf — the school's action plan (kế hoạch cải thiện) as a PDF in the
 * Nghị định 30 layout (resource route). Whoever reads the file reads its plan (the school, its
 * offices): requireAssessment with school.read first (another province's id: 403). Drawn in a
 * worker and kept in the document cache per version of its data (the key is the ETag: 304 when
 * the browser has it), 503 when the renderers are busy.
 */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { pick } from "~/i18n";
import { actionPlan } from "~/i18n/action-plan";
import { actionPlanFileNames } from "~/server/pdf/action-plan.server";
import { pdfResponse } from "~/server/pdf/serve.server";
import { buildActionPlanData } from "~/server/services/action-plan.server";
import { requireAssessment } from "~/server/services/assessment-page.server";

const t = pick(actionPlan);

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { a } = await requireAssessment(request, params, "school.read");
  const data = buildActionPlanData(a.id);
  if (!data) throw json({ error: t.errors.notFound }, { status: 404 });
  return pdfResponse(request, {
    kind: "action-plan",
    ownerId: a.id,
    data,
    fileNames: actionPlanFileNames(a.schoolCode, a.schoolYear, "pdf"),
    messages: { busy: t.errors.busy, renderFailed: t.errors.renderFailed },
  });
}
