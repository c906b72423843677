/**
 * The school's path on a real SQLite file: open a cycle → fill → submit → locked, with the
 * conflict between two editors, deadlines and extensions, the audit log, and scope by URL.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { useTestDatabase } from "../helpers/db";
import { browserAs, run } from "../helpers/http";
import { getDb } from "~/server/db/client.server";
import { assessments, auditLog } from "~/server/db/schema.server";
import { createSchool, createUnit, createUser } from "~/server/services/org.server";
import { openCycle } from "~/server/services/cycles.server";
import { extendDeadline, getAssessment, preSubmitCheck, saveAnswers, saveReportText, submitAssessment } from "~/server/services/assessments.server";
import * as saveRoute from "~/routes/danh-gia.$id.luu";
import * as formRoute from "~/routes/danh-gia.$id._index";
import * as submitRoute from "~/routes/danh-gia.$id.nop";

useTestDatabase("flow");

const EDITION = "qd-4725-2022";
const pw = "mat-khau-kiem-thu";
let ids: Record<string, number> = {};
let users: Record<string, number> = {};

function assessmentOf(schoolId: number) {
  return getDb().select().from(assessments).where(eq(assessments.schoolId, schoolId)).get()!;
}

beforeAll(async () => {
  const P = createUnit({ kind: "province", code: "P", name: "Sở P", parentId: null }, null);
  const D = createUnit({ kind: "district", code: "D", name: "Phòng D", parentId: P }, null);
  const Q = createUnit({ kind: "province", code: "Q", name: "Sở Q", parentId: null }, null);
  const a = createSchool({ code: "A", name: "Trường Tiểu học A", type: "TH", managingUnitId: D, reviewingUnitId: D }, null);
  const b = createSchool({ code: "B", name: "Trường THPT B", type: "THPT", managingUnitId: P, reviewingUnitId: P }, null);
  const q = createSchool({ code: "Q1", name: "Trường Q1", type: "TH", managingUnitId: Q, reviewingUnitId: Q }, null);
  ids = { P, D, Q, a, b, q };
  users.admin = await createUser({ username: "admin.p", displayName: "Admin P", password: pw, roles: ["office_admin"], unitId: P }, null);
  users.adminD = await createUser({ username: "admin.d", displayName: "Admin D", password: pw, roles: ["office_admin"], unitId: D }, null);
  users.headA = await createUser({ username: "head.a", displayName: "Hiệu trưởng A", password: pw, roles: ["school_head"], schoolId: a }, null);
  users.staffA = await createUser({ username: "staff.a", displayName: "Giáo viên A", password: pw, roles: ["school_staff"], schoolId: a }, null);
  users.headB = await createUser({ username: "head.b", displayName: "Hiệu trưởng B", password: pw, roles: ["school_head"], schoolId: b }, null);
});

describe("cycles", () => {
  it("opening a cycle creates one draft per school in scope, and only once a year", () => {
    const r = openCycle({ ownerUnitId: ids.P, schoolYear: "2098-2099", editionId: EDITION, selfAssessmentDeadline: "2099-05-31", reviewDeadline: "2099-06-20" }, users.admin);
    expect(r).toMatchObject({ ok: true, created: 2, skipped: 0 });
    expect(assessmentOf(ids.a).status).toBe("draft");
    expect(assessmentOf(ids.b).status).toBe("draft");
    expect(getDb().select().from(assessments).where(eq(assessments.schoolId, ids.q)).all()).toEqual([]);
    const again = openCycle({ ownerUnitId: ids.P, schoolYear: "2098-2099", editionId: EDITION, selfAssessmentDeadline: "2099-05-31", reviewDeadline: "2099-06-20" }, users.admin);
    expect(again.ok).toBe(false);
    // The district opening the same year does not give school A a second assessment.
    const district = openCycle({ ownerUnitId: ids.D, schoolYear: "2098-2099", editionId: EDITION, selfAssessmentDeadline: "2099-05-31", reviewDeadline: "2099-06-20" }, users.adminD);
    expect(district).toMatchObject({ ok: true, created: 0, skipped: 1 });
  });

  it("refuses a bad school year, an unpublished edition, or a review deadline before the self-assessment one", () => {
    const base = { ownerUnitId: ids.Q, schoolYear: "2098-2099", editionId: EDITION, selfAssessmentDeadline: "2099-05-31", reviewDeadline: "2099-06-20" };
    expect(openCycle({ ...base, schoolYear: "2098-2100" }, users.admin)).toMatchObject({ ok: false, field: "schoolYear" });
    expect(openCycle({ ...base, editionId: "khong-co" }, users.admin)).toMatchObject({ ok: false, field: "editionId" });
    expect(openCycle({ ...base, reviewDeadline: "2099-05-01" }, users.admin)).toMatchObject({ ok: false, field: "reviewDeadline" });
  });
});

describe("saving answers", () => {
  it("saves, scores with the engine and audits each save", () => {
    const a = assessmentOf(ids.a);
    const r = saveAnswers(a.id, { baseVersion: a.version, changes: { "1.1": { value: true }, "1.3.1": { value: true }, "1.6.1": { value: { numerator: 29, denominator: 200 } } } }, users.staffA);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.version).toBe(a.version + 1);
    expect(r.saved.sort()).toEqual(["1.1", "1.3.1", "1.6.1"]);
    // 6 (1.3.1) + 7 × 29/200 = 1.015 → 1.02: group 1 = 7.02 points; 1.2 unanswered → Mức 1.
    expect(r.result.groups[0].points).toBe(702);
    expect(r.result.level).toBe(1);
    const entries = getDb().select().from(auditLog).where(and(eq(auditLog.assessmentId, a.id), eq(auditLog.action, "assessment.save"))).all();
    expect(entries).toHaveLength(1);
    expect(entries[0].actorId).toBe(users.staffA);
    expect((entries[0].details as { items: string[] }).items.sort()).toEqual(["1.1", "1.3.1", "1.6.1"]);
  });

  it("refuses invalid values, naming the item, and writes nothing", () => {
    const a = assessmentOf(ids.a);
    const r = saveAnswers(a.id, { baseVersion: a.version, changes: { "1.6.2": { value: { numerator: 9, denominator: 5 } }, "9.9": { value: true } } }, users.staffA);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.kind).toBe("invalid");
    const codes = !r.ok && r.kind === "invalid" ? r.errors.map((e) => e.code).sort() : [];
    expect(codes).toEqual(["1.6.2", "9.9"]);
    expect(assessmentOf(ids.a).version).toBe(a.version);
  });

  it("two editors: a change to the same item is a conflict shown to the second, other items merge", () => {
    const base = assessmentOf(ids.a).version;
    // The head and the teacher both loaded version `base`.
    const first = saveAnswers(ids.a && assessmentOf(ids.a).id, { baseVersion: base, changes: { "2.3.3": { value: true } } }, users.headA);
    expect(first.ok).toBe(true);
    const second = saveAnswers(assessmentOf(ids.a).id, { baseVersion: base, changes: { "2.3.3": { value: false } } }, users.staffA);
    expect(second.ok).toBe(false);
    if (second.ok || second.kind !== "conflict") throw new Error("expected a conflict");
    expect(second.theirs).toEqual([expect.objectContaining({ code: "2.3.3", value: true, updatedBy: "Hiệu trưởng A" })]);
    expect(second.version).toBe(base + 1);
    // Nothing of the second save was written.
    const now = getAssessment(assessmentOf(ids.a).id)!;
    expect(now.version).toBe(base + 1);
    // A change to another item from the same stale base merges without a conflict.
    const other = saveAnswers(now.id, { baseVersion: base, changes: { "2.3.5": { value: true } } }, users.staffA);
    expect(other.ok).toBe(true);
    // The teacher sees the head's value and chooses to keep theirs: re-sent from the current version.
    const keep = saveAnswers(now.id, { baseVersion: getAssessment(now.id)!.version, changes: { "2.3.3": { value: false } } }, users.staffA);
    expect(keep.ok).toBe(true);
    expect(keep.ok && keep.result.items.find((i) => i.code === "2.3.3")?.met).toBe(false);
  });
});

describe("submission", () => {
  it("the pre-submit check lists unmet mandatory conditions, unanswered items and items without evidence", () => {
    const a = getAssessment(assessmentOf(ids.a).id)!;
    const c = preSubmitCheck(a);
    expect(c.mandatoryUnmet).toEqual(["1.2", "2.1", "2.2"]);
    expect(c.unanswered).toContain("1.4");
    expect(c.noEvidence).toEqual(expect.arrayContaining(["1.3.1", "1.6.1", "2.3.5"]));
    expect(c.deadlinePassed).toBe(false);
    expect(c.canSubmit).toBe(true);
  });

  it("warns about report sections I–V still empty (they cannot be written after submitting), without blocking", () => {
    const id = assessmentOf(ids.a).id;
    expect(preSubmitCheck(getAssessment(id)!).emptySections).toEqual(["leadership", "process", "results", "difficulties", "directions", "proposals"]);
    // A section of blanks is still empty; written ones leave the list.
    expect(saveReportText(id, { leadership: "Nhà trường đã ban hành kế hoạch chuyển đổi số.", process: "   \n  " }, users.headA).ok).toBe(true);
    const c = preSubmitCheck(getAssessment(id)!);
    expect(c.emptySections).toEqual(["process", "results", "difficulties", "directions", "proposals"]);
    expect(c.canSubmit).toBe(true);
  });

  it("refuses after the deadline unless extended, with the reason audited", () => {
    const a = getAssessment(assessmentOf(ids.b).id)!;
    const after = Date.parse("2099-06-01T03:00:00Z"); // 01/06/2099 in Hà Nội, past 31/05
    const late = submitAssessment(a.id, users.headB, after);
    expect(late).toMatchObject({ ok: false, kind: "deadline" });
    expect(extendDeadline(a.id, "2099-06-10", "  ", users.admin)).toMatchObject({ ok: false });
    expect(extendDeadline(a.id, "2099-06-10", "Mất điện kéo dài", users.admin)).toEqual({ ok: true });
    const ext = getDb().select().from(auditLog).where(and(eq(auditLog.assessmentId, a.id), eq(auditLog.action, "assessment.deadline.extend"))).get()!;
    expect(ext.details).toMatchObject({ from: "2099-05-31", to: "2099-06-10", reason: "Mất điện kéo dài" });
    expect(submitAssessment(a.id, users.headB, after)).toMatchObject({ ok: true, alreadySubmitted: false });
  });

  it("submitting locks the assessment; a double submit is harmless", () => {
    const a = getAssessment(assessmentOf(ids.a).id)!;
    const r1 = submitAssessment(a.id, users.headA);
    const r2 = submitAssessment(a.id, users.headA);
    expect(r1).toMatchObject({ ok: true, alreadySubmitted: false });
    expect(r2).toMatchObject({ ok: true, alreadySubmitted: true });
    if (r1.ok && r2.ok) expect(r2.submittedAt).toBe(r1.submittedAt);
    const after = getAssessment(a.id)!;
    expect(after.status).toBe("submitted");
    const submits = getDb().select().from(auditLog).where(and(eq(auditLog.assessmentId, a.id), eq(auditLog.action, "assessment.submit"))).all();
    expect(submits).toHaveLength(1);
    const locked = saveAnswers(a.id, { baseVersion: after.version, changes: { "1.2": { value: true } } }, users.headA);
    expect(locked).toMatchObject({ ok: false, kind: "locked", status: "submitted" });
  });
});

describe("routes: scope, CSRF, sessions and bad input", () => {
  it("the save endpoint answers 401 without a session, 403 without CSRF or outside scope, 400 on a bad payload", async () => {
    const b = getAssessment(assessmentOf(ids.b).id)!;
    const anon = await browserAs();
    const payload = JSON.stringify({ baseVersion: b.version, changes: { "1.1": { value: true } } });
    expect((await run(saveRoute.action, anon.post(`/danh-gia/${b.id}/luu`, { payload }), { id: String(b.id) })).status).toBe(401);
    const headA = await browserAs("head.a");
    expect((await run(saveRoute.action, headA.post(`/danh-gia/${b.id}/luu`, { payload }), { id: String(b.id) })).status).toBe(403);
    const headB = await browserAs("head.b");
    expect((await run(saveRoute.action, headB.post(`/danh-gia/${b.id}/luu`, { payload }, { csrf: "sai" }), { id: String(b.id) })).status).toBe(403);
    expect((await run(saveRoute.action, headB.post(`/danh-gia/${b.id}/luu`, { payload: "{bad" }), { id: String(b.id) })).status).toBe(400);
    expect((await run(saveRoute.action, headB.post(`/danh-gia/${b.id}/luu`, { payload: JSON.stringify({ baseVersion: -1, changes: {} }) }), { id: String(b.id) })).status).toBe(400);
    expect((await run(saveRoute.action, headB.post(`/danh-gia/abc/luu`, { payload }), { id: "abc" })).status).toBe(400);
    expect(getAssessment(b.id)!.version).toBe(b.version);
  });

  it("the form loader refuses other schools' ids, bad ids and unknown ids", async () => {
    const headA = await browserAs("head.a");
    const b = assessmentOf(ids.b);
    expect((await run(formRoute.loader, headA.get(`/danh-gia/${b.id}`), { id: String(b.id) })).status).toBe(403);
    expect((await run(formRoute.loader, headA.get(`/danh-gia/x`), { id: "x" })).status).toBe(400);
    expect((await run(formRoute.loader, headA.get(`/danh-gia/999999`), { id: "999999" })).status).toBe(404);
    const own = await run(formRoute.loader, headA.get(`/danh-gia/${assessmentOf(ids.a).id}`), { id: String(assessmentOf(ids.a).id) });
    expect(own.status).toBe(200);
    const body = (await own.json()) as { header: { schoolName: string; canEdit: boolean }; answers: Record<string, unknown> };
    expect(body.header.schoolName).toBe("Trường Tiểu học A");
    expect(body.header.canEdit).toBe(false); // submitted
    expect(body.answers["1.3.1"]).toBe(true);
  });

  it("only the head submits, after confirming", async () => {
    // Re-open school A's assessment for this test through a fresh cycle year.
    openCycle({ ownerUnitId: ids.Q, schoolYear: "2097-2098", editionId: EDITION, selfAssessmentDeadline: "2098-05-31", reviewDeadline: "2098-06-20" }, users.admin);
    const q = getDb().select().from(assessments).where(eq(assessments.schoolId, ids.q)).get()!;
    await createUser({ username: "head.q", displayName: "HT Q", password: pw, roles: ["school_head"], schoolId: ids.q }, null);
    await createUser({ username: "staff.q", displayName: "GV Q", password: pw, roles: ["school_staff"], schoolId: ids.q }, null);
    const staff = await browserAs("staff.q");
    expect((await run(submitRoute.action, staff.post(`/danh-gia/${q.id}/nop`, { confirm: "yes" }), { id: String(q.id) })).status).toBe(403);
    const head = await browserAs("head.q");
    // The page's check carries the empty report sections (listed under "Những điểm cần xem lại").
    const page = await run(submitRoute.loader, head.get(`/danh-gia/${q.id}/nop`), { id: String(q.id) });
    expect(((await page.json()) as { check: { emptySections: string[] } }).check.emptySections).toHaveLength(6);
    expect((await run(submitRoute.action, head.post(`/danh-gia/${q.id}/nop`, {}), { id: String(q.id) })).status).toBe(400);
    expect(getAssessment(q.id)!.status).toBe("draft");
    const ok = await run(submitRoute.action, head.post(`/danh-gia/${q.id}/nop`, { confirm: "yes" }), { id: String(q.id) });
    expect(ok.status).toBe(200);
    expect(getAssessment(q.id)!.status).toBe("submitted");
    const twice = await run(submitRoute.action, head.post(`/danh-gia/${q.id}/nop`, { confirm: "yes" }), { id: String(q.id) });
    expect(await twice.json()).toMatchObject({ ok: true, alreadySubmitted: true });
  });
});

describe("review transitions through the one service", () => {
  it("return → resubmit → approve → finish external → recognise → revoke, each audited, with reasons where needed", async () => {
    const { reviewTransition } = await import("~/server/services/assessments.server");
    const review = await import("~/server/services/review.server");
    const a = getAssessment(assessmentOf(ids.a).id)!; // submitted above
    expect(a.status).toBe("submitted");
    const reviewer = await createUser({ username: "rev.d", displayName: "Rev D", password: pw, roles: ["office_reviewer"], unitId: ids.D }, null);

    expect(review.returnFile(a.id, { requests: {}, comment: "  " }, reviewer)).toMatchObject({ ok: false, kind: "invalid" });
    expect(reviewTransition(a.id, "recognise", reviewer, null)).toMatchObject({ ok: false }); // not from submitted
    expect(review.returnFile(a.id, { requests: {}, comment: "Bổ sung minh chứng cho 1.3.1" }, reviewer)).toMatchObject({ ok: true, status: "returned" });
    // Returned: the school can edit and submit again.
    const back = getAssessment(a.id)!;
    expect(saveAnswers(a.id, { baseVersion: back.version, changes: { "1.2": { value: true } } }, users.staffA).ok).toBe(true);
    expect(submitAssessment(a.id, users.headA)).toMatchObject({ ok: true, alreadySubmitted: false });

    expect(review.approve(a.id, reviewer)).toMatchObject({ ok: true, status: "approved" });
    expect(saveAnswers(a.id, { baseVersion: getAssessment(a.id)!.version, changes: { "1.2": { value: false } } }, users.headA)).toMatchObject({ ok: false, kind: "locked" });
    // Recognition needs a finished external assessment.
    expect(reviewTransition(a.id, "recognise", reviewer, null)).toMatchObject({ ok: false, kind: "state" });
    expect(saveAnswers(a.id, { baseVersion: getAssessment(a.id)!.version, changes: { "1.1": { value: true, note: "Đã kiểm tra kế hoạch" } }, phase: "external" }, reviewer).ok).toBe(true);
    expect(review.finishExternal(a.id, reviewer)).toMatchObject({ ok: true, status: "assessed" });
    expect(reviewTransition(a.id, "recognise", reviewer, null)).toMatchObject({ ok: true, status: "recognised" });
    expect(getAssessment(a.id)).toMatchObject({ recognisedLevel: 1, externalLevel: 1 });
    expect(reviewTransition(a.id, "revoke", reviewer, "")).toMatchObject({ ok: false });
    expect(reviewTransition(a.id, "revoke", reviewer, "Sai sót khi chấm")).toMatchObject({ ok: true, status: "assessed" });
    expect(getAssessment(a.id)).toMatchObject({ recognisedLevel: null, recognisedAt: null });

    const actions = getDb()
      .select({ action: auditLog.action, details: auditLog.details })
      .from(auditLog)
      .where(eq(auditLog.assessmentId, a.id))
      .all()
      .filter((e) => /return|approve|finish|recognise|revoke/.test(e.action));
    expect(actions.map((e) => e.action)).toEqual(["assessment.return", "assessment.approve", "assessment.external.finish", "assessment.recognise", "assessment.revoke"]);
    expect(actions[0].details).toMatchObject({ from: "submitted", to: "returned", comment: true });
    expect(actions[4].details).toMatchObject({ from: "recognised", to: "assessed", reason: "Sai sót khi chấm" });
  });
});
