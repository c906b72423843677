import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { z } from "zod";
import { CsrfInput } from "~/components/CsrfInput";
import { SelectField } from "~/components/Field";
import { Pager } from "~/components/Pager";
import { SearchBox } from "~/components/SearchBox";
import { UnitPicker } from "~/components/UnitPicker";
import { STATES, STATE_LABELS } from "~/domain/assessment-states";
import { SCHOOL_TYPES } from "~/domain/roles";
import { pick } from "~/i18n";
import { admin } from "~/i18n/admin";
import { reviewsUi } from "~/i18n/reviews";
import { unitPickerUi } from "~/i18n/unit-picker";
import { assertCsrf } from "~/server/auth/csrf.server";
import { requireUser } from "~/server/auth/session.server";
import { readForm } from "~/server/forms.server";
import { can, canArea } from "~/server/policy.server";
import { assessmentsByIds } from "~/server/services/assessments.server";
import { assessmentsVisibleToYielding, assignedCount, openCycleSummaries } from "~/server/services/cycles-view.server";
import { assign, keepSelf, reviewersOfUnit } from "~/server/services/review.server";
import { resolveUnitParam } from "~/server/services/unit-search.server";
import { yieldToRequests } from "~/server/http/yield.server";
import { formatDateTime, formatLocalDate } from "~/utils/time";

const t = pick(reviewsUi);
const ta = pick(admin);

export const meta: MetaFunction = () => [{ title: `${t.title} — CĐS 4725` }];

const blank = (v: unknown) => (v === "" ? undefined : v);
const UNASSIGNED = "chua-phan-cong";
const MAX_ASSIGN = 500;

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  // School users have their own list; offices and system admins see what the policy's school scope allows.
  if (!canArea(user, "assessment.list")) throw redirect("/danh-gia");
  const url = new URL(request.url);
  const query = z
    .object({
      q: z.string().max(100).optional(),
      "trang-thai": z.preprocess(blank, z.enum(STATES).optional()),
      "qua-han": z.preprocess(blank, z.literal("1").optional()),
      loai: z.preprocess(blank, z.enum(SCHOOL_TYPES).optional()),
      "don-vi": z.preprocess(blank, z.string().regex(/^[1-9][0-9]{0,9}$/).transform(Number).pipe(z.number().max(2_147_483_647)).optional()),
      "don-vi__ma": z.string().max(100).optional(),
      // A reviewer's user id, or the files no one is assigned to.
      "can-bo": z.preprocess(blank, z.string().regex(new RegExp(`^(${UNASSIGNED}|[1-9][0-9]{0,9})$`)).optional()),
      page: z.coerce.number().int().min(1).max(100_000).optional(),
    })
    .safeParse(Object.fromEntries(url.searchParams));
  if (!query.success) throw json({ error: t.badFilter }, { status: 400 });
  // The open cycles' summary heads the unfiltered inbox; a filtered view (or a later page) shows the list it asked for.
  const d = query.data;
  // A sub-unit the user may not read is refused like the cycle page's; ?don-vi__ma=<code> works without JavaScript.
  if (d["don-vi"] != null && !can(user, "unit.read", { kind: "unit", unitId: d["don-vi"] })) throw json({ error: t.badFilter }, { status: 400 });
  const unit = resolveUnitParam(url, "don-vi", d["don-vi"], user);
  const reviewer = d["can-bo"];
  const filtered = !!(d.q || d["trang-thai"] || d["qua-han"] || d.loai || reviewer || unit.id != null || unit.text || (d.page ?? 1) > 1);
  // The open cycles' summary, then the list, then the render: the saves that arrive meanwhile go in between.
  const cycles = filtered ? [] : openCycleSummaries(user);
  await yieldToRequests();
  const list = await assessmentsVisibleToYielding(user, {
    q: d.q,
    status: d["trang-thai"],
    overdue: d["qua-han"] === "1",
    type: d.loai,
    unitId: unit.id,
    reviewerId: reviewer === undefined ? undefined : reviewer === UNASSIGNED ? null : Number(reviewer),
    page: d.page,
  }, yieldToRequests);
  // Who may assign is the policy's call, row by row (the reviewing office's admin).
  const rows = list.rows.map(({ schoolId, managingUnitId, reviewingUnitId, ...r }) => {
    const resource = { kind: "school" as const, schoolId, managingUnitId, reviewingUnitId };
    return {
      ...r,
      assignable: can(user, "assessment.assign", resource),
      // "Giữ nguyên kết quả tự đánh giá": an approved file whose external assessment the user runs.
      keepable: r.status === "approved" && can(user, "assessment.external", resource),
    };
  });
  const reviewers = user.unitId != null ? reviewersOfUnit(user.unitId) : [];
  await yieldToRequests();
  return json({
    cycles,
    list: { ...list, rows },
    unit: { id: unit.id ?? null, selected: unit.selected, text: unit.text, error: unit.error },
    reviewers,
    canAssign: rows.some((r) => r.assignable),
    canKeep: rows.some((r) => r.keepable),
    mine: user.roles.includes("office_reviewer") ? { id: user.id, count: assignedCount(user, user.id) } : null,
  });
}

type ActionData = { ok: boolean; message: string; done?: number[]; skipped?: { id: number; message: string }[] };

const ids = z.array(z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER)).max(MAX_ASSIGN);
const selectionForm = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("assign"), ids, reviewerId: z.preprocess(blank, z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER).optional()) }),
  z.object({ intent: z.literal("keep"), ids, confirm: z.literal("1").optional() }),
]);

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  if (!canArea(user, "assessment.list")) throw redirect("/danh-gia");
  const form = await readForm(request);
  await assertCsrf(request, form);
  const p = selectionForm.safeParse({
    intent: form.get("intent"),
    ids: form.getAll("ids").filter((v): v is string => typeof v === "string"),
    reviewerId: form.get("reviewerId") ?? undefined,
    confirm: form.get("confirm") ?? undefined,
  });
  if (!p.success) return json<ActionData>({ ok: false, message: t.assignBad }, { status: 400 });
  const d = p.data;
  const ids = [...new Set(d.ids)];
  if (!ids.length) return json<ActionData>({ ok: false, message: t.assignNothing }, { status: 422 });
  if (d.intent === "keep" && d.confirm !== "1") return json<ActionData>({ ok: false, message: t.keepConfirmNeeded }, { status: 422 });
  // Only the files whose school the policy lets the user act on; the others are listed as skipped.
  const area = d.intent === "assign" ? "assessment.assign" : "assessment.external";
  const found = new Map(assessmentsByIds(ids).map((a) => [a.id, a.schoolId]));
  const allowed: number[] = [];
  const refused: { id: number; message: string }[] = [];
  for (const id of ids) {
    const schoolId = found.get(id);
    if (schoolId != null && can(user, area, { kind: "school", schoolId })) allowed.push(id);
    else refused.push({ id, message: d.intent === "assign" ? t.assignRefused(id) : t.keepRefused(id) });
  }
  const reviewerId = d.intent === "assign" ? (d.reviewerId ?? null) : null;
  const r = !allowed.length ? { done: [], skipped: [] } : d.intent === "assign" ? assign(allowed, reviewerId, user.id) : keepSelf(allowed, user.id);
  const skipped = [...r.skipped, ...refused];
  // Nothing done: 403 when the policy refused a file, 409 when the files' state or the reviewer did.
  const status = r.done.length > 0 || skipped.length === 0 ? 200 : refused.length ? 403 : 409;
  const message = d.intent === "assign" ? t.assignDone(r.done.length, reviewerId == null) : t.keepDone(r.done.length);
  return json<ActionData>({ ok: status === 200, message, done: r.done, skipped }, { status });
}

const ASSIGN_FORM = "assign-form";

export default function Reviews() {
  const { list, cycles, reviewers, canAssign, canKeep, mine, unit } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as ActionData | undefined;
  const busy = useNavigation().state === "submitting";
  const [sp] = useSearchParams();
  const filterLink = (params: Record<string, string>) => `/ho-so?${new URLSearchParams(params).toString()}`;
  const selectable = canAssign || canKeep;
  const columns = selectable ? 8 : 7;
  return (
    <div>
      <h1>{t.title}</h1>
      <p className="muted">{t.intro}</p>
      {mine ? (
        <p>
          <Link to={filterLink({ "can-bo": String(mine.id) })} aria-current={sp.get("can-bo") === String(mine.id) ? "page" : undefined}>
            {t.mine(mine.count)}
          </Link>
        </p>
      ) : null}
      {cycles.length ? (
        <section aria-labelledby="open-cycles">
          <h2 id="open-cycles">{t.openCycles}</h2>
          {cycles.map((c) => (
            <div key={c.cycleId} className="card">
              <h3>{t.cycleHeading(c.schoolYear, c.unit)}</h3>
              <p>
                {t.reviewDeadline(formatLocalDate(c.reviewDeadline), c.daysLeft)} <span className="muted">{t.selfDeadline(formatLocalDate(c.selfDeadline))}</span>
              </p>
              <ul aria-label={t.countsLabel(c.schoolYear)} style={{ listStyle: "none", padding: 0, display: "flex", flexWrap: "wrap", gap: "0.25rem 1rem" }}>
                {STATES.map((s) => (
                  <li key={s}>
                    <Link to={filterLink({ "trang-thai": s })}>
                      {STATE_LABELS[s].vi}: <strong>{c.counts[s]}</strong>
                    </Link>
                  </li>
                ))}
              </ul>
              <p>{c.overdue > 0 ? <Link to={filterLink({ "qua-han": "1" })}>{t.overdueCount(c.overdue)}</Link> : t.noneOverdue}</p>
            </div>
          ))}
        </section>
      ) : null}
      <SearchBox
        label={t.search}
        defaultValue={sp.get("q") ?? ""}
        filtered={!!(sp.get("q") || sp.get("trang-thai") || sp.get("qua-han") || sp.get("loai") || sp.get("can-bo") || unit.id != null || unit.text)}
      >
        <SelectField
          label={t.status}
          name="trang-thai"
          defaultValue={sp.get("trang-thai") ?? ""}
          placeholder={t.all}
          options={STATES.map((s) => ({ value: s, label: STATE_LABELS[s].vi }))}
        />
        <UnitPicker
          key={unit.id ?? ""}
          label={t.unitFilter}
          name="don-vi"
          defaultValue={unit.selected}
          defaultText={unit.text}
          error={unit.error}
          emptyLabel={pick(unitPickerUi).emptyAll}
        />
        <SelectField label={t.schoolType} name="loai" defaultValue={sp.get("loai") ?? ""} placeholder={t.all} options={SCHOOL_TYPES.map((v) => ({ value: v, label: ta.schoolTypes[v] }))} />
        <SelectField
          label={t.assignedReviewer}
          name="can-bo"
          defaultValue={sp.get("can-bo") ?? ""}
          placeholder={t.all}
          options={[{ value: UNASSIGNED, label: t.unassigned }, ...reviewers.map((r) => ({ value: String(r.id), label: r.name }))]}
        />
        <div className="field checkbox">
          <input id="qua-han" type="checkbox" name="qua-han" value="1" defaultChecked={sp.get("qua-han") === "1"} />
          <label htmlFor="qua-han">{t.overdueOnly}</label>
        </div>
      </SearchBox>
      {result ? (
        <div className={`alert ${result.ok ? "alert--ok" : "alert--error"}`} role={result.ok ? "status" : "alert"}>
          <p>{result.message}</p>
          {result.skipped?.length ? (
            <>
              <p>{t.assignSkipped(result.skipped.length)}</p>
              <ul>
                {result.skipped.map((x) => (
                  <li key={x.id}>{x.message}</li>
                ))}
              </ul>
            </>
          ) : null}
        </div>
      ) : null}
      {selectable ? (
        <Form method="post" id={ASSIGN_FORM} className="card form" aria-labelledby="selection-heading">
          <h2 id="selection-heading">{canAssign ? t.assignHeading : t.keepHeading}</h2>
          <p className="muted">{t.selectionHint}</p>
          <CsrfInput />
          {canAssign ? (
            <fieldset>
              <legend>{t.assignHeading}</legend>
              <SelectField label={t.assignTo} name="reviewerId" defaultValue="" options={[{ value: "", label: t.assignNone }, ...reviewers.map((r) => ({ value: String(r.id), label: r.name }))]} />
              <button type="submit" name="intent" value="assign" className="button" disabled={busy}>
                {t.assignButton}
              </button>
            </fieldset>
          ) : null}
          {canKeep ? (
            <fieldset>
              <legend>{t.keepHeading}</legend>
              <p className="muted">{t.keepHint}</p>
              <div className="field checkbox">
                <input id="keep-confirm" type="checkbox" name="confirm" value="1" />
                <label htmlFor="keep-confirm">{t.keepConfirm}</label>
              </div>
              <button type="submit" name="intent" value="keep" className="button button--secondary" disabled={busy}>
                {t.keepButton}
              </button>
            </fieldset>
          ) : null}
        </Form>
      ) : null}
      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              {selectable ? (
                <th scope="col">
                  <span className="visually-hidden">{t.selectColumn}</span>
                </th>
              ) : null}
              <th scope="col">{t.school}</th>
              <th scope="col">{t.year}</th>
              <th scope="col">{t.status}</th>
              <th scope="col" className="num">
                {t.level}
              </th>
              <th scope="col">{t.submittedAt}</th>
              <th scope="col">{t.reviewer}</th>
              <th scope="col">{t.assignedReviewer}</th>
            </tr>
          </thead>
          <tbody>
            {list.rows.length === 0 ? (
              <tr>
                <td colSpan={columns}>{t.none}</td>
              </tr>
            ) : null}
            {list.rows.map((r) => (
              <tr key={r.id}>
                {selectable ? (
                  <td>
                    {r.assignable || r.keepable ? (
                      <>
                        <input id={`chon-${r.id}`} type="checkbox" name="ids" value={r.id} form={ASSIGN_FORM} />
                        <label htmlFor={`chon-${r.id}`} className="visually-hidden">
                          {t.selectRow(r.school)}
                        </label>
                      </>
                    ) : null}
                  </td>
                ) : null}
                <td>
                  <Link to={`/danh-gia/${r.id}`}>{r.school}</Link> <span className="muted">({r.code})</span>
                </td>
                <td className="nowrap">{r.schoolYear}</td>
                <td className="nowrap">
                  {r.statusLabel}
                  {r.overdue ? <span className="badge"> {r.overdueDays ? t.overdueDays(r.overdueDays) : t.overdueBadge}</span> : null}
                </td>
                <td className="num">{r.selfLevel ?? "–"}</td>
                <td>{r.submittedAt ? formatDateTime(r.submittedAt) : "–"}</td>
                <td>{r.reviewingUnit}</td>
                <td>{r.reviewerName ?? <span className="muted">{t.unassigned}</span>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <Pager page={list.page} pageCount={list.pageCount} total={list.total} />
    </div>
  );
}
