/**
 * Recognition in a real browser on the demo, on the Sở's two files of this year whose external
 * assessment is finished (one "assessed", one "kept"); no other browser test touches them:
 *   1. so.demo opens /cong-nhan from the menu, creates a draft for the current school year, fills
 *      and saves it, is refused issuing without the confirmation, adds the eligible files, confirms
 *      and issues: every row has its serial and "Còn hiệu lực";
 *   2. the ZIP of the certificates is made and downloads (application/zip, "PK");
 *   3. a certificate's verification link, opened logged out: the school and "Còn hiệu lực"; its PDF;
 *      the same address with Accept: application/json answers status "valid";
 *   4. so.demo revokes that certificate with a reason: the row and the public page say so;
 *   5. a wrong token gets the plain 404 page.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { Browser, Locator } from "playwright-core";
import { freshPage, launchBrowser, login, waitForHydration, type Watched } from "./browser";
import { recognitionUi } from "~/i18n/recognition";
import { verification } from "~/i18n/verification";
import { formatLocalDate, localDateOf } from "~/utils/time";

const baseURL = inject("baseURL");
const t = recognitionUi.vi;
const tv = verification.vi;

const NUMBER = "901/QĐ-SGDĐT";
const PLACE = "Đông Sơn";
const SIGNER = "Phạm Văn Hùng";
const SIGNER_TITLE = "Giám đốc";
const ISSUER = "Sở Giáo dục và Đào tạo tỉnh Đông Sơn";
const REASON = "Kiểm tra lại phát hiện hồ sơ minh chứng không đúng thực tế của nhà trường.";
const SERIAL = /^S99-\d{4}-\d{4}$/;

/** The school year running today, as the demo opens it (seed.server's currentSchoolYear). */
function currentSchoolYear(now = new Date()): string {
  const y = now.getUTCFullYear();
  return now.getUTCMonth() >= 7 ? `${y}-${y + 1}` : `${y - 1}-${y}`;
}
const YEAR = currentSchoolYear();
const TODAY = localDateOf();

let browser: Browser;
let office: Watched;
let anon: Watched | null = null;
let decisionPath = "";
/** The certificate followed through steps 3–4: its row's school code, school, serial and link. */
const cert = { code: "", school: "", serial: "", href: "" };
/** Every row's school code and serial after issuing. */
const serials: Record<string, string> = {};

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await anon?.context.close();
  await office?.context.close();
  await browser?.close();
});

/** The office's errors other than its deliberate refusal (issuing unconfirmed: 422, logged as a failed load). */
const unexpected = (errors: string[]) => errors.filter((e) => !/status of 422/.test(e));
/** The public page's errors other than the wrong token's 404 of step 5. */
const unexpectedPublic = (errors: string[]) => errors.filter((e) => !/status of 404/.test(e));

const fileRows = () => office.page.locator("tr[data-file]");
const certOf = (row: Locator) => row.locator("[data-certificate]");
const statusWith = (text: string | RegExp) => office.page.getByRole("status").filter({ hasText: text });

describe("recognition: decision, certificates, verification and revocation", () => {
  it("1. so.demo drafts a decision, is asked to confirm, adds the eligible files and issues it", async () => {
    office = await freshPage(browser, baseURL);
    const page = office.page;
    await login(page, "so.demo");
    await page.waitForURL((u) => u.pathname === "/");
    await waitForHydration(page);
    await page.getByRole("navigation", { name: "Điều hướng chính" }).getByRole("link", { name: "Công nhận", exact: true }).click();
    await page.waitForURL((u) => u.pathname === "/cong-nhan");
    await expect.poll(() => page.getByRole("heading", { level: 1, name: t.title }).count(), { timeout: 15_000 }).toBe(1);
    await waitForHydration(page);

    // The decisions the Sở already has: this year's 112 and the previous year's 85 (and the Phòng's 42).
    const list = (await page.locator("main table").textContent()) ?? "";
    for (const n of ["112/QĐ-SGDĐT", "85/QĐ-SGDĐT", "42/QĐ-PGDĐT"]) expect(list).toContain(n);
    expect(list).not.toContain(NUMBER);

    // The current year is offered with its two files ready for recognition (assessed + kept).
    const year = page.getByLabel(t.year, { exact: true });
    expect(await year.locator("option:checked").textContent()).toBe(`${YEAR} — ${t.eligible(2)}`);
    await year.selectOption(YEAR);
    await page.getByRole("button", { name: t.create }).click();
    await page.waitForURL((u) => /^\/cong-nhan\/\d+$/.test(u.pathname));
    decisionPath = new URL(page.url()).pathname;
    await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent(), { timeout: 15_000 }).toBe(t.heading(null, YEAR));
    await waitForHydration(page);
    const status = page.getByTestId("decision-status");
    expect(await status.getAttribute("data-status")).toBe("draft");
    expect(await status.textContent()).toBe(t.statusLine("Dự thảo"));
    expect(await page.getByRole("heading", { level: 2, name: t.files(0) }).count()).toBe(1);

    // The draft's fields; the date is a date input (yyyy-mm-dd), today in Asia/Ho_Chi_Minh.
    const date = page.getByLabel(t.decidedOn, { exact: true });
    expect(await date.getAttribute("type")).toBe("date");
    await page.getByLabel(t.number, { exact: true }).fill(NUMBER);
    await date.fill(TODAY);
    await page.getByLabel(t.place, { exact: true }).fill(PLACE);
    await page.getByLabel(t.signerName, { exact: true }).fill(SIGNER);
    await page.getByLabel(t.signerTitle, { exact: true }).fill(SIGNER_TITLE);
    await page.getByRole("button", { name: t.save }).click();
    await expect.poll(() => statusWith(t.saved).count(), { timeout: 15_000 }).toBe(1);
    await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent()).toBe(t.heading(NUMBER, YEAR));
    expect(await date.inputValue()).toBe(TODAY);
    expect(await page.getByLabel(t.signerTitle, { exact: true }).inputValue()).toBe(SIGNER_TITLE);

    // Issuing without the confirmation is refused, with the message at the box.
    const issue = page.getByRole("button", { name: t.issue, exact: true });
    await issue.click();
    await expect.poll(() => page.locator("#issue-confirm-e").textContent(), { timeout: 15_000 }).toBe(t.issueMustConfirm);
    expect(await page.getByLabel(t.issueConfirm).getAttribute("aria-invalid")).toBe("true");
    expect(await page.getByRole("alert").filter({ hasText: t.issueMustConfirm }).count()).toBe(1);
    expect(await status.getAttribute("data-status")).toBe("draft");

    // Add every eligible file: the two of this year, not the one decision 112 recognised.
    await page.getByRole("button", { name: t.addAll(2) }).click();
    await expect.poll(() => statusWith(t.added(2)).count(), { timeout: 15_000 }).toBe(1);
    await expect.poll(() => page.getByRole("heading", { level: 2, name: t.files(2) }).count()).toBe(1);
    expect(await fileRows().count()).toBe(2);
    for (const row of await fileRows().all()) {
      const cells = await row.locator("td").allTextContents();
      // Select, school, code, type, sub-unit, level.
      expect(cells).toHaveLength(6);
      expect(cells[2]).toMatch(/^\d{8}$/);
      expect(cells[2]).toBe(await row.getAttribute("data-file"));
      expect(cells[5]).toMatch(/^Mức \d$/);
    }
    expect(await page.getByRole("button", { name: t.addAll(0) }).isDisabled()).toBe(true);
    expect(await page.getByText(t.ready, { exact: true }).count()).toBe(1);

    // Confirm and issue.
    await page.getByLabel(t.issueConfirm).check();
    await issue.click();
    await expect.poll(() => statusWith(/^Đã ban hành quyết định, công nhận 2 trường/).count(), { timeout: 30_000 }).toBe(1);
    await expect.poll(() => status.getAttribute("data-status")).toBe("issued");
    expect(await status.textContent()).toBe(t.statusLine("Đã ban hành"));
    expect(await page.getByRole("columnheader", { name: t.fileCols.certificate }).count()).toBe(1);
    expect(await fileRows().count()).toBe(2);
    for (const row of await fileRows().all()) {
      const c = certOf(row);
      const serial = (await c.getAttribute("data-certificate")) ?? "";
      expect(serial).toMatch(SERIAL);
      expect(await c.locator("p").first().textContent()).toBe(`${serial} — ${t.valid}`);
      expect(await c.getByRole("link", { name: t.verify, exact: true }).getAttribute("href")).toMatch(/^\/xac-minh\/[^/.]+$/);
      serials[(await row.getAttribute("data-file"))!] = serial;
    }
    expect(new Set(Object.values(serials)).size).toBe(2);
    // No more editing: no save, no add, no issue.
    expect(await page.getByRole("button", { name: t.save }).count()).toBe(0);
    expect(await issue.count()).toBe(0);

    // The list shows the decision as issued, with its two files.
    await page.goto("/cong-nhan");
    await waitForHydration(page);
    const listed = page.locator(`tr[data-decision="${decisionPath.split("/")[2]}"]`);
    await expect.poll(() => listed.count(), { timeout: 15_000 }).toBe(1);
    expect(await listed.locator("td").allTextContents()).toEqual([NUMBER, YEAR, ISSUER, formatLocalDate(TODAY), "Đã ban hành", "2"]);
    expect(unexpected(office.errors)).toEqual([]);
  }, 120_000);

  it("2. the ZIP of the certificates is made and downloads", async () => {
    const page = office.page;
    await page.goto(decisionPath);
    await waitForHydration(page);
    await expect.poll(() => page.getByTestId("decision-status").getAttribute("data-status"), { timeout: 15_000 }).toBe("issued");
    const box = page.locator('[data-batch="certificates-zip"]');
    await box.getByRole("button", { name: t.batchStart["certificates-zip"] }).click();
    // The page follows the job (revalidating every 1.5 s) until the download link shows.
    const link = box.getByRole("link", { name: t.batchDownload["certificates-zip"] });
    await expect.poll(() => link.count(), { timeout: 90_000, interval: 1_000 }).toBe(1);
    expect(await box.textContent()).toMatch(/\(tạo lúc .*; 2 giấy; [\d,.]+ MB\)/);
    expect(await box.getByRole("button", { name: t.batchAgain["certificates-zip"] }).count()).toBe(1);
    const href = (await link.getAttribute("href")) ?? "";
    expect(href).toMatch(new RegExp(`^${decisionPath}/tai-ve/[A-Za-z0-9_-]+$`));
    const res = await page.request.get(href);
    expect(res.status()).toBe(200);
    expect(res.headers()["content-type"]).toMatch(/^application\/zip/);
    const body = await res.body();
    expect(body.subarray(0, 2).toString("latin1")).toBe("PK");
    expect(body.length).toBeGreaterThan(1000);
    expect(unexpected(office.errors)).toEqual([]);
  }, 150_000);

  it("3. a certificate's verification link, logged out: the school, 'Còn hiệu lực', its PDF and JSON", async () => {
    const row = fileRows().first();
    cert.code = (await row.getAttribute("data-file"))!;
    cert.school = ((await row.locator("td").nth(0).textContent()) ?? "").trim();
    cert.serial = serials[cert.code]!;
    cert.href = (await certOf(row).getByRole("link", { name: t.verify, exact: true }).getAttribute("href"))!;
    expect(cert.school).toMatch(/^Trường|^Trung tâm/);

    anon = await freshPage(browser, baseURL);
    const page = anon.page;
    const res = await page.goto(cert.href);
    expect(res?.status()).toBe(200);
    await waitForHydration(page);
    await expect.poll(() => page.getByRole("heading", { level: 1, name: tv.title }).count(), { timeout: 15_000 }).toBe(1);
    // Not logged in: no navigation.
    expect(await page.getByRole("navigation", { name: "Điều hướng chính" }).count()).toBe(0);
    const state = page.getByRole("region", { name: tv.statusHeading }).locator("[data-status]");
    expect(await state.getAttribute("data-status")).toBe("valid");
    expect(await state.textContent()).toContain(`${tv.statusHeading}: ${tv.valid}`);
    const details = (await page.getByRole("region", { name: tv.detailsHeading }).textContent()) ?? "";
    for (const s of [cert.school, cert.code, YEAR, ISSUER, NUMBER, formatLocalDate(TODAY), SIGNER, cert.serial]) expect(details).toContain(s);
    expect(await page.locator("main").textContent()).not.toContain(tv.revoked);

    const pdfHref = (await page.getByRole("link", { name: tv.pdf }).getAttribute("href"))!;
    expect(pdfHref).toBe(`${cert.href}.pdf`);
    const pdf = await page.request.get(pdfHref);
    expect(pdf.status()).toBe(200);
    expect(pdf.headers()["content-type"]).toMatch(/^application\/pdf/);
    expect((await pdf.body()).subarray(0, 5).toString()).toBe("%PDF-");

    const data = await page.request.get(cert.href, { headers: { Accept: "application/json" } });
    expect(data.status()).toBe(200);
    expect(data.headers()["content-type"]).toMatch(/^application\/json/);
    const facts = (await data.json()) as Record<string, unknown>;
    expect(facts).toMatchObject({ status: "valid", school: cert.school, schoolCode: cert.code, serial: cert.serial, decisionNumber: NUMBER, schoolYear: YEAR });
    expect(unexpectedPublic(anon.errors)).toEqual([]);
  }, 120_000);

  it("4. so.demo revokes that certificate with a reason; the row and the public page say so", async () => {
    const page = office.page;
    const row = page.locator(`tr[data-file="${cert.code}"]`);
    await row.getByLabel(t.revokeCertLabel(cert.school), { exact: true }).fill(REASON);
    await row.getByRole("button", { name: t.revokeCert, exact: true }).click();
    await expect.poll(() => statusWith(t.revokedOne).count(), { timeout: 15_000 }).toBe(1);
    await expect.poll(() => certOf(row).locator("p").first().textContent()).toBe(`${cert.serial} — ${t.revokedOn(formatLocalDate(TODAY))}`);
    // Revoked: re-issue is offered instead of revoking again; the other certificate is untouched.
    expect(await row.getByRole("button", { name: t.reissueLabel(cert.school) }).count()).toBe(1);
    expect(await row.getByRole("button", { name: t.revokeCert, exact: true }).count()).toBe(0);
    const other = page.locator("tr[data-file]").filter({ hasNot: page.locator(`[data-certificate="${cert.serial}"]`) });
    expect(await other.count()).toBe(1);
    expect(await certOf(other).locator("p").first().textContent()).toMatch(new RegExp(` — ${t.valid}$`));
    expect(await page.getByTestId("decision-status").getAttribute("data-status")).toBe("issued");

    const pub = anon!.page;
    await pub.reload();
    await waitForHydration(pub);
    const state = pub.getByRole("region", { name: tv.statusHeading }).locator("[data-status]");
    await expect.poll(() => state.getAttribute("data-status"), { timeout: 15_000 }).toBe("revoked");
    expect(await state.textContent()).toContain(`${tv.statusHeading}: ${tv.revoked}`);
    const box = (await pub.getByRole("region", { name: tv.statusHeading }).textContent()) ?? "";
    expect(box).toContain(tv.revokedHint);
    expect(box).toContain(`${tv.revokedOn}${formatLocalDate(TODAY)}`);
    expect(box).toContain(`${tv.revokeReason}${REASON}`);
    expect(await pub.locator("main").textContent()).not.toContain(tv.valid);
    // The machines are told too.
    const data = await pub.request.get(`${cert.href}.json`);
    expect(((await data.json()) as { status: string }).status).toBe("revoked");
    expect(unexpected(office.errors)).toEqual([]);
    expect(unexpectedPublic(anon!.errors)).toEqual([]);
  }, 120_000);

  it("5. a wrong token gets the plain 404 page", async () => {
    anon ??= await freshPage(browser, baseURL);
    const page = anon.page;
    const res = await page.goto("/xac-minh/AAAAAAAAAAAAAAAAAAAAAAAA");
    expect(res?.status()).toBe(404);
    await waitForHydration(page);
    await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent(), { timeout: 15_000 }).toBe(tv.notFound);
    expect(await page.getByRole("alert").textContent()).toContain(tv.notFoundHint);
    expect(await page.locator("main").textContent()).not.toContain(tv.valid);
    const data = await page.request.get("/xac-minh/AAAAAAAAAAAAAAAAAAAAAAAA.json");
    expect(data.status()).toBe(404);
    expect(unexpectedPublic(anon.errors)).toEqual([]);
    expect(unexpected(office?.errors ?? [])).toEqual([]);
  }, 60_000);
});
