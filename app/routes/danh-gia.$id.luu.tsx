import type { ActionFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { isValidCsrf } from "~/server/auth/csrf.server";
import { answerSave } from "~/server/http/save-endpoint.server";
import { requireAssessment } from "~/server/services/assessment-page.server";
import { readForm } from "~/server/forms.server";

/**
 * JSON endpoint for the assessment form's saves (autosave and button). The server answers the
 * usual POST itself, in front of Remix (app/server/http/save-endpoint.server.ts, same checks in
 * the same order, the same answers); this route serves the rest (and the route tests).
 */
export async function loader() {
  return json({ error: "Chỉ nhận yêu cầu POST." }, { status: 405 });
}

export async function action({ request, params: p }: ActionFunctionArgs) {
  // A JSON client: id (400), session (401, not a redirect to HTML), assessment (404) and policy (403)
  // are all answered as JSON, before a byte of the body is read.
  const { user, a } = await requireAssessment(request, p, "assessment.edit", { mode: "json" });
  const form = await readForm(request);
  // Only what the form uses: the new version, which items it saved, and the others' merged changes.
  const r = answerSave(user, a, await isValidCsrf(request, form), form.get("payload"));
  return json(r.body, { status: r.status });
}
