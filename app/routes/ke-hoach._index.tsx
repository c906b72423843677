/**
 * /ke-hoach — the office's summary of its schools' action plans (kế hoạch cải thiện): for the
 * office's scope (schoolScope: the schools its subtree manages or reviews; the system admin:
 * every school), one school year at a time (?nam=, default the newest with a plan), per item the
 * number of schools with an action on it in the status filter (?trangThai= open (default), todo,
 * doing, done, all), and the overdue actions (due date passed, not done) with the schools' names,
 * paged (?page=). Office roles and the system admin (the assessment list's area); others 403.
 * Malformed query values: 400.
 */
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { SelectField } from "~/components/Field";
import { Pager } from "~/components/Pager";
import { SUMMARY_FILTERS } from "~/domain/action-plan";
import { pick } from "~/i18n";
import { actionPlan } from "~/i18n/action-plan";
import { requireUser } from "~/server/auth/session.server";
import { authorizeArea } from "~/server/policy.server";
import { planSummary } from "~/server/services/action-plan.server";
import { formatLocalDate } from "~/utils/time";

const t = pick(actionPlan);
const s = t.summary;

export const meta: MetaFunction = () => [{ title: `${s.title} — CĐS 4725` }];

const querySchema = z.object({
  nam: z
    .string()
    .regex(/^\d{4}-\d{4}$/)
    .optional(),
  trangThai: z.enum(SUMMARY_FILTERS).optional(),
  page: z
    .string()
    .regex(/^[1-9]\d{0,5}$/)
    .transform(Number)
    .optional(),
});

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  authorizeArea(user, "assessment.list");
  const sp = new URL(request.url).searchParams;
  const raw = Object.fromEntries([...sp.entries()].filter(([k, v]) => ["nam", "trangThai", "page"].includes(k) && v !== ""));
  const q = querySchema.safeParse(raw);
  if (!q.success) throw json({ error: s.badQuery }, { status: 400 });
  const summary = planSummary(user, { schoolYear: q.data.nam, status: q.data.trangThai, page: q.data.page });
  return json({ summary });
}

export default function PlanSummaryPage() {
  const { summary } = useLoaderData<typeof loader>();
  const { items, overdue } = summary;
  return (
    <div>
      <h1>{s.title}</h1>
      <p className="muted">{s.intro}</p>
      {summary.schoolYear == null ? (
        <p>{s.noYear}</p>
      ) : (
        <>
          <Form method="get" className="filters" aria-label={s.filter}>
            <SelectField label={s.year} name="nam" defaultValue={summary.schoolYear} options={summary.years.map((y) => ({ value: y, label: y }))} />
            <SelectField label={s.filter} name="trangThai" defaultValue={summary.status} options={SUMMARY_FILTERS.map((f) => ({ value: f, label: s.filters[f] }))} />
            <button type="submit" className="button">
              {s.apply}
            </button>
          </Form>
          <p>{s.schoolsTotal(summary.schoolsWithPlan)}</p>
          <section aria-labelledby="plan-items">
            <h2 id="plan-items">{s.itemsHeading}</h2>
            {items.length === 0 ? (
              <p className="muted">{s.itemsNone}</p>
            ) : (
              <div className="table-wrap">
                <table data-testid="plan-items">
                  <thead>
                    <tr>
                      <th scope="col">{s.itemCols.item}</th>
                      <th scope="col">{s.itemCols.title}</th>
                      <th scope="col">{s.itemCols.schools}</th>
                      <th scope="col">{s.itemCols.actions}</th>
                      <th scope="col">{s.itemCols.overdue}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {items.map((r) => (
                      <tr key={r.itemCode ?? "-"}>
                        <td>{r.itemCode ?? "—"}</td>
                        <td>{r.title}</td>
                        <td>{r.schools}</td>
                        <td>{r.actions}</td>
                        <td>{r.overdue}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </section>
          <section aria-labelledby="plan-overdue">
            <h2 id="plan-overdue">{s.overdueHeading}</h2>
            {summary.status === "done" ? <p className="muted">{s.overdueDone}</p> : null}
            {overdue.total === 0 ? (
              <p className="muted">{s.overdueNone}</p>
            ) : (
              <>
                <div className="table-wrap">
                  <table data-testid="plan-overdue">
                    <thead>
                      <tr>
                        <th scope="col">{s.overdueCols.school}</th>
                        <th scope="col">{s.overdueCols.item}</th>
                        <th scope="col">{s.overdueCols.title}</th>
                        <th scope="col">{s.overdueCols.owner}</th>
                        <th scope="col">{s.overdueCols.due}</th>
                        <th scope="col">{s.overdueCols.days}</th>
                        <th scope="col">{s.overdueCols.status}</th>
                      </tr>
                    </thead>
                    <tbody>
                      {overdue.rows.map((r) => (
                        <tr key={r.id}>
                          <td>
                            <Link to={`/danh-gia/${r.assessmentId}/ke-hoach#hd-${r.id}`}>{r.school}</Link>
                          </td>
                          <td>{r.itemCode ?? "—"}</td>
                          <td>{r.title}</td>
                          <td>{r.owner ?? "—"}</td>
                          <td>{formatLocalDate(r.dueDate)}</td>
                          <td>{s.days(r.daysLate)}</td>
                          <td>{r.statusLabel}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
                <Pager page={overdue.page} pageCount={overdue.pageCount} total={overdue.total} />
              </>
            )}
          </section>
        </>
      )}
    </div>
  );
}
