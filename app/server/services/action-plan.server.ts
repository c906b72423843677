/**
 * The school's action plan (kế hoạch cải thiện): action_items of an assessment and their evidence.
 *
 * - generatePlan: the gaps of the scored assessment (the self phase; the external one once it is
 *   finished), unmet mandatory conditions first (edition order), then the items that can still
 *   gain points in the order of nextLevelHints ("Để đạt mức tiếp theo"). Idempotent: an item that
 *   already has an open action (generated, carried or the school's own with that item code) gets
 *   no second one; the school's edits (title, owner, dates, status, notes, evidence) are never
 *   touched, only the order and the gain of open generated actions follow the current score.
 * - createAction / updateAction / deleteAction: the school's edits, each checked against the
 *   action's `version` (a stale edit is refused, nothing is overwritten) and audited.
 * - carryPlanForward: the actions not done of a previous year's plan copied into a later
 *   assessment of the same school (carried_from set), once per action.
 * - planSummary: the office's view of its schools' plans (items being worked on, overdue actions).
 *
 * Points and levels are the scoring engine's (app/domain/scoring); this module only copies them.
 * Authorization is the caller's job (routes ask the policy first).
 */
import { PassThrough } from "node:stream";
import ExcelJS from "exceljs";
import { createReadableStreamFromReadable } from "@remix-run/node";
import { and, asc, count, desc, eq, inArray, isNotNull, lt, ne, sql, type SQL } from "drizzle-orm";
import { externalVisibleToSchool } from "~/domain/assessment-states";
import {
  ACTION_FIELD_MESSAGES,
  ACTION_STATUS_LABELS,
  ACTION_TITLE_MAX,
  type ActionFieldName,
  type ActionFields,
  type ActionKind,
  type ActionStatus,
  type SummaryFilter,
} from "~/domain/action-plan";
import type { Edition } from "~/domain/catalogue";
import { fail, ok, type Fail, type Ok } from "~/domain/result";
import { nextLevelHints } from "~/domain/scoring";
import { pick } from "~/i18n";
import { actionPlan } from "~/i18n/action-plan";
import { localDateOf } from "~/utils/time";
import type { CurrentUser } from "../auth/session.server";
import { getDb, withWriteLock, type Db } from "../db/client.server";
import { actionItemEvidence, actionItems, assessments, cycles, evidence, schools, units, userRoles, users } from "../db/schema.server";
import { schoolScope } from "../policy.server";
import { viRanks } from "../vi-order.server";
import { writeAudit } from "./audit.server";
import { getEdition } from "./catalogue.server";
import { editionOf, getAssessment, scoreOf, type AssessmentRecord, type Tx } from "./assessments.server";
import { placeFromProvince } from "./report.server";
import { addSafeRow, type CellValue } from "../export/cells.server";
import { XLSX_MIME } from "../export/schools-export.server";
import { contentDisposition } from "../storage/filename.server";
import { actionPlanFileNames } from "../pdf/action-plan.server";
import type { ActionPlanData } from "../pdf/action-plan.server";

const t = pick(actionPlan);
const fm = ACTION_FIELD_MESSAGES;

export const SUMMARY_PAGE = 20;
const SORT_IN_MEMORY_MAX = 2000;

// ───────────────────────────── gaps ─────────────────────────────

export type PlanPhase = "self" | "external";

/** The phase a plan is built from: the external result once it is final, else the self-assessment. */
export function planPhase(a: Pick<AssessmentRecord, "status">): PlanPhase {
  return externalVisibleToSchool(a.status) ? "external" : "self";
}

export interface Gap {
  itemCode: string;
  title: string;
  /** Hundredths toward the next level (0 for a mandatory condition). */
  gain: number;
  mandatory: boolean;
}

function itemTexts(edition: Edition): Map<string, string> {
  const out = new Map<string, string>();
  for (const g of edition.groups) for (const ind of g.indicators) for (const it of ind.items) out.set(it.code, it.text);
  return out;
}

/** A title from an item's text (one line, at most ACTION_TITLE_MAX characters). */
function titleFrom(text: string): string {
  const s = text.normalize("NFC").replace(/\s+/g, " ").trim();
  return s.length <= ACTION_TITLE_MAX ? s : `${s.slice(0, ACTION_TITLE_MAX - 1).trimEnd()}…`;
}

/** The gaps of an assessment, in plan order: unmet mandatory conditions, then nextLevelHints' gains. */
export function gapsOf(a: AssessmentRecord, phase: PlanPhase = planPhase(a)): { gaps: Gap[]; answered: number; level: number; levelName: string } {
  const edition = editionOf(a);
  const result = scoreOf(a, phase);
  const texts = itemTexts(edition);
  const seen = new Set<string>();
  const gaps: Gap[] = [];
  for (const code of result.mandatoryUnmet) {
    if (seen.has(code)) continue;
    seen.add(code);
    gaps.push({ itemCode: code, title: titleFrom(texts.get(code) ?? code), gain: 0, mandatory: true });
  }
  for (const h of nextLevelHints(edition, result)) {
    for (const g of h.gains) {
      if (seen.has(g.code)) continue;
      seen.add(g.code);
      gaps.push({ itemCode: g.code, title: titleFrom(g.text), gain: g.gain, mandatory: false });
    }
  }
  return { gaps, answered: result.answered, level: result.level, levelName: result.levelName };
}

// ───────────────────────────── reading ─────────────────────────────

export interface PlanEvidence {
  id: number;
  title: string;
  kind: "file" | "link";
}

export interface PlanAction {
  id: number;
  kind: ActionKind;
  itemCode: string | null;
  title: string;
  gain: number;
  position: number;
  ownerId: number | null;
  ownerName: string | null;
  dueDate: string | null;
  status: ActionStatus;
  statusLabel: string;
  notes: string | null;
  carriedFrom: number | null;
  /** School year of the plan the action was carried from. */
  carriedFromYear: string | null;
  version: number;
  updatedAt: number | null;
  evidence: PlanEvidence[];
  /** Due date passed and not done (local date of `now`). */
  overdue: boolean;
}

/** The actions of an assessment's plan, in plan order. */
export function planOf(assessmentId: number, now = Date.now(), db: Db | Tx = getDb()): PlanAction[] {
  const rows = db
    .select({
      id: actionItems.id,
      kind: actionItems.kind,
      itemCode: actionItems.itemCode,
      title: actionItems.title,
      gain: actionItems.gain,
      position: actionItems.position,
      ownerId: actionItems.ownerId,
      ownerName: users.displayName,
      dueDate: actionItems.dueDate,
      status: actionItems.status,
      notes: actionItems.notes,
      carriedFrom: actionItems.carriedFrom,
      version: actionItems.version,
      updatedAt: actionItems.updatedAt,
    })
    .from(actionItems)
    .leftJoin(users, eq(users.id, actionItems.ownerId))
    .where(eq(actionItems.assessmentId, assessmentId))
    .orderBy(asc(actionItems.position), asc(actionItems.id))
    .all();
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const ev = db
    .select({ actionId: actionItemEvidence.actionId, id: evidence.id, title: evidence.title, kind: evidence.kind })
    .from(actionItemEvidence)
    .innerJoin(evidence, eq(evidence.id, actionItemEvidence.evidenceId))
    .where(and(inArray(actionItemEvidence.actionId, ids), sql`${evidence.deletedAt} IS NULL`))
    .orderBy(asc(evidence.title), asc(evidence.id))
    .all();
  const byAction = new Map<number, PlanEvidence[]>();
  for (const e of ev) {
    const list = byAction.get(e.actionId) ?? [];
    list.push({ id: e.id, title: e.title, kind: e.kind });
    byAction.set(e.actionId, list);
  }
  const fromIds = [...new Set(rows.map((r) => r.carriedFrom).filter((x): x is number => x != null))];
  const years = new Map<number, string>(
    fromIds.length
      ? db
          .select({ id: actionItems.id, year: cycles.schoolYear })
          .from(actionItems)
          .innerJoin(assessments, eq(assessments.id, actionItems.assessmentId))
          .innerJoin(cycles, eq(cycles.id, assessments.cycleId))
          .where(inArray(actionItems.id, fromIds))
          .all()
          .map((r) => [r.id, r.year] as const)
      : [],
  );
  const today = localDateOf(now);
  return rows.map((r) => ({
    ...r,
    ownerName: r.ownerName ?? null,
    statusLabel: ACTION_STATUS_LABELS[r.status],
    carriedFromYear: r.carriedFrom != null ? (years.get(r.carriedFrom) ?? null) : null,
    updatedAt: r.updatedAt ? r.updatedAt.getTime() : null,
    evidence: byAction.get(r.id) ?? [],
    overdue: r.status !== "done" && r.dueDate != null && r.dueDate < today,
  }));
}

export interface SchoolUserChoice {
  id: number;
  name: string;
}

/** The school's active users: the owners an action can be given to (Vietnamese order). */
export function schoolUsers(schoolId: number, db: Db | Tx = getDb()): SchoolUserChoice[] {
  const rows = db
    .select({ id: users.id, name: users.displayName })
    .from(users)
    .where(and(eq(users.schoolId, schoolId), eq(users.active, true)))
    .all();
  const collator = new Intl.Collator("vi", { sensitivity: "base" });
  return rows.sort((a, b) => collator.compare(a.name, b.name) || a.id - b.id);
}

/** The school's evidence library as choices (non-deleted, newest first). */
export function evidenceChoices(schoolId: number, db: Db | Tx = getDb()): PlanEvidence[] {
  return db
    .select({ id: evidence.id, title: evidence.title, kind: evidence.kind })
    .from(evidence)
    .where(and(eq(evidence.schoolId, schoolId), sql`${evidence.deletedAt} IS NULL`))
    .orderBy(desc(evidence.createdAt), desc(evidence.id))
    .all();
}

// ───────────────────────────── writing ─────────────────────────────

type Invalid = Fail<"invalid", { field: ActionFieldName }>;
const invalid = (field: ActionFieldName, message: string): Invalid => fail("invalid", message, { field });

class Abort extends Error {
  constructor(readonly result: Fail<string, object>) {
    super(result.message);
  }
}

function write<T>(db: Db, fn: (tx: Tx) => T): T {
  return withWriteLock(db, () => db.transaction((tx) => fn(tx), { behavior: "immediate" }));
}

/** Checks the owner and the evidence against the school; returns a refusal or null. */
function checkRefs(tx: Tx, schoolId: number, f: Pick<ActionFields, "ownerId" | "evidenceIds">): Invalid | null {
  if (f.ownerId != null) {
    const u = tx.select({ schoolId: users.schoolId, active: users.active }).from(users).where(eq(users.id, f.ownerId)).get();
    if (!u || u.schoolId !== schoolId || !u.active) return invalid("ownerId", fm.owner);
  }
  const ids = [...new Set(f.evidenceIds)];
  if (ids.length) {
    const found = tx
      .select({ id: evidence.id })
      .from(evidence)
      .where(and(inArray(evidence.id, ids), eq(evidence.schoolId, schoolId), sql`${evidence.deletedAt} IS NULL`))
      .all();
    if (found.length !== ids.length) return invalid("evidenceIds", fm.evidence);
  }
  return null;
}

function setEvidence(tx: Tx, actionId: number, evidenceIds: number[]): void {
  tx.delete(actionItemEvidence).where(eq(actionItemEvidence.actionId, actionId)).run();
  const ids = [...new Set(evidenceIds)];
  if (ids.length) tx.insert(actionItemEvidence).values(ids.map((evidenceId) => ({ actionId, evidenceId }))).run();
}

function evidenceIdsOf(tx: Tx, actionId: number): number[] {
  return tx
    .select({ id: actionItemEvidence.evidenceId })
    .from(actionItemEvidence)
    .where(eq(actionItemEvidence.actionId, actionId))
    .all()
    .map((r) => r.id)
    .sort((x, y) => x - y);
}

export type GenerateResult = Ok<{ created: number; kept: number; phase: PlanPhase }> | Fail<"not-found" | "empty">;

/**
 * Builds (or brings up to date) the plan of an assessment from its gaps. Idempotent: an item with
 * an open action gets none more; open generated actions take the gap's current order and gain;
 * the school's own and finished actions keep their place after them.
 */
export function generatePlan(assessmentId: number, actorId: number, now = Date.now(), db: Db = getDb()): GenerateResult {
  const a = getAssessment(assessmentId, db);
  if (!a) return fail("not-found", t.errors.notFound);
  const phase = planPhase(a);
  const { gaps, answered } = gapsOf(a, phase);
  if (answered === 0) return fail("empty", t.noAnswers);
  return write(db, (tx) => {
    const existing = tx
      .select({ id: actionItems.id, kind: actionItems.kind, itemCode: actionItems.itemCode, status: actionItems.status, position: actionItems.position, gain: actionItems.gain })
      .from(actionItems)
      .where(eq(actionItems.assessmentId, a.id))
      .orderBy(asc(actionItems.position), asc(actionItems.id))
      .all();
    const openByItem = new Map<string, (typeof existing)[number]>();
    for (const e of existing) if (e.status !== "done" && e.itemCode && !openByItem.has(e.itemCode)) openByItem.set(e.itemCode, e);

    let created = 0;
    let kept = 0;
    const placed = new Set<number>();
    let position = 0;
    for (const g of gaps) {
      position++;
      const open = openByItem.get(g.itemCode);
      if (open) {
        kept++;
        placed.add(open.id);
        // The order and the gain follow the score (not the school's edit: the version stays).
        if (open.position !== position || (open.kind === "gap" && open.gain !== g.gain))
          tx.update(actionItems)
            .set(open.kind === "gap" ? { position, gain: g.gain } : { position })
            .where(eq(actionItems.id, open.id))
            .run();
        continue;
      }
      const row = tx
        .insert(actionItems)
        .values({ assessmentId: a.id, schoolId: a.schoolId, kind: "gap", itemCode: g.itemCode, title: g.title, gain: g.gain, position, status: "todo", createdBy: actorId, createdAt: new Date(now) })
        .returning({ id: actionItems.id })
        .get();
      placed.add(row.id);
      created++;
    }
    // Everything else (own actions, finished ones, items no longer a gap) after, in their order.
    for (const e of existing) {
      if (placed.has(e.id)) continue;
      position++;
      if (e.position !== position) tx.update(actionItems).set({ position }).where(eq(actionItems.id, e.id)).run();
    }
    writeAudit(
      tx,
      { actorId, action: "plan.generate", entityType: "action_item", entityId: null, schoolId: a.schoolId, assessmentId: a.id, details: { phase, gaps: gaps.length, created, kept } },
      now,
    );
    return ok({ created, kept, phase });
  });
}

function nextPosition(tx: Tx, assessmentId: number): number {
  const r = tx.select({ p: sql<number | null>`max(${actionItems.position})` }).from(actionItems).where(eq(actionItems.assessmentId, assessmentId)).get();
  return (r?.p ?? 0) + 1;
}

export type CreateResult = Ok<{ actionId: number }> | Invalid | Fail<"not-found">;

/** The school's own action (kind "own"), at the end of the plan. */
export function createAction(assessmentId: number, input: ActionFields & { itemCode: string | null }, actorId: number, now = Date.now(), db: Db = getDb()): CreateResult {
  const a = getAssessment(assessmentId, db);
  if (!a) return fail("not-found", t.errors.notFound);
  if (input.itemCode != null && !itemTexts(editionOf(a)).has(input.itemCode)) return invalid("itemCode", fm.itemCode);
  try {
    return write(db, (tx) => {
      const bad = checkRefs(tx, a.schoolId, input);
      if (bad) throw new Abort(bad);
      const row = tx
        .insert(actionItems)
        .values({
          assessmentId: a.id,
          schoolId: a.schoolId,
          kind: "own",
          itemCode: input.itemCode,
          title: input.title,
          gain: 0,
          position: nextPosition(tx, a.id),
          ownerId: input.ownerId,
          dueDate: input.dueDate,
          status: input.status,
          notes: input.notes,
          createdBy: actorId,
          createdAt: new Date(now),
        })
        .returning({ id: actionItems.id })
        .get();
      setEvidence(tx, row.id, input.evidenceIds);
      writeAudit(
        tx,
        {
          actorId,
          action: "plan.create",
          entityType: "action_item",
          entityId: row.id,
          schoolId: a.schoolId,
          assessmentId: a.id,
          details: { itemCode: input.itemCode, title: input.title, ownerId: input.ownerId, dueDate: input.dueDate, status: input.status, evidenceIds: [...new Set(input.evidenceIds)] },
        },
        now,
      );
      return ok({ actionId: row.id });
    });
  } catch (e) {
    if (e instanceof Abort) return e.result as Invalid;
    throw e;
  }
}

export type UpdateResult = Ok<{ version: number; changed: string[] }> | Invalid | Fail<"not-found"> | Fail<"stale", { current: PlanAction | null }>;

/**
 * An edit of an action of this assessment's plan, if `version` is still the action's version.
 * A stale edit changes nothing and answers the current action.
 */
export function updateAction(assessmentId: number, input: ActionFields & { actionId: number; version: number }, actorId: number, now = Date.now(), db: Db = getDb()): UpdateResult {
  try {
    return write(db, (tx) => {
      const cur = tx.select().from(actionItems).where(and(eq(actionItems.id, input.actionId), eq(actionItems.assessmentId, assessmentId))).get();
      if (!cur) throw new Abort(fail("not-found", t.errors.notFound));
      if (cur.version !== input.version) throw new Abort(fail("stale", t.errors.stale, { current: null }));
      const bad = checkRefs(tx, cur.schoolId, input);
      if (bad) throw new Abort(bad);
      const before = { title: cur.title, ownerId: cur.ownerId, dueDate: cur.dueDate, status: cur.status, notes: cur.notes, evidenceIds: evidenceIdsOf(tx, cur.id) };
      const after = { title: input.title, ownerId: input.ownerId, dueDate: input.dueDate, status: input.status, notes: input.notes, evidenceIds: [...new Set(input.evidenceIds)].sort((x, y) => x - y) };
      const changed = (Object.keys(after) as (keyof typeof after)[]).filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]));
      if (changed.length === 0) return ok({ version: cur.version, changed });
      const done = tx
        .update(actionItems)
        .set({ title: after.title, ownerId: after.ownerId, dueDate: after.dueDate, status: after.status, notes: after.notes, version: cur.version + 1, updatedAt: new Date(now) })
        .where(and(eq(actionItems.id, cur.id), eq(actionItems.version, input.version)))
        .run();
      if (done.changes !== 1) throw new Abort(fail("stale", t.errors.stale, { current: null }));
      if (changed.includes("evidenceIds")) setEvidence(tx, cur.id, after.evidenceIds);
      const diff = Object.fromEntries(changed.map((k) => [k, { from: before[k], to: after[k] }]));
      writeAudit(tx, { actorId, action: "plan.update", entityType: "action_item", entityId: cur.id, schoolId: cur.schoolId, assessmentId, details: { version: cur.version + 1, changes: diff } }, now);
      return ok({ version: cur.version + 1, changed });
    });
  } catch (e) {
    if (e instanceof Abort) {
      if (e.result.kind === "stale") {
        const current = planOf(assessmentId, now, db).find((x) => x.id === input.actionId) ?? null;
        return fail("stale", t.errors.stale, { current });
      }
      return e.result as Invalid | Fail<"not-found">;
    }
    throw e;
  }
}

export type DeleteResult = Ok<{ deleted: number }> | Fail<"not-found"> | Fail<"stale">;

export function deleteAction(assessmentId: number, input: { actionId: number; version: number }, actorId: number, now = Date.now(), db: Db = getDb()): DeleteResult {
  try {
    return write(db, (tx) => {
      const cur = tx.select().from(actionItems).where(and(eq(actionItems.id, input.actionId), eq(actionItems.assessmentId, assessmentId))).get();
      if (!cur) throw new Abort(fail("not-found", t.errors.notFound));
      if (cur.version !== input.version) throw new Abort(fail("stale", t.errors.stale));
      // An action carried into a later year keeps its copy (carried_from is set null by the FK).
      tx.delete(actionItems).where(eq(actionItems.id, cur.id)).run();
      writeAudit(
        tx,
        { actorId, action: "plan.delete", entityType: "action_item", entityId: cur.id, schoolId: cur.schoolId, assessmentId, details: { kind: cur.kind, itemCode: cur.itemCode, title: cur.title, status: cur.status } },
        now,
      );
      return ok({ deleted: cur.id });
    });
  } catch (e) {
    if (e instanceof Abort) return e.result as Fail<"not-found"> | Fail<"stale">;
    throw e;
  }
}

// ───────────────────────────── carrying over ─────────────────────────────

export interface PreviousPlan {
  assessmentId: number;
  schoolYear: string;
  /** Actions not done there and not carried into this assessment yet. */
  open: number;
}

/** Open actions of this school's plan of the previous year, not yet carried into `a` (null when none). */
export function previousPlanFor(a: Pick<AssessmentRecord, "id" | "schoolId" | "schoolYear">, db: Db = getDb()): PreviousPlan | null {
  const prev = db
    .select({ id: assessments.id, schoolYear: cycles.schoolYear })
    .from(assessments)
    .innerJoin(cycles, eq(cycles.id, assessments.cycleId))
    .where(and(eq(assessments.schoolId, a.schoolId), lt(cycles.schoolYear, a.schoolYear)))
    .orderBy(desc(cycles.schoolYear), desc(assessments.id))
    .get();
  if (!prev) return null;
  const carried = db
    .select({ from: actionItems.carriedFrom })
    .from(actionItems)
    .where(and(eq(actionItems.assessmentId, a.id), isNotNull(actionItems.carriedFrom)));
  const n =
    db
      .select({ n: count() })
      .from(actionItems)
      .where(and(eq(actionItems.assessmentId, prev.id), ne(actionItems.status, "done"), sql`${actionItems.id} NOT IN ${carried}`))
      .get()?.n ?? 0;
  return n > 0 ? { assessmentId: prev.id, schoolYear: prev.schoolYear, open: n } : null;
}

export type CarryResult = Ok<{ carried: number }> | Fail<"not-found" | "year">;

/**
 * Copies the actions not done of `fromAssessmentId`'s plan into `toAssessmentId`'s (same school,
 * a later school year): kind, item, title, gain, owner (if still at the school), due date,
 * status, notes and evidence, with carried_from set. Idempotent: an action already carried there
 * is not copied again.
 */
export function carryPlanForward(fromAssessmentId: number, toAssessmentId: number, actorId: number, now = Date.now(), db: Db = getDb()): CarryResult {
  const from = getAssessment(fromAssessmentId, db);
  const to = getAssessment(toAssessmentId, db);
  if (!from || !to) return fail("not-found", t.errors.notFound);
  if (from.schoolId !== to.schoolId || !(from.schoolYear < to.schoolYear)) return fail("year", t.carry.badYear);
  return write(db, (tx) => {
    const already = new Set(
      tx
        .select({ from: actionItems.carriedFrom })
        .from(actionItems)
        .where(and(eq(actionItems.assessmentId, to.id), isNotNull(actionItems.carriedFrom)))
        .all()
        .map((r) => r.from!),
    );
    const source = tx
      .select()
      .from(actionItems)
      .where(and(eq(actionItems.assessmentId, from.id), ne(actionItems.status, "done")))
      .orderBy(asc(actionItems.position), asc(actionItems.id))
      .all()
      .filter((r) => !already.has(r.id));
    const staff = new Set(schoolUsers(to.schoolId, tx).map((u) => u.id));
    let position = nextPosition(tx, to.id);
    const copies: { from: number; to: number }[] = [];
    for (const s of source) {
      const row = tx
        .insert(actionItems)
        .values({
          assessmentId: to.id,
          schoolId: to.schoolId,
          kind: s.kind,
          itemCode: s.itemCode,
          title: s.title,
          gain: s.gain,
          position: position++,
          ownerId: s.ownerId != null && staff.has(s.ownerId) ? s.ownerId : null,
          dueDate: s.dueDate,
          status: s.status,
          notes: s.notes,
          carriedFrom: s.id,
          createdBy: actorId,
          createdAt: new Date(now),
        })
        .returning({ id: actionItems.id })
        .get();
      const ev = tx
        .select({ id: actionItemEvidence.evidenceId })
        .from(actionItemEvidence)
        .innerJoin(evidence, eq(evidence.id, actionItemEvidence.evidenceId))
        .where(and(eq(actionItemEvidence.actionId, s.id), sql`${evidence.deletedAt} IS NULL`))
        .all();
      if (ev.length) tx.insert(actionItemEvidence).values(ev.map((e) => ({ actionId: row.id, evidenceId: e.id }))).run();
      copies.push({ from: s.id, to: row.id });
    }
    if (copies.length)
      writeAudit(
        tx,
        { actorId, action: "plan.carry", entityType: "action_item", entityId: null, schoolId: to.schoolId, assessmentId: to.id, details: { fromAssessmentId: from.id, fromYear: from.schoolYear, copies } },
        now,
      );
    return ok({ carried: copies.length });
  });
}

// ───────────────────────────── the documents ─────────────────────────────

function unitChain(unitId: number, db: Db): { kind: string; name: string }[] {
  return db.$client
    .prepare(
      `WITH RECURSIVE up(id, kind, name, parent_id, depth) AS (
         SELECT id, kind, name, parent_id, 0 FROM units WHERE id = ?
         UNION ALL SELECT u.id, u.kind, u.name, u.parent_id, up.depth + 1 FROM units u JOIN up ON u.id = up.parent_id WHERE up.depth < 16)
       SELECT kind, name FROM up ORDER BY depth`,
    )
    .all(unitId) as { kind: string; name: string }[];
}

export function buildActionPlanData(assessmentId: number, now = Date.now(), db: Db = getDb()): ActionPlanData | null {
  const a = getAssessment(assessmentId, db);
  if (!a) return null;
  const school = db.select({ managing: schools.managingUnitId, reviewing: schools.reviewingUnitId }).from(schools).where(eq(schools.id, a.schoolId)).get()!;
  const up = unitChain(school.managing, db);
  const province = up.find((u) => u.kind === "province");
  const reviewing = db.select({ name: units.name }).from(units).where(eq(units.id, school.reviewing)).get();
  const head = db
    .select({ name: users.displayName })
    .from(users)
    .innerJoin(userRoles, eq(userRoles.userId, users.id))
    .where(and(eq(users.schoolId, a.schoolId), eq(userRoles.role, "school_head"), eq(users.active, true)))
    .orderBy(asc(users.id))
    .get();
  const phase = planPhase(a);
  const score = scoreOf(a, phase);
  const plan = planOf(a.id, now, db);
  return {
    assessmentId: a.id,
    school: { name: a.schoolName, code: a.schoolCode },
    managingUnitName: up[0]?.name ?? "",
    reviewingUnitName: reviewing?.name ?? up[0]?.name ?? "",
    placeName: placeFromProvince(province?.name ?? up[0]?.name ?? ""),
    schoolYear: a.schoolYear,
    level: score.answered > 0 ? { level: score.level, name: score.levelName } : null,
    phase,
    date: Date.parse(`${localDateOf(now)}T12:00:00+07:00`),
    headName: head?.name ?? null,
    rows: plan.map((p, i) => ({
      no: i + 1,
      itemCode: p.itemCode,
      title: p.title,
      owner: p.ownerName,
      dueDate: p.dueDate,
      status: p.status,
      statusLabel: p.statusLabel,
      notes: p.notes,
      kind: p.kind,
      carried: p.carriedFrom != null,
      evidence: p.evidence.map((e) => e.title),
    })),
  };
}

/** A local date 'YYYY-MM-DD' as a date cell's value (UTC midnight: the serial of that very day). */
function dateCell(iso: string | null): Date | null {
  const m = iso ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso) : null;
  return m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : null;
}

/** The plan as one sheet: header frozen, autofilter, the due date a real date cell (dd/mm/yyyy). */
export function writeActionPlanSheet(wb: ExcelJS.Workbook | ExcelJS.stream.xlsx.WorkbookWriter, data: ActionPlanData): void {
  const c = t.cols;
  const x = t.xlsx;
  const head = [c.no, c.item, c.title, c.owner, c.due, c.status, c.notes, c.evidence, x.kind, x.carried];
  const widths = [6, 10, 60, 24, 12, 18, 40, 40, 24, 10];
  const DUE = 5; // 1-based column of the due date
  const sheet = wb.addWorksheet(x.sheet, { views: [{ state: "frozen", ySplit: 1, xSplit: 0 }] });
  sheet.columns = widths.map((width) => ({ width }));
  const header = addSafeRow(sheet, head, { commit: false });
  header.font = { bold: true };
  header.alignment = { vertical: "top", wrapText: true };
  header.commit();
  for (const r of data.rows) {
    const values: CellValue[] = [r.no, r.itemCode, r.title, r.owner, null, r.statusLabel, r.notes, r.evidence.join("\n") || null, r.kind === "gap" ? t.kindGap : t.kindOwn, r.carried ? x.yes : null];
    const row = addSafeRow(sheet, values, { commit: false });
    const due = dateCell(r.dueDate);
    if (due) {
      const cellRef = row.getCell(DUE);
      cellRef.value = due;
      cellRef.numFmt = "dd/mm/yyyy";
    }
    row.alignment = { vertical: "top", wrapText: true };
    row.commit();
  }
  sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1 + data.rows.length, column: head.length } };
  if ("commit" in sheet && typeof (sheet as { commit?: unknown }).commit === "function") (sheet as unknown as { commit(): void }).commit();
}

/** /danh-gia/:id/ke-hoach.xlsx: the workbook streamed into the response. */
export function actionPlanXlsxResponse(data: ActionPlanData): Response {
  const out = new PassThrough();
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useSharedStrings: false, useStyles: true });
  wb.creator = "CĐS 4725";
  void (async () => {
    try {
      writeActionPlanSheet(wb, data);
      await wb.commit();
    } catch (e) {
      console.error("action plan xlsx", e);
      out.destroy(e instanceof Error ? e : new Error(String(e)));
    }
  })();
  return new Response(createReadableStreamFromReadable(out) as unknown as BodyInit, {
    status: 200,
    headers: {
      "Content-Type": XLSX_MIME,
      "Content-Disposition": contentDisposition("attachment", actionPlanFileNames(data.school.code, data.schoolYear, "xlsx").utf8),
      "Cache-Control": "private, no-store",
    },
  });
}

// ───────────────────────────── the office's summary ─────────────────────────────

export interface SummaryQuery {
  schoolYear?: string;
  status?: SummaryFilter;
  page?: number;
}

export interface SummaryItemRow {
  itemCode: string | null;
  title: string;
  schools: number;
  actions: number;
  overdue: number;
}

export interface SummaryOverdueRow {
  id: number;
  assessmentId: number;
  schoolId: number;
  school: string;
  schoolCode: string;
  itemCode: string | null;
  title: string;
  owner: string | null;
  dueDate: string;
  daysLate: number;
  status: ActionStatus;
  statusLabel: string;
}

export interface PlanSummary {
  years: string[];
  schoolYear: string | null;
  status: SummaryFilter;
  /** Schools of the scope with at least one action in the year. */
  schoolsWithPlan: number;
  items: SummaryItemRow[];
  overdue: { rows: SummaryOverdueRow[]; page: number; pageCount: number; total: number };
}

function statusCondition(f: SummaryFilter): SQL | undefined {
  if (f === "open") return ne(actionItems.status, "done");
  if (f === "all") return undefined;
  return eq(actionItems.status, f);
}

function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/**
 * The plans of the schools a user may read (schoolScope: the office's subtree, everything for the
 * system admin) for one school year: per item the schools with an action in the status filter
 * (open by default), and the overdue actions (due date passed, not done), paged.
 */
export function planSummary(user: CurrentUser, query: SummaryQuery, now = Date.now(), db: Db = getDb()): PlanSummary {
  const scope = schoolScope(user);
  const status = query.status ?? "open";
  const years = db
    .selectDistinct({ year: cycles.schoolYear })
    .from(actionItems)
    .innerJoin(schools, eq(schools.id, actionItems.schoolId))
    .innerJoin(assessments, eq(assessments.id, actionItems.assessmentId))
    .innerJoin(cycles, eq(cycles.id, assessments.cycleId))
    .where(scope)
    .all()
    .map((r) => r.year)
    .sort((x, y) => y.localeCompare(x));
  const schoolYear = query.schoolYear && years.includes(query.schoolYear) ? query.schoolYear : (years[0] ?? null);
  const empty: PlanSummary = { years, schoolYear, status, schoolsWithPlan: 0, items: [], overdue: { rows: [], page: 1, pageCount: 1, total: 0 } };
  if (!schoolYear) return empty;

  const today = localDateOf(now);
  const inYear = and(scope, eq(cycles.schoolYear, schoolYear));
  const from = () =>
    db
      .select({ n: count() })
      .from(actionItems)
      .innerJoin(schools, eq(schools.id, actionItems.schoolId))
      .innerJoin(assessments, eq(assessments.id, actionItems.assessmentId))
      .innerJoin(cycles, eq(cycles.id, assessments.cycleId));
  const schoolsWithPlan =
    db
      .select({ n: sql<number>`count(DISTINCT ${actionItems.schoolId})` })
      .from(actionItems)
      .innerJoin(schools, eq(schools.id, actionItems.schoolId))
      .innerJoin(assessments, eq(assessments.id, actionItems.assessmentId))
      .innerJoin(cycles, eq(cycles.id, assessments.cycleId))
      .where(inYear)
      .get()?.n ?? 0;

  const lateSql = sql<number>`sum(CASE WHEN ${actionItems.status} <> 'done' AND ${actionItems.dueDate} IS NOT NULL AND ${actionItems.dueDate} < ${today} THEN 1 ELSE 0 END)`;
  const grouped = db
    .select({
      itemCode: actionItems.itemCode,
      schools: sql<number>`count(DISTINCT ${actionItems.schoolId})`,
      actions: count(),
      overdue: lateSql,
      title: sql<string>`min(${actionItems.title})`,
    })
    .from(actionItems)
    .innerJoin(schools, eq(schools.id, actionItems.schoolId))
    .innerJoin(assessments, eq(assessments.id, actionItems.assessmentId))
    .innerJoin(cycles, eq(cycles.id, assessments.cycleId))
    .where(and(inYear, statusCondition(status)))
    .groupBy(actionItems.itemCode)
    .all();
  // Item wording and order from the editions of the year's cycles in scope.
  const editionIds = db
    .selectDistinct({ id: cycles.editionId })
    .from(actionItems)
    .innerJoin(schools, eq(schools.id, actionItems.schoolId))
    .innerJoin(assessments, eq(assessments.id, actionItems.assessmentId))
    .innerJoin(cycles, eq(cycles.id, assessments.cycleId))
    .where(inYear)
    .all()
    .map((r) => r.id);
  const texts = new Map<string, string>();
  const order = new Map<string, number>();
  for (const id of editionIds) {
    const ed = getEdition(id, db)?.edition;
    if (!ed) continue;
    for (const [code, text] of itemTexts(ed)) {
      if (!texts.has(code)) texts.set(code, titleFrom(text));
      if (!order.has(code)) order.set(code, order.size);
    }
  }
  const items: SummaryItemRow[] = grouped
    .map((g) => ({ itemCode: g.itemCode, title: g.itemCode ? (texts.get(g.itemCode) ?? g.title) : t.summary.ownItem, schools: g.schools, actions: g.actions, overdue: Number(g.overdue ?? 0) }))
    .sort((x, y) => y.schools - x.schools || (x.itemCode == null ? 1 : 0) - (y.itemCode == null ? 1 : 0) || (order.get(x.itemCode ?? "") ?? 1e9) - (order.get(y.itemCode ?? "") ?? 1e9));

  // Overdue: not done whatever the filter (a "done" filter has none), due date before today.
  const lateWhere = and(
    inYear,
    status === "todo" || status === "doing" ? eq(actionItems.status, status) : ne(actionItems.status, "done"),
    isNotNull(actionItems.dueDate),
    lt(actionItems.dueDate, today),
  );
  const total = status === "done" ? 0 : (from().where(lateWhere).get()?.n ?? 0);
  const pageCount = Math.max(1, Math.ceil(total / SUMMARY_PAGE));
  const page = Math.min(Math.max(1, Math.trunc(query.page ?? 1) || 1), pageCount);
  const offset = (page - 1) * SUMMARY_PAGE;
  let rows: SummaryOverdueRow[] = [];
  if (total > 0) {
    const base = (cond: SQL | undefined) =>
      db
        .select({
          id: actionItems.id,
          assessmentId: actionItems.assessmentId,
          schoolId: schools.id,
          school: schools.name,
          schoolCode: schools.code,
          itemCode: actionItems.itemCode,
          title: actionItems.title,
          owner: users.displayName,
          dueDate: actionItems.dueDate,
          status: actionItems.status,
        })
        .from(actionItems)
        .innerJoin(schools, eq(schools.id, actionItems.schoolId))
        .innerJoin(assessments, eq(assessments.id, actionItems.assessmentId))
        .innerJoin(cycles, eq(cycles.id, assessments.cycleId))
        .leftJoin(users, eq(users.id, actionItems.ownerId))
        .where(cond);
    let picked;
    if (total <= SORT_IN_MEMORY_MAX) {
      const keys = db
        .select({ id: actionItems.id, due: actionItems.dueDate, school: schools.name, position: actionItems.position })
        .from(actionItems)
        .innerJoin(schools, eq(schools.id, actionItems.schoolId))
        .innerJoin(assessments, eq(assessments.id, actionItems.assessmentId))
        .innerJoin(cycles, eq(cycles.id, assessments.cycleId))
        .where(lateWhere)
        .all();
      const rank = viRanks(keys.map((k) => k.school));
      keys.sort((x, y) => x.due!.localeCompare(y.due!) || rank.get(x.school)! - rank.get(y.school)! || x.position - y.position || x.id - y.id);
      const ids = keys.slice(offset, offset + SUMMARY_PAGE).map((k) => k.id);
      const got = new Map(base(and(lateWhere, inArray(actionItems.id, ids))).all().map((r) => [r.id, r] as const));
      picked = ids.map((id) => got.get(id)!).filter(Boolean);
    } else {
      picked = base(lateWhere).orderBy(asc(actionItems.dueDate), asc(schools.code), asc(actionItems.id)).limit(SUMMARY_PAGE).offset(offset).all();
    }
    rows = picked.map((r) => ({
      ...r,
      owner: r.owner ?? null,
      dueDate: r.dueDate!,
      daysLate: daysBetween(r.dueDate!, today),
      statusLabel: ACTION_STATUS_LABELS[r.status],
    }));
  }
  return { years, schoolYear, status, schoolsWithPlan, items, overdue: { rows, page, pageCount, total } };
}
