/**
 * THE service for assessment state changes: save, submit, return, approve, recognise, revoke,
 * and deadline extensions. Every change checks the state machine (domain/assessment-states),
 * writes its rows and its audit entry in ONE transaction, and bumps the assessment's version.
 * Authorization is the caller's job (routes ask policy.server first).
 */
import { and, count, eq, inArray, sql } from "drizzle-orm";
import { isEditableBySchool, nextState, type AssessmentState, type TransitionName } from "~/domain/assessment-states";
import { scoreAssessment, validateAnswers, type AnswerValue, type Answers, type ScoreResult } from "~/domain/scoring";
import type { Edition } from "~/domain/catalogue";
import { localDateOf } from "~/utils/time";
import { getDb, prepared, type Db } from "../db/client.server";
import { answers, assessments, cycles, evidence, evidenceLinks, schools, users } from "../db/schema.server";
import { writeAudit } from "./audit.server";
import { getEdition } from "./catalogue.server";

type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];

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
        reportText: assessments.reportText,
      })
      .from(assessments)
      .innerJoin(schools, eq(assessments.schoolId, schools.id))
      .innerJoin(cycles, eq(assessments.cycleId, cycles.id))
      .where(eq(assessments.id, sql.placeholder("id")))
      .prepare(),
  );
}

export function getAssessment(id: number, db: Db | Tx = getDb()): AssessmentRecord | null {
  const r = assessmentQuery(db).get({ id });
  if (!r) return null;
  const { cycleDeadline, override, submittedAt, reportText, ...rest } = r;
  return {
    ...rest,
    deadline: override ?? cycleDeadline,
    extended: override != null,
    submittedAt: submittedAt ? submittedAt.getTime() : null,
    reportText: (reportText as Record<string, string> | null) ?? null,
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
}

export interface AnswerSet {
  answers: Record<string, AnswerValue>;
  notes: Record<string, string>;
  meta: Record<string, AnswerMeta>;
}

export function answersOf(assessmentId: number, phase: "self" | "external" = "self", db: Db | Tx = getDb()): AnswerSet {
  const rows = prepared(db, "answers.of", () =>
    db
      .select({ code: answers.itemCode, value: answers.value, note: answers.note, version: answers.version, at: answers.updatedAt, by: users.displayName, byId: answers.updatedBy })
      .from(answers)
      .leftJoin(users, eq(answers.updatedBy, users.id))
      .where(and(eq(answers.assessmentId, sql.placeholder("id")), eq(answers.phase, sql.placeholder("phase"))))
      .prepare(),
  ).all({ id: assessmentId, phase });
  const out: AnswerSet = { answers: {}, notes: {}, meta: {} };
  for (const r of rows) {
    if (r.value !== null && r.value !== undefined) out.answers[r.code] = r.value as AnswerValue;
    if (r.note) out.notes[r.code] = r.note;
    out.meta[r.code] = { version: r.version, updatedAt: r.at.getTime(), updatedBy: r.by ?? null, updatedById: r.byId ?? null };
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

function applyTransition(tx: Tx, a: AssessmentRecord, name: TransitionName, actorId: number, now: number, details: unknown, extra: Partial<typeof assessments.$inferInsert> = {}): AssessmentState {
  const to = nextState(a.status, name);
  if (!to) throw new Error(`transition ${name} not allowed from ${a.status}`);
  const res = tx
    .update(assessments)
    .set({ status: to, version: a.version + 1, updatedAt: new Date(now), ...extra })
    .where(and(eq(assessments.id, a.id), eq(assessments.version, a.version)))
    .run();
  if (res.changes !== 1) throw new ConcurrentChange();
  writeAudit(
    tx,
    { actorId, action: `assessment.${name}`, entityType: "assessment", entityId: a.id, assessmentId: a.id, schoolId: a.schoolId, details: { from: a.status, to, ...((details as object) ?? {}) } },
    now,
  );
  return to;
}

class ConcurrentChange extends Error {}

// ───────────────────────────── save ─────────────────────────────

export interface AnswerChange {
  /** undefined: leave the value as it is; null: clear it. */
  value?: AnswerValue | null;
  /** undefined: leave the note; "" or null: clear it. */
  note?: string | null;
}

export interface TheirChange {
  code: string;
  value: AnswerValue | null;
  note: string | null;
  updatedBy: string | null;
  updatedAt: number;
}

export type SaveResult =
  | { ok: true; version: number; result: ScoreResult; saved: string[] }
  | { ok: false; kind: "locked"; status: AssessmentState }
  | { ok: false; kind: "invalid"; errors: { code: string; vi: string; en: string }[] }
  | { ok: false; kind: "conflict"; version: number; theirs: TheirChange[] }
  | { ok: false; kind: "not-found" };

const sameJson = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/**
 * Saves answer changes made from `baseVersion`. An item changed by someone else after
 * baseVersion (to something other than what this save sends) is a conflict: nothing is written
 * and the other person's values are returned so the user can choose. Changes to other items
 * merge. `force` re-sends after the user chose to keep their own values.
 */
export function saveAnswers(
  assessmentId: number,
  input: { baseVersion: number; changes: Record<string, AnswerChange>; phase?: "self" | "external" },
  actorId: number,
  now = Date.now(),
  db: Db = getDb(),
): SaveResult {
  const phase = input.phase ?? "self";
  const a = getAssessment(assessmentId, db);
  if (!a) return { ok: false, kind: "not-found" };
  return saveAnswersFor(a, { ...input, phase }, actorId, now, db);
}

/** saveAnswers for an assessment record the caller already loaded (saves a query per request). */
export function saveAnswersFor(
  a: AssessmentRecord,
  input: { baseVersion: number; changes: Record<string, AnswerChange>; phase?: "self" | "external" },
  actorId: number,
  now = Date.now(),
  db: Db = getDb(),
): SaveResult {
  const phase = input.phase ?? "self";
  const assessmentId = a.id;
  const transitionName: TransitionName = phase === "self" ? "save" : "externalSave";
  if (phase === "self" ? !isEditableBySchool(a.status) : a.status !== "approved") return { ok: false, kind: "locked", status: a.status };

  const edition = editionOf(a);
  const codes = Object.keys(input.changes);
  const errors: { code: string; vi: string; en: string }[] = [];
  const toCheck: Record<string, unknown> = {};
  for (const code of codes) {
    const c = input.changes[code];
    if (c.value !== undefined && c.value !== null) toCheck[code] = c.value;
    if (typeof c.note === "string" && c.note.length > NOTE_MAX)
      errors.push({ code, vi: `Ghi chú dài quá ${NOTE_MAX} ký tự.`, en: `Note longer than ${NOTE_MAX} characters.` });
  }
  const checked = validateAnswers(edition, toCheck);
  for (const e of checked.errors) errors.push({ code: e.code ?? "", vi: e.vi, en: e.en });
  if (errors.length) return { ok: false, kind: "invalid", errors };

  try {
    return db.transaction((tx) => {
      // Re-read inside the transaction only if someone saved since `a` was read.
      const version = tx.select({ v: assessments.version, status: assessments.status }).from(assessments).where(eq(assessments.id, assessmentId)).get()!;
      const current = version.v === a.version && version.status === a.status ? a : getAssessment(assessmentId, tx)!;
      if (phase === "self" ? !isEditableBySchool(current.status) : current.status !== "approved")
        return { ok: false as const, kind: "locked" as const, status: current.status };
      const existing = answersOf(assessmentId, phase, tx);
      const theirs: TheirChange[] = [];
      if (current.version !== input.baseVersion) {
        for (const code of codes) {
          const m = existing.meta[code];
          // Only someone else's change since the base is a conflict; your own earlier save is not.
          if (!m || m.version <= input.baseVersion || m.updatedById === actorId) continue;
          const c = input.changes[code];
          const valueDiffers = c.value !== undefined && !sameJson(c.value, existing.answers[code] ?? null);
          const noteDiffers = c.note !== undefined && (c.note || "") !== (existing.notes[code] ?? "");
          if (valueDiffers || noteDiffers)
            theirs.push({ code, value: existing.answers[code] ?? null, note: existing.notes[code] ?? null, updatedBy: m.updatedBy, updatedAt: m.updatedAt });
        }
      }
      if (theirs.length) return { ok: false as const, kind: "conflict" as const, version: current.version, theirs };

      const nextVersion = current.version + 1;
      const saved: string[] = [];
      for (const code of codes) {
        const c = input.changes[code];
        const value = c.value === undefined ? (existing.answers[code] ?? null) : c.value;
        const note = c.note === undefined ? (existing.notes[code] ?? null) : c.note || null;
        if (sameJson(value, existing.answers[code] ?? null) && (note ?? "") === (existing.notes[code] ?? "")) continue;
        tx.insert(answers)
          .values({ assessmentId, phase, itemCode: code, value: value as never, note, updatedBy: actorId, updatedAt: new Date(now), version: nextVersion })
          .onConflictDoUpdate({
            target: [answers.assessmentId, answers.phase, answers.itemCode],
            set: { value: value as never, note, updatedBy: actorId, updatedAt: new Date(now), version: nextVersion },
          })
          .run();
        saved.push(code);
      }
      const all = { ...existing.answers };
      for (const code of saved) {
        const c = input.changes[code];
        if (c.value !== undefined) {
          if (c.value === null) delete all[code];
          else all[code] = c.value;
        }
      }
      const result = scoreAssessment(edition, all as Answers);
      if (saved.length === 0) return { ok: true as const, version: current.version, result, saved };
      const level = phase === "self" ? { selfLevel: result.level } : { externalLevel: result.level };
      applyTransition(tx, current, transitionName, actorId, now, { items: saved, level: result.level }, level);
      return { ok: true as const, version: nextVersion, result, saved };
    });
  } catch (e) {
    if (e instanceof ConcurrentChange) return saveAnswers(assessmentId, { ...input, phase }, actorId, now, db);
    throw e;
  }
}

// ───────────────────────────── submit ─────────────────────────────

export interface PreSubmitCheck {
  mandatoryUnmet: string[];
  unanswered: string[];
  /** Items with points but no evidence: a warning, not a blocker. */
  noEvidence: string[];
  /** Info blocks required by a met item but missing (1.3.lms): a blocker. */
  missingInfo: string[];
  deadlinePassed: boolean;
  canSubmit: boolean;
}

export function preSubmitCheck(a: AssessmentRecord, now = Date.now()): PreSubmitCheck {
  const result = scoreOf(a);
  const counts = evidenceCounts(a.id);
  const unanswered = result.items.filter((i) => !i.answered).map((i) => i.code);
  const noEvidence = result.items.filter((i) => i.points > 0 && !counts[i.code]).map((i) => i.code);
  const deadlinePassed = localDateOf(now) > a.deadline;
  return {
    mandatoryUnmet: result.mandatoryUnmet,
    unanswered,
    noEvidence,
    missingInfo: result.missingInfo,
    deadlinePassed,
    canSubmit: isEditableBySchool(a.status) && !deadlinePassed && result.missingInfo.length === 0,
  };
}

export type SubmitResult =
  | { ok: true; alreadySubmitted: boolean; submittedAt: number }
  | { ok: false; kind: "not-found" | "deadline" | "state" | "incomplete"; message: string };

/**
 * The head submits: the assessment locks with a timestamp and an audit entry. A second submit
 * (double click, two tabs) is harmless: it reports the first submission.
 */
export function submitAssessment(assessmentId: number, actorId: number, now = Date.now(), db: Db = getDb()): SubmitResult {
  const a = getAssessment(assessmentId, db);
  if (!a) return { ok: false, kind: "not-found", message: "Không tìm thấy hồ sơ." };
  if (a.status === "submitted" && a.submittedAt) return { ok: true, alreadySubmitted: true, submittedAt: a.submittedAt };
  if (!isEditableBySchool(a.status)) return { ok: false, kind: "state", message: "Hồ sơ không ở trạng thái có thể gửi." };
  const check = preSubmitCheck(a, now);
  if (check.deadlinePassed)
    return { ok: false, kind: "deadline", message: "Đã quá hạn tự đánh giá. Hãy đề nghị đơn vị quản lý gia hạn cho trường." };
  if (check.missingInfo.length) return { ok: false, kind: "incomplete", message: "Còn thiếu thông tin bắt buộc: " + check.missingInfo.join(", ") + "." };
  let submittedNow = false;
  try {
    db.transaction((tx) => {
      const current = getAssessment(assessmentId, tx)!;
      if (current.status === "submitted") return;
      const result = scoreAssessment(editionOf(current), answersOf(current.id, "self", tx).answers as Answers);
      applyTransition(tx, current, "submit", actorId, now, { level: result.level, points: result.groups.map((g) => g.points) }, {
        submittedAt: new Date(now),
        submittedBy: actorId,
        selfLevel: result.level,
      });
      submittedNow = true;
    });
  } catch (e) {
    if (!(e instanceof ConcurrentChange)) throw e;
  }
  const after = getAssessment(assessmentId, db)!;
  return after.status === "submitted" && after.submittedAt
    ? { ok: true, alreadySubmitted: !submittedNow, submittedAt: after.submittedAt }
    : { ok: false, kind: "state", message: "Hồ sơ vừa được người khác thay đổi. Vui lòng tải lại trang." };
}

// ───────────────────────────── review transitions ─────────────────────────────

export type ReviewResult = { ok: true; status: AssessmentState } | { ok: false; message: string };

/** return / approve / recognise / revoke by the reviewing office; reason required for return and revoke. */
export function reviewTransition(assessmentId: number, name: "return" | "approve" | "recognise" | "revoke", actorId: number, reason: string | null, now = Date.now(), db: Db = getDb()): ReviewResult {
  const a = getAssessment(assessmentId, db);
  if (!a) return { ok: false, message: "Không tìm thấy hồ sơ." };
  if (!nextState(a.status, name)) return { ok: false, message: "Thao tác không phù hợp với trạng thái hiện tại của hồ sơ." };
  if ((name === "return" || name === "revoke") && !reason?.trim()) return { ok: false, message: "Vui lòng nêu lý do." };
  if (a.cycleStatus !== "open") return { ok: false, message: "Đợt đánh giá đã đóng." };
  try {
    const status = db.transaction((tx) => {
      const extra: Partial<typeof assessments.$inferInsert> = {};
      if (name === "approve") Object.assign(extra, { approvedAt: new Date(now), approvedBy: actorId });
      if (name === "revoke" && a.status === "approved") Object.assign(extra, { approvedAt: null, approvedBy: null });
      if (name === "revoke" && a.status === "recognised") Object.assign(extra, { recognisedAt: null, recognisedLevel: null });
      return applyTransition(tx, a, name, actorId, now, { reason: reason?.trim() || null }, extra);
    });
    return { ok: true, status };
  } catch (e) {
    if (e instanceof ConcurrentChange) return { ok: false, message: "Hồ sơ vừa được người khác thay đổi. Vui lòng tải lại trang." };
    throw e;
  }
}

// ───────────────────────────── deadlines and report text ─────────────────────────────

export function extendDeadline(assessmentId: number, newDeadline: string, reason: string, actorId: number, now = Date.now(), db: Db = getDb()): { ok: true } | { ok: false; message: string } {
  const a = getAssessment(assessmentId, db);
  if (!a) return { ok: false, message: "Không tìm thấy hồ sơ." };
  if (!reason.trim()) return { ok: false, message: "Vui lòng nêu lý do gia hạn." };
  if (newDeadline <= a.deadline) return { ok: false, message: "Hạn mới phải sau hạn hiện tại." };
  db.transaction((tx) => {
    tx.update(assessments).set({ deadlineOverride: newDeadline, version: a.version + 1, updatedAt: new Date(now) }).where(eq(assessments.id, a.id)).run();
    writeAudit(tx, { actorId, action: "assessment.deadline.extend", entityType: "assessment", entityId: a.id, assessmentId: a.id, schoolId: a.schoolId, details: { from: a.deadline, to: newDeadline, reason: reason.trim() } }, now);
  });
  return { ok: true };
}

export const REPORT_SECTIONS = ["leadership", "process", "results", "difficulties", "directions", "proposals"] as const;
export type ReportSection = (typeof REPORT_SECTIONS)[number];

export function saveReportText(assessmentId: number, text: Partial<Record<ReportSection, string>>, actorId: number, now = Date.now(), db: Db = getDb()): { ok: true } | { ok: false; message: string } {
  const a = getAssessment(assessmentId, db);
  if (!a) return { ok: false, message: "Không tìm thấy hồ sơ." };
  if (!isEditableBySchool(a.status)) return { ok: false, message: "Hồ sơ đã gửi, không thể sửa báo cáo." };
  const merged = { ...(a.reportText ?? {}), ...text };
  db.transaction((tx) => {
    tx.update(assessments).set({ reportText: merged as never, version: a.version + 1, updatedAt: new Date(now) }).where(eq(assessments.id, a.id)).run();
    writeAudit(tx, { actorId, action: "assessment.report.save", entityType: "assessment", entityId: a.id, assessmentId: a.id, schoolId: a.schoolId, details: { sections: Object.keys(text) } }, now);
  });
  return { ok: true };
}

export function assessmentsByIds(ids: number[], db: Db = getDb()) {
  if (!ids.length) return [];
  return db.select().from(assessments).where(inArray(assessments.id, ids)).all();
}
