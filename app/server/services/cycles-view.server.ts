/** Cycle lists and per-cycle assessment lists, limited to what the user may see. */
import { and, count, eq, inArray } from "drizzle-orm";
import { STATE_LABELS } from "~/domain/assessment-states";
import { sortVi } from "~/utils/text";
import type { CurrentUser } from "../auth/session.server";
import { getDb, type Db } from "../db/client.server";
import { assessments, cycles, schools, units } from "../db/schema.server";
import { schoolScope, visibleUnitIds } from "../policy.server";

export function cyclesVisibleTo(user: CurrentUser, db: Db = getDb()) {
  const ids = visibleUnitIds(user);
  const rows = db
    .select({ id: cycles.id, schoolYear: cycles.schoolYear, unit: units.name, unitId: units.id, editionId: cycles.editionId, self: cycles.selfAssessmentDeadline, review: cycles.reviewDeadline, status: cycles.status })
    .from(cycles)
    .innerJoin(units, eq(cycles.ownerUnitId, units.id))
    .where(ids === "all" ? undefined : ids.length ? inArray(cycles.ownerUnitId, ids) : eq(cycles.id, -1))
    .all();
  const counts = new Map(
    db.select({ id: assessments.cycleId, n: count() }).from(assessments).groupBy(assessments.cycleId).all().map((r) => [r.id, r.n] as const),
  );
  return rows.map((r) => ({ ...r, assessments: counts.get(r.id) ?? 0 })).sort((a, b) => b.schoolYear.localeCompare(a.schoolYear) || a.unit.localeCompare(b.unit, "vi"));
}

export function assessmentsOfCycle(cycleId: number, user: CurrentUser, db: Db = getDb()) {
  const rows = db
    .select({ id: assessments.id, school: schools.name, code: schools.code, status: assessments.status, override: assessments.deadlineOverride, selfLevel: assessments.selfLevel })
    .from(assessments)
    .innerJoin(schools, eq(assessments.schoolId, schools.id))
    .where(and(eq(assessments.cycleId, cycleId), schoolScope(user)))
    .all();
  return sortVi(rows, (r) => r.school).map((r) => ({ ...r, statusLabel: STATE_LABELS[r.status].vi }));
}
