/** Cycle lists and per-cycle assessment lists, limited to what the user may see. */
import { and, count, desc, eq, inArray, type SQL } from "drizzle-orm";
import { STATE_LABELS, type AssessmentState } from "~/domain/assessment-states";
import { folded } from "./org.server";
import type { CurrentUser } from "../auth/session.server";
import { getDb, type Db } from "../db/client.server";
import { viRanks } from "../vi-order.server";
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
  // Counted for the visible cycles only (an index range per cycle), never across the nation's assessments.
  const cycleIds = rows.map((r) => r.id);
  const counts = new Map(
    cycleIds.length === 0
      ? []
      : db
          .select({ id: assessments.cycleId, n: count() })
          .from(assessments)
          .where(inArray(assessments.cycleId, cycleIds))
          .groupBy(assessments.cycleId)
          .all()
          .map((r) => [r.id, r.n] as const),
  );
  return rows.map((r) => ({ ...r, assessments: counts.get(r.id) ?? 0 })).sort((a, b) => b.schoolYear.localeCompare(a.schoolYear) || a.unit.localeCompare(b.unit, "vi"));
}

export interface AssessmentListQuery {
  q?: string;
  status?: AssessmentState;
  page?: number;
}

const LIST_PAGE = 20;
const SORT_IN_MEMORY_MAX = 2000;

/**
 * Assessments of the schools a user may read (office roles, system admin), newest school year
 * first, then by school name (Vietnamese collation); filtered by status and a folded search.
 */
export function assessmentsVisibleTo(user: CurrentUser, query: AssessmentListQuery, db: Db = getDb()) {
  const where = and(schoolScope(user), query.status ? eq(assessments.status, query.status) : undefined, folded(schools.searchKey, query.q));
  const base = (cond: SQL | undefined = where) =>
    db
      .select({
        id: assessments.id,
        school: schools.name,
        code: schools.code,
        type: schools.type,
        schoolYear: cycles.schoolYear,
        status: assessments.status,
        selfLevel: assessments.selfLevel,
        submittedAt: assessments.submittedAt,
        reviewingUnit: units.name,
      })
      .from(assessments)
      .innerJoin(schools, eq(assessments.schoolId, schools.id))
      .innerJoin(cycles, eq(assessments.cycleId, cycles.id))
      .innerJoin(units, eq(schools.reviewingUnitId, units.id))
      .where(cond);
  const total = db.select({ n: count() }).from(assessments).innerJoin(schools, eq(assessments.schoolId, schools.id)).where(where).get()?.n ?? 0;
  const pageCount = Math.max(1, Math.ceil(total / LIST_PAGE));
  const page = Math.min(Math.max(1, Math.trunc(query.page ?? 1) || 1), pageCount);
  const offset = (page - 1) * LIST_PAGE;
  let rows;
  if (total <= SORT_IN_MEMORY_MAX) {
    // Vietnamese order needs the collator: sort the scope's (id, year, name) keys, then read the page's rows.
    const keys = db
      .select({ id: assessments.id, school: schools.name, schoolYear: cycles.schoolYear })
      .from(assessments)
      .innerJoin(schools, eq(assessments.schoolId, schools.id))
      .innerJoin(cycles, eq(assessments.cycleId, cycles.id))
      .where(where)
      .all();
    const rank = viRanks(keys.map((k) => k.school));
    keys.sort((a, b) => b.schoolYear.localeCompare(a.schoolYear) || rank.get(a.school)! - rank.get(b.school)! || a.id - b.id);
    const ids = keys.slice(offset, offset + LIST_PAGE).map((k) => k.id);
    const byId = new Map((ids.length ? base(and(where, inArray(assessments.id, ids))).all() : []).map((r) => [r.id, r]));
    rows = ids.map((id) => byId.get(id)).filter((r): r is NonNullable<typeof r> => r !== undefined);
  } else {
    rows = base().orderBy(desc(cycles.schoolYear), schools.code).limit(LIST_PAGE).offset(offset).all();
  }
  return {
    rows: rows.map((r) => ({ ...r, submittedAt: r.submittedAt ? r.submittedAt.getTime() : null, statusLabel: STATE_LABELS[r.status].vi })),
    page,
    pageCount,
    total,
  };
}
