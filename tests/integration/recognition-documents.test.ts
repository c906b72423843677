/**
 * The recognition documents on a real SQLite file: the decision (quyết định công nhận) and the
 * certificates (giấy công nhận), their data (the engine's external group levels, the stored
 * recognised level), their text read back with pdftotext, every word inside the margins
 * (pdftotext -bbox), the QR code decoded from a pdftoppm image with zbarimg, and the routes
 * /cong-nhan/:id/quyet-dinh.pdf (403 for another province, 404 unknown, 200) and
 * /xac-minh/:token/pdf (public: one 404 for every wrong token, 200, revoked → "ĐÃ THU HỒI").
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
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
import { approve, bothPhases, finishExternal, keepSelf } from "~/server/services/review.server";
import { changeDecisionFiles, createDecision, decisionById, decisionFiles, issueDecision, revokeCertificate, updateDecision } from "~/server/services/recognition.server";
import { certificateData, decisionCertificatesData, decisionData, publicBaseUrl } from "~/server/services/recognition-documents.server";
import { decisionFileNames, renderDecisionToBuffer } from "~/server/pdf/decision.server";
import { CERT_MARGIN, CERT_PAGE, renderCertificateBook, renderCertificateToBuffer } from "~/server/pdf/certificate.server";
import { MARGINS } from "~/server/pdf/nd30.server";
import { signPdf } from "~/server/pdf/signature.server";
import { createSelfSignedP12 } from "~/server/signing/self-signed.server";
import { defaultBases } from "~/domain/recognition";
import * as decisionRoute from "~/routes/cong-nhan.$id.quyet-dinh[.]pdf";
import * as certRoute from "~/routes/xac-minh.$token.pdf";

useTestDatabase("recognition-documents");

const PASSWORD = "mat-khau-kiem-thu-123";
const OFFICE = "Sở Giáo dục và Đào tạo tỉnh Thanh Hóa";
const NUMBER = "123/QĐ-SGDĐT";
const SIGNER = "Nguyễn Văn Hùng";
const has = (cmd: string, arg = "-v") => spawnSync(cmd, [arg]).error === undefined;
const hasPoppler = has("pdftotext") && has("pdftoppm");
const hasZbar = has("zbarimg", "--version");

/** The school's answers: Mức 2 in both groups (no LMS items, no info block). */
const SELF = LEVEL2_ANSWERS;

const ids: Record<string, number> = {};
const u: Record<string, number> = {};
let decisionId = 0;

const idOf = (schoolId: number) => getDb().select().from(assessments).where(eq(assessments.schoolId, schoolId)).get()!.id;
const version = (id: number) => getAssessment(id)!.version;
const values = (m: Record<string, AnswerChange["value"]>) => Object.fromEntries(Object.entries(m).map(([k, value]) => [k, { value }]));

function pdftotext(pdf: Buffer, args: string[] = []): string {
  const r = spawnSync("pdftotext", [...args, "-enc", "UTF-8", "-", "-"], { input: pdf, maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`pdftotext failed: ${r.stderr?.toString()}`);
  return r.stdout.toString("utf8");
}
const flat = (s: string) => s.replace(/\s+/g, " ");
/** DUMP_RECOGNITION_PDF=<dir>: the PDFs drawn are also written there, to be looked at. */
const dump = (name: string, pdf: Buffer) => {
  const dir = process.env.DUMP_RECOGNITION_PDF;
  if (dir) fs.writeFileSync(path.join(dir, name), pdf);
};

/** Every word's box inside [left, right] × [top, bottom]; returns the number of words. */
function wordsInside(pdf: Buffer, box: { left: number; right: number; top: number; bottom: number }): number {
  let words = 0;
  for (const m of pdftotext(pdf, ["-bbox"]).matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g)) {
    const [xMin, yMin, xMax, yMax] = [m[1], m[2], m[3], m[4]].map(Number);
    words++;
    expect(xMin, m[5]).toBeGreaterThanOrEqual(box.left - 0.5);
    expect(xMax, m[5]).toBeLessThanOrEqual(box.right + 0.5);
    expect(yMin, m[5]).toBeGreaterThanOrEqual(box.top - 1);
    expect(yMax, m[5]).toBeLessThanOrEqual(box.bottom + 0.5);
  }
  return words;
}

function pngOfPage(pdf: Buffer, page = 1, dpi = 150): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cds-rec-"));
  const file = path.join(dir, "in.pdf");
  fs.writeFileSync(file, pdf);
  const r = spawnSync("pdftoppm", ["-r", String(dpi), "-png", "-f", String(page), "-l", String(page), "-singlefile", file, path.join(dir, "page")]);
  if (r.status !== 0) throw new Error(`pdftoppm failed: ${r.stderr?.toString()}`);
  return path.join(dir, "page.png");
}

function submitted(schoolId: number, head: number): number {
  const id = idOf(schoolId);
  expect(saveAnswers(id, { baseVersion: version(id), changes: values(SELF) }, head)).toMatchObject({ ok: true });
  expect(submitAssessment(id, head)).toMatchObject({ ok: true });
  return id;
}

beforeAll(async () => {
  const province = createUnit({ kind: "province", code: "SGD38", name: OFFICE, parentId: null }, null);
  const district = createUnit({ kind: "district", code: "P3801", name: "Phòng Giáo dục và Đào tạo thành phố Đông Sơn", parentId: province }, null);
  const district2 = createUnit({ kind: "district", code: "P3802", name: "Phòng Giáo dục và Đào tạo huyện Quảng Xương", parentId: province }, null);
  const other = createUnit({ kind: "province", code: "SGD40", name: "Sở Giáo dục và Đào tạo tỉnh Nghệ An", parentId: null }, null);
  u.province = province;
  const mk = (code: string, name: string, managing: number) => createSchool({ code, name, type: "THPT", managingUnitId: managing, reviewingUnitId: province }, null);
  const schools = { a: mk("38000101", "Trường THPT Đào Duy Từ", district), b: mk("38000102", "Trường THPT Hàm Rồng", district), c: mk("38000201", "Trường THPT Quảng Xương 1", district2) };
  const user = (username: string, displayName: string, roles: Parameters<typeof createUser>[0]["roles"], where: { unitId?: number; schoolId?: number }) =>
    createUser({ username, displayName, password: PASSWORD, roles, ...where }, null);
  u.reviewer = await user("so.thanhhoa", "Trần Văn Kiểm", ["office_reviewer", "office_admin"], { unitId: province });
  u.district = await user("phong.dongson", "Lê Phòng", ["office_reviewer"], { unitId: district });
  u.other = await user("so.nghean", "Quản trị Nghệ An", ["office_admin", "office_reviewer"], { unitId: other });
  u.headA = await user("head.a", "Hiệu trưởng A", ["school_head"], { schoolId: schools.a });
  u.headB = await user("head.b", "Hiệu trưởng B", ["school_head"], { schoolId: schools.b });
  u.headC = await user("head.c", "Hiệu trưởng C", ["school_head"], { schoolId: schools.c });

  expect(openCycle({ ownerUnitId: province, schoolYear: "2025-2026", editionId: "qd-4725-2022", selfAssessmentDeadline: "2099-05-31", reviewDeadline: "2099-06-20" }, u.reviewer)).toMatchObject({ ok: true, created: 3 });

  // A and B: the school's result kept (Mức 2). C: the office finds 1.1 unmet (group 1 at Mức 1, institution Mức 1).
  ids.a = submitted(schools.a, u.headA);
  ids.b = submitted(schools.b, u.headB);
  ids.c = submitted(schools.c, u.headC);
  for (const id of [ids.a, ids.b, ids.c]) expect(approve(id, u.reviewer)).toMatchObject({ ok: true, status: "approved" });
  expect(keepSelf([ids.a, ids.b], u.reviewer)).toMatchObject({ done: [ids.a, ids.b] });
  expect(saveAnswers(ids.c, { baseVersion: version(ids.c), phase: "external", changes: { "1.1": { value: false, note: "Chưa có Ban chỉ đạo" } } }, u.reviewer)).toMatchObject({ ok: true });
  expect(finishExternal(ids.c, u.reviewer)).toMatchObject({ ok: true, status: "assessed", level: 1 });

  const made = createDecision(province, "2025-2026", u.reviewer);
  if (!("ok" in made) || !made.ok) throw new Error(JSON.stringify(made));
  decisionId = made.id;
  const files = changeDecisionFiles(decisionId, { add: [ids.a, ids.b, ids.c] }, u.reviewer);
  expect(files).toMatchObject({ ok: true, added: 3 });
  const upd = updateDecision(
    decisionId,
    { number: NUMBER, decidedOn: "2026-06-15", place: "Thanh Hóa", signerName: SIGNER, signerTitle: "Giám đốc", bases: defaultBases(OFFICE) },
    u.reviewer,
    decisionById(decisionId)!.version,
  );
  expect(upd).toMatchObject({ ok: true });
}, 120_000);

const NOW = Date.UTC(2026, 11, 3, 3);

// ───────────────────────────── data ─────────────────────────────

describe("decisionData", () => {
  it("copies the engine's external group levels and the stored level, in the annex's order; deterministic", () => {
    const d = decisionData(decisionId, NOW)!;
    expect(d).toMatchObject({
      status: "draft",
      issuingOffice: OFFICE,
      issuingParent: "",
      number: NUMBER,
      date: Date.parse("2026-06-15T12:00:00+07:00"),
      place: "Thanh Hóa",
      schoolYear: "2025-2026",
      signerTitle: "Giám đốc",
      signerName: SIGNER,
      groups: [{ code: "1" }, { code: "2" }],
    });
    expect(d.bases).toEqual(defaultBases(OFFICE));
    expect(d.levels.map((l) => l.level)).toEqual([1, 2, 3]);
    const ext = bothPhases(getAssessment(ids.c)!).externalResult;
    // The annex's order: by sub-unit ("huyện …" before "thành phố …"), then school name.
    expect(d.files.map((f) => [f.school, f.code, f.subUnit, f.groupLevels, f.level])).toEqual([
      ["Trường THPT Quảng Xương 1", "38000201", "Phòng Giáo dục và Đào tạo huyện Quảng Xương", ext.groups.map((g) => g.level), 1],
      ["Trường THPT Đào Duy Từ", "38000101", "Phòng Giáo dục và Đào tạo thành phố Đông Sơn", [2, 2], 2],
      ["Trường THPT Hàm Rồng", "38000102", "Phòng Giáo dục và Đào tạo thành phố Đông Sơn", [2, 2], 2],
    ]);
    expect(ext.groups.map((g) => g.level)).toEqual([1, 2]);
    expect(JSON.stringify(decisionData(decisionId, NOW))).toBe(JSON.stringify(d));
    expect(decisionData(987654)).toBeNull();
  });

  it("names the file quyet-dinh-cong-nhan-<number>.pdf, du-thao without a number", () => {
    expect(decisionFileNames(NUMBER)).toEqual({ ascii: "quyet-dinh-cong-nhan-123-QD-SGDDT.pdf", utf8: "quyết-định-công-nhận-123-QĐ-SGDĐT.pdf" });
    expect(decisionFileNames(null).ascii).toBe("quyet-dinh-cong-nhan-du-thao.pdf");
  });

  it("publicBaseUrl: PUBLIC_BASE_URL without its trailing slash, else localhost:3000", () => {
    const was = process.env.PUBLIC_BASE_URL;
    try {
      delete process.env.PUBLIC_BASE_URL;
      expect(publicBaseUrl()).toBe("http://localhost:3000");
      process.env.PUBLIC_BASE_URL = "https://cds.thanhhoa.edu.vn//";
      expect(publicBaseUrl()).toBe("https://cds.thanhhoa.edu.vn");
    } finally {
      if (was === undefined) delete process.env.PUBLIC_BASE_URL;
      else process.env.PUBLIC_BASE_URL = was;
    }
  });
});

// ───────────────────────────── the decision PDF ─────────────────────────────

const A4_BOX = { left: MARGINS.left, right: 595.28 - MARGINS.right, top: 10 * (72 / 25.4), bottom: 841.89 - MARGINS.bottom };

describe.skipIf(!hasPoppler)("the decision PDF", () => {
  it("a draft: every page marked DỰ THẢO", async () => {
    const text = pdftotext(await renderDecisionToBuffer(decisionData(decisionId, NOW)!));
    const pages = text.split("\f").filter((p, i, all) => i < all.length - 1 || p.trim() !== "");
    expect(pages.length).toBeGreaterThanOrEqual(2);
    pages.forEach((p, i) => expect(p, `page ${i + 1}`).toContain("DỰ THẢO"));
  });

  it("issued: the heading, title, authority, bases, Điều 1–3, Nơi nhận, the signer and the annex rows; words inside the margins", async () => {
    const issued = issueDecision(decisionId, u.reviewer, decisionById(decisionId)!.version);
    expect(issued).toMatchObject({ ok: true, recognised: 3, serials: ["SGD38-2026-0001", "SGD38-2026-0002", "SGD38-2026-0003"] });
    const d = decisionData(decisionId, NOW)!;
    expect(d.status).toBe("issued");
    const pdf = await renderDecisionToBuffer(d);
    dump("decision.pdf", pdf);
    expect(pdf.subarray(0, 5).toString("latin1")).toBe("%PDF-");
    const text = pdftotext(pdf);
    const t = flat(text);
    for (const s of [
      "SỞ GIÁO DỤC VÀ ĐÀO TẠO",
      "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
      "Độc lập - Tự do - Hạnh phúc",
      `Số: ${NUMBER}`,
      "Thanh Hóa, ngày 15 tháng 6 năm 2026",
      "QUYẾT ĐỊNH",
      "Về việc công nhận mức độ chuyển đổi số của cơ sở giáo dục năm học 2025-2026",
      "GIÁM ĐỐC SỞ GIÁO DỤC VÀ ĐÀO TẠO TỈNH THANH HÓA",
      "Căn cứ Quyết định số 4725/QĐ-BGDĐT ngày 30/12/2022 của Bộ trưởng Bộ Giáo dục và Đào tạo",
      `Căn cứ chức năng, nhiệm vụ, quyền hạn của ${OFFICE};`,
      "QUYẾT ĐỊNH:",
      "Điều 1. Công nhận 3 cơ sở giáo dục đạt mức độ chuyển đổi số năm học 2025-2026 (có danh sách kèm theo).",
      "Trong đó: Mức 2 – Mức đáp ứng cơ bản: 2 cơ sở; Mức 1 – Mức chưa đáp ứng: 1 cơ sở.",
      "Điều 2. Quyết định này có hiệu lực kể từ ngày ký.",
      `Điều 3. Chánh Văn phòng, Trưởng các phòng, ban có liên quan thuộc ${OFFICE}; Thủ trưởng các cơ sở giáo dục có tên tại Điều 1 chịu trách nhiệm thi hành Quyết định này.`,
      "Nơi nhận:",
      "- Như Điều 3;",
      "- Lưu: VT.",
      "GIÁM ĐỐC",
      SIGNER,
      "DANH SÁCH CƠ SỞ GIÁO DỤC ĐƯỢC CÔNG NHẬN ĐẠT MỨC ĐỘ CHUYỂN ĐỔI SỐ NĂM HỌC 2025-2026",
      `(Kèm theo Quyết định số ${NUMBER} ngày 15/06/2026 của Giám đốc ${OFFICE})`,
      "STT",
      "Nhóm 1",
      "Nhóm 2",
      "Tên cơ sở giáo dục",
      "Loại hình",
      "Đơn vị quản lý",
      "Ghi chú: Mức 1 – Mức chưa đáp ứng; Mức 2 – Mức đáp ứng cơ bản; Mức 3 – Mức đáp ứng tốt.",
    ])
      expect(t, s).toContain(s);
    expect(t).not.toContain("DỰ THẢO");
    // The annex rows: STT, school, code, type, sub-unit, group levels, the recognised level.
    expect(t).toContain("1 Trường THPT Quảng Xương 1 38000201 THPT Phòng GD&ĐT huyện Quảng Xương Mức 1 Mức 2 Mức 1");
    expect(t).toContain("2 Trường THPT Đào Duy Từ 38000101 THPT Phòng GD&ĐT thành phố Đông Sơn Mức 2 Mức 2 Mức 2");
    expect(t).toContain("3 Trường THPT Hàm Rồng 38000102 THPT Phòng GD&ĐT thành phố Đông Sơn Mức 2 Mức 2 Mức 2");
    expect(text).toBe(text.normalize("NFC"));
    expect(wordsInside(pdf, A4_BOX)).toBeGreaterThan(250);
  });
});

describe.skipIf(!hasPoppler)("the decision PDF, a long annex (synthetic data)", () => {
  it("a draft of 80 schools: the annex over several pages, its header on each, DỰ THẢO and the page number on every page, words inside the margins", async () => {
    const base = decisionData(decisionId, NOW)!;
    const files = Array.from({ length: 80 }, (_, i) => ({
      school: `Trường Trung học phổ thông số ${i + 1} huyện Như Xuân tỉnh Thanh Hóa`,
      code: String(38100000 + i),
      type: "THPT",
      subUnit: "Phòng Giáo dục và Đào tạo huyện Như Xuân",
      groupLevels: [(i % 3) + 1, 2],
      level: (i % 3) + 1,
      revoked: false,
    }));
    const pdf = await renderDecisionToBuffer({ ...base, status: "draft", number: null, signerName: null, signerTitle: "Phó Giám đốc", issuingParent: "Ủy ban nhân dân tỉnh Thanh Hóa", files });
    dump("decision-long.pdf", pdf);
    const text = pdftotext(pdf);
    const pages = text.split("\f").filter((p, i, all) => i < all.length - 1 || p.trim() !== "");
    expect(pages.length).toBeGreaterThanOrEqual(4);
    pages.forEach((p, i) => expect(p, `page ${i + 1}`).toContain("DỰ THẢO"));
    pages.slice(1).forEach((p, i) => expect(flat(p)).toMatch(new RegExp(`(^| )${i + 2}( |$)`)));
    pages.slice(1).forEach((p, i) => expect(p, `page ${i + 2}`).toContain("STT"));
    const t = flat(text);
    expect(t).toMatch(/Số: +\/QĐ-……/);
    expect(t).toContain("ỦY BAN NHÂN DÂN TỈNH THANH HÓA");
    expect(t).toContain("KT. GIÁM ĐỐC PHÓ GIÁM ĐỐC");
    // The authority is the head's, also when a deputy signs.
    expect(t).toContain("GIÁM ĐỐC SỞ GIÁO DỤC VÀ ĐÀO TẠO TỈNH THANH HÓA");
    expect(t).toContain("- Ủy ban nhân dân tỉnh Thanh Hóa (để báo cáo);");
    expect(t).toContain("Điều 1. Công nhận 80 cơ sở giáo dục");
    expect(t).toContain("80 Trường Trung học phổ thông số 80");
    expect(wordsInside(pdf, A4_BOX)).toBeGreaterThan(1500);
  });
});

// ───────────────────────────── certificates ─────────────────────────────

describe.skipIf(!hasPoppler)("the certificate PDF", () => {
  it("data: the serial, the level title from the edition, the decision, the verification URL", () => {
    const f = decisionFiles(decisionId).find((x) => x.assessmentId === ids.a)!;
    const c = certificateData(f.certificate!.id)!;
    expect(c).toMatchObject({
      serial: "SGD38-2026-0002",
      verifyUrl: `${publicBaseUrl()}/xac-minh/${f.certificate!.token}`,
      school: "Trường THPT Đào Duy Từ",
      schoolCode: "38000101",
      schoolYear: "2025-2026",
      level: 2,
      levelTitle: "Mức 2 – Mức đáp ứng cơ bản",
      issuingOffice: OFFICE,
      decisionNumber: NUMBER,
      decisionDate: Date.parse("2026-06-15T12:00:00+07:00"),
      place: "Thanh Hóa",
      signerTitle: "Giám đốc",
      signerName: SIGNER,
      revoked: null,
    });
    expect(JSON.stringify(certificateData(f.certificate!.id))).toBe(JSON.stringify(c));
    expect(certificateData(987654)).toBeNull();
  });

  it("A4 landscape: the text, every word inside the 20 mm margin, and a QR code that decodes to the verification URL", async () => {
    const f = decisionFiles(decisionId).find((x) => x.assessmentId === ids.a)!;
    const c = certificateData(f.certificate!.id)!;
    const pdf = await renderCertificateToBuffer(c);
    dump("certificate.pdf", pdf);
    const info = spawnSync("pdfinfo", ["-"], { input: pdf }).stdout.toString();
    expect(info).toMatch(/Page size:\s+841\.89 x 595\.28 pts/);
    expect(info).toMatch(/Pages:\s+1\b/);
    const t = flat(pdftotext(pdf));
    for (const s of [
      "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
      "Độc lập - Tự do - Hạnh phúc",
      "SỞ GIÁO DỤC VÀ ĐÀO TẠO TỈNH THANH HÓA",
      "GIẤY CÔNG NHẬN",
      "Trường THPT Đào Duy Từ",
      "Đạt mức độ chuyển đổi số: Mức 2 – Mức đáp ứng cơ bản",
      "Năm học 2025-2026",
      `(Theo Quyết định số ${NUMBER} ngày 15/06/2026 của Giám đốc ${OFFICE})`,
      "Thanh Hóa, ngày 15 tháng 6 năm 2026",
      "GIÁM ĐỐC",
      SIGNER,
      "Số: SGD38-2026-0002",
      c.verifyUrl,
    ])
      expect(t, s).toContain(s);
    expect(t).not.toContain("THU HỒI");
    const m = CERT_MARGIN;
    expect(wordsInside(pdf, { left: m, right: CERT_PAGE.width - m, top: m, bottom: CERT_PAGE.height - m })).toBeGreaterThan(40);
    if (hasZbar) {
      const png = pngOfPage(pdf);
      const r = spawnSync("zbarimg", ["--raw", "-q", png]);
      expect(r.stdout.toString().trim()).toBe(c.verifyUrl);
    }
  });

  it("a long school name and a parent body stay inside the margins", async () => {
    const f = decisionFiles(decisionId)[0];
    const c = { ...certificateData(f.certificate!.id)!, school: "Trường Trung học cơ sở và Trung học phổ thông Nguyễn Thị Minh Khai xã Hoằng Hóa tỉnh Thanh Hóa", issuingParent: "Ủy ban nhân dân tỉnh Thanh Hóa", signerTitle: "Phó Giám đốc" };
    const pdf = await renderCertificateToBuffer(c);
    dump("certificate-long.pdf", pdf);
    const t = flat(pdftotext(pdf));
    expect(t).toContain("ỦY BAN NHÂN DÂN TỈNH THANH HÓA");
    expect(t).toContain("KT. GIÁM ĐỐC PHÓ GIÁM ĐỐC");
    expect(t).toContain("Nguyễn Thị Minh Khai");
    expect(spawnSync("pdfinfo", ["-"], { input: pdf }).stdout.toString()).toMatch(/Pages:\s+1\b/);
    const m = CERT_MARGIN;
    expect(wordsInside(pdf, { left: m, right: CERT_PAGE.width - m, top: m, bottom: CERT_PAGE.height - m })).toBeGreaterThan(40);
  });

  it("the book: one certificate per page, each with its own serial and school", async () => {
    const list = decisionCertificatesData(decisionId);
    expect(list.map((c) => c.serial)).toEqual(["SGD38-2026-0001", "SGD38-2026-0002", "SGD38-2026-0003"]);
    const pdf = await renderCertificateBook(list);
    const pages = pdftotext(pdf).split("\f").filter((p) => p.trim() !== "");
    expect(pages).toHaveLength(3);
    list.forEach((c, i) => {
      expect(flat(pages[i])).toContain(`Số: ${c.serial}`);
      expect(flat(pages[i])).toContain(c.school);
    });
    expect(flat(pages[0])).toContain("Đạt mức độ chuyển đổi số: Mức 1 – Mức chưa đáp ứng");
    expect(flat(pages[2])).toContain("Đạt mức độ chuyển đổi số: Mức 2 – Mức đáp ứng cơ bản");
  });
});

// ───────────────────────────── signatures ─────────────────────────────

const hasPdfsig = spawnSync("pdfsig", ["-v"]).error === undefined;

describe.skipIf(!hasPdfsig)("data.signature: a placeholder the office's certificate signs (pdfsig)", () => {
  it("the decision and a certificate, signed: valid, the whole document signed; unsigned without it", async () => {
    const p12 = createSelfSignedP12("So GDDT Thanh Hoa (kiem thu)", "mat-khau");
    const signature = { name: OFFICE, reason: "Quyết định công nhận", location: "Thanh Hóa", contactInfo: "", signingTime: Date.UTC(2026, 5, 15, 3) };
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cds-rec-sig-"));
    const f = decisionFiles(decisionId)[0];
    const docs = {
      decision: await renderDecisionToBuffer({ ...decisionData(decisionId, NOW)!, signature }),
      certificate: await renderCertificateToBuffer({ ...certificateData(f.certificate!.id)!, signature }),
    };
    for (const [name, pdf] of Object.entries(docs)) {
      expect(pdf.toString("latin1"), name).toContain("/ByteRange");
      const file = path.join(dir, `${name}.pdf`);
      fs.writeFileSync(file, await signPdf(pdf, p12, "mat-khau"));
      const out = spawnSync("pdfsig", [file], { encoding: "utf8" });
      const text = `${out.stdout}\n${out.stderr}`;
      expect(text, name).toContain("Signature Validation: Signature is Valid.");
      expect(text, name).toContain("Total document signed");
    }
    // Without data.signature: no placeholder, nothing claims a signature.
    expect((await renderDecisionToBuffer(decisionData(decisionId, NOW)!)).toString("latin1")).not.toContain("/ByteRange");
    expect((await renderCertificateToBuffer(certificateData(f.certificate!.id)!)).toString("latin1")).not.toContain("/ByteRange");
  });
});

// ───────────────────────────── the routes ─────────────────────────────

async function getDecision(username: string, id: number | string, headers: Record<string, string> = {}) {
  const br = await browserAs(username);
  const req = new Request(`http://localhost/cong-nhan/${id}/quyet-dinh.pdf`, { headers: { Cookie: br.cookie, ...headers } });
  return run(decisionRoute.loader as never, req, { id: String(id) });
}

async function getCertificate(token: string, headers: Record<string, string> = {}) {
  const req = new Request(`http://localhost/xac-minh/${token}/pdf`, { headers });
  return run(certRoute.loader as never, req, { token });
}

describe("the route /cong-nhan/:id/quyet-dinh.pdf", () => {
  it("refuses another province (403), answers 404 to an unknown decision, sends the anonymous to the login page", async () => {
    const r = await getDecision("so.nghean", decisionId);
    expect(r.status).toBe(403);
    expect((await r.json()).error).toBe("Bạn không có quyền xem quyết định công nhận này.");
    expect((await getDecision("so.thanhhoa", 987654)).status).toBe(404);
    expect((await getDecision("so.thanhhoa", "abc")).status).toBe(404);
    // A unit below the issuing office does not read its decisions.
    expect((await getDecision("phong.dongson", decisionId)).status).toBe(403);
    const anon = await browserAs();
    const a = await run(decisionRoute.loader as never, anon.get(`/cong-nhan/${decisionId}/quyet-dinh.pdf`), { id: String(decisionId) });
    expect(a.status).toBe(302);
  });

  it("serves the decision to its office: 200 application/pdf, the file name, 304 on If-None-Match", async () => {
    const r = await getDecision("so.thanhhoa", decisionId);
    expect(r.status).toBe(200);
    expect(r.headers.get("Content-Type")).toBe("application/pdf");
    expect(r.headers.get("Content-Disposition")).toContain('attachment; filename="quyet-dinh-cong-nhan-123-QD-SGDDT.pdf"');
    const body = Buffer.from(await r.arrayBuffer());
    expect(body.subarray(0, 5).toString("latin1")).toBe("%PDF-");
    expect(Number(r.headers.get("Content-Length"))).toBe(body.length);
    if (hasPoppler) expect(flat(pdftotext(body))).toContain("Trường THPT Quảng Xương 1");
    const etag = r.headers.get("ETag")!;
    expect(etag).toMatch(/^"[0-9a-f]{64}"$/);
    const again = await getDecision("so.thanhhoa", decisionId, { "If-None-Match": etag });
    expect(again.status).toBe(304);
    // From the cache the second time: the same bytes.
    const cached = await getDecision("so.thanhhoa", decisionId);
    expect(Buffer.from(await cached.arrayBuffer()).equals(body)).toBe(true);
  });
});

describe("the route /xac-minh/:token/pdf (public)", () => {
  it("one 404 for every wrong token", async () => {
    const bodies: string[] = [];
    for (const token of ["A".repeat(24), "short", "x".repeat(23) + "!"]) {
      const r = await getCertificate(token);
      expect(r.status, token).toBe(404);
      bodies.push(await r.text());
    }
    expect(new Set(bodies).size).toBe(1);
    expect(bodies[0]).toContain("Không tìm thấy giấy công nhận.");
  });

  it("serves a real certificate without login; a revoked one carries ĐÃ THU HỒI with its date", async () => {
    const f = decisionFiles(decisionId).find((x) => x.assessmentId === ids.b)!;
    const token = f.certificate!.token;
    const r = await getCertificate(token);
    expect(r.status).toBe(200);
    expect(r.headers.get("Content-Type")).toBe("application/pdf");
    const body = Buffer.from(await r.arrayBuffer());
    const etag = r.headers.get("ETag")!;
    if (hasPoppler) {
      const t = flat(pdftotext(body));
      expect(t).toContain("Trường THPT Hàm Rồng");
      expect(t).toContain("Số: SGD38-2026-0003");
      expect(t).not.toContain("THU HỒI");
    }
    expect((await getCertificate(token, { "If-None-Match": etag })).status).toBe(304);

    const at = Date.parse("2026-12-02T09:00:00+07:00");
    expect(revokeCertificate(f.certificate!.id, "Sai sót trong hồ sơ", u.reviewer, at)).toMatchObject({ ok: true });
    const rv = await getCertificate(token, { "If-None-Match": etag });
    expect(rv.status).toBe(200);
    expect(rv.headers.get("ETag")).not.toBe(etag);
    const rb = Buffer.from(await rv.arrayBuffer());
    dump("certificate-revoked.pdf", rb);
    if (hasPoppler) {
      const t = flat(pdftotext(rb));
      expect(t).toContain("ĐÃ THU HỒI ngày 02/12/2026");
      expect(t).toContain("Giấy công nhận này không còn hiệu lực.");
      const m = CERT_MARGIN;
      expect(wordsInside(rb, { left: m, right: CERT_PAGE.width - m, top: m, bottom: CERT_PAGE.height - m })).toBeGreaterThan(40);
    }
    // The decision's annex marks the revoked certificate.
    if (hasPoppler) expect(flat(pdftotext(await renderDecisionToBuffer(decisionData(decisionId, NOW)!)))).toContain("(Giấy công nhận đã thu hồi)");
  });
});
