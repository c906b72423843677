import { beforeAll, it, expect } from "vitest";
import { useTestDatabase } from "../helpers/db";
import { getDb } from "~/server/db/client.server";
import { seedDemoData } from "~/server/demo/seed.server";
import { dashboard, scopeUnit, rankSchools, yearsInScope } from "~/server/services/rollups.server";
import { recomputeCycle } from "~/server/services/results.server";
useTestDatabase("smoke");
beforeAll(async () => { await seedDemoData(getDb()); });
it("smoke", () => {
  const db = getDb();
  const so = db.$client.prepare("SELECT id FROM units WHERE parent_id IS NULL").get() as { id: number };
  const scope = scopeUnit(so.id)!;
  const years = yearsInScope(scope);
  console.log(years, db.$client.prepare("select count(*) n, count(distinct assessment_id) a from assessment_results").get());
  for (const y of years) {
    const d = dashboard(scope, { schoolYear: y, unitId: so.id, basis: "recognised" });
    console.log(y, JSON.stringify({ p: d.progress, l: d.levels, g: d.groups, s: d.subUnits, t: d.types, w: d.weakest, years: d.years.length }).slice(0, 3000));
    console.log(JSON.stringify(d.items.filter(i => i.code === "1.7.2")), JSON.stringify(d.indicators.find(i => i.code === "1.3")));
    console.log(JSON.stringify(rankSchools(scope, { schoolYear: y, basis: "recognised", page: 1, pageSize: 5 })).slice(0, 800));
  }
  const c = db.$client.prepare("select id from cycles").all() as { id: number }[];
  for (const x of c) { const r1 = recomputeCycle(x.id); const r2 = recomputeCycle(x.id); console.log(r1, r2); expect(r2.changedRows).toBe(0); }
});
