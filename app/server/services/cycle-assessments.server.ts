/**
 * The assessments of one cycle, for its detail page (/quan-tri/dot-danh-gia/:id): one page of 20 or
 * 50 schools, filtered like /ho-so (status, folded search on the school's name and code) and by
 * sub-unit and school type, and the counts by status of the whole cycle in one GROUP BY. Always
 * within the policy's school scope.
 *
 * Ordering as the admin lists: a filtered set of at most SORT_IN_MEMORY_MAX rows is sorted by school
 * name with the Vietnamese collator (keys only: id, name, code), then paged; bigger sets (a national
 * cycle) are ordered by school code in SQL and paged with LIMIT/OFFSET, and the page says so. Only
 * the page's rows are read in full, so the page costs the same for 1,500 or 53,000 schools.
 */
import { and, count, eq, inArray, sql, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/sqlite-core";
import { allows, STATES, STATE_LABELS, type AssessmentState } from "~/domain/assessment-states";
import type { SchoolType } from "~/domain/roles";
import type { CurrentUser } from "../auth/session.server";
import { getDb, type Db } from "../db/client.server";
import { inOrder, sortKeysByName } from "./paging.server";
import { assessments, cycles, schools, units } from "../db/schema.server";
import { can, inRange, isSystemAdmin, pathRange, schoolScope } from "../policy.server";
import { folded } from "./org.server";

export const CYCLE_PAGE_SIZES = [20, 50] as const;
export type CyclePageSize = (typeof CYCLE_PAGE_SIZES)[number];
/** Up to this many matching rows the page is sorted by name in JS; above it, by code in SQL. */
export const SORT_IN_MEMORY_MAX = 2000;

export interface CycleAssessmentQuery {
  q?: string;
  status?: AssessmentState;
  /** Schools managed or reviewed by this unit or a unit below it. */
  unitId?: number;
  type?: SchoolType;
  page?: number;
  pageSize?: CyclePageSize;
  /** Tests only: override the in-memory sort threshold. */
  sortInMemoryMax?: number;
}

export interface CycleAssessmentRow {
  id: number;
  schoolId: number;
  school: string;
  code: string;
  type: SchoolType;
  managingUnit: string;
  status: AssessmentState;
  statusLabel: string;
  override: string | null;
  selfLevel: number | null;
  /** May this user extend this school's deadline (the extension action's own question, school.manage)? */
  canExtend: boolean;
}

export interface CycleAssessmentPage {
  rows: CycleAssessmentRow[];
  page: number;
  pageCount: number;
  pageSize: CyclePageSize;
  total: number;
  sortedBy: "name" | "code";
}

export type StatusCounts = Record<AssessmentState, number> & { total: number };

/** Every state at 0, and the total. */
export function emptyStatusCounts(): StatusCounts {
  return Object.fromEntries([...STATES.map((s) => [s, 0]), ["total", 0]]) as StatusCounts;
}

/** The whole cycle's assessments by status, within the user's scope: one GROUP BY. */
export function cycleStatusCounts(cycleId: number, user: CurrentUser, db: Db = getDb()): StatusCounts {
  const base = db.select({ status: assessments.status, n: count() }).from(assessments);
  // The system admin's scope is every school: the cycle's (cycle_id, status) index alone answers.
  const rows = (
    isSystemAdmin(user)
      ? base.where(eq(assessments.cycleId, cycleId))
      : base.innerJoin(schools, eq(schools.id, assessments.schoolId)).where(and(eq(assessments.cycleId, cycleId), schoolScope(user)))
  )
    .groupBy(assessments.status)
    .all();
  const out = emptyStatusCounts();
  for (const r of rows) {
    out[r.status] = r.n;
    out.total += r.n;
  }
  return out;
}

function unitCondition(unitId: number, db: Db): SQL {
  const path = db.select({ path: units.path }).from(units).where(eq(units.id, unitId)).get()?.path;
  if (!path) return sql`1 = 0`;
  const r = pathRange(path);
  return sql`(${inRange(schools.managingPath, r)} OR ${inRange(schools.reviewingPath, r)})`;
}

/**
 * One page of the cycle's assessments. `counts` (from cycleStatusCounts) saves the total's query when
 * only the status is filtered.
 */
export function cycleAssessments(cycleId: number, user: CurrentUser, query: CycleAssessmentQuery, db: Db = getDb(), counts?: StatusCounts): CycleAssessmentPage {
  const pageSize: CyclePageSize = query.pageSize ?? 20;
  const where = and(
    eq(assessments.cycleId, cycleId),
    schoolScope(user),
    query.status ? eq(assessments.status, query.status) : undefined,
    folded(schools.searchKey, query.q),
    query.type ? eq(schools.type, query.type) : undefined,
    query.unitId != null ? unitCondition(query.unitId, db) : undefined,
  );
  const onlyStatus = !query.q?.trim() && !query.type && query.unitId == null;
  const total =
    counts && onlyStatus
      ? query.status
        ? counts[query.status]
        : counts.total
      : (db.select({ n: count() }).from(assessments).innerJoin(schools, eq(schools.id, assessments.schoolId)).where(where).get()?.n ?? 0);
  const pageCount = Math.max(1, Math.ceil(total / pageSize));
  const page = Math.min(Math.max(1, Math.trunc(query.page ?? 1) || 1), pageCount);
  const offset = (page - 1) * pageSize;

  let ids: number[];
  let sortedBy: "name" | "code";
  if (total <= (query.sortInMemoryMax ?? SORT_IN_MEMORY_MAX)) {
    const keys = db
      .select({ id: assessments.id, name: schools.name, code: schools.code })
      .from(assessments)
      .innerJoin(schools, eq(schools.id, assessments.schoolId))
      .where(where)
      .all();
    ids = sortKeysByName(keys).slice(offset, offset + pageSize).map((k) => k.id);
    sortedBy = "name";
  } else {
    // Schools first, in code order (the unique index on schools.code), each looked up in the cycle's
    // (cycle_id, school_id) index, until the page is full: no sort of the whole cycle for a page.
    // CROSS JOIN keeps SQLite from reading assessments first, INDEXED BY from reading the scope's
    // path ranges first; either sorts all 53,000 rows of a national cycle for every page.
    ids = db
      .select({ id: assessments.id })
      .from(sql`${schools} INDEXED BY schools_code_uq`)
      .crossJoin(assessments)
      .where(and(eq(assessments.schoolId, schools.id), where))
      .orderBy(schools.code)
      .limit(pageSize)
      .offset(offset)
      .all()
      .map((r) => r.id);
    sortedBy = "code";
  }

  const m = alias(units, "m");
  const rows =
    ids.length === 0
      ? []
      : db
          .select({
            id: assessments.id,
            schoolId: schools.id,
            school: schools.name,
            code: schools.code,
            type: schools.type,
            managingUnitId: schools.managingUnitId,
            reviewingUnitId: schools.reviewingUnitId,
            managingUnit: m.name,
            status: assessments.status,
            override: assessments.deadlineOverride,
            selfLevel: assessments.selfLevel,
          })
          .from(assessments)
          .innerJoin(schools, eq(schools.id, assessments.schoolId))
          .innerJoin(m, eq(m.id, schools.managingUnitId))
          .where(inArray(assessments.id, ids))
          .all();
  // An extension is offered where the door would take it: an open cycle, a file in a state that can be extended.
  const open = db.select({ status: cycles.status }).from(cycles).where(eq(cycles.id, cycleId)).get()?.status === "open";
  return {
    rows: inOrder(ids, rows).map(({ managingUnitId, reviewingUnitId, ...r }) => ({
        ...r,
        statusLabel: STATE_LABELS[r.status].vi,
        // The row carries the placement: the policy needs no lookup per row.
        canExtend: open && allows(r.status, "extendDeadline") && can(user, "school.manage", { kind: "school", schoolId: r.schoolId, managingUnitId, reviewingUnitId }),
      })),
    page,
    pageCount,
    pageSize,
    total,
    sortedBy,
  };
}
