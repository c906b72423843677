/**
 * The recognition service (recognition.server) on a real SQLite file: drafts and their field
 * errors, the files of a decision, issuing all or nothing through the door (assessments,
 * certificates, decisions, audit_log, notifications), serial numbers under two decisions issued
 * at the same moment by two processes, revocation of a certificate and of a decision, re-issue,
 * a closed cycle, and the policy's decision rules.
 */
import fs from "node:fs";
import path from "node:path";
import { spawn } from "node:child_process";
import { beforeAll, describe, expect, it } from "vitest";
import { and, asc, eq, inArray } from "drizzle-orm";
import { useTestDatabase, TMP_DIR } from "../helpers/db";
import { getDb } from "~/server/db/client.server";
import { assessments, auditLog, certificates, cycles, notifications, recognitionDecisionItems, recognitionDecisions } from "~/server/db/schema.server";
import { loadUser } from "~/server/auth/session.server";
import { createSchool, createUnit, createUser } from "~/server/services/org.server";
import { openCycle } from "~/server/services/cycles.server";
import { saveAnswers, submitAssessment, type AnswerChange } from "~/server/services/assessments.server";
import { approve, keepSelf, withdraw } from "~/server/services/review.server";
import {
  changeDecisionFiles,
  createDecision,
  decisionFiles,
  deleteDraft,
  issueCheck,
  issueDecision,
  reissueCertificate,
  revokeCertificate,
  revokeDecision,
  updateDecision,
} from "~/server/services/recognition.server";
import { can } from "~/server/policy.server";
import { defaultBases, TOKEN_PATTERN } from "~/domain/recognition";
import { pick } from "~/i18n";
import { recognitionService } from "~/i18n/recognition-service";
import { localDateOf } from "~/utils/time";

const dbFile = useTestDatabase("recognition");
const T = pick(recognitionService);
const ROOT = path.resolve(__dirname, "..", "..");
const TSX = path.join(ROOT, "node_modules", ".bin", "tsx");
const pw = "mat-khau-kiem-thu";
const u: Record<string, number> = {};
const unit: Record<string, number> = {};
const school: Record<string, number> = {};
const today = localDateOf(Date.now());
const YEAR = Number(today.slice(0, 4));

const SELF: Record<string, AnswerChange["value"]> = {
  "1.1": true,
  "1.2": true,
  "1.3.1": true,
  "1.4": { numerator: 1, denominator: 1 },
  "1.5.1": { numerator: 1, denominator: 1 },
  "1.6.1": { numerator: 1, denominator: 1 },
  "2.1": true,
  "2.2": true,
  "2.3.1": true,
};

const db = () => getDb();
const row = (id: number) => db().select().from(assessments).where(eq(assessments.id, id)).get()!;
const idOf = (s: number) => db().select().from(assessments).where(eq(assessments.schoolId, s)).get()!.id;
const decision = (id: number) => db().select().from(recognitionDecisions).where(eq(recognitionDecisions.id, id)).get()!;
const certsOf = (decisionId: number) => db().select().from(certificates).where(eq(certificates.decisionId, decisionId)).orderBy(asc(certificates.id)).all();
const auditCount = () => db().select().from(auditLog).all().length;
const FIELDS = { number: "", decidedOn: today, place: "Hà Nội", signerName: "Nguyễn Văn Giám", signerTitle: "Giám đốc", bases: ["Căn cứ A;", "Căn cứ B."] };

/** A file in "assessed": answered, submitted, approved, kept. */
function assessed(s: number, head: number, reviewer: number): number {
  const id = idOf(s);
  const changes = Object.fromEntries(Object.entries(SELF).map(([k, value]) => [k, { value }]));
  expect(saveAnswers(id, { baseVersion: row(id).version, changes }, head)).toMatchObject({ ok: true });
  expect(submitAssessment(id, head)).toMatchObject({ ok: true });
  expect(approve(id, reviewer)).toMatchObject({ ok: true, status: "approved" });
  expect(keepSelf([id], reviewer).done).toEqual([id]);
  expect(row(id).status).toBe("assessed");
  return id;
}

function draftWith(files: number[], number: string): { id: number; version: number } {
  const c = createDecision(unit.P, "2098-2099", u.admin);
  if (!c.ok) throw new Error(c.message);
  const up = updateDecision(c.id, { ...FIELDS, number }, u.admin, 1);
  if (!up.ok) throw new Error(up.message);
  const ch = changeDecisionFiles(c.id, { add: files }, u.admin);
  if (!ch.ok) throw new Error(ch.message);
  expect(ch.added).toBe(files.length);
  return { id: c.id, version: ch.version };
}

beforeAll(async () => {
  unit.P = createUnit({ kind: "province", code: "RC", name: "Sở Giáo dục và Đào tạo Công Nhận", parentId: null }, null);
  unit.X = createUnit({ kind: "commune", code: "RC-X", name: "Phòng Xã Công Nhận", parentId: unit.P }, null);
  unit.Q = createUnit({ kind: "province", code: "RK", name: "Sở Khác", parentId: null }, null);
  for (let i = 1; i <= 16; i++) school[`S${i}`] = createSchool({ code: `RC-${String(i).padStart(2, "0")}`, name: `Trường Số ${i}`, type: i % 2 ? "TH" : "THCS", managingUnitId: unit.X, reviewingUnitId: unit.P }, null);
  school.Q1 = createSchool({ code: "RK-01", name: "Trường Sở Khác", type: "TH", managingUnitId: unit.Q, reviewingUnitId: unit.Q }, null);
  const mk = (username: string, displayName: string, roles: Parameters<typeof createUser>[0]["roles"], where: { unitId?: number; schoolId?: number }) =>
    createUser({ username, displayName, password: pw, roles, ...where }, null);
  u.admin = await mk("rc.admin", "An Quản Trị", ["office_admin", "office_reviewer"], { unitId: unit.P });
  u.xrev = await mk("rc.xrev", "Bình Phòng Xã", ["office_reviewer"], { unitId: unit.X });
  u.qadmin = await mk("rc.qadmin", "Chi Sở Khác", ["office_admin", "office_reviewer"], { unitId: unit.Q });
  for (const k of Object.keys(school)) u[`head${k}`] = await mk(`rc.head${k.toLowerCase()}`, `Hiệu trưởng ${k}`, ["school_head"], { schoolId: school[k] });
  for (const [owner, actor] of [[unit.P, u.admin], [unit.Q, u.qadmin]] as const)
    expect(openCycle({ ownerUnitId: owner, schoolYear: "2098-2099", editionId: "qd-4725-2022", selfAssessmentDeadline: "2099-05-31", reviewDeadline: "2099-06-20" }, actor)).toMatchObject({ ok: true });
});

describe("a draft", () => {
  it("starts with the default bases; its fields are checked at the field; its version guards it", () => {
    const c = createDecision(unit.P, "2098-2099", u.admin);
    expect(c).toMatchObject({ ok: true });
    if (!c.ok) return;
    expect(decision(c.id)).toMatchObject({ issuingUnitId: unit.P, schoolYear: "2098-2099", status: "draft", number: null, version: 1, createdBy: u.admin, bases: defaultBases("Sở Giáo dục và Đào tạo Công Nhận") });
    const bad = updateDecision(c.id, { ...FIELDS, number: "12 QĐ", decidedOn: "2999-01-01", signerName: "x".repeat(121) }, u.admin, 1);
    expect(bad).toMatchObject({ ok: false, kind: "invalid", fieldErrors: { number: "Số quyết định có dạng 123/QĐ-SGDĐT.", signerName: "Họ tên người ký dài quá 120 ký tự." } });
    const future = updateDecision(c.id, { ...FIELDS, number: "1/QĐ-SGDĐT", decidedOn: "2999-01-01" }, u.admin, 1);
    expect(future).toMatchObject({ ok: false, kind: "invalid", fieldErrors: { decidedOn: T.dateFuture } });
    expect(updateDecision(c.id, { ...FIELDS, number: "1/QĐ-SGDĐT", decidedOn: "2026-02-30" }, u.admin, 1)).toMatchObject({ fieldErrors: { decidedOn: T.dateInvalid } });
    expect(updateDecision(c.id, { ...FIELDS, number: "1/QĐ-SGDĐT" }, u.admin, 1)).toEqual({ ok: true, version: 2 });
    expect(decision(c.id)).toMatchObject({ number: "1/QĐ-SGDĐT", decidedOn: today, place: "Hà Nội", signerName: "Nguyễn Văn Giám", signerTitle: "Giám đốc", bases: ["Căn cứ A;", "Căn cứ B."], version: 2 });
    // Someone else's older tab.
    expect(updateDecision(c.id, { ...FIELDS, number: "2/QĐ-SGDĐT" }, u.admin, 1)).toMatchObject({ ok: false, kind: "stale" });
    // The number is the office's: another draft may not take it.
    const other = createDecision(unit.P, "2098-2099", u.admin);
    if (!other.ok) return;
    expect(updateDecision(other.id, { ...FIELDS, number: "1/QĐ-SGDĐT" }, u.admin, 1)).toMatchObject({ ok: false, fieldErrors: { number: T.numberTaken } });
    expect(deleteDraft(other.id, u.admin)).toEqual({ ok: true });
    expect(db().select().from(recognitionDecisions).where(eq(recognitionDecisions.id, other.id)).get()).toBeUndefined();
    const actions = db().select().from(auditLog).where(and(eq(auditLog.entityType, "recognition_decision"), eq(auditLog.entityId, String(c.id)))).all().map((a) => a.action);
    expect(actions).toEqual(["recognition.decision.create", "recognition.decision.update"]);
    expect(deleteDraft(c.id, u.admin)).toEqual({ ok: true });
  });

  it("takes only the office's finished files of its year; the others are skipped and named", () => {
    const a = assessed(school.S1, u.headS1, u.admin);
    const sub = idOf(school.S2);
    expect(saveAnswers(sub, { baseVersion: row(sub).version, changes: { "1.1": { value: true } } }, u.headS2)).toMatchObject({ ok: true });
    const foreign = idOf(school.Q1);
    const c = createDecision(unit.P, "2098-2099", u.admin);
    if (!c.ok) return;
    const r = changeDecisionFiles(c.id, { add: [a, sub, foreign, a] }, u.admin);
    expect(r).toEqual({ ok: true, added: 1, removed: 0, skipped: [T.notEligible("Trường Số 2"), T.notEligible("Trường Sở Khác")], version: 2 });
    expect(db().select().from(recognitionDecisionItems).where(eq(recognitionDecisionItems.decisionId, c.id)).all()).toEqual([{ decisionId: c.id, assessmentId: a }]);
    expect(changeDecisionFiles(c.id, { remove: [a] }, u.admin)).toMatchObject({ ok: true, added: 0, removed: 1, version: 3 });
    expect(decisionFiles(c.id)).toEqual([]);
    expect(deleteDraft(c.id, u.admin)).toEqual({ ok: true });
  });
});

describe("issuing", () => {
  let files: number[] = [];
  let draft = { id: 0, version: 0 };

  it("refuses while fields are missing or a file is no longer ready, writing nothing", () => {
    files = [assessed(school.S3, u.headS3, u.admin), assessed(school.S4, u.headS4, u.admin), assessed(school.S5, u.headS5, u.admin)];
    const c = createDecision(unit.P, "2098-2099", u.admin);
    if (!c.ok) return;
    expect(issueCheck(c.id)).toMatchObject({ missing: { number: T.numberRequired, place: T.placeRequired, signerName: T.signerNameRequired, signerTitle: T.signerTitleRequired, decidedOn: T.dateRequired, files: T.noFiles } });
    expect(issueDecision(c.id, u.admin, 1)).toMatchObject({ ok: false, kind: "invalid", fieldErrors: { number: T.numberRequired, files: T.noFiles } });
    deleteDraft(c.id, u.admin);

    draft = draftWith(files, "10/QĐ-SGDĐT");
    // One file's approval is withdrawn after it was chosen: the whole decision waits.
    expect(withdraw(files[1], "Xem lại minh chứng", u.admin)).toMatchObject({ ok: true, status: "submitted" });
    const before = { rows: files.map(row), audits: auditCount() };
    const r = issueDecision(draft.id, u.admin, draft.version);
    expect(r).toMatchObject({ ok: false, kind: "not-ready", message: T.notReady("Trường Số 4") });
    expect(files.map(row)).toEqual(before.rows);
    expect(auditCount()).toBe(before.audits);
    expect(certsOf(draft.id)).toEqual([]);
    expect(decision(draft.id).status).toBe("draft");
  });

  it("recognises every file through the door with its certificate, serials in the annex's order, in one transaction", () => {
    const ch = changeDecisionFiles(draft.id, { remove: [files[1]] }, u.admin);
    if (!ch.ok) return;
    const audits = auditCount();
    const r = issueDecision(draft.id, u.admin, ch.version);
    expect(r).toEqual({ ok: true, recognised: 2, serials: [`RC-${YEAR}-0001`, `RC-${YEAR}-0002`], late: 0 });
    expect(decision(draft.id)).toMatchObject({ status: "issued", issuedBy: u.admin, version: ch.version + 1 });
    const certs = certsOf(draft.id);
    expect(certs.map((c) => [c.assessmentId, c.serialYear, c.serialNo, c.serial, c.level, c.schoolYear, c.issuingUnitId, c.revokedAt])).toEqual([
      [files[0], YEAR, 1, `RC-${YEAR}-0001`, row(files[0]).externalLevel, "2098-2099", unit.P, null],
      [files[2], YEAR, 2, `RC-${YEAR}-0002`, row(files[2]).externalLevel, "2098-2099", unit.P, null],
    ]);
    for (const c of certs) expect(c.token).toMatch(TOKEN_PATTERN);
    expect(new Set(certs.map((c) => c.token)).size).toBe(2);
    for (const id of [files[0], files[2]]) expect(row(id)).toMatchObject({ status: "recognised", recognisedLevel: row(id).externalLevel });
    expect(row(files[0]).recognisedAt).toBeInstanceOf(Date);
    const written = db().select().from(auditLog).orderBy(asc(auditLog.id)).all().slice(audits);
    expect(written.map((a) => a.action)).toEqual(["assessment.recognise", "assessment.recognise", "recognition.decision.issue"]);
    expect(written[0].details).toMatchObject({ from: "assessed", to: "recognised", decisionId: draft.id, decision: "10/QĐ-SGDĐT", serial: `RC-${YEAR}-0001` });
    const told = db().select().from(notifications).where(and(eq(notifications.kind, "recognised"), inArray(notifications.assessmentId, [files[0], files[2]]))).all();
    expect(told.map((n) => n.userId).sort()).toEqual([u.headS3, u.headS5].sort());
    // Issued: no more edits.
    expect(updateDecision(draft.id, FIELDS, u.admin, ch.version + 1)).toMatchObject({ ok: false, kind: "state" });
    expect(issueDecision(draft.id, u.admin, ch.version + 1)).toMatchObject({ ok: false, kind: "state" });
  });

  it("counts the files recognised after their review deadline (allowed, with a warning)", () => {
    const id = assessed(school.S6, u.headS6, u.admin);
    db().update(cycles).set({ reviewDeadline: "2020-06-20" }).where(eq(cycles.id, row(id).cycleId)).run();
    const d = draftWith([id], "11/QĐ-SGDĐT");
    expect(issueCheck(d.id)!.late).toBe(1);
    expect(issueDecision(d.id, u.admin, d.version)).toMatchObject({ ok: true, recognised: 1, late: 1, serials: [`RC-${YEAR}-0003`] });
    db().update(cycles).set({ reviewDeadline: "2099-06-20" }).where(eq(cycles.id, row(id).cycleId)).run();
  });

  it("two decisions issued at the same moment by two processes share the serials without a gap or a duplicate", async () => {
    const a = draftWith([7, 8, 9, 10, 11].map((i) => assessed(school[`S${i}`], u[`headS${i}`], u.admin)), "20/QĐ-SGDĐT");
    const b = draftWith([12, 13, 14, 15, 16].map((i) => assessed(school[`S${i}`], u[`headS${i}`], u.admin)), "21/QĐ-SGDĐT");
    const go = path.join(TMP_DIR, `go-${process.pid}-${Date.now()}`);
    const ready: Promise<void>[] = [];
    const run = (d: { id: number; version: number }) =>
      new Promise<{ ok: boolean; serials?: string[] }>((resolve, reject) => {
        const child = spawn(TSX, [path.join(__dirname, "fixtures", "issue-decision.ts")], {
          cwd: ROOT,
          env: { ...process.env, DATABASE_PATH: dbFile(), DECISION_ID: String(d.id), ACTOR_ID: String(u.admin), VERSION: String(d.version), GO_FILE: go },
          stdio: ["ignore", "pipe", "pipe"],
        });
        let out = "";
        let err = "";
        ready.push(
          new Promise<void>((up) => {
            child.stdout.on("data", (c) => {
              out += c;
              if (out.startsWith("ready")) up();
            });
          }),
        );
        child.stderr.on("data", (c) => (err += c));
        child.on("exit", (code) => (code === 0 ? resolve(JSON.parse(out.trim().split("\n").at(-1)!)) : reject(new Error(`child ${code}: ${err}`))));
      });
    const both = [run(a), run(b)];
    // Both children are up (they print "ready"), then one signal starts them together.
    await Promise.all(ready);
    fs.writeFileSync(go, "go");
    const [ra, rb] = await Promise.all(both);
    fs.rmSync(go, { force: true });
    expect(ra.ok && rb.ok).toBe(true);
    const nos = db().select({ no: certificates.serialNo }).from(certificates).where(and(eq(certificates.issuingUnitId, unit.P), eq(certificates.serialYear, YEAR))).all().map((r) => r.no).sort((x, y) => x - y);
    expect(nos).toEqual(Array.from({ length: 13 }, (_, i) => i + 1));
    expect([...ra.serials!, ...rb.serials!].sort()).toEqual(Array.from({ length: 10 }, (_, i) => `RC-${YEAR}-${String(i + 4).padStart(4, "0")}`));
  }, 60_000);
});

describe("revocation and re-issue", () => {
  it("revokes one certificate with a reason through the door, then re-issues it with a new serial", () => {
    const d = db().select().from(recognitionDecisions).where(eq(recognitionDecisions.number, "10/QĐ-SGDĐT")).get()!;
    const cert = certsOf(d.id)[0];
    expect(revokeCertificate(cert.id, "  ", u.admin)).toMatchObject({ ok: false, kind: "invalid", fieldErrors: { reason: T.reasonRequired } });
    expect(revokeCertificate(cert.id, "Sai số liệu minh chứng", u.admin)).toEqual({ ok: true });
    const revoked = db().select().from(certificates).where(eq(certificates.id, cert.id)).get()!;
    expect(revoked).toMatchObject({ revokedBy: u.admin, revokeReason: "Sai số liệu minh chứng" });
    expect(revoked.revokedAt).toBeInstanceOf(Date);
    expect(row(cert.assessmentId)).toMatchObject({ status: "assessed", recognisedLevel: null, recognisedAt: null });
    const audit = db().select().from(auditLog).where(eq(auditLog.assessmentId, cert.assessmentId)).orderBy(asc(auditLog.id)).all().at(-1)!;
    expect(audit).toMatchObject({ action: "assessment.revoke", details: { from: "recognised", to: "assessed", reason: "Sai số liệu minh chứng", serial: cert.serial } });
    expect(db().select().from(notifications).where(and(eq(notifications.kind, "recognition-revoked"), eq(notifications.assessmentId, cert.assessmentId))).all()).toHaveLength(1);
    expect(revokeCertificate(cert.id, "Lần nữa", u.admin)).toMatchObject({ ok: false, kind: "state", message: T.alreadyRevoked });

    const re = reissueCertificate(cert.id, u.admin);
    expect(re).toMatchObject({ ok: true, serial: `RC-${YEAR}-0014` });
    expect(row(cert.assessmentId).status).toBe("recognised");
    expect(db().select().from(certificates).where(eq(certificates.id, cert.id)).get()!.revokedAt).toBeInstanceOf(Date);
    expect(reissueCertificate(cert.id, u.admin)).toMatchObject({ ok: false, kind: "state", message: T.hasValid });
  });

  it("revokes a whole decision: every valid certificate, in one transaction", () => {
    const d = db().select().from(recognitionDecisions).where(eq(recognitionDecisions.number, "20/QĐ-SGDĐT")).get()!;
    expect(revokeDecision(d.id, "Quyết định ban hành nhầm", u.admin)).toEqual({ ok: true, revoked: 5 });
    expect(decision(d.id)).toMatchObject({ status: "revoked", revokeReason: "Quyết định ban hành nhầm", revokedBy: u.admin });
    for (const c of certsOf(d.id)) {
      expect(c.revokeReason).toBe("Quyết định ban hành nhầm");
      expect(row(c.assessmentId).status).toBe("assessed");
    }
    expect(revokeDecision(d.id, "Lần nữa", u.admin)).toMatchObject({ ok: false, kind: "state" });
    expect(reissueCertificate(certsOf(d.id)[0].id, u.admin)).toMatchObject({ ok: false, message: T.notIssued });
  });

  it("in a closed cycle a recognition can still be revoked, but nothing is recognised", () => {
    const d = db().select().from(recognitionDecisions).where(eq(recognitionDecisions.number, "21/QĐ-SGDĐT")).get()!;
    const [c1, c2] = certsOf(d.id);
    db().update(cycles).set({ status: "closed" }).where(eq(cycles.id, row(c1.assessmentId).cycleId)).run();
    expect(revokeCertificate(c1.id, "Phát hiện sai sót sau khi đóng đợt", u.admin)).toEqual({ ok: true });
    expect(row(c1.assessmentId).status).toBe("assessed");
    expect(reissueCertificate(c1.id, u.admin)).toMatchObject({ ok: false, kind: "state", message: "Đợt đánh giá đã đóng." });
    expect(row(c2.assessmentId).status).toBe("recognised");
    db().update(cycles).set({ status: "open" }).where(eq(cycles.id, row(c1.assessmentId).cycleId)).run();
  });
});

describe("the policy's decision rules", () => {
  it("the issuing office manages its decisions; units above read them; others and schools neither", () => {
    const P = { kind: "unit" as const, unitId: unit.P };
    const X = { kind: "unit" as const, unitId: unit.X };
    const admin = loadUser(u.admin)!;
    const xrev = loadUser(u.xrev)!;
    const q = loadUser(u.qadmin)!;
    const head = loadUser(u.headS1)!;
    expect([can(admin, "decision.manage", P), can(admin, "decision.read", P), can(admin, "decision.read", X), can(admin, "decision.manage", X)]).toEqual([true, true, true, false]);
    expect([can(xrev, "decision.manage", X), can(xrev, "decision.read", P), can(xrev, "decision.manage", P)]).toEqual([true, false, false]);
    expect([can(q, "decision.read", P), can(q, "decision.manage", P)]).toEqual([false, false]);
    expect([can(head, "decision.read", P), can(null, "decision.read", P)]).toEqual([false, false]);
  });
});
