import type { ActionFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { z } from "zod";
import { isValidCsrf } from "~/server/auth/csrf.server";
import { requireAssessment } from "~/server/services/assessment-page.server";
import { saveAnswersFor } from "~/server/services/assessments.server";
import { readForm } from "~/server/forms.server";

/** JSON endpoint for the assessment form's saves (autosave and button). */
const answerValue = z.union([
  z.boolean(),
  z.string().max(200),
  z.object({ numerator: z.number(), denominator: z.number() }).strict(),
  z.record(z.string().max(60), z.string().max(500)),
  z.null(),
]);
const payload = z.object({
  baseVersion: z.number().int().nonnegative(),
  changes: z
    .record(
      z.string().regex(/^\d+(\.\d+)*(\.[a-z][a-z0-9-]*)?$/).max(30),
      z
        .object({ value: answerValue.optional(), note: z.string().max(4000).nullable().optional(), seen: z.number().int().nonnegative().optional() })
        .strict(),
    )
    .refine((c) => Object.keys(c).length <= 200, "Quá nhiều thay đổi trong một lần lưu."),
});

export async function loader() {
  return json({ error: "Chỉ nhận yêu cầu POST." }, { status: 405 });
}

export async function action({ request, params: p }: ActionFunctionArgs) {
  // A JSON client: id (400), session (401, not a redirect to HTML), assessment (404) and policy (403)
  // are all answered as JSON, before a byte of the body is read.
  const { user, a } = await requireAssessment(request, p, "assessment.edit", { mode: "json" });
  const form = await readForm(request);
  if (!(await isValidCsrf(request, form))) return json({ ok: false, kind: "csrf" }, { status: 403 });
  let body: unknown;
  try {
    body = JSON.parse(String(form.get("payload") ?? ""));
  } catch {
    return json({ ok: false, kind: "bad-request" }, { status: 400 });
  }
  const parsed = payload.safeParse(body);
  if (!parsed.success) return json({ ok: false, kind: "bad-request", issues: parsed.error.issues.map((i) => i.message) }, { status: 400 });
  const result = saveAnswersFor(a, parsed.data, user.id);
  // Only what the form uses: the new version, which items it saved, and the others' merged changes.
  if (result.ok) return json({ ok: true, version: result.version, saved: result.saved, others: result.others });
  const status = result.kind === "conflict" ? 409 : result.kind === "invalid" ? 422 : result.kind === "locked" ? 423 : 404;
  return json(result, { status });
}
