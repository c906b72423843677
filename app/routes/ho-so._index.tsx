import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { z } from "zod";
import { SelectField } from "~/components/Field";
import { Pager } from "~/components/Pager";
import { SearchBox } from "~/components/SearchBox";
import { STATES, STATE_LABELS } from "~/domain/assessment-states";
import { pick } from "~/i18n";
import { reviewsUi } from "~/i18n/reviews";
import { requireUser } from "~/server/auth/session.server";
import { canArea } from "~/server/policy.server";
import { assessmentsVisibleTo, openCycleSummaries } from "~/server/services/cycles-view.server";
import { formatDateTime, formatLocalDate } from "~/utils/time";

const t = pick(reviewsUi);

export const meta: MetaFunction = () => [{ title: `${t.title} — CĐS 4725` }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  // School users have their own list; offices and system admins see what the policy's school scope allows.
  if (!canArea(user, "assessment.list")) throw redirect("/danh-gia");
  const query = z
    .object({
      q: z.string().max(100).optional(),
      "trang-thai": z.preprocess((v) => (v === "" ? undefined : v), z.enum(STATES).optional()),
      "qua-han": z.preprocess((v) => (v === "" ? undefined : v), z.literal("1").optional()),
      page: z.coerce.number().int().min(1).max(100_000).optional(),
    })
    .safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!query.success) throw json({ error: "Bộ lọc không hợp lệ." }, { status: 400 });
  // The open cycles' summary heads the unfiltered inbox; a filtered view (or a later page) shows the list it asked for.
  const d = query.data;
  const filtered = !!(d.q || d["trang-thai"] || d["qua-han"] || (d.page ?? 1) > 1);
  return json({
    cycles: filtered ? [] : openCycleSummaries(user),
    list: assessmentsVisibleTo(user, { q: query.data.q, status: query.data["trang-thai"], overdue: query.data["qua-han"] === "1", page: query.data.page }),
  });
}

export default function Reviews() {
  const { list, cycles } = useLoaderData<typeof loader>();
  const [sp] = useSearchParams();
  const filterLink = (params: Record<string, string>) => `/ho-so?${new URLSearchParams(params).toString()}`;
  return (
    <div>
      <h1>{t.title}</h1>
      <p className="muted">{t.intro}</p>
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
      <SearchBox label={t.search} defaultValue={sp.get("q") ?? ""} filtered={!!(sp.get("q") || sp.get("trang-thai") || sp.get("qua-han"))}>
        <SelectField
          label={t.status}
          name="trang-thai"
          defaultValue={sp.get("trang-thai") ?? ""}
          placeholder={t.all}
          options={STATES.map((s) => ({ value: s, label: STATE_LABELS[s].vi }))}
        />
        <div className="field checkbox">
          <input id="qua-han" type="checkbox" name="qua-han" value="1" defaultChecked={sp.get("qua-han") === "1"} />
          <label htmlFor="qua-han">{t.overdueOnly}</label>
        </div>
      </SearchBox>
      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">{t.school}</th>
              <th scope="col">{t.year}</th>
              <th scope="col">{t.status}</th>
              <th scope="col" className="num">
                {t.level}
              </th>
              <th scope="col">{t.submittedAt}</th>
              <th scope="col">{t.reviewer}</th>
            </tr>
          </thead>
          <tbody>
            {list.rows.length === 0 ? (
              <tr>
                <td colSpan={6}>{t.none}</td>
              </tr>
            ) : null}
            {list.rows.map((r) => (
              <tr key={r.id}>
                <td>
                  <Link to={`/danh-gia/${r.id}`}>{r.school}</Link> <span className="muted">({r.code})</span>
                </td>
                <td className="nowrap">{r.schoolYear}</td>
                <td className="nowrap">
                  {r.statusLabel}
                  {r.overdue ? <span className="badge"> {t.overdueBadge}</span> : null}
                </td>
                <td className="num">{r.selfLevel ?? "–"}</td>
                <td>{r.submittedAt ? formatDateTime(r.submittedAt) : "–"}</td>
                <td>{r.reviewingUnit}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <Pager page={list.page} pageCount={list.pageCount} total={list.total} />
    </div>
  );
}
