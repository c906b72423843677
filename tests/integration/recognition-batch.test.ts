/**
 * Signed recognition documents and the decision's batches, on a real SQLite file with the PDF
 * workers: an office with a signing certificate (a Vietnamese name) gets its decision and
 * certificates signed, checked with poppler's pdfsig; an office without one gets unsigned PDFs
 * that claim nothing; a draft is never signed. The ZIP of a decision holds one signed PDF per
 * valid certificate, named by school code and name, the job's row records its progress, and the
 * page's download serves it; the book for printing has one page per certificate.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { execFileSync, spawnSync } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { useTestDatabase } from "../helpers/db";
import { browserAs, run } from "../helpers/http";
import { getDb } from "~/server/db/client.server";
import { assessments, certificates, jobs, users } from "~/server/db/schema.server";
import { createSchool, createUnit, createUser } from "~/server/services/org.server";
import { openCycle } from "~/server/services/cycles.server";
import { saveAnswers, submitAssessment } from "~/server/services/assessments.server";
import { approve, keepSelf } from "~/server/services/review.server";
import { changeDecisionFiles, createDecision, issueDecision, revokeCertificate, updateDecision } from "~/server/services/recognition.server";
import { jobsOfDecision, startBatch } from "~/server/services/certificate-batch.server";
import { createSelfSignedP12 } from "~/server/signing/self-signed.server";
import { clearSigningKeyCache } from "~/server/signing/keys.server";
import * as decisionPdf from "~/routes/cong-nhan.$id.quyet-dinh[.]pdf";
import * as certificatePdf from "~/routes/xac-minh.$token.pdf";
import * as page from "~/routes/cong-nhan.$id";
import * as download from "~/routes/cong-nhan.$id.tai-ve.$jobId";
import { localDateOf } from "~/utils/time";

useTestDatabase("recognition-batch");
const pw = "mat-khau-kiem-thu";
const id: Record<string, number> = {};
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "cds-batch-"));
const saved: Record<string, string | undefined> = {};
const SIGNED_OFFICE = "Sở Giáo dục và Đào tạo tỉnh Thử Ký";
const today = localDateOf(Date.now());

function pdfsig(pdf: Buffer): string {
  const f = path.join(tmp, `sig-${Math.random().toString(36).slice(2)}.pdf`);
  fs.writeFileSync(f, pdf);
  const r = spawnSync("pdfsig", [f], { encoding: "utf8" });
  return `${r.stdout}${r.stderr}`;
}
const body = async (res: Response) => Buffer.from(await res.arrayBuffer());
const uid = (username: string) => getDb().select({ id: users.id }).from(users).where(eq(users.username, username)).get()!.id;

async function issued(unitId: number, actor: number, codes: string[], number: string): Promise<number> {
  const files: number[] = [];
  for (const code of codes) {
    const s = createSchool({ code, name: `Trường Tiểu học ${code.slice(-2) === "01" ? "Đinh Tiên Hoàng" : `Số ${code.slice(-2)}`}`, type: "TH", managingUnitId: unitId, reviewingUnitId: unitId }, null);
    await createUser({ username: `hb.${code.toLowerCase()}`, displayName: "HT", password: pw, roles: ["school_head"], schoolId: s }, null);
    id[code] = s;
  }
  expect(openCycle({ ownerUnitId: unitId, schoolYear: "2098-2099", editionId: "qd-4725-2022", selfAssessmentDeadline: "2099-05-31", reviewDeadline: "2099-06-20" }, actor)).toMatchObject({ ok: true });
  for (const code of codes) {
    const a = getDb().select().from(assessments).where(eq(assessments.schoolId, id[code])).get()!;
    const head = uid(`hb.${code.toLowerCase()}`);
    expect(saveAnswers(a.id, { baseVersion: a.version, changes: { "1.1": { value: true }, "2.1": { value: true } } }, head)).toMatchObject({ ok: true });
    expect(submitAssessment(a.id, head)).toMatchObject({ ok: true });
    expect(approve(a.id, actor)).toMatchObject({ ok: true });
    expect(keepSelf([a.id], actor).done).toEqual([a.id]);
    files.push(a.id);
  }
  const c = createDecision(unitId, "2098-2099", actor);
  if (!c.ok) throw new Error(c.message);
  expect(updateDecision(c.id, { number, decidedOn: today, place: "Thử Ký", signerName: "Lê Văn Ký", signerTitle: "Giám đốc" }, actor, 1)).toMatchObject({ ok: true });
  const add = changeDecisionFiles(c.id, { add: files }, actor);
  if (!add.ok) throw new Error(add.message);
  id[`draft.${number}`] = c.id;
  return c.id;
}

beforeAll(async () => {
  for (const k of ["SIGNING_DIR", "JOBS_DIR", "DOCUMENT_CACHE_DIR"]) saved[k] = process.env[k];
  process.env.SIGNING_DIR = path.join(tmp, "signing");
  process.env.JOBS_DIR = path.join(tmp, "jobs");
  process.env.DOCUMENT_CACHE_DIR = path.join(tmp, "cache");
  fs.mkdirSync(process.env.SIGNING_DIR, { recursive: true });
  fs.writeFileSync(path.join(process.env.SIGNING_DIR, "RS.p12"), createSelfSignedP12(SIGNED_OFFICE, "mat-khau-ky"));
  fs.writeFileSync(path.join(process.env.SIGNING_DIR, "RS.pass"), "mat-khau-ky\n");
  clearSigningKeyCache();
  id.S = createUnit({ kind: "province", code: "RS", name: SIGNED_OFFICE, parentId: null }, null);
  id.U = createUnit({ kind: "province", code: "RU", name: "Sở Không Ký", parentId: null }, null);
  id.adminS = await createUser({ username: "rs.admin", displayName: "Quản Trị Ký", password: pw, roles: ["office_admin", "office_reviewer"], unitId: id.S }, null);
  id.adminU = await createUser({ username: "ru.admin", displayName: "Quản Trị Không Ký", password: pw, roles: ["office_admin", "office_reviewer"], unitId: id.U }, null);
  id.decS = await issued(id.S, id.adminS, ["RS-01", "RS-02", "RS-03"], "5/QĐ-SGDĐT");
  id.decU = await issued(id.U, id.adminU, ["RU-01"], "6/QĐ-SGDĐT");
}, 60_000);

afterAll(() => {
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  clearSigningKeyCache();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe("signed documents", () => {
  it("a draft decision is never signed, even for an office with a certificate", async () => {
    const res = await run(decisionPdf.loader, (await browserAs("rs.admin")).get(`/cong-nhan/${id.decS}/quyet-dinh.pdf`), { id: String(id.decS) });
    expect(res.status).toBe(200);
    expect(pdfsig(await body(res))).toContain("does not contain any signatures");
  });

  it("the issued decision and its certificates are signed for the office with a certificate: valid, whole document", async () => {
    const v = getDb().select({ v: jobs.id }).from(jobs).all().length;
    expect(v).toBe(0);
    for (const [dec, admin] of [[id.decS, "rs.admin"], [id.decU, "ru.admin"]] as const) {
      const r = issueDecision(dec, uid(admin), 3);
      expect(r).toMatchObject({ ok: true });
    }
    const res = await run(decisionPdf.loader, (await browserAs("rs.admin")).get(`/cong-nhan/${id.decS}/quyet-dinh.pdf`), { id: String(id.decS) });
    const out = pdfsig(await body(res));
    expect(out).toContain("Signature Validation: Signature is Valid.");
    expect(out).toContain("Total document signed");
    expect(out).toContain(`Signer Certificate Common Name: ${SIGNED_OFFICE}`);

    const cert = getDb().select().from(certificates).where(eq(certificates.decisionId, id.decS)).all()[0]!;
    const c = await run(certificatePdf.loader, (await browserAs()).get(`/xac-minh/${cert.token}/pdf`), { token: cert.token });
    expect(c.status).toBe(200);
    const cout = pdfsig(await body(c));
    expect(cout).toContain("Signature Validation: Signature is Valid.");
    expect(cout).toContain("Total document signed");
  }, 60_000);

  it("an office without a certificate gets unsigned documents that claim no signature", async () => {
    const res = await run(decisionPdf.loader, (await browserAs("ru.admin")).get(`/cong-nhan/${id.decU}/quyet-dinh.pdf`), { id: String(id.decU) });
    expect(pdfsig(await body(res))).toContain("does not contain any signatures");
    const cert = getDb().select().from(certificates).where(eq(certificates.decisionId, id.decU)).get()!;
    const c = await run(certificatePdf.loader, (await browserAs()).get(`/xac-minh/${cert.token}/pdf`), { token: cert.token });
    const pdf = await body(c);
    expect(pdfsig(pdf)).toContain("does not contain any signatures");
    const text = execFileSync("pdftotext", ["-", "-"], { input: pdf }).toString("utf8");
    expect(text).not.toMatch(/ký số|chữ ký số/i);
  }, 60_000);
});

describe("the decision's batches", () => {
  it("the ZIP: one signed PDF per valid certificate, named by code and name; progress in its row; downloaded from the page", async () => {
    const certs = getDb().select().from(certificates).where(eq(certificates.decisionId, id.decS)).all();
    // A revoked certificate is left out of the ZIP.
    expect(revokeCertificate(certs[2]!.id, "Thu hồi để kiểm tra tệp ZIP", id.adminS)).toEqual({ ok: true });
    const started = await run(page.action, (await browserAs("rs.admin")).post(`/cong-nhan/${id.decS}`, { intent: "batch", kind: "certificates-zip" }), { id: String(id.decS) });
    expect(started.status).toBe(200);
    let view = jobsOfDecision(id.decS)["certificates-zip"]!;
    expect(view).toMatchObject({ kind: "certificates-zip", total: 2 });
    for (let i = 0; i < 200 && view.status === "running"; i++) {
      await new Promise((r) => setTimeout(r, 100));
      view = jobsOfDecision(id.decS)["certificates-zip"]!;
    }
    expect(view).toMatchObject({ status: "done", done: 2, total: 2 });
    expect(view.size).toBeGreaterThan(1000);
    // Only the decision's readers download it.
    expect((await run(download.loader, (await browserAs("ru.admin")).get(`/cong-nhan/${id.decS}/tai-ve/${view.id}`), { id: String(id.decS), jobId: view.id })).status).toBe(403);
    expect((await run(download.loader, (await browserAs("ru.admin")).get(`/cong-nhan/${id.decU}/tai-ve/${view.id}`), { id: String(id.decU), jobId: view.id })).status).toBe(404);
    const res = await run(download.loader, (await browserAs("rs.admin")).get(`/cong-nhan/${id.decS}/tai-ve/${view.id}`), { id: String(id.decS), jobId: view.id });
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toBe("application/zip");
    const zip = path.join(tmp, "out.zip");
    fs.writeFileSync(zip, await body(res));
    const names = execFileSync("unzip", ["-Z1", zip]).toString("utf8").trim().split("\n").sort();
    expect(names).toEqual(["RS-01-truong-tieu-hoc-dinh-tien-hoang.pdf", "RS-02-truong-tieu-hoc-so-02.pdf"]);
    const one = execFileSync("unzip", ["-p", zip, names[0]!]);
    const out = pdfsig(one);
    expect(out).toContain("Signature Validation: Signature is Valid.");
    expect(execFileSync("pdftotext", ["-", "-"], { input: one }).toString("utf8")).toContain("Trường Tiểu học Đinh Tiên Hoàng");
  }, 60_000);

  it("a full PDF queue (other people's documents) makes the batch wait and try again, not fail", async () => {
    const was = process.env.PDF_QUEUE;
    process.env.PDF_QUEUE = "0";
    try {
      const job = startBatch(id.decS, "certificates-zip", id.adminS)!;
      await job.done;
      expect(jobsOfDecision(id.decS)["certificates-zip"]).toMatchObject({ id: job.id, status: "done", done: 2, total: 2 });
    } finally {
      if (was === undefined) delete process.env.PDF_QUEUE;
      else process.env.PDF_QUEUE = was;
    }
  }, 60_000);

  it("the book for printing: one page per valid certificate", async () => {
    const job = startBatch(id.decS, "certificates-book", id.adminS)!;
    await job.done;
    const view = jobsOfDecision(id.decS)["certificates-book"]!;
    expect(view).toMatchObject({ status: "done", total: 2, done: 2 });
    const res = await run(download.loader, (await browserAs("rs.admin")).get(`/cong-nhan/${id.decS}/tai-ve/${view.id}`), { id: String(id.decS), jobId: view.id });
    const pdf = await body(res);
    const info = execFileSync("pdfinfo", ["-"], { input: pdf }).toString("utf8");
    expect(info).toMatch(/Pages:\s+2\b/);
    const text = execFileSync("pdftotext", ["-", "-"], { input: pdf }).toString("utf8");
    expect(text).toContain("Trường Tiểu học Đinh Tiên Hoàng");
    expect(text).toContain("Trường Tiểu học Số 02");
    expect(text).not.toContain("Trường Tiểu học Số 03");
  }, 60_000);
});
