/**
 * The self-assessment report (Phụ lục 2 of seed 002): data assembled from a real SQLite file,
 * the PDF's text read back with pdftotext (poppler-utils), page breaks of long tables, and the
 * two routes (page with the free-text sections, PDF download) with their authorization.
 */
import { spawnSync } from "node:child_process";
import { beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { useTestDatabase } from "../helpers/db";
import { browserAs, run } from "../helpers/http";
import { getDb } from "~/server/db/client.server";
import { assessments, evidence, evidenceLinks } from "~/server/db/schema.server";
import { createSchool, createUnit, createUser } from "~/server/services/org.server";
import { openCycle } from "~/server/services/cycles.server";
import { assessmentsOfSchool, editionOf, getAssessment, saveAnswers, saveReportText, type AnswerChange } from "~/server/services/assessments.server";
import { buildReportData, placeFromProvince } from "~/server/services/report.server";
import { contentDisposition, MARGINS, ndDateParts, renderSelfAssessmentReportToBuffer, reportFileNames } from "~/server/pdf/self-assessment-report.server";
import * as pageRoute from "~/routes/danh-gia.$id.bao-cao";
import * as pdfRoute from "~/routes/danh-gia.$id.bao-cao[.]pdf";

useTestDatabase("report");

const PASSWORD = "mat-khau-kiem-thu-123";
const SCHOOL_NAME = "Trường THCS Nguyễn Văn Trỗi";
const HEAD_NAME = "Nguyễn Thị Thuý Hồng";
const LEADERSHIP = "Nhà trường đã ban hành Kế hoạch chuyển đổi số số 15/KH-THCS ngày 05/9/2025 và phân công nhiệm vụ cho từng tổ chuyên môn.";
const DIFFICULTIES = "Đường truyền Internet chưa ổn định; thiết bị phòng Tin học đã xuống cấp.";

const hasPdftotext = spawnSync("pdftotext", ["-v"]).error === undefined;

let ids: { a: number; b: number; full: number; locked: number; schoolA: number };

/**
 * Answers of school A, with the points the rules of edition qd-4725-2022 give them:
 *
 * Group 1 (max 100)
 *   1.1, 1.2 mandatory: met
 *   1.3: 1.3.1 met 6 + 1.3.2 met 6 + 1.3.3 not 0 + 1.3.4 met 6 + 1.3.5 not 0      = 18
 *   1.4: ratio 10 × 7/10                                                            = 7
 *   1.5: 1.5.1 ratio 15 × 2/3 = 10; 1.5.2 not 0                                     = 10
 *   1.6: 1.6.1 7 × 1/2 = 3,5; 1.6.2 7 × 1/3 = 2,333… → 2,33; 1.6.3 6 × 3/4 = 4,5  = 10,33
 *   1.7: 1.7.1 8 × 5/8 = 5; 1.7.2 "co-ban" 5; 1.7.3 not 0                          = 10
 *   total 18 + 7 + 10 + 10,33 + 10 = 55,33 → 50 ≤ 55,33 ≤ 75: Mức 2 – Mức đáp ứng cơ bản
 * Group 2 (max 100)
 *   2.1 mandatory met; 2.2 mandatory NOT met
 *   2.3: 6 + 6 + 10 + 10 + 6 + 10 + 10 (2.3.1–2.3.7 met) + 0 + 0                    = 58
 *   2.4: 2.4.1 met 8; 2.4.2 not 0; 2.4.3 10 × 1/3 = 3,333… → 3,33                   = 11,33
 *   total 69,33 → Mức 2 by points, capped to Mức 1 – Mức chưa đáp ứng (2.2 unmet)
 * Institution: lowest group level = Mức 1 – Mức chưa đáp ứng.
 */
const ANSWERS_A: Record<string, AnswerChange> = {
  "1.1": { value: true },
  "1.2": { value: true },
  "1.3.1": { value: true },
  "1.3.2": { value: true },
  "1.3.3": { value: false },
  "1.3.4": { value: true },
  "1.3.5": { value: false },
  "1.3.lms": { value: { name: "LMS của Sở", acquisition: "thue" } },
  "1.4": { value: { numerator: 7, denominator: 10 } },
  "1.5.1": { value: { numerator: 2, denominator: 3 } },
  "1.5.2": { value: false },
  "1.6.1": { value: { numerator: 1, denominator: 2 } },
  "1.6.2": { value: { numerator: 1, denominator: 3 } },
  "1.6.3": { value: { numerator: 3, denominator: 4 } },
  "1.7.1": { value: { numerator: 5, denominator: 8 } },
  "1.7.2": { value: "co-ban" },
  "1.7.3": { value: false },
  "2.1": { value: true },
  "2.2": { value: false },
  "2.3.1": { value: true },
  "2.3.2": { value: true },
  "2.3.3": { value: true },
  "2.3.4": { value: true },
  "2.3.5": { value: true },
  "2.3.6": { value: true },
  "2.3.7": { value: true },
  "2.3.8": { value: false },
  "2.3.9": { value: false },
  "2.4.1": { value: true },
  "2.4.2": { value: false },
  "2.4.3": { value: { numerator: 1, denominator: 3 } },
};

function addEvidence(assessmentId: number, schoolId: number, rows: { code: string; item: string; title: string; url?: string; file?: string }[]) {
  const db = getDb();
  for (const r of rows) {
    const ev = db
      .insert(evidence)
      .values({ schoolId, kind: r.url ? "link" : "file", title: r.title, fileName: r.file ?? null, url: r.url ?? null })
      .returning({ id: evidence.id })
      .get();
    db.insert(evidenceLinks).values({ assessmentId, itemCode: r.item, evidenceId: ev.id, code: r.code }).run();
  }
}

beforeAll(async () => {
  const province = createUnit({ kind: "province", code: "S38", name: "Sở Giáo dục và Đào tạo tỉnh Thanh Hóa", parentId: null }, null);
  const district = createUnit({ kind: "district", code: "P3801", name: "Phòng Giáo dục và Đào tạo thành phố Đông Sơn", parentId: province }, null);
  const mk = (code: string, name: string) => createSchool({ code, name, type: "THCS", managingUnitId: district, reviewingUnitId: district }, null);
  const schoolA = mk("38101234", SCHOOL_NAME);
  const schoolB = mk("38105678", "Trường THCS Đông Hương");
  const schoolFull = mk("38109999", "Trường THCS Lê Lợi");
  const schoolLocked = mk("38100001", "Trường THCS Quảng Thắng");
  const admin = await createUser({ username: "admin.dongson", displayName: "Quản trị Đông Sơn", password: PASSWORD, roles: ["office_admin"], unitId: district }, null);
  const headA = await createUser({ username: "head.a", displayName: HEAD_NAME, password: PASSWORD, roles: ["school_head"], schoolId: schoolA }, null);
  await createUser({ username: "staff.a", displayName: "Lê Văn Tâm", password: PASSWORD, roles: ["school_staff"], schoolId: schoolA }, null);
  await createUser({ username: "head.b", displayName: "Trần Văn Bình", password: PASSWORD, roles: ["school_head"], schoolId: schoolB }, null);
  const headFull = await createUser({ username: "head.full", displayName: "Phạm Thị Lan", password: PASSWORD, roles: ["school_head"], schoolId: schoolFull }, null);
  await createUser({ username: "head.locked", displayName: "Hoàng Văn Khánh", password: PASSWORD, roles: ["school_head"], schoolId: schoolLocked }, null);

  const opened = openCycle({ ownerUnitId: district, schoolYear: "2025-2026", editionId: "qd-4725-2022", selfAssessmentDeadline: "2099-05-31", reviewDeadline: "2099-06-20" }, admin);
  expect(opened).toMatchObject({ ok: true, created: 4 });
  const idOf = (s: number) => assessmentsOfSchool(s)[0].id;
  ids = { a: idOf(schoolA), b: idOf(schoolB), full: idOf(schoolFull), locked: idOf(schoolLocked), schoolA };

  // School A: the answers above, some text, three evidence links.
  const saved = saveAnswers(ids.a, { baseVersion: getAssessment(ids.a)!.version, changes: ANSWERS_A }, headA);
  expect(saved.ok).toBe(true);
  expect(saveReportText(ids.a, { leadership: LEADERSHIP, difficulties: DIFFICULTIES }, headA)).toMatchObject({ ok: true, saved: ["leadership", "difficulties"] });
  addEvidence(ids.a, schoolA, [
    { code: "MC-1.3-01", item: "1.3.2", title: "Quyết định triển khai hệ thống LMS", file: "quyet-dinh-lms.pdf" },
    { code: "MC-1.3-02", item: "1.3.2", title: "Ảnh chụp màn hình giao bài trên LMS", url: "https://lms.example.edu.vn/lop-9a" },
    { code: "MC-2.3-01", item: "2.3.3", title: "Sổ điểm điện tử học kỳ I", file: "so-diem.xlsx" },
  ]);

  // The full school: every item answered, long texts, 60 evidence entries with long titles.
  const full = getAssessment(ids.full)!;
  const edition = editionOf(full);
  const items = edition.groups.flatMap((g) => g.indicators.flatMap((ind) => ind.items.map((it) => ({ it, ind: ind.code }))));
  const changes: Record<string, AnswerChange> = { "1.3.lms": { value: { name: "LMS", acquisition: "mua" } } };
  for (const { it } of items) {
    if (it.rule === "mandatory" || it.rule === "boolean") changes[it.code] = { value: true };
    else if (it.rule === "ratio") changes[it.code] = { value: { numerator: 4, denominator: 5 } };
    else changes[it.code] = { value: it.options[it.options.length - 1].id };
  }
  expect(saveAnswers(ids.full, { baseVersion: full.version, changes }, headFull).ok).toBe(true);
  const para = "Nhà trường tổ chức rà soát hạ tầng, thiết bị, phần mềm và năng lực số của đội ngũ; kết quả được tổng hợp theo từng chỉ số của bộ chỉ số.";
  expect(saveReportText(ids.full, { leadership: Array(8).fill(para).join("\n"), process: Array(10).fill(para).join("\n"), results: para }, headFull)).toMatchObject({ ok: true, saved: ["leadership", "process", "results"] });
  const perInd = new Map<string, number>();
  addEvidence(
    ids.full,
    schoolFull,
    Array.from({ length: 60 }, (_, k) => {
      const { it, ind } = items[k % items.length];
      const n = (perInd.get(ind) ?? 0) + 1;
      perInd.set(ind, n);
      const long = k % 5 === 0 ? " gồm biên bản họp, danh sách tham dự, ảnh chụp hoạt động và báo cáo tổng hợp kết quả thực hiện trong năm học" : "";
      return {
        code: `MC-${ind}-${String(n).padStart(2, "0")}`,
        item: it.code,
        title: `Tài liệu ${k + 1}/60${long}`,
        ...(k % 3 === 0 ? { url: `https://truong.example.edu.vn/tai-lieu/chuyen-doi-so/2025-2026/tai-lieu-so-${k + 1}?tai-ve=1` } : { file: `tai-lieu-${k + 1}.pdf` }),
      };
    }),
  );

  // A submitted assessment: the report is read-only.
  getDb().update(assessments).set({ status: "submitted", submittedAt: new Date(Date.UTC(2026, 0, 4, 3)) }).where(eq(assessments.id, ids.locked)).run();
}, 120_000);

// ───────────────────────────── helpers ─────────────────────────────

function pdftotext(pdf: Buffer, args: string[] = []): string {
  const r = spawnSync("pdftotext", [...args, "-", "-"], { input: pdf, maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`pdftotext failed: ${r.stderr?.toString()}`);
  return r.stdout.toString("utf8");
}

const flat = (s: string) => s.replace(/\s+/g, " ");
const count = (hay: string, needle: string) => hay.split(needle).length - 1;

async function pdfOf(assessmentId: number): Promise<Buffer> {
  return renderSelfAssessmentReportToBuffer(buildReportData(assessmentId, Date.UTC(2026, 10, 23, 3))!);
}

// ───────────────────────────── data ─────────────────────────────

describe("buildReportData", () => {
  it("assembles the school, units, place, text, score, evidence and head", () => {
    const d = buildReportData(ids.a, Date.UTC(2026, 10, 23, 3))!;
    expect(d.school).toEqual({ name: SCHOOL_NAME, code: "38101234", type: "THCS" });
    expect(d.managingUnitName).toBe("Phòng Giáo dục và Đào tạo thành phố Đông Sơn");
    expect(d.provinceName).toBe("Sở Giáo dục và Đào tạo tỉnh Thanh Hóa");
    expect(d.placeName).toBe("Thanh Hóa");
    expect(d.schoolYear).toBe("2025-2026");
    expect(d.headName).toBe(HEAD_NAME);
    expect(d.reportText).toEqual({ leadership: LEADERSHIP, difficulties: DIFFICULTIES });
    expect(d.evidence.map((e) => [e.links.map((l) => l.code).join(" "), e.links.map((l) => l.itemCode).join(" "), e.kind])).toEqual([
      ["MC-1.3-01", "1.3.2", "file"],
      ["MC-1.3-02", "1.3.2", "link"],
      ["MC-2.3-01", "2.3.3", "file"],
    ]);
    // The engine's numbers are the ones worked out by hand above (hundredths).
    const g = Object.fromEntries(d.score.groups.map((x) => [x.code, x]));
    expect([g["1"].points, g["1"].level, g["1"].pointsLevel]).toEqual([5533, 2, 2]);
    expect([g["2"].points, g["2"].level, g["2"].pointsLevel, g["2"].mandatoryUnmet]).toEqual([6933, 1, 2, ["2.2"]]);
    const ind = Object.fromEntries(d.score.indicators.map((x) => [x.code, x.points]));
    expect([ind["1.3"], ind["1.4"], ind["1.5"], ind["1.6"], ind["1.7"], ind["2.3"], ind["2.4"]]).toEqual([1800, 700, 1000, 1033, 1000, 5800, 1133]);
    expect([d.score.level, d.score.mandatoryUnmet]).toEqual([1, ["2.2"]]);
    expect(d.reportDate).toBe(Date.UTC(2026, 10, 23, 3)); // not submitted: the day it is made
    expect(buildReportData(ids.locked)!.reportDate).toBe(Date.UTC(2026, 0, 4, 3)); // submitted: that day
    expect(buildReportData(987654)).toBeNull();
  });

  it("takes the place name from the province office", () => {
    expect(placeFromProvince("Sở Giáo dục và Đào tạo tỉnh Quảng Ninh")).toBe("Quảng Ninh");
    expect(placeFromProvince("Sở Giáo dục và Đào tạo thành phố Hà Nội")).toBe("Hà Nội");
    expect(placeFromProvince("Sở GD&ĐT tỉnh Nghệ An")).toBe("Nghệ An");
    expect(placeFromProvince("Sở A")).toBe("Sở A");
    expect(placeFromProvince("Sở Giáo dục và Đào tạo tỉnh ")).toBe("Sở Giáo dục và Đào tạo tỉnh");
  });

  it("writes dates as Nghị định 30 does and names the file safely", () => {
    expect(ndDateParts(Date.UTC(2026, 1, 3, 3))).toEqual({ day: "03", month: "02", year: "2026" });
    expect(ndDateParts(Date.UTC(2026, 10, 23, 3))).toEqual({ day: "23", month: "11", year: "2026" });
    expect(ndDateParts(Date.UTC(2026, 2, 31, 18))).toEqual({ day: "01", month: "4", year: "2026" }); // 01:00 on 1/4 in Hà Nội
    const names = reportFileNames("38101234", "2025-2026");
    expect(names.ascii).toBe("Bao-cao-tu-danh-gia-38101234-2025-2026.pdf");
    expect(contentDisposition(names)).toBe(
      `attachment; filename="Bao-cao-tu-danh-gia-38101234-2025-2026.pdf"; filename*=UTF-8''${encodeURIComponent("Báo-cáo-tự-đánh-giá-38101234-2025-2026.pdf")}`,
    );
    expect(reportFileNames('Đ"x y/z', "2025-2026").ascii).toBe("Bao-cao-tu-danh-gia-D-x-y-z-2025-2026.pdf");
  });
});

// ───────────────────────────── the PDF ─────────────────────────────

describe.skipIf(!hasPdftotext)(`the PDF${hasPdftotext ? "" : " (SKIPPED: pdftotext not found; apt-get install -y poppler-utils)"}`, () => {
  it("is a PDF whose text holds the heading, the sections, the engine's totals, the evidence and the signature", async () => {
    const pdf = await pdfOf(ids.a);
    expect(pdf.subarray(0, 5).toString("latin1")).toBe("%PDF-");
    const text = pdftotext(pdf);
    const t = flat(text);
    for (const s of [
      "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
      "Độc lập - Tự do - Hạnh phúc",
      "PHÒNG GD&ĐT",
      "THÀNH PHỐ ĐÔNG SƠN",
      "TRƯỜNG THCS NGUYỄN VĂN TRỖI",
      "Thanh Hóa, ngày 23 tháng 11 năm 2026",
      "BÁO CÁO",
      "Kết quả thực hiện đánh giá mức độ chuyển đổi số của cơ sở giáo dục năm học 2025-2026",
      SCHOOL_NAME,
      "I. Công tác lãnh đạo, chỉ đạo",
      "II. Kết quả thực hiện",
      "1. Quá trình thực hiện tại cơ sở giáo dục",
      "2. Kết quả mức độ chuyển đổi số của đơn vị",
      "III. Khó khăn, vướng mắc khi triển khai",
      "IV. Phương hướng nhiệm vụ trọng tâm năm học tiếp theo",
      "V. Đề xuất, kiến nghị",
      LEADERSHIP,
      DIFFICULTIES,
      // Group totals and levels, as worked out above.
      "Cộng nhóm 1: Mức 2 – Mức đáp ứng cơ bản",
      "Cộng nhóm 2: Mức 1 – Mức chưa đáp ứng",
      "Nhóm 1 (Chuyển đổi số trong dạy, học): 55,33/100 điểm, Mức 2 – Mức đáp ứng cơ bản.",
      "Nhóm 2 (Chuyển đổi số trong quản trị cơ sở giáo dục): 69,33/100 điểm, Mức 1 – Mức chưa đáp ứng.",
      "Kết quả tự đánh giá mức độ chuyển đổi số của nhà trường: Mức 1 – Mức chưa đáp ứng.",
      "Điều kiện bắt buộc chưa đạt:",
      "+ 2.2: Có kế hoạch ứng dụng CNTT, chuyển đổi số hằng năm",
      "Cách tính: 7 × 1/3 = 2,3333… → 2,33",
      "DANH MỤC MINH CHỨNG",
      "Quyết định triển khai hệ thống LMS",
      "HIỆU TRƯỞNG",
      "(Ký, ghi rõ họ tên và đóng dấu)",
      HEAD_NAME,
      "Nơi nhận:",
    ])
      expect(t, s).toContain(s);
    // Totals in the table and in the summary; indicator subtotals.
    expect(count(t, "55,33")).toBeGreaterThanOrEqual(2);
    expect(count(t, "69,33")).toBeGreaterThanOrEqual(2);
    for (const sub of ["10,33", "11,33", "18", "58"]) expect(t).toContain(sub);
    // Locations (a URL wraps after a "/", and pdftotext drops a hyphen at a line end).
    const squeeze = (x: string) => x.replace(/[\s-]/g, "");
    expect(squeeze(t)).toContain(squeeze("Liên kết: https://lms.example.edu.vn/lop-9a"));
    expect(t).toContain("Tệp: quyet-dinh-lms.pdf");
    // Evidence codes: in the score table and in the list.
    for (const code of ["MC-1.3-01", "MC-1.3-02", "MC-2.3-01"]) expect(count(t, code)).toBeGreaterThanOrEqual(2);
    // Empty sections print a dotted line.
    expect(text).toMatch(/\.{40,}/);
    // No decomposed marks: the text comes back in NFC.
    expect(text).toBe(text.normalize("NFC"));
  });

  it("carries the document metadata", async () => {
    const r = spawnSync("pdfinfo", ["-"], { input: await pdfOf(ids.a) });
    if (r.error) return; // pdfinfo ships with pdftotext; nothing to check without it
    const info = r.stdout.toString("utf8");
    expect(info).toMatch(/Title:\s+Báo cáo kết quả thực hiện đánh giá mức độ chuyển đổi số của cơ sở giáo dục năm học 2025-2026 — Trường THCS Nguyễn Văn Trỗi/);
    expect(info).toMatch(/Author:\s+Trường THCS Nguyễn Văn Trỗi/);
    expect(info).toMatch(/Page size:\s+595\.2\d? x 841\.8\d? pts \(A4\)/);
  });

  it("breaks long tables across pages cleanly: header repeated, rows whole, nothing outside the margins", async () => {
    const pdf = await pdfOf(ids.full);
    const pages = pdftotext(pdf).split("\f").filter((p, i, all) => i < all.length - 1 || p.trim() !== "");
    expect(pages.length).toBeGreaterThanOrEqual(5);

    // Page numbers: none on page 1, then 2, 3, … at the top.
    expect(pages[0].trimStart().split("\n")[0].trim()).not.toBe("1");
    pages.slice(1).forEach((p, i) => expect(p.trimStart().split("\n")[0].trim()).toBe(String(i + 2)));

    // Score table: from the page of its first row to the page of its last total, each has the header.
    const first = pages.findIndex((p) => p.includes("Nhóm 1. Chuyển đổi số trong dạy, học"));
    const last = pages.findIndex((p) => p.includes("Cộng nhóm 2"));
    expect(first).toBeGreaterThanOrEqual(0);
    expect(last).toBeGreaterThan(first);
    const scorePages = pages.slice(first, last + 1);
    expect(scorePages.length).toBeGreaterThanOrEqual(2);
    expect(scorePages.every((p) => p.includes("Nội dung"))).toBe(true);
    expect(count(scorePages.join(""), "Nội dung")).toBeGreaterThanOrEqual(scorePages.length);

    // Evidence list: from the annex to the end, at least 2 pages, each with the header.
    const annex = pages.findIndex((p) => p.includes("DANH MỤC MINH CHỨNG"));
    const evidencePages = pages.slice(annex);
    expect(evidencePages.length).toBeGreaterThanOrEqual(2);
    expect(count(evidencePages.join(""), "Tên minh chứng")).toBeGreaterThanOrEqual(evidencePages.length);
    expect(evidencePages.every((p) => p.includes("Tên minh chứng") && p.includes("Loại/đường dẫn"))).toBe(true);

    // Every row whole: each entry's title is intact on one page, with its code and its location.
    const data = buildReportData(ids.full)!;
    expect(data.evidence).toHaveLength(60);
    for (const e of data.evidence) {
      const code = e.links[0].code;
      const k = evidencePages.findIndex((p) => flat(p).includes(e.title));
      expect(k, `${code}: title whole on one page`).toBeGreaterThanOrEqual(0);
      const page = flat(evidencePages[k]);
      expect(page, code).toContain(code);
      const where = e.kind === "file" ? `Tệp: ${e.location}` : `Liên kết: ${e.location}`;
      // (pdftotext drops the hyphen where a long URL wraps after one, hence the comparison without them)
      const squeeze = (x: string) => x.replace(/[\s-]/g, "");
      expect(squeeze(page), `${code} location`).toContain(squeeze(where));
    }

    // Every word inside the text area (page numbers sit in the top margin, below 10 mm).
    const bbox = pdftotext(pdf, ["-bbox"]);
    const mm = 72 / 25.4;
    const pageW = 595.28;
    const pageH = 841.89;
    let words = 0;
    for (const m of bbox.matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g)) {
      const [xMin, yMin, xMax, yMax] = [m[1], m[2], m[3], m[4]].map(Number);
      words++;
      expect(xMin, m[5]).toBeGreaterThanOrEqual(MARGINS.left - 0.5);
      expect(xMax, m[5]).toBeLessThanOrEqual(pageW - MARGINS.right + 0.5);
      expect(yMin, m[5]).toBeGreaterThanOrEqual(10 * mm - 1);
      expect(yMax, m[5]).toBeLessThanOrEqual(pageH - MARGINS.bottom + 0.5);
    }
    expect(words).toBeGreaterThan(1000);
  });
});

// ───────────────────────────── routes ─────────────────────────────

describe("the report routes", () => {
  it("refuse another school's head with 403, on both routes and the action", async () => {
    const b = await browserAs("head.b");
    const params = { id: String(ids.a) };
    expect((await run(pageRoute.loader as never, b.get(`/danh-gia/${ids.a}/bao-cao`), params)).status).toBe(403);
    expect((await run(pdfRoute.loader as never, b.get(`/danh-gia/${ids.a}/bao-cao.pdf`), params)).status).toBe(403);
    const post = await run(pageRoute.action as never, b.post(`/danh-gia/${ids.a}/bao-cao`, { leadership: "x" }), params);
    expect(post.status).toBe(403);
    expect(getAssessment(ids.a)!.reportText?.leadership).toBe(LEADERSHIP);
  });

  it("answer 400 to a non-numeric id and 404 to an unknown one", async () => {
    const a = await browserAs("head.a");
    for (const id of ["abc", "1e3", "-1", "0", "12abc"]) {
      expect((await run(pageRoute.loader as never, a.get(`/danh-gia/${id}/bao-cao`), { id })).status, id).toBe(400);
      expect((await run(pdfRoute.loader as never, a.get(`/danh-gia/${id}/bao-cao.pdf`), { id })).status, id).toBe(400);
    }
    expect((await run(pdfRoute.loader as never, a.get(`/danh-gia/999999/bao-cao.pdf`), { id: "999999" })).status).toBe(404);
  });

  it("send the signed-in user to the login page", async () => {
    const anon = await browserAs();
    const r = await run(pdfRoute.loader as never, anon.get(`/danh-gia/${ids.a}/bao-cao.pdf`), { id: String(ids.a) });
    expect(r.status).toBe(302);
    expect(r.headers.get("Location")).toMatch(/^\/login\?redirectTo=/);
  });

  it("stream the PDF with a download name to the school and to its office", async () => {
    for (const user of ["head.a", "staff.a", "admin.dongson"]) {
      const br = await browserAs(user);
      const r = await run(pdfRoute.loader as never, br.get(`/danh-gia/${ids.a}/bao-cao.pdf`), { id: String(ids.a) });
      expect(r.status, user).toBe(200);
      expect(r.headers.get("Content-Type")).toBe("application/pdf");
      const cd = r.headers.get("Content-Disposition")!;
      expect(cd).toContain('attachment; filename="Bao-cao-tu-danh-gia-38101234-2025-2026.pdf"');
      expect(cd).toContain("filename*=UTF-8''B%C3%A1o-c%C3%A1o-t%E1%BB%B1-%C4%91%C3%A1nh-gi%C3%A1-38101234-2025-2026.pdf");
      const body = Buffer.from(await r.arrayBuffer());
      expect(body.subarray(0, 5).toString("latin1")).toBe("%PDF-");
      expect(body.subarray(-6).toString("latin1")).toMatch(/%%EOF\s*$/);
    }
  });

  it("show the sections to the school, editable while in draft", async () => {
    const a = await browserAs("head.a");
    const r = await run(pageRoute.loader as never, a.get(`/danh-gia/${ids.a}/bao-cao`), { id: String(ids.a) });
    expect(r.status).toBe(200);
    const data = await r.json();
    expect(data).toMatchObject({ id: ids.a, schoolName: SCHOOL_NAME, schoolYear: "2025-2026", editable: true, canEdit: true });
    expect(data.sections).toEqual({ leadership: LEADERSHIP, process: "", results: "", difficulties: DIFFICULTIES, directions: "", proposals: "" });
    // The office reads but does not edit.
    const office = await browserAs("admin.dongson");
    const o = await (await run(pageRoute.loader as never, office.get(`/danh-gia/${ids.a}/bao-cao`), { id: String(ids.a) })).json();
    expect(o).toMatchObject({ editable: true, canEdit: false });
  });

  it("refuse a section over 20,000 characters with a field error, saving nothing", async () => {
    const a = await browserAs("head.a");
    const before = getAssessment(ids.a)!;
    const r = await run(
      pageRoute.action as never,
      a.post(`/danh-gia/${ids.a}/bao-cao`, { leadership: "ă".repeat(30_000), process: "Quá trình thực hiện." }),
      { id: String(ids.a) },
    );
    expect(r.status).toBe(400);
    const body = await r.json();
    expect(body.errors.leadership).toBe("Phần này dài 30.000 ký tự, vượt quá giới hạn 20.000 ký tự. Vui lòng rút gọn.");
    expect(body.errors.process).toBeUndefined();
    const after = getAssessment(ids.a)!;
    expect(after.reportText).toEqual(before.reportText);
    expect(after.version).toBe(before.version);
  });

  it("refuse a form without the CSRF token (403), saving nothing", async () => {
    const a = await browserAs("head.a");
    const before = getAssessment(ids.a)!;
    const r = await run(pageRoute.action as never, a.post(`/danh-gia/${ids.a}/bao-cao`, { leadership: "Khác" }, { csrf: null }), { id: String(ids.a) });
    expect(r.status).toBe(403);
    expect(getAssessment(ids.a)!.version).toBe(before.version);
  });

  it("save the sections (NFC, LF) and redirect back", async () => {
    const a = await browserAs("head.a");
    const decomposed = "Phương hướng năm tới".normalize("NFD");
    const fields = { leadership: LEADERSHIP, process: "Dòng 1\r\nDòng 2", results: "", difficulties: DIFFICULTIES, directions: decomposed, proposals: "Kiến nghị." };
    const r = await run(pageRoute.action as never, a.post(`/danh-gia/${ids.a}/bao-cao`, fields), { id: String(ids.a) });
    expect(r.status).toBe(302);
    expect(r.headers.get("Location")).toBe(`/danh-gia/${ids.a}/bao-cao?da-luu=1`);
    // "results" was posted empty, as the page showed it: an untouched section is not written.
    expect(getAssessment(ids.a)!.reportText).toEqual({
      leadership: LEADERSHIP,
      process: "Dòng 1\nDòng 2",
      difficulties: DIFFICULTIES,
      directions: "Phương hướng năm tới",
      proposals: "Kiến nghị.",
    });
  });

  it("are read-only once the assessment is submitted", async () => {
    const h = await browserAs("head.locked");
    const page = await (await run(pageRoute.loader as never, h.get(`/danh-gia/${ids.locked}/bao-cao`), { id: String(ids.locked) })).json();
    expect(page).toMatchObject({ status: "submitted", editable: false, canEdit: false });
    const r = await run(pageRoute.action as never, h.post(`/danh-gia/${ids.locked}/bao-cao`, { leadership: "Sửa sau khi gửi" }), { id: String(ids.locked) });
    expect(r.status).toBe(409);
    expect(getAssessment(ids.locked)!.reportText).toBeNull();
    // The PDF is still available, dated the day of submission.
    const pdf = await run(pdfRoute.loader as never, h.get(`/danh-gia/${ids.locked}/bao-cao.pdf`), { id: String(ids.locked) });
    expect(pdf.status).toBe(200);
    if (hasPdftotext) expect(flat(pdftotext(Buffer.from(await pdf.arrayBuffer())))).toContain("Thanh Hóa, ngày 04 tháng 01 năm 2026");
  });
});
