/**
 * Office files (DOCX/XLSX/PPTX) are checked inside before an upload is kept (finding 8): a zip bomb
 * (522 KB that inflates to 512 MB) and a DOCX carrying an .exe are refused at the file field, through
 * the same route action the browser posts to, with no evidence row, no blob row and no file left.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import ExcelJS from "exceljs";
import { TMP_DIR, useTestDatabase } from "../helpers/db";
import { browserAs, run, type Browser } from "../helpers/http";
import { docx, docxBomb, zip, type ZipEntry } from "../helpers/zip";
import { getDb } from "~/server/db/client.server";
import { createSchool, createUnit, createUser } from "~/server/services/org.server";
import { openCycle } from "~/server/services/cycles.server";
import { inspectOfficeFile, unsafeEntryName } from "~/server/storage/office-zip.server";
import * as evidenceRoute from "~/routes/danh-gia.$id.minh-chung";

useTestDatabase("uploads-office");

const EVIDENCE_DIR = path.join(TMP_DIR, `uploads-office-${process.pid}-${randomBytes(4).toString("hex")}`);
const saved = { dir: process.env.EVIDENCE_DIR, max: process.env.EVIDENCE_OFFICE_MAX_UNZIPPED_BYTES };
let head: Browser;
let assessmentId = 0;
let bomb: Buffer;

beforeAll(async () => {
  process.env.EVIDENCE_DIR = EVIDENCE_DIR;
  delete process.env.EVIDENCE_OFFICE_MAX_UNZIPPED_BYTES;
  const province = createUnit({ kind: "province", code: "UO-P", name: "Sở GDĐT Thử tải lên", parentId: null }, null);
  const school = createSchool({ code: "UO-A", name: "Trường Tiểu học Tải Lên", type: "TH", managingUnitId: province, reviewingUnitId: province }, null);
  const admin = await createUser({ username: "uo.so", displayName: "Sở", password: "mat-khau-kiem-thu-12", roles: ["office_admin"], unitId: province }, null);
  await createUser({ username: "uo.head", displayName: "Hiệu trưởng", password: "mat-khau-kiem-thu-12", roles: ["school_head"], schoolId: school }, null);
  const year = new Date().getFullYear();
  const opened = openCycle({ ownerUnitId: province, schoolYear: `${year}-${year + 1}`, editionId: "qd-4725-2022", selfAssessmentDeadline: `${year + 1}-05-31`, reviewDeadline: `${year + 1}-06-20` }, admin);
  if (!opened.ok) throw new Error(opened.message);
  assessmentId = (getDb().$client.prepare("SELECT id FROM assessments WHERE school_id = ?").get(school) as { id: number }).id;
  head = await browserAs("uo.head");
  bomb = await docxBomb(512 * 1024 * 1024);
}, 60_000);

afterAll(() => {
  fs.rmSync(EVIDENCE_DIR, { recursive: true, force: true });
  for (const [k, v] of [["EVIDENCE_DIR", saved.dir], ["EVIDENCE_OFFICE_MAX_UNZIPPED_BYTES", saved.max]] as const) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
});

function upload(file: Buffer, name: string) {
  const fd = new FormData();
  fd.append("_csrf", head.csrf);
  fd.append("intent", "upload");
  fd.append("itemCode", "1.3.1");
  fd.append("file", new Blob([new Uint8Array(file)]), name);
  const req = new Request(`http://localhost/danh-gia/${assessmentId}/minh-chung`, { method: "POST", body: fd, headers: { Cookie: head.cookie, Accept: "application/json" } });
  return run(evidenceRoute.action as never, req, { id: String(assessmentId) });
}

function filesOnDisk(): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    if (!fs.existsSync(dir)) return;
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else out.push(path.relative(EVIDENCE_DIR, p));
    }
  };
  walk(EVIDENCE_DIR);
  return out.sort();
}

const counts = () => {
  const c = getDb().$client;
  return {
    evidence: (c.prepare("SELECT count(*) AS n FROM evidence").get() as { n: number }).n,
    blobs: (c.prepare("SELECT count(*) AS n FROM blobs").get() as { n: number }).n,
    links: (c.prepare("SELECT count(*) AS n FROM evidence_links").get() as { n: number }).n,
    files: filesOnDisk(),
  };
};

async function expectRefused(file: Buffer, name: string, message: RegExp) {
  const before = counts();
  const res = await upload(file, name);
  expect(res.status).toBe(415);
  const body = (await res.json()) as { ok: boolean; field: string; message: string; intent: string };
  expect(body).toMatchObject({ ok: false, field: "file", intent: "upload" });
  expect(body.message).toMatch(message);
  expect(counts()).toEqual(before);
  expect(filesOnDisk().filter((f) => f.startsWith(".tmp"))).toEqual([]);
  return body;
}

describe("Office uploads through the evidence route", () => {
  it("refuses a 522 KB DOCX that inflates to 512 MB", async () => {
    expect(bomb.length).toBeLessThan(600 * 1024);
    const body = await expectRefused(bomb, "Kế hoạch.docx", /^Tệp DOCX khi giải nén lớn hơn 100 MB/);
    expect(body.message).toContain("bom nén");
  });

  it("refuses a bomb whose headers lie about its size (the inflated bytes are counted)", async () => {
    process.env.EVIDENCE_OFFICE_MAX_UNZIPPED_BYTES = String(1024 * 1024);
    try {
      const liar = await docxBomb(3 * 1024 * 1024, 200);
      await expectRefused(liar, "nho.docx", /^Tệp DOCX khi giải nén lớn hơn 1 MB/);
      // Within the budget but not the size it declares: a damaged file.
      const small = await docxBomb(64 * 1024, 200);
      await expectRefused(small, "hong.docx", /^Tệp DOCX bị hỏng/);
    } finally {
      delete process.env.EVIDENCE_OFFICE_MAX_UNZIPPED_BYTES;
    }
  });

  it("refuses a DOCX with an .exe entry, a macro project, or a path out of the package", async () => {
    const exe = docx("x", [{ name: "word/media/setup.exe", data: Buffer.concat([Buffer.from("MZ\x90\x00", "latin1"), randomBytes(2000)]) }]);
    const body = await expectRefused(exe, "Báo cáo.docx", /^Tệp DOCX chứa thành phần không được phép: "word\/media\/setup\.exe"/);
    expect(body.message).toContain("không có macro hay chương trình đính kèm");
    await expectRefused(docx("x", [{ name: "word/vbaProject.bin", data: "macro" }]), "macro.docx", /"word\/vbaProject\.bin"/);
    await expectRefused(docx("x", [{ name: "../../evil.xml", data: "<x/>" }]), "thoat.docx", /"\.\.\/\.\.\/evil\.xml"/);
    await expectRefused(docx("x", [{ name: "/etc/cron.d/x", data: "x" }]), "tuyet-doi.docx", /"\/etc\/cron\.d\/x"/);
    await expectRefused(docx("x", [{ name: "word/SCRIPT.JS", data: "x" }]), "js.docx", /SCRIPT\.JS/);
  });

  it("still accepts a normal DOCX and an Excel file, stored once with their rows", async () => {
    const before = counts();
    const ok = await upload(docx("Kế hoạch chuyển đổi số năm học 2025-2026"), "Kế hoạch.docx");
    expect(ok.status).toBe(200);
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet("Thiết bị").addRows([["Phòng", "Số máy"], ["Tin học 1", 30]]);
    const xl = await upload(Buffer.from(await wb.xlsx.writeBuffer()), "Thiết bị.xlsx");
    expect(xl.status).toBe(200);
    const after = counts();
    expect(after.evidence).toBe(before.evidence + 2);
    expect(after.blobs).toBe(before.blobs + 2);
    expect(after.files.filter((f) => !f.startsWith(".tmp"))).toHaveLength(before.files.length + 2);
    const rows = getDb().$client.prepare("SELECT file_name AS fileName FROM evidence ORDER BY id").all() as { fileName: string }[];
    expect(rows.map((r) => r.fileName)).toEqual(["Kế hoạch.docx", "Thiết bị.xlsx"]);
  });
});

describe("inspectOfficeFile (the ZIP reader)", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "office-zip-"));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const check = (buf: Buffer, opts = {}) => {
    const f = path.join(dir, `${randomBytes(4).toString("hex")}.zip`);
    fs.writeFileSync(f, buf);
    return inspectOfficeFile(f, opts);
  };

  it("accepts a normal package and reports its real size", async () => {
    const v = await check(docx("xin chào"));
    expect(v).toMatchObject({ ok: true, entries: 3 });
  });

  it("refuses more entries than allowed", async () => {
    const many: ZipEntry[] = Array.from({ length: 12 }, (_, i) => ({ name: `word/media/a${i}.xml`, data: "<a/>", store: true }));
    expect(await check(docx("x", many), { maxEntries: 10 })).toEqual({ ok: false, reason: "too-many-entries" });
    expect((await check(docx("x", many), { maxEntries: 20 })).ok).toBe(true);
  });

  it("refuses overlapping entries, encrypted entries, duplicates and garbage", async () => {
    const overlap = zip([{ name: "[Content_Types].xml", data: "<Types/>" }, { name: "word/document.xml", data: "<w/>" }, { name: "word/copy.xml", data: "<w/>" }], { overlapLast: true });
    expect(await check(overlap)).toEqual({ ok: false, reason: "damaged" });
    expect(await check(zip([{ name: "word/document.xml", data: "<w/>", flags: 1 }]))).toEqual({ ok: false, reason: "damaged" });
    expect(await check(zip([{ name: "word/a.xml", data: "1" }, { name: "WORD/A.xml", data: "2" }]))).toMatchObject({ ok: false, reason: "unsafe-entry" });
    expect(await check(Buffer.from("PK\x03\x04 không phải zip", "utf8"))).toEqual({ ok: false, reason: "damaged" });
    expect(await check(docx("x").subarray(0, 200))).toEqual({ ok: false, reason: "damaged" });
  });

  it("judges entry names", () => {
    for (const bad of ["/abs.xml", "\\abs.xml", "C:/x.xml", "a/../b.xml", "a\\..\\b.xml", "x.exe", "x.DLL", "m/run.bat", "a.cmd", "a.com", "a.scr", "a.js", "a.vbs", "a.ps1", "a.msi", "a.jar", "xl/vbaProject.bin", "a\u0000.xml", ""]) {
      expect(unsafeEntryName(bad), bad).toBe(true);
    }
    for (const good of ["[Content_Types].xml", "_rels/.rels", "word/document.xml", "word/media/image1.png", "ppt/embeddings/oleObject1.bin", "xl/..data.xml", "word/"]) {
      expect(unsafeEntryName(good), good).toBe(false);
    }
  });
});
