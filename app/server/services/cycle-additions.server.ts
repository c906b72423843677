/**
 * Schools added to an open cycle: a school created or imported after its cycle was opened has no
 * assessment for that school year. The cycle page lists them (`missingSchools`) and creates their
 * assessments (`addAssessments`), one school or all the missing ones at once.
 *
 * "Missing" is what opening the cycle would have created: active schools whose managing or
 * reviewing unit lies in the cycle's owner subtree (the same path ranges as cycles.server), with no
 * assessment for the cycle's school year in any cycle (a school is assessed once a year), and in
 * the user's school scope. Each call is one immediate transaction (through withWriteLock) that
 * writes the assessments and one audit entry `cycle.assessments.add`; "all" goes in slices of
 * ADD_CHUNK schools, yielding between them like a cycle's opening.
 */
import { and, eq, sql, type SQL } from "drizzle-orm";
import { setTimeout as sleep } from "node:timers/promises";
import { fail, type Fail, type Ok } from "~/domain/result";
import { pick } from "~/i18n";
import { cyclesUi } from "~/i18n/cycles";
import type { CurrentUser } from "../auth/session.server";
import { getDb, withWriteLock, type Db } from "../db/client.server";
import { cycles, schools, units } from "../db/schema.server";
import { pathRange, schoolScope } from "../policy.server";
import { writeAudit } from "./audit.server";

const t = pick(cyclesUi);
export const ADD_CHUNK = 500;
const LIST_MAX = 20;

interface CycleScope {
  id: number;
  schoolYear: string;
  status: "open" | "closed";
  ownerUnitId: number;
  from: string;
  to: string;
}

function scopeOf(cycleId: number, db: Db): CycleScope | null {
  const c = db
    .select({ id: cycles.id, schoolYear: cycles.schoolYear, status: cycles.status, ownerUnitId: cycles.ownerUnitId, path: units.path })
    .from(cycles)
    .innerJoin(units, eq(units.id, cycles.ownerUnitId))
    .where(eq(cycles.id, cycleId))
    .get();
  if (!c || !c.path) return null;
  return { id: c.id, schoolYear: c.schoolYear, status: c.status, ownerUnitId: c.ownerUnitId, ...pathRange(c.path) };
}

/** Schools of the cycle's scope without an assessment this school year, within the user's scope. */
function missingWhere(c: CycleScope, user: CurrentUser): SQL {
  return and(
    eq(schools.active, true),
    sql`((${schools.managingPath} >= ${c.from} AND ${schools.managingPath} < ${c.to}) OR (${schools.reviewingPath} >= ${c.from} AND ${schools.reviewingPath} < ${c.to}))`,
    sql`NOT EXISTS (SELECT 1 FROM assessments a JOIN cycles y ON y.id = a.cycle_id WHERE a.school_id = ${schools.id} AND y.school_year = ${c.schoolYear})`,
    schoolScope(user),
  )!;
}

export interface MissingSchools {
  total: number;
  /** The first LIST_MAX, by code. */
  rows: { id: number; code: string; name: string }[];
}

export function missingSchools(cycleId: number, user: CurrentUser, db: Db = getDb()): MissingSchools {
  const c = scopeOf(cycleId, db);
  if (!c || c.status !== "open") return { total: 0, rows: [] };
  const where = missingWhere(c, user);
  const total = db.select({ n: sql<number>`count(*)` }).from(schools).where(where).get()?.n ?? 0;
  const rows = total === 0 ? [] : db.select({ id: schools.id, code: schools.code, name: schools.name }).from(schools).where(where).orderBy(schools.code).limit(LIST_MAX).all();
  return { total, rows };
}

export type AddAssessmentsResult = Ok<{ created: number; message: string }> | Fail<"not-found" | "closed" | "not-missing">;

/**
 * Creates the draft assessments of one missing school (`schoolId`) or of all of them. One audit
 * entry per slice: the cycle, the count and the schools' ids.
 */
export async function addAssessments(cycleId: number, target: { schoolId: number } | "all", user: CurrentUser, db: Db = getDb(), now = Date.now()): Promise<AddAssessmentsResult> {
  const c = scopeOf(cycleId, db);
  if (!c) return fail("not-found", t.cycleNotFound);
  if (c.status !== "open") return fail("closed", t.addClosed);
  const where = target === "all" ? missingWhere(c, user) : and(missingWhere(c, user), eq(schools.id, target.schoolId))!;
  let created = 0;
  for (;;) {
    const n = withWriteLock(db, () =>
      db.transaction(
        (tx) => {
          const ids = tx.select({ id: schools.id }).from(schools).where(where).orderBy(schools.id).limit(ADD_CHUNK).all().map((r) => r.id);
          if (ids.length === 0) return 0;
          const at = new Date(now);
          // The NOT EXISTS of `where` ran in this transaction: no other writer can have added one since.
          tx.run(
            sql`INSERT INTO assessments (cycle_id, school_id, status, version, created_at) SELECT ${c.id}, value, 'draft', 1, ${at.getTime()} FROM json_each(${JSON.stringify(ids)})`,
          );
          writeAudit(tx, { actorId: user.id, action: "cycle.assessments.add", entityType: "cycle", entityId: c.id, unitId: c.ownerUnitId, details: { created: ids.length, schoolIds: ids } }, now);
          return ids.length;
        },
        { behavior: "immediate" },
      ),
    );
    created += n;
    if (target !== "all" || n < ADD_CHUNK) break;
    await sleep(1);
  }
  if (created === 0) return fail("not-missing", target === "all" ? t.addNoneMissing : t.addNotMissing);
  return { ok: true as const, created, message: t.added(created) };
}
