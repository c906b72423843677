import { getFormProps, getInputProps, getSelectProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { CsrfInput } from "~/components/CsrfInput";
import { UnitPicker, typedUnitCode } from "~/components/UnitPicker";
import { pick } from "~/i18n";
import { cyclesUi } from "~/i18n/cycles";
import { assertCsrf } from "~/server/auth/csrf.server";
import { requireUser } from "~/server/auth/session.server";
import { authorize, authorizeArea, can, canArea } from "~/server/policy.server";
import { listEditions } from "~/server/services/catalogue.server";
import { defaultDeadlines, openCycleYielding } from "~/server/services/cycles.server";
import { cyclesVisibleTo } from "~/server/services/cycles-view.server";
import { postedUnits, resolveUnitFields, unitRefs } from "~/server/services/unit-search.server";
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

/** The unit the open form starts from: the user's own, when a cycle may be opened for it (never the ministry). */
function ownUnit(user: Awaited<ReturnType<typeof requireUser>>) {
  if (user.unitId == null || !can(user, "cycle.manage", { kind: "unit", unitId: user.unitId })) return null;
  const u = unitRefs(user, [user.unitId]).get(user.unitId);
  return u && u.kind !== "ministry" ? u : null;
}

const UNIT_FIELDS = ["unitId"] as const;

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  authorizeArea(user, "cycle.manage");
  const year = new Date().getUTCMonth() >= 6 ? new Date().getUTCFullYear() : new Date().getUTCFullYear() - 1;
  return json({
    cycles: cyclesVisibleTo(user).map((c) => ({ ...c, canManage: can(user, "cycle.manage", { kind: "unit", unitId: c.unitId }) })),
    // The unit picker searches /quan-tri/don-vi/tim?muc-dich=dot; the form starts from the user's unit.
    canOpen: canArea(user, "cycle.manage"),
    ownUnit: ownUnit(user),
    editions: listEditions().map((e) => ({ id: e.id, title: e.title })),
    defaultYear: `${year}-${year + 1}`,
  });
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const posted = await readForm(request);
  await assertCsrf(request, posted);
  // The picker's no-JavaScript code field becomes the id the schema reads (unit-search.server).
  const { form, errors: codeErrors } = resolveUnitFields(posted, UNIT_FIELDS, user);
  const submission = parseWithZod(form, { schema });
  const units = postedUnits(form, UNIT_FIELDS, user);
  if (submission.status !== "success" || codeErrors) return json({ result: submission.reply({ fieldErrors: codeErrors ?? {} }), message: null, units }, { status: 400 });
  const v = submission.value;
  authorize(user, "cycle.manage", { kind: "unit", unitId: v.unitId });
  const d = defaultDeadlines(v.schoolYear);
  // In short steps that yield to the event loop: a national cycle never holds other requests (cycles.server).
  const r = await openCycleYielding(
    { ownerUnitId: v.unitId, schoolYear: v.schoolYear, editionId: v.editionId, selfAssessmentDeadline: v.selfDeadline ? parseLocalDate(v.selfDeadline)! : d.self, reviewDeadline: v.reviewDeadline ? parseLocalDate(v.reviewDeadline)! : d.review },
    user.id,
  );
  if (!r.ok) return json({ result: submission.reply({ fieldErrors: { [r.field === "reviewDeadline" ? "reviewDeadline" : r.field]: [r.message] } }), message: null, units }, { status: 409 });
  return json({ result: submission.reply({ resetForm: true }), message: t.opened(r.created, r.skipped), units: {} as typeof units });
}

export default function Cycles() {
  const { cycles, canOpen, ownUnit, editions, defaultYear } = useLoaderData<typeof loader>();
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
      {canOpen ? (
        <section className="card form" aria-labelledby="open-cycle">
          <h2 id="open-cycle">{t.open}</h2>
          <Form method="post" {...getFormProps(form)}>
            <CsrfInput />
            {form.errors ? <p className="alert alert--error">{form.errors[0]}</p> : null}
            <UnitPicker
              key={data?.message ?? "open"}
              label={t.unit}
              name={fields.unitId.name}
              defaultValue={data?.units?.unitId ?? (data?.result?.initialValue ? null : ownUnit)}
              defaultText={typedUnitCode(data?.result?.initialValue, fields.unitId.name)}
              error={fields.unitId.errors}
              purpose="dot"
              required
            />
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
