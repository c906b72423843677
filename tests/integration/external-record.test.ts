/**
 * The external assessment record (biên bản đánh giá ngoài) on a real SQLite file: its data
 * (buildExternalRecordData: the engine's points and levels of both phases, the reasons, the team),
 * the PDF's text read back with pdftotext (poppler-utils) and its words inside the margins, and
 * the route /danh-gia/:id/bien-ban.pdf: 200 for approved (marked "DỰ THẢO"), assessed and
 * recognised, 409 for the other states, 403 for the school before the finish and for another
 * province, 304 on If-None-Match.
 */
import { spawnSync } from "node:child_process";
import { beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { LEVEL2_ANSWERS } from "../helpers/answers";
import { useTestDatabase } from "../helpers/db";
import { browserAs, run } from "../helpers/http";
import { getDb } from "~/server/db/client.server";
import { assessments } from "~/server/db/schema.server";
import { createSchool, createUnit, createUser } from "~/server/services/org.server";
import { openCycle } from "~/server/services/cycles.server";
import { getAssessment, saveAnswers, submitAssessment, type AnswerChange } from "~/server/services/assessments.server";
import { approve, bothPhases, finishExternal, setTeam } from "~/server/services/review.server";
import { buildExternalRecordData } from "~/server/services/external-record.server";
import { externalRecordFileNames, renderExternalRecordToBuffer } from "~/server/pdf/external-record.server";
import { MARGINS } from "~/server/pdf/nd30.server";
import { formatPoints } from "~/domain/scoring";
import * as pdfRoute from "~/routes/danh-gia.$id.bien-ban[.]pdf";

useTestDatabase("external-record");

const PASSWORD = "mat-khau-kiem-thu-123";
const SCHOOL_NAME = "Trường THCS Nguyễn Văn Trỗi";
const HEAD_NAME = "Nguyễn Thị Thuý Hồng";
const LEADER = "Lê Thị Phương Thảo";
const REASON_11 = "Chưa có quyết định thành lập Ban chỉ đạo chuyển đổi số của nhà trường";
const REASON_14 = "Tỷ lệ giáo viên dùng hồ sơ điện tử thực tế thấp hơn báo cáo";
const CONCLUSION = "Nhà trường cần ban hành quyết định thành lập Ban chỉ đạo chuyển đổi số trong học kỳ II.";
const hasPdftotext = spawnSync("pdftotext", ["-v"]).error === undefined;

/** The school's answers: Mức 2 in both groups (no LMS items, no info block). */
const SELF = LEVEL2_ANSWERS;

const ids: Record<string, number> = {};
const u: Record<string, number> = {};

const idOf = (schoolId: number) => getDb().select().from(assessments).where(eq(assessments.schoolId, schoolId)).get()!.id;
const version = (id: number) => getAssessment(id)!.version;
const values = (m: Record<string, AnswerChange["value"]>) => Object.fromEntries(Object.entries(m).map(([k, value]) => [k, { value }]));

function pdftotext(pdf: Buffer, args: string[] = []): string {
  const r = spawnSync("pdftotext", [...args, "-enc", "UTF-8", "-", "-"], { input: pdf, maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`pdftotext failed: ${r.stderr?.toString()}`);
  return r.stdout.toString("utf8");
}
const flat = (s: string) => s.replace(/\s+/g, " ");
const count = (hay: string, needle: string) => hay.split(needle).length - 1;

function submitted(schoolId: number, head: number): number {
  const id = idOf(schoolId);
  expect(saveAnswers(id, { baseVersion: version(id), changes: values(SELF) }, head)).toMatchObject({ ok: true });
  expect(submitAssessment(id, head)).toMatchObject({ ok: true });
  return id;
}

beforeAll(async () => {
  const province = createUnit({ kind: "province", code: "S38", name: "Sở Giáo dục và Đào tạo tỉnh Thanh Hóa", parentId: null }, null);
  const district = createUnit({ kind: "district", code: "P3801", name: "Phòng Giáo dục và Đào tạo thành phố Đông Sơn", parentId: province }, null);
  const other = createUnit({ kind: "province", code: "S40", name: "Sở Giáo dục và Đào tạo tỉnh Nghệ An", parentId: null }, null);
  const mk = (code: string, name: string) => createSchool({ code, name, type: "THCS", managingUnitId: district, reviewingUnitId: district }, null);
  const schools = { a: mk("38101234", SCHOOL_NAME), b: mk("38105678", "Trường THCS Đông Hương"), c: mk("38109999", "Trường THCS Lê Lợi"), d: mk("38100001", "Trường THCS Quảng Thắng") };
  const user = (username: string, displayName: string, roles: Parameters<typeof createUser>[0]["roles"], where: { unitId?: number; schoolId?: number }) =>
    createUser({ username, displayName, password: PASSWORD, roles, ...where }, null);
  u.reviewer = await user("rev.dongson", "Trần Văn Kiểm", ["office_reviewer", "office_admin"], { unitId: district });
  u.other = await user("admin.nghean", "Quản trị Nghệ An", ["office_admin", "office_reviewer"], { unitId: other });
  u.headA = await user("head.a", HEAD_NAME, ["school_head"], { schoolId: schools.a });
  u.headB = await user("head.b", "Trần Văn Bình", ["school_head"], { schoolId: schools.b });
  u.headC = await user("head.c", "Phạm Thị Lan", ["school_head"], { schoolId: schools.c });
  u.headD = await user("head.d", "Hoàng Văn Khánh", ["school_head"], { schoolId: schools.d });

  expect(openCycle({ ownerUnitId: district, schoolYear: "2025-2026", editionId: "qd-4725-2022", selfAssessmentDeadline: "2099-05-31", reviewDeadline: "2099-06-20" }, u.reviewer)).toMatchObject({
    ok: true,
    created: 4,
  });

  // A: approved, two items changed with their reasons, the team set (finished in a test below).
  ids.a = submitted(schools.a, u.headA);
  expect(approve(ids.a, u.reviewer)).toMatchObject({ ok: true, status: "approved" });
  const ext = saveAnswers(
    ids.a,
    {
      baseVersion: version(ids.a),
      phase: "external",
      changes: { "1.1": { value: false, note: REASON_11 }, "1.4": { value: { numerator: 1, denominator: 2 }, note: REASON_14 }, "2.3.1": { value: true, note: "Đã kiểm tra quy chế" } },
    },
    u.reviewer,
  );
  expect(ext).toMatchObject({ ok: true });
  expect(
    setTeam(
      ids.a,
      {
        date: "2026-11-20",
        number: "05/BB-PGDĐT",
        conclusion: CONCLUSION,
        members: [
          { name: "Đỗ Minh Khoa", title: "Chuyên viên Phòng GD&ĐT", role: "thu_ky" },
          { name: "Vũ Quốc Hưng", title: "Hiệu trưởng Trường THCS Đông Hương", role: "thanh_vien" },
          { name: LEADER, title: "Phó Trưởng phòng GD&ĐT", role: "truong_doan" },
        ],
      },
      u.reviewer,
    ),
  ).toMatchObject({ ok: true });

  // B: approved, no team yet. C: draft. D: submitted.
  ids.b = submitted(schools.b, u.headB);
  expect(approve(ids.b, u.reviewer)).toMatchObject({ ok: true });
  ids.c = idOf(schools.c);
  ids.d = submitted(schools.d, u.headD);
}, 120_000);

// ───────────────────────────── data ─────────────────────────────

describe("buildExternalRecordData", () => {
  it("copies the engine's points and levels of both phases, the changes with their reasons and the team", () => {
    const d = buildExternalRecordData(ids.a, Date.UTC(2026, 11, 3, 3))!;
    const both = bothPhases(getAssessment(ids.a)!);
    expect(d).toMatchObject({
      status: "approved",
      draft: true,
      school: { name: SCHOOL_NAME, code: "38101234", type: "THCS" },
      managingUnitName: "Phòng Giáo dục và Đào tạo thành phố Đông Sơn",
      reviewingUnitName: "Phòng Giáo dục và Đào tạo thành phố Đông Sơn",
      reviewingParentName: "Sở Giáo dục và Đào tạo tỉnh Thanh Hóa",
      placeName: "Thanh Hóa",
      schoolYear: "2025-2026",
      documentNumber: "05/BB-PGDĐT",
      recordDate: Date.parse("2026-11-20T12:00:00+07:00"),
      teamDate: Date.parse("2026-11-20T12:00:00+07:00"),
      conclusion: CONCLUSION,
      headName: HEAD_NAME,
      changedCount: 2,
    });
    // The leader first, then the member, then the secretary.
    expect(d.members.map((m) => [m.name, m.role])).toEqual([
      [LEADER, "truong_doan"],
      ["Vũ Quốc Hưng", "thanh_vien"],
      ["Đỗ Minh Khoa", "thu_ky"],
    ]);
    // Levels: the engine's (self Mức 2; external Mức 1, 1.1 unmet).
    expect([d.self.level, d.external.level]).toEqual([both.selfResult.level, both.externalResult.level]);
    expect([d.self.level, d.external.level]).toEqual([2, 1]);
    expect(d.groups.map((g) => [g.code, g.self.points, g.self.level, g.external.points, g.external.level])).toEqual(
      both.selfResult.groups.map((g, i) => [g.code, g.points, g.level, both.externalResult.groups[i].points, both.externalResult.groups[i].level]),
    );
    expect(d.groups[0].external.mandatoryUnmet).toEqual(["1.1"]);
    const items = new Map(d.groups.flatMap((g) => g.indicators.flatMap((i) => i.items)).map((it) => [it.code, it]));
    expect(items.get("1.1")).toMatchObject({ changed: true, reason: REASON_11, self: { met: true }, external: { met: false } });
    const e14 = both.externalResult.items.find((i) => i.code === "1.4")!;
    expect(items.get("1.4")).toMatchObject({ changed: true, reason: REASON_14, external: { answered: true, points: e14.points } });
    expect(items.get("1.4")!.self.points).toBe(both.selfResult.items.find((i) => i.code === "1.4")!.points);
    // The same value with a note: not a change, no reason printed.
    expect(items.get("2.3.1")).toMatchObject({ changed: false, reason: null });
    // Deterministic for the same data (the JSON is the cache key).
    expect(JSON.stringify(buildExternalRecordData(ids.a, Date.UTC(2026, 11, 3, 3)))).toBe(JSON.stringify(d));
    // Without the team's date: the day it is made.
    expect(buildExternalRecordData(ids.b, Date.UTC(2026, 11, 3, 3))).toMatchObject({ teamDate: null, recordDate: Date.parse("2026-12-03T12:00:00+07:00"), members: [], documentNumber: null, changedCount: 0 });
    expect(buildExternalRecordData(987654)).toBeNull();
  });

  it("names the file bien-ban-<code>-<year>.pdf", () => {
    expect(externalRecordFileNames("38101234", "2025-2026")).toEqual({ ascii: "bien-ban-38101234-2025-2026.pdf", utf8: "biên-bản-38101234-2025-2026.pdf" });
    expect(externalRecordFileNames('Đ"x y/z', "2025-2026").ascii).toBe("bien-ban-D-x-y-z-2025-2026.pdf");
  });
});

// ───────────────────────────── the PDF ─────────────────────────────

describe.skipIf(!hasPdftotext)(`the PDF${hasPdftotext ? "" : " (SKIPPED: pdftotext not found; apt-get install -y poppler-utils)"}`, () => {
  it("holds the heading, the title, the team, the school, the changed items with their reasons, both levels, the conclusion and the signatures; every page marked DỰ THẢO while approved", async () => {
    const d = buildExternalRecordData(ids.a, Date.UTC(2026, 11, 3, 3))!;
    const pdf = await renderExternalRecordToBuffer(d);
    expect(pdf.subarray(0, 5).toString("latin1")).toBe("%PDF-");
    const text = pdftotext(pdf);
    const t = flat(text);
    for (const s of [
      "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
      "Độc lập - Tự do - Hạnh phúc",
      "SỞ GD&ĐT TỈNH THANH HÓA",
      "Số: 05/BB-PGDĐT",
      "Thanh Hóa, ngày 20 tháng 11 năm 2026",
      "BIÊN BẢN",
      "Đánh giá ngoài mức độ chuyển đổi số của cơ sở giáo dục năm học 2025-2026",
      "Hôm nay, ngày 20 tháng 11 năm 2026",
      "Đoàn đánh giá gồm:",
      `1. ${LEADER}, Phó Trưởng phòng GD&ĐT — Trưởng đoàn;`,
      "3. Đỗ Minh Khoa, Chuyên viên Phòng GD&ĐT — Thư ký;",
      `- Tên cơ sở giáo dục: ${SCHOOL_NAME};`,
      "- Mã cơ sở giáo dục: 38101234;",
      "- Loại hình: THCS;",
      `- Đại diện cơ sở giáo dục: ${HEAD_NAME}, Hiệu trưởng.`,
      "Lý do điều chỉnh",
      REASON_11,
      REASON_14,
      "Có 2 tiêu chí có kết quả đánh giá ngoài khác kết quả tự đánh giá.",
      "Mức của cơ sở giáo dục",
      "- Kết quả tự đánh giá của cơ sở giáo dục: Mức 2 – Mức đáp ứng cơ bản.",
      "- Kết quả đánh giá ngoài của đoàn: Mức 1 – Mức chưa đáp ứng.",
      "(Chưa đạt điều kiện bắt buộc 1.1)",
      CONCLUSION,
      "ĐẠI DIỆN CƠ SỞ GIÁO DỤC",
      "THƯ KÝ",
      "TRƯỞNG ĐOÀN",
      "Điểm tối đa",
      "Đỗ Minh Khoa",
      LEADER,
      HEAD_NAME,
    ])
      expect(t, s).toContain(s);
    expect(t).toMatch(/PHÒNG GIÁO DỤC VÀ ĐÀO TẠO\s+THÀNH PHỐ ĐÔNG SƠN/);
    // The changed items' codes and the engine's points of 1.4 in both phases.
    const items = new Map(d.groups.flatMap((g) => g.indicators.flatMap((i) => i.items)).map((it) => [it.code, it]));
    expect(t).toMatch(new RegExp(`1\\.4 .*${formatPoints(items.get("1.4")!.max).replace(",", "\\,")} ${formatPoints(items.get("1.4")!.self.points).replace(",", "\\,")} ${formatPoints(items.get("1.4")!.external.points).replace(",", "\\,")}`));
    expect(t).toContain("1.1");
    // An unchanged item's note is not printed as a reason.
    expect(t).not.toContain("Đã kiểm tra quy chế");

    const pages = text.split("\f").filter((p, i, all) => i < all.length - 1 || p.trim() !== "");
    expect(pages.length).toBeGreaterThanOrEqual(2);
    pages.forEach((p, i) => expect(p, `page ${i + 1}`).toContain("DỰ THẢO"));
    pages.slice(1).forEach((p, i) => expect(flat(p)).toMatch(new RegExp(`(^| )${i + 2}( |$)`)));
    // The item table's header on each page it runs over.
    const first = pages.findIndex((p) => p.includes("Nhóm 1. Chuyển đổi số trong dạy, học"));
    const last = pages.findIndex((p) => p.includes("Cộng nhóm 2"));
    expect(last).toBeGreaterThan(first);
    for (const p of pages.slice(first, last + 1)) expect(p).toContain("Lý do điều chỉnh");
    expect(text).toBe(text.normalize("NFC"));

    // Every word inside the text area (the mark and page numbers in the top margin, from 10 mm).
    const mm = 72 / 25.4;
    let words = 0;
    for (const m of pdftotext(pdf, ["-bbox"]).matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g)) {
      const [xMin, yMin, xMax, yMax] = [m[1], m[2], m[3], m[4]].map(Number);
      words++;
      expect(xMin, m[5]).toBeGreaterThanOrEqual(MARGINS.left - 0.5);
      expect(xMax, m[5]).toBeLessThanOrEqual(595.28 - MARGINS.right + 0.5);
      expect(yMin, m[5]).toBeGreaterThanOrEqual(10 * mm - 1);
      expect(yMax, m[5]).toBeLessThanOrEqual(841.89 - MARGINS.bottom + 0.5);
    }
    expect(words).toBeGreaterThan(500);
  });

  it("prints blanks for the number, the date and the team when the team is not set", async () => {
    const t = flat(pdftotext(await renderExternalRecordToBuffer(buildExternalRecordData(ids.b, Date.UTC(2026, 11, 3, 3))!)));
    expect(t).toMatch(/Số: .{0,80}\/BB-……/);
    expect(t).toContain("Thanh Hóa, ngày 03 tháng 12 năm 2026");
    expect(t).toContain("Hôm nay, ngày …… tháng …… năm ……");
    expect(t).toContain("Đoàn đánh giá gồm: ……");
    expect(t).toContain("Không có tiêu chí nào có kết quả đánh giá ngoài khác kết quả tự đánh giá.");
    expect(t).toContain("DỰ THẢO");
  });
});

// ───────────────────────────── the route ─────────────────────────────

const url = (id: number) => `/danh-gia/${id}/bien-ban.pdf`;
const params = (id: number) => ({ id: String(id) });

async function get(username: string, id: number, headers: Record<string, string> = {}) {
  const br = await browserAs(username);
  const req = new Request(`http://localhost${url(id)}`, { headers: { Cookie: br.cookie, ...headers } });
  return run(pdfRoute.loader as never, req, params(id));
}

describe("the route /danh-gia/:id/bien-ban.pdf", () => {
  it("answers 409 with a Vietnamese message for a draft or a submitted file", async () => {
    for (const id of [ids.c, ids.d]) {
      const r = await get("rev.dongson", id);
      expect(r.status).toBe(409);
      expect((await r.json()).error).toBe("Hồ sơ chưa được duyệt để đánh giá ngoài: chưa có biên bản đánh giá ngoài.");
    }
  });

  it("refuses another province's office (403) and the school before the finish (403)", async () => {
    for (const id of [ids.a, ids.c]) expect((await get("admin.nghean", id)).status, String(id)).toBe(403);
    const r = await get("head.a", ids.a);
    expect(r.status).toBe(403);
    expect((await r.json()).error).toBe("Bạn không có quyền xem biên bản đánh giá ngoài của hồ sơ này.");
    // Another school's head, whatever the state.
    expect((await get("head.b", ids.a)).status).toBe(403);
  });

  it("answers 400 to a bad id, 404 to an unknown one, and sends the anonymous to the login page", async () => {
    expect((await run(pdfRoute.loader as never, (await browserAs("rev.dongson")).get("/danh-gia/abc/bien-ban.pdf"), { id: "abc" })).status).toBe(400);
    expect((await get("rev.dongson", 999999)).status).toBe(404);
    const anon = await browserAs();
    const r = await run(pdfRoute.loader as never, anon.get(url(ids.a)), params(ids.a));
    expect(r.status).toBe(302);
    expect(r.headers.get("Location")).toMatch(/^\/login\?redirectTo=/);
  });

  it("serves the approved file to its office as a draft (DỰ THẢO)", async () => {
    const r = await get("rev.dongson", ids.a);
    expect(r.status).toBe(200);
    expect(r.headers.get("Content-Type")).toBe("application/pdf");
    const body = Buffer.from(await r.arrayBuffer());
    expect(body.subarray(0, 5).toString("latin1")).toBe("%PDF-");
    if (hasPdftotext) {
      const t = flat(pdftotext(body));
      expect(t).toContain("DỰ THẢO");
      expect(t).toContain("BIÊN BẢN");
    }
  });

  it("serves the assessed file to the office and the school: 200 application/pdf, no draft mark, both levels; 304 on If-None-Match", async () => {
    expect(finishExternal(ids.a, u.reviewer)).toMatchObject({ ok: true, status: "assessed", level: 1 });
    for (const username of ["rev.dongson", "head.a"]) {
      const r = await get(username, ids.a);
      expect(r.status, username).toBe(200);
      expect(r.headers.get("Content-Type")).toBe("application/pdf");
      expect(r.headers.get("Cache-Control")).toBe("private, no-cache");
      const cd = r.headers.get("Content-Disposition")!;
      expect(cd).toContain('attachment; filename="bien-ban-38101234-2025-2026.pdf"');
      expect(cd).toContain(`filename*=UTF-8''${encodeURIComponent("biên-bản-38101234-2025-2026.pdf")}`);
      const etag = r.headers.get("ETag")!;
      expect(etag).toMatch(/^"[0-9a-f]{64}"$/);
      const body = Buffer.from(await r.arrayBuffer());
      expect(body.subarray(0, 5).toString("latin1")).toBe("%PDF-");
      expect(Number(r.headers.get("Content-Length"))).toBe(body.length);
      if (hasPdftotext) {
        const t = flat(pdftotext(body));
        for (const s of [
          SCHOOL_NAME,
          "BIÊN BẢN",
          "1.1",
          REASON_11,
          "1.4",
          REASON_14,
          "Kết quả tự đánh giá của cơ sở giáo dục: Mức 2 – Mức đáp ứng cơ bản.",
          "Kết quả đánh giá ngoài của đoàn: Mức 1 – Mức chưa đáp ứng.",
        ])
          expect(t, s).toContain(s);
        expect(t).not.toContain("DỰ THẢO");
      }
      const again = await get(username, ids.a, { "If-None-Match": etag });
      expect(again.status).toBe(304);
      expect(again.headers.get("ETag")).toBe(etag);
      expect((await again.arrayBuffer()).byteLength).toBe(0);
    }
    // Another province still refused once assessed.
    expect((await get("admin.nghean", ids.a)).status).toBe(403);
    // A stale ETag (the draft's) gets the new file, not a 304.
    const fresh = await get("rev.dongson", ids.a, { "If-None-Match": '"' + "0".repeat(64) + '"' });
    expect(fresh.status).toBe(200);
  });

  it("serves a recognised file", async () => {
    getDb().update(assessments).set({ status: "recognised" }).where(eq(assessments.id, ids.a)).run();
    try {
      const r = await get("head.a", ids.a);
      expect(r.status).toBe(200);
      expect(r.headers.get("Content-Type")).toBe("application/pdf");
    } finally {
      getDb().update(assessments).set({ status: "assessed" }).where(eq(assessments.id, ids.a)).run();
    }
  });
});
