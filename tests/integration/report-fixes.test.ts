/**
 * Issue 11: the self-assessment report's fixes.
 * - Point 4: one file used for three items appears ONCE in the evidence list (data, PDF, page), with all its codes.
 * - Point 6: the PDF prints the LMS information of 1.3 (labels and option labels, not ids) and the
 *   per-item notes; the signature prints the person's name, not a display name with the role in
 *   brackets; the demo accounts carry plain names.
 */
import { spawnSync } from "node:child_process";
import { beforeAll, describe, expect, it } from "vitest";
import { eq, inArray } from "drizzle-orm";
import { useTestDatabase } from "../helpers/db";
import { browserAs, run } from "../helpers/http";
import { getDb } from "~/server/db/client.server";
import { assessments, users } from "~/server/db/schema.server";
import { createSchool, createUnit, createUser } from "~/server/services/org.server";
import { openCycle } from "~/server/services/cycles.server";
import { getAssessment, saveAnswers } from "~/server/services/assessments.server";
import { attachEvidence, createLinkEvidence } from "~/server/services/evidence.server";
import { buildReportData, personName } from "~/server/services/report.server";
import { renderSelfAssessmentReportToBuffer } from "~/server/pdf/self-assessment-report.server";
import { seedDemoData } from "~/server/demo/seed.server";
import * as pageRoute from "~/routes/danh-gia.$id.bao-cao";

useTestDatabase("report-fixes");

const PW = "mat-khau-kiem-thu-12";
const SHARED = "Quyết định thành lập tổ chuyển đổi số";
const NOTE = "Giáo viên giao bài và chấm bài hằng tuần trên hệ thống";
const LMS_NOTE = "Hợp đồng thuê bao đến hết năm 2026";
const hasPdftotext = spawnSync("pdftotext", ["-v"]).error === undefined;

const ids = { a: 0, shared: 0, single: 0, head: 0 };

beforeAll(async () => {
  const province = createUnit({ kind: "province", code: "RF-P", name: "Sở Giáo dục và Đào tạo tỉnh Hà Nam", parentId: null }, null);
  const school = createSchool({ code: "RF-A", name: "Trường THCS Lý Nhân", type: "THCS", managingUnitId: province, reviewingUnitId: province }, null);
  const admin = await createUser({ username: "rf.admin", displayName: "Quản trị", password: PW, roles: ["office_admin"], unitId: province }, null);
  // A display name carrying the role in brackets, as the old demo accounts had.
  ids.head = await createUser({ username: "rf.head", displayName: "Đặng Thị Hoa (Hiệu trưởng)", password: PW, roles: ["school_head"], schoolId: school }, null);
  const opened = openCycle({ ownerUnitId: province, schoolYear: "2025-2026", editionId: "qd-4725-2022", selfAssessmentDeadline: "2099-05-31", reviewDeadline: "2099-06-20" }, admin);
  if (!opened.ok) throw new Error(opened.message);
  ids.a = getDb().select({ id: assessments.id }).from(assessments).where(eq(assessments.schoolId, school)).get()!.id;

  const saved = saveAnswers(
    ids.a,
    {
      baseVersion: getAssessment(ids.a)!.version,
      changes: {
        "1.3.1": { value: true },
        "1.3.2": { value: true, note: NOTE },
        "1.3.4": { value: true },
        "1.3.lms": { value: { name: "VnEdu LMS", acquisition: "thue" }, note: LMS_NOTE },
      },
    },
    ids.head,
  );
  expect(saved.ok).toBe(true);
  // One link used for three items, in two steps (created for one, reused for two), and one other.
  const shared = createLinkEvidence({ assessmentId: ids.a, itemCodes: ["1.3.4"], url: "https://lynhan.example.vn/qd-to-cds", title: SHARED }, ids.head);
  if (!shared.ok) throw new Error(shared.message);
  ids.shared = shared.evidenceId;
  expect(attachEvidence({ assessmentId: ids.a, evidenceId: ids.shared, itemCodes: ["1.3.1", "1.3.2"] }, ids.head).ok).toBe(true);
  const single = createLinkEvidence({ assessmentId: ids.a, itemCodes: ["1.3.2"], url: "https://lynhan.example.vn/anh-lms", title: "Ảnh chụp màn hình giao bài" }, ids.head);
  if (!single.ok) throw new Error(single.message);
  ids.single = single.evidenceId;
});

function pdftotext(pdf: Buffer): string {
  const r = spawnSync("pdftotext", ["-enc", "UTF-8", "-", "-"], { input: pdf, maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`pdftotext failed: ${r.stderr?.toString()}`);
  return r.stdout.toString("utf8").normalize("NFC");
}
const flat = (s: string) => s.replace(/\s+/g, " ");
const count = (hay: string, needle: string) => hay.split(needle).length - 1;

describe("the report's data", () => {
  it("has one evidence row per evidence, with all its codes and items in catalogue order", () => {
    const d = buildReportData(ids.a)!;
    expect(d.evidence).toEqual([
      {
        evidenceId: ids.shared,
        title: SHARED,
        kind: "link",
        location: "https://lynhan.example.vn/qd-to-cds",
        links: [
          { code: "MC-1.3.1-01", itemCode: "1.3.1" },
          { code: "MC-1.3.2-01", itemCode: "1.3.2" },
          { code: "MC-1.3.4-01", itemCode: "1.3.4" },
        ],
      },
      { evidenceId: ids.single, title: "Ảnh chụp màn hình giao bài", kind: "link", location: "https://lynhan.example.vn/anh-lms", links: [{ code: "MC-1.3.2-02", itemCode: "1.3.2" }] },
    ]);
  });

  it("carries the LMS block of 1.3 with labels and option labels, the notes, and the head's plain name", () => {
    const d = buildReportData(ids.a)!;
    expect(d.info).toEqual([
      {
        key: "1.3.lms",
        indicatorCode: "1.3",
        title: "Thông tin hệ thống LMS/LCMS",
        fields: [
          { label: "Tên giải pháp", value: "VnEdu LMS" },
          { label: "Hình thức", value: "Thuê" },
        ],
      },
    ]);
    expect(d.notes).toEqual([
      { code: "1.3.2", text: NOTE },
      { code: "1.3.lms", text: LMS_NOTE },
    ]);
    expect(d.headName).toBe("Đặng Thị Hoa");
  });

  it("takes the role in brackets off a display name, and only that", () => {
    expect(personName("Lê Thị Mai (Hiệu trưởng)")).toBe("Lê Thị Mai");
    expect(personName("  Lê  Thị Mai  ")).toBe("Lê Thị Mai");
    expect(personName("Nguyễn Văn A")).toBe("Nguyễn Văn A");
    expect(personName("(Hiệu trưởng)")).toBe("(Hiệu trưởng)");
  });
});

describe.skipIf(!hasPdftotext)(`the PDF${hasPdftotext ? "" : " (SKIPPED: pdftotext not found)"}`, () => {
  it("prints the LMS information, the notes, the signature name without brackets, and the shared file once", async () => {
    const text = flat(pdftotext(await renderSelfAssessmentReportToBuffer(buildReportData(ids.a, Date.UTC(2026, 10, 23, 3))!)));
    for (const s of ["Thông tin hệ thống LMS/LCMS (không tính điểm):", "Tên giải pháp: VnEdu LMS", "Hình thức: Thuê", "Ghi chú của nhà trường theo từng tiêu chí:", `- 1.3.2: ${NOTE}`, `- 1.3.lms: ${LMS_NOTE}`, "HIỆU TRƯỞNG", "Đặng Thị Hoa"])
      expect(text, s).toContain(s);
    expect(text).not.toContain("thue");
    expect(text).not.toContain("(Hiệu trưởng)");
    expect(text).not.toContain("Đặng Thị Hoa (");
    // The annex: the shared file once, its three codes beside it (each also in the score table).
    const annex = text.slice(text.indexOf("DANH MỤC MINH CHỨNG"));
    expect(count(annex, SHARED)).toBe(1);
    expect(count(text, SHARED)).toBe(1);
    for (const code of ["MC-1.3.1-01", "MC-1.3.2-01", "MC-1.3.4-01"]) {
      expect(count(annex, code), code).toBe(1);
      expect(count(text, code), code).toBe(2);
    }
    expect(annex).toContain("1.3.1, 1.3.2, 1.3.4");
  });
});

describe("the report page", () => {
  it("lists each evidence once with all its codes", async () => {
    const b = await browserAs("rf.head");
    const res = await run(pageRoute.loader as never, b.get(`/danh-gia/${ids.a}/bao-cao`), { id: String(ids.a) });
    expect(res.status).toBe(200);
    const data = await res.json();
    expect(data.evidence).toEqual([
      { evidenceId: ids.shared, title: SHARED, kind: "link", codes: ["MC-1.3.1-01", "MC-1.3.2-01", "MC-1.3.4-01"], items: ["1.3.1", "1.3.2", "1.3.4"] },
      { evidenceId: ids.single, title: "Ảnh chụp màn hình giao bài", kind: "link", codes: ["MC-1.3.2-02"], items: ["1.3.2"] },
    ]);
  });
});

describe("the demo", () => {
  it("names its accounts plainly (the shell shows the role), and its head signs with her name", async () => {
    await seedDemoData(getDb());
    const rows = getDb()
      .select({ username: users.username, displayName: users.displayName })
      .from(users)
      .where(inArray(users.username, ["admin", "so.demo", "phong.demo", "truong.th1", "giaovien.th1"]))
      .all();
    expect(Object.fromEntries(rows.map((r) => [r.username, r.displayName]))).toEqual({
      admin: "Đỗ Minh Quân",
      "so.demo": "Nguyễn Thị Hạnh",
      "phong.demo": "Trần Văn Đức",
      "truong.th1": "Lê Thị Mai",
      "giaovien.th1": "Phạm Quốc Bảo",
    });
    const th1 = getDb().select({ schoolId: users.schoolId }).from(users).where(eq(users.username, "truong.th1")).get()!.schoolId!;
    const current = getDb().select({ id: assessments.id }).from(assessments).where(eq(assessments.schoolId, th1)).all();
    const newest = current.map((r) => getAssessment(r.id)!).sort((x, y) => y.schoolYear.localeCompare(x.schoolYear))[0];
    expect(buildReportData(newest.id)!.headName).toBe("Lê Thị Mai");
  }, 120_000);
});
