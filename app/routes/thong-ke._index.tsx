/**
 * /thong-ke — the results dashboard of an office (the system admin: the nation) for a school year:
 * progress, level distributions on the three bases, per group, sub-unit and type, per indicator and
 * item, years compared; drill down to sub-units and schools. Query: see stats-page.server.ts.
 */
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import type { ChartConfiguration } from "chart.js";
import { ChartCanvas, LEVEL_COLOURS, SERIES_COLOURS } from "~/components/charts/ChartCanvas";
import { SelectField } from "~/components/Field";
import { ScrollTable } from "~/components/stats/ScrollTable";
import { STATES, STATE_LABELS } from "~/domain/assessment-states";
import { SCHOOL_TYPES } from "~/domain/roles";
import { BASES, SLUG_OF_BASIS, distributionSentence, formatHundredthsVi, formatTenths, LEVELS, metSentence, type Distribution } from "~/domain/stats";
import { pick } from "~/i18n";
import { statsUi } from "~/i18n/stats";
import { can, unit } from "~/server/policy.server";
import { dashboardFor, parentUnit, schoolFiles } from "~/server/services/rollups.server";
import { statsQuery, statsRequest } from "~/server/services/stats-page.server";
import { formatDateTime, formatLocalDate } from "~/utils/time";

const t = pick(statsUi);

export const meta: MetaFunction = () => [{ title: `${t.title} — CĐS 4725` }];

export async function loader({ request }: LoaderFunctionArgs) {
  const r = await statsRequest(request);
  const { data: d, computedAt, kept } = dashboardFor(r.scope, r.filter);
  const files = schoolFiles(r.scope, r.filter);
  const parent = r.scope.unitId != null ? parentUnit(r.scope.unitId) : null;
  const up = parent && can(r.user, "results.stats", unit(parent.id)) ? { ...parent, query: statsQuery({ ...r.filter, unitId: parent.id }) } : null;
  return json({
    d,
    computedAt,
    kept,
    years: r.years,
    query: r.query,
    basisSlug: SLUG_OF_BASIS[r.filter.basis],
    files,
    up,
    canPublish: r.scope.unitId != null && can(r.user, "results.publish", unit(r.scope.unitId)),
    drill: Object.fromEntries(d.subUnits.filter((s) => s.unitId != null).map((s) => [s.unitId, statsQuery({ ...r.filter, unitId: s.unitId })])),
  });
}

const pct = (v: number | null | undefined) => (v == null ? t.dash : formatTenths(v));
const pts = (v: number | null | undefined) => (v == null ? t.dash : formatHundredthsVi(v));
const lvl = (v: number | null | undefined) => (v == null ? t.dash : t.levels.levelName(v));

function levelBars(labels: string[], dists: Distribution[], stacked: boolean, shares = false): ChartConfiguration {
  return {
    type: "bar",
    data: {
      labels,
      datasets: LEVELS.map((l, i) => ({
        label: t.levels.levelName(l),
        data: dists.map((d) => (shares ? d.shares[i] / 10 : d.counts[i])),
        backgroundColor: LEVEL_COLOURS[i],
      })),
    },
    options: {
      indexAxis: labels.length > 6 ? "y" : "x",
      scales: { x: { stacked }, y: { stacked, beginAtZero: true } },
      plugins: { legend: { position: "bottom" } },
    },
  };
}

function DistTable({ rows, caption }: { rows: { label: string; dist: Distribution }[]; caption: string }) {
  return (
    <ScrollTable label={t.tableRegion} caption={caption} head={[t.levels.level, ...rows.map((r) => r.label)]}>
      {LEVELS.map((l, i) => (
        <tr key={l}>
          <th scope="row">{t.levels.levelName(l)}</th>
          {rows.map((r) => (
            <td key={r.label} className="num">
              {r.dist.counts[i]} ({formatTenths(r.dist.shares[i])})
            </td>
          ))}
        </tr>
      ))}
      <tr>
        <th scope="row">{t.levels.total}</th>
        {rows.map((r) => (
          <td key={r.label} className="num">
            {r.dist.total}
          </td>
        ))}
      </tr>
    </ScrollTable>
  );
}

export default function StatsPage() {
  const { d, computedAt, kept, years, query, basisSlug, files, up, canPublish, drill } = useLoaderData<typeof loader>();
  const basis = d.filter.basis;
  const year = d.filter.schoolYear;
  const scopeQ = (extra: Record<string, string>) => {
    const p = new URLSearchParams(query);
    for (const [k, v] of Object.entries(extra)) p.set(k, v);
    return p.toString();
  };

  return (
    <div className="stats">
      {up ? (
        <p>
          <Link to={`/thong-ke?${up.query}`}>{t.up(up.name)}</Link>
        </p>
      ) : null}
      <h1>{t.heading(d.scope.name, year)}</h1>
      <p className="muted">{t.intro}</p>
      {kept ? <p className="notice">{t.kept(formatDateTime(computedAt))}</p> : null}

      <Form method="get" className="filters" aria-label={t.filters}>
        {d.filter.unitId != null ? <input type="hidden" name="donVi" value={d.filter.unitId} /> : null}
        <SelectField label={t.year} name="nam" defaultValue={year} options={(years.length ? years : [year]).map((y) => ({ value: y, label: y }))} />
        <SelectField label={t.basis} name="coSo" defaultValue={basisSlug} options={BASES.map((b) => ({ value: SLUG_OF_BASIS[b], label: t.bases[b] }))} />
        <SelectField label={t.type} name="loai" defaultValue={d.filter.type ?? ""} placeholder={t.allTypes} options={SCHOOL_TYPES.map((x) => ({ value: x, label: x }))} />
        <button type="submit" className="button">{t.show}</button>
      </Form>

      <nav aria-label={t.downloads} className="actions">
        <a href={`/thong-ke.xlsx?${query}`} download>
          {t.xlsx}
        </a>{" "}
        <a href={`/thong-ke.csv?${query}`} download>
          {t.csv}
        </a>{" "}
        <a href={`/thong-ke/bao-cao.pdf?${query}`}>{t.report}</a> <Link to={`/xep-hang?${query}`}>{t.rankings}</Link>
        {canPublish ? (
          <>
            {" "}
            <Link to={`/cong-bo/quan-ly?${new URLSearchParams({ donVi: String(d.filter.unitId), nam: year })}`}>{t.publish}</Link>
          </>
        ) : null}
      </nav>

      {d.progress.total === 0 ? <p className="notice">{years.length ? t.noData : t.noYears}</p> : null}

      <section aria-labelledby="tk-progress">
        <h2 id="tk-progress">{t.progress.heading}</h2>
        <div className="chart-with-table">
          <ChartCanvas
            label={t.progress.chart}
            height={220}
            config={{
              type: "bar",
              data: { labels: STATES.map((s) => STATE_LABELS[s].vi), datasets: [{ label: t.progress.count, data: STATES.map((s) => d.progress.byState[s]), backgroundColor: SERIES_COLOURS[0] }] },
              options: { indexAxis: "y", plugins: { legend: { display: false } }, scales: { x: { beginAtZero: true } } },
            }}
          />
          <ScrollTable label={t.tableRegion} caption={t.progress.heading} head={[t.progress.state, t.progress.count]}>
            {STATES.map((s) => (
              <tr key={s}>
                <th scope="row">{STATE_LABELS[s].vi}</th>
                <td className="num">{d.progress.byState[s]}</td>
              </tr>
            ))}
            <tr>
              <th scope="row">{t.progress.total}</th>
              <td className="num">{d.progress.total}</td>
            </tr>
            <tr>
              <th scope="row">{t.progress.overdueSubmission}</th>
              <td className="num">{d.progress.overdueSubmission}</td>
            </tr>
            <tr>
              <th scope="row">{t.progress.overdueReview}</th>
              <td className="num">{d.progress.overdueReview}</td>
            </tr>
          </ScrollTable>
        </div>
        {d.progress.cycles.length ? (
          <ScrollTable label={t.tableRegion} caption={t.progress.cycles} head={[t.progress.cycleUnit, t.progress.selfDeadline, t.progress.reviewDeadline, t.progress.status]}>
            {d.progress.cycles.map((c) => (
              <tr key={c.id}>
                <td>{c.unitName}</td>
                <td>{formatLocalDate(c.selfAssessmentDeadline)}</td>
                <td>{formatLocalDate(c.reviewDeadline)}</td>
                <td>{c.status === "open" ? t.progress.open : t.progress.closed}</td>
              </tr>
            ))}
          </ScrollTable>
        ) : null}
      </section>

      <section aria-labelledby="tk-levels">
        <h2 id="tk-levels">{t.levels.heading}</h2>
        <ul className="sentences">
          {BASES.map((b) => (
            <li key={b}>
              <strong>{t.bases[b]}:</strong> {distributionSentence(d.levels[b])}
            </li>
          ))}
        </ul>
        <div className="chart-with-table">
          <ChartCanvas label={t.levels.chart} config={levelBars(BASES.map((b) => t.basesShort[b]), BASES.map((b) => d.levels[b]), true, true)} />
          <DistTable caption={t.levels.heading} rows={BASES.map((b) => ({ label: t.basesShort[b], dist: d.levels[b] }))} />
        </div>
        <h3>{t.levels.groupsHeading}</h3>
        <ul className="sentences">
          {d.groups.map((g) => (
            <li key={g.code}>
              <strong>{t.levels.group(g.code, g.title)}</strong> ({t.bases[basis].toLowerCase()}): {distributionSentence(g.dist)} {t.levels.avgPoints}: {pts(g.avgPoints)}.
            </li>
          ))}
        </ul>
        <DistTable caption={`${t.levels.groupsHeading} — ${t.bases[basis]}`} rows={d.groups.map((g) => ({ label: `Nhóm ${g.code}`, dist: g.dist }))} />
      </section>

      <section aria-labelledby="tk-units">
        <h2 id="tk-units">{t.subUnits.heading}</h2>
        <div className="chart-with-table">
          <ChartCanvas label={t.subUnits.chart} height={Math.max(220, d.subUnits.length * 28)} config={levelBars(d.subUnits.map((s) => s.name), d.subUnits.map((s) => s.dist), true)} />
          <ScrollTable label={t.tableRegion} caption={<>{t.subUnits.heading} — {t.bases[basis]}</>} head={[t.subUnits.unit, t.subUnits.files, ...LEVELS.map((l) => t.levels.levelName(l)), t.subUnits.avgPoints, t.subUnits.level3]}>
            {d.subUnits.map((s) => (
              <tr key={s.unitId ?? "direct"}>
                <th scope="row">
                  {s.unitId != null && drill[s.unitId] ? (
                    <Link to={`/thong-ke?${drill[s.unitId]}`} aria-label={t.subUnits.drill(s.name)}>
                      {s.name}
                    </Link>
                  ) : (
                    s.name
                  )}
                </th>
                <td className="num">{s.files}</td>
                {LEVELS.map((l, i) => (
                  <td key={l} className="num">
                    {s.dist.counts[i]} ({formatTenths(s.dist.shares[i])})
                  </td>
                ))}
                <td className="num">{pts(s.avgPoints)}</td>
                <td className="num">{pct(s.level3Share)}</td>
              </tr>
            ))}
          </ScrollTable>
        </div>
      </section>

      <section aria-labelledby="tk-types">
        <h2 id="tk-types">{t.types.heading}</h2>
        <ScrollTable label={t.tableRegion} caption={<>{t.types.heading} — {t.bases[basis]}</>} head={[t.types.type, t.subUnits.files, ...LEVELS.map((l) => t.levels.levelName(l)), t.subUnits.avgPoints]}>
          {d.types.map((x) => (
            <tr key={x.type}>
              <th scope="row">
                <Link to={`/thong-ke?${scopeQ({ loai: x.type })}`}>{x.type}</Link>
              </th>
              <td className="num">{x.files}</td>
              {LEVELS.map((l, i) => (
                <td key={l} className="num">
                  {x.dist.counts[i]} ({formatTenths(x.dist.shares[i])})
                </td>
              ))}
              <td className="num">{pts(x.avgPoints)}</td>
            </tr>
          ))}
        </ScrollTable>
      </section>

      <section aria-labelledby="tk-indicators">
        <h2 id="tk-indicators">{t.indicators.heading}</h2>
        {d.weakest.length ? (
          <p>
            <strong>{t.indicators.weakest}:</strong>{" "}
            {d.weakest
              .map((c) => {
                const i = d.indicators.find((x) => x.code === c)!;
                return `${c} ${i.title} (${pct(i.avgShare)})`;
              })
              .join("; ")}
            .
          </p>
        ) : null}
        <div className="chart-with-table chart-with-table--stacked">
          <ChartCanvas
            label={t.indicators.chart}
            height={Math.max(240, d.indicators.filter((i) => i.avgShare != null).length * 26)}
            config={{
              type: "bar",
              data: {
                labels: d.indicators.filter((i) => i.max > 0).map((i) => i.code),
                datasets: [{ label: t.indicators.avgShare, data: d.indicators.filter((i) => i.max > 0).map((i) => (i.avgShare ?? 0) / 10), backgroundColor: SERIES_COLOURS[0] }],
              },
              options: { indexAxis: "y", scales: { x: { beginAtZero: true, max: 100 } }, plugins: { legend: { display: false } } },
            }}
          />
          <ScrollTable label={t.tableRegion} caption={<>{t.indicators.heading} — {t.bases[basis]}</>} head={[t.indicators.code, t.indicators.title, t.indicators.avgPoints, t.indicators.avgShare]}>
            {d.indicators.map((i) => (
              <tr key={i.code}>
                <th scope="row">{i.code}</th>
                <td>
                  {i.title}
                  {i.bands ? (
                    <div className="muted">
                      {t.indicators.bands}: {i.bands.map((b) => `${b.name}: ${b.count}/${i.n} (${formatTenths(b.share)})`).join("; ")}
                    </div>
                  ) : null}
                </td>
                <td className="num">{i.max > 0 ? `${pts(i.avgPoints)}/${pts(i.max)}` : t.indicators.mandatory}</td>
                <td className="num">{i.max > 0 ? pct(i.avgShare) : metSentence(i.met ?? 0, i.n)}</td>
              </tr>
            ))}
          </ScrollTable>
        </div>
        <h3>{t.items.heading}</h3>
        <ScrollTable label={t.tableRegion} caption={<>{t.items.heading} — {t.bases[basis]}</>} head={[t.items.code, t.items.title, t.items.met]}>
          {d.items.map((i) => (
            <tr key={i.code}>
              <th scope="row">{i.code}</th>
              <td>
                {i.title}
                {i.options ? (
                  <div className="muted">
                    {t.items.options}: {i.options.map((o) => `${o.label}: ${o.count}/${i.n} (${formatTenths(o.share)})`).join("; ")}
                  </div>
                ) : null}
              </td>
              <td className="num">{metSentence(i.met, i.n)}</td>
            </tr>
          ))}
        </ScrollTable>
      </section>

      <section aria-labelledby="tk-years">
        <h2 id="tk-years">{t.years.heading}</h2>
        {d.years.length < 2 ? <p className="muted">{t.years.none}</p> : null}
        {d.years.length ? (
          <div className="chart-with-table">
            <ChartCanvas
              label={t.years.chart}
              config={{
                type: "line",
                data: {
                  labels: d.years.map((y) => y.schoolYear),
                  datasets: LEVELS.map((l, i) => ({ label: t.levels.levelName(l), data: d.years.map((y) => y.dist.shares[i] / 10), borderColor: LEVEL_COLOURS[i], backgroundColor: LEVEL_COLOURS[i] })),
                },
                options: { scales: { y: { beginAtZero: true, max: 100 } }, plugins: { legend: { position: "bottom" } } },
              }}
            />
            <ScrollTable label={t.tableRegion} caption={<>{t.years.heading} — {t.bases[basis]}</>} head={[t.years.year, ...LEVELS.map((l) => t.levels.levelName(l)), t.subUnits.avgPoints, ...d.groups.map((g) => t.years.group(g.code))]}>
              {d.years.map((y) => (
                <tr key={y.schoolYear}>
                  <th scope="row">{y.schoolYear}</th>
                  {LEVELS.map((l, i) => (
                    <td key={l} className="num">
                      {y.dist.counts[i]}/{y.dist.total} ({formatTenths(y.dist.shares[i])})
                    </td>
                  ))}
                  <td className="num">{pts(y.avgPoints)}</td>
                  {d.groups.map((g) => {
                    const yg = y.groups.find((x) => x.code === g.code);
                    return (
                      <td key={g.code} className="num">
                        {yg ? `${pts(yg.avgPoints)} · ${LEVELS.map((l, i) => `M${l} ${formatTenths(yg.dist.shares[i])}`).join(", ")}` : t.dash}
                      </td>
                    );
                  })}
                </tr>
              ))}
            </ScrollTable>
          </div>
        ) : null}
        {d.years.length > 1 ? (
          <ScrollTable label={t.tableRegion} caption={t.years.indicatorHeading} head={[t.indicators.code, ...d.years.map((y) => y.schoolYear)]}>
            {d.indicators
              .filter((i) => i.max > 0)
              .map((i) => (
                <tr key={i.code}>
                  <th scope="row">{i.code}</th>
                  {d.years.map((y) => (
                    <td key={y.schoolYear} className="num">
                      {pct(y.indicators[i.code])}
                    </td>
                  ))}
                </tr>
              ))}
          </ScrollTable>
        ) : null}
      </section>

      <section aria-labelledby="tk-schools">
        <h2 id="tk-schools">{t.schools.heading}</h2>
        {files.rows ? (
          <ScrollTable label={t.tableRegion} caption={t.schools.heading} head={[t.schools.code, t.schools.name, t.schools.type, t.schools.state, t.schools.self, t.schools.external, t.schools.recognised]}>
            {files.rows.map((f) => (
              <tr key={f.assessmentId}>
                <td>{f.code}</td>
                <th scope="row">
                  <Link to={`/danh-gia/${f.assessmentId}`}>{f.name}</Link>
                </th>
                <td>{f.type}</td>
                <td>{STATE_LABELS[f.status].vi}</td>
                <td>{lvl(f.selfLevel)}</td>
                <td>{lvl(f.externalLevel)}</td>
                <td>{lvl(f.recognisedLevel)}</td>
              </tr>
            ))}
          </ScrollTable>
        ) : (
          <p>{t.schools.tooMany(files.total)}</p>
        )}
      </section>
    </div>
  );
}
