/**
 * The office's review service (review.server) on a real SQLite file: each act's rows and columns
 * (assessments, review_comments, assessment_rounds, external answers, audit_log, notifications),
 * its refusals (field errors, state, stale, closed), the rounds and what changed between them,
 * the external re-scoring, the batches (keepSelf, assign) and the notifications service.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { and, asc, eq, inArray } from "drizzle-orm";
import { LEVEL2_ANSWERS } from "../helpers/answers";
import { useTestDatabase } from "../helpers/db";
import { getDb, openDatabase } from "~/server/db/client.server";
import { answers, assessmentRounds, assessments, auditLog, cycles, notifications, reviewComments, users } from "~/server/db/schema.server";
import { createSchool, createUnit, createUser } from "~/server/services/org.server";
import { openCycle } from "~/server/services/cycles.server";
import { answersOf, editionOf, getAssessment, preSubmitCheck, reviewTransition, saveAnswers, submitAssessment, type AnswerChange } from "~/server/services/assessments.server";
import { createLinkEvidence } from "~/server/services/evidence.server";
import {
  approve,
  assign,
  changesSinceLastRound,
  closeRequest,
  finishExternal,
  keepSelf,
  reopenExternal,
  requestsOf,
  respond,
  returnFile,
  reviewersOfUnit,
  setTeam,
  unansweredRequests,
  withdraw,
} from "~/server/services/review.server";
import { markRead, NOTIFICATIONS_PAGE, notificationsOf, notifyIn, unreadCount } from "~/server/services/notifications.server";
import { scoreAssessment, type Answers } from "~/domain/scoring";
import { REQUEST_MAX, type RoundSnapshot } from "~/domain/review";
import { pick } from "~/i18n";
import { reviewService } from "~/i18n/review-service";

const dbFile = useTestDatabase("review");

const T = pick(reviewService);
const pw = "mat-khau-kiem-thu";
const u: Record<string, number> = {};
const school: Record<string, number> = {};
const unit: Record<string, number> = {};
const NOW = Date.UTC(2099, 0, 10, 3, 0, 0);
const at = (min: number) => NOW + min * 60_000;

/** The school's answers: Mức 2 in both groups (no LMS items, no info block). */
const SELF = LEVEL2_ANSWERS;

const db = () => getDb();
const row = (id: number) => db().select().from(assessments).where(eq(assessments.id, id)).get()!;
const audits = (id: number) => db().select().from(auditLog).where(eq(auditLog.assessmentId, id)).orderBy(asc(auditLog.id)).all();
const lastAudit = (id: number) => audits(id).at(-1)!;
const comments = (id: number) => db().select().from(reviewComments).where(eq(reviewComments.assessmentId, id)).orderBy(asc(reviewComments.id)).all();
const rounds = (id: number) => db().select().from(assessmentRounds).where(eq(assessmentRounds.assessmentId, id)).orderBy(asc(assessmentRounds.round)).all();
const notes = (id: number, kind?: string) =>
  db()
    .select()
    .from(notifications)
    .where(and(eq(notifications.assessmentId, id), kind ? eq(notifications.kind, kind) : undefined))
    .orderBy(asc(notifications.id))
    .all();
const recipients = (id: number, kind: string) => notes(id, kind).map((n) => n.userId).sort((x, y) => x - y);
const answerRows = (id: number, phase: "self" | "external") =>
  db().select().from(answers).where(and(eq(answers.assessmentId, id), eq(answers.phase, phase))).orderBy(asc(answers.itemCode)).all();
const idOf = (s: number) => db().select().from(assessments).where(eq(assessments.schoolId, s)).get()!.id;
const sorted = (...ids: number[]) => [...ids].sort((x, y) => x - y);

function save(id: number, changes: Record<string, AnswerChange>, actor: number, now = NOW, phase: "self" | "external" = "self") {
  const r = saveAnswers(id, { baseVersion: row(id).version, changes, phase }, actor, now);
  expect(r).toMatchObject({ ok: true });
  return r;
}
const valuesOf = (answersIn: Record<string, AnswerChange["value"]>) => Object.fromEntries(Object.entries(answersIn).map(([k, value]) => [k, { value }]));

function submit(id: number, head: number, now = NOW) {
  expect(submitAssessment(id, head, now)).toEqual({ ok: true, alreadySubmitted: false, submittedAt: now });
}
/** Answers, submits, approves: a file in the external assessment. */
function approvedFile(s: number, head: number, reviewer: number, now = NOW) {
  const id = idOf(s);
  save(id, valuesOf(SELF), head, now);
  submit(id, head, now);
  expect(approve(id, reviewer, {}, now)).toMatchObject({ ok: true, status: "approved" });
  return id;
}

beforeAll(async () => {
  unit.P = createUnit({ kind: "province", code: "RV", name: "Sở Kiểm Tra", parentId: null }, null);
  unit.X = createUnit({ kind: "commune", code: "RV-X", name: "Xã Kiểm Tra", parentId: unit.P }, null);
  unit.Q = createUnit({ kind: "province", code: "RQ", name: "Sở Đã Đóng", parentId: null }, null);
  for (const c of ["A", "B", "C", "D", "F", "G", "H"]) school[c] = createSchool({ code: `RV-${c}`, name: `Trường ${c}`, type: "TH", managingUnitId: unit.X, reviewingUnitId: unit.P }, null);
  school.X = createSchool({ code: "RV-XX", name: "Trường Xã", type: "TH", managingUnitId: unit.X, reviewingUnitId: unit.X }, null);
  for (const c of ["Q1", "Q2", "Q3", "Q4"]) school[c] = createSchool({ code: `RQ-${c}`, name: `Trường ${c}`, type: "THPT", managingUnitId: unit.Q, reviewingUnitId: unit.Q }, null);

  const mk = (username: string, displayName: string, roles: Parameters<typeof createUser>[0]["roles"], where: { unitId?: number; schoolId?: number }) =>
    createUser({ username, displayName, password: pw, roles, ...where }, null);
  u.admin = await mk("rv.admin", "An Quản Trị", ["office_admin", "office_reviewer"], { unitId: unit.P });
  u.rev1 = await mk("rv.rev1", "Bình Kiểm Tra", ["office_reviewer"], { unitId: unit.P });
  u.rev2 = await mk("rv.rev2", "Chi Kiểm Tra", ["office_reviewer"], { unitId: unit.P });
  u.gone = await mk("rv.gone", "Dũng Nghỉ", ["office_reviewer"], { unitId: unit.P });
  u.plain = await mk("rv.plain", "Giang Quản Trị", ["office_admin"], { unitId: unit.P });
  u.revX = await mk("rv.revx", "Hà Xã", ["office_reviewer"], { unitId: unit.X });
  u.revQ = await mk("rv.revq", "Khánh Sở Q", ["office_admin", "office_reviewer"], { unitId: unit.Q });
  for (const c of ["A", "B", "C", "D", "F", "G", "H", "Q1", "Q2", "Q3", "Q4"]) u[`head${c}`] = await mk(`rv.head${c.toLowerCase()}`, `Hiệu trưởng ${c}`, ["school_head"], { schoolId: school[c] });
  u.staffA = await mk("rv.staffa", "Giáo viên A", ["school_staff"], { schoolId: school.A });
  u.leftA = await mk("rv.lefta", "Giáo viên đã nghỉ A", ["school_staff"], { schoolId: school.A });
  db().update(users).set({ active: false }).where(inArray(users.id, [u.gone, u.leftA])).run();

  const r = openCycle({ ownerUnitId: unit.P, schoolYear: "2098-2099", editionId: "qd-4725-2022", selfAssessmentDeadline: "2099-05-31", reviewDeadline: "2099-06-20" }, u.admin);
  expect(r).toMatchObject({ ok: true, created: 8 });
  const q = openCycle({ ownerUnitId: unit.Q, schoolYear: "2098-2099", editionId: "qd-4725-2022", selfAssessmentDeadline: "2099-05-31", reviewDeadline: "2099-06-20" }, u.revQ);
  expect(q).toMatchObject({ ok: true, created: 4 });
});

describe("two rounds: submit, return with requests, answers, resubmit", () => {
  let id = 0;
  let ev1 = 0;
  let ev2 = 0;
  const req: Record<string, number> = {};

  it("round 1: the submission freezes the answers, notes, points and evidence per item", () => {
    id = idOf(school.A);
    save(id, { ...valuesOf(SELF), "1.3.1": { value: true, note: "Dùng hệ thống LMS của Sở" } }, u.staffA);
    const made = createLinkEvidence({ assessmentId: id, itemCodes: ["1.3.1"], url: "https://truong-a.edu.vn/lms", title: "Hệ thống LMS" }, u.staffA, NOW);
    expect(made).toMatchObject({ ok: true });
    if (!made.ok) return;
    ev1 = made.evidenceId;
    const self = scoreAssessment(editionOf(getAssessment(id)!), answersOf(id).answers as Answers);
    expect(self.level).toBe(2);
    const v = row(id).version;

    submit(id, u.headA, at(1));
    expect(row(id)).toMatchObject({ status: "submitted", version: v + 1, round: 1, submittedAt: new Date(at(1)), submittedBy: u.headA, selfLevel: 2, returnedAt: null, reviewerId: null });
    const [r1] = rounds(id);
    expect(r1).toMatchObject({ round: 1, submittedAt: new Date(at(1)), submittedBy: u.headA, outcome: null, decidedAt: null, decidedBy: null });
    const snap = r1.snapshot as RoundSnapshot;
    expect(snap.level).toBe(2);
    expect(snap.items["1.3.1"]).toEqual({ v: true, n: "Dùng hệ thống LMS của Sở", p: 600 });
    expect(snap.items["1.4"]).toEqual({ v: { numerator: 1, denominator: 1 }, n: null, p: self.items.find((i) => i.code === "1.4")!.points });
    expect(snap.items["1.5.2"]).toBeUndefined();
    expect(Object.keys(snap.items).sort()).toEqual(Object.keys(SELF).sort());
    for (const i of self.items) if (snap.items[i.code]) expect(snap.items[i.code].p).toBe(i.points);
    expect(snap.evidence).toEqual({ "1.3.1": [{ id: ev1, title: "Hệ thống LMS" }] });
    // A first submission is no news to the reviewers (it shows in the inbox).
    expect(notes(id)).toEqual([]);
    expect(changesSinceLastRound(getAssessment(id)!)).toBeNull();
  });

  it("a return needs a request or a comment, known item codes and bounded texts: field errors, nothing written", () => {
    const before = row(id);
    const n = audits(id).length;
    expect(returnFile(id, { requests: { "1.4": "   " }, comment: "  " }, u.rev1, at(2))).toEqual({
      ok: false,
      kind: "invalid",
      message: T.invalid,
      fieldErrors: { comment: T.returnNeedsRequest },
    });
    expect(returnFile(id, { requests: { "9.9": "Không có tiêu chí này", "1.3.1": "x".repeat(REQUEST_MAX + 1) }, comment: "y".repeat(REQUEST_MAX + 1) }, u.rev1, at(2))).toMatchObject({
      ok: false,
      kind: "invalid",
      fieldErrors: { "request.9.9": T.unknownItem("9.9"), "request.1.3.1": T.tooLong(REQUEST_MAX), comment: T.tooLong(REQUEST_MAX) },
    });
    // An indicator code is not an item code.
    expect(returnFile(id, { requests: { "1.3": "Chỉ số" }, comment: "" }, u.rev1, at(2))).toMatchObject({ ok: false, kind: "invalid", fieldErrors: { "request.1.3": T.unknownItem("1.3") } });
    expect(row(id)).toEqual(before);
    expect(comments(id)).toEqual([]);
    expect(rounds(id)[0].outcome).toBeNull();
    expect(audits(id)).toHaveLength(n);
    expect(notes(id)).toEqual([]);
  });

  it("returns with per-item requests and an overall comment", () => {
    const v = row(id).version;
    const out = returnFile(
      id,
      { requests: { "1.3.1": "Bổ sung ảnh chụp màn hình LMS", "2.3.1": " Thiếu quy chế đã ký ", "1.5.2": "Chưa khai báo 1.5.2", "1.7.3": "Bổ sung biên bản studio", "1.4": "" }, comment: "Hồ sơ cần bổ sung minh chứng." },
      u.rev1,
      at(2),
    );
    expect(out).toEqual({ ok: true, status: "returned", version: v + 1, requests: 5 });
    expect(row(id)).toMatchObject({ status: "returned", version: v + 1, round: 1, returnedAt: new Date(at(2)), approvedAt: null });
    const rows = comments(id);
    expect(rows.map((r) => [r.itemCode, r.body, r.round, r.authorId, r.reply, r.addressed, r.repliedAt, r.resolvedAt])).toEqual([
      ["1.3.1", "Bổ sung ảnh chụp màn hình LMS", 1, u.rev1, null, false, null, null],
      ["2.3.1", "Thiếu quy chế đã ký", 1, u.rev1, null, false, null, null],
      ["1.5.2", "Chưa khai báo 1.5.2", 1, u.rev1, null, false, null, null],
      ["1.7.3", "Bổ sung biên bản studio", 1, u.rev1, null, false, null, null],
      [null, "Hồ sơ cần bổ sung minh chứng.", 1, u.rev1, null, false, null, null],
    ]);
    for (const r of rows) {
      expect(r.createdAt).toEqual(new Date(at(2)));
      req[r.itemCode ?? "comment"] = r.id;
    }
    expect(rounds(id)[0]).toMatchObject({ round: 1, outcome: "returned", decidedAt: new Date(at(2)), decidedBy: u.rev1 });
    expect(lastAudit(id)).toMatchObject({
      action: "assessment.return",
      actorId: u.rev1,
      entityType: "assessment",
      details: { from: "submitted", to: "returned", version: v + 1, round: 1, items: ["1.3.1", "2.3.1", "1.5.2", "1.7.3"], comment: true },
    });
    // The school's active users are told; the one who left is not.
    expect(recipients(id, "returned")).toEqual(sorted(u.headA, u.staffA));
    for (const n of notes(id, "returned")) expect(n).toMatchObject({ schoolId: school.A, actorId: u.rev1, details: { round: 1, requests: 5 }, createdAt: new Date(at(2)), readAt: null });
  });

  it("the school answers requests: a reply, \"đã bổ sung\"; refused when empty or closed", () => {
    let v = row(id).version;
    expect(respond(id, req["1.3.1"], { reply: "  Đã bổ sung ảnh chụp  ", addressed: false }, u.headA, at(3))).toEqual({ ok: true, status: "returned", version: v + 1 });
    v += 1;
    expect(comments(id).find((r) => r.id === req["1.3.1"])).toMatchObject({ reply: "Đã bổ sung ảnh chụp", addressed: false, repliedAt: new Date(at(3)), repliedBy: u.headA, resolvedAt: null });
    expect(lastAudit(id)).toMatchObject({ action: "review.request.respond", actorId: u.headA, entityType: "review_comment", entityId: String(req["1.3.1"]), details: { from: "returned", to: "returned", itemCode: "1.3.1", addressed: false } });

    expect(respond(id, req["2.3.1"], { reply: "", addressed: true }, u.staffA, at(4))).toMatchObject({ ok: true, version: v + 1 });
    v += 1;
    expect(comments(id).find((r) => r.id === req["2.3.1"])).toMatchObject({ reply: null, addressed: true, repliedAt: new Date(at(4)), repliedBy: u.staffA });
    // The same answer again writes nothing.
    expect(respond(id, req["2.3.1"], { reply: "", addressed: true }, u.staffA, at(5))).toMatchObject({ ok: true, version: v });

    const n = audits(id).length;
    expect(respond(id, req["1.7.3"], { reply: "   ", addressed: false }, u.headA, at(5))).toMatchObject({ ok: false, kind: "invalid", fieldErrors: { reply: T.replyNeeded } });
    expect(respond(id, req["1.7.3"], { reply: "z".repeat(REQUEST_MAX + 1), addressed: false }, u.headA, at(5))).toMatchObject({ ok: false, kind: "invalid", fieldErrors: { reply: T.tooLong(REQUEST_MAX) } });
    expect(respond(id, 999_999, { reply: "?", addressed: true }, u.headA, at(5))).toMatchObject({ ok: false, kind: "not-found", message: T.requestNotFound });

    // The reviewer closes a request while the file is with the school.
    expect(closeRequest(id, req["1.5.2"], u.rev1, at(5))).toMatchObject({ ok: true, status: "returned", version: v + 1 });
    v += 1;
    expect(comments(id).find((r) => r.id === req["1.5.2"])).toMatchObject({ resolvedAt: new Date(at(5)), resolvedBy: u.rev1 });
    expect(lastAudit(id)).toMatchObject({ action: "review.request.close", actorId: u.rev1, entityType: "review_comment", entityId: String(req["1.5.2"]), details: { itemCode: "1.5.2" } });
    expect(closeRequest(id, req["1.5.2"], u.rev2, at(6))).toMatchObject({ ok: true, version: v });
    expect(comments(id).find((r) => r.id === req["1.5.2"])).toMatchObject({ resolvedBy: u.rev1 });
    expect(respond(id, req["1.5.2"], { reply: "Đã khai báo", addressed: true }, u.headA, at(6))).toMatchObject({ ok: false, kind: "invalid", fieldErrors: { reply: T.requestClosed } });
    expect(comments(id).find((r) => r.id === req["1.5.2"])).toMatchObject({ reply: null, addressed: false, repliedAt: null });
    expect(audits(id)).toHaveLength(n + 1);
    expect(row(id).version).toBe(v);
  });

  it("the pre-submit check lists only the requests still unanswered", () => {
    const check = preSubmitCheck(getAssessment(id)!, at(6));
    expect(check.unansweredRequests).toEqual([
      { id: req["1.7.3"], itemCode: "1.7.3", body: "Bổ sung biên bản studio" },
      { id: req.comment, itemCode: null, body: "Hồ sơ cần bổ sung minh chứng." },
    ]);
    expect(unansweredRequests(id).map((r) => r.id)).toEqual([req["1.7.3"], req.comment]);
    expect(check.canSubmit).toBe(true);
  });

  it("round 2: resubmission notifies every active reviewer of the office when none is assigned; the changes show", () => {
    save(id, { "1.5.2": { value: true } }, u.staffA, at(7));
    const made = createLinkEvidence({ assessmentId: id, itemCodes: ["2.3.1"], url: "https://truong-a.edu.vn/quy-che", title: "Quy chế sử dụng" }, u.staffA, at(7));
    expect(made).toMatchObject({ ok: true });
    if (!made.ok) return;
    ev2 = made.evidenceId;
    const v = row(id).version;
    submit(id, u.headA, at(8));
    expect(row(id)).toMatchObject({ status: "submitted", version: v + 1, round: 2, submittedAt: new Date(at(8)), returnedAt: new Date(at(2)) });
    const rs = rounds(id);
    expect(rs.map((r) => [r.round, r.outcome, r.submittedBy])).toEqual([
      [1, "returned", u.headA],
      [2, null, u.headA],
    ]);
    expect((rs[1].snapshot as RoundSnapshot).evidence).toEqual({ "1.3.1": [{ id: ev1, title: "Hệ thống LMS" }], "2.3.1": [{ id: ev2, title: "Quy chế sử dụng" }] });
    expect(lastAudit(id)).toMatchObject({ action: "assessment.submit", details: { round: 2 } });

    // Active office reviewers of the reviewing unit: not the inactive one, not the plain admin, not the commune's reviewer.
    expect(recipients(id, "resubmitted")).toEqual(sorted(u.admin, u.rev1, u.rev2));
    for (const n of notes(id, "resubmitted")) expect(n).toMatchObject({ actorId: u.headA, schoolId: school.A, details: { round: 2 }, createdAt: new Date(at(8)) });

    const ch = changesSinceLastRound(getAssessment(id)!)!;
    expect(ch.round).toBe(2);
    expect(ch.since).toBe(1);
    expect(ch.items).toEqual([
      {
        code: "1.5.2",
        before: null,
        after: { v: true, n: null, p: 500 },
        valueChanged: true,
        noteChanged: false,
        pointsChanged: true,
        evidenceAdded: [],
        evidenceRemoved: [],
      },
      {
        code: "2.3.1",
        before: { v: true, n: null, p: 600 },
        after: { v: true, n: null, p: 600 },
        valueChanged: false,
        noteChanged: false,
        pointsChanged: false,
        evidenceAdded: [{ id: ev2, title: "Quy chế sử dụng" }],
        evidenceRemoved: [],
      },
    ]);
  });

  it("requests carry over across rounds until the reviewer closes them; the school cannot answer while submitted", () => {
    const v = row(id).version;
    expect(respond(id, req["1.7.3"], { reply: "Gửi sau", addressed: false }, u.headA, at(9))).toMatchObject({ ok: false, kind: "state", status: "submitted" });
    expect(row(id).version).toBe(v);
    expect(closeRequest(id, req["1.3.1"], u.rev1, at(9))).toMatchObject({ ok: true, status: "submitted", version: v + 1 });
    expect(comments(id).find((r) => r.id === req["1.3.1"])).toMatchObject({ resolvedAt: new Date(at(9)), resolvedBy: u.rev1, reply: "Đã bổ sung ảnh chụp" });

    expect(returnFile(id, { requests: { "1.7.3": "Vẫn thiếu biên bản" }, comment: "" }, u.rev1, at(10))).toMatchObject({ ok: true, requests: 1 });
    expect(row(id)).toMatchObject({ status: "returned", returnedAt: new Date(at(10)), round: 2 });
    const open = requestsOf(id).filter((r) => r.resolvedAt == null);
    expect(open.map((r) => [r.itemCode, r.round, r.body])).toEqual([
      ["2.3.1", 1, "Thiếu quy chế đã ký"],
      ["1.7.3", 1, "Bổ sung biên bản studio"],
      [null, 1, "Hồ sơ cần bổ sung minh chứng."],
      ["1.7.3", 2, "Vẫn thiếu biên bản"],
    ]);
    expect(requestsOf(id).find((r) => r.id === req["1.3.1"])).toMatchObject({ author: "Bình Kiểm Tra", repliedBy: "Hiệu trưởng A", resolvedBy: "Bình Kiểm Tra", resolvedAt: at(9) });
    expect(rounds(id).map((r) => r.outcome)).toEqual(["returned", "returned"]);
    expect(unansweredRequests(id).map((r) => [r.itemCode, r.round])).toEqual([
      ["1.7.3", 1],
      [null, 1],
      ["1.7.3", 2],
    ]);
  });

  it("round 3: with a reviewer assigned, only that reviewer is told of the resubmission", () => {
    expect(assign([id], u.rev2, u.admin, at(11))).toEqual({ done: [id], skipped: [] });
    save(id, { "1.7.3": { value: true } }, u.staffA, at(11));
    submit(id, u.headA, at(12));
    expect(row(id)).toMatchObject({ round: 3, reviewerId: u.rev2 });
    expect(notes(id, "resubmitted").filter((n) => (n.details as { round: number }).round === 3).map((n) => n.userId)).toEqual([u.rev2]);
    const ch = changesSinceLastRound(getAssessment(id)!)!;
    expect(ch).toMatchObject({ round: 3, since: 2 });
    expect(ch.items.map((i) => [i.code, i.valueChanged, i.pointsChanged])).toEqual([["1.7.3", true, true]]);
  });

  it("approve: external answers copy the school's with null notes; open requests close; round approved; school told", () => {
    const v = row(id).version;
    const openBefore = comments(id).filter((r) => r.resolvedAt == null).map((r) => r.id);
    expect(openBefore).toHaveLength(4);
    expect(approve(id, u.rev2, { expectedVersion: v }, at(13))).toEqual({ ok: true, status: "approved", version: v + 1 });
    const selfLevel = row(id).selfLevel;
    expect(row(id)).toMatchObject({ status: "approved", version: v + 1, approvedAt: new Date(at(13)), approvedBy: u.rev2, externalLevel: selfLevel, externalFinishedAt: null, externalFinishedBy: null });
    const self = answerRows(id, "self");
    const ext = answerRows(id, "external");
    expect(ext.map((r) => [r.itemCode, r.value])).toEqual(self.filter((r) => r.value !== null).map((r) => [r.itemCode, r.value]));
    for (const r of ext) expect(r).toMatchObject({ note: null, updatedBy: u.rev2, version: v + 1, updatedAt: new Date(at(13)) });
    expect(self.find((r) => r.itemCode === "1.3.1")!.note).toBe("Dùng hệ thống LMS của Sở");
    for (const r of comments(id)) {
      expect(r.resolvedAt).not.toBeNull();
      if (openBefore.includes(r.id)) expect(r).toMatchObject({ resolvedAt: new Date(at(13)), resolvedBy: u.rev2 });
    }
    expect(comments(id).find((r) => r.id === req["1.5.2"])).toMatchObject({ resolvedAt: new Date(at(5)), resolvedBy: u.rev1 });
    expect(rounds(id).map((r) => [r.round, r.outcome, r.decidedBy])).toEqual([
      [1, "returned", u.rev1],
      [2, "returned", u.rev1],
      [3, "approved", u.rev2],
    ]);
    expect(rounds(id)[2].decidedAt).toEqual(new Date(at(13)));
    expect(lastAudit(id)).toMatchObject({ action: "assessment.approve", actorId: u.rev2, details: { from: "submitted", to: "approved", round: 3, closedRequests: 4, externalLevel: selfLevel } });
    expect(recipients(id, "approved")).toEqual(sorted(u.headA, u.staffA));
    for (const n of notes(id, "approved")) expect(n).toMatchObject({ actorId: u.rev2, details: { round: 3 } });
  });

  it("external re-scoring: a changed item needs a reason; the stored level is the engine's", () => {
    save(id, { "1.1": { value: false }, "2.3.3": { value: false } }, u.rev2, at(14), "external");
    expect(answerRows(id, "external").find((r) => r.itemCode === "1.1")).toMatchObject({ value: false, note: null, updatedBy: u.rev2 });
    expect(answerRows(id, "self").find((r) => r.itemCode === "1.1")).toMatchObject({ value: true });
    let v = row(id).version;
    const n = audits(id).length;
    expect(finishExternal(id, u.rev2, {}, at(15))).toMatchObject({
      ok: false,
      kind: "invalid",
      message: T.reasonsMissing(["1.1", "2.3.3"]),
      fieldErrors: { "reason.1.1": T.itemReasonRequired, "reason.2.3.3": T.itemReasonRequired },
    });
    save(id, { "1.1": { note: "Kế hoạch chưa được ký ban hành" } }, u.rev2, at(15), "external");
    v = row(id).version;
    const again = finishExternal(id, u.rev2, {}, at(15));
    expect(again).toMatchObject({ ok: false, kind: "invalid" });
    if (!again.ok && again.kind === "invalid") expect(Object.keys(again.fieldErrors)).toEqual(["reason.2.3.3"]);
    expect(row(id)).toMatchObject({ status: "approved", version: v, externalFinishedAt: null });
    expect(audits(id)).toHaveLength(n + 1); // the note's save only
    save(id, { "2.3.3": { note: "Không truy cập được hệ thống" } }, u.rev2, at(16), "external");
    v = row(id).version;

    const expected = scoreAssessment(editionOf(getAssessment(id)!), answersOf(id, "external").answers as Answers).level;
    expect(expected).toBe(1);
    expect(finishExternal(id, u.rev2, { expectedVersion: v }, at(17))).toEqual({ ok: true, status: "assessed", version: v + 1, level: expected });
    expect(row(id)).toMatchObject({ status: "assessed", version: v + 1, externalLevel: expected, selfLevel: 2, externalFinishedAt: new Date(at(17)), externalFinishedBy: u.rev2 });
    expect(lastAudit(id)).toMatchObject({ action: "assessment.external.finish", actorId: u.rev2, details: { from: "approved", to: "assessed", level: 1, selfLevel: 2, changed: ["1.1", "2.3.3"] } });
    expect(recipients(id, "external-finished")).toEqual(sorted(u.headA, u.staffA));
    for (const x of notes(id, "external-finished")) expect(x).toMatchObject({ actorId: u.rev2, details: { level: 1, selfLevel: 2 } });
  });

  it("reopenExternal needs a reason", () => {
    const v = row(id).version;
    expect(reopenExternal(id, "  ", u.rev2, at(18))).toMatchObject({ ok: false, kind: "invalid", fieldErrors: { reason: T.reasonRequired } });
    expect(reopenExternal(id, "r".repeat(2001), u.rev2, at(18))).toMatchObject({ ok: false, kind: "invalid", fieldErrors: { reason: T.tooLong(2000) } });
    expect(row(id).version).toBe(v);
    expect(reopenExternal(id, " Xem lại 2.3.3 ", u.rev2, at(18))).toEqual({ ok: true, status: "approved", version: v + 1 });
    expect(row(id)).toMatchObject({ status: "approved", externalFinishedAt: null, externalFinishedBy: null, externalLevel: 1 });
    expect(lastAudit(id)).toMatchObject({ action: "assessment.external.reopen", actorId: u.rev2, details: { from: "assessed", to: "approved", reason: "Xem lại 2.3.3" } });
  });

  it("setTeam validates with field errors and stores the team", () => {
    const v = row(id).version;
    const leader = { name: "Nguyễn Văn Trưởng", title: "Phó Giám đốc Sở", role: "truong_doan" as const };
    const member = { name: "Trần Thị Thành", title: "Chuyên viên", role: "thanh_vien" as const };
    expect(setTeam(id, { date: "10/01/2099", members: [leader] }, u.rev2, {}, at(19))).toMatchObject({ ok: false, kind: "invalid", fieldErrors: { "team.date": "Ngày đánh giá không hợp lệ." } });
    expect(setTeam(id, { date: "2099-01-10", members: [leader, { ...member, role: "truong_doan" }] }, u.rev2, {}, at(19))).toMatchObject({
      ok: false,
      kind: "invalid",
      fieldErrors: { "team.members": "Đoàn chỉ có một trưởng đoàn." },
    });
    expect(setTeam(id, { date: "2099-01-10", members: [leader, { ...member, name: "  " }] }, u.rev2, {}, at(19))).toMatchObject({
      ok: false,
      kind: "invalid",
      fieldErrors: { "team.members.1.name": "Vui lòng nhập họ tên thành viên." },
    });
    expect(row(id)).toMatchObject({ version: v, externalTeam: null });

    const team = { date: "2099-01-10", number: "05/BB-ĐGN", conclusion: "Đạt mức 1.", members: [leader, member] };
    expect(setTeam(id, team, u.rev2, { expectedVersion: v }, at(19))).toEqual({ ok: true, status: "approved", version: v + 1 });
    expect(row(id).externalTeam).toEqual(team);
    expect(lastAudit(id)).toMatchObject({ action: "assessment.external.team", actorId: u.rev2, details: { members: 2, date: "2099-01-10" } });
    expect(setTeam(id, team, u.rev2, {}, at(20))).toEqual({ ok: true, status: "approved", version: v + 1 });
    expect(audits(id).filter((a) => a.action === "assessment.external.team")).toHaveLength(1);
  });

  it("withdraw: needs a reason; from assessed and from approved back to submitted, clearing the external result; refused once recognised", () => {
    expect(finishExternal(id, u.rev2, {}, at(21))).toMatchObject({ ok: true, status: "assessed" });
    let v = row(id).version;
    expect(withdraw(id, " ", u.rev2, at(22))).toMatchObject({ ok: false, kind: "invalid", fieldErrors: { reason: T.reasonRequired } });
    expect(row(id).version).toBe(v);
    expect(withdraw(id, "Cần kiểm tra lại minh chứng", u.rev2, at(22))).toEqual({ ok: true, status: "submitted", version: v + 1 });
    expect(row(id)).toMatchObject({ status: "submitted", approvedAt: null, approvedBy: null, externalLevel: null, externalFinishedAt: null, externalFinishedBy: null, round: 3 });
    expect(rounds(id)[2]).toMatchObject({ round: 3, outcome: null, decidedAt: null, decidedBy: null });
    expect(lastAudit(id)).toMatchObject({ action: "assessment.withdraw", details: { from: "assessed", to: "submitted", reason: "Cần kiểm tra lại minh chứng" } });
    expect(recipients(id, "withdrawn")).toEqual(sorted(u.headA, u.staffA));
    expect(notes(id, "withdrawn")[0]).toMatchObject({ actorId: u.rev2, details: { reason: "Cần kiểm tra lại minh chứng" } });

    // Approved again: the external phase starts again from the school's answers.
    expect(approve(id, u.rev2, {}, at(23))).toMatchObject({ ok: true, status: "approved" });
    expect(answerRows(id, "external").find((r) => r.itemCode === "1.1")).toMatchObject({ value: true, note: null });
    expect(row(id).externalLevel).toBe(2);
    v = row(id).version;
    expect(withdraw(id, "Nhầm hồ sơ", u.rev2, at(24))).toEqual({ ok: true, status: "submitted", version: v + 1 });
    expect(row(id)).toMatchObject({ status: "submitted", approvedAt: null, approvedBy: null, externalLevel: null });
    expect(lastAudit(id)).toMatchObject({ action: "assessment.withdraw", details: { from: "approved", to: "submitted" } });

    expect(approve(id, u.rev2, {}, at(25))).toMatchObject({ ok: true });
    expect(finishExternal(id, u.rev2, {}, at(25))).toMatchObject({ ok: true, status: "assessed", level: 2 });
    expect(reviewTransition(id, "recognise", u.admin, null, at(26))).toMatchObject({ ok: true, status: "recognised" });
    v = row(id).version;
    const n = audits(id).length;
    expect(withdraw(id, "Muộn", u.rev2, at(27))).toMatchObject({ ok: false, kind: "state", status: "recognised" });
    expect(row(id)).toMatchObject({ status: "recognised", version: v, externalLevel: 2, recognisedLevel: 2 });
    expect(audits(id)).toHaveLength(n);
  });
});

describe("keepSelf for a selection", () => {
  it("runs in one transaction: a failure on one file rolls back the others", () => {
    const c = approvedFile(school.C, u.headC, u.rev1);
    const f = approvedFile(school.F, u.headF, u.rev1);
    save(c, { "1.3.1": { value: false, note: "Không có" } }, u.rev1, NOW, "external");
    const before = row(c);
    const client = db().$client;
    client.exec(`CREATE TEMP TRIGGER fail_keep BEFORE INSERT ON audit_log WHEN NEW.assessment_id = ${f} AND NEW.action = 'assessment.external.keep' BEGIN SELECT RAISE(ABORT, 'kiểm thử'); END`);
    try {
      expect(() => keepSelf([c, f], u.rev1, at(1))).toThrow(/kiểm thử/);
    } finally {
      client.exec("DROP TRIGGER fail_keep");
    }
    expect(row(c)).toEqual(before);
    expect(answerRows(c, "external").find((r) => r.itemCode === "1.3.1")).toMatchObject({ value: false, note: "Không có" });
    expect(audits(c).filter((a) => a.action === "assessment.external.keep")).toEqual([]);
    expect(notes(c, "external-finished")).toEqual([]);
  });

  it("approved files finish with external = self; the others are skipped with a message", () => {
    const c = idOf(school.C);
    const f = idOf(school.F);
    const d = idOf(school.D);
    save(d, valuesOf(SELF), u.headD);
    submit(d, u.headD);
    const vc = row(c).version;
    const vd = row(d).version;
    const out = keepSelf([c, d, c, f, 987_654], u.rev1, at(2));
    expect(out).toEqual({
      done: [c, f],
      skipped: [
        { id: d, message: T.keepSkipped("Trường D") },
        { id: 987_654, message: T.notFound },
      ],
    });
    for (const id of [c, f]) {
      expect(row(id)).toMatchObject({ status: "assessed", externalLevel: 2, selfLevel: 2, externalFinishedAt: new Date(at(2)), externalFinishedBy: u.rev1 });
      const self = answerRows(id, "self").filter((r) => r.value !== null);
      expect(answerRows(id, "external").map((r) => [r.itemCode, r.value, r.note])).toEqual(self.map((r) => [r.itemCode, r.value, null]));
      expect(lastAudit(id)).toMatchObject({ action: "assessment.external.keep", actorId: u.rev1, details: { from: "approved", to: "assessed", level: 2, kept: true } });
      expect(notes(id, "external-finished").map((n) => [n.userId, n.details])).toEqual([[id === c ? u.headC : u.headF, { level: 2, selfLevel: 2, kept: true }]]);
    }
    expect(row(c).version).toBe(vc + 1);
    expect(row(d)).toMatchObject({ status: "submitted", version: vd, externalFinishedAt: null });
  });
});

describe("assign", () => {
  it("lists the active reviewers of an office", () => {
    expect(reviewersOfUnit(unit.P)).toEqual([
      { id: u.admin, name: "An Quản Trị" },
      { id: u.rev1, name: "Bình Kiểm Tra" },
      { id: u.rev2, name: "Chi Kiểm Tra" },
    ]);
    expect(reviewersOfUnit(unit.X)).toEqual([{ id: u.revX, name: "Hà Xã" }]);
  });

  it("only to an active office reviewer of the school's reviewing unit; audited; the reviewer is told; again writes nothing", () => {
    const g = idOf(school.G);
    const x = idOf(school.X);
    const v = row(g).version;
    const n = audits(g).length;
    for (const who of [u.revX, u.plain, u.gone, 424_242]) {
      expect(assign([g], who, u.admin, NOW)).toEqual({ done: [], skipped: [{ id: g, message: T.notReviewerOf("Trường G") }] });
    }
    expect(row(g)).toMatchObject({ version: v, reviewerId: null });
    expect(audits(g)).toHaveLength(n);
    expect(notes(g)).toEqual([]);

    // The commune's reviewer fits the commune's school, not the Sở's.
    expect(assign([g, x], u.revX, u.admin, NOW)).toEqual({ done: [x], skipped: [{ id: g, message: T.notReviewerOf("Trường G") }] });
    expect(row(x).reviewerId).toBe(u.revX);

    expect(assign([g, g], u.rev1, u.admin, at(1))).toEqual({ done: [g], skipped: [] });
    expect(row(g)).toMatchObject({ reviewerId: u.rev1, version: v + 1, status: "draft" });
    expect(lastAudit(g)).toMatchObject({ action: "assessment.assign", actorId: u.admin, details: { from: "draft", to: "draft", version: v + 1, reviewerId: u.rev1, reviewer: "Bình Kiểm Tra" } });
    expect(notes(g, "assigned").map((r) => [r.userId, r.actorId, r.schoolId, r.details])).toEqual([[u.rev1, u.admin, school.G, null]]);

    const n2 = audits(g).length;
    expect(assign([g], u.rev1, u.admin, at(2))).toEqual({ done: [g], skipped: [] });
    expect(row(g).version).toBe(v + 1);
    expect(audits(g)).toHaveLength(n2);
    expect(notes(g, "assigned")).toHaveLength(1);

    // A reviewer taking the file themselves is not told of their own act.
    expect(assign([g], u.rev2, u.rev2, at(3))).toEqual({ done: [g], skipped: [] });
    expect(row(g).reviewerId).toBe(u.rev2);
    expect(notes(g, "assigned")).toHaveLength(1);
    // Unassigning.
    expect(assign([g], null, u.admin, at(4))).toEqual({ done: [g], skipped: [] });
    expect(row(g)).toMatchObject({ reviewerId: null, version: v + 3 });
    expect(lastAudit(g)).toMatchObject({ action: "assessment.assign", details: { reviewerId: null, reviewer: null } });
  });

  it("a recognised file is not reassigned", () => {
    const a = idOf(school.A);
    expect(row(a).status).toBe("recognised");
    const v = row(a).version;
    expect(assign([a], u.rev1, u.admin, NOW)).toEqual({ done: [], skipped: [{ id: a, message: T.assignState("Trường A") }] });
    expect(row(a)).toMatchObject({ version: v, reviewerId: u.rev2 });
  });
});

describe("two reviewers on the same file", () => {
  it("approve and return on the same version: exactly one succeeds, one audit entry", () => {
    const b = idOf(school.B);
    save(b, valuesOf(SELF), u.headB);
    submit(b, u.headB);
    const v = row(b).version;
    const n = audits(b).length;
    const first = approve(b, u.rev1, { expectedVersion: v }, at(1));
    const second = returnFile(b, { requests: { "1.1": "Thiếu kế hoạch" }, comment: "", expectedVersion: v }, u.rev2, at(1));
    expect(first).toEqual({ ok: true, status: "approved", version: v + 1 });
    expect(second.ok).toBe(false);
    if (!second.ok) expect(["stale", "state"]).toContain(second.kind);
    expect(row(b)).toMatchObject({ status: "approved", version: v + 1, approvedBy: u.rev1, returnedAt: null });
    expect(comments(b)).toEqual([]);
    expect(rounds(b)[0]).toMatchObject({ outcome: "approved", decidedBy: u.rev1 });
    expect(audits(b).slice(n).map((a) => a.action)).toEqual(["assessment.approve"]);
    expect(notes(b, "returned")).toEqual([]);
  });

  it("the same race from two connections to the file (two server processes): one wins, one audit entry", () => {
    const h = idOf(school.H);
    save(h, valuesOf(SELF), u.headH);
    submit(h, u.headH);
    const v = row(h).version;
    const n = audits(h).length;
    const other = openDatabase(dbFile());
    try {
      const returned = returnFile(h, { requests: {}, comment: "Trả lại từ tiến trình khác", expectedVersion: v }, u.rev2, at(1), other);
      const approved = approve(h, u.rev1, { expectedVersion: v }, at(1));
      expect(returned).toMatchObject({ ok: true, status: "returned", version: v + 1 });
      expect(approved).toMatchObject({ ok: false });
      if (!approved.ok) expect(["stale", "state"]).toContain(approved.kind);
    } finally {
      other.$client.close();
    }
    expect(row(h)).toMatchObject({ status: "returned", version: v + 1, approvedAt: null, externalLevel: null });
    expect(answerRows(h, "external")).toEqual([]);
    expect(comments(h).map((r) => r.body)).toEqual(["Trả lại từ tiến trình khác"]);
    expect(audits(h).slice(n).map((a) => a.action)).toEqual(["assessment.return"]);
    expect(notes(h, "approved")).toEqual([]);
  });

  it("two team edits on the same version: the second is stale", () => {
    const b = idOf(school.B);
    const v = row(b).version;
    const n = audits(b).length;
    const team = (name: string) => ({ date: "2099-01-12", members: [{ name, title: "", role: "truong_doan" }] });
    expect(setTeam(b, team("Người thứ nhất"), u.rev1, { expectedVersion: v }, at(2))).toMatchObject({ ok: true, version: v + 1 });
    expect(setTeam(b, team("Người thứ hai"), u.rev2, { expectedVersion: v }, at(2))).toMatchObject({ ok: false, kind: "stale" });
    expect(row(b)).toMatchObject({ version: v + 1, externalTeam: { members: [{ name: "Người thứ nhất" }] } });
    expect(audits(b)).toHaveLength(n + 1);
  });

  it("two returns without an expected version: the second meets the new state", () => {
    const b = idOf(school.B);
    expect(withdraw(b, "Hai người cùng kiểm tra", u.rev1, at(3))).toMatchObject({ ok: true, status: "submitted" });
    const n = audits(b).length;
    expect(returnFile(b, { requests: { "1.1": "Lần một" }, comment: "" }, u.rev1, at(4))).toMatchObject({ ok: true, status: "returned" });
    expect(returnFile(b, { requests: { "1.2": "Lần hai" }, comment: "" }, u.rev2, at(4))).toMatchObject({ ok: false, kind: "state", status: "returned" });
    expect(comments(b).map((r) => [r.itemCode, r.body, r.authorId])).toEqual([["1.1", "Lần một", u.rev1]]);
    expect(audits(b).slice(n).map((a) => a.action)).toEqual(["assessment.return"]);
    expect(notes(b, "returned")).toHaveLength(1);
  });
});

describe("a closed cycle", () => {
  it("refuses the office's and the school's acts with kind \"closed\", writing nothing", () => {
    const q1 = idOf(school.Q1);
    save(q1, valuesOf(SELF), u.headQ1);
    submit(q1, u.headQ1);
    const q2 = approvedFile(school.Q2, u.headQ2, u.revQ);
    const q3 = approvedFile(school.Q3, u.headQ3, u.revQ);
    expect(finishExternal(q3, u.revQ, {}, NOW)).toMatchObject({ ok: true, status: "assessed" });
    // Q4: returned with one request, for the school's side.
    const q4 = idOf(school.Q4);
    save(q4, valuesOf(SELF), u.headQ4);
    submit(q4, u.headQ4);
    expect(returnFile(q4, { requests: { "1.1": "Bổ sung quyết định" }, comment: "" }, u.revQ, NOW)).toMatchObject({ ok: true, status: "returned" });
    const request = requestsOf(q4)[0]!.id;
    const cycleId = row(q1).cycleId;
    db().update(cycles).set({ status: "closed" }).where(eq(cycles.id, cycleId)).run();

    const before = [q1, q2, q3, q4].map((id) => ({ row: row(id), audits: audits(id).length, notes: notes(id).length, answers: answerRows(id, "self") }));
    const requestBefore = comments(q4);
    const closed = { ok: false, kind: "closed", message: T.cycleClosed };
    expect(returnFile(q1, { requests: {}, comment: "Trả lại" }, u.revQ, at(1))).toEqual(closed);
    expect(approve(q1, u.revQ, {}, at(1))).toEqual(closed);
    expect(withdraw(q2, "Thu hồi", u.revQ, at(1))).toEqual(closed);
    expect(setTeam(q2, { date: "2099-01-10", members: [] }, u.revQ, {}, at(1))).toEqual(closed);
    expect(finishExternal(q2, u.revQ, {}, at(1))).toEqual(closed);
    expect(reopenExternal(q3, "Xem lại", u.revQ, at(1))).toEqual(closed);
    expect(withdraw(q3, "Thu hồi", u.revQ, at(1))).toEqual(closed);
    expect(reviewTransition(q3, "recognise", u.revQ, null, at(1))).toMatchObject({ ok: false, kind: "closed" });
    expect(keepSelf([q2], u.revQ, at(1))).toEqual({ done: [], skipped: [{ id: q2, message: T.keepSkipped("Trường Q2") }] });
    // The reviewer's batch skips it; the school can neither answer, save, add evidence nor resubmit.
    expect(assign([q1], u.revQ, u.revQ, at(1))).toEqual({ done: [], skipped: [{ id: q1, message: T.assignClosed("Trường Q1") }] });
    expect(closeRequest(q4, request, u.revQ, at(1))).toEqual(closed);
    expect(respond(q4, request, { reply: "Đã bổ sung", addressed: true }, u.headQ4, at(1))).toEqual(closed);
    expect(saveAnswers(q4, { baseVersion: row(q4).version, changes: { "1.2": { value: false } } }, u.headQ4, at(1))).toMatchObject({ ok: false, kind: "locked", message: "Đợt đánh giá đã đóng." });
    expect(submitAssessment(q4, u.headQ4, at(1))).toMatchObject({ ok: false, kind: "closed" });
    expect(createLinkEvidence({ assessmentId: q4, title: "Quyết định", url: "https://example.org/qd", itemCodes: ["1.1"] }, u.headQ4, at(1))).toMatchObject({ ok: false, status: 409, message: "Đợt đánh giá đã đóng." });
    expect(comments(q4)).toEqual(requestBefore);
    [q1, q2, q3, q4].forEach((id, i) => {
      expect(answerRows(id, "self")).toEqual(before[i].answers);
      expect(row(id)).toEqual(before[i].row);
      expect(audits(id)).toHaveLength(before[i].audits);
      expect(notes(id)).toHaveLength(before[i].notes);
    });
    expect(comments(q1)).toEqual([]);
  });
});

describe("the notifications service", () => {
  it("counts unread, pages newest first by `before`, marks only the user's own rows", async () => {
    const me = await createUser({ username: "rv.notif", displayName: "Người Nhận", password: pw, roles: ["office_reviewer"], unitId: unit.P }, null);
    const other = await createUser({ username: "rv.notif2", displayName: "Người Khác", password: pw, roles: ["office_reviewer"], unitId: unit.P }, null);
    const a = idOf(school.A);
    // The actor is never told of their own act.
    expect(notifyIn(db(), [me, u.admin, me], { kind: "assigned", assessmentId: a, schoolId: school.A, actorId: u.admin }, NOW)).toBe(1);
    for (let i = 1; i < NOTIFICATIONS_PAGE + 5; i++) notifyIn(db(), [me], { kind: "returned", assessmentId: a, schoolId: school.A, actorId: u.rev1, details: { i } }, NOW + i);
    notifyIn(db(), [other], { kind: "approved", assessmentId: a, schoolId: school.A, actorId: u.rev1 }, NOW);
    const total = NOTIFICATIONS_PAGE + 5;
    expect(unreadCount(me)).toBe(total);
    expect(unreadCount(other)).toBe(1);

    const p1 = notificationsOf(me);
    expect(p1.more).toBe(true);
    expect(p1.rows).toHaveLength(NOTIFICATIONS_PAGE);
    const ids1 = p1.rows.map((r) => r.id);
    expect(ids1).toEqual([...ids1].sort((x, y) => y - x));
    expect(p1.rows[0]).toEqual({
      id: ids1[0],
      kind: "returned",
      assessmentId: a,
      schoolName: "Trường A",
      schoolYear: "2098-2099",
      actor: "Bình Kiểm Tra",
      details: { i: total - 1 },
      createdAt: NOW + total - 1,
      read: false,
    });
    const p2 = notificationsOf(me, ids1.at(-1)!);
    expect(p2.more).toBe(false);
    expect(p2.rows).toHaveLength(total - NOTIFICATIONS_PAGE);
    expect(p2.rows.every((r) => r.id < ids1.at(-1)!)).toBe(true);
    expect(p2.rows.at(-1)).toMatchObject({ kind: "assigned", actor: "An Quản Trị", details: null });

    const theirs = db().select().from(notifications).where(eq(notifications.userId, other)).get()!;
    expect(markRead(me, [ids1[0], ids1[1], theirs.id], at(1))).toBe(2);
    expect(db().select().from(notifications).where(eq(notifications.id, theirs.id)).get()!.readAt).toBeNull();
    expect(db().select().from(notifications).where(eq(notifications.id, ids1[0])).get()!.readAt).toEqual(new Date(at(1)));
    expect(unreadCount(me)).toBe(total - 2);
    expect(notificationsOf(me).rows.slice(0, 3).map((r) => r.read)).toEqual([true, true, false]);
    expect(markRead(me, [], at(2))).toBe(0);
    expect(markRead(me, [ids1[0]], at(2))).toBe(0);
    expect(db().select().from(notifications).where(eq(notifications.id, ids1[0])).get()!.readAt).toEqual(new Date(at(1)));
    expect(markRead(me, "all", at(3))).toBe(total - 2);
    expect(unreadCount(me)).toBe(0);
    expect(unreadCount(other)).toBe(1);
  });
});
