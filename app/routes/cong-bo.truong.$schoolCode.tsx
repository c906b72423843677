/**
 * /cong-bo/truong/:schoolCode — a school's published results over the years: its recognised level
 * (and group points) in each school year an active publication covers, with a link to the
 * certificate's verification page and to the year's publication page. No login. Years not
 * published never appear (each is asked of the policy: results.read on a published result).
 * An unknown school code, and a school with nothing published, get the same 404 page with a link
 * back to /cong-bo (so the page does not tell which schools exist).
 */
import { PublicErrorPage } from "~/components/PublicErrorPage";
import type { HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { formatHundredthsVi } from "~/domain/stats";
import { pick } from "~/i18n";
import { publication as strings } from "~/i18n/publication";
import { getUser } from "~/server/auth/session.server";
import { can } from "~/server/policy.server";
import { isPublished, schoolHistory } from "~/server/services/publication.server";

const t = pick(strings);
const PUBLIC_CACHE = "public, max-age=60";
const PRIVATE_CACHE = "private, no-cache";

export const headers: HeadersFunction = ({ loaderHeaders, errorHeaders, parentHeaders }) => ({
  "Cache-Control": parentHeaders.has("Set-Cookie") ? PRIVATE_CACHE : ((errorHeaders ?? loaderHeaders).get("Cache-Control") ?? PRIVATE_CACHE),
  Vary: "Cookie",
});

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${t.school.title(data.school.name)} — CĐS 4725` : `${t.notFoundTitle} — CĐS 4725` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await getUser(request);
  const cache = { "Cache-Control": user ? PRIVATE_CACHE : PUBLIC_CACHE };
  const h = schoolHistory(params.schoolCode ?? "");
  // Only published years come back; each is still asked of the policy as anyone would (user null).
  const years = h ? h.years.filter((y) => can(null, "results.read", { kind: "result", schoolId: h.schoolId, published: isPublished(h.schoolId, y.schoolYear) })) : [];
  // A school with nothing published answers like an unknown code: the page never tells which schools exist.
  if (!h || years.length === 0) throw json({ error: t.notFoundSchool }, { status: 404, headers: cache });
  return json({ school: h.school, years }, { headers: cache });
}

const pts = (g: { points: number; level: number | null } | undefined) => (g ? t.points(formatHundredthsVi(Math.round(g.points * 100)), g.level) : "–");

export default function SchoolPublished() {
  const { school, years } = useLoaderData<typeof loader>();
  return (
    <article aria-labelledby="school-title" style={{ maxWidth: "56rem" }}>
      <p>
        <Link to="/cong-bo">← {t.backToList}</Link>
      </p>
      <h1 id="school-title">{school.name}</h1>
      <p className="muted">
        {t.cols.code}: {school.code} · {t.cols.type}: {school.type} · {t.cols.subUnit}: {school.subUnit}
      </p>
      <h2>{t.school.heading}</h2>
      {years.length === 0 ? (
        <p className="alert">{t.school.none}</p>
      ) : (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t.cols.year}</th>
                <th scope="col" className="num">
                  {t.cols.level}
                </th>
                <th scope="col" className="num">
                  {t.cols.group("1")}
                </th>
                <th scope="col" className="num">
                  {t.cols.group("2")}
                </th>
                <th scope="col">{t.cols.certificate}</th>
                <th scope="col">{t.cols.unit}</th>
              </tr>
            </thead>
            <tbody>
              {years.map((y) => (
                <tr key={y.schoolYear} data-year={y.schoolYear}>
                  <td>{y.schoolYear}</td>
                  <td className="num">{y.level}</td>
                  <td className="num">{pts(y.groups["1"])}</td>
                  <td className="num">{pts(y.groups["2"])}</td>
                  <td>{y.certificate ? <a href={y.certificate.verifyUrl}>{y.certificate.number}</a> : t.noCertificate}</td>
                  <td>
                    <Link to={`/cong-bo/${encodeURIComponent(y.publication.unitCode)}/${y.schoolYear}`}>{y.publication.unitName}</Link>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </article>
  );
}

export function ErrorBoundary() {
  return <PublicErrorPage texts={{ notFoundTitle: t.notFoundTitle, notFound: t.notFoundSchool, unavailable: t.unavailable, unavailableHint: t.unavailableHint, back: { to: "/cong-bo", label: t.backToList } }} />;
}
