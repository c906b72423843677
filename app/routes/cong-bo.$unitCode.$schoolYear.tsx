/**
 * /cong-bo/:unitCode/:schoolYear — the public page of a unit's published school year: the
 * distribution sentence with its chart and table, the tables by sub-unit and by school type, and
 * the schools (level, group points, a link to each certificate's verification page), searchable by
 * name without marks or by code (?q=, folded on the server), 100 a page (?page=).
 * No login; phone-friendly. Only what PUBLISHED_SQL lets through (publication.server.ts).
 * Unknown unit: the 404 page with a link back to /cong-bo. A known unit with the year not (or no
 * longer) published: a 404 status with an empty state, never a redirect.
 * Cache: anonymous visitors get `public, max-age=60` (the page is the same for everyone); a
 * signed-in visitor (the header shows their name) or a response setting a cookie gets a private one.
 */
import { PublicErrorPage } from "~/components/PublicErrorPage";
import type { HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import type { ChartConfiguration } from "chart.js";
import { z } from "zod";
import { ChartCanvas, LEVEL_COLOURS } from "~/components/charts/ChartCanvas";
import { Pager } from "~/components/Pager";
import { SearchBox } from "~/components/SearchBox";
import { distributionSentence, formatHundredthsVi, formatTenths, type Distribution } from "~/domain/stats";
import { pick } from "~/i18n";
import { publication as strings } from "~/i18n/publication";
import { getUser } from "~/server/auth/session.server";
import { authorize } from "~/server/policy.server";
import { publicationPage } from "~/server/services/publication.server";
import { formatDate } from "~/utils/time";

const t = pick(strings);
const PUBLIC_CACHE = "public, max-age=60";
const PRIVATE_CACHE = "private, no-cache";

export const headers: HeadersFunction = ({ loaderHeaders, errorHeaders, parentHeaders }) => {
  const own = errorHeaders ?? loaderHeaders;
  // A response that sets a cookie (the CSRF pre-session) must never be stored by a shared cache.
  const cc = parentHeaders.has("Set-Cookie") ? PRIVATE_CACHE : (own.get("Cache-Control") ?? PRIVATE_CACHE);
  return { "Cache-Control": cc, Vary: "Cookie" };
};

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  {
    title: data ? `${data.status === "published" ? t.yearTitle(data.unit.name, data.schoolYear) : t.notPublishedTitle(data.unit.name, data.schoolYear)} — CĐS 4725` : `${t.notFoundTitle} — CĐS 4725`,
  },
];

const query = z.object({ q: z.string().max(100).optional(), page: z.coerce.number().int().positive().max(100000).optional() });

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await getUser(request);
  const cache = { "Cache-Control": user ? PRIVATE_CACHE : PUBLIC_CACHE };
  const url = new URL(request.url);
  const parsed = query.safeParse({ q: url.searchParams.get("q") ?? undefined, page: url.searchParams.get("page") ?? undefined });
  const opts = parsed.success ? parsed.data : {};
  const page = publicationPage(params.unitCode ?? "", params.schoolYear ?? "", opts);
  if (!page) throw json({ error: t.notFoundUnit }, { status: 404, headers: cache });
  if (page.status === "not-published") return json(page, { status: 404, headers: cache });
  // Every row is a published result: the public case of results.read.
  authorize(user, "results.read", { kind: "result", schoolId: 0, published: true });
  return json(page, { headers: cache });
}

function share(d: Distribution, i: number) {
  return `${d.counts[i]} (${formatTenths(d.shares[i]!)})`;
}

function pointsText(g: { points: number; level: number | null } | undefined) {
  return g ? t.points(formatHundredthsVi(Math.round(g.points * 100)), g.level) : "–";
}

function BreakdownTable({ caption, head, rows }: { caption: string; head: string; rows: { key: string; name: string; dist: Distribution }[] }) {
  return (
    <div className="table-wrap">
      <table>
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{head}</th>
            <th scope="col" className="num">
              {t.cols.level1}
            </th>
            <th scope="col" className="num">
              {t.cols.level2}
            </th>
            <th scope="col" className="num">
              {t.cols.level3}
            </th>
            <th scope="col" className="num">
              {t.cols.total}
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.key}>
              <th scope="row">{r.name}</th>
              <td className="num">{share(r.dist, 0)}</td>
              <td className="num">{share(r.dist, 1)}</td>
              <td className="num">{share(r.dist, 2)}</td>
              <td className="num">{r.dist.total}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export default function PublicationYear() {
  const data = useLoaderData<typeof loader>();
  if (data.status === "not-published") {
    return (
      <section aria-labelledby="pub-title" style={{ maxWidth: "48rem" }}>
        <h1 id="pub-title">{t.notPublishedTitle(data.unit.name, data.schoolYear)}</h1>
        <p className="alert">{t.notPublished}</p>
        {data.years.length ? (
          <>
            <h2>{t.otherYears}</h2>
            <ul>
              {data.years.map((y) => (
                <li key={y}>
                  <Link to={`/cong-bo/${encodeURIComponent(data.unit.code)}/${y}`}>{y}</Link>
                </li>
              ))}
            </ul>
          </>
        ) : null}
        <p className="actions">
          <Link className="button" to="/cong-bo">
            {t.backToList}
          </Link>
        </p>
      </section>
    );
  }
  const d = data;
  const base = `/cong-bo/${encodeURIComponent(d.unit.code)}/${d.schoolYear}`;
  const sentence = distributionSentence(d.dist);
  const chart: ChartConfiguration = {
    type: "bar",
    data: {
      labels: [t.cols.level1, t.cols.level2, t.cols.level3],
      datasets: [{ label: t.chartAxis, data: [...d.dist.counts], backgroundColor: [...LEVEL_COLOURS] }],
    },
    options: { plugins: { legend: { display: false } }, scales: { y: { beginAtZero: true, ticks: { precision: 0 }, title: { display: true, text: t.chartAxis } } } },
  };
  return (
    <article aria-labelledby="pub-title">
      <p>
        <Link to="/cong-bo">← {t.backToList}</Link>
      </p>
      <h1 id="pub-title">{t.yearTitle(d.unit.name, d.schoolYear)}</h1>
      <p className="muted">
        {t.publishedOn(formatDate(d.publishedAt))} {t.openData}:{" "}
        <a href={`${base}.json`} data-open-data="json">
          {t.json}
        </a>{" "}
        ·{" "}
        <a href={`${base}.csv`} data-open-data="csv">
          {t.csv}
        </a>
      </p>

      <section aria-labelledby="pub-dist" className="card">
        <h2 id="pub-dist">{t.distributionHeading}</h2>
        <p data-testid="distribution-sentence">{sentence}</p>
        <div className="chart-with-table">
          <ChartCanvas config={chart} label={t.chartLabel(sentence)} height={220} />
          <div className="table-wrap">
            <table>
              <caption className="visually-hidden">{t.distributionHeading}</caption>
              <thead>
                <tr>
                  <th scope="col">{t.cols.level}</th>
                  <th scope="col" className="num">
                    {t.cols.schools}
                  </th>
                  <th scope="col" className="num">
                    %
                  </th>
                </tr>
              </thead>
              <tbody>
                {[0, 1, 2].map((i) => (
                  <tr key={i}>
                    <th scope="row">{[t.cols.level1, t.cols.level2, t.cols.level3][i]}</th>
                    <td className="num">{d.dist.counts[i]}</td>
                    <td className="num">{formatTenths(d.dist.shares[i]!)}</td>
                  </tr>
                ))}
                <tr>
                  <th scope="row">{t.cols.total}</th>
                  <td className="num">{d.dist.total}</td>
                  <td className="num">{d.dist.total ? formatTenths(1000) : formatTenths(0)}</td>
                </tr>
              </tbody>
            </table>
          </div>
        </div>
      </section>

      <div className="grid">
        <section aria-labelledby="pub-subs">
          <h2 id="pub-subs">{t.bySubUnit}</h2>
          <BreakdownTable caption={t.bySubUnit} head={t.cols.subUnitRow} rows={d.subUnits} />
        </section>
        <section aria-labelledby="pub-types">
          <h2 id="pub-types">{t.byType}</h2>
          <BreakdownTable caption={t.byType} head={t.cols.typeRow} rows={d.types} />
        </section>
      </div>

      <section aria-labelledby="pub-schools">
        <h2 id="pub-schools">{t.schoolsHeading}</h2>
        <SearchBox label={t.search} hint={t.searchHint} defaultValue={d.q} filtered={!!d.q} />
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t.cols.code}</th>
                <th scope="col">{t.cols.name}</th>
                <th scope="col">{t.cols.type}</th>
                <th scope="col">{t.cols.subUnit}</th>
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
              </tr>
            </thead>
            <tbody>
              {d.schools.length === 0 ? (
                <tr>
                  <td colSpan={8}>{d.q ? t.noMatch : t.none}</td>
                </tr>
              ) : null}
              {d.schools.map((s) => (
                <tr key={s.code} data-school={s.code}>
                  <td className="nowrap">
                    <Link to={`/cong-bo/truong/${encodeURIComponent(s.code)}`}>{s.code}</Link>
                  </td>
                  <td>{s.name}</td>
                  <td>{s.type}</td>
                  <td>{s.subUnit}</td>
                  <td className="num">{s.level}</td>
                  <td className="num">{pointsText(s.groups["1"])}</td>
                  <td className="num">{pointsText(s.groups["2"])}</td>
                  <td>
                    {s.certificate ? (
                      <a href={s.certificate.verifyUrl} title={t.verify}>
                        {s.certificate.number}
                      </a>
                    ) : (
                      t.noCertificate
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <Pager page={d.page} pageCount={d.pageCount} total={d.total} />
      </section>
    </article>
  );
}

export function ErrorBoundary() {
  return <PublicErrorPage texts={{ notFoundTitle: t.notFoundTitle, notFound: t.notFound, unavailable: t.unavailable, unavailableHint: t.unavailableHint, back: { to: "/cong-bo", label: t.backToList } }} />;
}
