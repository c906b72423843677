import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { Pager } from "~/components/Pager";
import { SearchBox } from "~/components/SearchBox";
import { pick } from "~/i18n";
import { admin } from "~/i18n/admin";
import { requireUser } from "~/server/auth/session.server";
import { authorizeArea, canCreateUnitUnder } from "~/server/policy.server";
import { listUnits } from "~/server/services/org.server";
import { listQuerySchema, parseQuery } from "~/server/validate.server";

const t = pick(admin);

export const meta: MetaFunction = () => [{ title: `${t.units.title} — CĐS 4725` }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  authorizeArea(user, "unit.create");
  const query = parseQuery(request, listQuerySchema);
  // The "Thêm đơn vị" button asks what the create page asks: a unit under the user's own one (or a root).
  const canCreate = canCreateUnitUnder(user, user.unitId ?? null);
  return json({ list: listUnits(user, { q: query.q, page: query.page }), q: query.q ?? "", canCreate });
}

export default function UnitsList() {
  const { list, q, canCreate } = useLoaderData<typeof loader>();
  return (
    <section aria-labelledby="units-title">
      <div className="actions">
        <h1 id="units-title">{t.units.title}</h1>
      </div>
      <p className="muted">{t.units.intro}</p>
      {canCreate ? (
        <p className="actions">
          <Link className="button" to="/quan-tri/don-vi/moi">
            {t.units.create}
          </Link>
        </p>
      ) : null}
      <SearchBox label={t.units.searchLabel} hint={t.units.searchHint} defaultValue={q} filtered={!!q} />
      {list.rows.length === 0 ? (
        <p className="alert">{t.common.noResults}</p>
      ) : (
        <div className="table-wrap">
          <table>
            <caption>
              {t.units.tableCaption} — {t.common.results(list.total)}. <span className="muted">{list.sortedBy === "name" ? t.common.sortedByName : t.common.sortedByCode}</span>
            </caption>
            <thead>
              <tr>
                <th scope="col">{t.units.code}</th>
                <th scope="col">{t.units.name}</th>
                <th scope="col">{t.units.kind}</th>
                <th scope="col">{t.units.parent}</th>
                <th scope="col">{t.common.actions}</th>
              </tr>
            </thead>
            <tbody>
              {list.rows.map((u) => (
                <tr key={u.id}>
                  <td>{u.code}</td>
                  <td>{u.name}</td>
                  <td>{t.unitKinds[u.kind]}</td>
                  <td>{u.parentName ?? t.common.none}</td>
                  <td>
                    {u.canManage ? (
                      <Link to={`/quan-tri/don-vi/${u.id}`} aria-label={`${t.common.edit} ${u.name}`}>
                        {t.common.edit}
                      </Link>
                    ) : (
                      t.common.none
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pager page={list.page} pageCount={list.pageCount} total={list.total} />
    </section>
  );
}
