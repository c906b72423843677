/**
 * The attack corpus of the review and recognition issues (8, 9): what an outsider or a careless
 * insider tries against decisions, certificates, batches and the public verification. The broad
 * sweep of hostile values over every route is attack-corpus.test.ts; these are the findings.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { count, eq } from "drizzle-orm";
import { useTestDatabase } from "../helpers/db";
import { browserAs, run } from "../helpers/http";
import { getDb } from "~/server/db/client.server";
import { assessments, auditLog, certificates, recognitionDecisions, users } from "~/server/db/schema.server";
import { createSchool, createUnit, createUser } from "~/server/services/org.server";
import { openCycle } from "~/server/services/cycles.server";
import { saveAnswers, submitAssessment } from "~/server/services/assessments.server";
import { approve, keepSelf } from "~/server/services/review.server";
import { changeDecisionFiles, createDecision, issueDecision, reissueCertificate, revokeCertificate, updateDecision } from "~/server/services/recognition.server";
import { TOKEN_BYTES } from "~/domain/recognition";
import * as verifyPage from "~/routes/xac-minh.$token";
import * as verifyJson from "~/routes/xac-minh.$token.json";
import * as certificatePdf from "~/routes/xac-minh.$token.pdf";
import * as decisionPage from "~/routes/cong-nhan.$id";
import * as download from "~/routes/cong-nhan.$id.tai-ve.$jobId";
import { localDateOf } from "~/utils/time";
import { randomBytes } from "node:crypto";

useTestDatabase("attack-recognition");
const pw = "mat-khau-kiem-thu";
const id: Record<string, number> = {};
const today = localDateOf(Date.now());
const uid = (u: string) => getDb().select({ id: users.id }).from(users).where(eq(users.username, u)).get()!.id;
const certCount = () => getDb().select({ n: count() }).from(certificates).get()!.n;

async function issuedDecision(unit: number, actor: number, prefix: string, n: number, number: string): Promise<number> {
  const files: number[] = [];
  for (let i = 1; i <= n; i++) {
    const s = createSchool({ code: `${prefix}-${i}`, name: `Trường ${prefix} ${i}`, type: "TH", managingUnitId: unit, reviewingUnitId: unit }, null);
    id[`${prefix}${i}`] = s;
    await createUser({ username: `${prefix.toLowerCase()}.head${i}`, displayName: "HT", password: pw, roles: ["school_head"], schoolId: s }, null);
  }
  expect(openCycle({ ownerUnitId: unit, schoolYear: "2098-2099", editionId: "qd-4725-2022", selfAssessmentDeadline: "2099-05-31", reviewDeadline: "2099-06-20" }, actor)).toMatchObject({ ok: true });
  for (let i = 1; i <= n; i++) {
    const a = getDb().select().from(assessments).where(eq(assessments.schoolId, id[`${prefix}${i}`])).get()!;
    const head = uid(`${prefix.toLowerCase()}.head${i}`);
    saveAnswers(a.id, { baseVersion: a.version, changes: { "1.1": { value: true } } }, head);
    submitAssessment(a.id, head);
    approve(a.id, actor);
    keepSelf([a.id], actor);
    files.push(a.id);
  }
  const c = createDecision(unit, "2098-2099", actor);
  if (!c.ok) throw new Error(c.message);
  updateDecision(c.id, { number, decidedOn: today, place: "Nơi", signerName: "Người Ký", signerTitle: "Giám đốc" }, actor, 1);
  const add = changeDecisionFiles(c.id, { add: files }, actor);
  if (!add.ok) throw new Error(add.message);
  const r = issueDecision(c.id, actor, add.version);
  if (!r.ok) throw new Error(r.message);
  return c.id;
}

beforeAll(async () => {
  id.A = createUnit({ kind: "province", code: "AT", name: "Sở Tấn Công", parentId: null }, null);
  id.B = createUnit({ kind: "province", code: "BT", name: "Sở Bị Nhắm", parentId: null }, null);
  id.adminA = await createUser({ username: "at.admin", displayName: "A", password: pw, roles: ["office_admin", "office_reviewer"], unitId: id.A }, null);
  id.adminB = await createUser({ username: "bt.admin", displayName: "B", password: pw, roles: ["office_admin", "office_reviewer"], unitId: id.B }, null);
  id.decA = await issuedDecision(id.A, id.adminA, "AT", 1, "1/QĐ-SGDĐT");
  id.decB = await issuedDecision(id.B, id.adminB, "BT", 2, "1/QĐ-SGDĐT");
});

describe("the public verification", () => {
  it("guessing tokens: every wrong one, well-formed or not, gets the same 404; a real token with its case changed is wrong", async () => {
    const real = getDb().select().from(certificates).where(eq(certificates.decisionId, id.decB)).all()[0]!.token;
    const flipped = real.replace(/[a-z]/, (c) => c.toUpperCase()) === real ? real.replace(/[A-Z]/, (c) => c.toLowerCase()) : real.replace(/[a-z]/, (c) => c.toUpperCase());
    const guesses = [...Array.from({ length: 30 }, () => randomBytes(TOKEN_BYTES).toString("base64url")), flipped, `${real}x`, real.slice(1), "../../etc/passwd", "%00", real + "\u0000"];
    const anon = await browserAs();
    const bodies = new Set<string>();
    for (const token of guesses) {
      for (const [mod, path] of [
        [verifyJson, `/xac-minh/${encodeURIComponent(token)}/json`],
        [certificatePdf, `/xac-minh/${encodeURIComponent(token)}/pdf`],
      ] as const) {
        const res = await run(mod.loader as never, anon.get(path), { token });
        expect(res.status, token).toBe(404);
        bodies.add(`${path.endsWith("json") ? "j" : "p"}:${await res.text()}`);
      }
      let thrown: unknown;
      try {
        await run(verifyPage.loader as never, anon.get(`/xac-minh/${encodeURIComponent(token)}`), { token });
      } catch (e) {
        thrown = e;
      }
      const res = thrown instanceof Response ? thrown : null;
      if (res) expect(res.status).toBe(404);
    }
    // One body per kind, whatever was guessed.
    expect(bodies.size).toBe(2);
  });
});

describe("another office's certificates and batches through one's own decision", () => {
  it("a certificate id of another decision is not found on one's own page; nothing is revoked", async () => {
    const foreign = getDb().select().from(certificates).where(eq(certificates.decisionId, id.decB)).all()[0]!;
    const a = await browserAs("at.admin");
    for (const intent of ["revoke-certificate", "reissue"]) {
      const res = await run(decisionPage.action, a.post(`/cong-nhan/${id.decA}`, { intent, certificateId: String(foreign.id), reason: "Thử thu hồi của tỉnh khác" }), { id: String(id.decA) });
      expect(res.status).toBe(404);
    }
    // And on the other office's page the policy refuses first.
    const direct = await run(decisionPage.action, a.post(`/cong-nhan/${id.decB}`, { intent: "revoke-certificate", certificateId: String(foreign.id), reason: "x" }), { id: String(id.decB) });
    expect(direct.status).toBe(403);
    expect(getDb().select().from(certificates).where(eq(certificates.id, foreign.id)).get()!.revokedAt).toBeNull();
  });

  it("job ids: path tricks and other decisions' jobs are not found", async () => {
    const a = await browserAs("at.admin");
    for (const jobId of ["../../../etc/passwd", "..%2F..%2Fdata", "AAAAAAAAAAAAAAAA", "", "x".repeat(200)]) {
      const res = await run(download.loader, a.get(`/cong-nhan/${id.decA}/tai-ve/${encodeURIComponent(jobId)}`), { id: String(id.decA), jobId });
      expect(res.status, jobId).toBe(404);
    }
  });
});

describe("double clicks and races on the same act", () => {
  it("issuing a decision twice with the same version: one issue, one set of certificates", () => {
    const c = createDecision(id.A, "2098-2099", id.adminA);
    if (!c.ok) throw new Error(c.message);
    updateDecision(c.id, { number: "2/QĐ-SGDĐT", decidedOn: today, place: "Nơi", signerName: "Người Ký", signerTitle: "Giám đốc" }, id.adminA, 1);
    // No files: both attempts are refused at the field, nothing is written.
    const before = certCount();
    expect(issueDecision(c.id, id.adminA, 2)).toMatchObject({ ok: false, kind: "invalid" });
    expect(certCount()).toBe(before);
    // A decision already issued cannot be issued again, whatever version is sent.
    const issued = getDb().select().from(recognitionDecisions).where(eq(recognitionDecisions.id, id.decA)).get()!;
    expect(issueDecision(id.decA, id.adminA, issued.version)).toMatchObject({ ok: false, kind: "state" });
    expect(issueDecision(id.decA, id.adminA, issued.version - 1)).toMatchObject({ ok: false, kind: "state" });
    expect(certCount()).toBe(before);
  });

  it("re-issuing a revoked certificate twice gives one new certificate", () => {
    const cert = getDb().select().from(certificates).where(eq(certificates.decisionId, id.decA)).get()!;
    expect(revokeCertificate(cert.id, "Kiểm tra cấp lại hai lần", id.adminA)).toEqual({ ok: true });
    const before = certCount();
    expect(reissueCertificate(cert.id, id.adminA)).toMatchObject({ ok: true });
    expect(reissueCertificate(cert.id, id.adminA)).toMatchObject({ ok: false, kind: "state" });
    expect(certCount()).toBe(before + 1);
    const audits = getDb().select().from(auditLog).where(eq(auditLog.action, "recognition.certificate.reissue")).all();
    expect(audits).toHaveLength(1);
  });
});
