/**
 * /danh-gia/:id/ke-hoach.xlsx — the school's action plan as one Excel sheet (resource route):
 * requireAssessment with school.read first, then the workbook streamed by exceljs (real date
 * cells, frozen header, autofilter, every text cell through the export escaping helper).
 */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { pick } from "~/i18n";
import { actionPlan } from "~/i18n/action-plan";
import { actionPlanXlsxResponse, buildActionPlanData } from "~/server/services/action-plan.server";
import { requireAssessment } from "~/server/services/assessment-page.server";

const t = pick(actionPlan);

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { a } = await requireAssessment(request, params, "school.read");
  const data = buildActionPlanData(a.id);
  if (!data) throw json({ error: t.errors.notFound }, { status: 404 });
  return actionPlanXlsxResponse(data);
}
