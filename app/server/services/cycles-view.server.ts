/** Cycle lists and per-cycle assessment lists, limited to what the user may see. */
import { and, count, desc, eq, inArray, isNull, sql, type SQL } from "drizzle-orm";
import { STATE_LABELS, type AssessmentState } from "~/domain/assessment-states";
import type { SchoolType } from "~/domain/roles";
import { localDateOf } from "~/utils/time";
import { folded } from "./org.server";
import type { CurrentUser } from "../auth/session.server";
import { getDb, type Db } from "../db/client.server";
import { viRanks } from "../vi-order.server";
import { assessments, cycles, schools, units, users } from "../db/schema.server";
import { inRange, isSystemAdmin, pathRange, schoolScope, visibleUnitIds } from "../policy.server";
import { emptyStatusCounts, type StatusCounts } from "./cycle-assessments.server";
import { inOrder } from "./paging.server";

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
  /** Only the files past the deadline of their current step (overdueSql). */
  overdue?: boolean;
  /** The school's type (TH, THCS, …). */
  type?: SchoolType;
  /** The assigned reviewer's user id; null: the files no one is assigned to; undefined: any. */
  reviewerId?: number | null;
  /** A unit: the schools it (or a unit below it) manages or reviews. */
  unitId?: number;
  page?: number;
}

/** The schools a unit or its sub-units manage or review (as cycle-assessments' unit filter). */
function unitCondition(unitId: number, db: Db): SQL {
  const path = db.select({ path: units.path }).from(units).where(eq(units.id, unitId)).get()?.path;
  if (!path) return sql`1 = 0`;
  const r = pathRange(path);
  return sql`(${inRange(schools.managingPath, r)} OR ${inRange(schools.reviewingPath, r)})`;
}

/** How many files of the user's scope are assigned to a reviewer ("Hồ sơ của tôi"); reads assessments_reviewer_idx. */
export function assignedCount(user: CurrentUser, reviewerId: number, db: Db = getDb()): number {
  const q = db.select({ n: count() }).from(assessments);
  return (
    (isSystemAdmin(user) ? q.where(eq(assessments.reviewerId, reviewerId)) : q.innerJoin(schools, eq(assessments.schoolId, schools.id)).where(and(schoolScope(user), eq(assessments.reviewerId, reviewerId))))
      .get()?.n ?? 0
  );
}

/**
 * A file is overdue when the deadline of the step it waits in has passed (local dates, `today`
 * "YYYY-MM-DD"): a draft or a returned file after its self-assessment deadline (the school's
 * extension, else the cycle's); a submitted or approved file after the cycle's review deadline
 * (20/6 by default), in an open cycle. Recognised files never are. The one definition: rows and
 * counts both use it.
 */
export function overdueSql(today: string): SQL<number> {
  return sql<number>`(CASE WHEN ${cycles.status} = 'open' AND (
      (${assessments.status} IN ('draft', 'returned') AND coalesce(${assessments.deadlineOverride}, ${cycles.selfAssessmentDeadline}) < ${today})
      OR (${assessments.status} IN ('submitted', 'approved') AND ${cycles.reviewDeadline} < ${today})) THEN 1 ELSE 0 END)`;
}

/** Days from one local date ("YYYY-MM-DD") to another. */
const daysBetween = (from: string, to: string) => Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);

export interface OpenCycleSummary {
  cycleId: number;
  schoolYear: string;
  unit: string;
  selfDeadline: string;
  reviewDeadline: string;
  /** Days from today to the review deadline (negative: past it). */
  daysLeft: number;
  counts: StatusCounts;
  overdue: number;
}

/** The open cycles of the user's scope, each with its files by state and how many are overdue (one grouped query). */
export function openCycleSummaries(user: CurrentUser, now = Date.now(), db: Db = getDb()): OpenCycleSummary[] {
  const today = localDateOf(now);
  const grouped = db
    .select({
      cycleId: cycles.id,
      schoolYear: cycles.schoolYear,
      unit: units.name,
      selfDeadline: cycles.selfAssessmentDeadline,
      reviewDeadline: cycles.reviewDeadline,
      status: assessments.status,
      n: count(),
      overdue: sql<number>`sum(${overdueSql(today)})`,
    })
    .from(assessments)
    .innerJoin(cycles, eq(assessments.cycleId, cycles.id))
    .innerJoin(units, eq(cycles.ownerUnitId, units.id));
  // The system admin's scope is every school: no join with schools (as cycleStatusCounts).
  const rows = (
    isSystemAdmin(user)
      ? grouped.where(eq(cycles.status, "open"))
      : grouped.innerJoin(schools, eq(assessments.schoolId, schools.id)).where(and(schoolScope(user), eq(cycles.status, "open")))
  )
    .groupBy(cycles.id, assessments.status)
    .all();
  const byCycle = new Map<number, OpenCycleSummary>();
  for (const r of rows) {
    let c = byCycle.get(r.cycleId);
    if (!c) {
      const counts = emptyStatusCounts();
      const daysLeft = daysBetween(today, r.reviewDeadline);
      c = { cycleId: r.cycleId, schoolYear: r.schoolYear, unit: r.unit, selfDeadline: r.selfDeadline, reviewDeadline: r.reviewDeadline, daysLeft, counts, overdue: 0 };
      byCycle.set(r.cycleId, c);
    }
    c.counts[r.status] += r.n;
    c.counts.total += r.n;
    c.overdue += Number(r.overdue) || 0;
  }
  return [...byCycle.values()].sort((a, b) => b.schoolYear.localeCompare(a.schoolYear) || a.unit.localeCompare(b.unit, "vi"));
}

const LIST_PAGE = 20;
const SORT_IN_MEMORY_MAX = 2000;

/**
 * Assessments of the schools a user may read (office roles, system admin), newest school year
 * first, then by school name (Vietnamese collation); filtered by status and a folded search.
 */
export function assessmentsVisibleTo(user: CurrentUser, query: AssessmentListQuery, db: Db = getDb(), now = Date.now()): AssessmentList {
  const steps = listSteps(user, query, db, now);
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
  }
}

/**
 * assessmentsVisibleTo for a page on the request thread: the same steps, with the waiting requests
 * let through between them (yieldToRequests: reading the scope's keys, sorting them, reading the page).
 */
export async function assessmentsVisibleToYielding(user: CurrentUser, query: AssessmentListQuery, between: () => Promise<void>, db: Db = getDb(), now = Date.now()): Promise<AssessmentList> {
  const steps = listSteps(user, query, db, now);
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
    await between();
  }
}

export type AssessmentList = ReturnType<typeof listSteps> extends Generator<unknown, infer R> ? R : never;

/** The list's steps: read the scope's keys (or count), then sort and read the page's rows; yields between. */
function* listSteps(user: CurrentUser, query: AssessmentListQuery, db: Db, now: number) {
  const today = localDateOf(now);
  const late = overdueSql(today);
  const where = and(
    schoolScope(user),
    query.status ? eq(assessments.status, query.status) : undefined,
    folded(schools.searchKey, query.q),
    query.overdue ? sql`${late} = 1` : undefined,
    query.type ? eq(schools.type, query.type) : undefined,
    query.unitId != null ? unitCondition(query.unitId, db) : undefined,
    query.reviewerId === null ? isNull(assessments.reviewerId) : query.reviewerId !== undefined ? eq(assessments.reviewerId, query.reviewerId) : undefined,
  );
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
        schoolId: schools.id,
        managingUnitId: schools.managingUnitId,
        reviewingUnitId: schools.reviewingUnitId,
        reviewerId: assessments.reviewerId,
        reviewerName: users.displayName,
        overdue: late,
        // The deadline of the step the file waits in (the same cases as overdueSql).
        due: sql<string | null>`(CASE WHEN ${assessments.status} IN ('draft', 'returned') THEN coalesce(${assessments.deadlineOverride}, ${cycles.selfAssessmentDeadline})
          WHEN ${assessments.status} IN ('submitted', 'approved') THEN ${cycles.reviewDeadline} END)`,
      })
      .from(assessments)
      .innerJoin(schools, eq(assessments.schoolId, schools.id))
      .innerJoin(cycles, eq(assessments.cycleId, cycles.id))
      .innerJoin(units, eq(schools.reviewingUnitId, units.id))
      // Only the page's rows are read here: the reviewer's name joins for those alone.
      .leftJoin(users, eq(users.id, assessments.reviewerId))
      .where(cond);
  // A scope of up to SORT_IN_MEMORY_MAX files (a province): its (id, year, name) keys are read once,
  // they give the count, and Vietnamese order needs the collator; then only the page's rows are read.
  // A larger scope (the nation) finds out from the SORT_IN_MEMORY_MAX + 1 keys it read, then counts and pages in SQL.
  const keys = db
    .select({ id: assessments.id, school: schools.name, schoolYear: cycles.schoolYear })
    .from(assessments)
    .innerJoin(schools, eq(assessments.schoolId, schools.id))
    .innerJoin(cycles, eq(assessments.cycleId, cycles.id))
    .where(where)
    .limit(SORT_IN_MEMORY_MAX + 1)
    .all();
  yield;
  const inMemory = keys.length <= SORT_IN_MEMORY_MAX;
  const counted = db.select({ n: count() }).from(assessments).innerJoin(schools, eq(assessments.schoolId, schools.id));
  // The overdue filter reads the cycle's deadlines: the count joins the cycles only then.
  const total = inMemory ? keys.length : ((query.overdue ? counted.innerJoin(cycles, eq(assessments.cycleId, cycles.id)) : counted).where(where).get()?.n ?? 0);
  const pageCount = Math.max(1, Math.ceil(total / LIST_PAGE));
  const page = Math.min(Math.max(1, Math.trunc(query.page ?? 1) || 1), pageCount);
  const offset = (page - 1) * LIST_PAGE;
  let rows;
  if (inMemory) {
    const rank = viRanks(keys.map((k) => k.school));
    keys.sort((a, b) => b.schoolYear.localeCompare(a.schoolYear) || rank.get(a.school)! - rank.get(b.school)! || a.id - b.id);
    const ids = keys.slice(offset, offset + LIST_PAGE).map((k) => k.id);
    yield;
    rows = inOrder(ids, ids.length ? base(and(where, inArray(assessments.id, ids))).all() : []);
  } else {
    rows = base().orderBy(desc(cycles.schoolYear), schools.code).limit(LIST_PAGE).offset(offset).all();
  }
  return {
    rows: rows.map(({ due, ...r }) => ({
      ...r,
      overdue: r.overdue === 1,
      /** Whole days past the deadline of the step the file waits in (overdue files only). */
      overdueDays: r.overdue === 1 && due ? daysBetween(due, today) : null,
      submittedAt: r.submittedAt ? r.submittedAt.getTime() : null,
      statusLabel: STATE_LABELS[r.status].vi,
    })),
    page,
    pageCount,
    total,
  };
}
