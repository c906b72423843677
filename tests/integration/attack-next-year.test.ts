/**
 * The attack corpus of the school's next year (issue 11): carry forward, confirmation, the action
 * plan, its exports and the office's summary, the evidence library of the panel. On the demo
 * (truong.th1's school has last year's recognised file and this year's draft) and a second school.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { count, eq } from "drizzle-orm";
import ExcelJS from "exceljs";
import { useTestDatabase } from "../helpers/db";
import { browserAs, run } from "../helpers/http";
import { getDb } from "~/server/db/client.server";
import { actionItems, answers, auditLog, users } from "~/server/db/schema.server";
import { seedDemoData } from "~/server/demo/seed.server";
import { createAction } from "~/server/services/action-plan.server";
import * as carry from "~/routes/danh-gia.$id.mang-sang";
import * as plan from "~/routes/danh-gia.$id.ke-hoach";
import * as planXlsx from "~/routes/danh-gia.$id.ke-hoach[.]xlsx";
import * as summary from "~/routes/ke-hoach._index";
import * as library from "~/routes/danh-gia.$id.thu-vien";

useTestDatabase("attack-next-year");
const db = () => getDb();
let mine = 0; // truong.th1's draft
let other = 0; // another school's draft
let otherHead = "";
let otherAction = 0;
const uid = (u: string) => db().select({ id: users.id }).from(users).where(eq(users.username, u)).get()!.id;
const audits = () => db().select({ n: count() }).from(auditLog).get()!.n;

beforeAll(async () => {
  await seedDemoData(db());
  const th1 = db().select({ s: users.schoolId }).from(users).where(eq(users.username, "truong.th1")).get()!.s!;
  mine = (db().$client.prepare("SELECT a.id FROM assessments a JOIN cycles c ON c.id = a.cycle_id WHERE a.school_id = ? AND c.status = 'open'").get(th1) as { id: number }).id;
  const o = db().$client
    .prepare("SELECT a.id AS id, s.code AS code FROM assessments a JOIN cycles c ON c.id = a.cycle_id JOIN schools s ON s.id = a.school_id WHERE c.status = 'open' AND a.status = 'draft' AND a.school_id <> ? ORDER BY a.id DESC LIMIT 1")
    .get(th1) as { id: number; code: string };
  other = o.id;
  otherHead = `ht.${o.code}`;
  const r = createAction(other, { title: "Hành động bí mật của trường khác", ownerId: null, dueDate: null, status: "todo", notes: "Ghi chú riêng", evidenceIds: [], itemCode: null }, uid(otherHead));
  if (!r.ok) throw new Error(r.message);
  otherAction = r.actionId;
});

describe("carry forward", () => {
  it("another school's head, an office and a missing CSRF token carry nothing", async () => {
    const before = { audit: audits(), answers: db().select({ n: count() }).from(answers).where(eq(answers.assessmentId, mine)).get()!.n };
    for (const [who, csrf] of [[otherHead, undefined], ["so.demo", undefined], ["truong.th1", null]] as const) {
      const b = await browserAs(who);
      const res = await run(carry.action as never, b.post(`/danh-gia/${mine}/mang-sang`, { intent: "all" }, csrf === null ? { csrf: null } : undefined), { id: String(mine) });
      expect(res.status, who).toBe(403);
    }
    expect(audits()).toBe(before.audit);
    expect(db().select({ n: count() }).from(answers).where(eq(answers.assessmentId, mine)).get()!.n).toBe(before.answers);
  });

  it("hostile intents, indicators and codes are a 4xx with a message, never a crash or a write", async () => {
    const b = await browserAs("truong.th1");
    const before = audits();
    for (const fields of [
      { intent: "evil" },
      { intent: "indicator", indicator: "9.9" },
      { intent: "indicator", indicator: "1.1' OR 1=1 --" },
      { intent: "confirm", code: "<script>" },
      { intent: "confirm" },
    ]) {
      const res = await run(carry.action as never, b.post(`/danh-gia/${mine}/mang-sang`, fields as unknown as Record<string, string>, undefined), { id: String(mine) });
      expect(res.status, JSON.stringify(fields)).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
    }
    expect(audits()).toBe(before);
  });
});

describe("the action plan", () => {
  it("another school's action cannot be edited or deleted through one's own file (no IDOR)", async () => {
    const b = await browserAs("truong.th1");
    const before = db().select().from(actionItems).where(eq(actionItems.id, otherAction)).get()!;
    for (const intent of ["update", "delete"]) {
      const res = await run(plan.action as never, b.post(`/danh-gia/${mine}/ke-hoach`, { intent, actionId: String(otherAction), version: String(before.version), title: "Bị sửa", status: "done" }), { id: String(mine) });
      expect(res.status, intent).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
    }
    expect(db().select().from(actionItems).where(eq(actionItems.id, otherAction)).get()).toEqual(before);
    // And the other school's page is refused outright.
    expect((await run(plan.loader as never, b.get(`/danh-gia/${other}/ke-hoach`), { id: String(other) })).status).toBe(403);
  });

  it("an owner or an evidence of another school is refused at the field", async () => {
    const b = await browserAs("truong.th1");
    const foreignUser = uid(otherHead);
    const foreignEvidence = db().$client.prepare("SELECT e.id FROM evidence e JOIN assessments a ON a.school_id = e.school_id WHERE a.id = ? LIMIT 1").get(other) as { id: number } | undefined;
    const add = (extra: Record<string, string | string[]>) => run(plan.action as never, b.post(`/danh-gia/${mine}/ke-hoach`, { intent: "add", title: "Tập huấn giáo viên", status: "todo", ...extra }), { id: String(mine) });
    const r1 = await add({ ownerId: String(foreignUser) });
    expect(r1.status).toBe(400);
    expect(((await r1.json()) as { fieldErrors: Record<string, string> }).fieldErrors.ownerId).toBeTruthy();
    if (foreignEvidence) {
      const r2 = await add({ evidenceId: [String(foreignEvidence.id)] });
      expect(r2.status).toBe(400);
    }
    for (const dueDate of ["31/02/2027", "2027-13-01", "<script>", "99/99/9999"]) {
      const r = await add({ dueDate });
      expect(r.status, dueDate).toBe(400);
      expect(((await r.json()) as { fieldErrors: Record<string, string> }).fieldErrors.dueDate, dueDate).toMatch(/[a-zà-ỹ]/i);
    }
    expect(db().select({ n: count() }).from(actionItems).where(eq(actionItems.assessmentId, mine)).get()!.n).toBe(0);
  });

  it("a title typed as a formula is escaped in the XLSX", async () => {
    const b = await browserAs("truong.th1");
    const res = await run(plan.action as never, b.post(`/danh-gia/${mine}/ke-hoach`, { intent: "add", title: '=HYPERLINK("http://evil.example","x")', status: "todo" }), { id: String(mine) });
    expect(res.status).toBeLessThan(400);
    const x = await run(planXlsx.loader as never, b.get(`/danh-gia/${mine}/ke-hoach.xlsx`), { id: String(mine) });
    expect(x.status).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await x.arrayBuffer()) as ArrayBuffer);
    const cells: unknown[] = [];
    wb.worksheets[0]!.eachRow((row) => row.eachCell((c) => cells.push(c.value)));
    expect(cells).toContain(`'=HYPERLINK("http://evil.example","x")`);
    expect(cells.some((v) => typeof v === "object" && v !== null && "formula" in (v as object))).toBe(false);
  });

  it("the office's summary refuses hostile filters and never shows another province", async () => {
    const so = await browserAs("so.demo");
    for (const q of ["trangThai=evil", "nam=2025", "page=-1"]) expect((await run(summary.loader as never, so.get(`/ke-hoach?${q}`))).status, q).toBe(400);
    expect((await run(summary.loader as never, (await browserAs("truong.th1")).get("/ke-hoach"))).status).toBeGreaterThanOrEqual(300);
  });
});

describe("the panel's library", () => {
  it("another school's library is refused; hostile sources are ignored or refused, never a crash", async () => {
    const b = await browserAs("truong.th1");
    const req = (id: number, qs: string) => run(library.loader as never, new Request(`http://localhost/danh-gia/${id}/thu-vien?${qs}`, { headers: { Cookie: b.cookie, "Sec-Fetch-Mode": "cors" } }), { id: String(id) });
    expect((await req(other, "nguon=gan-day")).status).toBe(403);
    for (const qs of ["nguon=evil", "page=abc", "q=%25%27%20OR%201%3D1", "item=<script>"]) {
      const res = await req(mine, qs);
      expect(res.status, qs).toBeLessThan(500);
    }
  });
});
