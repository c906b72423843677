/**
 * /xep-hang — rankings of an office's scope for a school year: schools by level then total points
 * (equal results share a rank), sub-units by share at Mức 3 and by average points. Filters: the
 * stats query (nam, donVi, coSo, loai) plus `dv` (one sub-unit) and `page` (pages of 100).
 * Internal: any basis; what is published uses recognised results only (/cong-bo).
 */
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { SelectField } from "~/components/Field";
import { ScrollTable } from "~/components/stats/ScrollTable";
import { Pager } from "~/components/Pager";
import { SCHOOL_TYPES } from "~/domain/roles";
import { BASES, formatHundredthsVi, formatTenths, SLUG_OF_BASIS } from "~/domain/stats";
import { pick } from "~/i18n";
import { rankingsUi, statsUi } from "~/i18n/stats";
import { can, unit } from "~/server/policy.server";
import { dashboard, rankSchools, rankSubUnits } from "~/server/services/rollups.server";
import { statsRequest } from "~/server/services/stats-page.server";

const t = pick(rankingsUi);
const ts = pick(statsUi);
const PAGE = 100;

export const meta: MetaFunction = () => [{ title: `${t.title} — CĐS 4725` }];

export async function loader({ request }: LoaderFunctionArgs) {
  const r = await statsRequest(request);
  const dv = z.coerce.number().int().positive().optional().safeParse(new URL(request.url).searchParams.get("dv") || undefined);
  if (!dv.success) throw json({ error: "Đơn vị trực thuộc không hợp lệ." }, { status: 400 });
  if (dv.data != null && !can(r.user, "results.stats", unit(dv.data))) throw json({ error: "Đơn vị trực thuộc không hợp lệ." }, { status: 400 });
  const d = dashboard(r.scope, r.filter);
  const schools = rankSchools(r.scope, { schoolYear: r.filter.schoolYear, basis: r.filter.basis, type: r.filter.type, subUnitId: dv.data, page: r.page, pageSize: PAGE });
  return json({
    filter: r.filter,
    scopeName: r.scope.name,
    years: r.years,
    query: r.query,
    dv: dv.data ?? null,
    subUnitOptions: d.subUnits.filter((s) => s.unitId != null).map((s) => ({ value: String(s.unitId), label: s.name })),
    subUnits: rankSubUnits(d.subUnits),
    schools: schools.rows,
    total: schools.total,
    page: r.page,
    pageCount: Math.max(1, Math.ceil(schools.total / PAGE)),
  });
}

const pts = (v: number | null) => (v == null ? ts.dash : formatHundredthsVi(v));

export default function Rankings() {
  const { filter, scopeName, years, query, dv, subUnitOptions, subUnits, schools, total, page, pageCount } = useLoaderData<typeof loader>();
  return (
    <div className="stats">
      <p>
        <Link to={`/thong-ke?${query}`}>{t.back}</Link>
      </p>
      <h1>{t.heading(scopeName, filter.schoolYear)}</h1>
      <p className="muted">{t.intro}</p>
      {filter.basis !== "recognised" ? <p className="notice">{t.internalNote}</p> : null}
      <Form method="get" className="filters" aria-label={ts.filters}>
        {filter.unitId != null ? <input type="hidden" name="donVi" value={filter.unitId} /> : null}
        <SelectField label={ts.year} name="nam" defaultValue={filter.schoolYear} options={(years.length ? years : [filter.schoolYear]).map((y) => ({ value: y, label: y }))} />
        <SelectField label={ts.basis} name="coSo" defaultValue={SLUG_OF_BASIS[filter.basis]} options={BASES.map((b) => ({ value: SLUG_OF_BASIS[b], label: ts.bases[b] }))} />
        <SelectField label={ts.type} name="loai" defaultValue={filter.type ?? ""} placeholder={ts.allTypes} options={SCHOOL_TYPES.map((x) => ({ value: x, label: x }))} />
        <SelectField label={t.subUnit} name="dv" defaultValue={dv != null ? String(dv) : ""} placeholder={t.allSubUnits} options={subUnitOptions} />
        <button type="submit" className="button">{ts.show}</button>
      </Form>

      <section aria-labelledby="xh-units">
        <h2 id="xh-units">{t.subUnitsHeading}</h2>
        {subUnits.length ? (
          <ScrollTable label={ts.tableRegion} caption={t.subUnitsHeading} head={[t.byLevel3, t.byPoints, t.subUnit, t.schools, t.level3, t.avgPoints]}>
            {subUnits.map((s) => (
              <tr key={s.unitId ?? "direct"}>
                <td className="num">{s.rankByLevel3}</td>
                <td className="num">{s.rankByPoints}</td>
                <th scope="row">{s.name}</th>
                <td className="num">{s.schools}</td>
                <td className="num">{formatTenths(s.level3Share)}</td>
                <td className="num">{pts(s.avgPoints)}</td>
              </tr>
            ))}
          </ScrollTable>
        ) : (
          <p>{t.none}</p>
        )}
      </section>

      <section aria-labelledby="xh-schools">
        <h2 id="xh-schools">{t.schoolsHeading}</h2>
        {schools.length ? (
          <>
            <ScrollTable label={ts.tableRegion} caption={<>{t.schoolsHeading} — {ts.bases[filter.basis]}</>} head={[t.rank, t.code, t.name, t.type, t.unit, t.level, t.points, t.group("1"), t.group("2")]}>
              {schools.map((s) => (
                <tr key={s.assessmentId}>
                  <td className="num">{s.rank}</td>
                  <td>{s.code}</td>
                  <th scope="row">
                    <Link to={`/danh-gia/${s.assessmentId}`}>{s.name}</Link>
                  </th>
                  <td>{s.type}</td>
                  <td>{s.subUnit}</td>
                  <td className="num">{s.level}</td>
                  <td className="num">{pts(s.points)}</td>
                  {["1", "2"].map((g) => {
                    const x = s.groups.find((y) => y.code === g);
                    return (
                      <td key={g} className="num">
                        {x ? `${pts(x.points)} (Mức ${x.level})` : ts.dash}
                      </td>
                    );
                  })}
                </tr>
              ))}
            </ScrollTable>
            <Pager page={page} pageCount={pageCount} total={total} />
          </>
        ) : (
          <p>{t.none}</p>
        )}
      </section>
    </div>
  );
}
