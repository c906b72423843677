/**
 * /cong-bo — the offices that have published results, with their published school years (each a
 * link to its page) and how many schools each shows. No login; the same for everyone (cached
 * publicly for anonymous visitors, as the year pages).
 */
import type { HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { pick } from "~/i18n";
import { publication as strings } from "~/i18n/publication";
import { getUser } from "~/server/auth/session.server";
import { activePublications } from "~/server/services/publication.server";
import { formatDate } from "~/utils/time";

const t = pick(strings);
const PUBLIC_CACHE = "public, max-age=60";
const PRIVATE_CACHE = "private, no-cache";

export const headers: HeadersFunction = ({ loaderHeaders, parentHeaders }) => ({
  "Cache-Control": parentHeaders.has("Set-Cookie") ? PRIVATE_CACHE : (loaderHeaders.get("Cache-Control") ?? PRIVATE_CACHE),
  Vary: "Cookie",
});

export const meta: MetaFunction = () => [{ title: `${t.title} — CĐS 4725` }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await getUser(request);
  const units: { code: string; name: string; years: { schoolYear: string; publishedAt: string; schools: number }[] }[] = [];
  for (const p of activePublications()) {
    let u = units.find((x) => x.code === p.unitCode);
    if (!u) units.push((u = { code: p.unitCode, name: p.unitName, years: [] }));
    u.years.push({ schoolYear: p.schoolYear, publishedAt: p.publishedAt, schools: p.schools });
  }
  return json({ units }, { headers: { "Cache-Control": user ? PRIVATE_CACHE : PUBLIC_CACHE } });
}

export default function PublicationIndex() {
  const { units } = useLoaderData<typeof loader>();
  return (
    <article aria-labelledby="pub-title">
      <h1 id="pub-title">{t.title}</h1>
      <p className="muted">{t.intro}</p>
      <h2>{t.listHeading}</h2>
      {units.length === 0 ? <p>{t.none}</p> : null}
      {units.map((u) => (
        <section key={u.code} className="card" aria-labelledby={`unit-${u.code}`} data-unit={u.code}>
          <h3 id={`unit-${u.code}`}>{u.name}</h3>
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">{t.cols.year}</th>
                  <th scope="col">{t.cols.publishedAt}</th>
                  <th scope="col" className="num">
                    {t.cols.schools}
                  </th>
                </tr>
              </thead>
              <tbody>
                {u.years.map((y) => (
                  <tr key={y.schoolYear}>
                    <td>
                      <Link to={`/cong-bo/${encodeURIComponent(u.code)}/${y.schoolYear}`}>{y.schoolYear}</Link>
                    </td>
                    <td>{formatDate(y.publishedAt)}</td>
                    <td className="num">{y.schools}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      ))}
    </article>
  );
}
