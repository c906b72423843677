/**
 * The action plan (kế hoạch cải thiện) on the demo data (real SQLite): truong.th1's draft with a
 * few answers; the plan generated through the page's action (unmet mandatory conditions first,
 * then nextLevelHints' gains, with the engine's gain), regenerated without duplicates and keeping
 * the school's edits; a stale edit refused (409, nothing overwritten); bad input at the field
 * (400); carried into the next school year's file (idempotent, done actions left behind); the
 * office summary's scope (the Sở and the Phòng see the school, another province sees nothing, a
 * school user 403); the PDF's text and the XLSX read back with exceljs.
 */
import { spawnSync } from "node:child_process";
import ExcelJS from "exceljs";
import { beforeAll, describe, expect, it } from "vitest";
import { useTestDatabase } from "../helpers/db";
import { browserAs, run } from "../helpers/http";
import { getDb } from "~/server/db/client.server";
import { currentSchoolYear, seedDemoData } from "~/server/demo/seed.server";
import { editionOf, getAssessment, saveAnswers, scoreOf, type AnswerChange } from "~/server/services/assessments.server";
import { buildActionPlanData, carryPlanForward, planOf, previousPlanFor } from "~/server/services/action-plan.server";
import { renderActionPlanToBuffer } from "~/server/pdf/action-plan.server";
import { createLinkEvidence } from "~/server/services/evidence.server";
import { createUnit, createUser } from "~/server/services/org.server";
import { defaultDeadlines, openCycle } from "~/server/services/cycles.server";
import { nextLevelHints } from "~/domain/scoring";
import * as page from "~/routes/danh-gia.$id.ke-hoach";
import * as pdfRoute from "~/routes/danh-gia.$id.ke-hoach[.]pdf";
import * as xlsxRoute from "~/routes/danh-gia.$id.ke-hoach[.]xlsx";
import * as summaryRoute from "~/routes/ke-hoach._index";

useTestDatabase("action-plan");

const sql = () => getDb().$client;
const one = <T,>(q: string, ...args: unknown[]) => sql().prepare(q).get(...args) as T;
const userId = (username: string) => one<{ id: number }>("SELECT id FROM users WHERE username = ?", username).id;
const hasPdftotext = spawnSync("pdftotext", ["-v"]).error === undefined;

const YEAR = currentSchoolYear();
const [y1, y2] = YEAR.split("-").map(Number);
const NEXT = `${y1 + 1}-${y2 + 1}`;

/** Mức 1-ish: one mandatory condition unmet, a few ratios half way. */
const ANSWERS: Record<string, AnswerChange["value"]> = {
  "1.1": true,
  "1.2": false,
  "1.4": { numerator: 1, denominator: 2 },
  "1.5.1": { numerator: 3, denominator: 4 },
  "2.1": true,
  "2.2": true,
  "2.3.1": true,
};

let aid = 0;
let schoolId = 0;
let head = 0;
let teacher = 0;
let otherOffice = "";

interface Refusal {
  ok: false;
  field: string;
  fieldErrors: Record<string, string>;
  message: string;
}

async function post(username: string, id: number, fields: Record<string, string | string[]>) {
  const b = await browserAs(username);
  return run(page.action, b.post(`/danh-gia/${id}/ke-hoach`, fields), { id: String(id) });
}
async function load(username: string, id: number) {
  const b = await browserAs(username);
  const res = await run(page.loader, b.get(`/danh-gia/${id}/ke-hoach`), { id: String(id) });
  return { status: res.status, data: res.status === 200 ? await res.json() : null };
}
async function summary(username: string, qs = "") {
  const b = await browserAs(username);
  const res = await run(summaryRoute.loader, b.get(`/ke-hoach${qs}`));
  return { status: res.status, data: res.status === 200 ? ((await res.json()) as { summary: ReturnType<typeof import("~/server/services/action-plan.server").planSummary> }).summary : null };
}

/** The expected plan order: unmet mandatory conditions (edition order), then nextLevelHints' gains. */
function expectedGaps(id: number) {
  const a = getAssessment(id)!;
  const ed = editionOf(a);
  const result = scoreOf(a, "self");
  const text = new Map<string, string>();
  for (const g of ed.groups) for (const ind of g.indicators) for (const it of ind.items) text.set(it.code, it.text);
  const out: { itemCode: string; gain: number; title: string }[] = result.mandatoryUnmet.map((c) => ({ itemCode: c, gain: 0, title: text.get(c)!.replace(/\s+/g, " ").trim() }));
  for (const h of nextLevelHints(ed, result)) for (const g of h.gains) if (!out.some((o) => o.itemCode === g.code)) out.push({ itemCode: g.code, gain: g.gain, title: g.text.replace(/\s+/g, " ").trim() });
  return out;
}

const auditCount = (action: string, assessmentId: number) => one<{ n: number }>("SELECT count(*) AS n FROM audit_log WHERE action = ? AND assessment_id = ? AND entity_type = 'action_item'", action, assessmentId).n;

beforeAll(async () => {
  await seedDemoData(getDb());
  head = userId("truong.th1");
  teacher = userId("giaovien.th1");
  schoolId = one<{ id: number }>("SELECT school_id AS id FROM users WHERE id = ?", head).id;
  aid = one<{ id: number }>("SELECT a.id FROM assessments a JOIN cycles c ON c.id = a.cycle_id WHERE a.school_id = ? AND c.school_year = ?", schoolId, YEAR).id;
  const a = getAssessment(aid)!;
  expect(a.status).toBe("draft");
  const changes = Object.fromEntries(Object.entries(ANSWERS).map(([k, value]) => [k, { value }]));
  expect(saveAnswers(aid, { baseVersion: a.version, changes }, head)).toMatchObject({ ok: true });

  const prov = createUnit({ kind: "province", code: "S40", name: "Sở Giáo dục và Đào tạo tỉnh Nghệ An", parentId: null }, null);
  otherOffice = "so.nghean";
  await createUser({ username: otherOffice, displayName: "Nguyễn Văn Nghệ", password: "mat-khau-kiem-thu-123", roles: ["office_admin", "office_reviewer"], unitId: prov }, null);
}, 120_000);

describe("generating the plan from the gaps", () => {
  it("an empty plan until generated; the generated actions follow the mandatory conditions, then nextLevelHints", async () => {
    expect((await load("truong.th1", aid)).data.actions).toEqual([]);
    const res = await post("truong.th1", aid, { intent: "generate" });
    expect(res.status).toBe(303);
    expect(res.headers.get("Location")).toMatch(new RegExp(`^/danh-gia/${aid}/ke-hoach\\?ok=generated-\\d+-0$`));

    const expected = expectedGaps(aid);
    expect(expected[0]).toMatchObject({ itemCode: "1.2", gain: 0 });
    expect(expected.length).toBeGreaterThan(5);
    const plan = planOf(aid);
    expect(plan.map((p) => [p.kind, p.itemCode, p.gain, p.status])).toEqual(expected.map((e) => ["gap", e.itemCode, e.gain, "todo"]));
    expect(plan.map((p) => p.title)).toEqual(expected.map((e) => e.title.slice(0, 500)));
    expect(plan.every((p) => p.version === 1)).toBe(true);
    expect(auditCount("plan.generate", aid)).toBe(1);
  });

  it("regenerating adds nothing and keeps the school's edits; a newly filled gap keeps its action", async () => {
    const before = planOf(aid);
    const target = before[1];
    const res = await post("truong.th1", aid, {
      intent: "update",
      actionId: String(target.id),
      version: String(target.version),
      title: "Tổ chức bồi dưỡng giáo viên dùng hồ sơ điện tử",
      ownerId: String(teacher),
      dueDate: "15/01/2020",
      status: "doing",
      notes: "Phụ trách: tổ chuyên môn",
    });
    expect(res.status).toBe(303);
    const again = await post("truong.th1", aid, { intent: "generate" });
    expect(again.headers.get("Location")).toContain(`ok=generated-0-${before.length}`);
    const after = planOf(aid);
    expect(after.length).toBe(before.length);
    const edited = after.find((p) => p.id === target.id)!;
    expect(edited).toMatchObject({ title: "Tổ chức bồi dưỡng giáo viên dùng hồ sơ điện tử", ownerId: teacher, ownerName: one<{ n: string }>("SELECT display_name AS n FROM users WHERE id = ?", teacher).n, dueDate: "2020-01-15", status: "doing", version: 2, overdue: true });
    expect(after.map((p) => p.id)).toEqual(before.map((p) => p.id));
    expect(auditCount("plan.update", aid)).toBe(1);
    const audit = one<{ details: string }>("SELECT details FROM audit_log WHERE action = 'plan.update' AND entity_id = ?", String(target.id));
    expect(JSON.parse(audit.details).changes.status).toEqual({ from: "todo", to: "doing" });
  });

  it("an edit with a stale version is refused with a Vietnamese message, and nothing is overwritten", async () => {
    const target = planOf(aid)[1];
    expect(target.version).toBe(2);
    const res = await post("truong.th1", aid, { intent: "update", actionId: String(target.id), version: "1", title: "Ghi đè", ownerId: "", dueDate: "", status: "done", notes: "" });
    expect(res.status).toBe(409);
    const body = (await res.json()) as Refusal;
    expect(body.message).toContain("vừa được người khác thay đổi");
    expect(planOf(aid).find((p) => p.id === target.id)).toMatchObject({ title: "Tổ chức bồi dưỡng giáo viên dùng hồ sơ điện tử", status: "doing", version: 2 });
  });

  it("bad input gets a message at the field (400); another school's user or evidence is refused; an office cannot edit (403)", async () => {
    const x = planOf(aid)[0];
    const base = { intent: "update", actionId: String(x.id), version: String(x.version), title: x.title, ownerId: "", dueDate: "", status: "todo", notes: "" };
    const bad = async (fields: Record<string, string | string[]>, field: string) => {
      const res = await post("truong.th1", aid, { ...base, ...fields });
      expect(res.status).toBe(400);
      const body = (await res.json()) as Refusal;
      expect(body.fieldErrors[field], JSON.stringify(body)).toBeTruthy();
      return body;
    };
    expect((await bad({ dueDate: "31/02/2026" }, "dueDate")).fieldErrors.dueDate).toContain("ngày/tháng/năm");
    await bad({ status: "finished" }, "status");
    await bad({ title: "   " }, "title");
    await bad({ notes: "x".repeat(2001) }, "notes");
    await bad({ ownerId: String(userId("so.demo")) }, "ownerId");
    const foreign = one<{ id: number } | undefined>("SELECT id FROM evidence WHERE school_id <> ? LIMIT 1", schoolId);
    if (foreign) await bad({ evidenceId: String(foreign.id) }, "evidenceIds");
    expect(planOf(aid)[0].version).toBe(x.version);
    expect((await post("so.demo", aid, base)).status).toBe(403);
    expect((await post("truong.th1", aid, { intent: "nope" })).status).toBe(400);
  });

  it("the school adds its own action with evidence of its library; it is audited", async () => {
    const ev = createLinkEvidence({ assessmentId: aid, itemCodes: ["1.4"], url: "https://truong.example.vn/ke-hoach-cds", title: "Kế hoạch chuyển đổi số của trường" }, head);
    expect(ev.ok).toBe(true);
    const evidenceId = (ev as { evidenceId: number }).evidenceId;
    const res = await post("giaovien.th1", aid, { intent: "add", itemCode: "", title: "=HYPERLINK(\"http://x\") Tập huấn phần mềm quản lý", ownerId: String(head), dueDate: "2099-12-31", status: "todo", notes: "", evidenceId: String(evidenceId) });
    expect(res.status).toBe(303);
    const own = planOf(aid).at(-1)!;
    expect(own).toMatchObject({ kind: "own", itemCode: null, ownerId: head, dueDate: "2099-12-31", overdue: false, evidence: [{ id: evidenceId, title: "Kế hoạch chuyển đổi số của trường", kind: "link" }] });
    expect(auditCount("plan.create", aid)).toBe(1);
    // Regenerating leaves it at the end.
    await post("truong.th1", aid, { intent: "generate" });
    expect(planOf(aid).at(-1)!.id).toBe(own.id);
  });
});

describe("carrying the plan into the next school year", () => {
  let nextId = 0;
  beforeAll(() => {
    const so = one<{ id: number }>("SELECT id FROM units WHERE code = 'S99'").id;
    const editionId = one<{ e: string }>("SELECT c.edition_id AS e FROM cycles c JOIN assessments a ON a.cycle_id = c.id WHERE a.id = ?", aid).e;
    const d = defaultDeadlines(NEXT);
    const r = openCycle({ ownerUnitId: so, schoolYear: NEXT, editionId, selfAssessmentDeadline: d.self, reviewDeadline: d.review }, userId("so.demo"));
    expect(r.ok, JSON.stringify(r)).toBe(true);
    nextId = one<{ id: number }>("SELECT a.id FROM assessments a JOIN cycles c ON c.id = a.cycle_id WHERE a.school_id = ? AND c.school_year = ?", schoolId, NEXT).id;
  });

  it("the page offers last year's open actions; carrying copies the actions not done, once", async () => {
    const plan = planOf(aid);
    // One action done: it stays behind.
    const doneOne = plan[2];
    expect((await post("truong.th1", aid, { intent: "update", actionId: String(doneOne.id), version: String(doneOne.version), title: doneOne.title, ownerId: "", dueDate: "", status: "done", notes: "" })).status).toBe(303);
    const open = planOf(aid).filter((p) => p.status !== "done");

    const page1 = await load("truong.th1", nextId);
    expect(page1.data.previous).toEqual({ assessmentId: aid, schoolYear: YEAR, open: open.length });

    const res = await post("truong.th1", nextId, { intent: "carry", fromId: String(aid) });
    expect(res.status).toBe(303);
    expect(res.headers.get("Location")).toContain(`ok=carried-${open.length}`);
    const carried = planOf(nextId);
    expect(carried.map((c) => c.carriedFrom)).toEqual(open.map((o) => o.id));
    expect(carried.map((c) => [c.kind, c.itemCode, c.title, c.status, c.dueDate, c.ownerId])).toEqual(open.map((o) => [o.kind, o.itemCode, o.title, o.status, o.dueDate, o.ownerId]));
    expect(carried.every((c) => c.carriedFromYear === YEAR && c.version === 1)).toBe(true);
    expect(carried.find((c) => c.kind === "own")!.evidence.length).toBe(1);
    expect(carried.some((c) => c.carriedFrom === doneOne.id)).toBe(false);

    // Idempotent: nothing more to carry, and the offer is gone.
    expect(carryPlanForward(aid, nextId, head)).toEqual({ ok: true, carried: 0 });
    expect(planOf(nextId).length).toBe(carried.length);
    expect(previousPlanFor(getAssessment(nextId)!)).toBeNull();
    expect((await load("truong.th1", nextId)).data.previous).toBeNull();
    // Backwards (a later year into an earlier one) is refused.
    expect(carryPlanForward(nextId, aid, head)).toMatchObject({ ok: false, kind: "year" });
    expect(auditCount("plan.carry", nextId)).toBe(1);
  });

  it("generating in the new year does not duplicate the carried open actions", async () => {
    const a = getAssessment(nextId)!;
    const changes = Object.fromEntries(Object.entries(ANSWERS).map(([k, value]) => [k, { value }]));
    expect(saveAnswers(nextId, { baseVersion: a.version, changes }, head)).toMatchObject({ ok: true });
    const before = planOf(nextId);
    const res = await post("truong.th1", nextId, { intent: "generate" });
    expect(res.status).toBe(303);
    const after = planOf(nextId);
    const codes = after.filter((p) => p.status !== "done" && p.itemCode).map((p) => p.itemCode);
    expect(new Set(codes).size).toBe(codes.length);
    // Only the item whose action was done last year is new.
    expect(after.length - before.length).toBe(1);
  });
});

describe("the office's summary", () => {
  it("the Sở and the Phòng see the school's items and its overdue action; another province nothing; a school 403", async () => {
    for (const who of ["so.demo", "phong.demo", "admin"]) {
      const r = await summary(who, `?nam=${YEAR}`);
      expect(r.status, who).toBe(200);
      const s = r.data!;
      expect(s.schoolYear).toBe(YEAR);
      expect(s.years).toContain(NEXT);
      expect(s.schoolsWithPlan).toBe(1);
      const first = s.items.find((i) => i.itemCode === "1.2")!;
      expect(first).toMatchObject({ schools: 1, actions: 1 });
      expect(s.overdue.total).toBe(1);
      expect(s.overdue.rows[0]).toMatchObject({ school: "Trường Tiểu học Nguyễn Du", title: "Tổ chức bồi dưỡng giáo viên dùng hồ sơ điện tử", dueDate: "2020-01-15", status: "doing" });
      expect(s.overdue.rows[0].daysLate).toBeGreaterThan(365);
    }
    const done = (await summary("so.demo", `?nam=${YEAR}&trangThai=done`)).data!;
    expect(done.items.reduce((n, i) => n + i.actions, 0)).toBe(1);
    expect(done.overdue.total).toBe(0);
    const todo = (await summary("so.demo", `?nam=${YEAR}&trangThai=todo`)).data!;
    expect(todo.overdue.total).toBe(0);

    const other = await summary(otherOffice);
    expect(other.status).toBe(200);
    expect(other.data).toMatchObject({ years: [], schoolYear: null, schoolsWithPlan: 0, items: [], overdue: { total: 0, rows: [] } });
    const forced = await summary(otherOffice, `?nam=${YEAR}`);
    expect(forced.data!.items).toEqual([]);
    expect((await summary("truong.th1")).status).toBe(403);
    expect((await summary("so.demo", "?trangThai=bogus")).status).toBe(400);
    // Another province's office cannot open the school's plan either.
    expect((await load(otherOffice, aid)).status).toBe(403);
  });
});

describe("exports", () => {
  it.skipIf(!hasPdftotext)("the PDF carries the title, an action and the signature", async () => {
    const data = buildActionPlanData(aid)!;
    expect(data.rows.length).toBe(planOf(aid).length);
    const pdf = await renderActionPlanToBuffer(data);
    const text = spawnSync("pdftotext", ["-enc", "UTF-8", "-", "-"], { input: pdf }).stdout.toString("utf8").replace(/\s+/g, " ");
    expect(text).toContain("KẾ HOẠCH");
    expect(text).toContain(`Cải thiện mức độ chuyển đổi số năm học ${YEAR}`);
    expect(text).toContain("TRƯỜNG TIỂU HỌC NGUYỄN DU");
    expect(text).toContain("Tổ chức bồi dưỡng giáo viên dùng hồ sơ điện tử");
    expect(text).toContain("15/01/2020");
    expect(text).toContain("Đang thực hiện");
    expect(text).toContain("HIỆU TRƯỞNG");
    for (const h of ["STT", "Tiêu chí", "Nội dung", "Người phụ trách", "Thời hạn", "Trạng thái", "Ghi chú"]) expect(text).toContain(h);

    const b = await browserAs("truong.th1");
    const res = await run(pdfRoute.loader, b.get(`/danh-gia/${aid}/ke-hoach.pdf`), { id: String(aid) });
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toBe("application/pdf");
    expect(Buffer.from(await res.arrayBuffer()).subarray(0, 5).toString()).toBe("%PDF-");
    const other = await browserAs(otherOffice);
    expect((await run(pdfRoute.loader, other.get(`/danh-gia/${aid}/ke-hoach.pdf`), { id: String(aid) })).status).toBe(403);
  });

  it("the XLSX: one sheet, frozen header, autofilter, a real date cell, escaped text", async () => {
    const b = await browserAs("phong.demo");
    const res = await run(xlsxRoute.loader, b.get(`/danh-gia/${aid}/ke-hoach.xlsx`), { id: String(aid) });
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Disposition")).toContain("attachment");
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await res.arrayBuffer());
    expect(wb.worksheets.length).toBe(1);
    const ws = wb.worksheets[0];
    expect(ws.views[0]).toMatchObject({ state: "frozen", ySplit: 1 });
    expect(ws.autoFilter).toBeTruthy();
    const header = (ws.getRow(1).values as unknown[]).slice(1);
    expect(header.slice(0, 7)).toEqual(["STT", "Tiêu chí", "Nội dung", "Người phụ trách", "Thời hạn", "Trạng thái", "Ghi chú"]);
    const plan = planOf(aid);
    expect(ws.rowCount).toBe(1 + plan.length);
    const edited = ws.getRow(1 + plan.findIndex((p) => p.dueDate === "2020-01-15") + 1);
    expect(edited.getCell(3).value).toBe("Tổ chức bồi dưỡng giáo viên dùng hồ sơ điện tử");
    const due = edited.getCell(5);
    expect(due.value).toBeInstanceOf(Date);
    expect((due.value as Date).toISOString()).toBe("2020-01-15T00:00:00.000Z");
    expect(due.numFmt).toBe("dd/mm/yyyy");
    expect(edited.getCell(6).value).toBe("Đang thực hiện");
    const own = ws.getRow(1 + plan.length);
    expect(own.getCell(3).value).toBe("'=HYPERLINK(\"http://x\") Tập huấn phần mềm quản lý");
    expect(own.getCell(3).type).toBe(ExcelJS.ValueType.String);
    expect(own.getCell(1).value).toBe(plan.length);
  });
});
