/**
 * Issue 11, point 4: evidence reuse where it is needed. The evidence panel of an item reads the
 * school's library from /danh-gia/:id/thu-vien (search, recent, last year's), scoped to the
 * assessment's school; "Dùng cho tiêu chí …" posts intent=attach to /danh-gia/:id/minh-chung, which
 * links through attachEvidence and the transition door and confirms which items it now serves.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { useTestDatabase } from "../helpers/db";
import { browserAs, run } from "../helpers/http";
import { getDb } from "~/server/db/client.server";
import { assessments, auditLog, evidence, evidenceLinks } from "~/server/db/schema.server";
import { createSchool, createUnit, createUser } from "~/server/services/org.server";
import { openCycle } from "~/server/services/cycles.server";
import { getAssessment } from "~/server/services/assessments.server";
import { createLinkEvidence, detachEvidence, libraryForAssessment, previousAssessmentOf } from "~/server/services/evidence.server";
import * as libraryRoute from "~/routes/danh-gia.$id.thu-vien";
import * as evidenceRoute from "~/routes/danh-gia.$id.minh-chung";

useTestDatabase("evidence-reuse");

const PW = "mat-khau-kiem-thu-12";
const ids = { schoolA: 0, schoolB: 0, oldA: 0, newA: 0, newB: 0, headA: 0, headB: 0 };
const ev = { plan: 0, lms: 0, oldOnly: 0, fresh: 0, secretB: 0, fileOld: 0 };

function link(assessmentId: number, itemCodes: string[], title: string, actor: number, url = `https://truong.example.vn/${encodeURIComponent(title)}`) {
  const r = createLinkEvidence({ assessmentId, itemCodes, url, title }, actor);
  if (!r.ok) throw new Error(r.message);
  return r.evidenceId;
}

beforeAll(async () => {
  const province = createUnit({ kind: "province", code: "RU-P", name: "Sở GDĐT Dùng Lại", parentId: null }, null);
  const office = createUnit({ kind: "district", code: "RU-D", name: "Phòng GDĐT Dùng Lại", parentId: province }, null);
  ids.schoolA = createSchool({ code: "RU-A", name: "Trường Tiểu học Dùng Lại A", type: "TH", managingUnitId: office, reviewingUnitId: office }, null);
  ids.schoolB = createSchool({ code: "RU-B", name: "Trường Tiểu học Dùng Lại B", type: "TH", managingUnitId: office, reviewingUnitId: office }, null);
  const admin = await createUser({ username: "ru.admin", displayName: "Quản trị", password: PW, roles: ["office_admin"], unitId: province }, null);
  ids.headA = await createUser({ username: "ru.head.a", displayName: "Nguyễn Văn An", password: PW, roles: ["school_head"], schoolId: ids.schoolA }, null);
  ids.headB = await createUser({ username: "ru.head.b", displayName: "Trần Thị Bích", password: PW, roles: ["school_head"], schoolId: ids.schoolB }, null);
  await createUser({ username: "ru.rev", displayName: "Chuyên viên", password: PW, roles: ["office_reviewer"], unitId: office }, null);

  const open = (schoolYear: string) => {
    const r = openCycle({ ownerUnitId: province, schoolYear, editionId: "qd-4725-2022", selfAssessmentDeadline: "2099-05-31", reviewDeadline: "2099-06-20" }, admin);
    if (!r.ok) throw new Error(r.message);
    const rows = getDb().select({ id: assessments.id, schoolId: assessments.schoolId }).from(assessments).where(eq(assessments.cycleId, r.cycleId)).all();
    return { a: rows.find((x) => x.schoolId === ids.schoolA)!.id, b: rows.find((x) => x.schoolId === ids.schoolB)!.id };
  };
  const old = open("2024-2025");
  ids.oldA = old.a;
  const cur = open("2025-2026");
  ids.newA = cur.a;
  ids.newB = cur.b;

  // Last year: three links of A's previous assessment (one used for two items).
  ev.plan = link(ids.oldA, ["1.1", "1.2"], "Kế hoạch chuyển đổi số năm học 2024-2025", ids.headA);
  ev.lms = link(ids.oldA, ["1.3.2"], "Ảnh chụp màn hình hệ thống LMS", ids.headA);
  ev.oldOnly = link(ids.oldA, ["2.3.1"], "Sổ điểm điện tử học kỳ I", ids.headA);
  // A file row of last year (inserted directly: the library does not need its bytes).
  ev.fileOld = getDb()
    .insert(evidence)
    .values({ schoolId: ids.schoolA, kind: "file", title: "Biên bản họp tổ chuyên môn", fileName: "bien-ban-hop-to.pdf", createdBy: ids.headA, createdAt: new Date(Date.UTC(2024, 9, 1)) })
    .returning({ id: evidence.id })
    .get().id;
  getDb().insert(evidenceLinks).values({ assessmentId: ids.oldA, itemCode: "1.4", evidenceId: ev.fileOld, code: "MC-1.4-01" }).run();
  // This year: one new link of A; B's own evidence, which A must never see.
  ev.fresh = link(ids.newA, ["1.7.1"], "Danh sách giáo viên được bồi dưỡng năm 2025", ids.headA);
  ev.secretB = link(ids.newB, ["1.1"], "Kế hoạch bí mật của trường B", ids.headB);
});

const titles = (entries: { title: string }[]) => entries.map((e) => e.title);

describe("the library the panel reads (service)", () => {
  it("finds the school's previous assessment by school year", () => {
    expect(previousAssessmentOf(getAssessment(ids.newA)!)).toEqual({ id: ids.oldA, schoolYear: "2024-2025" });
    expect(previousAssessmentOf(getAssessment(ids.oldA)!)).toBeNull();
  });

  it("lists only the assessment's own school's live evidence, recently used first", () => {
    const lib = libraryForAssessment(getAssessment(ids.newA)!, { source: "gan-day" });
    expect(lib.total).toBe(5);
    expect(lib.entries[0].title).toBe("Danh sách giáo viên được bồi dưỡng năm 2025"); // the newest
    expect(new Set(lib.entries.map((e) => e.evidenceId))).toEqual(new Set([ev.plan, ev.lms, ev.oldOnly, ev.fileOld, ev.fresh]));
    expect(titles(lib.entries)).not.toContain("Kế hoạch bí mật của trường B");
    // The other school sees its own only.
    const libB = libraryForAssessment(getAssessment(ids.newB)!, { source: "gan-day" });
    expect(libB.entries.map((e) => e.evidenceId)).toEqual([ev.secretB]);
    // B's previous assessment exists but used no evidence: last year's list is empty.
    expect(libB.previousAssessment?.schoolYear).toBe("2024-2025");
    expect(libraryForAssessment(getAssessment(ids.newB)!, { source: "nam-truoc" })).toMatchObject({ total: 0, entries: [] });
  });

  it("searches folded Vietnamese in titles and file names, never across schools", () => {
    const a = getAssessment(ids.newA)!;
    expect(titles(libraryForAssessment(a, { q: "ke hoach" }).entries)).toEqual(["Kế hoạch chuyển đổi số năm học 2024-2025"]);
    expect(titles(libraryForAssessment(a, { q: "KẾ HOẠCH" }).entries)).toEqual(["Kế hoạch chuyển đổi số năm học 2024-2025"]);
    expect(titles(libraryForAssessment(a, { q: "bien-ban-hop" }).entries)).toEqual(["Biên bản họp tổ chuyên môn"]);
    expect(libraryForAssessment(a, { q: "bí mật" }).entries).toEqual([]);
  });

  it("last year's list is what the previous assessment used, with that year's codes", () => {
    const lib = libraryForAssessment(getAssessment(ids.newA)!, { source: "nam-truoc" });
    expect(lib.previousAssessment).toEqual({ id: ids.oldA, schoolYear: "2024-2025" });
    expect(lib.entries.map((e) => [e.title, e.previous.map((p) => p.code)])).toEqual([
      ["Kế hoạch chuyển đổi số năm học 2024-2025", ["MC-1.1-01", "MC-1.2-01"]],
      ["Ảnh chụp màn hình hệ thống LMS", ["MC-1.3.2-01"]],
      ["Biên bản họp tổ chuyên môn", ["MC-1.4-01"]],
      ["Sổ điểm điện tử học kỳ I", ["MC-2.3.1-01"]],
    ]);
    expect(lib.entries.every((e) => e.here.length === 0)).toBe(true);
    expect(titles(lib.entries)).not.toContain("Danh sách giáo viên được bồi dưỡng năm 2025");
  });

  it("pages the list", () => {
    const a = getAssessment(ids.newA)!;
    const p1 = libraryForAssessment(a, { pageSize: 2, page: 1 });
    const p3 = libraryForAssessment(a, { pageSize: 2, page: 3 });
    expect([p1.pages, p1.entries.length, p3.page, p3.entries.length]).toEqual([3, 2, 3, 1]);
    expect(libraryForAssessment(a, { pageSize: 2, page: 99 }).page).toBe(3);
  });
});

describe("GET /danh-gia/:id/thu-vien", () => {
  const get = async (username: string, id: number, qs: string) => {
    const b = await browserAs(username);
    return run(libraryRoute.loader as never, b.get(`/danh-gia/${id}/thu-vien?${qs}&_data=routes%2Fdanh-gia.%24id.thu-vien`), { id: String(id) });
  };

  it("answers the school with its library as JSON (search, source, paging)", async () => {
    const res = await get("ru.head.a", ids.newA, "nguon=nam-truoc&q=lms&item=1.3.2");
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toMatchObject({ ok: true, source: "nam-truoc", q: "lms", page: 1, pages: 1, total: 1, canAttach: true, previousAssessment: { schoolYear: "2024-2025" } });
    expect(body.entries).toHaveLength(1);
    expect(body.entries[0]).toMatchObject({ evidenceId: ev.lms, title: "Ảnh chụp màn hình hệ thống LMS", kind: "link", previous: [{ itemCode: "1.3.2", code: "MC-1.3.2-01" }], here: [] });
    expect(body.entries[0].created).toMatch(/^\d{2}\/\d{2}\/\d{4}$/);
    const all = await (await get("ru.head.a", ids.newA, "nguon=gan-day")).json();
    expect(all.total).toBe(5);
    expect(JSON.stringify(all)).not.toContain("bí mật");
  });

  it("refuses another school's head (403) and tells the office it cannot attach", async () => {
    const res = await get("ru.head.b", ids.newA, "nguon=gan-day");
    expect(res.status).toBe(403);
    expect(await res.text()).not.toContain("Kế hoạch chuyển đổi số");
    const office = await (await get("ru.rev", ids.newA, "nguon=gan-day")).json();
    expect(office).toMatchObject({ ok: true, canAttach: false, total: 5 });
  });

  it("sends a plain navigation (no JavaScript) to the full library page; a fetch, which Remix gives no _data, gets JSON", async () => {
    const b = await browserAs("ru.head.a");
    const url = `/danh-gia/${ids.newA}/thu-vien?q=k%E1%BA%BF+ho%E1%BA%A1ch&item=1.1`;
    // Remix strips `_data` before the loader runs: the panel's fetch arrives like this (Sec-Fetch-Mode: cors).
    const fetched = await run(libraryRoute.loader as never, new Request(`http://localhost${url}`, { headers: { Cookie: b.cookie, "Sec-Fetch-Mode": "cors" } }), { id: String(ids.newA) });
    expect(fetched.status).toBe(200);
    expect(await fetched.json()).toMatchObject({ ok: true });
    const res = await run(libraryRoute.loader as never, new Request(`http://localhost${url}`, { headers: { Cookie: b.cookie, "Sec-Fetch-Mode": "navigate" } }), { id: String(ids.newA) });
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe(`/truong/${ids.schoolA}/minh-chung?q=${encodeURIComponent("kế hoạch").replace(/%20/g, "+")}&item=1.1`);
  });
});

describe("reuse from the panel (POST /danh-gia/:id/minh-chung, intent attach)", () => {
  const attach = async (username: string, assessmentId: number, evidenceId: number, itemCodes: string[]) => {
    const b = await browserAs(username);
    const req = b.post(`/danh-gia/${assessmentId}/minh-chung`, { intent: "attach", evidenceId: String(evidenceId), itemCode: itemCodes, redirectTo: `/danh-gia/${assessmentId}#mc-${itemCodes[0]}`, _json: "1" });
    return run(evidenceRoute.action as never, req, { id: String(assessmentId) });
  };

  it("links last year's evidence to this item, through the door, and confirms which item it serves", async () => {
    const before = getAssessment(ids.newA)!.version;
    const res = await attach("ru.head.a", ids.newA, ev.lms, ["1.3.2"]);
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toMatchObject({ ok: true, intent: "attach", itemCode: "1.3.2", message: "Đã dùng minh chứng cho tiêu chí 1.3.2 (mã MC-1.3.2-01)." });
    expect(body.entries.map((e: { evidenceId: number; code: string }) => [e.evidenceId, e.code])).toEqual([[ev.lms, "MC-1.3.2-01"]]);

    const rows = getDb().select().from(evidenceLinks).where(and(eq(evidenceLinks.assessmentId, ids.newA), eq(evidenceLinks.evidenceId, ev.lms))).all();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ assessmentId: ids.newA, itemCode: "1.3.2", evidenceId: ev.lms, code: "MC-1.3.2-01" });
    expect(rows[0].createdAt).toBeInstanceOf(Date);
    // Last year's link is untouched; the same evidence row serves both years.
    expect(getDb().select({ code: evidenceLinks.code }).from(evidenceLinks).where(and(eq(evidenceLinks.assessmentId, ids.oldA), eq(evidenceLinks.evidenceId, ev.lms))).all()).toEqual([{ code: "MC-1.3.2-01" }]);
    // The door: the version moved on once, the door's entry and the attach entry were written.
    expect(getAssessment(ids.newA)!.version).toBe(before + 1);
    const audit = getDb().select({ action: auditLog.action, entityId: auditLog.entityId, details: auditLog.details }).from(auditLog).where(eq(auditLog.assessmentId, ids.newA)).all();
    expect(audit.filter((x) => x.action === "evidence.reuse" && x.entityId === String(ev.lms))).toHaveLength(1);
    expect(audit.filter((x) => x.action === "evidence.attach" && x.entityId === String(ev.lms)).map((x) => x.details)).toEqual([{ itemCode: "1.3.2", code: "MC-1.3.2-01" }]);

    // The panel's list now shows it as used here.
    const lib = libraryForAssessment(getAssessment(ids.newA)!, { source: "nam-truoc", q: "LMS" });
    expect(lib.entries[0].here).toEqual([{ itemCode: "1.3.2", code: "MC-1.3.2-01" }]);
  });

  it("names every item when one evidence is linked to several", async () => {
    const res = await attach("ru.head.a", ids.newA, ev.plan, ["1.1", "1.2"]);
    expect(res.status).toBe(200);
    expect((await res.json()).message).toBe("Đã dùng minh chứng cho tiêu chí 1.1, 1.2 (mã MC-1.1-01, MC-1.2-01).");
    const rows = getDb()
      .select({ itemCode: evidenceLinks.itemCode, code: evidenceLinks.code })
      .from(evidenceLinks)
      .where(and(eq(evidenceLinks.assessmentId, ids.newA), eq(evidenceLinks.evidenceId, ev.plan)))
      .all();
    expect(rows.sort((x, y) => x.code.localeCompare(y.code))).toEqual([
      { itemCode: "1.1", code: "MC-1.1-01" },
      { itemCode: "1.2", code: "MC-1.2-01" },
    ]);
  });

  it("never links another school's evidence, nor into another school's assessment", async () => {
    const count = () => getDb().select().from(evidenceLinks).where(eq(evidenceLinks.evidenceId, ev.secretB)).all().length;
    const n = count();
    const res = await attach("ru.head.a", ids.newA, ev.secretB, ["1.4"]);
    expect(res.status).toBe(404);
    expect((await res.json()).ok).toBe(false);
    expect(count()).toBe(n);
    const into = await attach("ru.head.a", ids.newB, ev.secretB, ["1.4"]);
    expect(into.status).toBe(403);
    expect(count()).toBe(n);
  });

  it("a removed reuse leaves last year's evidence alive in the library", async () => {
    const r = await detachEvidence({ assessmentId: ids.newA, itemCode: "1.3.2", evidenceId: ev.lms }, ids.headA);
    expect(r).toMatchObject({ ok: true, softDeleted: false });
    const lib = libraryForAssessment(getAssessment(ids.newA)!, { source: "nam-truoc", q: "lms" });
    expect(lib.entries.map((e) => [e.evidenceId, e.here])).toEqual([[ev.lms, []]]);
  });
});
