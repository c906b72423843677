/**
 * The school's whole path in a real browser on the demo: truong.th1 opens the self-assessment,
 * answers items (the level changes live), uploads a PDF as evidence, submits, and downloads the
 * self-assessment report.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { freshPage, launchBrowser, login, screenshot, waitForHydration } from "./browser";

const baseURL = inject("baseURL");
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

const item = (page: Page, code: string) => page.locator(`[data-item="${code}"]`);

async function yes(page: Page, code: string, label = "Có") {
  await item(page, code).getByLabel(label, { exact: true }).check();
}

describe("self-assessment in the browser", () => {
  it("truong.th1 answers, attaches a PDF, sees the level change, submits and downloads the report", async () => {
    const { context, page, errors } = await freshPage(browser, baseURL);
    try {
      await login(page, "truong.th1");
      await page.waitForURL((u) => u.pathname === "/");
      await page.getByRole("link", { name: "Mở hồ sơ tự đánh giá" }).click();
      await page.waitForURL(/\/danh-gia\/\d+$/);
      await waitForHydration(page);
      const level = page.getByTestId("institution-level");
      await expect.poll(() => level.textContent()).toContain("Mức 1");

      // Mandatory conditions, then enough points for 50 in each group.
      for (const code of ["1.1", "1.2", "2.1", "2.2"]) await yes(page, code, "Đạt");
      for (const code of ["1.3.1", "1.3.2", "1.3.3", "1.3.4", "1.3.5", "1.5.2", "1.7.3"]) await yes(page, code);
      await page.getByLabel("Tên giải pháp").fill("Moodle của trường");
      await page.getByLabel("Hình thức").selectOption("tu-xay-dung");
      const ratio = item(page, "1.4").locator("input");
      await ratio.nth(0).fill("12");
      await ratio.nth(1).fill("10");
      // A numerator above the denominator is refused at the field, in Vietnamese.
      await expect.poll(() => item(page, "1.4").locator(".field-error").first().textContent()).toContain("không được lớn hơn");
      await ratio.nth(0).fill("10");
      for (const code of ["2.3.1", "2.3.2", "2.3.3", "2.3.4", "2.3.5", "2.3.6", "2.3.7", "2.3.8", "2.3.9"]) await yes(page, code);

      // Group 1 = 30 + 10 + 5 + 5 = 50 and group 2 = 70: both Mức 2, computed live in the browser.
      await expect.poll(() => level.textContent()).toContain("Mức 2");
      await expect.poll(() => page.locator('[data-group="1"]').textContent()).toContain("50 / 100");
      await expect.poll(() => page.getByTestId("save-status").textContent(), { timeout: 15_000 }).toMatch(/Đã lưu lúc/);

      // Upload a PDF as evidence for 1.1.
      const pdf = path.join(os.tmpdir(), `ke-hoach-${process.pid}.pdf`);
      fs.writeFileSync(pdf, "%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n");
      const panel = page.locator("#mc-1\\.1");
      await panel.getByText("Thêm minh chứng cho tiêu chí 1.1").click();
      await panel.getByLabel("Chọn tệp").setInputFiles({ name: "Kế hoạch dạy học trực tuyến.pdf", mimeType: "application/pdf", buffer: fs.readFileSync(pdf) });
      await panel.getByRole("button", { name: "Tải lên" }).click();
      await expect.poll(() => panel.textContent(), { timeout: 15_000 }).toContain("MC-1.1-01");
      expect(await panel.textContent()).toContain("Kế hoạch dạy học trực tuyến");

      // Reload: the answers came from the server, not from memory.
      await page.reload();
      await waitForHydration(page);
      await expect.poll(() => page.getByTestId("institution-level").textContent()).toContain("Mức 2");

      // Submit.
      await page.getByRole("link", { name: "Kiểm tra và gửi" }).click();
      await page.waitForURL(/\/nop$/);
      await waitForHydration(page);
      await page.getByLabel(/xác nhận nội dung tự đánh giá/).check();
      await page.getByRole("button", { name: "Gửi hồ sơ" }).click();
      await expect.poll(() => page.getByRole("status").first().textContent()).toMatch(/Đã gửi hồ sơ lúc/);
      await expect.poll(() => page.getByTestId("assessment-status").getAttribute("data-status")).toBe("submitted");

      // The form is now read-only.
      await page.getByRole("link", { name: "Phiếu tự đánh giá" }).click();
      await waitForHydration(page);
      await expect.poll(() => page.getByText("Hồ sơ đang ở chế độ chỉ xem.").count()).toBe(1);
      expect(await item(page, "1.1").getByLabel("Đạt", { exact: true }).isDisabled()).toBe(true);

      // Download the report.
      await page.getByRole("link", { name: "Báo cáo tự đánh giá" }).click();
      await waitForHydration(page);
      const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Tải báo cáo PDF" }).click()]);
      const file = await download.path();
      expect(fs.readFileSync(file!).subarray(0, 5).toString()).toBe("%PDF-");
      expect(download.suggestedFilename()).toMatch(/\.pdf$/);
      await screenshot(page, "self-assessment-report-page");
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
