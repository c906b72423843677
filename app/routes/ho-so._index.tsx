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
import { assessmentsVisibleTo } from "~/server/services/cycles-view.server";
import { formatDateTime } from "~/utils/time";

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
      page: z.coerce.number().int().min(1).max(100_000).optional(),
    })
    .safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!query.success) throw json({ error: "Bộ lọc không hợp lệ." }, { status: 400 });
  return json({ list: assessmentsVisibleTo(user, { q: query.data.q, status: query.data["trang-thai"], page: query.data.page }) });
}

export default function Reviews() {
  const { list } = useLoaderData<typeof loader>();
  const [sp] = useSearchParams();
  return (
    <div>
      <h1>{t.title}</h1>
      <p className="muted">{t.intro}</p>
      <SearchBox label={t.search} defaultValue={sp.get("q") ?? ""} filtered={!!(sp.get("q") || sp.get("trang-thai"))}>
        <SelectField
          label={t.status}
          name="trang-thai"
          defaultValue={sp.get("trang-thai") ?? ""}
          placeholder={t.all}
          options={STATES.map((s) => ({ value: s, label: STATE_LABELS[s].vi }))}
        />
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
                <td className="nowrap">{r.statusLabel}</td>
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
