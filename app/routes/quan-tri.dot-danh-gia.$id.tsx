/**
 * /quan-tri/dot-danh-gia/:id — one cycle: its assessments by status (counts of the whole cycle),
 * one page of 20 or 50 schools filtered like /ho-so (?q=&trang-thai=&don-vi=&loai=&so-dong=&page=),
 * and in each row the per-school deadline extension (a reason is required, audited by
 * extendDeadline). The extension posts with a fetcher: the row shows the new deadline and a
 * confirmation in its live region, and the list is not loaded again (shouldRevalidate). Without
 * JavaScript the same form posts normally and the page comes back with the row's result.
 */
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import type { ShouldRevalidateFunction } from "@remix-run/react";
import { Link, useActionData, useFetcher, useLoaderData, useLocation } from "@remix-run/react";
import { useEffect, useRef } from "react";
import { z } from "zod";
import { CsrfInput } from "~/components/CsrfInput";
import { Field, SelectField } from "~/components/Field";
import { Pager } from "~/components/Pager";
import { SearchBox } from "~/components/SearchBox";
import { UnitPicker } from "~/components/UnitPicker";
import { STATES, STATE_LABELS, type AssessmentState } from "~/domain/assessment-states";
import { SCHOOL_TYPES } from "~/domain/roles";
import { pick } from "~/i18n";
import { admin } from "~/i18n/admin";
import { cyclesUi } from "~/i18n/cycles";
import { unitPickerUi } from "~/i18n/unit-picker";
import { assertCsrf } from "~/server/auth/csrf.server";
import { requireUser } from "~/server/auth/session.server";
import { authorize, can } from "~/server/policy.server";
import { extendDeadline, getAssessment } from "~/server/services/assessments.server";
import { cycleAssessments, cycleStatusCounts } from "~/server/services/cycle-assessments.server";
import { addAssessments, missingSchools } from "~/server/services/cycle-additions.server";
import { getCycle } from "~/server/services/cycles.server";
import { getSchool, getUnit } from "~/server/services/org.server";
import { resolveUnitParam } from "~/server/services/unit-search.server";
import { formatLocalDate, parseLocalDate } from "~/utils/time";
import { readForm } from "~/server/forms.server";

const t = pick(cyclesUi);
const ta = pick(admin);
/** Rows per page offered (the component needs them: not from the .server module, empty in the browser). */
const PAGE_SIZES = ["20", "50"] as const;
const params = z.object({ id: z.coerce.number().int().positive().max(2_147_483_647) });
const body = z.object({
  assessmentId: z.coerce.number().int().positive().max(2_147_483_647),
  deadline: z.string().trim().refine((v) => parseLocalDate(v) !== null, t.badDate),
  reason: z.string().trim().min(1, t.reasonRequired).max(1000),
});
const emptyToUndefined = (v: unknown) => (v === "" || v == null ? undefined : v);
const filters = z.object({
  q: z.preprocess(emptyToUndefined, z.string().trim().max(100).optional()),
  "trang-thai": z.preprocess(emptyToUndefined, z.enum(STATES).optional()),
  "don-vi": z.preprocess(emptyToUndefined, z.string().regex(/^[1-9][0-9]{0,9}$/).transform(Number).pipe(z.number().max(2_147_483_647)).optional()),
  loai: z.preprocess(emptyToUndefined, z.enum(SCHOOL_TYPES).optional()),
  "so-dong": z.preprocess(emptyToUndefined, z.enum(PAGE_SIZES).transform(Number).optional()),
  page: z.preprocess(emptyToUndefined, z.string().regex(/^[0-9]{1,7}$/).transform(Number).pipe(z.number().int().min(1)).optional()),
});

export const meta: MetaFunction = () => [{ title: `${t.title} — CĐS 4725` }];

async function load(request: Request, p: unknown) {
  const user = await requireUser(request);
  const q = params.safeParse(p);
  if (!q.success) throw json({ error: t.badCycle }, { status: 400 });
  const cycle = getCycle(q.data.id);
  if (!cycle) throw json({ error: t.cycleNotFound }, { status: 404 });
  authorize(user, "cycle.manage", { kind: "unit", unitId: cycle.ownerUnitId });
  return { user, cycle };
}

export async function loader({ request, params: p }: LoaderFunctionArgs) {
  const { user, cycle } = await load(request, p);
  const url = new URL(request.url);
  const raw: Record<string, string> = {};
  for (const [k, v] of url.searchParams) if (!(k in raw)) raw[k] = v;
  const f = filters.safeParse(raw);
  if (!f.success) throw json({ error: t.badFilter }, { status: 400 });
  // A sub-unit filter the user may not read is refused like the schools list's.
  if (f.data["don-vi"] != null && !can(user, "unit.read", { kind: "unit", unitId: f.data["don-vi"] })) throw json({ error: t.badFilter }, { status: 400 });
  // The filter is a picker: ?don-vi=<id>, or ?don-vi__ma=<code> without JavaScript.
  const unit = resolveUnitParam(url, "don-vi", f.data["don-vi"], user);
  const owner = getUnit(cycle.ownerUnitId);
  const counts = cycleStatusCounts(cycle.id, user);
  const list = cycleAssessments(
    cycle.id,
    user,
    { q: f.data.q, status: f.data["trang-thai"], unitId: unit.id, type: f.data.loai, page: f.data.page, pageSize: f.data["so-dong"] === 50 ? 50 : 20 },
    undefined,
    counts,
  );
  return json({
    cycle: { id: cycle.id, schoolYear: cycle.schoolYear, self: cycle.selfAssessmentDeadline, unit: owner?.name ?? "" },
    counts,
    list,
    filters: { q: f.data.q ?? "", status: f.data["trang-thai"] ?? "", type: f.data.loai ?? "", unit: unit.id == null ? "" : String(unit.id), pageSize: String(list.pageSize) },
    unit: { selected: unit.selected, text: unit.text, error: unit.error },
    // Schools created or imported after the cycle opened, still without an assessment this year.
    missing: missingSchools(cycle.id, user),
  });
}

export type ExtendResult =
  | { ok: true; assessmentId: number; deadline: string; message: string }
  | { ok: false; assessmentId: number | null; errors: Partial<Record<"deadline" | "reason" | "form", string[]>> };

/** The result of "Tạo hồ sơ" (one missing school, or all of them). */
export interface AddResult {
  intent: "add";
  ok: boolean;
  message: string;
}

const addBody = z.object({ schoolId: z.coerce.number().int().positive().max(2_147_483_647) });

async function addAction(intent: "add-school" | "add-missing", form: FormData, user: Awaited<ReturnType<typeof requireUser>>, cycleId: number) {
  let target: { schoolId: number } | "all" = "all";
  if (intent === "add-school") {
    const b = addBody.safeParse(Object.fromEntries(form));
    if (!b.success) return json<AddResult>({ intent: "add", ok: false, message: t.badSchool }, { status: 400 });
    // One school: the admin must manage it (the list shows only those; a forged id is refused here).
    authorize(user, "school.manage", { kind: "school", schoolId: b.data.schoolId });
    target = { schoolId: b.data.schoolId };
  }
  const r = await addAssessments(cycleId, target, user);
  const status = r.ok ? 200 : r.kind === "not-found" ? 404 : 409;
  return json<AddResult>({ intent: "add", ok: r.ok, message: r.message }, { status });
}

export async function action({ request, params: p }: ActionFunctionArgs) {
  const { user, cycle } = await load(request, p);
  const form = await readForm(request);
  await assertCsrf(request, form);
  const intent = form.get("intent");
  if (intent === "add-school" || intent === "add-missing") return addAction(intent, form, user, cycle.id);
  const posted = Number(form.get("assessmentId"));
  const rowId = Number.isSafeInteger(posted) && posted > 0 ? posted : null;
  const fail = (errors: Partial<Record<"deadline" | "reason" | "form", string[]>>, status: number) =>
    json<ExtendResult>({ ok: false, assessmentId: rowId, errors }, { status });
  const b = body.safeParse(Object.fromEntries(form));
  if (!b.success) {
    const e = b.error.flatten().fieldErrors;
    return fail({ deadline: e.deadline, reason: e.reason, form: e.assessmentId ? [t.notInCycle] : undefined }, 400);
  }
  const a = getAssessment(b.data.assessmentId);
  // The assessment must belong to this cycle and to a school the admin manages.
  if (!a || a.cycleId !== cycle.id) return fail({ form: [t.notInCycle] }, 404);
  authorize(user, "school.manage", { kind: "school", schoolId: a.schoolId });
  const deadline = parseLocalDate(b.data.deadline)!;
  const r = extendDeadline(a.id, deadline, b.data.reason, user.id);
  if (!r.ok) return fail(r.kind === "reason" ? { reason: [r.message] } : r.kind === "not-later" ? { deadline: [r.message] } : { form: [r.message] }, 409);
  const school = getSchool(a.schoolId);
  return json<ExtendResult>({ ok: true, assessmentId: a.id, deadline, message: t.extendedRow(school?.name ?? "", formatLocalDate(deadline)) });
}

/** An extension changes one row, which shows its own result: the list is not loaded again. */
export const shouldRevalidate: ShouldRevalidateFunction = ({ formMethod, formData, defaultShouldRevalidate }) => {
  if (formMethod?.toUpperCase() === "POST" && formData?.get("intent") === "extend") return false;
  return defaultShouldRevalidate;
};

type Row = ReturnType<typeof useLoaderData<typeof loader>>["list"]["rows"][number];

function ExtendCell({ row, fallback }: { row: Row; fallback: ExtendResult | undefined }) {
  const fetcher = useFetcher<ExtendResult>({ key: `extend-${row.id}` });
  const location = useLocation();
  const formRef = useRef<HTMLFormElement>(null);
  const result = fetcher.data ?? fallback;
  const busy = fetcher.state !== "idle";
  const ok = result?.ok ? result : null;
  const errors = result && !result.ok ? result.errors : undefined;
  useEffect(() => {
    if (fetcher.state === "idle" && fetcher.data?.ok) formRef.current?.reset();
  }, [fetcher.state, fetcher.data]);
  return (
    <>
      {/* Positioned, so that the visually hidden text stays inside the table's scroll box on a phone. */}
      <details open={!!errors || undefined} style={{ position: "relative" }}>
        <summary style={{ whiteSpace: "nowrap", cursor: "pointer" }}>
          {t.extendButton}
          <span className="visually-hidden"> {t.extendFor(row.school)}</span>
        </summary>
        {/* The page's own URL (filters and page kept), so that without JavaScript the post comes back to it. */}
        <fetcher.Form method="post" action={`${location.pathname}${location.search}`} ref={formRef} noValidate style={{ minWidth: "14rem", marginTop: "0.5rem" }}>
          <CsrfInput />
          <input type="hidden" name="intent" value="extend" />
          <input type="hidden" name="assessmentId" value={row.id} />
          <Field label={t.newDeadline} name="deadline" hint="dd/mm/yyyy" inputMode="numeric" autoComplete="off" error={errors?.deadline} required />
          <Field label={t.reason} name="reason" error={errors?.reason} maxLength={1000} required />
          {errors?.form ? (
            <p className="field-error" role="alert">
              {errors.form[0]}
            </p>
          ) : null}
          <button type="submit" className="button" disabled={busy}>
            {busy ? t.extending : t.extendButton}
          </button>
        </fetcher.Form>
      </details>
      <div role="status" aria-live="polite" className="muted" style={{ margin: 0, minWidth: ok ? "12rem" : undefined }}>
        {ok ? ok.message : ""}
      </div>
    </>
  );
}

function CycleRow({ row, self, fallback }: { row: Row; self: string; fallback: ExtendResult | undefined }) {
  const fetcher = useFetcher<ExtendResult>({ key: `extend-${row.id}` });
  const result = fetcher.data ?? fallback;
  const override = result?.ok ? result.deadline : row.override;
  return (
    <tr>
      <td>
        <Link to={`/danh-gia/${row.id}`}>{row.school}</Link> <span className="muted">({row.code})</span>
      </td>
      <td>{row.managingUnit}</td>
      <td className="nowrap">{row.statusLabel}</td>
      <td className="nowrap">
        {formatLocalDate(override ?? self)}
        {override ? <span className="muted"> ({t.extendedBadge})</span> : null}
      </td>
      <td className="num">{row.selfLevel ?? "–"}</td>
      <td>{row.canExtend ? <ExtendCell row={row} fallback={fallback} /> : t.notExtendable}</td>
    </tr>
  );
}

function MissingSchools({ missing, added }: { missing: { total: number; rows: { id: number; code: string; name: string }[] }; added: AddResult | undefined }) {
  if (missing.total === 0 && !added) return null;
  return (
    <section aria-labelledby="cycle-missing">
      <h2 id="cycle-missing">{t.missingHeading}</h2>
      <div role="status" aria-live="polite">
        {added ? <p className={added.ok ? "alert alert--ok" : "alert alert--error"}>{added.message}</p> : null}
      </div>
      {missing.total > 0 ? (
        <>
          <p>{t.missingIntro(missing.total)}</p>
          <form method="post">
            <CsrfInput />
            <input type="hidden" name="intent" value="add-missing" />
            <button type="submit" className="button">
              {t.addAll(missing.total)}
            </button>
          </form>
          <ul>
            {missing.rows.map((s) => (
              <li key={s.id}>
                {s.name} <span className="muted">({s.code})</span>{" "}
                <form method="post" style={{ display: "inline" }}>
                  <CsrfInput />
                  <input type="hidden" name="intent" value="add-school" />
                  <input type="hidden" name="schoolId" value={s.id} />
                  <button type="submit" className="button button--small" aria-label={t.addOneFor(s.name)}>
                    {t.addOne}
                  </button>
                </form>
              </li>
            ))}
          </ul>
          {missing.total > missing.rows.length ? <p className="muted">{t.missingMore(missing.rows.length, missing.total)}</p> : null}
        </>
      ) : null}
    </section>
  );
}

export default function CycleDetail() {
  const { cycle, counts, list, filters, unit, missing } = useLoaderData<typeof loader>();
  // Without JavaScript the extension posts normally: its result is the page's action data.
  const data = useActionData<typeof action>() as ExtendResult | AddResult | undefined;
  const posted = data && !("intent" in data) ? data : undefined;
  const added = data && "intent" in data ? data : undefined;
  const link = (status: AssessmentState | "") => {
    const sp = new URLSearchParams();
    if (filters.q) sp.set("q", filters.q);
    if (filters.unit) sp.set("don-vi", filters.unit);
    if (filters.type) sp.set("loai", filters.type);
    if (filters.pageSize !== "20") sp.set("so-dong", filters.pageSize);
    if (status) sp.set("trang-thai", status);
    const qs = sp.toString();
    return qs ? `?${qs}` : ".";
  };
  return (
    <div>
      <p>
        <Link to="/quan-tri/dot-danh-gia">← {t.title}</Link>
      </p>
      <h1>{t.cycleTitle(cycle.schoolYear, cycle.unit)}</h1>
      <p className="muted">{t.summary(formatLocalDate(cycle.self), counts.total)}</p>
      <section aria-labelledby="cycle-counts">
        <h2 id="cycle-counts">{t.countsHeading}</h2>
        <ul className="actions" style={{ listStyle: "none", padding: 0, display: "flex", flexWrap: "wrap", gap: "0.5rem 1rem" }}>
          <li>
            <Link to={link("")} aria-current={filters.status === "" ? "true" : undefined}>
              {t.countsAll}: <strong>{counts.total}</strong>
            </Link>
          </li>
          {STATES.map((s) => (
            <li key={s}>
              <Link to={link(s)} aria-current={filters.status === s ? "true" : undefined}>
                {STATE_LABELS[s].vi}: <strong>{counts[s]}</strong>
              </Link>
            </li>
          ))}
        </ul>
      </section>
      <MissingSchools missing={missing} added={added} />
      <SearchBox
        label={t.search}
        hint={t.searchHint}
        defaultValue={filters.q}
        filtered={!!(filters.q || filters.status || filters.type || filters.unit || unit.text || filters.pageSize !== "20")}
      >
        <SelectField
          label={t.status}
          name="trang-thai"
          defaultValue={filters.status}
          placeholder={t.all}
          options={STATES.map((s) => ({ value: s, label: STATE_LABELS[s].vi }))}
        />
        <UnitPicker
          key={filters.unit}
          label={t.unitFilter}
          name="don-vi"
          defaultValue={unit.selected}
          defaultText={unit.text}
          error={unit.error}
          emptyLabel={pick(unitPickerUi).emptyAll}
        />
        <SelectField
          label={t.typeFilter}
          name="loai"
          defaultValue={filters.type}
          placeholder={t.all}
          options={SCHOOL_TYPES.map((x) => ({ value: x, label: ta.schoolTypes[x] }))}
        />
        <SelectField label={t.pageSize} name="so-dong" defaultValue={filters.pageSize} options={PAGE_SIZES.map((n) => ({ value: n, label: n }))} />
      </SearchBox>
      {list.rows.length === 0 ? (
        <p className="alert">{t.noRows}</p>
      ) : (
        <div className="table-wrap">
          <table>
            <caption>
              {t.tableCaption(list.total)} <span className="muted">{list.sortedBy === "name" ? ta.common.sortedByName : ta.common.sortedByCode}</span>
            </caption>
            <thead>
              <tr>
                <th scope="col">{t.school}</th>
                <th scope="col">{t.managingUnit}</th>
                <th scope="col">{t.status}</th>
                <th scope="col">{t.deadline}</th>
                <th scope="col" className="num">
                  {t.level}
                </th>
                <th scope="col">{t.extendColumn}</th>
              </tr>
            </thead>
            <tbody>
              {list.rows.map((r) => (
                <CycleRow key={r.id} row={r} self={cycle.self} fallback={posted?.assessmentId === r.id ? posted : undefined} />
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pager page={list.page} pageCount={list.pageCount} total={list.total} />
    </div>
  );
}
