/**
 * Issue 12, finding 4: official documents are drawn in worker threads (app/server/pdf/pool.server.ts).
 * The worker is the bundle tests/global-setup.ts builds from the current sources (PDF_WORKER_PATH).
 *
 * - The report drawn in a worker is the same document as drawn in this thread: every object with
 *   its stream inflated, what pdfkit varies between drawings masked (see normalized), and the
 *   text with pdftotext when it is installed.
 * - More jobs than workers + PDF_QUEUE: the extra one rejects with DocumentBusy, the others resolve.
 * - A renderer that throws, a worker that exits, a job past its timeout: that job rejects, the
 *   pool replaces a dead worker, and the next jobs succeed.
 */
import { spawnSync } from "node:child_process";
import { inflateSync } from "node:zlib";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { useTestDatabase } from "../helpers/db";
import { createSchool, createUnit, createUser } from "~/server/services/org.server";
import { openCycle } from "~/server/services/cycles.server";
import { assessmentsOfSchool, getAssessment, saveAnswers, saveReportText } from "~/server/services/assessments.server";
import { buildReportData } from "~/server/services/report.server";
import { renderSelfAssessmentReportToBuffer, type ReportData } from "~/server/pdf/self-assessment-report.server";
import { closePdfPool, DocumentBusy, DocumentRenderError, pdfPoolStats, renderDocument, renderDocumentJson, warmPdfPool, type DocumentKind } from "~/server/pdf/pool.server";

useTestDatabase("pdf-pool");

const hasPdftotext = spawnSync("pdftotext", ["-v"]).error === undefined;
const ENV = ["PDF_WORKERS", "PDF_QUEUE", "PDF_TIMEOUT_MS", "PDF_WORKER_PATH"] as const;
const saved = Object.fromEntries(ENV.map((k) => [k, process.env[k]]));

let data: ReportData;

/** A kind that exists only under NODE_ENV=test (see renderers.server.ts). */
const testKind = (k: "test:throw" | "test:exit" | "test:hang" | "test:echo") => k as unknown as DocumentKind;
const echo = (payload: unknown) => renderDocumentJson(testKind("test:echo"), JSON.stringify(payload)).then((b) => JSON.parse(b.toString("utf8")));

function pageCount(pdf: Buffer): number {
  return (pdf.toString("latin1").match(/\/Type \/Page\b/g) ?? []).length;
}

/**
 * The PDF's objects with their streams inflated and what differs between two drawings of the same
 * document masked: the creation date and file ID, stream lengths, the font resource names (F1… in
 * the first document of a thread, F2… after it: the first one parses the fonts) renumbered by rank,
 * and the font-subset tags derived from them. Everything drawn (content streams with every glyph
 * and position, the embedded font subsets, the ToUnicode maps) must be equal.
 */
function normalized(pdf: Buffer): string[] {
  const s = pdf.toString("latin1");
  const fontNums = [...new Set([...s.matchAll(/\/Font <<([^>]*)>>/g)].flatMap((m) => [...m[1].matchAll(/\/F(\d+) /g)].map((x) => Number(x[1]))))].sort((a, b) => a - b);
  const rank = new Map(fontNums.map((n, i) => [n, i + 1]));
  const out: string[] = [];
  for (const m of s.matchAll(/(\d+) 0 obj\n([\s\S]*?)endobj/g)) {
    let body = m[2];
    const st = /stream\n([\s\S]*)\nendstream/.exec(body);
    if (st && body.includes("/FlateDecode")) body = body.slice(0, st.index) + "STREAM " + inflateSync(Buffer.from(st[1], "latin1")).toString("latin1");
    out.push(
      `${m[1]}: ` +
        body
          .replace(/\/Length \d+/g, "/Length n")
          .replace(/\(D:\d+Z\)/g, "(D:…)")
          .replace(/\/F(\d+) /g, (_, n) => `/F${rank.get(Number(n)) ?? "?"} `)
          .replace(/\/[A-Z]{6}\+/g, "/XXXXXX+"),
    );
  }
  expect(out.length).toBeGreaterThan(10);
  return out;
}

function pdftotext(pdf: Buffer): string {
  const r = spawnSync("pdftotext", ["-enc", "UTF-8", "-", "-"], { input: pdf, maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`pdftotext failed: ${r.stderr?.toString()}`);
  return r.stdout.toString("utf8");
}

beforeAll(async () => {
  const province = createUnit({ kind: "province", code: "S38", name: "Sở Giáo dục và Đào tạo tỉnh Thanh Hóa", parentId: null }, null);
  const district = createUnit({ kind: "district", code: "P3801", name: "Phòng Giáo dục và Đào tạo thành phố Đông Sơn", parentId: province }, null);
  const school = createSchool({ code: "38101234", name: "Trường THCS Nguyễn Văn Trỗi", type: "THCS", managingUnitId: district, reviewingUnitId: district }, null);
  const admin = await createUser({ username: "admin.pool", displayName: "Quản trị", password: "mat-khau-kiem-thu-123", roles: ["office_admin"], unitId: district }, null);
  const head = await createUser({ username: "head.pool", displayName: "Nguyễn Thị Thuý Hồng", password: "mat-khau-kiem-thu-123", roles: ["school_head"], schoolId: school }, null);
  expect(openCycle({ ownerUnitId: district, schoolYear: "2025-2026", editionId: "qd-4725-2022", selfAssessmentDeadline: "2099-05-31", reviewDeadline: "2099-06-20" }, admin)).toMatchObject({ ok: true });
  const id = assessmentsOfSchool(school)[0].id;
  expect(saveAnswers(id, { baseVersion: getAssessment(id)!.version, changes: { "1.1": { value: true }, "1.4": { value: { numerator: 7, denominator: 10 } } } }, head).ok).toBe(true);
  expect(saveReportText(id, { leadership: "Nhà trường đã ban hành Kế hoạch chuyển đổi số; LEADERSHIP Đông Sơn ướt át.", proposals: "Đề nghị Phòng GD&ĐT đầu tư thiết bị." }, head).ok).toBe(true);
  data = buildReportData(id, Date.UTC(2026, 0, 5, 5))!;
  expect(data).not.toBeNull();
});

afterEach(async () => {
  for (const k of ENV) {
    if (saved[k] === undefined) delete process.env[k];
    else process.env[k] = saved[k];
  }
});

afterAll(async () => {
  await closePdfPool();
});

describe("the PDF pool", () => {
  it("runs in a worker thread with the bundle the test run built", async () => {
    expect(process.env.PDF_WORKER_PATH, "tests/global-setup.ts sets it").toMatch(/node_modules\/\.cache\/pdf-worker\/.+\/pdf-worker\.mjs$/);
    const r = await echo({ hello: "xin chào" });
    expect(r).toMatchObject({ data: { hello: "xin chào" }, isMainThread: false });
    expect(r.threadId).toBeGreaterThan(0);
    process.env.PDF_WORKERS = "0";
    expect(await echo({ a: 1 })).toMatchObject({ data: { a: 1 }, isMainThread: true });
  });

  it("draws the same report as this thread does", async () => {
    const before = pdfPoolStats();
    const pooled = await renderDocument("self-assessment-report", data);
    expect(pdfPoolStats().pooled).toBe(before.pooled + 1);
    const local = await renderSelfAssessmentReportToBuffer(JSON.parse(JSON.stringify(data)));
    expect(pooled.subarray(0, 5).toString("latin1")).toBe("%PDF-");
    expect(pooled.subarray(-6).toString("latin1")).toMatch(/%%EOF\s*$/);
    expect(pageCount(pooled)).toBeGreaterThan(1);
    expect(pageCount(pooled)).toBe(pageCount(local));
    expect(Math.abs(pooled.length - local.length)).toBeLessThan(16);
    expect(normalized(pooled)).toEqual(normalized(local));
    if (hasPdftotext) {
      const text = pdftotext(pooled);
      expect(text).toBe(pdftotext(local));
      expect(text).toContain("Nguyễn Văn Trỗi");
    }
  });

  it("rejects a job beyond PDF_QUEUE with DocumentBusy while the earlier ones still finish", async () => {
    await closePdfPool();
    process.env.PDF_WORKERS = "1";
    process.env.PDF_QUEUE = "2";
    const before = pdfPoolStats();
    // One running, two waiting; the fourth finds the queue full.
    const jobs = [0, 1, 2].map(() => renderDocument("self-assessment-report", data));
    expect(pdfPoolStats()).toMatchObject({ working: 1, waiting: 2 });
    const extra = renderDocument("self-assessment-report", data);
    await expect(extra).rejects.toBeInstanceOf(DocumentBusy);
    const pdfs = await Promise.all(jobs);
    for (const pdf of pdfs) expect(normalized(pdf)).toEqual(normalized(pdfs[0]));
    const after = pdfPoolStats();
    expect(after.busy).toBe(before.busy + 1);
    expect(after.pooled).toBe(before.pooled + 3);
    expect(after.workersStarted).toBe(before.workersStarted + 1);
    // Once the queue has drained, a new job is accepted again.
    expect(pageCount(await renderDocument("self-assessment-report", data))).toBe(pageCount(pdfs[0]));
  });

  it("PDF_QUEUE=0: a job that finds every worker busy is refused at once", async () => {
    process.env.PDF_WORKERS = "1";
    process.env.PDF_QUEUE = "0";
    const first = renderDocument("self-assessment-report", data);
    await expect(renderDocument("self-assessment-report", data)).rejects.toBeInstanceOf(DocumentBusy);
    expect(pageCount(await first)).toBeGreaterThan(1);
  });

  it("a renderer that throws rejects its job; the worker keeps serving", async () => {
    process.env.PDF_WORKERS = "1";
    await echo({ warm: true });
    const before = pdfPoolStats();
    const failed = renderDocumentJson(testKind("test:throw"), JSON.stringify({ why: "kiểm thử" }));
    const next = echo({ after: "throw" });
    await expect(failed).rejects.toMatchObject({ name: "DocumentRenderError", reason: "failed", message: expect.stringContaining("kiểm thử") });
    expect((await next).data).toEqual({ after: "throw" });
    expect(pdfPoolStats().workersStarted).toBe(before.workersStarted);
  });

  it("a worker that exits rejects its job and is replaced; the queued and next jobs succeed", async () => {
    process.env.PDF_WORKERS = "1";
    const first = await echo({ n: 1 });
    const before = pdfPoolStats();
    const crash = renderDocumentJson(testKind("test:exit"), "{}");
    const queued = renderDocument("self-assessment-report", data);
    const err = await crash.catch((e) => e);
    expect(err).toBeInstanceOf(DocumentRenderError);
    expect(err).toMatchObject({ reason: "crashed", message: expect.stringMatching(/exited \(code 3\)/) });
    expect(pageCount(await queued)).toBeGreaterThan(1);
    const next = await echo({ n: 2 });
    expect(next.data).toEqual({ n: 2 });
    expect(next.threadId).not.toBe(first.threadId);
    const after = pdfPoolStats();
    expect(after.crashed).toBe(before.crashed + 1);
    expect(after.workersStarted).toBe(before.workersStarted + 1);
    expect(after.workers).toBe(1);
  });

  it("a job past its timeout terminates that worker; the next job succeeds", async () => {
    process.env.PDF_WORKERS = "1";
    process.env.PDF_TIMEOUT_MS = "300";
    const before = pdfPoolStats();
    const t0 = Date.now();
    await expect(renderDocumentJson(testKind("test:hang"), "{}")).rejects.toMatchObject({ reason: "timeout" });
    expect(Date.now() - t0).toBeGreaterThanOrEqual(290);
    expect(pdfPoolStats().timedOut).toBe(before.timedOut + 1);
    delete process.env.PDF_TIMEOUT_MS;
    expect((await echo({ after: "timeout" })).data).toEqual({ after: "timeout" });
    expect(pdfPoolStats().workersStarted).toBe(before.workersStarted + 1);
  });

  it("uses up to PDF_WORKERS threads at once", async () => {
    await closePdfPool();
    process.env.PDF_WORKERS = "2";
    const both = [renderDocument("self-assessment-report", data), renderDocument("self-assessment-report", data)];
    expect(pdfPoolStats()).toMatchObject({ workers: 2, working: 2, waiting: 0 });
    for (const pdf of await Promise.all(both)) expect(pageCount(pdf)).toBeGreaterThan(1);
    await closePdfPool();
  });

  it("warmPdfPool starts the workers before the first job, which then starts none", async () => {
    await closePdfPool();
    process.env.PDF_WORKERS = "2";
    const before = pdfPoolStats().workersStarted;
    expect(warmPdfPool()).toBe(2);
    expect(warmPdfPool()).toBe(0);
    expect(pdfPoolStats()).toMatchObject({ workers: 2, working: 0, workersStarted: before + 2 });
    expect(pageCount(await renderDocument("self-assessment-report", data))).toBeGreaterThan(1);
    expect(pdfPoolStats().workersStarted).toBe(before + 2);
    await closePdfPool();
  });

  it("refuses unknown kinds, and fails cleanly without a worker bundle", async () => {
    await expect(renderDocumentJson("bien-ban" as DocumentKind, "{}")).rejects.toMatchObject({ message: expect.stringContaining("unknown document kind") });
    await closePdfPool();
    process.env.PDF_WORKER_PATH = "/nonexistent/pdf-worker.mjs";
    await expect(renderDocument("self-assessment-report", data)).rejects.toMatchObject({ reason: "unavailable" });
    delete process.env.PDF_WORKER_PATH;
    // From the sources there is no default bundle (never an old build/pdf-worker.mjs).
    await expect(renderDocument("self-assessment-report", data)).rejects.toMatchObject({ reason: "unavailable", message: expect.stringContaining("PDF_WORKER_PATH") });
  });
});
