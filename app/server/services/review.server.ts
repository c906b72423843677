/**
 * The reviewing office's acts on a submitted file, each one transition through the door
 * (assessments.server `transition` / `applyTransitionIn`): checked against the state table,
 * versioned, audited, and written together with what goes with it (requests, the round's outcome,
 * the external answers, notifications) in one immediate transaction.
 *
 *   returnFile      submitted → returned   requests per item and/or an overall comment (≥ 1)
 *   respond         returned             the school's reply to a request, "đã bổ sung"
 *   closeRequest    submitted|returned   the reviewer closes a request it is satisfied with
 *   approve         submitted → approved   copies the school's answers into phase external
 *   withdraw        approved|assessed → submitted   with a reason, until recognition
 *   setTeam         approved             the assessment team and date
 *   finishExternal  approved → assessed    every changed item has a reason; stores the external level
 *   keepSelf        approved → assessed    "giữ nguyên kết quả tự đánh giá", for a selection
 *   reopenExternal  assessed → approved    with a reason
 *   assign          any state but recognised   the office's reviewer of the file
 *
 * Authorization is the caller's (routes ask the policy: assessment.review / assessment.external /
 * assessment.assign / assessment.edit). Reads for the screens are at the end.
 */
import { and, asc, eq, isNull, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/sqlite-core";
import { allows, type AssessmentState } from "~/domain/assessment-states";
import { fail, ok, type Fail, type Ok } from "~/domain/result";
import { diffRounds, isUnanswered, REASON_MAX, REQUEST_MAX, teamSchema, type ExternalTeam, type ItemDiff, type RequestView, type RoundSnapshot } from "~/domain/review";
import { scoreAssessment, type AnswerValue, type Answers, type ScoreResult } from "~/domain/scoring";
import { pick } from "~/i18n";
import { reviewService } from "~/i18n/review-service";
import { getDb, withWriteLock, type Db } from "../db/client.server";
import { clearResultIn } from "./results.server";
import { answers, assessmentRounds, assessments, evidence, evidenceLinks, reviewComments, userRoles, users } from "../db/schema.server";
import { answersOf, applyTransitionIn, editionOf, getAssessment, Refusal, transition, type AssessmentRecord, type Tx } from "./assessments.server";
import { itemCodesOf } from "./evidence.server";
import { notifyIn, reviewerRecipients, schoolRecipients } from "./notifications.server";

const T = pick(reviewService);

type DoorFail = Fail<"not-found" | "state" | "stale" | "closed", { status?: AssessmentState }>;
export type FieldErrors = Record<string, string>;
export type ReviewOutcome<V = object> = Ok<{ version: number; status: AssessmentState } & V> | DoorFail | Fail<"invalid", { fieldErrors: FieldErrors }>;

function outcome<V extends object>(out: ReturnType<typeof transition<V, string>>, extra?: (v: V | undefined) => V): ReviewOutcome<V> {
  if (out.ok) return ok({ version: out.version, status: out.status, ...(extra ? extra(out.value) : ((out.value ?? {}) as V)) }) as ReviewOutcome<V>;
  if (out.kind === "invalid") return fail("invalid", out.message, { fieldErrors: (out as unknown as { fieldErrors: FieldErrors }).fieldErrors ?? {} });
  if (out.kind === "state") return fail("state", T.wrongState, { status: out.status });
  return fail(out.kind as "not-found" | "stale" | "closed", out.message);
}

/** The current round's row: its decision. */
function decideRound(tx: Tx, a: { id: number }, round: number, outcomeName: "returned" | "approved" | null, actorId: number | null, now: number) {
  tx.update(assessmentRounds)
    .set({ outcome: outcomeName, decidedAt: outcomeName ? new Date(now) : null, decidedBy: outcomeName ? actorId : null })
    .where(and(eq(assessmentRounds.assessmentId, a.id), eq(assessmentRounds.round, round)))
    .run();
}

function roundOf(tx: Db | Tx, id: number): { round: number; reviewerId: number | null } {
  return tx.select({ round: assessments.round, reviewerId: assessments.reviewerId }).from(assessments).where(eq(assessments.id, id)).get() ?? { round: 0, reviewerId: null };
}

// ───────────────────────────── rounds (called by submit) ─────────────────────────────

/** What the school sends in a round, frozen: answers, notes, points and evidence per item. */
export function snapshotOf(tx: Db | Tx, a: AssessmentRecord, result?: ScoreResult): RoundSnapshot {
  const set = answersOf(a.id, "self", tx);
  const r = result ?? scoreAssessment(editionOf(a), set.answers as Answers);
  const items: RoundSnapshot["items"] = {};
  for (const i of r.items) {
    const v = set.answers[i.code] ?? null;
    const n = set.notes[i.code] ?? null;
    if (v !== null || n !== null) items[i.code] = { v, n, p: i.points };
  }
  const ev: RoundSnapshot["evidence"] = {};
  const rows = tx
    .select({ code: evidenceLinks.itemCode, id: evidence.id, title: evidence.title })
    .from(evidenceLinks)
    .innerJoin(evidence, eq(evidenceLinks.evidenceId, evidence.id))
    .where(eq(evidenceLinks.assessmentId, a.id))
    .orderBy(asc(evidenceLinks.code))
    .all();
  for (const e of rows) (ev[e.code] ??= []).push({ id: e.id, title: e.title });
  return { level: r.level, items, evidence: ev };
}

/**
 * Inside submit's door: opens round n+1 with its snapshot, and tells the office of a resubmission
 * (first submissions show in the inbox's counts; a resubmission is news to the reviewer).
 */
export function openRound(tx: Tx, a: AssessmentRecord, actorId: number, now: number, result: ScoreResult): { round: number } {
  const { round: prev, reviewerId } = roundOf(tx, a.id);
  const round = prev + 1;
  tx.insert(assessmentRounds).values({ assessmentId: a.id, round, submittedAt: new Date(now), submittedBy: actorId, snapshot: snapshotOf(tx, a, result) as never }).run();
  if (round > 1) notifyIn(tx, reviewerRecipients(tx, a.reviewingUnitId, reviewerId), { kind: "resubmitted", assessmentId: a.id, schoolId: a.schoolId, actorId, details: { round } }, now);
  return { round };
}

// ───────────────────────────── return, requests ─────────────────────────────

export interface ReturnInput {
  /** Requests per item: item code → text (empty texts are ignored). */
  requests: Record<string, string>;
  /** The overall comment on the file. */
  comment: string;
  expectedVersion?: number;
}

/** Checks a return's input against the edition: field errors keyed `request.<code>` and `comment`. */
export function checkReturn(a: AssessmentRecord, input: ReturnInput): { fieldErrors: FieldErrors; requests: [string, string][]; comment: string } {
  const valid = new Set(itemCodesOf(editionOf(a)));
  const fieldErrors: FieldErrors = {};
  const requests: [string, string][] = [];
  for (const [code, text] of Object.entries(input.requests)) {
    const body = text.trim();
    if (!body) continue;
    if (!valid.has(code)) fieldErrors[`request.${code}`] = T.unknownItem(code);
    else if (body.length > REQUEST_MAX) fieldErrors[`request.${code}`] = T.tooLong(REQUEST_MAX);
    else requests.push([code, body]);
  }
  const comment = input.comment.trim();
  if (comment.length > REQUEST_MAX) fieldErrors.comment = T.tooLong(REQUEST_MAX);
  if (!Object.keys(fieldErrors).length && !requests.length && !comment) fieldErrors.comment = T.returnNeedsRequest;
  return { fieldErrors, requests, comment };
}

/** Returns the file to the school with its requests (at least one request or the comment). */
export function returnFile(assessmentId: number, input: ReturnInput, actorId: number, now = Date.now(), db: Db = getDb()): ReviewOutcome<{ requests: number }> {
  const out = transition<{ requests: number }, "invalid" | "closed">(
    assessmentId,
    {
      name: "return",
      actorId,
      now,
      expectedVersion: input.expectedVersion,
      within: (tx, a) => {
        const checked = checkReturn(a, input);
        if (Object.keys(checked.fieldErrors).length) throw new Refusal("invalid", T.invalid, { fieldErrors: checked.fieldErrors });
        const { round } = roundOf(tx, a.id);
        const rows = [...checked.requests.map(([itemCode, body]) => ({ itemCode, body })), ...(checked.comment ? [{ itemCode: null, body: checked.comment }] : [])];
        tx.insert(reviewComments)
          .values(rows.map((r) => ({ assessmentId: a.id, itemCode: r.itemCode, body: r.body, authorId: actorId, createdAt: new Date(now), round })))
          .run();
        decideRound(tx, a, round, "returned", actorId, now);
        notifyIn(tx, schoolRecipients(tx, a.schoolId), { kind: "returned", assessmentId: a.id, schoolId: a.schoolId, actorId, details: { round, requests: rows.length } }, now);
        return {
          set: { returnedAt: new Date(now) },
          details: { round, items: checked.requests.map(([c]) => c), comment: !!checked.comment },
          value: { requests: rows.length },
        };
      },
    },
    db,
  );
  return outcome(out);
}

function requestIn(tx: Tx, assessmentId: number, requestId: number) {
  const r = tx
    .select()
    .from(reviewComments)
    .where(and(eq(reviewComments.id, requestId), eq(reviewComments.assessmentId, assessmentId)))
    .get();
  if (!r) throw new Refusal("not-found", T.requestNotFound);
  return r;
}

/** The school answers one request: a reply and/or "đã bổ sung". */
export function respond(
  assessmentId: number,
  requestId: number,
  input: { reply: string; addressed: boolean },
  actorId: number,
  now = Date.now(),
  db: Db = getDb(),
): ReviewOutcome {
  const reply = input.reply.trim();
  const out = transition<object, "invalid">(
    assessmentId,
    {
      name: "respond",
      action: "review.request.respond",
      entity: { type: "review_comment", id: requestId },
      actorId,
      now,
      within: (tx, a) => {
        const r = requestIn(tx, a.id, requestId);
        if (r.resolvedAt) throw new Refusal("invalid", T.requestClosed, { fieldErrors: { reply: T.requestClosed } });
        if (reply.length > REQUEST_MAX) throw new Refusal("invalid", T.tooLong(REQUEST_MAX), { fieldErrors: { reply: T.tooLong(REQUEST_MAX) } });
        if (!reply && !input.addressed) throw new Refusal("invalid", T.replyNeeded, { fieldErrors: { reply: T.replyNeeded } });
        if ((r.reply ?? "") === reply && r.addressed === input.addressed) return { unchanged: true };
        tx.update(reviewComments).set({ reply: reply || null, addressed: input.addressed, repliedAt: new Date(now), repliedBy: actorId }).where(eq(reviewComments.id, r.id)).run();
        return { details: { itemCode: r.itemCode, addressed: input.addressed } };
      },
    },
    db,
  );
  return outcome(out);
}

/** The reviewer closes a request (it carries over to later rounds until then). */
export function closeRequest(assessmentId: number, requestId: number, actorId: number, now = Date.now(), db: Db = getDb()): ReviewOutcome {
  const out = transition<object>(
    assessmentId,
    {
      name: "closeRequest",
      action: "review.request.close",
      entity: { type: "review_comment", id: requestId },
      actorId,
      now,
      within: (tx, a) => {
        const r = requestIn(tx, a.id, requestId);
        if (r.resolvedAt) return { unchanged: true };
        tx.update(reviewComments).set({ resolvedAt: new Date(now), resolvedBy: actorId }).where(eq(reviewComments.id, r.id)).run();
        return { details: { itemCode: r.itemCode } };
      },
    },
    db,
  );
  return outcome(out);
}

// ───────────────────────────── approve, withdraw ─────────────────────────────

/** The external phase starts as a copy of the school's answers (notes, the reasons, start empty). */
function copySelfToExternal(tx: Tx, assessmentId: number, actorId: number, now: number, version: number) {
  tx.delete(answers).where(and(eq(answers.assessmentId, assessmentId), eq(answers.phase, "external"))).run();
  tx.run(sql`INSERT INTO answers (assessment_id, phase, item_code, value, note, updated_by, updated_at, version)
             SELECT assessment_id, 'external', item_code, value, NULL, ${actorId}, ${now}, ${version}
             FROM answers WHERE assessment_id = ${assessmentId} AND phase = 'self' AND value IS NOT NULL`);
}

/** Approves the file: it enters the external assessment, which starts from the school's answers. */
export function approve(assessmentId: number, actorId: number, opts: { expectedVersion?: number } = {}, now = Date.now(), db: Db = getDb()): ReviewOutcome {
  const out = transition<object, "closed">(
    assessmentId,
    {
      name: "approve",
      actorId,
      now,
      expectedVersion: opts.expectedVersion,
      within: (tx, a, next) => {
        copySelfToExternal(tx, a.id, actorId, now, next.version);
        const result = scoreAssessment(editionOf(a), answersOf(a.id, "external", tx).answers as Answers);
        const level = result.level;
        // Requests still open are settled by the approval.
        const closed = tx
          .update(reviewComments)
          .set({ resolvedAt: new Date(now), resolvedBy: actorId })
          .where(and(eq(reviewComments.assessmentId, a.id), isNull(reviewComments.resolvedAt)))
          .run().changes;
        const { round } = roundOf(tx, a.id);
        decideRound(tx, a, round, "approved", actorId, now);
        notifyIn(tx, schoolRecipients(tx, a.schoolId), { kind: "approved", assessmentId: a.id, schoolId: a.schoolId, actorId, details: { round } }, now);
        return {
          set: { approvedAt: new Date(now), approvedBy: actorId, externalFinishedAt: null, externalFinishedBy: null },
          // The external phase starts as a full copy of the school's answers: every row is written.
          scored: { phase: "external", result },
          details: { round, closedRequests: closed, externalLevel: level },
        };
      },
    },
    db,
  );
  return outcome(out);
}

/** Withdraws an approval (thu hồi) with a reason: the file goes back to checking. */
export function withdraw(assessmentId: number, reason: string, actorId: number, now = Date.now(), db: Db = getDb()): ReviewOutcome {
  const why = reason.trim();
  const out = transition<object, "invalid" | "closed">(
    assessmentId,
    {
      name: "withdraw",
      actorId,
      now,
      within: (tx, a) => {
        if (!why) throw new Refusal("invalid", T.reasonRequired, { fieldErrors: { reason: T.reasonRequired } });
        if (why.length > REASON_MAX) throw new Refusal("invalid", T.tooLong(REASON_MAX), { fieldErrors: { reason: T.tooLong(REASON_MAX) } });
        const { round } = roundOf(tx, a.id);
        decideRound(tx, a, round, null, null, now);
        // The external level is gone with the approval; so is its stored result.
        clearResultIn(tx, a.id, "external");
        notifyIn(tx, schoolRecipients(tx, a.schoolId), { kind: "withdrawn", assessmentId: a.id, schoolId: a.schoolId, actorId, details: { reason: why } }, now);
        return {
          set: { approvedAt: null, approvedBy: null, externalLevel: null, externalFinishedAt: null, externalFinishedBy: null },
          details: { reason: why },
        };
      },
    },
    db,
  );
  return outcome(out);
}

// ───────────────────────────── external assessment ─────────────────────────────

export function teamOf(a: { externalTeam?: unknown }): ExternalTeam {
  const t = a.externalTeam as ExternalTeam | null | undefined;
  return { date: t?.date ?? null, number: t?.number ?? null, conclusion: t?.conclusion ?? null, members: t?.members ?? [] };
}

/** The assessment team and date (validated with the domain's schema; errors keyed by field path). */
export function setTeam(assessmentId: number, input: unknown, actorId: number, opts: { expectedVersion?: number } = {}, now = Date.now(), db: Db = getDb()): ReviewOutcome {
  const parsed = teamSchema.safeParse(input);
  if (!parsed.success) {
    const fieldErrors: FieldErrors = {};
    for (const i of parsed.error.issues) fieldErrors[`team.${i.path.join(".") || "members"}`] ??= i.message;
    return fail("invalid", T.invalid, { fieldErrors });
  }
  const team: ExternalTeam = { date: parsed.data.date, number: parsed.data.number || null, conclusion: parsed.data.conclusion || null, members: parsed.data.members };
  const out = transition<object, "closed">(
    assessmentId,
    {
      name: "externalTeam",
      action: "assessment.external.team",
      actorId,
      now,
      expectedVersion: opts.expectedVersion,
      within: (tx, a) => {
        const stored = tx.select({ t: assessments.externalTeam }).from(assessments).where(eq(assessments.id, a.id)).get();
        if (JSON.stringify(teamOf({ externalTeam: stored?.t })) === JSON.stringify(team)) return { unchanged: true };
        return { set: { externalTeam: team as never }, details: { members: team.members.length, date: team.date } };
      },
    },
    db,
  );
  return outcome(out);
}

const same = (x: unknown, y: unknown) => JSON.stringify(x ?? null) === JSON.stringify(y ?? null);

/** Items whose external value differs from the school's, and those of them without a reason. */
export function externalChanges(assessmentId: number, tx: Db | Tx = getDb()): { changed: string[]; missingReason: string[] } {
  const self = answersOf(assessmentId, "self", tx);
  const ext = answersOf(assessmentId, "external", tx);
  const codes = new Set([...Object.keys(self.answers), ...Object.keys(ext.answers)]);
  const changed = [...codes].filter((c) => !same(self.answers[c], ext.answers[c])).sort();
  return { changed, missingReason: changed.filter((c) => !(ext.notes[c] ?? "").trim()) };
}

/** Finishes the external assessment: every changed item has its reason; the external level is stored. */
export function finishExternal(assessmentId: number, actorId: number, opts: { expectedVersion?: number } = {}, now = Date.now(), db: Db = getDb()): ReviewOutcome<{ level: number }> {
  const out = transition<{ level: number }, "invalid" | "closed">(
    assessmentId,
    {
      name: "finishExternal",
      action: "assessment.external.finish",
      actorId,
      now,
      expectedVersion: opts.expectedVersion,
      within: (tx, a) => {
        const { changed, missingReason } = externalChanges(a.id, tx);
        if (missingReason.length)
          throw new Refusal("invalid", T.reasonsMissing(missingReason), { fieldErrors: Object.fromEntries(missingReason.map((c) => [`reason.${c}`, T.itemReasonRequired])) });
        const result = scoreAssessment(editionOf(a), answersOf(a.id, "external", tx).answers as Answers);
        notifyIn(tx, schoolRecipients(tx, a.schoolId), { kind: "external-finished", assessmentId: a.id, schoolId: a.schoolId, actorId, details: { level: result.level, selfLevel: a.selfLevel } }, now);
        return {
          set: { externalFinishedAt: new Date(now), externalFinishedBy: actorId },
          scored: { phase: "external", result },
          details: { level: result.level, selfLevel: a.selfLevel, changed },
          value: { level: result.level },
        };
      },
    },
    db,
  );
  return outcome(out);
}

/** Reopens a finished external assessment, with a reason, until recognition. */
export function reopenExternal(assessmentId: number, reason: string, actorId: number, now = Date.now(), db: Db = getDb()): ReviewOutcome {
  const why = reason.trim();
  const out = transition<object, "invalid" | "closed">(
    assessmentId,
    {
      name: "reopenExternal",
      action: "assessment.external.reopen",
      actorId,
      now,
      within: (_tx, a) => {
        if (!why) throw new Refusal("invalid", T.reasonRequired, { fieldErrors: { reason: T.reasonRequired } });
        if (why.length > REASON_MAX) throw new Refusal("invalid", T.tooLong(REASON_MAX), { fieldErrors: { reason: T.tooLong(REASON_MAX) } });
        return { set: { externalFinishedAt: null, externalFinishedBy: null }, details: { reason: why } };
      },
    },
    db,
  );
  return outcome(out);
}

export interface BatchResult {
  done: number[];
  skipped: { id: number; message: string }[];
}

/**
 * "Giữ nguyên kết quả tự đánh giá" for a selection: each approved file's external answers become
 * the school's answers again (reasons cleared) and its external assessment is finished, one door
 * transition per file, all in one transaction. Files in another state are skipped and listed.
 * The caller has filtered the ids by the policy.
 */
export function keepSelf(ids: number[], actorId: number, now = Date.now(), db: Db = getDb()): BatchResult {
  const done: number[] = [];
  const skipped: BatchResult["skipped"] = [];
  withWriteLock(db, () =>
    db.transaction(
      (tx) => {
        for (const id of [...new Set(ids)]) {
          const a = getAssessment(id, tx);
          if (!a) {
            skipped.push({ id, message: T.notFound });
            continue;
          }
          if (!allows(a.status, "finishExternal") || a.cycleStatus !== "open") {
            skipped.push({ id, message: T.keepSkipped(a.schoolName) });
            continue;
          }
          applyTransitionIn(tx, id, {
            name: "finishExternal",
            action: "assessment.external.keep",
            actorId,
            now,
            within: (t2, cur, next) => {
              copySelfToExternal(t2, cur.id, actorId, now, next.version);
              const result = scoreAssessment(editionOf(cur), answersOf(cur.id, "external", t2).answers as Answers);
              notifyIn(t2, schoolRecipients(t2, cur.schoolId), { kind: "external-finished", assessmentId: cur.id, schoolId: cur.schoolId, actorId, details: { level: result.level, selfLevel: cur.selfLevel, kept: true } }, now);
              return { set: { externalFinishedAt: new Date(now), externalFinishedBy: actorId }, scored: { phase: "external", result }, details: { level: result.level, kept: true } };
            },
          });
          done.push(id);
        }
      },
      { behavior: "immediate" },
    ),
  );
  return { done, skipped };
}

// ───────────────────────────── assignment ─────────────────────────────

/** Active reviewers of an office: who a file of a school it reviews may be assigned to. */
export function reviewersOfUnit(unitId: number, db: Db = getDb()): { id: number; name: string }[] {
  return db
    .select({ id: users.id, name: users.displayName })
    .from(users)
    .innerJoin(userRoles, eq(userRoles.userId, users.id))
    .where(and(eq(users.unitId, unitId), eq(users.active, true), eq(userRoles.role, "office_reviewer")))
    .all()
    .sort((x, y) => x.name.localeCompare(y.name, "vi"));
}

/**
 * Assigns files to a reviewer of their reviewing office (null: unassign), one door transition per
 * file in one transaction. A reviewer who is not an active reviewer of a file's office is refused
 * for that file (skipped and listed). The caller has filtered the ids by the policy.
 */
export function assign(ids: number[], reviewerId: number | null, actorId: number, now = Date.now(), db: Db = getDb()): BatchResult {
  const done: number[] = [];
  const skipped: BatchResult["skipped"] = [];
  const reviewer = reviewerId == null ? null : (db.select({ id: users.id, unitId: users.unitId, name: users.displayName, active: users.active }).from(users).where(eq(users.id, reviewerId)).get() ?? null);
  const isReviewer = reviewerId != null && !!db.select({ r: userRoles.role }).from(userRoles).where(and(eq(userRoles.userId, reviewerId), eq(userRoles.role, "office_reviewer"))).get();
  withWriteLock(db, () =>
    db.transaction(
      (tx) => {
        for (const id of [...new Set(ids)]) {
          const a = getAssessment(id, tx);
          if (!a) {
            skipped.push({ id, message: T.notFound });
            continue;
          }
          if (reviewerId != null && (!reviewer || !reviewer.active || !isReviewer || reviewer.unitId !== a.reviewingUnitId)) {
            skipped.push({ id, message: T.notReviewerOf(a.schoolName) });
            continue;
          }
          if (a.cycleStatus !== "open") {
            skipped.push({ id, message: T.assignClosed(a.schoolName) });
            continue;
          }
          if (!allows(a.status, "assign")) {
            skipped.push({ id, message: T.assignState(a.schoolName) });
            continue;
          }
          if (roundOf(tx, id).reviewerId === reviewerId) {
            done.push(id);
            continue;
          }
          applyTransitionIn(tx, id, {
            name: "assign",
            actorId,
            now,
            within: (t2, cur) => {
              if (reviewerId != null) notifyIn(t2, [reviewerId], { kind: "assigned", assessmentId: cur.id, schoolId: cur.schoolId, actorId }, now);
              return { set: { reviewerId }, details: { reviewerId, reviewer: reviewer?.name ?? null } };
            },
          });
          done.push(id);
        }
      },
      { behavior: "immediate" },
    ),
  );
  return { done, skipped };
}

// ───────────────────────────── reads for the screens ─────────────────────────────

const author = alias(users, "author");
const replier = alias(users, "replier");
const resolver = alias(users, "resolver");

/** Every request of a file, oldest first (the screens filter open / closed). */
export function requestsOf(assessmentId: number, db: Db | Tx = getDb()): RequestView[] {
  return db
    .select({
      id: reviewComments.id,
      itemCode: reviewComments.itemCode,
      body: reviewComments.body,
      round: reviewComments.round,
      author: author.displayName,
      createdAt: reviewComments.createdAt,
      reply: reviewComments.reply,
      addressed: reviewComments.addressed,
      repliedAt: reviewComments.repliedAt,
      repliedBy: replier.displayName,
      resolvedAt: reviewComments.resolvedAt,
      resolvedBy: resolver.displayName,
    })
    .from(reviewComments)
    .leftJoin(author, eq(reviewComments.authorId, author.id))
    .leftJoin(replier, eq(reviewComments.repliedBy, replier.id))
    .leftJoin(resolver, eq(reviewComments.resolvedBy, resolver.id))
    .where(eq(reviewComments.assessmentId, assessmentId))
    .orderBy(asc(reviewComments.id))
    .all()
    .map((r) => ({
      ...r,
      createdAt: r.createdAt.getTime(),
      repliedAt: r.repliedAt ? r.repliedAt.getTime() : null,
      resolvedAt: r.resolvedAt ? r.resolvedAt.getTime() : null,
    }));
}

/** Open requests the school has not answered yet (the pre-submit check lists them). */
export function unansweredRequests(assessmentId: number, db: Db | Tx = getDb()): RequestView[] {
  return requestsOf(assessmentId, db).filter(isUnanswered);
}

export interface RoundView {
  round: number;
  submittedAt: number;
  submittedBy: string | null;
  outcome: "returned" | "approved" | null;
  decidedAt: number | null;
}

export function roundsOf(assessmentId: number, db: Db = getDb()): RoundView[] {
  const by = alias(users, "submitter");
  return db
    .select({ round: assessmentRounds.round, submittedAt: assessmentRounds.submittedAt, submittedBy: by.displayName, outcome: assessmentRounds.outcome, decidedAt: assessmentRounds.decidedAt })
    .from(assessmentRounds)
    .leftJoin(by, eq(assessmentRounds.submittedBy, by.id))
    .where(eq(assessmentRounds.assessmentId, assessmentId))
    .orderBy(asc(assessmentRounds.round))
    .all()
    .map((r) => ({ ...r, submittedAt: r.submittedAt.getTime(), decidedAt: r.decidedAt ? r.decidedAt.getTime() : null }));
}

/**
 * What changed in the latest round since the round the office returned (the one it last saw):
 * null before a second round.
 */
export function changesSinceLastRound(a: AssessmentRecord, db: Db = getDb()): { round: number; since: number; items: ItemDiff[] } | null {
  const rows = db
    .select({ round: assessmentRounds.round, snapshot: assessmentRounds.snapshot, outcome: assessmentRounds.outcome })
    .from(assessmentRounds)
    .where(eq(assessmentRounds.assessmentId, a.id))
    .orderBy(asc(assessmentRounds.round))
    .all();
  if (rows.length < 2) return null;
  const cur = rows[rows.length - 1];
  const seen = [...rows.slice(0, -1)].reverse().find((r) => r.outcome === "returned") ?? rows[rows.length - 2];
  return { round: cur.round, since: seen.round, items: diffRounds(seen.snapshot as RoundSnapshot, cur.snapshot as RoundSnapshot, itemCodesOf(editionOf(a))) };
}

/** The review columns of the file that AssessmentRecord does not carry. */
export function reviewColumnsOf(id: number, db: Db | Tx = getDb()) {
  const r = db
    .select({
      round: assessments.round,
      reviewerId: assessments.reviewerId,
      reviewer: users.displayName,
      externalTeam: assessments.externalTeam,
      externalFinishedAt: assessments.externalFinishedAt,
      approvedAt: assessments.approvedAt,
      returnedAt: assessments.returnedAt,
    })
    .from(assessments)
    .leftJoin(users, eq(assessments.reviewerId, users.id))
    .where(eq(assessments.id, id))
    .get();
  if (!r) return null;
  return {
    round: r.round,
    reviewerId: r.reviewerId,
    reviewer: r.reviewer ?? null,
    team: teamOf(r),
    externalFinishedAt: r.externalFinishedAt ? r.externalFinishedAt.getTime() : null,
    approvedAt: r.approvedAt ? r.approvedAt.getTime() : null,
    returnedAt: r.returnedAt ? r.returnedAt.getTime() : null,
  };
}

/** Both phases scored with the same engine, for the side-by-side views and the biên bản. */
export function bothPhases(a: AssessmentRecord, db: Db | Tx = getDb()) {
  const edition = editionOf(a);
  const self = answersOf(a.id, "self", db);
  const ext = answersOf(a.id, "external", db);
  return {
    edition,
    self,
    external: ext,
    selfResult: scoreAssessment(edition, self.answers as Answers),
    externalResult: scoreAssessment(edition, ext.answers as Answers),
  };
}

export type { AnswerValue };
