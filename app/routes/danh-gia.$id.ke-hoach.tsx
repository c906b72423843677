/**
 * /danh-gia/:id/ke-hoach — the school's action plan (kế hoạch cải thiện) of one assessment.
 *
 * GET (school.read: the school and its offices): the actions in plan order with owner, due date,
 * status, notes and evidence; the PDF and XLSX downloads; for the school's users (assessment.edit)
 * the edit form of each action, "Lập kế hoạch từ các tiêu chí chưa đạt", the form of an own action
 * and, when last year's plan has actions not done, "Mang sang năm học này".
 * POST (assessment.edit), intent:
 *   generate  build or bring up to date the plan from the gaps (idempotent)
 *   add       an own action: title, itemCode?, ownerId?, dueDate?, status, notes?, evidenceId*
 *   update    actionId, version and the same fields; a stale version is refused (409)
 *   delete    actionId, version
 *   carry     fromId: the previous year's assessment of this school
 * Success redirects (303) back to the page (with ?ok=… and the action's anchor); a refusal answers
 * JSON `{ ok: false, intent, actionId, field, fieldErrors, message, values }` with a 4xx status,
 * which the page shows at the field concerned.
 */
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { useId } from "react";
import { z } from "zod";
import { AssessmentHeader } from "~/components/assessment/AssessmentHeader";
import { CheckboxGroup } from "~/components/CheckboxGroup";
import { CsrfInput } from "~/components/CsrfInput";
import { Field, SelectField } from "~/components/Field";
import {
  ACTION_NOTES_MAX,
  ACTION_STATUS_LABELS,
  ACTION_STATUSES,
  ACTION_TITLE_MAX,
  actionCreateSchema,
  actionDeleteSchema,
  actionUpdateSchema,
  type ActionFieldName,
} from "~/domain/action-plan";
import { formatPoints } from "~/domain/scoring";
import { pick } from "~/i18n";
import { actionPlan } from "~/i18n/action-plan";
import { assertCsrf } from "~/server/auth/csrf.server";
import { readForm } from "~/server/forms.server";
import { can } from "~/server/policy.server";
import {
  carryPlanForward,
  createAction,
  deleteAction,
  evidenceChoices,
  generatePlan,
  planOf,
  updateAction,
  planPhase,
  previousPlanFor,
  schoolUsers,
} from "~/server/services/action-plan.server";
import { requireAssessment } from "~/server/services/assessment-page.server";
import { assessmentItems } from "~/server/services/evidence.server";
import { formatLocalDate } from "~/utils/time";

const t = pick(actionPlan);

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${t.title} — ${data.header.schoolName} ${data.header.schoolYear} — CĐS 4725` : "CĐS 4725" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, a, header } = await requireAssessment(request, params, "school.read");
  const canEdit = can(user, "assessment.edit", { kind: "school", schoolId: a.schoolId });
  const actions = planOf(a.id);
  return json({
    header,
    canEdit,
    phase: planPhase(a),
    actions,
    users: canEdit ? schoolUsers(a.schoolId) : [],
    library: canEdit ? evidenceChoices(a.schoolId) : [],
    items: canEdit ? assessmentItems(a).map((i) => ({ code: i.code, text: i.text })) : [],
    previous: canEdit ? previousPlanFor(a) : null,
  });
}

export type PlanActionData = {
  ok: false;
  intent: string | null;
  actionId: number | null;
  field: ActionFieldName;
  fieldErrors: Partial<Record<ActionFieldName, string>>;
  message: string;
  values?: Record<string, string | string[]>;
};

const intentSchema = z.enum(["generate", "add", "update", "delete", "carry"]);
const fromIdSchema = z.string().regex(/^[1-9]\d{0,15}$/).transform(Number);

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, a } = await requireAssessment(request, params, "assessment.edit", { messages: { forbidden: t.errors.forbidden } });
  const form = await readForm(request);
  await assertCsrf(request, form);
  const str = (k: string) => {
    const v = form.get(k);
    return typeof v === "string" ? v : "";
  };
  const all = (k: string) => form.getAll(k).filter((v): v is string => typeof v === "string");
  const postedId = Number(str("actionId"));
  const actionId = Number.isSafeInteger(postedId) && postedId > 0 ? postedId : null;
  const values = { title: str("title"), itemCode: str("itemCode"), ownerId: str("ownerId"), dueDate: str("dueDate"), status: str("status"), notes: str("notes"), evidenceId: all("evidenceId") };
  const refuse = (status: number, intent: string | null, field: ActionFieldName, message: string, fieldErrors: PlanActionData["fieldErrors"] = {}) =>
    json<PlanActionData>({ ok: false, intent, actionId, field, fieldErrors, message, values }, { status });
  const back = (ok: string, anchor = "") => redirect(`/danh-gia/${a.id}/ke-hoach?ok=${ok}${anchor}`, 303);

  const intent = intentSchema.safeParse(str("intent"));
  if (!intent.success) return refuse(400, null, "form", t.errors.badIntent);
  const fields = { title: str("title"), ownerId: str("ownerId"), dueDate: str("dueDate"), status: str("status"), notes: str("notes"), evidenceIds: all("evidenceId") };
  const invalid = (intentName: string, error: z.ZodError) => {
    const fe: PlanActionData["fieldErrors"] = {};
    for (const issue of error.issues) {
      const key = (issue.path[0] === "evidenceIds" ? "evidenceIds" : issue.path[0]) as ActionFieldName;
      if (key && !fe[key]) fe[key] = issue.message;
    }
    const first = (Object.keys(fe)[0] ?? "form") as ActionFieldName;
    return refuse(400, intentName, first, t.errors.invalid, fe);
  };

  switch (intent.data) {
    case "generate": {
      const r = generatePlan(a.id, user.id);
      if (!r.ok) return refuse(r.kind === "empty" ? 409 : 404, "generate", "form", r.message);
      return back(`generated-${r.created}-${r.kept}`);
    }
    case "add": {
      const p = actionCreateSchema.safeParse({ ...fields, itemCode: str("itemCode") });
      if (!p.success) return invalid("add", p.error);
      const r = createAction(a.id, p.data, user.id);
      if (!r.ok) {
        if (r.kind === "invalid") return refuse(400, "add", r.field, t.errors.invalid, { [r.field]: r.message });
        return refuse(404, "add", "form", r.message);
      }
      return back("added", `#hd-${r.actionId}`);
    }
    case "update": {
      const p = actionUpdateSchema.safeParse({ ...fields, actionId: str("actionId"), version: str("version") });
      if (!p.success) {
        if (p.error.issues.some((i) => i.path[0] === "actionId" || i.path[0] === "version")) return refuse(400, "update", "form", t.errors.badIntent);
        return invalid("update", p.error);
      }
      const r = updateAction(a.id, p.data, user.id);
      if (!r.ok) {
        if (r.kind === "invalid") return refuse(400, "update", r.field, t.errors.invalid, { [r.field]: r.message });
        if (r.kind === "stale") return refuse(409, "update", "form", r.message);
        return refuse(404, "update", "form", r.message);
      }
      return back("saved", `#hd-${p.data.actionId}`);
    }
    case "delete": {
      const p = actionDeleteSchema.safeParse({ actionId: str("actionId"), version: str("version") });
      if (!p.success) return refuse(400, "delete", "form", t.errors.badIntent);
      const r = deleteAction(a.id, p.data, user.id);
      if (!r.ok) return refuse(r.kind === "stale" ? 409 : 404, "delete", "form", r.message);
      return back("removed");
    }
    case "carry": {
      const p = fromIdSchema.safeParse(str("fromId"));
      if (!p.success) return refuse(400, "carry", "form", t.carry.badYear);
      // The source must be this school's own file (another school's id: the same refusal).
      const r = carryPlanForward(p.data, a.id, user.id);
      if (!r.ok) return refuse(r.kind === "year" ? 400 : 404, "carry", "form", r.kind === "year" ? r.message : t.carry.badYear);
      return back(`carried-${r.carried}`);
    }
  }
}

function okMessage(ok: string | null): string | null {
  if (!ok) return null;
  let m: RegExpExecArray | null;
  if ((m = /^generated-(\d+)-(\d+)$/.exec(ok))) return t.generated(Number(m[1]), Number(m[2]));
  if ((m = /^carried-(\d+)$/.exec(ok))) return t.carry.done(Number(m[1]));
  if (ok === "added") return t.added;
  if (ok === "saved") return t.saved;
  if (ok === "removed") return t.removed;
  return null;
}

type Loaded = ReturnType<typeof useLoaderData<typeof loader>>;
type ActionView = Loaded["actions"][number];

function NotesField({ defaultValue, error }: { defaultValue: string; error?: string }) {
  const id = useId();
  return (
    <div className={`field${error ? " field--error" : ""}`}>
      <label htmlFor={id}>{t.fields.notes}</label>
      <textarea id={id} name="notes" rows={3} maxLength={ACTION_NOTES_MAX} defaultValue={defaultValue} aria-invalid={error ? true : undefined} aria-describedby={error ? `${id}-error` : undefined} />
      {error ? (
        <p className="field-error" id={`${id}-error`}>
          {error}
        </p>
      ) : null}
    </div>
  );
}

interface FieldsProps {
  users: Loaded["users"];
  library: Loaded["library"];
  values: { title: string; ownerId: string; dueDate: string; status: string; notes: string; evidenceId: string[] };
  errors: PlanActionData["fieldErrors"];
}

function ActionFields({ users, library, values, errors }: FieldsProps) {
  return (
    <>
      <Field label={t.fields.title} name="title" defaultValue={values.title} maxLength={ACTION_TITLE_MAX} required error={errors.title} />
      <SelectField
        label={t.fields.owner}
        name="ownerId"
        defaultValue={values.ownerId}
        placeholder={t.fields.ownerNone}
        options={users.map((u) => ({ value: String(u.id), label: u.name }))}
        error={errors.ownerId}
      />
      <Field label={t.fields.dueDate} name="dueDate" hint={t.fields.dueDateHint} defaultValue={values.dueDate} inputMode="numeric" placeholder="dd/mm/yyyy" autoComplete="off" error={errors.dueDate} />
      <SelectField label={t.fields.status} name="status" defaultValue={values.status} options={ACTION_STATUSES.map((s) => ({ value: s, label: ACTION_STATUS_LABELS[s] }))} error={errors.status} />
      <NotesField defaultValue={values.notes} error={errors.notes} />
      {library.length ? (
        <CheckboxGroup
          legend={t.fields.evidence}
          name="evidenceId"
          hint={t.fields.evidenceHint}
          options={library.map((e) => ({ value: String(e.id), label: e.title }))}
          defaultValue={values.evidenceId}
          error={errors.evidenceIds}
        />
      ) : (
        <p className="muted">{t.fields.evidenceNone}</p>
      )}
    </>
  );
}

const valuesOf = (x: ActionView) => ({
  title: x.title,
  ownerId: x.ownerId != null ? String(x.ownerId) : "",
  dueDate: x.dueDate ? formatLocalDate(x.dueDate) : "",
  status: x.status,
  notes: x.notes ?? "",
  evidenceId: x.evidence.map((e) => String(e.id)),
});

function postedValues(v: PlanActionData["values"] | undefined) {
  const s = (k: string) => (typeof v?.[k] === "string" ? (v[k] as string) : "");
  return { title: s("title"), ownerId: s("ownerId"), dueDate: s("dueDate"), status: s("status") || "todo", notes: s("notes"), evidenceId: Array.isArray(v?.evidenceId) ? (v!.evidenceId as string[]) : [] };
}

function ActionCard({ x, no, data, posted, busy }: { x: ActionView; no: number; data: Loaded; posted: PlanActionData | null; busy: boolean }) {
  const mine = posted && posted.actionId === x.id && (posted.intent === "update" || posted.intent === "delete") ? posted : null;
  const invalid = mine && mine.intent === "update" && Object.keys(mine.fieldErrors).length > 0;
  const values = invalid ? postedValues(mine.values) : valuesOf(x);
  return (
    <li id={`hd-${x.id}`} className="card plan-action">
      <h3>
        {no}. {x.itemCode ? `${t.item(x.itemCode)}: ` : ""}
        {x.title}
      </h3>
      <p className="muted">
        {x.kind === "gap" ? (x.gain > 0 ? t.gain(formatPoints(x.gain)) : t.mandatory) : t.kindOwn}
        {x.carriedFromYear ? ` · ${t.carriedMark(x.carriedFromYear)}` : ""}
      </p>
      <dl className="plan-action__facts">
        <div>
          <dt>{t.fields.owner}</dt>
          <dd>{x.ownerName ?? t.fields.ownerNone}</dd>
        </div>
        <div>
          <dt>{t.fields.dueDate}</dt>
          <dd>
            {x.dueDate ? formatLocalDate(x.dueDate) : t.noItem}
            {x.overdue ? <strong className="badge badge--f"> {t.overdue}</strong> : null}
          </dd>
        </div>
        <div>
          <dt>{t.fields.status}</dt>
          <dd>{x.statusLabel}</dd>
        </div>
        {x.notes ? (
          <div>
            <dt>{t.fields.notes}</dt>
            <dd style={{ whiteSpace: "pre-wrap" }}>{x.notes}</dd>
          </div>
        ) : null}
        {x.evidence.length ? (
          <div>
            <dt>{t.fields.evidence}</dt>
            <dd>{x.evidence.map((e) => e.title).join("; ")}</dd>
          </div>
        ) : null}
      </dl>
      {mine ? (
        <p className="alert alert--error" role="alert">
          {mine.message}
        </p>
      ) : null}
      {data.canEdit ? (
        <details open={!!mine}>
          <summary>{t.edit}</summary>
          <Form method="post" key={`${x.id}-${x.version}-${invalid ? "err" : "ok"}`}>
            <CsrfInput />
            <input type="hidden" name="actionId" value={x.id} />
            <input type="hidden" name="version" value={x.version} />
            <ActionFields users={data.users} library={data.library} values={values} errors={invalid ? mine.fieldErrors : {}} />
            <p className="actions">
              <button type="submit" name="intent" value="update" className="button" disabled={busy}>
                {t.save}
              </button>
              <button type="submit" name="intent" value="delete" className="button button--secondary" disabled={busy} formNoValidate>
                {t.remove}
              </button>
            </p>
          </Form>
        </details>
      ) : null}
    </li>
  );
}

export default function ActionPlanPage() {
  const data = useLoaderData<typeof loader>();
  const posted = (useActionData<typeof action>() as PlanActionData | undefined) ?? null;
  const nav = useNavigation();
  const busy = nav.state !== "idle";
  const [params] = useSearchParams();
  const done = posted ? null : okMessage(params.get("ok"));
  const { header, actions } = data;
  const general = posted && (posted.intent === "generate" || posted.intent === "carry" || posted.intent === null || (posted.actionId != null && !actions.some((x) => x.id === posted.actionId) && posted.intent !== "add")) ? posted : null;
  const addPosted = posted && posted.intent === "add" ? posted : null;
  const base = `/danh-gia/${header.id}/ke-hoach`;
  return (
    <div>
      <AssessmentHeader {...header} />
      <h2>{t.pageTitle(header.schoolYear)}</h2>
      <p className="muted">{t.intro}</p>
      <p className="muted">{t.basis[data.phase]}</p>
      {done ? (
        <p className="alert alert--ok" role="status">
          {done}
        </p>
      ) : null}
      {general ? (
        <p className="alert alert--error" role="alert">
          {general.message}
        </p>
      ) : null}
      {data.canEdit && data.previous ? (
        <section className="card" aria-labelledby="plan-carry">
          <h3 id="plan-carry">{t.carry.heading(data.previous.schoolYear)}</h3>
          <p>{t.carry.text(data.previous.open, data.previous.schoolYear)}</p>
          <Form method="post">
            <CsrfInput />
            <input type="hidden" name="fromId" value={data.previous.assessmentId} />
            <button type="submit" name="intent" value="carry" className="button" disabled={busy}>
              {t.carry.button}
            </button>
          </Form>
        </section>
      ) : null}
      {data.canEdit ? (
        <Form method="post" className="actions">
          <CsrfInput />
          <button type="submit" name="intent" value="generate" className="button" disabled={busy}>
            {actions.some((x) => x.kind === "gap") ? t.regenerate : t.generate}
          </button>
          <span className="hint">{t.generateHint}</span>
        </Form>
      ) : (
        <p className="muted">{t.readOnly}</p>
      )}
      <p className="actions">
        <a className="button button--secondary" href={`${base}.pdf`} download>
          {t.exportPdf}
        </a>
        <a className="button button--secondary" href={`${base}.xlsx`} download>
          {t.exportXlsx}
        </a>
      </p>
      {actions.length === 0 ? <p>{t.empty}</p> : null}
      <ol className="plan-actions" style={{ listStyle: "none", padding: 0 }}>
        {actions.map((x, i) => (
          <ActionCard key={x.id} x={x} no={i + 1} data={data} posted={posted} busy={busy} />
        ))}
      </ol>
      {data.canEdit ? (
        <section className="card" aria-labelledby="plan-add">
          <h3 id="plan-add">{t.add}</h3>
          {addPosted ? (
            <p className="alert alert--error" role="alert">
              {addPosted.message}
            </p>
          ) : null}
          <Form method="post" key={addPosted ? "err" : "new"}>
            <CsrfInput />
            <SelectField
              label={t.fields.itemCode}
              name="itemCode"
              defaultValue={typeof addPosted?.values?.itemCode === "string" ? addPosted.values.itemCode : ""}
              placeholder={t.noItem}
              options={data.items.map((i) => ({ value: i.code, label: `${i.code} — ${i.text.length > 80 ? `${i.text.slice(0, 79)}…` : i.text}` }))}
              error={addPosted?.fieldErrors.itemCode}
            />
            <ActionFields users={data.users} library={data.library} values={addPosted ? postedValues(addPosted.values) : { title: "", ownerId: "", dueDate: "", status: "todo", notes: "", evidenceId: [] }} errors={addPosted?.fieldErrors ?? {}} />
            <button type="submit" name="intent" value="add" className="button" disabled={busy}>
              {t.addButton}
            </button>
          </Form>
        </section>
      ) : null}
      <p>
        <Link to={`/danh-gia/${header.id}`}>{t.backToForm}</Link>
      </p>
    </div>
  );
}
