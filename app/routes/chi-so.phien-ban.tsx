import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { SelectField } from "~/components/Field";
import { pick } from "~/i18n";
import { catalogueUi } from "~/i18n/catalogue";
import { getUser } from "~/server/auth/session.server";
import { authorize, SYSTEM } from "~/server/policy.server";
import { visibleEditions } from "~/server/services/catalogue-view.server";
import { formatDate } from "~/utils/time";

const t = pick(catalogueUi).editions;

export const meta: MetaFunction = () => [{ title: `${t.title} — CĐS 4725` }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await getUser(request);
  authorize(user, "catalogue.read", SYSTEM); // public: the policy answers yes to anyone, signed in or not
  return json({ editions: visibleEditions(user) });
}

export default function Editions() {
  const { editions } = useLoaderData<typeof loader>();
  const options = editions.map((e) => ({ value: e.id, label: `${e.id} — ${e.title}` }));
  return (
    <div>
      <h1>{t.title}</h1>
      <p className="muted">{t.intro}</p>
      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">{t.id}</th>
              <th scope="col">{t.name}</th>
              <th scope="col">{t.status}</th>
              <th scope="col">{pick(catalogueUi).publishedOn}</th>
            </tr>
          </thead>
          <tbody>
            {editions.map((e) => (
              <tr key={e.id}>
                <td>
                  <Link to={`/chi-so?phien-ban=${encodeURIComponent(e.id)}`}>{e.id}</Link>
                </td>
                <td>{e.title}</td>
                <td>{e.status === "published" ? t.published : t.draft}</td>
                <td>{e.publishedAt ? formatDate(e.publishedAt) : "–"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {editions.length >= 2 ? (
        <section className="card" aria-labelledby="compare">
          <h2 id="compare">{t.compare}</h2>
          <Form method="get" action="/chi-so/so-sanh" className="toolbar">
            <SelectField label={t.from} name="tu" options={options} defaultValue={editions[1]?.id} />
            <SelectField label={t.to} name="den" options={options} defaultValue={editions[0]?.id} />
            <button type="submit" className="button">
              {t.compareButton}
            </button>
          </Form>
        </section>
      ) : null}
    </div>
  );
}
