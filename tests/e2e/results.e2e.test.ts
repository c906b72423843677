/**
 * Results in a real browser on the demo:
 *   1. so.demo opens "Thống kê" from the menu, chooses the previous school year, sees the level
 *      distribution as seed 004 writes it, a drawn chart and its table beside it;
 *   2. drills down to the Phòng (filter by sub-unit): the heading and figures are the Phòng's;
 *   3. downloads the XLSX (a real workbook with the four sheets);
 *   4. publishes the current school year from the dashboard's "Công bố kết quả";
 *   5. a logged-out browser opens the published page of that year and its JSON.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import fs from "node:fs";
import ExcelJS from "exceljs";
import type { Browser } from "playwright-core";
import { freshPage, launchBrowser, login, waitForHydration, type Watched } from "./browser";
import { statsUi } from "~/i18n/stats";
import { publication } from "~/i18n/publication";

const baseURL = inject("baseURL");
const t = statsUi.vi;
const tp = publication.vi;

function currentSchoolYear(now = new Date()): string {
  const y = now.getUTCFullYear();
  return now.getUTCMonth() >= 7 ? `${y}-${y + 1}` : `${y - 1}-${y}`;
}
const YEAR = currentSchoolYear();
const PREVIOUS = `${Number(YEAR.slice(0, 4)) - 1}-${YEAR.slice(0, 4)}`;
const SO = "Sở Giáo dục và Đào tạo tỉnh Đông Sơn";
const PHONG = "Phòng Giáo dục và Đào tạo thành phố Đông Sơn";

let browser: Browser;
let office: Watched;
let anon: Watched;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await anon?.context.close();
  await office?.context.close();
  await browser?.close();
});

/** Pixels drawn on a canvas that are not transparent (chart.js drew something). */
async function drawnPixels(w: Watched, index = 0): Promise<number> {
  return w.page.evaluate((i) => {
    const c = document.querySelectorAll<HTMLCanvasElement>("canvas[data-testid=chart]")[i];
    if (!c || !c.width || !c.height) return 0;
    const data = c.getContext("2d")!.getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let k = 3; k < data.length; k += 4) if (data[k]! > 0) n++;
    return n;
  }, index);
}

describe("results: dashboard, drill down, export, publication, public page", () => {
  it("1. so.demo opens the dashboard of the previous year: sentences, a chart and its table", async () => {
    office = await freshPage(browser, baseURL);
    const page = office.page;
    await login(page, "so.demo");
    await page.waitForURL((u) => u.pathname === "/");
    await waitForHydration(page);
    await page.getByRole("navigation", { name: "Điều hướng chính" }).getByRole("link", { name: "Thống kê", exact: true }).click();
    await page.waitForURL((u) => u.pathname === "/thong-ke");
    await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent(), { timeout: 15_000 }).toBe(t.heading(SO, YEAR));
    await waitForHydration(page);
    await page.getByLabel(t.year, { exact: true }).selectOption(PREVIOUS);
    await page.getByRole("button", { name: t.show }).click();
    await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent(), { timeout: 15_000 }).toBe(t.heading(SO, PREVIOUS));
    expect(new URL(page.url()).searchParams.get("nam")).toBe(PREVIOUS);
    // The demo's previous year: every one of its 32 schools recognised.
    const sentence = page.locator("ul.sentences li").first();
    await expect.poll(() => sentence.textContent()).toMatch(/^Kết quả công nhận: Mức 1: \d+\/32 trường \(chiếm \d+,\d%\); Mức 2: \d+\/32 trường \(chiếm \d+,\d%\); Mức 3: \d+\/32 trường \(chiếm \d+,\d%\)\.$/);
    // The level chart is drawn, and its table beside it holds the same counts as the sentence.
    const levels = page.locator("section[aria-labelledby=tk-levels]");
    await expect.poll(() => drawnPixels(office, 1), { timeout: 15_000 }).toBeGreaterThan(500);
    const table = levels.locator("table").first();
    expect(await table.locator("caption").textContent()).toBe(t.levels.heading);
    const m1 = /Mức 1: (\d+)\/32/.exec((await sentence.textContent())!)![1];
    expect(await table.locator("tbody tr").first().locator("td").first().textContent()).toMatch(new RegExp(`^${m1} \\(\\d+,\\d%\\)$`));
    expect(await table.locator("tbody tr").last().locator("td").first().textContent()).toBe("32");
    expect(office.errors).toEqual([]);
  });

  it("2. drills down to the Phòng: its own figures", async () => {
    const page = office.page;
    const units = page.locator("section[aria-labelledby=tk-units]");
    await units.getByRole("link", { name: t.subUnits.drill(PHONG) }).click();
    await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent(), { timeout: 15_000 }).toBe(t.heading(PHONG, PREVIOUS));
    const sentence = (await page.locator("ul.sentences li").first().textContent())!;
    const n = Number(/\/(\d+) trường/.exec(sentence)![1]);
    expect(n).toBeGreaterThan(0);
    expect(n).toBeLessThan(32);
    // Its schools are listed, each opening its file; the way up leads back to the Sở.
    const schools = page.locator("section[aria-labelledby=tk-schools] tbody tr");
    await expect.poll(() => schools.count()).toBe(n);
    expect(await schools.first().getByRole("link").getAttribute("href")).toMatch(/^\/danh-gia\/\d+$/);
    expect(await page.getByRole("link", { name: t.up(SO) }).count()).toBe(1);
    expect(office.errors).toEqual([]);
  });

  it("3. exports the XLSX: a workbook with its four sheets, numbers as numbers", async () => {
    const page = office.page;
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: t.xlsx }).click()]);
    const file = await download.path();
    expect(file).toBeTruthy();
    const bytes = fs.readFileSync(file!);
    expect(bytes.subarray(0, 2).toString("latin1")).toBe("PK");
    expect(download.suggestedFilename()).toMatch(/\.xlsx$/);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(bytes as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(["Tổng hợp", "Theo đơn vị", "Theo trường", "Theo chỉ số"]);
    const schools = wb.getWorksheet("Theo trường")!;
    expect(schools.rowCount).toBeGreaterThan(1);
    const numeric = schools.getRow(2).values as unknown[];
    expect(numeric.some((v) => typeof v === "number")).toBe(true);
  });

  it("4. publishes the current school year from the dashboard", async () => {
    const page = office.page;
    await page.goto(`/thong-ke?nam=${YEAR}`);
    await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent(), { timeout: 15_000 }).toBe(t.heading(SO, YEAR));
    await waitForHydration(page);
    await page.getByRole("link", { name: t.publish }).click();
    await page.waitForURL((u) => u.pathname === "/cong-bo/quan-ly");
    const row = page.locator(`tr[data-unit="S99"][data-year="${YEAR}"]`);
    await expect.poll(() => row.count(), { timeout: 15_000 }).toBe(1);
    await waitForHydration(page);
    expect(await row.locator("td").nth(3).textContent()).toBe(tp.manage.notPublished);
    await row.getByRole("button", { name: tp.manage.publish }).click();
    await expect.poll(() => page.getByRole("status").filter({ hasText: tp.manage.done.publish }).count(), { timeout: 15_000 }).toBe(1);
    await expect.poll(() => row.locator("td").nth(3).textContent()).toMatch(/^Đang công bố từ \d{2}\/\d{2}\/\d{4}$/);
    expect(office.errors).toEqual([]);
  });

  it("5. a logged-out visitor opens the published page and its JSON", async () => {
    anon = await freshPage(browser, baseURL);
    const page = anon.page;
    await page.goto("/cong-bo");
    const link = page.getByRole("link", { name: YEAR, exact: true });
    await expect.poll(() => link.count(), { timeout: 15_000 }).toBe(1);
    await link.click();
    await page.waitForURL((u) => u.pathname === `/cong-bo/S99/${YEAR}`);
    await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent(), { timeout: 15_000 }).toContain(YEAR);
    const body = (await page.locator("main").textContent())!;
    expect(body).toMatch(/Mức 1: \d+\/\d+ trường \(chiếm/);
    await expect.poll(() => drawnPixels(anon), { timeout: 15_000 }).toBeGreaterThan(200);
    const res = await page.request.get(`/cong-bo/S99/${YEAR}.json`);
    expect(res.status()).toBe(200);
    expect(res.headers()["etag"]).toMatch(/^"/);
    expect(res.headers()["cache-control"]).toContain("public");
    const data = (await res.json()) as { unit: { code: string }; schoolYear: string; summary: { schools: number; levels: Record<string, number> }; schools: { code: string; level: number; certificate: { verifyUrl: string } | null }[] };
    expect(data.unit.code).toBe("S99");
    expect(data.schoolYear).toBe(YEAR);
    expect(data.summary.schools).toBe(data.schools.length);
    expect(data.schools.length).toBeGreaterThan(0);
    expect(data.summary.levels["1"] + data.summary.levels["2"] + data.summary.levels["3"]).toBe(data.schools.length);
    for (const s of data.schools) expect(body).toContain(s.code);
    expect(anon.errors).toEqual([]);
  });
});
