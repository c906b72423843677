import { getFormProps, getInputProps, getSelectProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { CsrfInput } from "~/components/CsrfInput";
import { pick } from "~/i18n";
import { cyclesUi } from "~/i18n/cycles";
import { assertCsrf } from "~/server/auth/csrf.server";
import { requireUser } from "~/server/auth/session.server";
import { authorize, authorizeArea, can, visibleUnitIds } from "~/server/policy.server";
import { listEditions } from "~/server/services/catalogue.server";
import { defaultDeadlines, openCycle } from "~/server/services/cycles.server";
import { cyclesVisibleTo } from "~/server/services/cycles-view.server";
import { getDb } from "~/server/db/client.server";
import { units } from "~/server/db/schema.server";
import { inArray } from "drizzle-orm";
import { formatLocalDate, parseLocalDate } from "~/utils/time";
import { readForm } from "~/server/forms.server";

const t = pick(cyclesUi);

const optionalDate = z
  .string()
  .trim()
  .optional()
  .refine((v) => !v || parseLocalDate(v) !== null, t.badDate);
const schema = z.object({
  unitId: z.coerce.number({ invalid_type_error: "Hãy chọn đơn vị." }).int().positive("Hãy chọn đơn vị."),
  schoolYear: z.string({ required_error: "Vui lòng nhập năm học." }).trim().regex(/^\d{4}-\d{4}$/, "Năm học phải có dạng 2025-2026."),
  editionId: z.string({ required_error: "Hãy chọn phiên bản bộ chỉ số." }).min(1, "Hãy chọn phiên bản bộ chỉ số."),
  selfDeadline: optionalDate,
  reviewDeadline: optionalDate,
});

export const meta: MetaFunction = () => [{ title: `${t.title} — CĐS 4725` }];

function managedUnits(user: Awaited<ReturnType<typeof requireUser>>) {
  const ids = visibleUnitIds(user);
  const rows = getDb()
    .select({ id: units.id, name: units.name, kind: units.kind })
    .from(units)
    .where(ids === "all" ? undefined : inArray(units.id, ids.length ? ids : [-1]))
    .all();
  return rows.filter((u) => u.kind !== "ministry" && can(user, "cycle.manage", { kind: "unit", unitId: u.id }));
}

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  authorizeArea(user, "cycle.manage");
  const year = new Date().getUTCMonth() >= 6 ? new Date().getUTCFullYear() : new Date().getUTCFullYear() - 1;
  return json({
    cycles: cyclesVisibleTo(user).map((c) => ({ ...c, canManage: can(user, "cycle.manage", { kind: "unit", unitId: c.unitId }) })),
    units: managedUnits(user),
    editions: listEditions().map((e) => ({ id: e.id, title: e.title })),
    defaultYear: `${year}-${year + 1}`,
  });
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const form = await readForm(request);
  await assertCsrf(request, form);
  const submission = parseWithZod(form, { schema });
  if (submission.status !== "success") return json({ result: submission.reply(), message: null }, { status: 400 });
  const v = submission.value;
  authorize(user, "cycle.manage", { kind: "unit", unitId: v.unitId });
  const d = defaultDeadlines(v.schoolYear);
  const r = openCycle(
    { ownerUnitId: v.unitId, schoolYear: v.schoolYear, editionId: v.editionId, selfAssessmentDeadline: v.selfDeadline ? parseLocalDate(v.selfDeadline)! : d.self, reviewDeadline: v.reviewDeadline ? parseLocalDate(v.reviewDeadline)! : d.review },
    user.id,
  );
  if (!r.ok) return json({ result: submission.reply({ fieldErrors: { [r.field === "reviewDeadline" ? "reviewDeadline" : r.field]: [r.message] } }), message: null }, { status: 409 });
  return json({ result: submission.reply({ resetForm: true }), message: t.opened(r.created, r.skipped) });
}

export default function Cycles() {
  const { cycles, units: unitOptions, editions, defaultYear } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const [form, fields] = useForm({ lastResult: data?.result, shouldValidate: "onBlur", onValidate: ({ formData }) => parseWithZod(formData, { schema }) });
  const err = (f: { errors?: string[]; errorId: string }) =>
    f.errors ? (
      <p className="field-error" id={f.errorId}>
        {f.errors[0]}
      </p>
    ) : null;
  return (
    <div>
      <h1>{t.title}</h1>
      <p className="muted">{t.intro}</p>
      {data?.message ? (
        <p className="alert alert--ok" role="status">
          {data.message}
        </p>
      ) : null}
      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">{t.schoolYear}</th>
              <th scope="col">{t.unit}</th>
              <th scope="col">{t.edition}</th>
              <th scope="col">{t.selfDeadline}</th>
              <th scope="col">{t.reviewDeadline}</th>
              <th scope="col" className="num">
                {t.schools}
              </th>
              <th scope="col">{t.status}</th>
            </tr>
          </thead>
          <tbody>
            {cycles.length === 0 ? (
              <tr>
                <td colSpan={7}>{t.none}</td>
              </tr>
            ) : null}
            {cycles.map((c) => (
              <tr key={c.id}>
                <td>
                  {c.canManage ? <Link to={`/quan-tri/dot-danh-gia/${c.id}`}>{c.schoolYear}</Link> : c.schoolYear}
                </td>
                <td>{c.unit}</td>
                <td>{c.editionId}</td>
                <td>{formatLocalDate(c.self)}</td>
                <td>{formatLocalDate(c.review)}</td>
                <td className="num">{c.assessments}</td>
                <td>{t.statusLabels[c.status]}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {unitOptions.length ? (
        <section className="card form" aria-labelledby="open-cycle">
          <h2 id="open-cycle">{t.open}</h2>
          <Form method="post" {...getFormProps(form)}>
            <CsrfInput />
            {form.errors ? <p className="alert alert--error">{form.errors[0]}</p> : null}
            <div className={`field${fields.unitId.errors ? " field--error" : ""}`}>
              <label htmlFor={fields.unitId.id}>{t.unit}</label>
              <select {...getSelectProps(fields.unitId)} defaultValue={String(unitOptions[0]?.id ?? "")}>
                {unitOptions.map((u) => (
                  <option key={u.id} value={u.id}>
                    {u.name}
                  </option>
                ))}
              </select>
              {err(fields.unitId)}
            </div>
            <div className={`field${fields.schoolYear.errors ? " field--error" : ""}`}>
              <label htmlFor={fields.schoolYear.id}>{t.schoolYear}</label>
              <span className="hint">{t.schoolYearHint}</span>
              <input {...getInputProps(fields.schoolYear, { type: "text" })} defaultValue={defaultYear} />
              {err(fields.schoolYear)}
            </div>
            <div className={`field${fields.editionId.errors ? " field--error" : ""}`}>
              <label htmlFor={fields.editionId.id}>{t.edition}</label>
              <select {...getSelectProps(fields.editionId)} defaultValue={editions[0]?.id}>
                {editions.map((e) => (
                  <option key={e.id} value={e.id}>
                    {e.id} — {e.title}
                  </option>
                ))}
              </select>
              {err(fields.editionId)}
            </div>
            <div className={`field${fields.selfDeadline.errors ? " field--error" : ""}`}>
              <label htmlFor={fields.selfDeadline.id}>{t.selfDeadline}</label>
              <span className="hint">{t.dateHint}</span>
              <input {...getInputProps(fields.selfDeadline, { type: "text" })} placeholder="31/05/2026" inputMode="numeric" />
              {err(fields.selfDeadline)}
            </div>
            <div className={`field${fields.reviewDeadline.errors ? " field--error" : ""}`}>
              <label htmlFor={fields.reviewDeadline.id}>{t.reviewDeadline}</label>
              <span className="hint">{t.dateHint}</span>
              <input {...getInputProps(fields.reviewDeadline, { type: "text" })} placeholder="20/06/2026" inputMode="numeric" />
              {err(fields.reviewDeadline)}
            </div>
            <button type="submit" className="button">
              {t.open}
            </button>
          </Form>
        </section>
      ) : null}
    </div>
  );
}
