/**
 * THE service for assessment changes: answers, report text, evidence (through the evidence
 * service), deadline extensions, submit, return, approve, external assessment, recognise, revoke.
 *
 * Every change passes through ONE door, `transition` / `applyTransitionIn`: inside one immediate
 * transaction it re-reads the assessment, asks the state table (domain/assessment-states) whether
 * the transition is allowed from the current state, checks the version the caller acted on, runs
 * the caller's callback (the rows that go with the change: answers, comments, results,
 * certificates), bumps `assessments.version` guarded by the old version, and writes the audit
 * entry. A refusal anywhere rolls all of it back and comes out as `{ ok: false, kind, message }`.
 * Authorization is the caller's job (routes ask the policy first).
 */
import { and, count, desc, eq, inArray, sql } from "drizzle-orm";
import { allows, CLOSED_CYCLE_TRANSITIONS, nextState, type AssessmentState, type TransitionName } from "~/domain/assessment-states";
import type { TheirChange } from "~/domain/answers";
import { isReportSection, REPORT_SECTION_KEYS, sectionFingerprint, type ReportSectionKey } from "~/domain/report";
import { fail, ok, type Fail, type Ok } from "~/domain/result";
import { pick } from "~/i18n";
import { transitions as transitionStrings } from "~/i18n/transitions";
import { scoreAssessment, validateAnswers, type AnswerValue, type Answers, type ScoreResult } from "~/domain/scoring";
import type { Edition } from "~/domain/catalogue";
import { localDateOf } from "~/utils/time";
import { getDb, prepared, sqliteOf, withWriteLock, type Db } from "../db/client.server";
import { answers, assessments, auditLog, cycles, evidence, evidenceLinks, schools, users } from "../db/schema.server";
import { writeAudit } from "./audit.server";
import { getEdition } from "./catalogue.server";
import { storeResultIn } from "./results.server";
// review.server imports this module too; both only call each other inside functions.
import { openRound, unansweredRequests } from "./review.server";

export type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];

const T = pick(transitionStrings);

export const NOTE_MAX = 2000;

export interface AssessmentRecord {
  id: number;
  status: AssessmentState;
  version: number;
  schoolId: number;
  schoolName: string;
  schoolCode: string;
  schoolType: string;
  reviewingUnitId: number;
  cycleId: number;
  schoolYear: string;
  editionId: string;
  cycleStatus: "open" | "closed";
  /** Effective self-assessment deadline (local date, inclusive): the extension if any. */
  deadline: string;
  extended: boolean;
  reviewDeadline: string;
  submittedAt: number | null;
  selfLevel: number | null;
  externalLevel: number | null;
  recognisedLevel: number | null;
  recognisedAt: number | null;
  reportText: Record<string, string> | null;
}

function assessmentQuery(db: Db | Tx) {
  return prepared(db, "assessment.byId", () =>
    db
      .select({
        id: assessments.id,
        status: assessments.status,
        version: assessments.version,
        schoolId: schools.id,
        schoolName: schools.name,
        schoolCode: schools.code,
        schoolType: schools.type,
        reviewingUnitId: schools.reviewingUnitId,
        cycleId: cycles.id,
        schoolYear: cycles.schoolYear,
        editionId: cycles.editionId,
        cycleStatus: cycles.status,
        cycleDeadline: cycles.selfAssessmentDeadline,
        override: assessments.deadlineOverride,
        reviewDeadline: cycles.reviewDeadline,
        submittedAt: assessments.submittedAt,
        selfLevel: assessments.selfLevel,
        externalLevel: assessments.externalLevel,
        recognisedLevel: assessments.recognisedLevel,
        recognisedAt: assessments.recognisedAt,
        reportText: assessments.reportText,
      })
      .from(assessments)
      .innerJoin(schools, eq(assessments.schoolId, schools.id))
      .innerJoin(cycles, eq(assessments.cycleId, cycles.id))
      .where(eq(assessments.id, sql.placeholder("id")))
      .prepare(),
  );
}

/**
 * assessmentQuery's SQL, run as a plain prepared statement: every save reads the assessment twice
 * (the policy, then the door inside its transaction), and decoding 21 columns through drizzle's
 * mappers cost more than the query. Same columns, same decoding (timestamps in ms, JSON text).
 */
function assessmentStatement(db: Db | Tx) {
  return prepared(db, "assessment.byId.raw", () => {
    const { sql: text } = assessmentQuery(db).getQuery();
    const client = sqliteOf(db);
    return client.prepare(text).raw(true);
  });
}

export function getAssessment(id: number, db: Db | Tx = getDb()): AssessmentRecord | null {
  const r = assessmentStatement(db).get(id) as unknown[] | undefined;
  if (!r) return null;
  const [aid, status, version, schoolId, schoolName, schoolCode, schoolType, reviewingUnitId, cycleId, schoolYear, editionId, cycleStatus, cycleDeadline, override, reviewDeadline, submittedAt, selfLevel, externalLevel, recognisedLevel, recognisedAt, reportText] = r;
  return {
    id: aid as number,
    status: status as AssessmentState,
    version: version as number,
    schoolId: schoolId as number,
    schoolName: schoolName as string,
    schoolCode: schoolCode as string,
    schoolType: schoolType as string,
    reviewingUnitId: reviewingUnitId as number,
    cycleId: cycleId as number,
    schoolYear: schoolYear as string,
    editionId: editionId as string,
    cycleStatus: cycleStatus as "open" | "closed",
    deadline: (override as string | null) ?? (cycleDeadline as string),
    extended: override != null,
    reviewDeadline: reviewDeadline as string,
    submittedAt: submittedAt ? Number(submittedAt) : null,
    selfLevel: selfLevel as number | null,
    externalLevel: externalLevel as number | null,
    recognisedLevel: recognisedLevel as number | null,
    recognisedAt: recognisedAt ? Number(recognisedAt) : null,
    reportText: reportText == null ? null : (JSON.parse(reportText as string) as Record<string, string>),
  };
}

/** The assessments of a school, newest school year first. */
export function assessmentsOfSchool(schoolId: number, db: Db = getDb()) {
  return db
    .select({ id: assessments.id, status: assessments.status, schoolYear: cycles.schoolYear, selfLevel: assessments.selfLevel })
    .from(assessments)
    .innerJoin(cycles, eq(assessments.cycleId, cycles.id))
    .where(eq(assessments.schoolId, schoolId))
    .all()
    .sort((a, b) => b.schoolYear.localeCompare(a.schoolYear));
}

export interface AnswerMeta {
  version: number;
  updatedAt: number;
  updatedBy: string | null;
  updatedById: number | null;
  /** Carried forward from this earlier assessment and not confirmed yet (null: the school's own). */
  carriedFrom: number | null;
}

export interface AnswerSet {
  answers: Record<string, AnswerValue>;
  notes: Record<string, string>;
  meta: Record<string, AnswerMeta>;
}

export function answersOf(assessmentId: number, phase: "self" | "external" = "self", db: Db | Tx = getDb()): AnswerSet {
  const rows = prepared(db, "answers.of", () =>
    db
      .select({ code: answers.itemCode, value: answers.value, note: answers.note, version: answers.version, at: answers.updatedAt, by: users.displayName, byId: answers.updatedBy, carriedFrom: answers.carriedFrom })
      .from(answers)
      .leftJoin(users, eq(answers.updatedBy, users.id))
      .where(and(eq(answers.assessmentId, sql.placeholder("id")), eq(answers.phase, sql.placeholder("phase"))))
      .prepare(),
  ).all({ id: assessmentId, phase });
  const out: AnswerSet = { answers: {}, notes: {}, meta: {} };
  for (const r of rows) {
    if (r.value !== null && r.value !== undefined) out.answers[r.code] = r.value as AnswerValue;
    if (r.note) out.notes[r.code] = r.note;
    out.meta[r.code] = { version: r.version, updatedAt: r.at.getTime(), updatedBy: r.by ?? null, updatedById: r.byId ?? null, carriedFrom: r.carriedFrom ?? null };
  }
  return out;
}

/**
 * The stored answers of a file as a save needs them, in raw prepared statements: every value and
 * version (to rescore, and to see what changed since the user's base), and the whole row (note,
 * who, when) only of `codes` and of the items written after `baseVersion`, the only ones a save
 * compares or sends back. So `meta` and `notes` hold those items alone; `answers` holds them all.
 * answersOf reads every column of every row, and the writer's name, for the form.
 */
export function answersForSave(assessmentId: number, phase: "self" | "external", baseVersion: number, codes: readonly string[], db: Db | Tx): AnswerSet {
  const st = prepared(db, "answers.forSave", () => {
    const c = sqliteOf(db);
    return {
      lean: c.prepare("SELECT item_code, value, version FROM answers WHERE assessment_id = ? AND phase = ?").raw(true),
      full: c
        // The writer's name by a scalar subquery: for one row, a LEFT JOIN costs SQLite several times more (measured 9 µs against 2).
        .prepare(
          `SELECT a.note, a.updated_at, (SELECT u.display_name FROM users u WHERE u.id = a.updated_by), a.updated_by, a.carried_from FROM answers a
            WHERE a.assessment_id = ? AND a.phase = ? AND a.item_code = ?`,
        )
        .raw(true),
    };
  });
  const out: AnswerSet = { answers: {}, notes: {}, meta: {} };
  const asked = new Set(codes);
  for (const [code, value, version] of st.lean.all(assessmentId, phase) as [string, string | null, number][]) {
    // As drizzle maps a json text column: JSON.parse of the stored text.
    if (value !== null) out.answers[code] = JSON.parse(value) as AnswerValue;
    if (!asked.has(code) && version <= baseVersion) continue;
    const [note, at, by, byId, carriedFrom] = st.full.get(assessmentId, phase, code) as [string | null, number, string | null, number | null, number | null];
    if (note) out.notes[code] = note;
    out.meta[code] = { version, updatedAt: at, updatedBy: by ?? null, updatedById: byId ?? null, carriedFrom: carriedFrom ?? null };
  }
  return out;
}

export function editionOf(a: Pick<AssessmentRecord, "editionId">): Edition {
  const found = getEdition(a.editionId);
  if (!found) throw new Error(`edition ${a.editionId} missing`);
  return found.edition;
}

export function scoreOf(a: AssessmentRecord, phase: "self" | "external" = "self"): ScoreResult {
  return scoreAssessment(editionOf(a), answersOf(a.id, phase).answers as Answers);
}

/** Number of evidence items linked to each item code. */
export function evidenceCounts(assessmentId: number, db: Db = getDb()): Record<string, number> {
  const rows = db
    .select({ code: evidenceLinks.itemCode, n: count() })
    .from(evidenceLinks)
    .innerJoin(evidence, eq(evidenceLinks.evidenceId, evidence.id))
    .where(eq(evidenceLinks.assessmentId, assessmentId))
    .groupBy(evidenceLinks.itemCode)
    .all();
  return Object.fromEntries(rows.map((r) => [r.code, r.n]));
}

// ───────────────────────────── the door ─────────────────────────────

/** A refusal inside the door: rolls the transaction back and becomes `{ ok: false, kind, message, …extra }`. */
export class Refusal<K extends string = string, E extends object = object> extends Error {
  constructor(
    readonly kind: K,
    message: string,
    readonly extra?: E,
  ) {
    super(message);
  }
}

type AssessmentColumns = Partial<typeof assessments.$inferInsert>;

export interface WithinResult<V> {
  /** Handed back to the caller. */
  value?: V;
  /** More columns of `assessments` written with the transition. */
  set?: AssessmentColumns;
  /** More details for the audit entry. */
  details?: Record<string, unknown>;
  /** Nothing changed (e.g. a save that sends what is stored): no version bump, no audit entry. */
  unchanged?: boolean;
  /** The audit entry's entity id, when it is a row the callback created (an evidence). */
  entityId?: string | number;
  /**
   * The engine's result of the answers as they now stand: the door stores its rows
   * (assessment_results) and the phase's level column with the transition. `only`: the item
   * codes that changed, when the stored rows are otherwise current (a save).
   */
  scored?: { phase: "self" | "external"; result: ScoreResult; only?: readonly string[] };
}

export interface TransitionStep<V = undefined> {
  name: TransitionName;
  actorId: number;
  now?: number;
  /** The version the user acted on; when given, any other current version is refused as "stale". */
  expectedVersion?: number;
  /** Audit action; default `assessment.<name>`. */
  action?: string;
  /** What the audit entry is about; default the assessment itself. */
  entity?: { type: string; id?: string | number };
  details?: Record<string, unknown>;
  set?: AssessmentColumns;
  /**
   * Runs inside the transaction after the state and version guards, before the version bump:
   * writes what goes with the transition (answers, report text, evidence links, comments,
   * results, certificates). `version` is the version the assessment will have. Throw a Refusal
   * to roll everything back with a reason.
   */
  within?: (tx: Tx, a: AssessmentRecord, next: { to: AssessmentState; version: number }) => WithinResult<V> | void;
}

export interface TransitionDone<V> {
  from: AssessmentState;
  status: AssessmentState;
  version: number;
  changed: boolean;
  value: V | undefined;
}

export type TransitionOutcome<V, K extends string = string> = Ok<TransitionDone<V>> | Fail<"not-found" | "state" | "stale" | K, { status?: AssessmentState; [k: string]: unknown }>;

/**
 * The door, for a caller that already holds the transaction (the evidence service). Throws a
 * Refusal when the transition is not allowed; the caller's transaction then rolls back.
 */
export function applyTransitionIn<V>(tx: Tx, assessmentId: number, step: TransitionStep<V>): TransitionDone<V> {
  const now = step.now ?? Date.now();
  const a = getAssessment(assessmentId, tx);
  if (!a) throw new Refusal("not-found", T.notFound);
  // A closed cycle is the record of its year: nothing in it changes any more (but a revocation).
  if (a.cycleStatus !== "open" && !CLOSED_CYCLE_TRANSITIONS.has(step.name)) throw new Refusal("closed", T.cycleClosed, { status: a.status });
  const to = nextState(a.status, step.name);
  if (!to) throw new Refusal("state", T.notAllowed(a.status), { status: a.status });
  if (step.expectedVersion !== undefined && step.expectedVersion !== a.version) throw new Refusal("stale", T.stale, { status: a.status, version: a.version });
  const r = step.within?.(tx, a, { to, version: a.version + 1 }) ?? {};
  if (r.unchanged) return { from: a.status, status: a.status, version: a.version, changed: false, value: r.value };
  let levelSet: AssessmentColumns = {};
  if (r.scored) {
    const { phase, result } = r.scored;
    // A phase never scored before has no rows yet: write them all.
    const known = phase === "self" ? a.selfLevel != null : a.externalLevel != null;
    storeResultIn(tx, a.id, phase, result, known ? r.scored.only : undefined);
    levelSet = phase === "self" ? { selfLevel: result.level } : { externalLevel: result.level };
  }
  const res = bumpVersion(tx, a, { ...(step.set ?? {}), ...(r.set ?? {}), ...levelSet, status: to, version: a.version + 1, updatedAt: new Date(now) });
  if (res.changes !== 1) throw new Refusal("stale", T.stale, { status: a.status });
  writeAudit(
    tx,
    {
      actorId: step.actorId,
      action: step.action ?? `assessment.${step.name}`,
      entityType: step.entity?.type ?? "assessment",
      entityId: r.entityId ?? step.entity?.id ?? a.id,
      assessmentId: a.id,
      schoolId: a.schoolId,
      details: { from: a.status, to, version: a.version + 1, ...(step.details ?? {}), ...(r.details ?? {}) },
    },
    now,
  );
  return { from: a.status, status: to, version: a.version + 1, changed: true, value: r.value };
}

/**
 * The door's guarded UPDATE, as a prepared statement per set of columns (built once per connection,
 * not on every change): `UPDATE assessments SET … WHERE id = ? AND version = ?`. Columns set to
 * undefined are left out and nulls are written as NULL, as drizzle's .set() does.
 */
function bumpVersion(tx: Tx, a: AssessmentRecord, set: AssessmentColumns): { changes: number } {
  const cols = Object.keys(set).filter((k) => set[k as keyof AssessmentColumns] !== undefined) as (keyof AssessmentColumns)[];
  const shape = cols.map((k) => (set[k] === null ? `${k}=null` : k)).join(",");
  const q = prepared(tx, `door.update:${shape}`, () =>
    tx
      .update(assessments)
      .set(Object.fromEntries(cols.map((k) => [k, set[k] === null ? null : sql.placeholder(k)])) as AssessmentColumns)
      .where(and(eq(assessments.id, sql.placeholder("_id")), eq(assessments.version, sql.placeholder("_version"))))
      .prepare(),
  );
  const values: Record<string, unknown> = { _id: a.id, _version: a.version };
  for (const k of cols) if (set[k] !== null) values[k] = set[k];
  return q.run(values);
}

/**
 * The upsert of one answer row (the save), one raw statement prepared once per connection: the
 * value as JSON text as drizzle writes a json column, a cleared value as NULL (not the text "null").
 * A save of the item is the school's own answer: a carried one is confirmed or changed by it.
 */
function upsertAnswer(tx: Tx, r: { assessmentId: number; phase: string; itemCode: string; value: unknown; note: string | null; updatedBy: number; updatedAt: number; version: number }): void {
  prepared(tx, "answers.upsert.raw", () =>
    sqliteOf(tx).prepare(
      `INSERT INTO answers (assessment_id, phase, item_code, value, note, updated_by, updated_at, version) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (assessment_id, phase, item_code) DO UPDATE SET
         value = excluded.value, note = excluded.note, updated_by = excluded.updated_by, updated_at = excluded.updated_at, version = excluded.version, carried_from = NULL`,
    ),
  ).run(r.assessmentId, r.phase, r.itemCode, r.value === null ? null : JSON.stringify(r.value), r.note, r.updatedBy, r.updatedAt, r.version);
}

/** The door: one guarded, versioned, audited transaction for one assessment change. */
export function transition<V = undefined, K extends string = string>(assessmentId: number, step: TransitionStep<V>, db: Db = getDb()): TransitionOutcome<V, K> {
  try {
    // better-sqlite3's own transaction (a SAVEPOINT when nested, as in a group commit), with the database as the
    // transaction's handle: drizzle's db.transaction built a transaction object (a whole query builder) every change.
    const run = prepared(db, "door.transaction", () => db.$client.transaction((id: number, st: TransitionStep<unknown>) => applyTransitionIn(db as unknown as Tx, id, st)));
    return ok(withWriteLock(db, () => run.immediate(assessmentId, step) as TransitionDone<V>));
  } catch (e) {
    if (e instanceof Refusal) return fail(e.kind as K, e.message, (e.extra ?? {}) as { status?: AssessmentState });
    throw e;
  }
}

// ───────────────────────────── save ─────────────────────────────

export interface AnswerChange {
  /** undefined: leave the value as it is; null: clear it. */
  value?: AnswerValue | null;
  /** undefined: leave the note; "" or null: clear it. */
  note?: string | null;
  /**
   * The version of this item the user last saw (0: never saved). Defaults to the save's
   * baseVersion. A stored item newer than this, with another value, is a conflict.
   */
  seen?: number;
}

export type { TheirChange };

export type SaveResult =
  | {
      ok: true;
      version: number;
      result: ScoreResult;
      saved: string[];
      /** Items changed by others since the base, merged without conflict: the form shows them and treats them as seen. */
      others: TheirChange[];
    }
  | { ok: false; kind: "locked"; status: AssessmentState; message: string }
  | { ok: false; kind: "invalid"; errors: { code: string; vi: string; en: string }[]; message: string }
  | { ok: false; kind: "conflict"; version: number; theirs: TheirChange[]; message: string }
  | { ok: false; kind: "not-found"; message: string };

const sameJson = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

function theirChange(existing: AnswerSet, code: string): TheirChange {
  const m = existing.meta[code];
  return { code, value: existing.answers[code] ?? null, note: existing.notes[code] ?? null, version: m.version, updatedBy: m.updatedBy, updatedAt: m.updatedAt };
}

/**
 * Saves answer changes. An item stored in a version newer than the one the user saw (`seen`,
 * else `baseVersion`) with something other than what this save sends is a conflict: nothing is
 * written and the stored values are returned so the user can choose. This holds for the same
 * user in another tab too: only the version the tab saw counts. Changes to other items merge,
 * and the answer lists them (`others`) so the next save of those items is checked against what
 * the user has actually been shown.
 */
export function saveAnswers(
  assessmentId: number,
  input: { baseVersion: number; changes: Record<string, AnswerChange>; phase?: "self" | "external" },
  actorId: number,
  now = Date.now(),
  db: Db = getDb(),
): SaveResult {
  const a = getAssessment(assessmentId, db);
  if (!a) return { ok: false, kind: "not-found", message: T.notFound };
  return saveAnswersFor(a, input, actorId, now, db);
}

/** saveAnswers for an assessment record the caller already loaded (validation uses its edition). */
export function saveAnswersFor(
  a: AssessmentRecord,
  input: { baseVersion: number; changes: Record<string, AnswerChange>; phase?: "self" | "external" },
  actorId: number,
  now = Date.now(),
  db: Db = getDb(),
): SaveResult {
  const phase = input.phase ?? "self";
  const name: TransitionName = phase === "self" ? "save" : "externalSave";
  if (!allows(a.status, name)) return { ok: false, kind: "locked", status: a.status, message: T.locked };
  if (a.cycleStatus !== "open") return { ok: false, kind: "locked", status: a.status, message: T.cycleClosed };

  const edition = editionOf(a);
  const codes = Object.keys(input.changes);
  const errors: { code: string; vi: string; en: string }[] = [];
  // Every code is checked against the edition, whatever its value: a note or a null on an
  // unknown code is refused like a value.
  const toCheck: Record<string, unknown> = {};
  for (const code of codes) {
    const c = input.changes[code];
    toCheck[code] = c.value === undefined ? null : c.value;
    if (typeof c.note === "string" && c.note.length > NOTE_MAX)
      errors.push({ code, vi: `Ghi chú dài quá ${NOTE_MAX} ký tự.`, en: `Note longer than ${NOTE_MAX} characters.` });
  }
  const checked = validateAnswers(edition, toCheck);
  for (const e of checked.errors) errors.push({ code: e.code ?? "", vi: e.vi, en: e.en });
  if (errors.length) return { ok: false, kind: "invalid", errors, message: T.invalid };

  type Saved = { result: ScoreResult; saved: string[]; others: TheirChange[] };
  const out = transition<Saved, "conflict" | "closed">(
    a.id,
    {
      name,
      actorId,
      now,
      within: (tx, current, next) => {
        const existing = answersForSave(current.id, phase, input.baseVersion, codes, tx);
        const theirs: TheirChange[] = [];
        for (const code of codes) {
          const m = existing.meta[code];
          const c = input.changes[code];
          if (!m || m.version <= (c.seen ?? input.baseVersion)) continue;
          const valueDiffers = c.value !== undefined && !sameJson(c.value, existing.answers[code] ?? null);
          const noteDiffers = c.note !== undefined && (c.note || "") !== (existing.notes[code] ?? "");
          if (valueDiffers || noteDiffers) theirs.push(theirChange(existing, code));
        }
        if (theirs.length) throw new Refusal("conflict", T.conflict, { version: current.version, theirs });
        const others = Object.keys(existing.meta)
          .filter((code) => !(code in input.changes) && existing.meta[code].version > input.baseVersion)
          .map((code) => theirChange(existing, code));

        const saved: string[] = [];
        const all = { ...existing.answers };
        for (const code of codes) {
          const c = input.changes[code];
          const value = c.value === undefined ? (existing.answers[code] ?? null) : c.value;
          const note = c.note === undefined ? (existing.notes[code] ?? null) : c.note || null;
          if (sameJson(value, existing.answers[code] ?? null) && (note ?? "") === (existing.notes[code] ?? "")) continue;
          // A cleared value is written as NULL (upsertAnswer), never the JSON text "null".
          upsertAnswer(tx, { assessmentId: current.id, phase, itemCode: code, value, note, updatedBy: actorId, updatedAt: now, version: next.version });
          saved.push(code);
          if (value === null) delete all[code];
          else all[code] = value as AnswerValue;
        }
        const result = scoreAssessment(edition, all as Answers);
        if (saved.length === 0) return { unchanged: true, value: { result, saved, others } };
        return { value: { result, saved, others }, scored: { phase, result, only: saved }, details: { items: saved, level: result.level } };
      },
    },
    db,
  );
  if (out.ok) return { ok: true, version: out.version, result: out.value!.result, saved: out.value!.saved, others: out.value!.others };
  if (out.kind === "conflict") return { ok: false, kind: "conflict", version: out.version as number, theirs: out.theirs as TheirChange[], message: out.message };
  if (out.kind === "not-found") return { ok: false, kind: "not-found", message: out.message };
  return { ok: false, kind: "locked", status: out.status ?? a.status, message: out.kind === "closed" ? T.cycleClosed : T.locked };
}

// ───────────────────────────── submit ─────────────────────────────

export interface PreSubmitCheck {
  mandatoryUnmet: string[];
  unanswered: string[];
  /** Items with points but no evidence: a warning, not a blocker. */
  noEvidence: string[];
  /** Info blocks required by a met item but missing (1.3.lms): a blocker. */
  missingInfo: string[];
  /** Report sections I–V still empty: a warning (they cannot be written once the file is submitted). */
  emptySections: ReportSectionKey[];
  /** The office's open requests the school has not answered yet (reply or "đã bổ sung"): a warning. */
  unansweredRequests: { id: number; itemCode: string | null; body: string }[];
  /** Answers carried forward from last year and not confirmed yet (catalogue order): a warning, not a blocker. */
  unconfirmed: string[];
  deadlinePassed: boolean;
  canSubmit: boolean;
}

export function preSubmitCheck(a: AssessmentRecord, now = Date.now(), db: Db | Tx = getDb()): PreSubmitCheck {
  const set = answersOf(a.id, "self", db);
  const edition = editionOf(a);
  const result = scoreAssessment(edition, set.answers as Answers);
  const counts = evidenceCounts(a.id, db as Db);
  const unconfirmed = edition.groups
    .flatMap((g) => g.indicators.flatMap((ind) => [...ind.items.map((it) => it.code), ...(ind.info ?? []).map((i) => i.key)]))
    .filter((code) => set.meta[code]?.carriedFrom != null);
  const unanswered = result.items.filter((i) => !i.answered).map((i) => i.code);
  const noEvidence = result.items.filter((i) => i.points > 0 && !counts[i.code]).map((i) => i.code);
  const deadlinePassed = localDateOf(now) > a.deadline;
  return {
    mandatoryUnmet: result.mandatoryUnmet,
    unanswered,
    noEvidence,
    missingInfo: result.missingInfo,
    emptySections: REPORT_SECTION_KEYS.filter((k) => !(a.reportText?.[k] ?? "").trim()),
    unansweredRequests: unansweredRequests(a.id, db).map((r) => ({ id: r.id, itemCode: r.itemCode, body: r.body })),
    unconfirmed,
    deadlinePassed,
    canSubmit: allows(a.status, "submit") && !deadlinePassed && result.missingInfo.length === 0,
  };
}

export type SubmitResult =
  | { ok: true; alreadySubmitted: boolean; submittedAt: number }
  | { ok: false; kind: "not-found" | "deadline" | "state" | "incomplete" | "stale" | "closed"; message: string };

/**
 * The head submits: the assessment locks with a timestamp and an audit entry. A second submit
 * (double click, two tabs) is harmless: it reports the first submission. The deadline and the
 * required information are checked again inside the door.
 */
export function submitAssessment(assessmentId: number, actorId: number, now = Date.now(), db: Db = getDb()): SubmitResult {
  const a = getAssessment(assessmentId, db);
  if (!a) return { ok: false, kind: "not-found", message: T.notFound };
  if (a.status === "submitted" && a.submittedAt) return { ok: true, alreadySubmitted: true, submittedAt: a.submittedAt };
  const out = transition<number, "deadline" | "incomplete" | "closed">(
    assessmentId,
    {
      name: "submit",
      actorId,
      now,
      within: (tx, current) => {
        const check = preSubmitCheck(current, now, tx);
        if (check.deadlinePassed) throw new Refusal("deadline", T.deadlinePassed);
        if (check.missingInfo.length) throw new Refusal("incomplete", T.missingInfo(check.missingInfo));
        const result = scoreAssessment(editionOf(current), answersOf(current.id, "self", tx).answers as Answers);
        // Each submission is a round (lần nộp) with a frozen copy of what was sent.
        const { round } = openRound(tx, current, actorId, now, result);
        return {
          set: { submittedAt: new Date(now), submittedBy: actorId, round },
          scored: { phase: "self", result },
          details: { level: result.level, points: result.groups.map((g) => g.points), round },
        };
      },
    },
    db,
  );
  if (out.ok) return { ok: true, alreadySubmitted: false, submittedAt: now };
  const after = getAssessment(assessmentId, db);
  if (after?.status === "submitted" && after.submittedAt) return { ok: true, alreadySubmitted: true, submittedAt: after.submittedAt };
  if (out.kind === "state") return { ok: false, kind: "state", message: T.cannotSubmit };
  return { ok: false, kind: out.kind as "deadline" | "incomplete" | "not-found" | "stale" | "closed", message: out.message };
}

// ───────────────────────────── review transitions ─────────────────────────────

/** Recognition and its revocation (issue 9 builds the decision on these); the review's acts are in review.server. */
export type ReviewName = "recognise" | "revoke";
export type ReviewResult = Ok<{ status: AssessmentState; version: number }> | Fail<"not-found" | "state" | "stale" | "reason" | "closed" | "no-external">;

/**
 * recognise / revoke by the reviewing office. A reason is required to revoke. Recognition of a
 * finished external assessment records the recognised level (the external level) and its date;
 * revoking a recognition clears both.
 * `within` writes what goes with the transition (review comments, certificates) in the same
 * transaction.
 */
export function reviewTransition(
  assessmentId: number,
  name: ReviewName,
  actorId: number,
  reason: string | null,
  now = Date.now(),
  db: Db = getDb(),
  opts: { expectedVersion?: number; within?: TransitionStep<unknown>["within"] } = {},
): ReviewResult {
  const why = reason?.trim() || null;
  const out = transition<unknown, "reason" | "closed" | "no-external">(
    assessmentId,
    {
      name,
      actorId,
      now,
      expectedVersion: opts.expectedVersion,
      details: { reason: why },
      within: (tx, a, next) => {
        if (name === "revoke" && !why) throw new Refusal("reason", T.reasonRequired);
        const set: AssessmentColumns = {};
        if (name === "recognise") {
          if (a.externalLevel == null) throw new Refusal("no-external", T.noExternal);
          Object.assign(set, { recognisedAt: new Date(now), recognisedLevel: a.externalLevel });
        }
        if (name === "revoke") Object.assign(set, { recognisedAt: null, recognisedLevel: null });
        const extra = opts.within?.(tx, a, next) ?? {};
        const details = name === "recognise" ? { level: a.externalLevel, ...(extra.details ?? {}) } : extra.details;
        return { set: { ...set, ...(extra.set ?? {}) }, details, value: extra.value };
      },
    },
    db,
  );
  if (out.ok) return ok({ status: out.status, version: out.version });
  if (out.kind === "state") return fail("state", T.wrongState);
  return fail(out.kind, out.message);
}

// ───────────────────────────── deadlines and report text ─────────────────────────────

export function extendDeadline(
  assessmentId: number,
  newDeadline: string,
  reason: string,
  actorId: number,
  now = Date.now(),
  db: Db = getDb(),
): Ok | Fail<"not-found" | "state" | "stale" | "reason" | "not-later"> {
  const why = reason.trim();
  const out = transition<undefined, "reason" | "not-later">(
    assessmentId,
    {
      name: "extendDeadline",
      action: "assessment.deadline.extend",
      actorId,
      now,
      within: (_tx, a) => {
        if (!why) throw new Refusal("reason", T.extensionReason);
        if (newDeadline <= a.deadline) throw new Refusal("not-later", T.extensionNotLater);
        return { set: { deadlineOverride: newDeadline }, details: { from: a.deadline, to: newDeadline, reason: why } };
      },
    },
    db,
  );
  if (out.ok) return ok({});
  if (out.kind === "state") return fail("state", T.extensionState);
  return fail(out.kind, out.message);
}

/** One section as posted: the text, and the fingerprint of the text the tab was shown (its base). */
export interface SectionChange {
  text: string;
  /** sectionFingerprint of the text the user started from; undefined: no check (a trusted caller). */
  base?: string;
}

export interface SectionConflict {
  section: ReportSectionKey;
  theirs: string;
  /** Send this as the base to keep your own text after all. */
  base: string;
  updatedBy: string | null;
  updatedAt: number | null;
}

export type ReportSaveResult =
  | Ok<{ saved: ReportSectionKey[]; version: number }>
  | Fail<"not-found" | "state" | "stale" | "locked", object>
  | Fail<"conflict", { conflicts: SectionConflict[]; saved: ReportSectionKey[] }>;

/**
 * Saves the sections posted, and only those: a section missing from the post, or posted as the tab
 * was shown it (its text matches its base), is left as it is.
 * A section whose stored text no longer matches the base the tab saw was changed by someone else
 * (or in another tab): it is not overwritten but returned as a conflict with the stored text, so
 * the user chooses as in the form; the other posted sections are saved.
 */
export function saveReportText(
  assessmentId: number,
  text: Partial<Record<ReportSectionKey, string | SectionChange>>,
  actorId: number,
  now = Date.now(),
  db: Db = getDb(),
): ReportSaveResult {
  const changes = Object.entries(text)
    .filter(([k, v]) => isReportSection(k) && v != null)
    .map(([k, v]) => [k as ReportSectionKey, typeof v === "string" ? { text: v } : (v as SectionChange)] as const);
  const out = transition<{ saved: ReportSectionKey[]; conflicts: SectionConflict[] }>(
    assessmentId,
    {
      name: "reportSave",
      action: "assessment.report.save",
      actorId,
      now,
      within: (tx, a) => {
        const stored = a.reportText ?? {};
        const saved: ReportSectionKey[] = [];
        const conflicts: SectionConflict[] = [];
        const merged: Record<string, string> = { ...stored };
        for (const [key, c] of changes) {
          const current = typeof stored[key] === "string" ? stored[key] : "";
          // Posted as the tab was shown it: this user did not touch the section; whatever is stored stays.
          if (c.base !== undefined && c.base === sectionFingerprint(c.text)) continue;
          if (current === c.text) {
            merged[key] = c.text;
            continue;
          }
          if (c.base !== undefined && c.base !== sectionFingerprint(current)) {
            conflicts.push({ section: key, theirs: current, base: sectionFingerprint(current), ...lastReportEdit(tx, a.id, key) });
            continue;
          }
          merged[key] = c.text;
          saved.push(key);
        }
        const value = { saved, conflicts };
        if (!saved.length) return { unchanged: true, value };
        return { value, set: { reportText: merged as never }, details: { sections: saved } };
      },
    },
    db,
  );
  if (!out.ok) return out.kind === "state" ? fail("locked", T.reportLocked) : fail(out.kind as "not-found" | "stale", out.message);
  const { saved, conflicts } = out.value!;
  if (conflicts.length) return fail("conflict", T.reportConflict, { conflicts, saved });
  return ok({ saved, version: out.version });
}

/** Who last saved a section, from the audit log (for the conflict notice). */
function lastReportEdit(tx: Tx, assessmentId: number, section: string): { updatedBy: string | null; updatedAt: number | null } {
  const row = tx
    .select({ at: auditLog.at, by: users.displayName })
    .from(auditLog)
    .leftJoin(users, eq(auditLog.actorId, users.id))
    .where(and(eq(auditLog.assessmentId, assessmentId), eq(auditLog.action, "assessment.report.save"), sql`exists (select 1 from json_each(${auditLog.details}, '$.sections') where value = ${section})`))
    .orderBy(desc(auditLog.id))
    .limit(1)
    .get();
  return { updatedBy: row?.by ?? null, updatedAt: row?.at ? row.at.getTime() : null };
}

export function assessmentsByIds(ids: number[], db: Db = getDb()) {
  if (!ids.length) return [];
  return db.select().from(assessments).where(inArray(assessments.id, ids)).all();
}
