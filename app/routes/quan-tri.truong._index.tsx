import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { ExportLinks } from "~/components/ExportLinks";
import { SelectField } from "~/components/Field";
import { Pager } from "~/components/Pager";
import { SearchBox } from "~/components/SearchBox";
import { UnitPicker } from "~/components/UnitPicker";
import { SCHOOL_TYPES } from "~/domain/roles";
import { pick } from "~/i18n";
import { admin } from "~/i18n/admin";
import { unitPickerUi } from "~/i18n/unit-picker";
import { canArea } from "~/server/policy.server";
import { listSchools } from "~/server/services/org.server";
import { resolveUnitParam } from "~/server/services/unit-search.server";
import { schoolListRequest } from "~/server/services/school-list.server";

const t = pick(admin);

export const meta: MetaFunction = () => [{ title: `${t.schools.title} — CĐS 4725` }];


export async function loader({ request }: LoaderFunctionArgs) {
  const { user, query } = await schoolListRequest(request);
  // The unit filter is a picker: ?unit=<id>, or ?unit__ma=<code> without JavaScript (resolved in the user's scope).
  const unit = resolveUnitParam(new URL(request.url), "unit", query.unit, user);
  const list = listSchools(user, { q: query.q, page: query.page, type: query.type, unitId: unit.id });
  return json({
    list,
    filters: { q: query.q ?? "", type: query.type ?? "", unit: unit.id == null ? "" : String(unit.id) },
    unit: { selected: unit.selected, text: unit.text, error: unit.error },
    canManage: canArea(user, "school.manage"),
  });
}

export default function SchoolsList() {
  const { list, unit, filters, canManage } = useLoaderData<typeof loader>();
  return (
    <section aria-labelledby="schools-title">
      <h1 id="schools-title">{t.schools.title}</h1>
      <p className="muted">{t.schools.intro}</p>
      {canManage ? (
        <p className="actions">
          <Link className="button" to="/quan-tri/truong/moi">
            {t.schools.create}
          </Link>
          <Link className="button button--secondary" to="/quan-tri/truong/nhap">
            {t.schools.import}
          </Link>
        </p>
      ) : (
        <p className="alert">{t.common.readOnly}</p>
      )}
      <SearchBox label={t.schools.searchLabel} hint={t.schools.searchHint} defaultValue={filters.q} filtered={!!(filters.q || filters.type || filters.unit || unit.text)}>
        <SelectField
          label={t.schools.typeFilter}
          name="type"
          defaultValue={filters.type}
          placeholder={t.common.all}
          options={SCHOOL_TYPES.map((x) => ({ value: x, label: t.schoolTypes[x] }))}
        />
        <UnitPicker
          key={filters.unit}
          label={t.schools.unitFilter}
          name="unit"
          defaultValue={unit.selected}
          defaultText={unit.text}
          error={unit.error}
          emptyLabel={pick(unitPickerUi).emptyAll}
        />
      </SearchBox>
      {list.rows.length === 0 ? (
        <p className="alert">{t.common.noResults}</p>
      ) : (
        <div className="table-wrap">
          <table>
            <caption>
              {t.schools.tableCaption} — {t.common.results(list.total)}.{" "}
              <span className="muted">{list.sortedBy === "name" ? t.common.sortedByName : t.common.sortedByCode}</span>
            </caption>
            <thead>
              <tr>
                <th scope="col">{t.schools.code}</th>
                <th scope="col">{t.schools.name}</th>
                <th scope="col">{t.schools.type}</th>
                <th scope="col">{t.schools.managingUnit}</th>
                <th scope="col">{t.schools.reviewingUnit}</th>
                <th scope="col">{t.common.status}</th>
              </tr>
            </thead>
            <tbody>
              {list.rows.map((s) => (
                <tr key={s.id}>
                  <td>{s.code}</td>
                  <td>
                    <Link to={`/quan-tri/truong/${s.id}`}>{s.name}</Link>
                  </td>
                  <td>{s.type}</td>
                  <td>{s.managingUnit.name}</td>
                  <td>{s.reviewingUnit.name}</td>
                  <td>{s.active ? t.common.active : t.common.inactive}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pager page={list.page} pageCount={list.pageCount} total={list.total} />
      {list.total > 0 ? <ExportLinks base="/quan-tri/truong" filters={filters} /> : null}
    </section>
  );
}
