/**
 * The cycle detail page (/quan-tri/dot-danh-gia/:id) on a real database: one page of 20 or 50
 * schools, the filters of /ho-so plus sub-unit and school type in the URL, the counts by status of
 * the whole cycle, and the per-school extension answering the row's own result (the list is not
 * loaded again after it).
 */
import { beforeAll, describe, expect, it } from "vitest";
import { and, eq, or } from "drizzle-orm";
import { useTestDatabase } from "../helpers/db";
import { browserAs, run } from "../helpers/http";
import { getDb } from "~/server/db/client.server";
import { assessments, auditLog, schools } from "~/server/db/schema.server";
import { createSchool, createUnit, createUser } from "~/server/services/org.server";
import { openCycle } from "~/server/services/cycles.server";
import { cycleAssessments } from "~/server/services/cycle-assessments.server";
import { loadUser } from "~/server/auth/session.server";
import { foldVietnamese, viCollator } from "~/utils/text";
import * as detail from "~/routes/quan-tri.dot-danh-gia.$id";

useTestDatabase("cycle-detail");

const pw = "mat-khau-kiem-thu";
const id: Record<string, number> = {};
const N = 130;

type Page = {
  list: { rows: { id: number; school: string; code: string; status: string; canExtend: boolean; override: string | null; managingUnit: string }[]; page: number; pageCount: number; pageSize: number; total: number; sortedBy: string };
  counts: Record<string, number>;
  filters: Record<string, string>;
  unit: { selected: { id: number; code: string } | null; text: string | null; error: string | null };
};

async function get(username: string, qs = ""): Promise<{ status: number; body: Page; size: number }> {
  const b = await browserAs(username);
  const res = await run(detail.loader, b.get(`/quan-tri/dot-danh-gia/${id.cycle}${qs}`), { id: String(id.cycle) });
  const text = res.status === 200 ? await res.text() : "{}";
  return { status: res.status, body: JSON.parse(text), size: Buffer.byteLength(text) };
}

beforeAll(async () => {
  id.P = createUnit({ kind: "province", code: "CD", name: "Sở Chi Tiết", parentId: null }, null);
  id.D1 = createUnit({ kind: "district", code: "CD-1", name: "Phòng Một", parentId: id.P }, null);
  id.D2 = createUnit({ kind: "district", code: "CD-2", name: "Phòng Hai", parentId: id.P }, null);
  id.X = createUnit({ kind: "commune", code: "CD-1-X", name: "Xã Một", parentId: id.P }, null);
  id.Q = createUnit({ kind: "province", code: "CQ", name: "Sở Khác", parentId: null }, null);
  const c = getDb().$client;
  const ins = c.prepare("INSERT INTO schools (code, name, search_key, type, managing_unit_id, reviewing_unit_id, active) VALUES (?, ?, ?, ?, ?, ?, 1)");
  c.transaction(() => {
    for (let i = 0; i < N; i++) {
      const type = i % 2 ? "TH" : "THCS";
      const unit = i % 3 === 0 ? id.D1 : i % 3 === 1 ? id.D2 : id.X;
      const name = `Trường ${type} ${i % 5 === 0 ? "Đông Sơn" : "Hoà Bình"} ${String(i).padStart(3, "0")}`;
      // Every sixth school is reviewed by Phòng Một whatever manages it.
      ins.run(`CD${String(i).padStart(4, "0")}`, name, foldVietnamese(`CD${i} ${name}`), type, unit, i % 6 === 5 ? id.D1 : unit);
    }
  })();
  id.first = createSchool({ code: "CD-A", name: "Trường Ánh Dương", type: "TH", managingUnitId: id.D2, reviewingUnitId: id.D2 }, null);
  createSchool({ code: "CQ-1", name: "Trường Tỉnh Khác", type: "TH", managingUnitId: id.Q, reviewingUnitId: id.Q }, null);
  id.admin = await createUser({ username: "cd.admin", displayName: "Quản trị Sở", password: pw, roles: ["office_admin"], unitId: id.P }, null);
  id.qadmin = await createUser({ username: "cq.admin", displayName: "Quản trị Sở khác", password: pw, roles: ["office_admin"], unitId: id.Q }, null);
  const r = openCycle({ ownerUnitId: id.P, schoolYear: "2097-2098", editionId: "qd-4725-2022", selfAssessmentDeadline: "2098-05-31", reviewDeadline: "2098-06-20" }, id.admin);
  if (!r.ok) throw new Error(r.message);
  id.cycle = r.cycleId;
  // A few states other than draft, straight into the rows (the page only reads them).
  const rows = getDb().select({ id: assessments.id }).from(assessments).where(eq(assessments.cycleId, id.cycle)).orderBy(assessments.id).all();
  for (const a of rows.slice(0, 7)) getDb().update(assessments).set({ status: "submitted" }).where(eq(assessments.id, a.id)).run();
  for (const a of rows.slice(7, 9)) getDb().update(assessments).set({ status: "returned" }).where(eq(assessments.id, a.id)).run();
});

describe("the cycle's assessments, paged and filtered", () => {
  it("sends one page of 20 (or 50) rows sorted by Vietnamese name, and the counts of the whole cycle", async () => {
    const { status, body } = await get("cd.admin");
    expect(status).toBe(200);
    expect(body.list).toMatchObject({ page: 1, pageSize: 20, total: N + 1, pageCount: Math.ceil((N + 1) / 20), sortedBy: "name" });
    expect(body.list.rows).toHaveLength(20);
    const names = body.list.rows.map((r) => r.school);
    expect([...names].sort(viCollator.compare)).toEqual(names);
    expect(body.counts).toEqual({ draft: N + 1 - 9, submitted: 7, returned: 2, approved: 0, assessed: 0, recognised: 0, total: N + 1 });
    const fifty = await get("cd.admin", "?so-dong=50&page=3");
    expect(fifty.body.list).toMatchObject({ page: 3, pageSize: 50, pageCount: 3 });
    expect(fifty.body.list.rows).toHaveLength(N + 1 - 100);
    expect(fifty.body.filters.pageSize).toBe("50");
    // Past the end: the last page.
    expect((await get("cd.admin", "?page=99")).body.list.page).toBe(7);
  });

  it("filters by status, folded search, sub-unit (managed or reviewed below it) and type; counts stay the cycle's", async () => {
    const submitted = await get("cd.admin", "?trang-thai=submitted");
    expect(submitted.body.list.total).toBe(7);
    expect(submitted.body.list.rows.every((r) => r.status === "submitted")).toBe(true);
    expect(submitted.body.counts.total).toBe(N + 1);
    const search = await get("cd.admin", "?q=dong+son");
    expect(search.body.list.total).toBe(Math.ceil(N / 5));
    expect(search.body.list.rows.every((r) => r.school.includes("Đông Sơn"))).toBe(true);
    const byCode = await get("cd.admin", "?q=CD-A");
    expect(byCode.body.list.rows.map((r) => r.code)).toEqual(["CD-A"]);
    // Phòng Một: the schools it manages, and those it reviews.
    const d1 = await get("cd.admin", `?don-vi=${id.D1}`);
    const expected = getDb().select({ id: schools.id }).from(schools).where(or(eq(schools.managingUnitId, id.D1), eq(schools.reviewingUnitId, id.D1))).all().length;
    expect(expected).toBe(Array.from({ length: N }, (_, i) => i).filter((i) => i % 3 === 0 || i % 6 === 5).length);
    expect(d1.body.list.total).toBe(expected);
    expect(d1.body.unit.selected).toMatchObject({ id: id.D1, code: "CD-1" });
    const commune = await get("cd.admin", `?don-vi=${id.X}&loai=TH`);
    expect(commune.body.list.rows.every((r) => r.managingUnit === "Xã Một")).toBe(true);
    expect(commune.body.list.total).toBe(Array.from({ length: N }, (_, i) => i).filter((i) => i % 3 === 2 && i % 2 === 1).length);
    // Without JavaScript the picker sends the unit's code.
    const typed = await get("cd.admin", `?don-vi__ma=CD-1-X&loai=TH`);
    expect(typed.body.list.total).toBe(commune.body.list.total);
    expect(typed.body.filters.unit).toBe(String(id.X));
    const unknown = await get("cd.admin", `?don-vi__ma=CQ`);
    expect(unknown.status).toBe(200);
    expect(unknown.body.unit.error).toContain("«CQ»");
    expect(unknown.body.list.total).toBe(N + 1);
  });

  it("refuses filters it cannot read, and other provinces' admins", async () => {
    for (const qs of ["?trang-thai=bogus", "?loai=XYZ", "?so-dong=1000", "?page=-1", `?q=${"a".repeat(101)}`, `?don-vi=${id.Q}`, "?don-vi=abc"]) {
      expect((await get("cd.admin", qs)).status, qs).toBe(400);
    }
    expect((await get("cq.admin")).status).toBe(403);
  });

  it("orders a large set by code in SQL, page by page", () => {
    const user = loadUser(id.admin)!;
    const p1 = cycleAssessments(id.cycle, user, { page: 1, pageSize: 20, sortInMemoryMax: 10 });
    const p2 = cycleAssessments(id.cycle, user, { page: 2, pageSize: 20, sortInMemoryMax: 10 });
    expect(p1.sortedBy).toBe("code");
    const codes = [...p1.rows, ...p2.rows].map((r) => r.code);
    expect(codes).toEqual([...codes].sort());
    expect(new Set(codes).size).toBe(40);
  });

  it("stays small: the page's data does not grow with the cycle", async () => {
    const { size, body } = await get("cd.admin", "?so-dong=50");
    expect(body.list.rows).toHaveLength(50);
    expect(size).toBeLessThan(20_000);
  });
});

describe("the extension, one row at a time", () => {
  it("extends the deadline with a reason, audited, and answers the row's new deadline and a confirmation", async () => {
    const { body } = await get("cd.admin", "?q=CD-A");
    const row = body.list.rows[0];
    expect(row.canExtend).toBe(true);
    const b = await browserAs("cd.admin");
    const res = await run(detail.action, b.post(`/quan-tri/dot-danh-gia/${id.cycle}`, { intent: "extend", assessmentId: String(row.id), deadline: "30/06/2098", reason: "Trường bị ngập lụt" }), { id: String(id.cycle) });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true, assessmentId: row.id, deadline: "2098-06-30", message: "Đã gia hạn cho Trường Ánh Dương đến ngày 30/06/2098." });
    expect(getDb().select().from(assessments).where(eq(assessments.id, row.id)).get()!.deadlineOverride).toBe("2098-06-30");
    const audit = getDb().select().from(auditLog).where(and(eq(auditLog.assessmentId, row.id), eq(auditLog.action, "assessment.deadline.extend"))).get()!;
    expect(audit.details).toMatchObject({ from: "2098-05-31", to: "2098-06-30", reason: "Trường bị ngập lụt" });
  });

  it("puts errors at their field: no reason, a date not later, another cycle's assessment", async () => {
    const { body } = await get("cd.admin", "?q=CD-A");
    const row = body.list.rows[0];
    const b = await browserAs("cd.admin");
    const post = (fields: Record<string, string>) => run(detail.action, b.post(`/quan-tri/dot-danh-gia/${id.cycle}`, { intent: "extend", ...fields }), { id: String(id.cycle) });
    const noReason = await post({ assessmentId: String(row.id), deadline: "01/07/2098", reason: " " });
    expect(noReason.status).toBe(400);
    expect(await noReason.json()).toEqual({ ok: false, assessmentId: row.id, errors: { reason: ["Vui lòng nêu lý do gia hạn."] } });
    const notLater = await post({ assessmentId: String(row.id), deadline: "01/06/2098", reason: "Lý do" });
    expect(notLater.status).toBe(409);
    const nl = await notLater.json();
    expect(nl.errors.deadline).toHaveLength(1);
    expect(nl.errors.reason).toBeUndefined();
    const badDate = await post({ assessmentId: String(row.id), deadline: "31/02/2098", reason: "Lý do" });
    expect((await badDate.json()).errors.deadline).toEqual(["Ngày không hợp lệ, hãy nhập theo dạng dd/mm/yyyy."]);
    const other = await post({ assessmentId: "999999", deadline: "01/07/2098", reason: "Lý do" });
    expect(other.status).toBe(404);
    expect(getDb().select().from(assessments).where(eq(assessments.id, row.id)).get()!.deadlineOverride).toBe("2098-06-30");
  });

  it("does not load the list again after an extension, and does after anything else", () => {
    const fd = new FormData();
    fd.set("intent", "extend");
    const args = { formMethod: "POST", formData: fd, defaultShouldRevalidate: true } as unknown as Parameters<typeof detail.shouldRevalidate>[0];
    expect(detail.shouldRevalidate(args)).toBe(false);
    expect(detail.shouldRevalidate({ ...args, formMethod: "GET", formData: undefined } as never)).toBe(true);
  });
});
