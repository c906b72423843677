/**
 * Stored results of the scoring engine (table assessment_results): what rollups aggregate.
 *
 * The transition door calls `storeResultIn` in the transaction that changes a file's answers,
 * with the engine's ScoreResult; nothing else computes a level. `recomputeCycle` rewrites the
 * stored results of a cycle from its answers (after an edition's data was corrected): run
 * `npm run results:recompute -- <cycleId>`; running it twice changes nothing.
 */
import { eq, sql } from "drizzle-orm";
import { scoreAssessment, type Answers, type ScoreResult } from "~/domain/scoring";
import { getDb, prepared, sqliteOf, withWriteLock, type Db } from "../db/client.server";
import { assessments } from "../db/schema.server";
import { writeAudit } from "./audit.server";
import { answersOf, editionOf, getAssessment, type Tx } from "./assessments.server";

export type Phase = "self" | "external";

interface Row {
  kind: "institution" | "group" | "indicator" | "item";
  code: string;
  points: number;
  max: number;
  level: number | null;
  met: number | null;
  option: string | null;
}

/** The rows of one result, in a stable order (institution, groups, indicators, items). */
export function resultRows(result: ScoreResult): Row[] {
  const rows: Row[] = [];
  const groupPoints = result.groups.reduce((s, g) => s + g.points, 0);
  const groupMax = result.groups.reduce((s, g) => s + g.max, 0);
  rows.push({ kind: "institution", code: "", points: groupPoints, max: groupMax, level: result.level, met: result.mandatoryUnmet.length === 0 ? 1 : 0, option: null });
  for (const g of result.groups) rows.push({ kind: "group", code: g.code, points: g.points, max: g.max, level: g.level, met: g.mandatoryUnmet.length === 0 ? 1 : 0, option: null });
  const unmet = new Set(result.mandatoryUnmet);
  const itemsOf = new Map<string, string[]>();
  for (const i of result.items) {
    const l = itemsOf.get(i.indicatorCode) ?? [];
    l.push(i.code);
    itemsOf.set(i.indicatorCode, l);
  }
  for (const ind of result.indicators) {
    const allMet = (itemsOf.get(ind.code) ?? []).every((c) => !unmet.has(c));
    rows.push({ kind: "indicator", code: ind.code, points: ind.points, max: ind.max, level: ind.band?.level ?? null, met: allMet ? 1 : 0, option: null });
  }
  for (const i of result.items) {
    const met = i.rule === "mandatory" || i.rule === "boolean" ? !!i.met : i.points > 0;
    rows.push({ kind: "item", code: i.code, points: i.points, max: i.max, level: null, met: met ? 1 : 0, option: i.option ?? null });
  }
  return rows;
}

function upsert(tx: Tx | Db, n: number) {
  return prepared(tx, `results.upsert:${n}`, () =>
    sqliteOf(tx).prepare(
      `INSERT INTO assessment_results (assessment_id, phase, kind, code, points, max, level, met, option)
       VALUES ${Array.from({ length: n }, () => "(?, ?, ?, ?, ?, ?, ?, ?, ?)").join(", ")}
       ON CONFLICT (assessment_id, phase, kind, code) DO UPDATE SET
         points = excluded.points, max = excluded.max, level = excluded.level, met = excluded.met, option = excluded.option`,
    ),
  );
}

function clear(tx: Tx | Db) {
  return prepared(tx, "results.clear", () => sqliteOf(tx).prepare("DELETE FROM assessment_results WHERE assessment_id = ? AND phase = ?"));
}

/**
 * Writes a result inside the caller's transaction. `only`: the item codes that changed (a save);
 * then only those items, their indicators, the groups and the institution are written (the other
 * rows cannot have changed). Without it every row is rewritten and rows of codes the edition no
 * longer has are removed.
 */
export function storeResultIn(tx: Tx | Db, assessmentId: number, phase: Phase, result: ScoreResult, only?: readonly string[]): void {
  const rows = resultRows(result);
  if (!only) {
    clear(tx).run(assessmentId, phase);
    return upsertRows(tx, assessmentId, phase, rows);
  }
  const items = new Set(only);
  const indicators = new Set(result.items.filter((i) => items.has(i.code)).map((i) => i.indicatorCode));
  upsertRows(
    tx,
    assessmentId,
    phase,
    rows.filter((r) => (r.kind !== "item" || items.has(r.code)) && (r.kind !== "indicator" || indicators.has(r.code))),
  );
}

/** Rows per upsert statement (a statement per row count up to this, prepared once per connection). */
const UPSERT_CHUNK = 32;

/** Writes rows as multi-row upserts: one statement for a save's few rows instead of one per row. */
function upsertRows(tx: Tx | Db, assessmentId: number, phase: Phase, rows: Row[]): void {
  for (let i = 0; i < rows.length; i += UPSERT_CHUNK) {
    const part = rows.slice(i, i + UPSERT_CHUNK);
    const args: unknown[] = [];
    for (const r of part) args.push(assessmentId, phase, r.kind, r.code, r.points, r.max, r.level, r.met, r.option);
    upsert(tx, part.length).run(args);
  }
}

/** Removes a phase's stored result (the office's external answers were discarded). */
export function clearResultIn(tx: Tx | Db, assessmentId: number, phase: Phase): void {
  clear(tx).run(assessmentId, phase);
}

export interface RecomputeReport {
  assessments: number;
  /** Rows whose stored values differed from a fresh scoring (0 on a second run). */
  changedRows: number;
  /** Level columns of assessments corrected. */
  changedLevels: number;
}

/**
 * Rescores every file of a cycle from its stored answers, both phases, and rewrites the stored
 * rows and the cached level columns where they differ. Idempotent. The recognised level is a
 * decision's record and is not touched.
 */
export function recomputeCycle(cycleId: number, actorId: number | null = null, db: Db = getDb(), now = Date.now()): RecomputeReport {
  const ids = db
    .select({ id: assessments.id })
    .from(assessments)
    .where(eq(assessments.cycleId, cycleId))
    .all()
    .map((r) => r.id);
  const report: RecomputeReport = { assessments: ids.length, changedRows: 0, changedLevels: 0 };
  const read = db.$client.prepare<[number, string], Row>(
    "SELECT kind, code, points, max, level, met, option FROM assessment_results WHERE assessment_id = ? AND phase = ? ORDER BY kind, code",
  );
  const key = (r: Row) => `${r.kind}|${r.code}|${r.points}|${r.max}|${r.level}|${r.met}|${r.option}`;
  // Chunks of 200 files per transaction, so that requests are not held behind one long write.
  for (let i = 0; i < ids.length; i += 200) {
    const chunk = ids.slice(i, i + 200);
    withWriteLock(db, () =>
      db.transaction(
        (tx) => {
          for (const id of chunk) {
            const a = getAssessment(id, tx);
            if (!a) continue;
            const edition = editionOf(a);
            for (const phase of ["self", "external"] as const) {
              const set = answersOf(id, phase, tx);
              const hasLevel = phase === "self" ? a.selfLevel != null || Object.keys(set.answers).length > 0 : a.externalLevel != null;
              const stored = read.all(id, phase);
              if (!hasLevel) {
                if (stored.length) {
                  report.changedRows += stored.length;
                  clearResultIn(tx, id, phase);
                }
                continue;
              }
              const result = scoreAssessment(edition, set.answers as Answers);
              const fresh = resultRows(result);
              const before = new Set(stored.map(key));
              const after = new Set(fresh.map(key));
              const diff = fresh.filter((r) => !before.has(key(r))).length + stored.filter((r) => !after.has(key(r))).length;
              if (diff) {
                report.changedRows += diff;
                storeResultIn(tx, id, phase, result);
              }
              const cached = phase === "self" ? a.selfLevel : a.externalLevel;
              if (cached !== result.level) {
                report.changedLevels++;
                tx.run(phase === "self" ? sql`UPDATE assessments SET self_level = ${result.level} WHERE id = ${id}` : sql`UPDATE assessments SET external_level = ${result.level} WHERE id = ${id}`);
              }
            }
          }
        },
        { behavior: "immediate" },
      ),
    );
  }
  if (report.changedRows || report.changedLevels)
    withWriteLock(db, () =>
      db.transaction((tx) => writeAudit(tx, { actorId, action: "results.recompute", entityType: "cycle", entityId: cycleId, details: report }, now), { behavior: "immediate" }),
    );
  return report;
}

/**
 * Stores the results of files scored before results were stored (a database migrated to 0008):
 * the cycles holding a scored file without rows are recomputed. Cheap when there is nothing to do.
 */
export function backfillResults(db: Db = getDb()): number[] {
  const cycles = db.$client
    .prepare<[], { id: number }>(
      `SELECT DISTINCT a.cycle_id AS id FROM assessments a
        WHERE (a.self_level IS NOT NULL OR a.external_level IS NOT NULL)
          AND NOT EXISTS (SELECT 1 FROM assessment_results r WHERE r.assessment_id = a.id)`,
    )
    .all()
    .map((r) => r.id);
  for (const id of cycles) recomputeCycle(id, null, db);
  return cycles;
}
