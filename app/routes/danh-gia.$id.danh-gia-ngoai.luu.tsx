import type { ActionFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { isValidCsrf } from "~/server/auth/csrf.server";
import { readForm } from "~/server/forms.server";
import { answerSave } from "~/server/http/save-endpoint.server";
import { requireAssessment } from "~/server/services/assessment-page.server";

/**
 * JSON endpoint of the external assessment's saves (autosave and button), the same save as the
 * school's (/danh-gia/:id/luu: CSRF, payload, per-item conflicts, 409/422/423) on phase "external",
 * for the reviewer of the school's reviewing office only (policy assessment.external). The door
 * refuses it outside the approved state (423 locked).
 */
export async function loader() {
  return json({ error: "Chỉ nhận yêu cầu POST." }, { status: 405 });
}

export async function action({ request, params: p }: ActionFunctionArgs) {
  const { user, a } = await requireAssessment(request, p, "assessment.external", { mode: "json" });
  const form = await readForm(request);
  const r = answerSave(user, a, await isValidCsrf(request, form), form.get("payload"), "external");
  return json(r.body, { status: r.status });
}
