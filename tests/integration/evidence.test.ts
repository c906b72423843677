/**
 * Evidence (minh chứng): streamed uploads into content-addressed storage, type checks by magic bytes,
 * size and quota limits, sanitised names, links, codes, detach/soft delete, downloads across schools,
 * CSRF. Real SQLite (useTestDatabase) and a real evidence folder per test file.
 */
import fs from "node:fs";
import path from "node:path";
import { createHash, randomBytes } from "node:crypto";
import { crc32 } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import PDFDocument from "pdfkit";
import ExcelJS from "exceljs";
import { TMP_DIR, useTestDatabase } from "../helpers/db";
import { browserAs, run, type Browser } from "../helpers/http";
import { getDb } from "~/server/db/client.server";
import { auditLog, blobs, evidence, evidenceLinks } from "~/server/db/schema.server";
import { createSchool, createUnit, createUser } from "~/server/services/org.server";
import { openCycle } from "~/server/services/cycles.server";
import { submitAssessment } from "~/server/services/assessments.server";
import { evidenceForAssessment, schoolLibrary, schoolUsageBytes } from "~/server/services/evidence.server";
import { sanitizeFileName, contentDisposition } from "~/server/storage/filename.server";
import { detectEvidenceType } from "~/server/storage/file-types.server";
import * as evidenceRoute from "~/routes/danh-gia.$id.minh-chung";
import * as downloadRoute from "~/routes/minh-chung.$evidenceId";
import * as libraryRoute from "~/routes/truong.$schoolId.minh-chung";

useTestDatabase("evidence");

const EVIDENCE_DIR = path.join(TMP_DIR, `evidence-${process.pid}-${randomBytes(4).toString("hex")}`);
const ENV_KEYS = ["EVIDENCE_DIR", "EVIDENCE_MAX_BYTES", "EVIDENCE_SCHOOL_QUOTA_BYTES"] as const;
const savedEnv: Partial<Record<(typeof ENV_KEYS)[number], string | undefined>> = {};

const ids = { province: 0, officeA: 0, officeB: 0, schoolA: 0, schoolB: 0, aA: 0, aB: 0, headA: 0, headB: 0 };
let headA: Browser;
let headB: Browser;
let reviewerA: Browser;
let staffA: Browser;

const year = new Date().getFullYear();

beforeAll(async () => {
  for (const k of ENV_KEYS) savedEnv[k] = process.env[k];
  process.env.EVIDENCE_DIR = EVIDENCE_DIR;
  delete process.env.EVIDENCE_MAX_BYTES;
  delete process.env.EVIDENCE_SCHOOL_QUOTA_BYTES;

  ids.province = createUnit({ kind: "province", code: "EV-P", name: "Sở GDĐT Thử nghiệm", parentId: null }, null);
  ids.officeA = createUnit({ kind: "district", code: "EV-D1", name: "Phòng GDĐT Một", parentId: ids.province }, null);
  ids.officeB = createUnit({ kind: "district", code: "EV-D2", name: "Phòng GDĐT Hai", parentId: ids.province }, null);
  ids.schoolA = createSchool({ code: "EV-A", name: "Trường Tiểu học A", type: "TH", managingUnitId: ids.officeA, reviewingUnitId: ids.officeA }, null);
  ids.schoolB = createSchool({ code: "EV-B", name: "Trường Tiểu học B", type: "TH", managingUnitId: ids.officeB, reviewingUnitId: ids.officeB }, null);
  const pw = "mat-khau-kiem-thu-12";
  const admin = await createUser({ username: "ev.so", displayName: "Sở", password: pw, roles: ["office_admin"], unitId: ids.province }, null);
  ids.headA = await createUser({ username: "ev.head.a", displayName: "Hiệu trưởng A", password: pw, roles: ["school_head"], schoolId: ids.schoolA }, null);
  ids.headB = await createUser({ username: "ev.head.b", displayName: "Hiệu trưởng B", password: pw, roles: ["school_head"], schoolId: ids.schoolB }, null);
  await createUser({ username: "ev.staff.a", displayName: "Giáo viên A", password: pw, roles: ["school_staff"], schoolId: ids.schoolA }, null);
  await createUser({ username: "ev.rev.a", displayName: "Chuyên viên Phòng Một", password: pw, roles: ["office_reviewer"], unitId: ids.officeA }, null);

  const opened = openCycle(
    { ownerUnitId: ids.province, schoolYear: `${year}-${year + 1}`, editionId: "qd-4725-2022", selfAssessmentDeadline: `${year + 1}-05-31`, reviewDeadline: `${year + 1}-06-20` },
    admin,
  );
  if (!opened.ok) throw new Error(opened.message);
  const rows = getDb().$client.prepare("SELECT id, school_id AS schoolId FROM assessments WHERE cycle_id = ?").all(opened.cycleId) as { id: number; schoolId: number }[];
  ids.aA = rows.find((r) => r.schoolId === ids.schoolA)!.id;
  ids.aB = rows.find((r) => r.schoolId === ids.schoolB)!.id;

  headA = await browserAs("ev.head.a");
  headB = await browserAs("ev.head.b");
  reviewerA = await browserAs("ev.rev.a");
  staffA = await browserAs("ev.staff.a");
});

afterAll(() => {
  fs.rmSync(EVIDENCE_DIR, { recursive: true, force: true });
  for (const k of ENV_KEYS) {
    if (savedEnv[k] === undefined) delete process.env[k];
    else process.env[k] = savedEnv[k];
  }
});

// ───────────────────────────── helpers ─────────────────────────────

async function realPdf(text: string): Promise<Buffer> {
  const doc = new PDFDocument({ size: "A4", info: { CreationDate: new Date(0) } });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve) => doc.on("end", () => resolve(Buffer.concat(chunks))));
  doc.on("data", (c: Buffer) => chunks.push(c));
  doc.text(text);
  doc.end();
  return done;
}

/** A minimal file that starts like a PDF, padded to `size` bytes with random (unique) content. */
function pdfLike(size: number): Buffer {
  const head = Buffer.from("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n", "latin1");
  return Buffer.concat([head, randomBytes(Math.max(0, size - head.length))]).subarray(0, Math.max(size, head.length));
}

/** A ZIP (stored, no compression) with these entries, in this order. */
async function zipOf(entries: [string, string][]): Promise<Buffer> {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, content] of entries) {
    const n = Buffer.from(name, "utf8");
    const data = Buffer.from(content, "utf8");
    const crc = crc32(data) >>> 0;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(n.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(n.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, n, data);
    centrals.push(central, n);
    offset += 30 + n.length + data.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

type Part = [string, string] | [string, Buffer, string];

function multipart(b: Browser, assessmentId: number, parts: Part[], opts: { csrf?: string | null; json?: boolean; header?: string } = {}): Request {
  const fd = new FormData();
  const csrf = opts && "csrf" in opts ? opts.csrf : b.csrf;
  if (csrf != null) fd.append("_csrf", csrf);
  for (const p of parts) {
    if (p.length === 2) fd.append(p[0], p[1]);
    else fd.append(p[0], new Blob([new Uint8Array(p[1])]), p[2]);
  }
  const headers: Record<string, string> = { Cookie: b.cookie };
  if (opts.json !== false) headers.Accept = "application/json";
  if (opts.header) headers["x-csrf-token"] = opts.header;
  return new Request(`http://localhost/danh-gia/${assessmentId}/minh-chung`, { method: "POST", body: fd, headers });
}

function upload(b: Browser, assessmentId: number, itemCode: string | string[], file: Buffer, name: string, extra: Part[] = [], opts: Parameters<typeof multipart>[3] = {}) {
  const codes = Array.isArray(itemCode) ? itemCode : [itemCode];
  const req = multipart(b, assessmentId, [["intent", "upload"], ...codes.map((c) => ["itemCode", c] as Part), ...extra, ["file", file, name]], opts);
  return run(evidenceRoute.action as never, req, { id: String(assessmentId) });
}

function post(b: Browser, assessmentId: number, fields: Record<string, string | string[]>, opts?: { csrf?: string | null; json?: boolean }) {
  const req = b.post(`/danh-gia/${assessmentId}/minh-chung`, fields, opts);
  if (opts?.json !== false) req.headers.set("Accept", "application/json");
  return run(evidenceRoute.action as never, req, { id: String(assessmentId) });
}

function download(b: Browser, evidenceId: number | string, query = "") {
  return run(downloadRoute.loader as never, b.get(`/minh-chung/${evidenceId}${query}`), { evidenceId: String(evidenceId) });
}

const sha = (buf: Buffer) => createHash("sha256").update(buf).digest("hex");
const shaPath = (h: string) => path.join(EVIDENCE_DIR, h.slice(0, 2), h.slice(2, 4), h);

/** Every file under the evidence folder, relative, with staging files listed separately. */
function filesOnDisk(): { stored: string[]; temp: string[] } {
  const stored: string[] = [];
  const temp: string[] = [];
  const walk = (dir: string) => {
    if (!fs.existsSync(dir)) return;
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else (path.relative(EVIDENCE_DIR, p).startsWith(".tmp") ? temp : stored).push(path.relative(EVIDENCE_DIR, p));
    }
  };
  walk(EVIDENCE_DIR);
  return { stored: stored.sort(), temp };
}

const blobCount = () => getDb().select().from(blobs).all().length;
type Json = { ok: boolean; field?: string; message?: string; itemCode?: string; entries?: { code: string; evidenceId: number; fileName: string | null; title: string }[] };
const body = async (res: Response) => (await res.json()) as Json;

function lastEvidence() {
  return getDb().$client.prepare("SELECT * FROM evidence ORDER BY id DESC LIMIT 1").get() as { id: number; file_name: string | null; sha256: string | null; title: string; deleted_at: number | null };
}

// ───────────────────────────── pure helpers ─────────────────────────────

describe("file names and types", () => {
  it("sanitises names but keeps Vietnamese letters", () => {
    expect(sanitizeFileName("Kế hoạch CĐS 2025.pdf")).toBe("Kế hoạch CĐS 2025.pdf");
    // Decomposed (NFD) input becomes NFC.
    expect(sanitizeFileName("Ke\u0302\u0301 hoa\u0323ch.pdf")).toBe("Kế hoạch.pdf");
    expect(sanitizeFileName("../../etc/passwd.pdf")).toBe("passwd.pdf");
    expect(sanitizeFileName("..\\..\\x.pdf")).toBe("x.pdf");
    expect(sanitizeFileName("C:\\Users\\a\\Báo cáo.docx")).toBe("Báo cáo.docx");
    expect(sanitizeFileName("a\u0000b\u202Efdp.exe")).toBe("abfdp.exe");
    expect(sanitizeFileName('Quy chế: "dạy học" <trực tuyến>?.pdf')).toBe("Quy chế dạy học trực tuyến .pdf".replace(" .pdf", ".pdf"));
    expect(sanitizeFileName("CON.pdf")).toBe("_CON.pdf");
    expect(sanitizeFileName(".htaccess")).toBeNull();
    expect(sanitizeFileName("....pdf")).toBeNull();
    expect(sanitizeFileName("")).toBeNull();
    const long = sanitizeFileName(`${"Ạ".repeat(300)}.pdf`)!;
    expect(Array.from(long).length).toBeLessThanOrEqual(120);
    expect(long.endsWith(".pdf")).toBe(true);
  });

  it("builds an RFC 5987 Content-Disposition", () => {
    expect(contentDisposition("attachment", "Kế hoạch CĐS 2025.pdf")).toBe(
      `attachment; filename="Ke hoach CDS 2025.pdf"; filename*=UTF-8''K%E1%BA%BF%20ho%E1%BA%A1ch%20C%C4%90S%202025.pdf`,
    );
  });

  it("recognises the allowed types by content, including Office files inside ZIPs", async () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet("Danh sách").addRow(["Lớp", "Sĩ số"]);
    const xlsx = Buffer.from(await wb.xlsx.writeBuffer());
    expect((await detectEvidenceType(xlsx))?.ext).toBe("xlsx");
    const ct = (main: string) => `<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Override PartName="/x" ContentType="${main}"/></Types>`;
    const docx = await zipOf([["[Content_Types].xml", ct("application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml")], ["word/document.xml", "<w/>"]]);
    expect((await detectEvidenceType(docx))?.ext).toBe("docx");
    // [Content_Types].xml after the parts: found from the local file headers.
    const pptxLate = await zipOf([["ppt/presentation.xml", "<p/>"], ["[Content_Types].xml", ct("x")]]);
    expect((await detectEvidenceType(pptxLate))?.ext).toBe("pptx");
    expect(await detectEvidenceType(await zipOf([["a.txt", "xin chào"]]))).toBeNull();
    expect((await detectEvidenceType(await realPdf("x")))?.ext).toBe("pdf");
    expect(await detectEvidenceType(Buffer.from("MZ\x90\x00\x03\x00\x00\x00\x04\x00", "latin1"))).toBeNull();
    expect(await detectEvidenceType(Buffer.from("Đây là văn bản, không phải PDF"))).toBeNull();
  });
});

// ───────────────────────────── uploads ─────────────────────────────

describe("uploading files", () => {
  let pdf: Buffer;
  beforeAll(async () => {
    pdf = await realPdf("Ke hoach chuyen doi so 2025");
  });

  it("streams a PDF into storage under its sha256 and attaches it with code MC-<item>-01", async () => {
    const res = await upload(headA, ids.aA, "1.3.1", pdf, "Kế hoạch CĐS 2025.pdf", [["title", "Kế hoạch chuyển đổi số năm 2025"]]);
    expect(res.status).toBe(200);
    const data = await body(res);
    expect(data.ok).toBe(true);
    expect(data.entries?.map((e) => e.code)).toEqual(["MC-1.3.1-01"]);
    const h = sha(pdf);
    expect(fs.readFileSync(shaPath(h)).equals(pdf)).toBe(true);
    const ev = lastEvidence();
    expect(ev).toMatchObject({ sha256: h, file_name: "Kế hoạch CĐS 2025.pdf", title: "Kế hoạch chuyển đổi số năm 2025" });
    const blob = getDb().select().from(blobs).where(eq(blobs.sha256, h)).get()!;
    expect(blob).toMatchObject({ size: pdf.length, mime: "application/pdf" });
    // Audit entries in the same transaction, with school and assessment.
    const audit = getDb().select().from(auditLog).where(and(eq(auditLog.entityType, "evidence"), eq(auditLog.entityId, String(ev.id)))).all();
    expect(audit.map((a) => a.action).sort()).toEqual(["evidence.attach", "evidence.upload"]);
    expect(audit.every((a) => a.schoolId === ids.schoolA && a.assessmentId === ids.aA && a.actorId === ids.headA)).toBe(true);
    expect(filesOnDisk().temp).toEqual([]);
  });

  it("stores the same content once, and a plain form is redirected back to the item", async () => {
    const before = { blobs: blobCount(), files: filesOnDisk().stored.length };
    const res = await upload(staffA, ids.aA, "1.3.2", pdf, "ban-sao.pdf", [], { json: false });
    expect(res.status).toBe(303);
    expect(res.headers.get("Location")).toBe(`/danh-gia/${ids.aA}/minh-chung?item=1.3.2`);
    expect(blobCount()).toBe(before.blobs);
    expect(filesOnDisk().stored.length).toBe(before.files);
    expect(filesOnDisk().stored).toEqual([path.relative(EVIDENCE_DIR, shaPath(sha(pdf)))]);
    const rows = getDb().select().from(evidence).where(eq(evidence.sha256, sha(pdf))).all();
    expect(rows).toHaveLength(2);
    expect(evidenceForAssessment(ids.aA).map((e) => e.code)).toEqual(["MC-1.3.1-01", "MC-1.3.2-01"]);
  });

  it("numbers further evidence of an item and can attach one upload to several items", async () => {
    const res = await upload(headA, ids.aA, ["1.3.1", "1.4"], pdfLike(3000), "Danh sách học liệu.pdf");
    expect(res.status).toBe(200);
    const codes = evidenceForAssessment(ids.aA).map((e) => e.code);
    expect(codes).toEqual(["MC-1.3.1-01", "MC-1.3.1-02", "MC-1.3.2-01", "MC-1.4-01"]);
  });

  it("refuses a file over EVIDENCE_MAX_BYTES with 413 and leaves nothing behind", async () => {
    process.env.EVIDENCE_MAX_BYTES = "1024";
    try {
      const before = { blobs: blobCount(), files: filesOnDisk().stored, evidence: getDb().select().from(evidence).all().length };
      const res = await upload(headA, ids.aA, "1.3.1", pdfLike(5 * 1024), "lon-qua.pdf");
      expect(res.status).toBe(413);
      const data = await body(res);
      expect(data).toMatchObject({ ok: false, field: "file" });
      expect(data.message).toBe("Tệp quá lớn: tối đa 1 KB mỗi tệp.");
      expect(blobCount()).toBe(before.blobs);
      expect(getDb().select().from(evidence).all().length).toBe(before.evidence);
      expect(filesOnDisk()).toEqual({ stored: before.files, temp: [] });
    } finally {
      delete process.env.EVIDENCE_MAX_BYTES;
    }
  });

  it("refuses a text file named .pdf and a renamed executable with 415", async () => {
    const before = filesOnDisk();
    const text = await upload(headA, ids.aA, "1.3.1", Buffer.from("Đây chỉ là văn bản thường.\n".repeat(50)), "ke-hoach.pdf");
    expect(text.status).toBe(415);
    const data = await body(text);
    expect(data.field).toBe("file");
    expect(data.message).toMatch(/^Loại tệp không được chấp nhận/);
    const exe = Buffer.concat([Buffer.from("MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff", "latin1"), randomBytes(4000)]);
    const res = await upload(headA, ids.aA, "1.3.1", exe, "bao-cao.pdf");
    expect(res.status).toBe(415);
    const zip = await upload(headA, ids.aA, "1.3.1", await zipOf([["a.txt", "x"]]), "tai-lieu.docx");
    expect(zip.status).toBe(415);
    expect(filesOnDisk()).toEqual(before);
  });

  it("accepts an Excel file by its content", async () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet("Học liệu").addRow(["Môn", "Có học liệu số"]);
    const res = await upload(headA, ids.aA, "1.4", Buffer.from(await wb.xlsx.writeBuffer()), "Thống kê học liệu.xlsx");
    expect(res.status).toBe(200);
    expect(evidenceForAssessment(ids.aA).find((e) => e.fileName === "Thống kê học liệu.xlsx")?.mime).toBe("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
  });

  it("stores a path-traversal name safely: sanitised display name, file only under its sha path", async () => {
    for (const name of ["../../etc/passwd.pdf", "..\\..\\x.pdf"]) {
      const file = pdfLike(1500);
      const res = await upload(headA, ids.aA, "1.2", file, name);
      expect(res.status).toBe(200);
      const ev = lastEvidence();
      expect(ev.file_name).not.toMatch(/[/\\]/);
      expect(ev.file_name).not.toContain("..");
      expect(fs.existsSync(shaPath(sha(file)))).toBe(true);
    }
    expect(fs.existsSync(path.resolve(EVIDENCE_DIR, "../../etc/passwd.pdf"))).toBe(false);
    const { stored, temp } = filesOnDisk();
    expect(temp).toEqual([]);
    for (const f of stored) expect(f).toMatch(/^[0-9a-f]{2}\/[0-9a-f]{2}\/[0-9a-f]{64}$/);
  });

  it("corrects a misleading extension and refuses a name with nothing left (400)", async () => {
    const png = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==", "base64");
    const res = await upload(headA, ids.aA, "1.7.1", png, "Ảnh phòng học.pdf");
    expect(res.status).toBe(200);
    expect(lastEvidence().file_name).toBe("Ảnh phòng học.png");
    const bad = await upload(headA, ids.aA, "1.7.1", pdfLike(500), "....pdf");
    expect(bad.status).toBe(400);
    expect(await body(bad)).toMatchObject({ field: "file", message: "Tên tệp không hợp lệ. Hãy đổi tên tệp (có chữ hoặc số) rồi tải lại." });
    const none = await upload(headA, ids.aA, "1.7.1", Buffer.alloc(0), "");
    expect(none.status).toBe(400);
    expect((await body(none)).message).toBe("Vui lòng chọn tệp cần tải lên.");
  });

  it("keeps one blob and one file when the same new content arrives twice at once, or races its removal", async () => {
    const file = pdfLike(50_000);
    const h = sha(file);
    const [r1, r2] = await Promise.all([upload(headA, ids.aA, "2.3.1", file, "dong-thoi-1.pdf"), upload(staffA, ids.aA, "2.3.2", file, "dong-thoi-2.pdf")]);
    expect([r1.status, r2.status]).toEqual([200, 200]);
    expect(getDb().select().from(blobs).where(eq(blobs.sha256, h)).all()).toHaveLength(1);
    expect(filesOnDisk().stored.filter((f) => f.endsWith(h))).toHaveLength(1);
    // Remove both while the same content is uploaded again: whatever the order, row ⇔ file.
    const live = evidenceForAssessment(ids.aA).filter((e) => e.fileName?.startsWith("dong-thoi"));
    const results = await Promise.all([
      post(headA, ids.aA, { intent: "detach", evidenceId: String(live[0].evidenceId), itemCode: live[0].itemCode }),
      post(headA, ids.aA, { intent: "detach", evidenceId: String(live[1].evidenceId), itemCode: live[1].itemCode }),
      upload(headA, ids.aA, "2.3.3", file, "dong-thoi-3.pdf"),
    ]);
    expect(results.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(getDb().select().from(blobs).where(eq(blobs.sha256, h)).all()).toHaveLength(1);
    expect(fs.readFileSync(shaPath(h)).equals(file)).toBe(true);
    expect(filesOnDisk().temp).toEqual([]);
  });

  it("refuses unknown item codes and discards the staged file", async () => {
    const before = filesOnDisk();
    const res = await upload(headA, ids.aA, "9.9.9", pdfLike(800), "x.pdf");
    expect(res.status).toBe(400);
    expect((await body(res)).field).toBe("itemCode");
    // An indicator code is not an item code.
    expect((await upload(headA, ids.aA, "1.3", pdfLike(800), "x.pdf")).status).toBe(400);
    expect(filesOnDisk()).toEqual(before);
  });

  it("refuses an upload over the school's quota with 413; a file already in the library costs nothing", async () => {
    const used = schoolUsageBytes(ids.schoolA);
    process.env.EVIDENCE_SCHOOL_QUOTA_BYTES = String(used + 100);
    try {
      const before = { blobs: blobCount(), files: filesOnDisk() };
      const res = await upload(headA, ids.aA, "2.2", pdfLike(2048), "moi.pdf");
      expect(res.status).toBe(413);
      const data = await body(res);
      expect(data.field).toBe("file");
      expect(data.message).toMatch(/^Thư viện minh chứng của trường đã đạt giới hạn dung lượng/);
      expect(blobCount()).toBe(before.blobs);
      expect(filesOnDisk()).toEqual(before.files);
      // Same content as an existing evidence of the school: accepted.
      const again = await upload(headA, ids.aA, "2.2", pdf, "lai.pdf");
      expect(again.status).toBe(200);
      // School B's usage is its own.
      expect(schoolUsageBytes(ids.schoolB)).toBe(0);
      process.env.EVIDENCE_SCHOOL_QUOTA_BYTES = String(schoolUsageBytes(ids.schoolA));
      const full = await upload(headA, ids.aA, "2.2", pdfLike(600), "day.pdf");
      expect(full.status).toBe(413);
    } finally {
      delete process.env.EVIDENCE_SCHOOL_QUOTA_BYTES;
    }
  });
});

// ───────────────────────────── CSRF and authorization ─────────────────────────────

describe("CSRF and authorization of changes", () => {
  it("refuses an upload without the token (403) and stores nothing", async () => {
    const before = { blobs: blobCount(), files: filesOnDisk(), evidence: getDb().select().from(evidence).all().length };
    const res = await upload(headA, ids.aA, "1.1", pdfLike(2000), "khong-token.pdf", [], { csrf: null });
    expect(res.status).toBe(403);
    expect((await body(res)).message).toMatch(/^Phiên biểu mẫu đã hết hạn/);
    const forged = await upload(headA, ids.aA, "1.1", pdfLike(2000), "gia.pdf", [], { csrf: "x".repeat(43) });
    expect(forged.status).toBe(403);
    // The token must come before the file part.
    const late = multipart(headA, ids.aA, [["intent", "upload"], ["itemCode", "1.1"], ["file", pdfLike(2000), "sau.pdf"], ["_csrf", headA.csrf]], { csrf: null });
    expect((await run(evidenceRoute.action as never, late, { id: String(ids.aA) })).status).toBe(403);
    expect({ blobs: blobCount(), files: filesOnDisk(), evidence: getDb().select().from(evidence).all().length }).toEqual(before);
  });

  it("accepts the token in the x-csrf-token header (fetch uploads)", async () => {
    const res = await upload(headA, ids.aA, "1.1", pdfLike(1200), "Quyết định.pdf", [], { csrf: null, header: headA.csrf });
    expect(res.status).toBe(200);
    const bad = await upload(headA, ids.aA, "1.1", pdfLike(1200), "x.pdf", [], { csrf: null, header: "sai" });
    expect(bad.status).toBe(403);
  });

  it("refuses changes from another school and from the reviewing office", async () => {
    const b = await upload(headB, ids.aA, "1.1", pdfLike(900), "b.pdf");
    expect(b.status).toBe(403);
    const r = await post(reviewerA, ids.aA, { intent: "link", itemCode: "1.1", url: "https://example.edu.vn", title: "x" });
    expect(r.status).toBe(403);
  });
});

// ───────────────────────────── links ─────────────────────────────

describe("links", () => {
  it("adds an http(s) link with a title and a code", async () => {
    const res = await post(headA, ids.aA, { intent: "link", itemCode: "2.4.1", url: "https://lms.truong-a.edu.vn/lop/5A?tab=bai-tap", title: "Hệ thống LMS của trường" });
    expect(res.status).toBe(200);
    const data = await body(res);
    expect(data.entries?.[0]).toMatchObject({ code: "MC-2.4.1-01", title: "Hệ thống LMS của trường" });
  });

  it("refuses javascript:, data:, other schemes and credentials with 400", async () => {
    for (const url of ["javascript:alert(1)", "JavaScript:alert(document.cookie)", " javascript:void(0)", "data:text/html,<script>1</script>", "ftp://x.vn/a", "https://user:pass@x.vn/", "khong-phai-url", `https://x.vn/${"a".repeat(2100)}`]) {
      const res = await post(headA, ids.aA, { intent: "link", itemCode: "2.4.1", url, title: "Thử" });
      expect(res.status, url).toBe(400);
      expect((await body(res)).field).toBe("url");
    }
    const noTitle = await post(headA, ids.aA, { intent: "link", itemCode: "2.4.1", url: "https://x.vn", title: "  " });
    expect(noTitle.status).toBe(400);
    expect((await body(noTitle)).field).toBe("title");
  });

  it("redirects a link evidence download to its address", async () => {
    const link = evidenceForAssessment(ids.aA).find((e) => e.kind === "link")!;
    const res = await download(headA, link.evidenceId);
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe("https://lms.truong-a.edu.vn/lop/5A?tab=bai-tap");
  });
});

// ───────────────────────────── downloads ─────────────────────────────

describe("downloads", () => {
  it("gives the school its exact bytes with the right headers", async () => {
    const entry = evidenceForAssessment(ids.aA).find((e) => e.fileName === "Kế hoạch CĐS 2025.pdf")!;
    const res = await download(headA, entry.evidenceId);
    expect(res.status).toBe(200);
    const bytes = Buffer.from(await res.arrayBuffer());
    expect(sha(bytes)).toBe(getDb().select().from(evidence).where(eq(evidence.id, entry.evidenceId)).get()!.sha256);
    expect(res.headers.get("Content-Type")).toBe("application/pdf");
    expect(res.headers.get("Content-Length")).toBe(String(bytes.length));
    expect(res.headers.get("X-Content-Type-Options")).toBe("nosniff");
    expect(res.headers.get("Content-Disposition")).toBe(
      `attachment; filename="Ke hoach CDS 2025.pdf"; filename*=UTF-8''K%E1%BA%BF%20ho%E1%BA%A1ch%20C%C4%90S%202025.pdf`,
    );
  });

  it("previews PDFs and images inline under a restrictive CSP, and nothing else", async () => {
    const entries = evidenceForAssessment(ids.aA);
    const pdfEntry = entries.find((e) => e.mime === "application/pdf")!;
    const pdfRes = await download(headA, pdfEntry.evidenceId, "?xem=1");
    expect(pdfRes.headers.get("Content-Disposition")).toMatch(/^inline; /);
    expect(pdfRes.headers.get("Content-Security-Policy")).toMatch(/default-src 'none'/);
    const png = entries.find((e) => e.mime === "image/png")!;
    const pngRes = await download(headA, png.evidenceId, "?xem=1");
    expect(pngRes.headers.get("Content-Disposition")).toMatch(/^inline; /);
    expect(pngRes.headers.get("Content-Security-Policy")).toBe("default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; frame-ancestors 'self'; sandbox");
    const xlsx = entries.find((e) => e.fileName === "Thống kê học liệu.xlsx")!;
    const xlsxRes = await download(headA, xlsx.evidenceId, "?xem=1");
    expect(xlsxRes.headers.get("Content-Disposition")).toMatch(/^attachment; /);
  });

  it("is readable by the reviewing office, and a 404 for another school's head", async () => {
    const entry = evidenceForAssessment(ids.aA)[0];
    expect((await download(reviewerA, entry.evidenceId)).status).toBe(200);
    const other = await download(headB, entry.evidenceId);
    expect(other.status).toBe(404);
    const missing = await download(headB, 999_999);
    expect(missing.status).toBe(404);
    expect(await other.text()).toBe(await missing.text());
    expect((await download(headA, "abc")).status).toBe(404);
  });

  it("shows the list to the school and its office; only the school may edit", async () => {
    const asHead = await run(evidenceRoute.loader as never, headA.get(`/danh-gia/${ids.aA}/minh-chung?item=1.3.1`), { id: String(ids.aA) });
    const data = (await asHead.json()) as { canEdit: boolean; selectedItem: string; entries: unknown[] };
    expect(data).toMatchObject({ canEdit: true, selectedItem: "1.3.1" });
    expect(data.entries.length).toBeGreaterThan(3);
    const asReviewer = (await (await run(evidenceRoute.loader as never, reviewerA.get(`/danh-gia/${ids.aA}/minh-chung`), { id: String(ids.aA) })).json()) as { canEdit: boolean };
    expect(asReviewer.canEdit).toBe(false);
    expect((await run(evidenceRoute.loader as never, headB.get(`/danh-gia/${ids.aA}/minh-chung`), { id: String(ids.aA) })).status).toBe(403);
  });
});

// ───────────────────────────── library and reuse ─────────────────────────────

describe("the school's library", () => {
  it("lists evidence with where it is used, searchable without accents", async () => {
    const lib = schoolLibrary(ids.schoolA, { q: "ke hoach" });
    expect(lib.map((e) => e.title)).toContain("Kế hoạch chuyển đổi số năm 2025");
    const entry = lib.find((e) => e.title === "Kế hoạch chuyển đổi số năm 2025")!;
    expect(entry.uses).toEqual([{ assessmentId: ids.aA, schoolYear: `${year}-${year + 1}`, status: "draft", itemCode: "1.3.1", code: "MC-1.3.1-01" }]);
    const res = await run(libraryRoute.loader as never, headA.get(`/truong/${ids.schoolA}/minh-chung?item=2.1`), { schoolId: String(ids.schoolA) });
    const page = (await res.json()) as { current: { id: number }; item: string; entries: unknown[] };
    expect(page.current.id).toBe(ids.aA);
    expect(page.item).toBe("2.1");
    expect((await run(libraryRoute.loader as never, headB.get(`/truong/${ids.schoolA}/minh-chung`), { schoolId: String(ids.schoolA) })).status).toBe(403);
  });

  it("reuses a library evidence for another item in one call; never another school's", async () => {
    const entry = schoolLibrary(ids.schoolA, { q: "Kế hoạch chuyển đổi số" })[0];
    const res = await post(headA, ids.aA, { intent: "attach", evidenceId: String(entry.evidenceId), itemCode: "2.2", redirectTo: `/truong/${ids.schoolA}/minh-chung` }, { json: false });
    expect(res.status).toBe(303);
    // Back on the library page with its confirmation: the code just made.
    expect(res.headers.get("Location")).toBe(`/truong/${ids.schoolA}/minh-chung?da-dung=MC-2.2-02`);
    expect(evidenceForAssessment(ids.aA).filter((e) => e.evidenceId === entry.evidenceId).map((e) => e.code)).toEqual(["MC-1.3.1-01", "MC-2.2-02"]);
    const back = await run(libraryRoute.loader as never, headA.get(`/truong/${ids.schoolA}/minh-chung?da-dung=MC-2.2-02`), { schoolId: String(ids.schoolA) });
    expect(((await back.json()) as { attachedCodes: string | null }).attachedCodes).toBe("MC-2.2-02");
    // A forged value is ignored, never echoed.
    const forged = await run(libraryRoute.loader as never, headA.get(`/truong/${ids.schoolA}/minh-chung?da-dung=%3Cscript%3E`), { schoolId: String(ids.schoolA) });
    expect(((await forged.json()) as { attachedCodes: string | null }).attachedCodes).toBeNull();
    // Attaching again is harmless and keeps the code.
    const again = await post(headA, ids.aA, { intent: "attach", evidenceId: String(entry.evidenceId), itemCode: "2.2" });
    expect(again.status).toBe(200);
    expect(evidenceForAssessment(ids.aA).filter((e) => e.itemCode === "2.2").length).toBe(2);
    // School B's head may not attach A's evidence to B's assessment.
    const cross = await post(headB, ids.aB, { intent: "attach", evidenceId: String(entry.evidenceId), itemCode: "2.2" });
    expect(cross.status).toBe(404);
  });
});

// ───────────────────────────── detach and delete ─────────────────────────────

describe("detaching", () => {
  it("removes the link; the blob goes only when no evidence refers to it", async () => {
    const h = sha((await realPdf("Ke hoach chuyen doi so 2025")));
    const sharing = getDb().select().from(evidence).where(eq(evidence.sha256, h)).all();
    expect(sharing.length).toBe(3); // the original, the copy for 1.3.2, the one uploaded under quota
    const links = getDb().select().from(evidenceLinks).all().filter((l) => sharing.some((s) => s.id === l.evidenceId));
    const auditBefore = getDb().select().from(auditLog).all().length;

    // Detach every link but the last one: the blob and its file stay.
    for (const l of links.slice(0, -1)) {
      const res = await post(headA, ids.aA, { intent: "detach", evidenceId: String(l.evidenceId), itemCode: l.itemCode });
      expect(res.status).toBe(200);
      expect(fs.existsSync(shaPath(h))).toBe(true);
    }
    expect(getDb().select().from(blobs).where(eq(blobs.sha256, h)).get()).toBeTruthy();
    const last = links[links.length - 1];
    const res = await post(headA, ids.aA, { intent: "detach", evidenceId: String(last.evidenceId), itemCode: last.itemCode }, { json: false });
    expect(res.status).toBe(303);
    expect(getDb().select().from(blobs).where(eq(blobs.sha256, h)).get()).toBeUndefined();
    expect(fs.existsSync(shaPath(h))).toBe(false);
    // Soft-deleted rows stay for history; they are gone from the library and from downloads.
    const rows = getDb().select().from(evidence).all().filter((r) => sharing.some((s) => s.id === r.id));
    expect(rows.every((r) => r.deletedAt != null && r.sha256 === null)).toBe(true);
    expect(schoolLibrary(ids.schoolA).some((e) => sharing.some((s) => s.id === e.evidenceId))).toBe(false);
    expect((await download(headA, last.evidenceId)).status).toBe(404);
    // One detach entry per link, one delete entry per evidence.
    const newAudit = getDb().select().from(auditLog).all().slice(auditBefore);
    expect(newAudit.filter((a) => a.action === "evidence.detach")).toHaveLength(links.length);
    expect(newAudit.filter((a) => a.action === "evidence.delete")).toHaveLength(sharing.length);
    expect(filesOnDisk().temp).toEqual([]);
  });

  it("never reuses a code within an assessment", async () => {
    const res = await upload(headA, ids.aA, "1.3.1", pdfLike(1000), "Bổ sung.pdf");
    expect(res.status).toBe(200);
    // MC-1.3.1-01 was detached above; -02 still exists; the new one is -03.
    expect((await body(res)).entries?.map((e) => e.code)).toContain("MC-1.3.1-03");
  });

  it("refuses a detach that is not linked (404) and any change once submitted (409)", async () => {
    const entry = evidenceForAssessment(ids.aA)[0];
    const wrong = await post(headA, ids.aA, { intent: "detach", evidenceId: String(entry.evidenceId), itemCode: "2.4.3" });
    expect(wrong.status).toBe(404);

    const submitted = submitAssessment(ids.aA, ids.headA);
    expect(submitted.ok).toBe(true);
    const res = await post(headA, ids.aA, { intent: "detach", evidenceId: String(entry.evidenceId), itemCode: entry.itemCode });
    expect(res.status).toBe(409);
    expect((await body(res)).message).toBe("Hồ sơ đã gửi, đã duyệt hoặc đã được công nhận: không thể thêm, gỡ hay thay đổi minh chứng.");
    expect(evidenceForAssessment(ids.aA).some((e) => e.code === entry.code)).toBe(true);
    const before = filesOnDisk();
    const up = await upload(headA, ids.aA, "1.1", pdfLike(1000), "muon.pdf");
    expect(up.status).toBe(409);
    expect(filesOnDisk()).toEqual(before);
    const link = await post(headA, ids.aA, { intent: "link", itemCode: "1.1", url: "https://x.vn", title: "x" });
    expect(link.status).toBe(409);
    // Still downloadable after submission.
    expect((await download(reviewerA, evidenceForAssessment(ids.aA).find((e) => e.kind === "file")!.evidenceId)).status).toBe(200);
  });
});
