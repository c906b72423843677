/**
 * The reviewer's inbox (/ho-so), second part: the filters by school type (?loai=) and assigned
 * reviewer (?can-bo=<id> | chua-phan-cong), the rows' reviewer, "Hồ sơ của tôi (n)", and the
 * assign action (the reviewing office's admin only; refused files are skipped).
 */
import { beforeAll, describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { LEVEL2_ANSWERS } from "../helpers/answers";
import { useTestDatabase } from "../helpers/db";
import { browserAs, run } from "../helpers/http";
import { getDb } from "~/server/db/client.server";
import { assessments, auditLog } from "~/server/db/schema.server";
import { loadUser } from "~/server/auth/session.server";
import { createSchool, createUnit, createUser } from "~/server/services/org.server";
import { openCycle } from "~/server/services/cycles.server";
import { saveAnswers, submitAssessment } from "~/server/services/assessments.server";
import { approve, keepSelf } from "~/server/services/review.server";
import { assessmentsVisibleTo, assessmentsVisibleToYielding, assignedCount } from "~/server/services/cycles-view.server";
import * as inbox from "~/routes/ho-so._index";

useTestDatabase("inbox-review");

const pw = "mat-khau-kiem-thu";
const id: Record<string, number> = {};
const file: Record<string, number> = {};
const NOW = Date.UTC(2099, 0, 10, 3, 0, 0);

/** The school's answers: Mức 2 in both groups (no LMS items, no info block). */
const SELF = LEVEL2_ANSWERS;

const row = (assessmentId: number) => getDb().select().from(assessments).where(eq(assessments.id, assessmentId)).get()!;
const idOf = (schoolId: number) => getDb().select().from(assessments).where(eq(assessments.schoolId, schoolId)).get()!.id;

function submitted(schoolId: number, head: number) {
  const a = idOf(schoolId);
  const changes = Object.fromEntries(Object.entries(SELF).map(([k, value]) => [k, { value }]));
  expect(saveAnswers(a, { baseVersion: row(a).version, changes, phase: "self" }, head, NOW)).toMatchObject({ ok: true });
  expect(submitAssessment(a, head, NOW)).toMatchObject({ ok: true });
  return a;
}

type Body = { list: { total: number; rows: { id: number; code: string; reviewerId: number | null; reviewerName: string | null; assignable: boolean }[] }; canAssign: boolean; mine: { id: number; count: number } | null; reviewers: { id: number; name: string }[] };
type Result = { ok: boolean; message: string; done?: number[]; skipped?: { id: number; message: string }[] };

beforeAll(async () => {
  id.P = createUnit({ kind: "province", code: "IR", name: "Sở Phân Công", parentId: null }, null);
  id.Q = createUnit({ kind: "province", code: "IS", name: "Sở Bên Cạnh", parentId: null }, null);
  id.X = createUnit({ kind: "commune", code: "IR-X", name: "Xã Phân Công", parentId: id.P }, null);
  id.sub = createSchool({ code: "IR-1", name: "Trường Tiểu Học Gửi", type: "TH", managingUnitId: id.P, reviewingUnitId: id.P }, null);
  id.app = createSchool({ code: "IR-2", name: "Trường THCS Duyệt", type: "THCS", managingUnitId: id.P, reviewingUnitId: id.P }, null);
  id.ass = createSchool({ code: "IR-3", name: "Trường THPT Đánh Giá", type: "THPT", managingUnitId: id.P, reviewingUnitId: id.P }, null);
  // Managed by a commune under the province, reviewed by the province.
  id.dr = createSchool({ code: "IR-4", name: "Trường Tiểu Học Soạn", type: "TH", managingUnitId: id.X, reviewingUnitId: id.P }, null);
  id.other = createSchool({ code: "IS-1", name: "Trường Sở Khác", type: "TH", managingUnitId: id.Q, reviewingUnitId: id.Q }, null);
  const mk = (username: string, displayName: string, roles: Parameters<typeof createUser>[0]["roles"], where: { unitId?: number; schoolId?: number }) =>
    createUser({ username, displayName, password: pw, roles, ...where }, null);
  id.admin = await mk("ir.admin", "An Quản Trị", ["office_admin", "office_reviewer"], { unitId: id.P });
  id.rev = await mk("ir.rev", "Bình Kiểm Tra", ["office_reviewer"], { unitId: id.P });
  id.qadmin = await mk("is.admin", "Khánh Sở Khác", ["office_admin", "office_reviewer"], { unitId: id.Q });
  for (const k of ["sub", "app", "ass", "other"]) id[`head.${k}`] = await mk(`ir.head.${k}`, `Hiệu trưởng ${k}`, ["school_head"], { schoolId: id[k] });
  for (const [unit, actor] of [[id.P, id.admin], [id.Q, id.qadmin]] as const) {
    const r = openCycle({ ownerUnitId: unit, schoolYear: "2098-2099", editionId: "qd-4725-2022", selfAssessmentDeadline: "2099-05-31", reviewDeadline: "2099-06-20" }, actor);
    if (!r.ok) throw new Error(r.message);
  }
  file.sub = submitted(id.sub, id["head.sub"]);
  file.app = submitted(id.app, id["head.app"]);
  expect(approve(file.app, id.rev, {}, NOW)).toMatchObject({ ok: true, status: "approved" });
  file.ass = submitted(id.ass, id["head.ass"]);
  expect(approve(file.ass, id.rev, {}, NOW)).toMatchObject({ ok: true });
  expect(keepSelf([file.ass], id.admin, NOW).done).toEqual([file.ass]);
  expect(row(file.ass).status).toBe("assessed");
  file.dr = idOf(id.dr);
  file.other = submitted(id.other, id["head.other"]);
  // The approved file is assigned to the reviewer beforehand.
  getDb().update(assessments).set({ reviewerId: id.rev }).where(eq(assessments.id, file.app)).run();
});

describe("the inbox's type and reviewer filters", () => {
  it("filters by school type, by reviewer and by no reviewer, combined with the state filter", () => {
    const user = loadUser(id.admin)!;
    const codes = (q: Parameters<typeof assessmentsVisibleTo>[1]) => assessmentsVisibleTo(user, q).rows.map((r) => r.code).sort();
    expect(codes({})).toEqual(["IR-1", "IR-2", "IR-3", "IR-4"]);
    expect(codes({ type: "TH" })).toEqual(["IR-1", "IR-4"]);
    expect(codes({ type: "TH", status: "submitted" })).toEqual(["IR-1"]);
    expect(codes({ type: "THPT" })).toEqual(["IR-3"]);
    expect(codes({ reviewerId: id.rev })).toEqual(["IR-2"]);
    expect(codes({ reviewerId: null })).toEqual(["IR-1", "IR-3", "IR-4"]);
    expect(codes({ reviewerId: null, status: "assessed" })).toEqual(["IR-3"]);
    expect(assessmentsVisibleTo(user, { reviewerId: null, type: "TH" }).total).toBe(2);
    const app = assessmentsVisibleTo(user, { reviewerId: id.rev }).rows[0]!;
    expect(app).toMatchObject({ reviewerId: id.rev, reviewerName: "Bình Kiểm Tra", status: "approved" });
  });

  it("the page's yielding list is the same list, with the waiting requests let through between its steps", async () => {
    const user = loadUser(id.admin)!;
    for (const q of [{}, { type: "TH" as const }, { status: "submitted" as const }, { reviewerId: null }, { page: 2 }, { q: "khong-co" }]) {
      let turns = 0;
      const yielding = await assessmentsVisibleToYielding(user, q, async () => void turns++);
      expect(yielding).toEqual(assessmentsVisibleTo(user, q));
      // After reading the scope's keys, and after sorting them.
      expect(turns).toBe(2);
    }
  });

  it("counts the reviewer's own files within the scope", () => {
    expect(assignedCount(loadUser(id.rev)!, id.rev)).toBe(1);
    expect(assignedCount(loadUser(id.qadmin)!, id.rev)).toBe(0);
  });

  it("the page: the filters from the query, 'Hồ sơ của tôi', assign rights; an invalid filter is a 400", async () => {
    const rev = await browserAs("ir.rev");
    const mine = (await (await run(inbox.loader, rev.get(`/ho-so?can-bo=${id.rev}`))).json()) as Body;
    expect(mine.mine).toEqual({ id: id.rev, count: 1 });
    expect(mine.list.rows.map((r) => [r.code, r.reviewerName])).toEqual([["IR-2", "Bình Kiểm Tra"]]);
    // A reviewer without office_admin may not assign.
    expect(mine.canAssign).toBe(false);
    const none = (await (await run(inbox.loader, rev.get("/ho-so?can-bo=chua-phan-cong&loai=TH"))).json()) as Body;
    expect(none.list.rows.map((r) => r.code).sort()).toEqual(["IR-1", "IR-4"]);
    const admin = (await (await run(inbox.loader, (await browserAs("ir.admin")).get("/ho-so?loai=THCS"))).json()) as Body;
    expect(admin.list.rows.map((r) => [r.code, r.assignable])).toEqual([["IR-2", true]]);
    expect(admin.canAssign).toBe(true);
    expect(admin.reviewers.map((r) => r.name)).toEqual(["An Quản Trị", "Bình Kiểm Tra"]);
    // The sub-unit filter: by id, or by code without JavaScript; combined with the others.
    const rows = async (qs: string) => ((await (await run(inbox.loader, rev.get(`/ho-so?${qs}`))).json()) as Body).list.rows.map((r) => r.code).sort();
    expect(await rows(`don-vi=${id.X}`)).toEqual(["IR-4"]);
    expect(await rows(`don-vi=${id.P}`)).toEqual(["IR-1", "IR-2", "IR-3", "IR-4"]);
    expect(await rows("don-vi__ma=IR-X&loai=TH&can-bo=chua-phan-cong")).toEqual(["IR-4"]);
    expect(await rows(`don-vi=${id.X}&trang-thai=submitted`)).toEqual([]);
    // Another province's unit is not the reviewer's to read.
    expect((await run(inbox.loader, rev.get(`/ho-so?don-vi=${id.Q}`))).status).toBe(400);
    for (const bad of ["loai=MN", "can-bo=abc", "can-bo=0", "can-bo=-1", "don-vi=x", "trang-thai=moi"]) expect((await run(inbox.loader, rev.get(`/ho-so?${bad}`))).status).toBe(400);
  });
});

describe("the assign action", () => {
  it("the office's admin assigns files: reviewer_id written, an audit row; another office's file is skipped", async () => {
    const b = await browserAs("ir.admin");
    const res = await run(inbox.action, b.post("/ho-so", { intent: "assign", ids: [String(file.sub), String(file.ass), String(file.other)], reviewerId: String(id.rev) }));
    expect(res.status).toBe(200);
    const body = (await res.json()) as Result;
    expect(body.ok).toBe(true);
    expect(body.done!.sort()).toEqual([file.sub, file.ass].sort());
    expect(body.skipped!.map((s) => s.id)).toEqual([file.other]);
    expect(body.message).toBe("Đã phân công 2 hồ sơ.");
    expect(row(file.sub).reviewerId).toBe(id.rev);
    expect(row(file.ass).reviewerId).toBe(id.rev);
    expect(row(file.other).reviewerId).toBeNull();
    const audit = getDb().select().from(auditLog).where(and(eq(auditLog.assessmentId, file.sub), eq(auditLog.action, "assessment.assign"))).all();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actorId: id.admin });
    expect(getDb().select().from(auditLog).where(and(eq(auditLog.assessmentId, file.other), eq(auditLog.action, "assessment.assign"))).all()).toEqual([]);
    expect(assignedCount(loadUser(id.rev)!, id.rev)).toBe(3);
  });

  it("an empty reviewer unassigns", async () => {
    const b = await browserAs("ir.admin");
    const res = await run(inbox.action, b.post("/ho-so", { intent: "assign", ids: [String(file.ass)], reviewerId: "" }));
    expect(res.status).toBe(200);
    expect(((await res.json()) as Result).message).toBe("Đã bỏ phân công 1 hồ sơ.");
    expect(row(file.ass).reviewerId).toBeNull();
  });

  it("a reviewer without office_admin changes nothing (403)", async () => {
    const b = await browserAs("ir.rev");
    const n = getDb().select().from(auditLog).where(eq(auditLog.action, "assessment.assign")).all().length;
    const res = await run(inbox.action, b.post("/ho-so", { intent: "assign", ids: [String(file.dr)], reviewerId: String(id.rev) }));
    expect(res.status).toBe(403);
    expect(((await res.json()) as Result).skipped!.map((s) => s.id)).toEqual([file.dr]);
    expect(row(file.dr).reviewerId).toBeNull();
    expect(getDb().select().from(auditLog).where(eq(auditLog.action, "assessment.assign")).all()).toHaveLength(n);
  });

  it("bad input is a 400, no selection a 422, a missing token a 403; nothing written", async () => {
    const b = await browserAs("ir.admin");
    expect((await run(inbox.action, b.post("/ho-so", { intent: "assign", ids: ["x"], reviewerId: String(id.rev) }))).status).toBe(400);
    expect((await run(inbox.action, b.post("/ho-so", { intent: "assign", ids: Array.from({ length: 501 }, (_, i) => String(i + 1)), reviewerId: "" }))).status).toBe(400);
    expect((await run(inbox.action, b.post("/ho-so", { intent: "other", ids: [String(file.dr)] }))).status).toBe(400);
    expect((await run(inbox.action, b.post("/ho-so", { intent: "assign", reviewerId: String(id.rev) }))).status).toBe(422);
    expect((await run(inbox.action, b.post("/ho-so", { intent: "assign", ids: [String(file.dr)], reviewerId: String(id.rev) }, { csrf: null }))).status).toBe(403);
    expect(row(file.dr).reviewerId).toBeNull();
  });
});

describe("days overdue", () => {
  it("counts the days past the deadline of the step each file waits in", () => {
    const user = loadUser(id.admin)!;
    const on = (iso: string) => Object.fromEntries(assessmentsVisibleTo(user, {}, getDb(), Date.parse(`${iso}T03:00:00Z`)).rows.map((r) => [r.code, [r.overdue, r.overdueDays]]));
    // Before both deadlines nothing is late.
    expect(on("2099-05-31")).toEqual({ "IR-1": [false, null], "IR-2": [false, null], "IR-3": [false, null], "IR-4": [false, null] });
    // The draft is measured from the self-assessment deadline (31/5), submitted and approved files from the review deadline (20/6); assessed files are never late.
    expect(on("2099-06-01")).toEqual({ "IR-1": [false, null], "IR-2": [false, null], "IR-3": [false, null], "IR-4": [true, 1] });
    expect(on("2099-06-25")).toEqual({ "IR-1": [true, 5], "IR-2": [true, 5], "IR-3": [false, null], "IR-4": [true, 25] });
  });
});

describe("keeping the self-assessment for a selection", () => {
  it("offers it for approved files the user assesses, needs the confirmation, finishes them in one go and skips the rest", async () => {
    const rev = await browserAs("ir.rev");
    const page = (await (await run(inbox.loader, rev.get("/ho-so?loai=THCS"))).json()) as { canKeep: boolean; list: { rows: { code: string; keepable: boolean }[] } };
    expect(page.canKeep).toBe(true);
    expect(page.list.rows.map((r) => [r.code, r.keepable])).toEqual([["IR-2", true]]);
    const before = row(file.app);

    const unconfirmed = await run(inbox.action, rev.post("/ho-so", { intent: "keep", ids: [String(file.app)] }));
    expect(unconfirmed.status).toBe(422);
    expect(((await unconfirmed.json()) as Result).message).toBe("Hãy đánh dấu ô xác nhận trước khi giữ nguyên kết quả.");
    expect(row(file.app)).toEqual(before);

    const res = await run(inbox.action, rev.post("/ho-so", { intent: "keep", confirm: "1", ids: [String(file.app), String(file.sub), String(file.other)] }));
    expect(res.status).toBe(200);
    const body = (await res.json()) as Result;
    expect(body.done).toEqual([file.app]);
    expect(body.message).toBe("Đã kết thúc đánh giá ngoài của 1 hồ sơ, giữ nguyên kết quả tự đánh giá.");
    expect(body.skipped!.map((s) => s.id).sort()).toEqual([file.sub, file.other].sort());
    expect(body.skipped!.find((s) => s.id === file.other)!.message).toBe(`Hồ sơ số ${file.other}: bạn không có quyền đánh giá ngoài hồ sơ này.`);
    const after = row(file.app);
    expect(after).toMatchObject({ status: "assessed", externalLevel: before.selfLevel, externalFinishedBy: id.rev, version: before.version + 1 });
    expect(row(file.sub).status).toBe("submitted");
    expect(row(file.other).status).toBe("submitted");
    const kept = getDb().select().from(auditLog).where(and(eq(auditLog.action, "assessment.external.keep"), eq(auditLog.assessmentId, file.app))).all();
    expect(kept.map((a) => [a.assessmentId, a.actorId])).toEqual([[file.app, id.rev]]);
    expect(kept[0]!.details).toMatchObject({ from: "approved", to: "assessed" });
  });

  it("a school head is not offered it and is sent to its own list", async () => {
    const head = await browserAs("ir.head.sub");
    const res = await run(inbox.action, head.post("/ho-so", { intent: "keep", confirm: "1", ids: [String(file.sub)] }));
    expect([302, 303, 403]).toContain(res.status);
    expect(row(file.sub).status).toBe("submitted");
  });
});
