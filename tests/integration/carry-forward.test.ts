/**
 * Carry forward (dùng lại kết quả năm trước) on a real SQLite file: the previous year's answers,
 * notes and evidence links copied through the door (one "save" transition with its audit entry and
 * the engine's result rows), carried items marked until confirmed or saved, nothing the school typed
 * overwritten, a changed edition's changed and new items listed and not applied, the pre-submit
 * warning, and the route's policy.
 */
import fs from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { useTestDatabase } from "../helpers/db";
import { browserAs, run, type Browser } from "../helpers/http";
import { LEVEL2_ANSWERS } from "../helpers/answers";
import { getDb } from "~/server/db/client.server";
import { answers, assessmentResults, assessments, auditLog, evidenceLinks } from "~/server/db/schema.server";
import { createSchool, createUnit, createUser } from "~/server/services/org.server";
import { closeCycle, openCycle } from "~/server/services/cycles.server";
import { publishEdition, saveDraft } from "~/server/services/catalogue.server";
import { answersOf, editionOf, getAssessment, preSubmitCheck, saveAnswers, type AnswerChange } from "~/server/services/assessments.server";
import { attachEvidence, createLinkEvidence } from "~/server/services/evidence.server";
import { resultRows } from "~/server/services/results.server";
import { carryForward, carryForwardPlan, confirmCarried } from "~/server/services/carry-forward.server";
import { scoreAssessment, type Answers } from "~/domain/scoring";
import * as carryRoute from "~/routes/danh-gia.$id.mang-sang";
import * as formRoute from "~/routes/danh-gia.$id._index";
import * as submitRoute from "~/routes/danh-gia.$id.nop";

useTestDatabase("carry-forward");

const WORKING = "qd-4725-2022";
const NEXT = "qd-4725-2022-cf-thu";
const pw = "mat-khau-kiem-thu-12";
const ids = { province: 0, d1: 0, d2: 0, schoolA: 0, schoolB: 0, schoolC: 0, admin: 0, headA: 0, headB: 0, headC: 0, sys: 0, a0: 0, a1: 0, b1: 0, c0: 0, c1: 0 };
let headA: Browser;
let headB: Browser;

/** The working edition with 2.3.3 worth 6 instead of 10 and a new item 2.3.10 worth 4 (2.3 still adds up to 70). */
function nextEdition() {
  const e = JSON.parse(fs.readFileSync(path.resolve("indicators", WORKING, "edition.json"), "utf8"));
  e.id = NEXT;
  e.title = "Bộ chỉ số — bản thử mang sang";
  e.status = "draft";
  for (const g of e.groups)
    for (const ind of g.indicators) {
      if (ind.code !== "2.3") continue;
      const i = ind.items.findIndex((it: { code: string }) => it.code === "2.3.3");
      ind.items[i].max = 6;
      ind.items.push({ ...structuredClone(ind.items[i]), code: "2.3.10", text: "Nhà trường có hệ thống camera an ninh kết nối mạng", max: 4, evidence: [] });
    }
  return e;
}

const assessmentIn = (cycleId: number, schoolId: number) =>
  (getDb().$client.prepare("SELECT id FROM assessments WHERE cycle_id = ? AND school_id = ?").get(cycleId, schoolId) as { id: number }).id;

function saveAll(id: number, values: Record<string, AnswerChange["value"]>, notes: Record<string, string>, actor: number) {
  const changes: Record<string, AnswerChange> = {};
  for (const [code, value] of Object.entries(values)) changes[code] = { value, note: notes[code] };
  const r = saveAnswers(id, { baseVersion: getAssessment(id)!.version, changes }, actor);
  if (!r.ok) throw new Error(r.message);
}

function link(id: number, itemCodes: string[], title: string, actor: number) {
  const r = createLinkEvidence({ assessmentId: id, itemCodes, url: `https://truong.example.vn/${encodeURIComponent(title)}`, title }, actor);
  if (!r.ok) throw new Error(r.message);
  return r.evidenceId;
}

const rowsOf = (id: number) => getDb().select().from(answers).where(and(eq(answers.assessmentId, id), eq(answers.phase, "self"))).all();
const linksOf = (id: number) => getDb().select().from(evidenceLinks).where(eq(evidenceLinks.assessmentId, id)).all();
const version = (id: number) => getAssessment(id)!.version;

const NOTES: Record<string, string> = { "1.1": "Có kế hoạch CĐS năm học trước", "1.4": "Theo báo cáo tháng 5", "2.3.3": "Sổ điểm điện tử vnEdu" };

beforeAll(async () => {
  ids.sys = await createUser({ username: "cf.sys", displayName: "Quản trị", password: pw, roles: ["system_admin"] }, null);
  ids.province = createUnit({ kind: "province", code: "CF-P", name: "Sở GDĐT Thử", parentId: null }, null);
  ids.d1 = createUnit({ kind: "district", code: "CF-D1", name: "Phòng GDĐT Một", parentId: ids.province }, null);
  ids.d2 = createUnit({ kind: "district", code: "CF-D2", name: "Phòng GDĐT Hai", parentId: ids.province }, null);
  ids.schoolA = createSchool({ code: "CF-A", name: "Trường Tiểu học A", type: "TH", managingUnitId: ids.d1, reviewingUnitId: ids.d1 }, null);
  ids.schoolB = createSchool({ code: "CF-B", name: "Trường Tiểu học B", type: "TH", managingUnitId: ids.d1, reviewingUnitId: ids.d1 }, null);
  ids.schoolC = createSchool({ code: "CF-C", name: "Trường Tiểu học C", type: "TH", managingUnitId: ids.d2, reviewingUnitId: ids.d2 }, null);
  ids.admin = await createUser({ username: "cf.so", displayName: "Sở", password: pw, roles: ["office_admin"], unitId: ids.province }, null);
  ids.headA = await createUser({ username: "cf.head.a", displayName: "Hiệu trưởng A", password: pw, roles: ["school_head"], schoolId: ids.schoolA }, null);
  ids.headB = await createUser({ username: "cf.head.b", displayName: "Hiệu trưởng B", password: pw, roles: ["school_head"], schoolId: ids.schoolB }, null);
  ids.headC = await createUser({ username: "cf.head.c", displayName: "Hiệu trưởng C", password: pw, roles: ["school_head"], schoolId: ids.schoolC }, null);

  // Last year: one cycle for the province, answered with notes and evidence, then closed.
  const y0 = openCycle({ ownerUnitId: ids.province, schoolYear: "2024-2025", editionId: WORKING, selfAssessmentDeadline: "2099-05-31", reviewDeadline: "2099-06-20" }, ids.admin);
  if (!y0.ok) throw new Error(y0.message);
  ids.a0 = assessmentIn(y0.cycleId, ids.schoolA);
  ids.c0 = assessmentIn(y0.cycleId, ids.schoolC);
  for (const [id, head] of [
    [ids.a0, ids.headA],
    [ids.c0, ids.headC],
  ] as const) {
    saveAll(id, LEVEL2_ANSWERS, NOTES, head);
    link(id, ["1.1", "1.3.1"], "Kế hoạch chuyển đổi số", head);
    link(id, ["1.3.1"], "Cổng thông tin điện tử", head);
    link(id, ["2.3.3"], "Sổ điểm điện tử", head);
    link(id, ["2.3.1"], "Phần mềm quản lý", head);
  }
  expect(closeCycle(y0.cycleId, ids.admin)).toBe(true);

  // This year: the Phòng Một keeps the working edition; the Phòng Hai pins a new published edition.
  const saved = saveDraft(nextEdition(), ids.sys);
  if (!saved.ok) throw new Error(JSON.stringify(saved.errors));
  expect(publishEdition(NEXT, ids.sys)).toMatchObject({ ok: true });
  const y1 = openCycle({ ownerUnitId: ids.d1, schoolYear: "2025-2026", editionId: WORKING, selfAssessmentDeadline: "2099-05-31", reviewDeadline: "2099-06-20" }, ids.admin);
  const y1c = openCycle({ ownerUnitId: ids.d2, schoolYear: "2025-2026", editionId: NEXT, selfAssessmentDeadline: "2099-05-31", reviewDeadline: "2099-06-20" }, ids.admin);
  if (!y1.ok || !y1c.ok) throw new Error("open");
  ids.a1 = assessmentIn(y1.cycleId, ids.schoolA);
  ids.b1 = assessmentIn(y1.cycleId, ids.schoolB);
  ids.c1 = assessmentIn(y1c.cycleId, ids.schoolC);
  headA = await browserAs("cf.head.a");
  headB = await browserAs("cf.head.b");
});

describe("same edition", () => {
  it("plans every answered item as mapped, from the latest earlier year", () => {
    const plan = carryForwardPlan(ids.a1)!;
    expect(plan.previous).toEqual({ id: ids.a0, schoolYear: "2024-2025", editionId: WORKING });
    expect(plan.sameEdition).toBe(true);
    expect(plan.editable).toBe(true);
    const mapped = plan.items.filter((i) => i.status === "mapped").map((i) => i.code);
    expect(mapped.sort()).toEqual(Object.keys(LEVEL2_ANSWERS).sort());
    expect(plan.counts).toMatchObject({ mapped: 17, changed: 0, removed: 0, toCarry: 17, unconfirmed: 0 });
    expect(plan.items.find((i) => i.code === "1.3.1")).toMatchObject({ evidence: 2, toCarry: true });
    // Unanswered last year: new, and not carried.
    expect(plan.items.find((i) => i.code === "1.7.2")).toMatchObject({ status: "new", added: false, toCarry: false });
  });

  it("another school's user is refused (403) and nothing changes", async () => {
    const v = version(ids.a1);
    const res = await run(carryRoute.action as never, headB.post(`/danh-gia/${ids.a1}/mang-sang`, { intent: "all", _json: "1" }), { id: String(ids.a1) });
    expect(res.status).toBe(403);
    expect(version(ids.a1)).toBe(v);
    expect(rowsOf(ids.a1)).toEqual([]);
    // And a forged CSRF token from the school itself.
    const forged = await run(carryRoute.action as never, headA.post(`/danh-gia/${ids.a1}/mang-sang`, { intent: "all", _json: "1" }, { csrf: "forged" }), { id: String(ids.a1) });
    expect(forged.status).toBe(403);
    expect(rowsOf(ids.a1)).toEqual([]);
  });

  it("carries answers, notes and evidence links through one door transition, never overwriting the school's own", async () => {
    // The school already answered 2.3.3 this year, and attached one of last year's files to 1.3.1.
    saveAll(ids.a1, { "2.3.3": false }, { "2.3.3": "Năm nay chưa dùng" }, ids.headA);
    const evPortal = linksOf(ids.a0).find((l) => l.code === "MC-1.3.1-02")!.evidenceId;
    expect(attachEvidence({ assessmentId: ids.a1, evidenceId: evPortal, itemCodes: ["1.3.1"] }, ids.headA).ok).toBe(true);
    const before = getAssessment(ids.a1)!;
    const auditsBefore = getDb().select().from(auditLog).where(eq(auditLog.assessmentId, ids.a1)).all().length;

    const res = await run(carryRoute.action as never, headA.post(`/danh-gia/${ids.a1}/mang-sang`, { intent: "all", _json: "1" }), { id: String(ids.a1) });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { ok: boolean; message: string; details: string[]; items: string[]; links: number };
    expect(body.ok).toBe(true);
    expect(body.items).toHaveLength(16);
    expect(body.items).not.toContain("2.3.3");
    expect(body.message).toContain("Đã mang sang 16 tiêu chí từ năm học 2024-2025");
    expect(body.details.join(" ")).toContain("1 tiêu chí đã có câu trả lời năm nay được giữ nguyên");

    const after = getAssessment(ids.a1)!;
    expect(after.version).toBe(before.version + 1);
    const rows = Object.fromEntries(rowsOf(ids.a1).map((r) => [r.itemCode, r]));
    // Kept: the school's own answer and note, not carried.
    expect(rows["2.3.3"]).toMatchObject({ value: false, note: "Năm nay chưa dùng", carriedFrom: null });
    for (const code of body.items) {
      expect(rows[code]).toMatchObject({ value: LEVEL2_ANSWERS[code], carriedFrom: ids.a0, updatedBy: ids.headA, version: after.version });
      expect(rows[code].note).toBe(NOTES[code] ?? null);
    }
    expect(rows["1.4"].value).toEqual({ numerator: 1, denominator: 1 });

    // Evidence: last year's links of carried items, with this file's codes; the file already on 1.3.1 not doubled.
    const links = linksOf(ids.a1).map((l) => ({ itemCode: l.itemCode, code: l.code, evidenceId: l.evidenceId }));
    const prev = linksOf(ids.a0);
    const evPlan = prev.find((l) => l.code === "MC-1.1-01")!.evidenceId;
    expect(links).toEqual(
      expect.arrayContaining([
        { itemCode: "1.3.1", code: "MC-1.3.1-01", evidenceId: evPortal },
        { itemCode: "1.3.1", code: "MC-1.3.1-02", evidenceId: evPlan },
        { itemCode: "1.1", code: "MC-1.1-01", evidenceId: evPlan },
        { itemCode: "2.3.1", code: "MC-2.3.1-01", evidenceId: prev.find((l) => l.itemCode === "2.3.1")!.evidenceId },
      ]),
    );
    expect(links).toHaveLength(4); // 2.3.3 was kept: its link is not carried
    expect(body.links).toBe(3);

    // The stored result rows are the door's `scored`: the engine's result of the answers now.
    const now = answersOf(ids.a1);
    const result = scoreAssessment(editionOf(after), now.answers as Answers);
    const stored = getDb().select().from(assessmentResults).where(and(eq(assessmentResults.assessmentId, ids.a1), eq(assessmentResults.phase, "self"))).all();
    const key = (r: { kind: string; code: string }) => `${r.kind}:${r.code}`;
    const expected = new Map(resultRows(result).map((r) => [key(r), r]));
    for (const code of body.items) expect(stored.find((r) => r.kind === "item" && r.code === code)).toMatchObject({ points: expected.get(`item:${code}`)!.points, max: expected.get(`item:${code}`)!.max });
    expect(stored.find((r) => r.kind === "institution")?.level).toBe(result.level);
    expect(after.selfLevel).toBe(result.level);
    expect(result.level).toBeGreaterThanOrEqual(1);

    // One audit entry of the door with {from, items, skipped}, and one attach entry per link.
    const audits = getDb().select().from(auditLog).where(eq(auditLog.assessmentId, ids.a1)).all().slice(auditsBefore);
    const main = audits.filter((a) => a.action === "assessment.carry_forward");
    expect(main).toHaveLength(1);
    expect(main[0]).toMatchObject({ actorId: ids.headA, entityType: "assessment", entityId: String(ids.a1), schoolId: ids.schoolA, assessmentId: ids.a1 });
    expect(main[0].details).toMatchObject({ from: ids.a0, items: body.items, skipped: { kept: ["2.3.3"], changed: [] }, version: after.version, to: "draft" });
    expect(audits.filter((a) => a.action === "evidence.attach").map((a) => (a.details as { code: string }).code).sort()).toEqual(["MC-1.1-01", "MC-1.3.1-02", "MC-2.3.1-01"]);
  });

  it("a second carry writes nothing more (everything is answered now)", () => {
    const v = version(ids.a1);
    const r = carryForward(ids.a1, ids.headA);
    expect(r.ok && r.result.items).toEqual([]);
    expect(version(ids.a1)).toBe(v);
    expect(carryForwardPlan(ids.a1)!.counts).toMatchObject({ toCarry: 0, unconfirmed: 16 });
  });

  it("the form's loader sends the panel's plan and the marks", async () => {
    const res = await run(formRoute.loader as never, headA.get(`/danh-gia/${ids.a1}`), { id: String(ids.a1) });
    expect(res.status).toBe(200);
    const d = (await res.json()) as { carry: { previous: { schoolYear: string }; counts: { unconfirmed: number } }; carried: Record<string, string | null> };
    expect(d.carry.previous.schoolYear).toBe("2024-2025");
    expect(d.carry.counts.unconfirmed).toBe(16);
    expect(Object.keys(d.carried)).toHaveLength(16);
    expect(d.carried["1.1"]).toBe("2024-2025");
    expect(d.carried["2.3.3"]).toBeUndefined();
  });

  it("confirming clears the mark without changing the value; a save clears it too", async () => {
    const v = version(ids.a1);
    const res = await run(carryRoute.action as never, headA.post(`/danh-gia/${ids.a1}/mang-sang`, { intent: "confirm", code: ["1.1", "1.2", "2.3.3"], _json: "1" }), { id: String(ids.a1) });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ ok: true, confirmed: ["1.1", "1.2"], message: "Đã xác nhận 2 tiêu chí." });
    const rows = Object.fromEntries(rowsOf(ids.a1).map((r) => [r.itemCode, r]));
    expect(rows["1.1"]).toMatchObject({ value: true, note: NOTES["1.1"], carriedFrom: null });
    expect(rows["1.2"]).toMatchObject({ value: true, carriedFrom: null });
    expect(rows["1.3.1"].carriedFrom).toBe(ids.a0);
    expect(version(ids.a1)).toBe(v + 1);
    const audit = getDb().select().from(auditLog).where(and(eq(auditLog.assessmentId, ids.a1), eq(auditLog.action, "assessment.carry_forward.confirm"))).all();
    expect(audit).toHaveLength(1);
    expect(audit[0].details).toMatchObject({ items: ["1.1", "1.2"] });

    // Nothing left to confirm among these: no change, no version bump.
    const again = confirmCarried(ids.a1, ["1.1"], ids.headA);
    expect(again).toMatchObject({ ok: true, confirmed: [] });
    expect(version(ids.a1)).toBe(v + 1);

    // A normal save of a carried item is the school's own answer.
    saveAll(ids.a1, { "1.4": { numerator: 3, denominator: 4 } }, {}, ids.headA);
    const r14 = rowsOf(ids.a1).find((r) => r.itemCode === "1.4")!;
    expect(r14).toMatchObject({ value: { numerator: 3, denominator: 4 }, carriedFrom: null });
  });

  it("the pre-submit check lists the unconfirmed carried items, as a warning", async () => {
    const check = preSubmitCheck(getAssessment(ids.a1)!);
    const expected = Object.keys(LEVEL2_ANSWERS).filter((c) => !["1.1", "1.2", "1.4", "2.3.3"].includes(c));
    expect(check.unconfirmed).toEqual(expected);
    expect(check.canSubmit).toBe(true);
    const res = await run(submitRoute.loader as never, headA.get(`/danh-gia/${ids.a1}/nop`), { id: String(ids.a1) });
    expect(((await res.json()) as { check: { unconfirmed: string[] } }).check.unconfirmed).toEqual(expected);
  });

  it("a school with no earlier answered year has nothing to carry", async () => {
    expect(carryForwardPlan(ids.b1)!.previous).toBeNull();
    const r = carryForward(ids.b1, ids.headB);
    expect(r).toMatchObject({ ok: false, kind: "no-previous" });
    const res = await run(carryRoute.action as never, headB.post(`/danh-gia/${ids.b1}/mang-sang`, { intent: "all", _json: "1" }), { id: String(ids.b1) });
    expect(res.status).toBe(409);
    // The closed cycle's file cannot be carried into (and has no earlier year anyway).
    expect(carryForward(ids.a0, ids.headA).ok).toBe(false);
  });
});

describe("a changed edition", () => {
  it("lists the changed and new items with what changed", () => {
    const plan = carryForwardPlan(ids.c1)!;
    expect(plan.previous).toMatchObject({ id: ids.c0, editionId: WORKING });
    expect(plan.sameEdition).toBe(false);
    const by = Object.fromEntries(plan.items.map((i) => [i.code, i]));
    expect(by["2.3.3"]).toMatchObject({ status: "changed", toCarry: false, changes: ["Điểm tối đa: 10 → 6"] });
    expect(by["2.3.10"]).toMatchObject({ status: "new", added: true, toCarry: false });
    expect(by["2.3.1"]).toMatchObject({ status: "mapped", toCarry: true });
    expect(plan.counts).toMatchObject({ mapped: 16, changed: 1, toCarry: 16 });
  });

  it("carries one indicator, then the rest: mapped applied, changed and new not applied", () => {
    const one = carryForward(ids.c1, ids.headC, { indicator: "1.3" });
    expect(one.ok).toBe(true);
    if (!one.ok) return;
    expect(one.result.items).toEqual(["1.3.1"]);
    expect(one.result.links.map((l) => l.code).sort()).toEqual(["MC-1.3.1-01", "MC-1.3.1-02"]);
    expect(rowsOf(ids.c1).map((r) => r.itemCode)).toEqual(["1.3.1"]);

    expect(carryForward(ids.c1, ids.headC, { indicator: "9.9" })).toMatchObject({ ok: false, kind: "bad-indicator" });

    const rest = carryForward(ids.c1, ids.headC);
    expect(rest.ok).toBe(true);
    if (!rest.ok) return;
    expect(rest.result.items).toHaveLength(15);
    expect(rest.result.skipped.changed).toEqual(["2.3.3"]);
    const rows = Object.fromEntries(rowsOf(ids.c1).map((r) => [r.itemCode, r]));
    expect(rows["2.3.3"]).toBeUndefined();
    expect(rows["2.3.10"]).toBeUndefined();
    expect(rows["2.3.1"]).toMatchObject({ value: true, carriedFrom: ids.c0 });
    expect(linksOf(ids.c1).some((l) => l.itemCode === "2.3.3")).toBe(false);
    const audit = getDb().select().from(auditLog).where(and(eq(auditLog.assessmentId, ids.c1), eq(auditLog.action, "assessment.carry_forward"))).all();
    expect(audit).toHaveLength(2);
    // 1.3.1, carried before and not confirmed, is not counted as the school's own.
    expect(audit[1].details).toMatchObject({ from: ids.c0, skipped: { kept: [], changed: ["2.3.3"] } });
    // Scored against the new edition: 2.3.3 and 2.3.10 unanswered.
    const stored = getDb().select().from(assessmentResults).where(and(eq(assessmentResults.assessmentId, ids.c1), eq(assessmentResults.kind, "item"), eq(assessmentResults.code, "2.3.1"))).get();
    expect(stored).toMatchObject({ points: 600, max: 600 });
    expect(getDb().select().from(assessments).where(eq(assessments.id, ids.c1)).get()!.selfLevel).not.toBeNull();
  });
});

describe("the panel and the marks (server render)", () => {
  it("shows the previous year, the counts, the buttons and what changed; a carried item shows its mark and button", async () => {
    const { renderToString } = await import("react-dom/server");
    const { createRemixStub } = await import("@remix-run/testing");
    const { createElement } = await import("react");
    const { CarryForwardPanel, CarriedMark } = await import("~/components/assessment/CarryForwardPanel");
    const plan = carryForwardPlan(ids.c1)!;
    const Stub = createRemixStub([
      {
        path: "/",
        Component: () =>
          createElement("div", null, createElement(CarryForwardPanel, { plan }), createElement(CarriedMark, { assessmentId: ids.c1, code: "2.3.1", schoolYear: "2024-2025", editable: true })),
      },
    ]);
    const html = renderToString(createElement(Stub, { initialEntries: ["/"] })).replace(/<!-- -->/g, "");
    expect(html).toContain("Dùng lại kết quả năm trước");
    expect(html).toContain("Hồ sơ năm học 2024-2025");
    expect(html).toContain(`Năm trước dùng bộ chỉ số ${WORKING}, năm nay dùng ${NEXT}`);
    expect(html).toContain("Điểm tối đa: 10 → 6");
    expect(html).toContain("Tiêu chí mới trong bộ chỉ số năm nay.");
    expect(html).toMatch(/role="status"/);
    // Everything carried already: no carry button, the unconfirmed count.
    expect(html).not.toContain("Mang sang tất cả");
    expect(html).toContain("Đã mang sang, chưa xác nhận: <strong>16</strong>");
    expect(html).toContain("Mang sang từ năm trước, chưa xác nhận");
    expect(html).toContain('aria-label="Xác nhận câu trả lời mang sang của tiêu chí 2.3.1"');
    expect(html).toContain(`action="/danh-gia/${ids.c1}/mang-sang"`);

    const fresh = renderToString(createElement(createRemixStub([{ path: "/", Component: () => createElement(CarryForwardPanel, { plan: carryForwardPlan(ids.a1)! }) }]), { initialEntries: ["/"] }));
    expect(fresh).not.toContain("Mang sang tất cả");
  });
});
