import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { CsrfInput } from "~/components/CsrfInput";
import { Field, SelectField } from "~/components/Field";
import { pick } from "~/i18n";
import { cyclesUi } from "~/i18n/cycles";
import { assertCsrf } from "~/server/auth/csrf.server";
import { requireUser } from "~/server/auth/session.server";
import { getDb } from "~/server/db/client.server";
import { units } from "~/server/db/schema.server";
import { authorize, can } from "~/server/policy.server";
import { extendDeadline, getAssessment } from "~/server/services/assessments.server";
import { getCycle } from "~/server/services/cycles.server";
import { assessmentsOfCycle } from "~/server/services/cycles-view.server";
import { eq } from "drizzle-orm";
import { formatLocalDate, parseLocalDate } from "~/utils/time";
import { readForm } from "~/server/forms.server";

const t = pick(cyclesUi);
const params = z.object({ id: z.coerce.number().int().positive() });
const body = z.object({
  assessmentId: z.coerce.number().int().positive(),
  deadline: z.string().trim().refine((v) => parseLocalDate(v) !== null, t.badDate),
  reason: z.string().trim().min(1, t.reasonRequired).max(1000),
});

export const meta: MetaFunction = () => [{ title: `${t.title} — CĐS 4725` }];

async function load(request: Request, p: unknown) {
  const user = await requireUser(request);
  const q = params.safeParse(p);
  if (!q.success) throw json({ error: "Mã đợt không hợp lệ." }, { status: 400 });
  const cycle = getCycle(q.data.id);
  if (!cycle) throw json({ error: "Không tìm thấy đợt đánh giá." }, { status: 404 });
  authorize(user, "cycle.manage", { kind: "unit", unitId: cycle.ownerUnitId });
  return { user, cycle };
}

export async function loader({ request, params: p }: LoaderFunctionArgs) {
  const { user, cycle } = await load(request, p);
  const unit = getDb().select({ name: units.name }).from(units).where(eq(units.id, cycle.ownerUnitId)).get();
  // Each row says whether the extension form may offer it: the action's own question (school.manage).
  const rows = assessmentsOfCycle(cycle.id, user).map(({ schoolId, managingUnitId, reviewingUnitId, ...r }) => ({
    ...r,
    canExtend: can(user, "school.manage", { kind: "school", schoolId, managingUnitId, reviewingUnitId }),
  }));
  return json({ cycle: { id: cycle.id, schoolYear: cycle.schoolYear, self: cycle.selfAssessmentDeadline, unit: unit?.name ?? "" }, rows });
}

export async function action({ request, params: p }: ActionFunctionArgs) {
  const { user, cycle } = await load(request, p);
  const form = await readForm(request);
  await assertCsrf(request, form);
  const b = body.safeParse(Object.fromEntries(form));
  if (!b.success) return json({ ok: false, errors: b.error.flatten().fieldErrors as Record<string, string[]> }, { status: 400 });
  const a = getAssessment(b.data.assessmentId);
  // The assessment must belong to this cycle and to a school the admin manages.
  if (!a || a.cycleId !== cycle.id) return json({ ok: false, errors: { assessmentId: ["Hồ sơ không thuộc đợt đánh giá này."] } }, { status: 404 });
  authorize(user, "school.manage", { kind: "school", schoolId: a.schoolId });
  const r = extendDeadline(a.id, parseLocalDate(b.data.deadline)!, b.data.reason, user.id);
  if (!r.ok) return json({ ok: false, errors: { deadline: [r.message] } }, { status: 409 });
  return json({ ok: true, errors: {} as Record<string, string[]> });
}

export default function CycleDetail() {
  const { cycle, rows } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>() as { ok: boolean; errors: Record<string, string[] | undefined> } | undefined;
  return (
    <div>
      <p>
        <Link to="/quan-tri/dot-danh-gia">← {t.title}</Link>
      </p>
      <h1>{t.cycleTitle(cycle.schoolYear, cycle.unit)}</h1>
      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">{t.school}</th>
              <th scope="col">{t.status}</th>
              <th scope="col">{t.deadline}</th>
              <th scope="col" className="num">
                {t.level}
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.id}>
                <td>
                  <Link to={`/danh-gia/${r.id}`}>{r.school}</Link> <span className="muted">({r.code})</span>
                </td>
                <td>{r.statusLabel}</td>
                <td>{formatLocalDate(r.override ?? cycle.self)}</td>
                <td className="num">{r.selfLevel ?? "–"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <section className="card form" aria-labelledby="extend">
        <h2 id="extend">{t.extend}</h2>
        {data?.ok ? (
          <p className="alert alert--ok" role="status">
            {t.extended}
          </p>
        ) : null}
        <Form method="post">
          <CsrfInput />
          <SelectField label={t.extendSchool} name="assessmentId" options={rows.filter((r) => r.canExtend).map((r) => ({ value: String(r.id), label: `${r.school} (${r.code})` }))} error={data?.errors?.assessmentId} />
          <Field label={t.newDeadline} name="deadline" hint="dd/mm/yyyy" inputMode="numeric" error={data?.errors?.deadline} />
          <Field label={t.reason} name="reason" error={data?.errors?.reason} maxLength={1000} />
          <button type="submit" className="button">
            {t.extendButton}
          </button>
        </Form>
      </section>
    </div>
  );
}
