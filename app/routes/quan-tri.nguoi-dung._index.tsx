import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { Pager } from "~/components/Pager";
import { SearchBox } from "~/components/SearchBox";
import { pick } from "~/i18n";
import { admin } from "~/i18n/admin";
import { requireUser } from "~/server/auth/session.server";
import { authorizeArea, canArea, canManageUser } from "~/server/policy.server";
import { listUsers } from "~/server/services/org.server";
import { listQuerySchema, parseQuery } from "~/server/validate.server";
import { auth } from "~/i18n/auth";
import { formatDateTime } from "~/utils/time";

const t = pick(admin);
const ta = pick(auth).account;

export const meta: MetaFunction = () => [{ title: `${t.users.title} — CĐS 4725` }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  authorizeArea(user, "user.manage");
  const query = parseQuery(request, listQuerySchema);
  const list = listUsers(user, { q: query.q, page: query.page }, (target) => canManageUser(user, target));
  return json({ list, q: query.q ?? "", canCreate: canArea(user, "user.manage") });
}

export default function UsersList() {
  const { list, q, canCreate } = useLoaderData<typeof loader>();
  return (
    <section aria-labelledby="users-title">
      <h1 id="users-title">{t.users.title}</h1>
      <p className="muted">{t.users.intro}</p>
      {canCreate ? (
        <p className="actions">
          <Link className="button" to="/quan-tri/nguoi-dung/moi">
            {t.users.create}
          </Link>
        </p>
      ) : null}
      <SearchBox label={t.users.searchLabel} hint={t.users.searchHint} defaultValue={q} filtered={!!q} />
      {list.rows.length === 0 ? (
        <p className="alert">{t.common.noResults}</p>
      ) : (
        <div className="table-wrap">
          <table>
            <caption>
              {t.users.tableCaption} — {t.common.results(list.total)}.{" "}
              <span className="muted">{list.sortedBy === "name" ? t.common.sortedByName : t.common.sortedByCode}</span>
            </caption>
            <thead>
              <tr>
                <th scope="col">{t.users.username}</th>
                <th scope="col">{t.users.displayName}</th>
                <th scope="col">{t.users.roles}</th>
                <th scope="col">{t.users.scope}</th>
                <th scope="col">{t.common.status}</th>
                <th scope="col">{t.users.lastLogin}</th>
              </tr>
            </thead>
            <tbody>
              {list.rows.map((u) => (
                <tr key={u.id}>
                  <td>{u.canManage ? <Link to={`/quan-tri/nguoi-dung/${u.id}`}>{u.username}</Link> : u.username}</td>
                  <td>{u.displayName}</td>
                  <td>{u.roles.map((r) => t.roles[r]).join(", ")}</td>
                  <td>{u.schoolName ? `${u.schoolCode} — ${u.schoolName}` : (u.unitName ?? t.common.none)}</td>
                  <td>
                    {u.active ? t.common.active : t.common.inactive}
                    {u.mustChangePassword ? <span className="muted"> · {ta.mustChangeBadge}</span> : null}
                  </td>
                  <td>{u.lastLoginAt ? formatDateTime(u.lastLoginAt) : t.users.never}</td>
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
