/**
 * Home pages that follow the state: the school sees its file's state, the office's open requests
 * while returned (with the link), and the external level once the external assessment is finished;
 * the reviewer sees the files waiting for its office in open cycles (assigned to it first), and the
 * approved files whose external assessment is in progress.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { useTestDatabase } from "../helpers/db";
import { getDb } from "~/server/db/client.server";
import { assessments } from "~/server/db/schema.server";
import { loadUser } from "~/server/auth/session.server";
import { createSchool, createUnit, createUser } from "~/server/services/org.server";
import { openCycle } from "~/server/services/cycles.server";
import { editionOf, getAssessment, submitAssessment } from "~/server/services/assessments.server";
import { itemCodesOf } from "~/server/services/evidence.server";
import { approve, assign, finishExternal, respond, returnFile } from "~/server/services/review.server";
import { homeFor } from "~/server/services/home.server";

useTestDatabase("home-states");

const pw = "mat-khau-kiem-thu";
const id: Record<string, number> = {};
const fileOf = (schoolId: number) => getDb().select().from(assessments).where(eq(assessments.schoolId, schoolId)).get()!;

beforeAll(async () => {
  const P = createUnit({ kind: "province", code: "HS", name: "Sở Trang Chủ", parentId: null }, null);
  const Q = createUnit({ kind: "province", code: "HQ", name: "Sở Khác", parentId: null }, null);
  const X = createUnit({ kind: "commune", code: "HS-X", name: "Xã Trang Chủ", parentId: P }, null);
  for (const n of [1, 2, 3, 4, 5, 6]) id[`s${n}`] = createSchool({ code: `HS-${n}`, name: `Trường Tiểu học Số ${n}`, type: "TH", managingUnitId: X, reviewingUnitId: P }, null);
  id.q1 = createSchool({ code: "HQ-1", name: "Trường Tỉnh Khác", type: "TH", managingUnitId: Q, reviewingUnitId: Q }, null);
  id.admin = await createUser({ username: "hs.admin", displayName: "Quản trị Sở", password: pw, roles: ["office_admin"], unitId: P }, null);
  id.qadmin = await createUser({ username: "hq.admin", displayName: "Quản trị Sở khác", password: pw, roles: ["office_admin"], unitId: Q }, null);
  id.rev = await createUser({ username: "hs.rev", displayName: "Cán bộ Một", password: pw, roles: ["office_reviewer"], unitId: P }, null);
  id.rev2 = await createUser({ username: "hs.rev2", displayName: "Cán bộ Hai", password: pw, roles: ["office_reviewer"], unitId: P }, null);
  for (const n of [1, 2, 3, 4, 5, 6]) id[`h${n}`] = await createUser({ username: `hs.head${n}`, displayName: `Hiệu trưởng ${n}`, password: pw, roles: ["school_head"], schoolId: id[`s${n}`] }, null);
  id.staff1 = await createUser({ username: "hs.staff1", displayName: "Giáo viên 1", password: pw, roles: ["school_staff"], schoolId: id.s1 }, null);
  id.hq = await createUser({ username: "hq.head", displayName: "Hiệu trưởng Q", password: pw, roles: ["school_head"], schoolId: id.q1 }, null);
  const base = { schoolYear: "2095-2096", editionId: "qd-4725-2022", selfAssessmentDeadline: "2096-05-31", reviewDeadline: "2096-06-20" };
  expect(openCycle({ ownerUnitId: P, ...base }, id.admin)).toMatchObject({ ok: true });
  expect(openCycle({ ownerUnitId: Q, ...base }, id.qadmin)).toMatchObject({ ok: true });
  // Everyone submits except school 6 (draft).
  for (const n of [1, 2, 3, 4, 5]) expect(submitAssessment(fileOf(id[`s${n}`]).id, id[`h${n}`])).toMatchObject({ ok: true });
  expect(submitAssessment(fileOf(id.q1).id, id.hq)).toMatchObject({ ok: true });
  const [c1, c2] = itemCodesOf(editionOf(getAssessment(fileOf(id.s1).id)!));
  // School 1: returned with two item requests and an overall comment; one answered.
  const f1 = fileOf(id.s1).id;
  expect(returnFile(f1, { requests: { [c1]: "Bổ sung kế hoạch", [c2]: "Bổ sung quyết định" }, comment: "Nhận xét chung" }, id.rev)).toMatchObject({ ok: true });
  const firstRequest = getDb().$client.prepare("SELECT id FROM review_comments WHERE assessment_id = ? AND item_code = ?").get(f1, c1) as { id: number };
  expect(respond(f1, firstRequest.id, { reply: "Đã đính kèm", addressed: true }, id.staff1)).toMatchObject({ ok: true });
  // Schools 2, 3 assigned to reviewer one, 4 to reviewer two; 5 approved and then its external assessment finished.
  expect(assign([fileOf(id.s2).id, fileOf(id.s3).id], id.rev, id.admin).done).toHaveLength(2);
  expect(assign([fileOf(id.s4).id], id.rev2, id.admin).done).toHaveLength(1);
  const f5 = fileOf(id.s5).id;
  expect(approve(f5, id.rev)).toMatchObject({ ok: true });
  expect(assign([f5], id.rev, id.admin).done).toHaveLength(1);
});

describe("the school's home follows its file", () => {
  it("returned: the state, the open requests (and unanswered ones) and the link to them", () => {
    const h = homeFor(loadUser(id.h1)!);
    expect(h.assessment).toMatchObject({ status: "returned", statusLabel: "Bị trả lại, cần bổ sung", openRequests: 3, unansweredRequests: 2, externalLevel: null });
    expect(h.assessment!.next).toContain("trả lời từng yêu cầu");
    expect(h.offers).toMatchObject({ openAssessment: true, requests: true, submit: true });
    // The teacher sees the same numbers, without the head's submit.
    const s = homeFor(loadUser(id.staff1)!);
    expect(s.assessment).toMatchObject({ openRequests: 3, unansweredRequests: 2 });
    expect(s.offers).toMatchObject({ requests: true, submit: false });
  });

  it("submitted and approved: no requests link, no external level yet; assessed: the external level", () => {
    const h2 = homeFor(loadUser(id.h2)!);
    expect(h2.assessment).toMatchObject({ status: "submitted", openRequests: 0, externalLevel: null });
    expect(h2.offers.requests).toBe(false);
    const f5 = fileOf(id.s5);
    expect(homeFor(loadUser(id.h5)!).assessment).toMatchObject({ status: "approved", externalLevel: null });
    expect(finishExternal(f5.id, id.rev)).toMatchObject({ ok: true });
    const level = fileOf(id.s5).externalLevel;
    expect(level).not.toBeNull();
    expect(homeFor(loadUser(id.h5)!).assessment).toMatchObject({ status: "assessed", statusLabel: "Đã đánh giá ngoài", externalLevel: level, recognisedLevel: null });
    // Draft: the deadline's state.
    expect(homeFor(loadUser(id.h6)!).assessment).toMatchObject({ status: "draft", deadline: "2096-05-31" });
    // Back to approved for the reviewer's counts below.
    getDb().update(assessments).set({ status: "approved", externalFinishedAt: null }).where(eq(assessments.id, f5.id)).run();
  });
});

describe("the reviewer's home counts the files waiting for it", () => {
  it("assigned to it first, then the office's, then the external assessments in progress", () => {
    // Submitted in the office: 2, 3 (reviewer one), 4 (reviewer two); 1 is returned, 5 approved, 6 draft.
    const h = homeFor(loadUser(id.rev)!);
    expect(h.counts).toMatchObject({ assignedSchools: 6, assignedToMe: 2, awaitingReview: 3, unassigned: 0, externalInProgress: 1, externalMine: 1 });
    expect(h.offers.reviewList).toBe(true);
    const h2 = homeFor(loadUser(id.rev2)!);
    expect(h2.counts).toMatchObject({ assignedToMe: 1, awaitingReview: 3, unassigned: 0, externalInProgress: 1, externalMine: 0 });
  });

  it("an unassigned submission counts for the office, not for a reviewer; closed cycles do not count", () => {
    expect(assign([fileOf(id.s4).id], null, id.admin).done).toHaveLength(1);
    expect(homeFor(loadUser(id.rev2)!).counts).toMatchObject({ assignedToMe: 0, awaitingReview: 3, unassigned: 1 });
    const cycleId = fileOf(id.s2).cycleId;
    getDb().$client.prepare("UPDATE cycles SET status = 'closed' WHERE id = ?").run(cycleId);
    try {
      expect(homeFor(loadUser(id.rev)!).counts).toMatchObject({ assignedToMe: 0, awaitingReview: 0, externalInProgress: 0 });
    } finally {
      getDb().$client.prepare("UPDATE cycles SET status = 'open' WHERE id = ?").run(cycleId);
    }
  });
});
