/**
 * Adding schools to an open cycle (issue 8, item 6): a school created after its cycle opened has no
 * assessment; the cycle page lists it and creates its assessment, one by one or all at once, with
 * the audit entry, never twice, never outside the cycle's scope or the user's, never in a closed cycle.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { useTestDatabase } from "../helpers/db";
import { browserAs, run } from "../helpers/http";
import { getDb } from "~/server/db/client.server";
import { assessments, auditLog, cycles } from "~/server/db/schema.server";
import { loadUser } from "~/server/auth/session.server";
import { createSchool, createUnit, createUser } from "~/server/services/org.server";
import { openCycle } from "~/server/services/cycles.server";
import { addAssessments, missingSchools } from "~/server/services/cycle-additions.server";
import * as detail from "~/routes/quan-tri.dot-danh-gia.$id";

useTestDatabase("cycle-additions");

const pw = "mat-khau-kiem-thu";
const id: Record<string, number> = {};
const YEAR = "2091-2092";

const rowsOf = (schoolId: number) => getDb().select().from(assessments).where(eq(assessments.schoolId, schoolId)).all();
const auditOf = (cycleId: number) =>
  getDb()
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.action, "cycle.assessments.add"), eq(auditLog.entityId, String(cycleId))))
    .all();

beforeAll(async () => {
  id.P = createUnit({ kind: "province", code: "AD", name: "Sở Thêm Hồ Sơ", parentId: null }, null);
  id.X = createUnit({ kind: "commune", code: "AD-X", name: "Xã Thêm", parentId: id.P }, null);
  id.Q = createUnit({ kind: "province", code: "AQ", name: "Sở Khác", parentId: null }, null);
  id.before = createSchool({ code: "AD-0", name: "Trường Có Từ Trước", type: "TH", managingUnitId: id.X, reviewingUnitId: id.P }, null);
  id.admin = await createUser({ username: "ad.admin", displayName: "Quản trị Sở", password: pw, roles: ["office_admin"], unitId: id.P }, null);
  id.qadmin = await createUser({ username: "aq.admin", displayName: "Quản trị Sở khác", password: pw, roles: ["office_admin"], unitId: id.Q }, null);
  const r = openCycle({ ownerUnitId: id.P, schoolYear: YEAR, editionId: "qd-4725-2022", selfAssessmentDeadline: "2092-05-31", reviewDeadline: "2092-06-20" }, id.admin);
  if (!r.ok) throw new Error(r.message);
  id.cycle = r.cycleId;
  const q = openCycle({ ownerUnitId: id.Q, schoolYear: YEAR, editionId: "qd-4725-2022", selfAssessmentDeadline: "2092-05-31", reviewDeadline: "2092-06-20" }, id.qadmin);
  if (!q.ok) throw new Error(q.message);
  id.qcycle = q.cycleId;
  // Created after the cycles opened: three in the Sở's scope, one inactive, one in the other province.
  id.new1 = createSchool({ code: "AD-1", name: "Trường Mới Một", type: "TH", managingUnitId: id.X, reviewingUnitId: id.P }, null);
  id.new2 = createSchool({ code: "AD-2", name: "Trường Mới Hai", type: "THCS", managingUnitId: id.X, reviewingUnitId: id.P }, null);
  id.new3 = createSchool({ code: "AD-3", name: "Trường Mới Ba", type: "THPT", managingUnitId: id.P, reviewingUnitId: id.P }, null);
  id.inactive = createSchool({ code: "AD-9", name: "Trường Đã Giải Thể", type: "TH", managingUnitId: id.X, reviewingUnitId: id.P }, null);
  getDb().$client.prepare("UPDATE schools SET active = 0 WHERE id = ?").run(id.inactive);
  id.other = createSchool({ code: "AQ-1", name: "Trường Tỉnh Khác", type: "TH", managingUnitId: id.Q, reviewingUnitId: id.Q }, null);
});

describe("missing schools of an open cycle", () => {
  it("lists the active schools of the cycle's scope without an assessment this year, and nothing else", () => {
    const m = missingSchools(id.cycle, loadUser(id.admin)!);
    expect(m.total).toBe(3);
    expect(m.rows.map((r) => r.code)).toEqual(["AD-1", "AD-2", "AD-3"]);
    // The other province's admin sees its own school only.
    expect(missingSchools(id.qcycle, loadUser(id.qadmin)!).rows.map((r) => r.code)).toEqual(["AQ-1"]);
    // Another office's cycle shows nothing of this one to a user outside it.
    expect(missingSchools(id.cycle, loadUser(id.qadmin)!).total).toBe(0);
  });

  it("creates one school's draft assessment with its audit entry, and refuses it a second time", async () => {
    const before = Date.now();
    const r = await addAssessments(id.cycle, { schoolId: id.new1 }, loadUser(id.admin)!);
    expect(r).toMatchObject({ ok: true, created: 1 });
    const rows = rowsOf(id.new1);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ cycleId: id.cycle, status: "draft", version: 1, selfLevel: null, submittedAt: null });
    expect(rows[0]!.createdAt.getTime()).toBeGreaterThanOrEqual(before - 1000);
    const audit = auditOf(id.cycle);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actorId: id.admin, entityType: "cycle", unitId: id.P, details: { created: 1, schoolIds: [id.new1] } });

    const again = await addAssessments(id.cycle, { schoolId: id.new1 }, loadUser(id.admin)!);
    expect(again).toMatchObject({ ok: false, kind: "not-missing" });
    expect(rowsOf(id.new1)).toHaveLength(1);
    expect(auditOf(id.cycle)).toHaveLength(1);
  });

  it("refuses a school outside the cycle's scope or the user's, and an inactive one", async () => {
    expect(await addAssessments(id.cycle, { schoolId: id.other }, loadUser(id.admin)!)).toMatchObject({ ok: false, kind: "not-missing" });
    expect(await addAssessments(id.cycle, { schoolId: id.inactive }, loadUser(id.admin)!)).toMatchObject({ ok: false, kind: "not-missing" });
    expect(await addAssessments(id.cycle, { schoolId: id.new2 }, loadUser(id.qadmin)!)).toMatchObject({ ok: false, kind: "not-missing" });
    expect(rowsOf(id.other)).toHaveLength(0);
    expect(rowsOf(id.inactive)).toHaveLength(0);
    expect(rowsOf(id.new2)).toHaveLength(0);
  });

  it("creates all the missing ones at once, then has none left", async () => {
    const r = await addAssessments(id.cycle, "all", loadUser(id.admin)!);
    expect(r).toMatchObject({ ok: true, created: 2, message: "Đã tạo 2 hồ sơ ở trạng thái đang soạn." });
    expect(rowsOf(id.new2).map((a) => a.cycleId)).toEqual([id.cycle]);
    expect(rowsOf(id.new3).map((a) => a.cycleId)).toEqual([id.cycle]);
    expect(auditOf(id.cycle).at(-1)?.details).toEqual({ created: 2, schoolIds: [id.new2, id.new3] });
    expect(missingSchools(id.cycle, loadUser(id.admin)!).total).toBe(0);
    expect(await addAssessments(id.cycle, "all", loadUser(id.admin)!)).toMatchObject({ ok: false, kind: "not-missing" });
  });

  it("adds nothing to a closed cycle", async () => {
    id.late = createSchool({ code: "AD-4", name: "Trường Mới Bốn", type: "TH", managingUnitId: id.X, reviewingUnitId: id.P }, null);
    getDb().update(cycles).set({ status: "closed" }).where(eq(cycles.id, id.cycle)).run();
    try {
      expect(missingSchools(id.cycle, loadUser(id.admin)!).total).toBe(0);
      expect(await addAssessments(id.cycle, "all", loadUser(id.admin)!)).toMatchObject({ ok: false, kind: "closed" });
      expect(rowsOf(id.late)).toHaveLength(0);
    } finally {
      getDb().update(cycles).set({ status: "open" }).where(eq(cycles.id, id.cycle)).run();
    }
  });
});

describe("the cycle page's add buttons", () => {
  const post = async (username: string, cycleId: number, fields: Record<string, string>, csrf?: string | null) => {
    const b = await browserAs(username);
    return run(detail.action, b.post(`/quan-tri/dot-danh-gia/${cycleId}`, fields, csrf === undefined ? undefined : { csrf }), { id: String(cycleId) });
  };

  it("lists the missing schools in the loader and creates one through the action", async () => {
    const b = await browserAs("ad.admin");
    const page = await run(detail.loader, b.get(`/quan-tri/dot-danh-gia/${id.cycle}`), { id: String(id.cycle) });
    const body = (await page.json()) as { missing: { total: number; rows: { id: number; code: string }[] } };
    expect(body.missing).toEqual({ total: 1, rows: [{ id: id.late, code: "AD-4", name: "Trường Mới Bốn" }] });

    const res = await post("ad.admin", id.cycle, { intent: "add-school", schoolId: String(id.late) });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ intent: "add", ok: true, message: "Đã tạo 1 hồ sơ ở trạng thái đang soạn." });
    expect(rowsOf(id.late)).toHaveLength(1);
  });

  it("answers 409 with the reason when nothing is missing, 400 for a bad id, 403 without CSRF or for another province", async () => {
    const none = await post("ad.admin", id.cycle, { intent: "add-missing" });
    expect(none.status).toBe(409);
    expect(await none.json()).toMatchObject({ ok: false, message: "Mọi trường trong phạm vi của đợt đều đã có hồ sơ năm học này." });
    const bad = await post("ad.admin", id.cycle, { intent: "add-school", schoolId: "abc" });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ ok: false, message: "Mã trường không hợp lệ." });

    id.late2 = createSchool({ code: "AD-5", name: "Trường Mới Năm", type: "TH", managingUnitId: id.X, reviewingUnitId: id.P }, null);
    const noCsrf = await post("ad.admin", id.cycle, { intent: "add-missing" }, null);
    expect(noCsrf.status).toBe(403);
    const foreign = await post("aq.admin", id.cycle, { intent: "add-missing" });
    expect(foreign.status).toBe(403);
    const foreignSchool = await post("ad.admin", id.cycle, { intent: "add-school", schoolId: String(id.other) });
    expect(foreignSchool.status).toBe(403);
    expect(rowsOf(id.late2)).toHaveLength(0);
    expect(rowsOf(id.other)).toHaveLength(0);
  });
});
