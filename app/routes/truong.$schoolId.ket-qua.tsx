/**
 * /truong/:schoolId/ket-qua — the school's view of its results: its levels over the school years
 * (self, external once the school may see it, recognised; points per group), and its position per
 * indicator against the averages of published results of its sub-unit, its province and the
 * schools of its type in the province (a radar chart, and the same figures in a table under it).
 * Readers: whoever may read the school (its users, offices in scope, the system admin); others 403.
 */
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import type { ChartConfiguration } from "chart.js";
import { z } from "zod";
import { ChartCanvas, SERIES_COLOURS } from "~/components/charts/ChartCanvas";
import { formatHundredthsVi, formatTenths, type Tenths } from "~/domain/stats";
import { pick } from "~/i18n";
import { schoolResults as strings } from "~/i18n/school-results";
import { requireUser } from "~/server/auth/session.server";
import { authorize, school } from "~/server/policy.server";
import { schoolResults } from "~/server/services/school-results.server";

const t = pick(strings);

const paramsSchema = z.object({ schoolId: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER) });

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${t.title}${data ? ` — ${data.school.name}` : ""} — CĐS 4725` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const p = paramsSchema.safeParse(params);
  if (!p.success) throw json({ error: t.errors.notFound }, { status: 404 });
  const user = await requireUser(request);
  authorize(user, "school.read", school(p.data.schoolId));
  const data = schoolResults(p.data.schoolId, user);
  if (!data) throw json({ error: t.errors.notFound }, { status: 404 });
  return json(data);
}

type Series = { key: "own" | "subUnit" | "province" | "sameType"; label: string };

const pct = (v: Tenths | null) => (v == null ? t.position.none : formatTenths(v));

export default function SchoolResultsPage() {
  const d = useLoaderData<typeof loader>();
  const published = d.comparisonYear != null;
  const series: Series[] = [{ key: "own", label: t.position.series.own }];
  if (published) {
    if (d.subUnit) series.push({ key: "subUnit", label: t.position.series.subUnit(d.subUnit.name) });
    if (d.province) series.push({ key: "province", label: t.position.series.province(d.province.name) });
    if (d.sameType) series.push({ key: "sameType", label: t.position.series.sameType(t.typeNames[d.school.type]) });
  }
  const counts: Partial<Record<Series["key"], number>> = { subUnit: d.subUnit?.schools, province: d.province?.schools, sameType: d.sameType?.schools };

  const config: ChartConfiguration = {
    type: "radar",
    data: {
      labels: d.indicators.map((i) => i.code),
      datasets: series.map((s, k) => ({
        label: s.label,
        data: d.indicators.map((i) => (i[s.key] == null ? null : (i[s.key] as number) / 10)) as number[],
        borderColor: SERIES_COLOURS[k % SERIES_COLOURS.length],
        backgroundColor: `${SERIES_COLOURS[k % SERIES_COLOURS.length]}22`,
        pointBackgroundColor: SERIES_COLOURS[k % SERIES_COLOURS.length],
        borderWidth: k === 0 ? 3 : 2,
        spanGaps: true,
      })),
    },
    options: {
      scales: { r: { min: 0, max: 100, ticks: { stepSize: 20 } } },
      plugins: { legend: { position: "bottom" } },
    },
  };

  return (
    <section aria-labelledby="results-title">
      <h1 id="results-title">{t.title}</h1>
      <p className="muted">{t.intro(d.school.name, d.school.code)}</p>

      <h2 id="years-title">{t.years.heading}</h2>
      {d.years.length === 0 ? (
        <p>{t.years.none}</p>
      ) : (
        <div className="table-wrap">
          <table aria-labelledby="years-title">
            <caption className="visually-hidden">{t.years.caption}</caption>
            <thead>
              <tr>
                <th scope="col">{t.years.cols.year}</th>
                <th scope="col">{t.years.cols.status}</th>
                <th scope="col">{t.years.cols.self}</th>
                <th scope="col">{t.years.cols.external}</th>
                <th scope="col">{t.years.cols.recognised}</th>
                {d.groups.map((g) => (
                  <th scope="col" key={g.code} title={g.title}>
                    {t.years.cols.group(g.code)}
                  </th>
                ))}
                <th scope="col">{t.years.cols.pointsOf}</th>
              </tr>
            </thead>
            <tbody>
              {[...d.years].reverse().map((y) => (
                <tr key={y.assessmentId}>
                  <th scope="row">{y.schoolYear}</th>
                  <td>{y.statusLabel}</td>
                  <td>{y.selfLevel == null ? t.years.notYet : t.years.level(y.selfLevel)}</td>
                  <td>{y.externalLevel == null ? t.years.notYet : t.years.level(y.externalLevel)}</td>
                  <td>{y.recognisedLevel == null ? t.years.notYet : t.years.level(y.recognisedLevel)}</td>
                  {d.groups.map((g) => {
                    const p = y.groups[g.code];
                    return <td key={g.code}>{p ? t.years.points(formatHundredthsVi(p.points), formatHundredthsVi(p.max)) : t.position.none}</td>;
                  })}
                  <td>{y.pointsPhase ? t.years.phase[y.pointsPhase] : t.position.none}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {d.groups.length ? <p className="muted">{t.years.groupsNote(d.groups.map((g) => `${g.code}. ${g.title}`).join("; "))}</p> : null}
        </div>
      )}

      <h2 id="position-title">{t.position.heading}</h2>
      <p>{d.own ? (d.own.source === "recognised" ? t.position.ownRecognised(d.own.schoolYear) : t.position.ownSelf(d.own.schoolYear)) : t.position.ownNone}</p>
      {published ? <p className="muted">{t.position.averagesOf(d.comparisonYear!)}</p> : <p role="status">{t.position.nothingPublished}</p>}
      {d.indicators.length > 0 ? (
        <>
          {published ? <ChartCanvas config={config} label={t.position.chartLabel(series.map((s) => s.label).join("; "))} height={360} /> : null}
          <div className="table-wrap">
            <table aria-labelledby="position-title">
              <caption className="visually-hidden">{t.position.caption}</caption>
              <thead>
                <tr>
                  <th scope="col">{t.position.cols.indicator}</th>
                  <th scope="col">{t.position.cols.max}</th>
                  {series.map((s) => (
                    <th scope="col" key={s.key}>
                      {s.label}
                      {counts[s.key] ? (
                        <>
                          <br />
                          <span className="muted">({t.position.schools(counts[s.key]!)})</span>
                        </>
                      ) : null}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {d.indicators.map((i) => (
                  <tr key={i.code}>
                    <th scope="row">
                      {i.code}. {i.title}
                    </th>
                    <td>{formatHundredthsVi(i.max)}</td>
                    {series.map((s) => (
                      <td key={s.key}>{pct(i[s.key])}</td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      ) : null}
    </section>
  );
}
