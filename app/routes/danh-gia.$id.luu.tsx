import type { ActionFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { z } from "zod";
import { isValidCsrf } from "~/server/auth/csrf.server";
import { getUser } from "~/server/auth/session.server";
import { authorize } from "~/server/policy.server";
import { getAssessment, saveAnswersFor } from "~/server/services/assessments.server";

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
const params = z.object({ id: z.coerce.number().int().positive() });

export async function loader() {
  return json({ error: "Chỉ nhận yêu cầu POST." }, { status: 405 });
}

export async function action({ request, params: p }: ActionFunctionArgs) {
  // A JSON client: an expired session is a 401 the form can explain, not a redirect to HTML.
  const user = await getUser(request);
  if (!user) return json({ ok: false, kind: "unauthenticated" }, { status: 401 });
  const form = await request.formData();
  if (!(await isValidCsrf(request, form))) return json({ ok: false, kind: "csrf" }, { status: 403 });
  const id = params.safeParse(p);
  if (!id.success) return json({ ok: false, kind: "bad-request" }, { status: 400 });
  const a = getAssessment(id.data.id);
  if (!a) return json({ ok: false, kind: "not-found" }, { status: 404 });
  authorize(user, "assessment.edit", { kind: "school", schoolId: a.schoolId });
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
