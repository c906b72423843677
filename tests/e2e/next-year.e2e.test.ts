/**
 * The school's next year in a real browser, on a demo school whose current file is a fresh draft
 * and whose previous year is recognised (not truong.th1's, which other tests use):
 *   1. the head opens the new year's file and carries last year forward in one action;
 *   2. confirms two carried items, changes a third (the mark goes with the save);
 *   3. builds the action plan from the gaps, assigns an action (owner, due date, status);
 *   4. exports the plan as PDF and XLSX.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import fs from "node:fs";
import ExcelJS from "exceljs";
import type { Browser } from "playwright-core";
import { freshPage, launchBrowser, login, waitForHydration, type Watched } from "./browser";
import { carryForwardUi } from "~/i18n/carry-forward";
import { actionPlan } from "~/i18n/action-plan";

const baseURL = inject("baseURL");
const tc = carryForwardUi.vi;
const tp = actionPlan.vi;

let browser: Browser;
let head: Watched;
let headUser = "";
let fileId = "";
let schoolName = "";

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await head?.context.close();
  await browser?.close();
});

const marks = () => head.page.locator("[data-carried]");
const status = (text: string | RegExp) => head.page.getByRole("status").filter({ hasText: text });

describe("the school's next year: carry forward, confirm, plan, export", () => {
  it("0. the office's list gives a draft of this year whose school no other browser test uses", async () => {
    const office = await freshPage(browser, baseURL);
    try {
      await login(office.page, "so.demo");
      await office.page.waitForURL((u) => u.pathname === "/");
      await office.page.goto("/ho-so?trang-thai=draft");
      await waitForHydration(office.page);
      // Not Nguyễn Du (truong.th1's, the self-assessment and pages tests) nor Kim Đồng (the conflict test's).
      const rows = office.page
        .locator("tbody tr")
        .filter({ hasNot: office.page.getByText("Nguyễn Du") })
        .filter({ hasNot: office.page.getByText("Kim Đồng") });
      await expect.poll(() => rows.count(), { timeout: 15_000 }).toBeGreaterThan(1);
      const row = rows.last();
      const text = (await row.textContent()) ?? "";
      const code = /\((\d{8})\)/.exec(text)?.[1] ?? /(\d{8})/.exec(text)?.[1];
      expect(code, "a school code in the row").toBeTruthy();
      headUser = `ht.${code}`;
      const link = row.locator('a[href^="/danh-gia/"]').first();
      schoolName = ((await link.textContent()) ?? "").trim();
      fileId = /^\/danh-gia\/(\d+)/.exec((await link.getAttribute("href")) ?? "")![1]!;
    } finally {
      await office.context.close();
    }
  });

  it("1. the head carries last year forward in one action", async () => {
    head = await freshPage(browser, baseURL);
    const page = head.page;
    await login(page, headUser);
    await page.waitForURL((u) => u.pathname === "/");
    await page.goto(`/danh-gia/${fileId}`);
    await waitForHydration(page);
    await expect.poll(() => page.getByRole("heading", { name: tc.title }).count(), { timeout: 15_000 }).toBe(1);
    expect(await marks().count()).toBe(0);
    const all = page.getByRole("button", { name: /^Mang sang tất cả \(\d+ tiêu chí\)$/ });
    const n = Number(/\((\d+) tiêu chí\)/.exec((await all.textContent()) ?? "")![1]);
    expect(n).toBeGreaterThan(10);
    await all.click();
    await expect.poll(() => status(/^Đã mang sang \d+ tiêu chí từ năm học \d{4}-\d{4}/).count(), { timeout: 20_000 }).toBe(1);
    await expect.poll(() => marks().count(), { timeout: 15_000 }).toBeGreaterThan(10);
    // The level follows the carried answers (last year's file was recognised, so it has points).
    expect(await page.getByTestId("institution-level").textContent()).toMatch(/^Mức [123] – /);
    expect(head.errors).toEqual([]);
  });

  it("2. confirms two carried items and changes a third: each mark goes", async () => {
    const page = head.page;
    const before = await marks().count();
    const codes: string[] = [];
    for (let i = 0; i < 2; i++) {
      const mark = marks().first();
      const code = (await mark.getAttribute("data-carried"))!;
      codes.push(code);
      await mark.getByRole("button", { name: tc.confirmLabel(code) }).click();
      await expect.poll(() => page.locator(`[data-carried="${code}"]`).count(), { timeout: 15_000 }).toBe(0);
    }
    expect(await marks().count()).toBe(before - 2);
    // Change a carried yes/no item (a mandatory condition or a boolean one): pick the other answer.
    let changed = "";
    for (const m of await marks().all()) {
      const code = (await m.getAttribute("data-carried"))!;
      const item = page.locator(`#tieu-chi-${code.replace(/\./g, "\\.")}`);
      const radios = item.getByRole("radio");
      if ((await radios.count()) !== 2) continue;
      const unchecked = (await radios.nth(0).isChecked()) ? radios.nth(1) : radios.nth(0);
      await unchecked.check();
      changed = code;
      break;
    }
    expect(changed, "a carried yes/no item").not.toBe("");
    await expect.poll(() => page.getByTestId("save-status").textContent(), { timeout: 20_000 }).toMatch(/Đã lưu/);
    await expect.poll(() => page.locator(`[data-carried="${changed}"]`).count(), { timeout: 15_000 }).toBe(0);
    expect(await marks().count()).toBe(before - 3);
    // The pre-submit check lists the ones still unconfirmed.
    await page.goto(`/danh-gia/${fileId}/nop`);
    await waitForHydration(page);
    await expect.poll(() => page.getByText(tc.unconfirmedWarn(before - 3)).count(), { timeout: 15_000 }).toBe(1);
    for (const c of [...codes, changed]) expect(await page.locator(`a[href$="#tieu-chi-${c}"]`).count(), c).toBe(0);
    expect(head.errors).toEqual([]);
  });

  it("3. builds the plan from the gaps and assigns an action", async () => {
    const page = head.page;
    await page.goto(`/danh-gia/${fileId}/ke-hoach`);
    await waitForHydration(page);
    await page.getByRole("button", { name: tp.generate }).click();
    const actions = page.locator("li.plan-action");
    await expect.poll(() => actions.count(), { timeout: 20_000 }).toBeGreaterThan(0);
    const first = actions.first();
    await first.getByText(tp.edit).click();
    const owner = first.getByLabel(tp.fields.owner);
    const options = await owner.locator("option").allTextContents();
    const ownerName = options.find((o) => o !== tp.fields.ownerNone)!;
    expect(ownerName).toBeTruthy();
    await owner.selectOption({ label: ownerName });
    await first.getByLabel(tp.fields.dueDate).fill("30/04/2027");
    await first.getByLabel(tp.fields.status).selectOption({ label: "Đang thực hiện" });
    await first.getByRole("button", { name: tp.save }).click();
    await expect.poll(async () => (await page.locator("li.plan-action").first().locator("dl").textContent()) ?? "", { timeout: 15_000 }).toContain(ownerName);
    const facts = (await page.locator("li.plan-action").first().locator("dl").textContent())!;
    expect(facts).toContain("30/04/2027");
    expect(facts).toContain("Đang thực hiện");
    expect(head.errors).toEqual([]);
  });

  it("4. exports the plan as PDF and XLSX", async () => {
    const page = head.page;
    const pdf = await page.request.get(`/danh-gia/${fileId}/ke-hoach.pdf`);
    expect(pdf.status()).toBe(200);
    expect((await pdf.body()).subarray(0, 5).toString("latin1")).toBe("%PDF-");
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: tp.exportXlsx }).click()]);
    const bytes = fs.readFileSync((await download.path())!);
    expect(bytes.subarray(0, 2).toString("latin1")).toBe("PK");
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(bytes as unknown as ArrayBuffer);
    const sheet = wb.worksheets[0]!;
    const text = JSON.stringify(sheet.getSheetValues());
    expect(text).toContain("Đang thực hiện");
    expect(schoolName.length).toBeGreaterThan(0);
  });
});
