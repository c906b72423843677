/**
 * Issue 12, finding 4: the report PDF is cached on disk per version of its data
 * (app/server/pdf/document-cache.server.ts), through the route /danh-gia/:id/bao-cao.pdf.
 * Renders are counted by the pool (pdfPoolStats().rendered), cache reads by documentCacheStats().
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { useTestDatabase } from "../helpers/db";
import { browserAs, run } from "../helpers/http";
import { getDb } from "~/server/db/client.server";
import { schools } from "~/server/db/schema.server";
import { createSchool, createUnit, createUser } from "~/server/services/org.server";
import { openCycle } from "~/server/services/cycles.server";
import { assessmentsOfSchool, getAssessment, saveAnswers } from "~/server/services/assessments.server";
import { documentCacheDir, documentCacheStats, documentKey } from "~/server/pdf/document-cache.server";
import { closePdfPool, pdfPoolStats, renderDocumentJson, type DocumentKind } from "~/server/pdf/pool.server";
import { report } from "~/i18n/report";
import * as pdfRoute from "~/routes/danh-gia.$id.bao-cao[.]pdf";

const dbPath = useTestDatabase("doc-cache");

const PASSWORD = "mat-khau-kiem-thu-123";
const KIND = "self-assessment-report";
const ENV = ["PDF_WORKERS", "PDF_QUEUE", "PDF_TIMEOUT_MS", "PDF_WORKER_PATH", "DOCUMENT_CACHE_DIR"] as const;
const savedEnv = Object.fromEntries(ENV.map((k) => [k, process.env[k]]));

let cacheRoot = "";
let ids: { a: number; c: number; headA: number };

const dirOf = (id: number) => path.join(cacheRoot, KIND, String(id));
const filesOf = (id: number) => (fs.existsSync(dirOf(id)) ? fs.readdirSync(dirOf(id)).sort() : []);

async function get(user: string, id: number, headers: Record<string, string> = {}) {
  const br = await browserAs(user);
  const req = br.get(`/danh-gia/${id}/bao-cao.pdf`);
  for (const [k, v] of Object.entries(headers)) req.headers.set(k, v);
  const r = await run(pdfRoute.loader as never, req, { id: String(id) });
  return { r, body: Buffer.from(await r.arrayBuffer()) };
}

function counts() {
  const p = pdfPoolStats();
  const c = documentCacheStats();
  return { rendered: p.rendered, hits: c.hits, misses: c.misses, writes: c.writes };
}

beforeAll(async () => {
  cacheRoot = fs.mkdtempSync(path.join(os.tmpdir(), "doc-cache-"));
  process.env.DOCUMENT_CACHE_DIR = cacheRoot;
  const province = createUnit({ kind: "province", code: "S38", name: "Sở Giáo dục và Đào tạo tỉnh Thanh Hóa", parentId: null }, null);
  const district = createUnit({ kind: "district", code: "P3801", name: "Phòng Giáo dục và Đào tạo thành phố Đông Sơn", parentId: province }, null);
  const mk = (code: string, name: string) => createSchool({ code, name, type: "THCS", managingUnitId: district, reviewingUnitId: district }, null);
  const schoolA = mk("38101234", "Trường THCS Nguyễn Văn Trỗi");
  const schoolB = mk("38105678", "Trường THCS Đông Hương");
  const schoolC = mk("38109999", "Trường THCS Lê Lợi");
  const admin = await createUser({ username: "admin.cache", displayName: "Quản trị", password: PASSWORD, roles: ["office_admin"], unitId: district }, null);
  const headA = await createUser({ username: "head.a", displayName: "Nguyễn Thị Thuý Hồng", password: PASSWORD, roles: ["school_head"], schoolId: schoolA }, null);
  await createUser({ username: "head.b", displayName: "Trần Văn Bình", password: PASSWORD, roles: ["school_head"], schoolId: schoolB }, null);
  expect(openCycle({ ownerUnitId: district, schoolYear: "2025-2026", editionId: "qd-4725-2022", selfAssessmentDeadline: "2099-05-31", reviewDeadline: "2099-06-20" }, admin)).toMatchObject({ ok: true });
  ids = { a: assessmentsOfSchool(schoolA)[0].id, c: assessmentsOfSchool(schoolC)[0].id, headA };
  expect(saveAnswers(ids.a, { baseVersion: getAssessment(ids.a)!.version, changes: { "1.1": { value: true }, "1.4": { value: { numerator: 7, denominator: 10 } } } }, headA).ok).toBe(true);
});

afterAll(async () => {
  await closePdfPool();
  for (const k of ENV) {
    if (savedEnv[k] === undefined) delete process.env[k];
    else process.env[k] = savedEnv[k];
  }
  fs.rmSync(cacheRoot, { recursive: true, force: true });
});

describe("the report PDF cache", () => {
  it("lives next to the database unless DOCUMENT_CACHE_DIR says otherwise", () => {
    const set = process.env.DOCUMENT_CACHE_DIR;
    delete process.env.DOCUMENT_CACHE_DIR;
    expect(documentCacheDir()).toBe(path.join(path.dirname(path.resolve(dbPath())), "cache", "documents"));
    process.env.DOCUMENT_CACHE_DIR = set;
    expect(documentCacheDir()).toBe(cacheRoot);
  });

  let etag1 = "";
  let pdf1: Buffer;

  it("renders once, stores the file under its key, and serves the second request from disk", async () => {
    const before = counts();
    const first = await get("head.a", ids.a);
    expect(first.r.status).toBe(200);
    expect(first.r.headers.get("Content-Type")).toBe("application/pdf");
    expect(first.r.headers.get("Cache-Control")).toBe("private, no-cache");
    etag1 = first.r.headers.get("ETag")!;
    expect(etag1).toMatch(/^"[0-9a-f]{64}"$/);
    pdf1 = first.body;
    expect(pdf1.subarray(0, 5).toString("latin1")).toBe("%PDF-");
    expect(Number(first.r.headers.get("Content-Length"))).toBe(pdf1.length);
    expect(counts()).toEqual({ ...before, rendered: before.rendered + 1, misses: before.misses + 1, writes: before.writes + 1 });
    // The file on disk is the response, named by the ETag.
    expect(filesOf(ids.a)).toEqual([`${etag1.slice(1, -1)}.pdf`]);
    expect(fs.readFileSync(path.join(dirOf(ids.a), filesOf(ids.a)[0])).equals(pdf1)).toBe(true);

    const second = await get("head.a", ids.a);
    expect(second.r.status).toBe(200);
    expect(second.r.headers.get("ETag")).toBe(etag1);
    expect(Number(second.r.headers.get("Content-Length"))).toBe(pdf1.length);
    expect(second.r.headers.get("Content-Disposition")).toContain("Bao-cao-tu-danh-gia-38101234-2025-2026.pdf");
    expect(second.body.equals(pdf1)).toBe(true);
    const after = counts();
    expect(after.rendered).toBe(before.rendered + 1);
    expect(after.hits).toBe(before.hits + 1);
  });

  it("answers 304 to If-None-Match with the ETag, without rendering or reading the cache", async () => {
    const before = counts();
    const r = await get("head.a", ids.a, { "If-None-Match": `W/"0000", ${etag1}` });
    expect(r.r.status).toBe(304);
    expect(r.body.length).toBe(0);
    expect(r.r.headers.get("ETag")).toBe(etag1);
    expect(r.r.headers.get("Cache-Control")).toBe("private, no-cache");
    expect(counts()).toEqual(before);
    // Another tag is not a match.
    const other = await get("head.a", ids.a, { "If-None-Match": `"${"0".repeat(64)}"` });
    expect(other.r.status).toBe(200);
    expect(other.body.equals(pdf1)).toBe(true);
  });

  let etag2 = "";

  it("a changed answer (a new version) changes the ETag, renders again and keeps one file", async () => {
    const head = ids.headA;
    expect(saveAnswers(ids.a, { baseVersion: getAssessment(ids.a)!.version, changes: { "1.4": { value: { numerator: 9, denominator: 10 } } } }, head).ok).toBe(true);
    const before = counts();
    const stale = await get("head.a", ids.a, { "If-None-Match": etag1 });
    expect(stale.r.status).toBe(200);
    etag2 = stale.r.headers.get("ETag")!;
    expect(etag2).toMatch(/^"[0-9a-f]{64}"$/);
    expect(etag2).not.toBe(etag1);
    expect(stale.body.equals(pdf1)).toBe(false);
    expect(counts().rendered).toBe(before.rendered + 1);
    expect(filesOf(ids.a)).toEqual([`${etag2.slice(1, -1)}.pdf`]);

    // The school renamed: the data changed, so does the key.
    getDb().update(schools).set({ name: "Trường THCS Nguyễn Văn Trỗi (mới)" }).where(eq(schools.id, getAssessment(ids.a)!.schoolId)).run();
    const renamed = await get("head.a", ids.a, { "If-None-Match": etag2 });
    expect(renamed.r.status).toBe(200);
    const etag3 = renamed.r.headers.get("ETag")!;
    expect(etag3).not.toBe(etag2);
    expect(counts().rendered).toBe(before.rendered + 2);
    expect(filesOf(ids.a)).toEqual([`${etag3.slice(1, -1)}.pdf`]);
  });

  it("another school's user gets 403 and no cache file is read or written", async () => {
    // A document of A is cached; C's has never been drawn.
    const cached = filesOf(ids.a);
    expect(cached).toHaveLength(1);
    const before = counts();
    for (const id of [ids.a, ids.c]) {
      const r = await get("head.b", id, id === ids.a ? { "If-None-Match": `"${cached[0].slice(0, -4)}"` } : {});
      expect(r.r.status, String(id)).toBe(403);
      expect(r.r.headers.get("Content-Type")).not.toBe("application/pdf");
      expect(r.r.headers.get("ETag")).toBeNull();
      expect(r.body.subarray(0, 5).toString("latin1")).not.toBe("%PDF-");
    }
    expect(counts()).toEqual(before);
    expect(filesOf(ids.a)).toEqual(cached);
    expect(fs.existsSync(dirOf(ids.c))).toBe(false);
  });

  it("answers 503 with Retry-After and a Vietnamese message when the pool is full", async () => {
    await closePdfPool();
    process.env.PDF_WORKERS = "1";
    process.env.PDF_QUEUE = "0";
    process.env.PDF_TIMEOUT_MS = "5000";
    // The one worker is busy with a job that never ends (a test-only kind).
    const hang = renderDocumentJson("test:hang" as unknown as DocumentKind, "{}").catch((e) => e);
    await new Promise((r) => setTimeout(r, 20));
    const before = counts();
    const r = await get("head.a", ids.a, { "If-None-Match": `"${"1".repeat(64)}"` });
    // A's current file is still cached: a hit needs no worker.
    expect(r.r.status).toBe(200);
    const busy = await get("admin.cache", ids.c);
    expect(busy.r.status).toBe(503);
    expect(busy.r.headers.get("Retry-After")).toBe("5");
    expect(JSON.parse(busy.body.toString("utf8"))).toEqual({ error: report.vi.errors.busy });
    expect(report.vi.errors.busy).toBe("Máy chủ đang tạo nhiều báo cáo, vui lòng thử lại sau ít giây.");
    expect(counts().rendered).toBe(before.rendered);
    expect(fs.existsSync(path.join(dirOf(ids.c)))).toBe(false);
    await closePdfPool();
    expect(await hang).toMatchObject({ reason: "closed" });
    delete process.env.PDF_QUEUE;
    delete process.env.PDF_TIMEOUT_MS;
  });

  it("answers 500 when the document cannot be drawn, and caches nothing", async () => {
    await closePdfPool();
    process.env.PDF_WORKER_PATH = path.join(cacheRoot, "missing-worker.mjs");
    const r = await get("admin.cache", ids.c);
    expect(r.r.status).toBe(500);
    expect(JSON.parse(r.body.toString("utf8"))).toEqual({ error: report.vi.errors.renderFailed });
    expect(fs.existsSync(dirOf(ids.c))).toBe(false);
    process.env.PDF_WORKER_PATH = savedEnv.PDF_WORKER_PATH;
  });

  it("still sends the PDF when the cache cannot be written", async () => {
    const blocker = path.join(cacheRoot, "not-a-dir");
    fs.writeFileSync(blocker, "x");
    process.env.DOCUMENT_CACHE_DIR = blocker;
    const before = documentCacheStats();
    const r = await get("admin.cache", ids.c);
    expect(r.r.status).toBe(200);
    expect(r.body.subarray(0, 5).toString("latin1")).toBe("%PDF-");
    expect(documentCacheStats().writeErrors).toBe(before.writeErrors + 1);
    process.env.DOCUMENT_CACHE_DIR = cacheRoot;
  });

  it("keys on kind, renderer version and data", () => {
    const k = documentKey(KIND, '{"a":1}');
    expect(k).toMatch(/^[0-9a-f]{64}$/);
    expect(documentKey(KIND, '{"a":2}')).not.toBe(k);
    expect(documentKey("bien-ban" as DocumentKind, '{"a":1}')).not.toBe(k);
    expect(documentKey(KIND, '{"a":1}')).toBe(k);
  });
});
