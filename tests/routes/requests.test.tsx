/**
 * The school's side of the office's requests: /danh-gia/:id/yeu-cau (list for every reader, the
 * respond action for the school's users while the file is returned) and the form and pre-submit
 * loaders carrying the requests. Real services on a fresh database; the columns are asserted.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { useTestDatabase } from "../helpers/db";
import { browserAs, run } from "../helpers/http";
import { getDb } from "~/server/db/client.server";
import { assessments, reviewComments } from "~/server/db/schema.server";
import { createSchool, createUnit, createUser } from "~/server/services/org.server";
import { openCycle } from "~/server/services/cycles.server";
import { editionOf, getAssessment, submitAssessment } from "~/server/services/assessments.server";
import { itemCodesOf } from "~/server/services/evidence.server";
import { closeRequest, returnFile } from "~/server/services/review.server";
import * as requestsRoute from "~/routes/danh-gia.$id.yeu-cau";
import * as formRoute from "~/routes/danh-gia.$id._index";
import * as submitRoute from "~/routes/danh-gia.$id.nop";

useTestDatabase("requests-route");

const pw = "mat-khau-kiem-thu";
const id: Record<string, number> = {};
let code = "";
let code2 = "";

const row = (requestId: number) => getDb().select().from(reviewComments).where(eq(reviewComments.id, requestId)).get()!;
const requestIds = (assessmentId: number) =>
  getDb()
    .select({ id: reviewComments.id, itemCode: reviewComments.itemCode })
    .from(reviewComments)
    .where(eq(reviewComments.assessmentId, assessmentId))
    .all();
const assessmentOf = (schoolId: number) => getDb().select().from(assessments).where(eq(assessments.schoolId, schoolId)).get()!;

async function post(username: string, assessmentId: number, fields: Record<string, string>, csrf?: string | null) {
  const b = await browserAs(username);
  return run(requestsRoute.action, b.post(`/danh-gia/${assessmentId}/yeu-cau`, fields, csrf === undefined ? undefined : { csrf }), { id: String(assessmentId) });
}

beforeAll(async () => {
  const P = createUnit({ kind: "province", code: "YC", name: "Sở Yêu Cầu", parentId: null }, null);
  const X = createUnit({ kind: "commune", code: "YC-X", name: "Xã Yêu Cầu", parentId: P }, null);
  id.A = createSchool({ code: "YC-A", name: "Trường Tiểu học A", type: "TH", managingUnitId: X, reviewingUnitId: P }, null);
  id.B = createSchool({ code: "YC-B", name: "Trường Tiểu học B", type: "TH", managingUnitId: X, reviewingUnitId: P }, null);
  id.C = createSchool({ code: "YC-C", name: "Trường Tiểu học C", type: "TH", managingUnitId: X, reviewingUnitId: P }, null);
  id.admin = await createUser({ username: "yc.admin", displayName: "Quản trị Sở", password: pw, roles: ["office_admin"], unitId: P }, null);
  id.reviewer = await createUser({ username: "yc.rev", displayName: "Cán bộ kiểm tra", password: pw, roles: ["office_reviewer"], unitId: P }, null);
  id.headA = await createUser({ username: "yc.head.a", displayName: "Hiệu trưởng A", password: pw, roles: ["school_head"], schoolId: id.A }, null);
  id.staffA = await createUser({ username: "yc.staff.a", displayName: "Giáo viên A", password: pw, roles: ["school_staff"], schoolId: id.A }, null);
  id.headB = await createUser({ username: "yc.head.b", displayName: "Hiệu trưởng B", password: pw, roles: ["school_head"], schoolId: id.B }, null);
  id.headC = await createUser({ username: "yc.head.c", displayName: "Hiệu trưởng C", password: pw, roles: ["school_head"], schoolId: id.C }, null);
  const r = openCycle({ ownerUnitId: P, schoolYear: "2097-2098", editionId: "qd-4725-2022", selfAssessmentDeadline: "2098-05-31", reviewDeadline: "2098-06-20" }, id.admin);
  if (!r.ok) throw new Error(r.message);
  const a = getAssessment(assessmentOf(id.A).id)!;
  [code, code2] = itemCodesOf(editionOf(a));
  for (const [school, head] of [
    [id.A, id.headA],
    [id.B, id.headB],
    [id.C, id.headC],
  ]) {
    const aid = assessmentOf(school).id;
    expect(submitAssessment(aid, head)).toMatchObject({ ok: true });
    expect(returnFile(aid, { requests: { [code]: "Bổ sung kế hoạch chuyển đổi số", [code2]: "Thiếu quyết định" }, comment: "Hồ sơ cần bổ sung minh chứng." }, id.reviewer)).toMatchObject({ ok: true });
  }
  id.a = assessmentOf(id.A).id;
  id.b = assessmentOf(id.B).id;
  id.c = assessmentOf(id.C).id;
  // C is sent again: submitted, its requests still open.
  expect(submitAssessment(id.c, id.headC)).toMatchObject({ ok: true });
  const ra = requestIds(id.a);
  id.reqA = ra.find((x) => x.itemCode === code)!.id;
  id.reqA2 = ra.find((x) => x.itemCode === code2)!.id;
  id.reqAll = ra.find((x) => x.itemCode === null)!.id;
  id.reqB = requestIds(id.b).find((x) => x.itemCode === code)!.id;
  id.reqC = requestIds(id.c).find((x) => x.itemCode === code)!.id;
});

describe("the form and the pre-submit page carry the requests", () => {
  it("the form's loader has the open requests (item and overall) and lets a school user answer", async () => {
    const b = await browserAs("yc.staff.a");
    const res = await run(formRoute.loader, b.get(`/danh-gia/${id.a}`), { id: String(id.a) });
    expect(res.status).toBe(200);
    const d = await res.json();
    expect(d.canReply).toBe(true);
    expect(d.requestTotal).toBe(3);
    expect(d.requests.map((r: { id: number }) => r.id).sort()).toEqual([id.reqA, id.reqA2, id.reqAll].sort());
    expect(d.requests.find((r: { id: number }) => r.id === id.reqA)).toMatchObject({ itemCode: code, body: "Bổ sung kế hoạch chuyển đổi số", round: 1, author: "Cán bộ kiểm tra", reply: null, addressed: false, resolvedAt: null });
    // The office reads the same form, without a reply form.
    const office = await run(formRoute.loader, (await browserAs("yc.rev")).get(`/danh-gia/${id.a}`), { id: String(id.a) });
    expect((await office.json()).canReply).toBe(false);
  });

  it("the pre-submit page lists the unanswered requests", async () => {
    const res = await run(submitRoute.loader, (await browserAs("yc.head.a")).get(`/danh-gia/${id.a}/nop`), { id: String(id.a) });
    const d = await res.json();
    expect(d.check.unansweredRequests.map((r: { id: number }) => r.id).sort()).toEqual([id.reqA, id.reqA2, id.reqAll].sort());
  });
});

describe("/danh-gia/:id/yeu-cau", () => {
  it("lists every request for the school and for the office; another school is refused", async () => {
    const school = await run(requestsRoute.loader, (await browserAs("yc.staff.a")).get(`/danh-gia/${id.a}/yeu-cau`), { id: String(id.a) });
    expect(school.status).toBe(200);
    const d = await school.json();
    expect(d.requests).toHaveLength(3);
    expect(d.canReply).toBe(true);
    const office = await run(requestsRoute.loader, (await browserAs("yc.rev")).get(`/danh-gia/${id.a}/yeu-cau`), { id: String(id.a) });
    expect(office.status).toBe(200);
    expect((await office.json()).canReply).toBe(false);
    const other = await run(requestsRoute.loader, (await browserAs("yc.head.b")).get(`/danh-gia/${id.a}/yeu-cau`), { id: String(id.a) });
    expect(other.status).toBe(403);
  });

  it("respond writes the reply, addressed and replied_by, then redirects to the item", async () => {
    const before = Date.now();
    const res = await post("yc.staff.a", id.a, { intent: "respond", requestId: String(id.reqA), reply: "  Đã đính kèm kế hoạch năm học.  ", addressed: "1", from: "form" });
    expect(res.status).toBe(303);
    expect(res.headers.get("Location")).toBe(`/danh-gia/${id.a}#tieu-chi-${code}`);
    const r = row(id.reqA);
    expect(r.reply).toBe("Đã đính kèm kế hoạch năm học.");
    expect(r.addressed).toBe(true);
    expect(r.repliedBy).toBe(id.staffA);
    expect(r.repliedAt!.getTime()).toBeGreaterThanOrEqual(before - 1000);
    expect(r.resolvedAt).toBeNull();
    // The file stays returned; the form and the pre-submit check see the answer.
    expect(assessmentOf(id.A).status).toBe("returned");
    const check = await (await run(submitRoute.loader, (await browserAs("yc.head.a")).get(`/danh-gia/${id.a}/nop`), { id: String(id.a) })).json();
    expect(check.check.unansweredRequests.map((x: { id: number }) => x.id)).not.toContain(id.reqA);
  });

  it("a fetcher gets JSON; a reply without 'đã bổ sung' is kept as a reply; the overall comment goes back to its anchor", async () => {
    const res = await post("yc.head.a", id.a, { intent: "respond", requestId: String(id.reqA2), reply: "Quyết định đang chờ ký.", _json: "1" });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ ok: true, requestId: id.reqA2 });
    expect(row(id.reqA2)).toMatchObject({ reply: "Quyết định đang chờ ký.", addressed: false, repliedBy: id.headA });
    const overall = await post("yc.head.a", id.a, { intent: "respond", requestId: String(id.reqAll), addressed: "on", from: "form" });
    expect(overall.headers.get("Location")).toBe(`/danh-gia/${id.a}#yeu-cau-chung`);
    expect(row(id.reqAll)).toMatchObject({ reply: null, addressed: true, repliedBy: id.headA });
    const list = await post("yc.head.a", id.a, { intent: "respond", requestId: String(id.reqAll), reply: "Đã bổ sung toàn bộ.", addressed: "on" });
    expect(list.headers.get("Location")).toBe(`/danh-gia/${id.a}/yeu-cau#yc-${id.reqAll}`);
  });

  it("refuses an office user (403) and a bad CSRF token (403), the row unchanged", async () => {
    const was = row(id.reqA2);
    expect((await post("yc.rev", id.a, { intent: "respond", requestId: String(id.reqA2), reply: "Sửa hộ" })).status).toBe(403);
    expect((await post("yc.admin", id.a, { intent: "respond", requestId: String(id.reqA2), reply: "Sửa hộ" })).status).toBe(403);
    expect((await post("yc.staff.a", id.a, { intent: "respond", requestId: String(id.reqA2), reply: "Không token" }, null)).status).toBe(403);
    expect((await post("yc.staff.a", id.a, { intent: "respond", requestId: String(id.reqA2), reply: "Sai token" }, "sai")).status).toBe(403);
    expect(row(id.reqA2)).toEqual(was);
  });

  it("answers bad input with 400 and a Vietnamese error at the field, never a crash", async () => {
    const was = row(id.reqA2);
    for (const bad of ["abc", "0", "-1", "1.5", "99999999999999999999", ""]) {
      const res = await post("yc.staff.a", id.a, { intent: "respond", requestId: bad, reply: "x" });
      expect(res.status, bad).toBe(400);
      expect((await res.json()).message).toBe("Yêu cầu bổ sung không hợp lệ.");
    }
    expect((await post("yc.staff.a", id.a, { intent: "xoa", requestId: String(id.reqA2) })).status).toBe(400);
    const long = await post("yc.staff.a", id.a, { intent: "respond", requestId: String(id.reqA2), reply: "a".repeat(2001) });
    expect(long.status).toBe(400);
    expect((await long.json()).fieldErrors.reply).toBe("Nội dung trả lời dài quá 2.000 ký tự.");
    const empty = await post("yc.staff.a", id.a, { intent: "respond", requestId: String(id.reqA2), reply: "   " });
    expect(empty.status).toBe(400);
    expect((await empty.json()).fieldErrors.reply).toBe("Vui lòng nhập nội dung trả lời hoặc đánh dấu “Đã bổ sung”.");
    expect((await post("yc.staff.a", id.a, { intent: "respond", requestId: String(id.reqA2), reply: "x", addressed: "co" })).status).toBe(400);
    expect(row(id.reqA2)).toEqual(was);
  });

  it("another school's request id is not found through this file, and the row is unchanged", async () => {
    const was = row(id.reqB);
    const res = await post("yc.head.a", id.a, { intent: "respond", requestId: String(id.reqB), reply: "Trả lời hộ trường B", addressed: "1" });
    expect(res.status).toBe(404);
    expect(row(id.reqB)).toEqual(was);
    // Nor through the other school's file.
    expect((await post("yc.head.a", id.b, { intent: "respond", requestId: String(id.reqB), reply: "Trả lời hộ" })).status).toBe(403);
    expect(row(id.reqB)).toEqual(was);
  });

  it("refuses a file that is not returned (409), and a closed request (400), the rows unchanged", async () => {
    const wasC = row(id.reqC);
    const res = await post("yc.head.c", id.c, { intent: "respond", requestId: String(id.reqC), reply: "Muộn rồi", addressed: "1" });
    expect(res.status).toBe(409);
    expect((await res.json()).message).toBe("Chỉ trả lời yêu cầu bổ sung khi hồ sơ bị trả lại.");
    expect(row(id.reqC)).toEqual(wasC);
    expect(assessmentOf(id.C).status).toBe("submitted");

    expect(closeRequest(id.b, id.reqB, id.reviewer)).toMatchObject({ ok: true });
    const wasB = row(id.reqB);
    const closed = await post("yc.head.b", id.b, { intent: "respond", requestId: String(id.reqB), reply: "Sau khi đóng" });
    expect(closed.status).toBe(400);
    expect(row(id.reqB)).toEqual(wasB);
    // Closed requests leave the form but stay in the list.
    const form = await (await run(formRoute.loader, (await browserAs("yc.head.b")).get(`/danh-gia/${id.b}`), { id: String(id.b) })).json();
    expect(form.requests.map((r: { id: number }) => r.id)).not.toContain(id.reqB);
    const list = await (await run(requestsRoute.loader, (await browserAs("yc.head.b")).get(`/danh-gia/${id.b}/yeu-cau`), { id: String(id.b) })).json();
    expect(list.requests.find((r: { id: number }) => r.id === id.reqB)).toMatchObject({ resolvedBy: "Cán bộ kiểm tra" });
  });
});
