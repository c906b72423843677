/**
 * The form's layout fixes of issue 11 (5): a link to an item lands below the sticky score panel,
 * not under it; on a phone, where the panel scrolls away, a compact bar keeps the live level in
 * sight. Read-only navigation of the demo school's current file (giaovien.th1).
 */
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { Browser } from "playwright-core";
import { freshPage, launchBrowser, login, PHONE, waitForHydration } from "./browser";

const baseURL = inject("baseURL");
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

describe("the form's layout", () => {
  it("an anchor to an item lands below the sticky panel; on a phone the level bar stays in sight", async () => {
    const { context, page, errors } = await freshPage(browser, baseURL);
    try {
      await login(page, "giaovien.th1");
      await page.waitForURL((u) => u.pathname === "/");
      const href = await page.getByRole("link", { name: "Mở hồ sơ tự đánh giá" }).first().getAttribute("href");
      await page.goto(`${href}#tieu-chi-2.3.1`);
      await waitForHydration(page);
      await page.evaluate(() => document.getElementById("tieu-chi-2.3.1")!.scrollIntoView());
      const gap = await page.evaluate(() => {
        const item = document.getElementById("tieu-chi-2.3.1")!.getBoundingClientRect();
        const panel = document.querySelector(".score-panel")!.getBoundingClientRect();
        return item.top - panel.bottom;
      });
      expect(gap, "the item's top is not under the panel").toBeGreaterThanOrEqual(0);
      // Desktop: the bar is not shown (the panel is).
      expect(await page.getByTestId("level-bar").isVisible()).toBe(false);

      await page.setViewportSize(PHONE);
      await page.evaluate(() => document.getElementById("tieu-chi-2.3.1")!.scrollIntoView());
      const bar = page.getByTestId("level-bar");
      await expect.poll(() => bar.isVisible()).toBe(true);
      const box = (await bar.boundingBox())!;
      expect(box.y + box.height).toBeLessThanOrEqual(PHONE.height + 1);
      expect(box.y).toBeGreaterThan(PHONE.height / 2);
      const level = (await page.getByTestId("institution-level").textContent())!.trim();
      expect((await bar.textContent())!).toContain(level);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
