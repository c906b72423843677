/**
 * The one transition door of the assessment service, on a real SQLite file: every change is
 * guarded by the state table and the version, runs its callback in the same transaction, and
 * writes exactly the columns and the audit entry it should. Also the lost-write findings of the
 * hardening issue: report sections, the same user in two tabs, merged changes, junk answer rows.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { and, desc, eq } from "drizzle-orm";
import { useTestDatabase } from "../helpers/db";
import { browserAs, run } from "../helpers/http";
import { getDb } from "~/server/db/client.server";
import { answers, assessments, auditLog } from "~/server/db/schema.server";
import { createSchool, createUnit, createUser } from "~/server/services/org.server";
import { openCycle } from "~/server/services/cycles.server";
import {
  extendDeadline,
  getAssessment,
  Refusal,
  reviewTransition,
  saveAnswers,
  saveReportText,
  submitAssessment,
  transition,
} from "~/server/services/assessments.server";
import { allows, isEditableBySchool, STATES, TRANSITIONS, type TransitionName } from "~/domain/assessment-states";
import { sectionFingerprint } from "~/domain/report";
import { attachEvidence, createLinkEvidence, detachEvidence } from "~/server/services/evidence.server";
import { approve, finishExternal, returnFile, withdraw } from "~/server/services/review.server";
import * as saveRoute from "~/routes/danh-gia.$id.luu";
import * as reportRoute from "~/routes/danh-gia.$id.bao-cao";

useTestDatabase("door");

const pw = "mat-khau-kiem-thu";
const u: Record<string, number> = {};
const school: Record<string, number> = {};
const NOW = Date.UTC(2099, 0, 10, 3, 0, 0);

function row(id: number) {
  return getDb().select().from(assessments).where(eq(assessments.id, id)).get()!;
}
function audits(id: number) {
  return getDb().select().from(auditLog).where(eq(auditLog.assessmentId, id)).orderBy(auditLog.id).all();
}
function lastAudit(id: number) {
  return getDb().select().from(auditLog).where(eq(auditLog.assessmentId, id)).orderBy(desc(auditLog.id)).limit(1).get()!;
}
function answerRow(id: number, code: string, phase: "self" | "external" = "self") {
  return getDb()
    .select()
    .from(answers)
    .where(and(eq(answers.assessmentId, id), eq(answers.phase, phase), eq(answers.itemCode, code)))
    .get();
}
const idOf = (s: number) => getDb().select().from(assessments).where(eq(assessments.schoolId, s)).get()!.id;

beforeAll(async () => {
  const P = createUnit({ kind: "province", code: "DP", name: "Sở D", parentId: null }, null);
  for (const c of ["A", "B", "C", "E"]) school[c] = createSchool({ code: `D-${c}`, name: `Trường ${c}`, type: "TH", managingUnitId: P, reviewingUnitId: P }, null);
  u.admin = await createUser({ username: "door.admin", displayName: "Quản trị Sở", password: pw, roles: ["office_admin", "office_reviewer"], unitId: P }, null);
  u.head = await createUser({ username: "door.head", displayName: "Hiệu trưởng A", password: pw, roles: ["school_head"], schoolId: school.A }, null);
  u.staff = await createUser({ username: "door.staff", displayName: "Giáo viên A", password: pw, roles: ["school_staff"], schoolId: school.A }, null);
  u.headB = await createUser({ username: "door.headb", displayName: "Hiệu trưởng B", password: pw, roles: ["school_head"], schoolId: school.B }, null);
  u.staffB = await createUser({ username: "door.staffb", displayName: "Giáo viên B", password: pw, roles: ["school_staff"], schoolId: school.B }, null);
  const r = openCycle({ ownerUnitId: P, schoolYear: "2098-2099", editionId: "qd-4725-2022", selfAssessmentDeadline: "2099-05-31", reviewDeadline: "2099-06-20" }, u.admin);
  expect(r.ok).toBe(true);
});

describe("the state table is the only lock rule", () => {
  it("the school edits, writes its report, attaches evidence and gets extensions exactly where the table allows a save", () => {
    for (const s of STATES) {
      expect(isEditableBySchool(s)).toBe(allows(s, "save"));
      for (const t of ["reportSave", "evidence", "extendDeadline"] as TransitionName[]) expect(allows(s, t)).toBe(allows(s, "save"));
    }
    expect(Object.keys(TRANSITIONS.save)).toEqual(["draft", "returned"]);
  });

  it("refuses a transition the table does not allow from the current state, writing nothing", () => {
    const id = idOf(school.C);
    const before = row(id);
    const n = audits(id).length;
    expect(approve(id, u.admin, {}, NOW)).toMatchObject({ ok: false, kind: "state" });
    expect(transition(id, { name: "recognise", actorId: u.admin })).toMatchObject({ ok: false, kind: "state", status: "draft" });
    expect(row(id)).toEqual(before);
    expect(audits(id)).toHaveLength(n);
  });
});

describe("the door runs the caller's writes in the same transaction", () => {
  it("a refusal in the callback rolls back what the callback wrote, the version and the audit", () => {
    const id = idOf(school.C);
    const before = row(id);
    const n = audits(id).length;
    const out = transition(id, {
      name: "save",
      actorId: u.admin,
      within: (tx) => {
        tx.insert(answers).values({ assessmentId: id, phase: "self", itemCode: "1.1", value: true as never, updatedBy: u.admin, updatedAt: new Date(NOW), version: before.version + 1 }).run();
        throw new Refusal("custom", "Từ chối để kiểm thử.");
      },
    });
    expect(out).toEqual({ ok: false, kind: "custom", message: "Từ chối để kiểm thử." });
    expect(answerRow(id, "1.1")).toBeUndefined();
    expect(row(id)).toEqual(before);
    expect(audits(id)).toHaveLength(n);
  });

  it("a callback's rows, its columns, the version bump and the audit entry land together", () => {
    const id = idOf(school.C);
    const before = row(id);
    const out = transition(id, {
      name: "save",
      actorId: u.admin,
      now: NOW,
      action: "assessment.test",
      within: (tx, a, next) => {
        tx.insert(answers).values({ assessmentId: id, phase: "self", itemCode: "1.2", value: true as never, updatedBy: u.admin, updatedAt: new Date(NOW), version: next.version }).run();
        return { set: { selfLevel: 1 }, details: { items: ["1.2"] }, value: a.version };
      },
    });
    expect(out).toMatchObject({ ok: true, from: "draft", status: "draft", version: before.version + 1, changed: true, value: before.version });
    expect(answerRow(id, "1.2")).toMatchObject({ version: before.version + 1, updatedBy: u.admin });
    expect(row(id)).toMatchObject({ version: before.version + 1, selfLevel: 1, updatedAt: new Date(NOW) });
    expect(lastAudit(id)).toMatchObject({ action: "assessment.test", actorId: u.admin, details: { from: "draft", to: "draft", version: before.version + 1, items: ["1.2"] } });
  });

  it("refuses a stale expected version", () => {
    const id = idOf(school.C);
    const v = row(id).version;
    expect(transition(id, { name: "save", actorId: u.admin, expectedVersion: v - 1 })).toMatchObject({ ok: false, kind: "stale" });
    expect(row(id).version).toBe(v);
  });
});

describe("each transition writes its columns and its audit entry", () => {
  it("deadline extension: only before submission, versioned and audited", () => {
    const id = idOf(school.A);
    const before = row(id);
    expect(extendDeadline(id, "2099-06-05", "Mất điện kéo dài", u.admin, NOW)).toEqual({ ok: true });
    expect(row(id)).toMatchObject({ deadlineOverride: "2099-06-05", version: before.version + 1, status: "draft" });
    expect(lastAudit(id)).toMatchObject({
      action: "assessment.deadline.extend",
      actorId: u.admin,
      details: { from: "2099-05-31", to: "2099-06-05", reason: "Mất điện kéo dài", version: before.version + 1 },
    });
    expect(extendDeadline(id, "2099-06-01", "Sớm hơn", u.admin, NOW)).toMatchObject({ ok: false, kind: "not-later" });
    expect(extendDeadline(id, "2099-06-09", "  ", u.admin, NOW)).toMatchObject({ ok: false, kind: "reason" });
    expect(row(id).version).toBe(before.version + 1);
  });

  it("submit → return → submit → approve → external save → finish → recognise → revoke → withdraw", () => {
    const id = idOf(school.A);
    let v = row(id).version;
    expect(saveAnswers(id, { baseVersion: v, changes: { "1.1": { value: true }, "1.2": { value: true }, "2.1": { value: true }, "2.2": { value: true } } }, u.staff, NOW).ok).toBe(true);
    v += 1;
    expect(row(id)).toMatchObject({ version: v, selfLevel: 1 });

    expect(submitAssessment(id, u.head, NOW)).toEqual({ ok: true, alreadySubmitted: false, submittedAt: NOW });
    v += 1;
    expect(row(id)).toMatchObject({ status: "submitted", version: v, submittedAt: new Date(NOW), submittedBy: u.head, selfLevel: 1 });
    expect(lastAudit(id)).toMatchObject({ action: "assessment.submit", actorId: u.head, details: { from: "draft", to: "submitted", level: 1 } });
    // Locked now: no answers, no report text, no extension.
    expect(saveAnswers(id, { baseVersion: v, changes: { "1.3.1": { value: true } } }, u.staff, NOW)).toMatchObject({ ok: false, kind: "locked" });
    expect(saveReportText(id, { leadership: "Sau khi gửi" }, u.head, NOW)).toMatchObject({ ok: false, kind: "locked" });
    expect(extendDeadline(id, "2099-06-10", "Muộn", u.admin, NOW)).toMatchObject({ ok: false, kind: "state" });
    expect(row(id).version).toBe(v);

    expect(returnFile(id, { requests: { "1.3.1": "Bổ sung minh chứng 1.3.1" }, comment: "" }, u.admin, NOW)).toEqual({ ok: true, status: "returned", version: v + 1, requests: 1 });
    v += 1;
    expect(lastAudit(id)).toMatchObject({ action: "assessment.return", details: { from: "submitted", to: "returned", round: 1, items: ["1.3.1"] } });
    expect(submitAssessment(id, u.head, NOW + 1000)).toMatchObject({ ok: true, alreadySubmitted: false });
    v += 1;
    expect(row(id)).toMatchObject({ status: "submitted", submittedAt: new Date(NOW + 1000) });

    expect(approve(id, u.admin, {}, NOW + 2000)).toEqual({ ok: true, status: "approved", version: v + 1 });
    v += 1;
    // The external phase starts as a copy of the school's answers, scored with the same engine.
    expect(row(id)).toMatchObject({ status: "approved", approvedAt: new Date(NOW + 2000), approvedBy: u.admin, externalLevel: 1 });
    expect(answerRow(id, "1.1", "external")).toMatchObject({ value: true, note: null, version: v, updatedBy: u.admin });

    // Not yet recognisable: the external assessment is not finished.
    expect(reviewTransition(id, "recognise", u.admin, null, NOW)).toMatchObject({ ok: false, kind: "state" });
    expect(row(id).version).toBe(v);
    const ext = saveAnswers(id, { baseVersion: v, changes: { "1.3.1": { value: true, note: "Có kế hoạch tại minh chứng MC-1.3.1-01" } }, phase: "external" }, u.admin, NOW);
    expect(ext.ok).toBe(true);
    v += 1;
    expect(answerRow(id, "1.3.1", "external")).toMatchObject({ version: v, updatedBy: u.admin });
    expect(row(id)).toMatchObject({ status: "approved", externalLevel: 1, version: v });
    expect(lastAudit(id)).toMatchObject({ action: "assessment.externalSave", details: { level: 1 } });
    expect(finishExternal(id, u.admin, {}, NOW + 2500)).toMatchObject({ ok: true, status: "assessed", version: v + 1, level: 1 });
    v += 1;
    expect(row(id)).toMatchObject({ status: "assessed", externalLevel: 1, externalFinishedAt: new Date(NOW + 2500), externalFinishedBy: u.admin });

    expect(reviewTransition(id, "recognise", u.admin, null, NOW + 3000)).toEqual({ ok: true, status: "recognised", version: v + 1 });
    v += 1;
    expect(row(id)).toMatchObject({ status: "recognised", recognisedLevel: 1, recognisedAt: new Date(NOW + 3000) });
    expect(lastAudit(id)).toMatchObject({ action: "assessment.recognise", actorId: u.admin, details: { from: "assessed", to: "recognised", level: 1 } });
    // No withdrawal of an approval once recognised.
    expect(withdraw(id, "Thu hồi phê duyệt", u.admin, NOW)).toMatchObject({ ok: false, kind: "state" });

    expect(reviewTransition(id, "revoke", u.admin, "", NOW)).toMatchObject({ ok: false, kind: "reason" });
    expect(reviewTransition(id, "revoke", u.admin, "Sai sót khi chấm", NOW)).toMatchObject({ ok: true, status: "assessed" });
    expect(row(id)).toMatchObject({ status: "assessed", recognisedLevel: null, recognisedAt: null, approvedBy: u.admin });
    expect(withdraw(id, "  ", u.admin, NOW)).toMatchObject({ ok: false, kind: "invalid", fieldErrors: { reason: expect.any(String) } });
    expect(withdraw(id, "Thu hồi phê duyệt", u.admin, NOW)).toMatchObject({ ok: true, status: "submitted" });
    expect(row(id)).toMatchObject({ status: "submitted", approvedAt: null, approvedBy: null, externalLevel: null, externalFinishedAt: null });
    expect(audits(id).map((a) => a.action).filter((a) => a !== "assessment.save")).toEqual([
      "assessment.deadline.extend",
      "assessment.submit",
      "assessment.return",
      "assessment.submit",
      "assessment.approve",
      "assessment.externalSave",
      "assessment.external.finish",
      "assessment.recognise",
      "assessment.revoke",
      "assessment.withdraw",
    ]);
    // Every audit entry names the version it produced: one entry per version.
    const versions = audits(id).map((a) => (a.details as { version?: number }).version);
    expect(new Set(versions).size).toBe(versions.length);
  });

  it("a review transition's callback writes with it (e.g. a comment, a certificate), or nothing is written", () => {
    const id = idOf(school.A); // submitted
    const v = row(id).version;
    const refused = transition(id, {
      name: "approve",
      actorId: u.admin,
      now: NOW,
      within: () => {
        throw new Refusal("comment", "Thiếu nhận xét.");
      },
    });
    expect(refused).toMatchObject({ ok: false, kind: "comment", message: "Thiếu nhận xét." });
    expect(row(id)).toMatchObject({ status: "submitted", version: v, approvedAt: null });
    expect(approve(id, u.admin, { expectedVersion: v - 1 }, NOW)).toMatchObject({ ok: false, kind: "stale" });
    expect(row(id).status).toBe("submitted");
  });
});

describe("evidence changes pass through the door", () => {
  it("link, reuse and detach each move the version on, with the door's audit entry; refused once submitted", async () => {
    const id = idOf(school.C);
    const v = row(id).version;
    const made = createLinkEvidence({ assessmentId: id, itemCodes: ["1.3.1"], url: "https://truong-c.edu.vn/ke-hoach", title: "Kế hoạch CĐS" }, u.admin, NOW);
    expect(made).toMatchObject({ ok: true, links: [{ itemCode: "1.3.1", code: "MC-1.3.1-01" }] });
    if (!made.ok) return;
    expect(row(id).version).toBe(v + 1);
    const link = getDb().select().from(auditLog).where(and(eq(auditLog.assessmentId, id), eq(auditLog.action, "evidence.link.create"))).get()!;
    expect(link).toMatchObject({ entityType: "evidence", entityId: String(made.evidenceId), details: { from: "draft", to: "draft", version: v + 1, title: "Kế hoạch CĐS" } });

    expect(attachEvidence({ assessmentId: id, evidenceId: made.evidenceId, itemCodes: ["1.3.2"] }, u.admin, NOW)).toMatchObject({ ok: true });
    expect(row(id).version).toBe(v + 2);
    expect(getDb().select().from(auditLog).where(and(eq(auditLog.assessmentId, id), eq(auditLog.action, "evidence.attach"))).all().map((a) => a.details)).toEqual([
      { itemCode: "1.3.1", code: "MC-1.3.1-01" },
      { itemCode: "1.3.2", code: "MC-1.3.2-01" },
    ]);
    expect(getDb().select().from(auditLog).where(and(eq(auditLog.assessmentId, id), eq(auditLog.action, "evidence.reuse"))).get()).toMatchObject({ details: { version: v + 2, itemCodes: ["1.3.2"] } });

    expect(await detachEvidence({ assessmentId: id, itemCode: "1.3.2", evidenceId: made.evidenceId }, u.admin, { now: NOW })).toMatchObject({ ok: true, softDeleted: false });
    expect(row(id).version).toBe(v + 3);
    expect(lastAudit(id)).toMatchObject({ action: "evidence.detach", details: { version: v + 3, itemCode: "1.3.2", code: "MC-1.3.2-01" } });
  });

  it("a submitted assessment's evidence cannot change: 409, nothing written", async () => {
    const id = idOf(school.A); // submitted by the tests above
    expect(row(id).status).toBe("submitted");
    const before = row(id);
    const n = audits(id).length;
    expect(createLinkEvidence({ assessmentId: id, itemCodes: ["1.3.1"], url: "https://a.edu.vn/x", title: "Muộn" }, u.head, NOW)).toMatchObject({ ok: false, status: 409 });
    expect(row(id)).toEqual(before);
    expect(audits(id)).toHaveLength(n);
  });
});

describe("lost writes", () => {
  it("the same user in two tabs: the stale tab meets its own newer save as a conflict", () => {
    const id = idOf(school.B);
    const v0 = row(id).version;
    // Tab 1 saves 1.7.2 = "tot"; tab 2 still shows the version before.
    const tab1 = saveAnswers(id, { baseVersion: v0, changes: { "1.7.2": { value: "tot", seen: 0 } } }, u.headB, NOW);
    expect(tab1.ok).toBe(true);
    const tab2 = saveAnswers(id, { baseVersion: v0, changes: { "1.7.2": { value: "co-ban", seen: 0 } } }, u.headB, NOW);
    expect(tab2).toMatchObject({ ok: false, kind: "conflict", theirs: [{ code: "1.7.2", value: "tot", version: v0 + 1, updatedBy: "Hiệu trưởng B" }] });
    expect(answerRow(id, "1.7.2")).toMatchObject({ value: "tot", version: v0 + 1 });
    // With only a baseVersion (no per-item "seen"), the same holds.
    expect(saveAnswers(id, { baseVersion: v0, changes: { "1.7.2": { value: "co-ban" } } }, u.headB, NOW)).toMatchObject({ ok: false, kind: "conflict" });
    // The tab that saw the newer version saves over it.
    expect(saveAnswers(id, { baseVersion: v0 + 1, changes: { "1.7.2": { value: "co-ban", seen: v0 + 1 } } }, u.headB, NOW)).toMatchObject({ ok: true, saved: ["1.7.2"] });
  });

  it("a base moved on by a merge: the answer carries the others' changes, and the next save of them is checked against what was seen", () => {
    const id = idOf(school.B);
    const v = row(id).version;
    // Staff changes 1.3.1 while the head's tab is at v.
    expect(saveAnswers(id, { baseVersion: v, changes: { "1.3.1": { value: true, seen: 0 } } }, u.staffB, NOW).ok).toBe(true);
    // The head saves another item: merged, and told about 1.3.1.
    const head = saveAnswers(id, { baseVersion: v, changes: { "1.3.2": { value: true, seen: 0 } } }, u.headB, NOW);
    expect(head).toMatchObject({ ok: true, version: v + 2, saved: ["1.3.2"] });
    if (!head.ok) return;
    expect(head.others).toEqual([expect.objectContaining({ code: "1.3.1", value: true, version: v + 1, updatedBy: "Giáo viên B" })]);
    // The head's tab had not shown 1.3.1's new value: saving it from the old view is a conflict,
    expect(saveAnswers(id, { baseVersion: v + 2, changes: { "1.3.1": { value: false, seen: 0 } } }, u.headB, NOW)).toMatchObject({ ok: false, kind: "conflict" });
    // though the tab's base version (v + 2) is newer than the staff's change.
    expect(answerRow(id, "1.3.1")).toMatchObject({ value: true });
    // Once shown (seen = the version the answer carried), the change is the head's choice.
    expect(saveAnswers(id, { baseVersion: v + 2, changes: { "1.3.1": { value: false, seen: v + 1 } } }, u.headB, NOW)).toMatchObject({ ok: true });
    expect(answerRow(id, "1.3.1")).toMatchObject({ value: false, updatedBy: u.headB });
  });

  it("the save endpoint answers only what the form uses, with the merged changes", async () => {
    const id = idOf(school.B);
    const v = row(id).version;
    saveAnswers(id, { baseVersion: v, changes: { "1.3.3": { value: true } } }, u.staffB, NOW);
    const b = await browserAs("door.headb");
    const payload = JSON.stringify({ baseVersion: v, changes: { "1.3.4": { value: true, seen: 0 } } });
    const r = await run(saveRoute.action as never, b.post(`/danh-gia/${id}/luu`, { payload }), { id: String(id) });
    expect(r.status).toBe(200);
    const body = await r.json();
    expect(Object.keys(body).sort()).toEqual(["ok", "others", "saved", "version"]);
    expect(body).toMatchObject({ ok: true, version: v + 2, saved: ["1.3.4"], others: [{ code: "1.3.3", value: true, version: v + 1 }] });
    expect(JSON.stringify(body).length).toBeLessThan(600);
  });

  it("junk answer rows: an unknown code is refused whatever its value, even null with a note", async () => {
    const id = idOf(school.B);
    const v = row(id).version;
    const n = audits(id).length;
    expect(saveAnswers(id, { baseVersion: v, changes: { "9.9.9": { value: null, note: "rác" } } }, u.headB, NOW)).toMatchObject({
      ok: false,
      kind: "invalid",
      errors: [expect.objectContaining({ code: "9.9.9" })],
    });
    expect(saveAnswers(id, { baseVersion: v, changes: { "1.3": { note: "mã chỉ số, không phải mục" } } }, u.headB, NOW)).toMatchObject({ ok: false, kind: "invalid" });
    const b = await browserAs("door.headb");
    const r = await run(saveRoute.action as never, b.post(`/danh-gia/${id}/luu`, { payload: JSON.stringify({ baseVersion: v, changes: { "9.9.9": { value: null, note: "…" } } }) }), { id: String(id) });
    expect(r.status).toBe(422);
    expect(answerRow(id, "9.9.9")).toBeUndefined();
    expect(answerRow(id, "1.3")).toBeUndefined();
    expect(row(id).version).toBe(v);
    expect(audits(id)).toHaveLength(n);
  });
});

describe("report sections", () => {
  const post = async (user: string, id: number, fields: Record<string, string>) => {
    const b = await browserAs(user);
    return run(reportRoute.action as never, b.post(`/danh-gia/${id}/bao-cao`, fields), { id: String(id) });
  };

  it("a post carrying one section leaves the others as they are", async () => {
    const id = idOf(school.E);
    expect(saveReportText(id, { leadership: "Lãnh đạo", process: "Quá trình", proposals: "Kiến nghị" }, u.admin, NOW)).toMatchObject({ ok: true });
    const head = await createUser({ username: "door.heade", displayName: "Hiệu trưởng E", password: pw, roles: ["school_head"], schoolId: school.E }, null);
    void head;
    const r = await post("door.heade", id, { process: "Quá trình mới", process__base: sectionFingerprint("Quá trình") });
    expect(r.status).toBe(302);
    expect(row(id).reportText).toEqual({ leadership: "Lãnh đạo", process: "Quá trình mới", proposals: "Kiến nghị" });
    expect(lastAudit(id)).toMatchObject({ action: "assessment.report.save", details: { sections: ["process"] } });
  });

  it("two people saving different sections from the same page keep both", async () => {
    const id = idOf(school.E);
    const page = await (await run(reportRoute.loader as never, (await browserAs("door.heade")).get(`/danh-gia/${id}/bao-cao`), { id: String(id) })).json();
    const all = (over: Record<string, string>) => {
      const f: Record<string, string> = {};
      for (const k of Object.keys(page.sections)) {
        f[k] = over[k] ?? page.sections[k];
        f[`${k}__base`] = page.bases[k];
      }
      return f;
    };
    // Both post the whole form, each with one section changed.
    expect((await post("door.heade", id, all({ difficulties: "Thiếu máy tính" }))).status).toBe(302);
    expect((await post("door.heade", id, all({ directions: "Tập huấn giáo viên" }))).status).toBe(302);
    expect(row(id).reportText).toMatchObject({ leadership: "Lãnh đạo", process: "Quá trình mới", difficulties: "Thiếu máy tính", directions: "Tập huấn giáo viên" });
  });

  it("two people saving the same section: the second gets the conflict choice, nothing is overwritten", async () => {
    const id = idOf(school.E);
    const base = sectionFingerprint("Lãnh đạo");
    expect((await post("door.heade", id, { leadership: "Bản của người thứ nhất", leadership__base: base })).status).toBe(302);
    const v = row(id).version;
    const second = await post("door.heade", id, { leadership: "Bản của người thứ hai", leadership__base: base, results: "Kết quả", results__base: sectionFingerprint("") });
    expect(second.status).toBe(409);
    const body = await second.json();
    expect(body.conflicts).toEqual([
      expect.objectContaining({ section: "leadership", theirs: "Bản của người thứ nhất", base: sectionFingerprint("Bản của người thứ nhất"), updatedBy: "Hiệu trưởng E" }),
    ]);
    expect(body.values.leadership).toBe("Bản của người thứ hai");
    // The other section of that post was saved; the conflicting one was not.
    expect(row(id).reportText).toMatchObject({ leadership: "Bản của người thứ nhất", results: "Kết quả" });
    expect(row(id).version).toBe(v + 1);
    // "Giữ nội dung của tôi": the same text with their base.
    expect((await post("door.heade", id, { leadership: "Bản của người thứ hai", leadership__base: body.conflicts[0].base })).status).toBe(302);
    expect(row(id).reportText).toMatchObject({ leadership: "Bản của người thứ hai" });
  });
});
