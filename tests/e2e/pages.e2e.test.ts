/**
 * Every page of each role renders, hydrates without a client error (a server-only import that
 * leaks into a route's module scope only fails here, in the browser), and fits a phone screen.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { Browser } from "playwright-core";
import { PHONE, freshPage, horizontalOverflow, launchBrowser, login, waitForHydration } from "./browser";

const baseURL = inject("baseURL");
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

const PAGES: Record<string, string[]> = {
  admin: [
    "/",
    "/thong-ke",
    "/xep-hang",
    "/quan-tri/don-vi",
    "/quan-tri/don-vi/moi",
    "/quan-tri/don-vi/2",
    "/quan-tri/truong",
    "/quan-tri/truong?q=nguyen+du",
    "/quan-tri/truong/moi",
    "/quan-tri/truong/1",
    "/quan-tri/truong/nhap",
    "/quan-tri/nguoi-dung",
    "/quan-tri/nguoi-dung/moi",
    "/quan-tri/nguoi-dung/3",
    "/quan-tri/dot-danh-gia",
    "/quan-tri/dot-danh-gia/1",
    "/quan-tri/chi-so",
    "/quan-tri/chi-so/qd-4725-2022",
    "/chi-so",
    "/chi-so/phien-ban",
    "/tai-khoan/mat-khau",
  ],
  "so.demo": ["/ke-hoach", "/thong-ke", "/xep-hang", "/cong-bo/quan-ly", "/cong-bo", "/", "/ho-so", "/ho-so?q=dong+son", "/quan-tri/dot-danh-gia", "/quan-tri/dot-danh-gia/1", "/quan-tri/truong", "/quan-tri/nguoi-dung", "/danh-gia/15", "/danh-gia/15/nhat-ky"],
  "phong.demo": ["/thong-ke", "/", "/ho-so", "/ho-so?trang-thai=submitted", "/quan-tri/truong", "/danh-gia/2", "/danh-gia/2/bao-cao"],
  "truong.th1": ["/", "/danh-gia", "/danh-gia/{a}/nop", "/danh-gia/{a}/bao-cao", "/danh-gia/{a}/minh-chung", "/danh-gia/{a}/nhat-ky", "/danh-gia/{a}/ke-hoach", "/truong/{s}/minh-chung", "/truong/{s}/ket-qua", "/chi-so", "/tai-khoan/mat-khau"],
};

describe("pages by role", () => {
  for (const [username, paths] of Object.entries(PAGES)) {
    it(`${username}: every page renders and hydrates without errors, at phone width too`, async () => {
      const { context, page, errors } = await freshPage(browser, baseURL);
      try {
        await login(page, username);
        await page.waitForURL((u) => u.pathname === "/");
        // The school's own ids, read from its pages.
        let a = "";
        let s = "";
        if (username === "truong.th1") {
          // The current year's file, linked from the home (the school also has last year's, closed).
          a = (await page.getByRole("link", { name: "Mở hồ sơ tự đánh giá" }).first().getAttribute("href"))!.split("/")[2]!;
          await page.goto(`/danh-gia/${a}/minh-chung`);
          const href = await page.locator('a[href^="/truong/"]').first().getAttribute("href");
          s = href!.split("/")[2];
        }
        for (const viewport of [undefined, PHONE]) {
          if (viewport) await page.setViewportSize(viewport);
          for (const p of paths) {
            const url = p.replace("{a}", a).replace("{s}", s);
            const res = await page.goto(url);
            expect(res?.status(), `${username} ${url}`).toBeLessThan(400);
            await waitForHydration(page);
            await expect.poll(() => page.locator("main h1").count(), { message: `${username} ${url} has a heading` }).toBeGreaterThan(0);
            if (viewport) expect(await horizontalOverflow(page), `${username} ${url} overflows at 375 px`).toBeLessThanOrEqual(1);
            // The menu fits the phone: closed, only its button shows; opened, every item is in sight, one
            // under the other, and nothing is hidden off to the side.
            if (viewport) {
              const list = page.locator(".main-nav ul");
              const button = page.locator(".main-nav__menu > summary");
              expect(await list.isVisible(), `${username} ${url} menu closed`).toBe(false);
              await button.click();
              await expect.poll(() => list.isVisible(), { message: `${username} ${url} menu opens` }).toBe(true);
              expect(await page.evaluate(() => { const ul = document.querySelector(".main-nav ul")!; return ul.scrollWidth - ul.clientWidth; }), `${username} ${url} menu scrolls sideways`).toBeLessThanOrEqual(1);
              expect(await horizontalOverflow(page), `${username} ${url} open menu overflows at 375 px`).toBeLessThanOrEqual(1);
              for (const item of await list.locator("a").all()) expect(((await item.boundingBox())?.width ?? 0) > 0, `${username} ${url} a menu item is in sight`).toBe(true);
              await button.click();
              await expect.poll(() => list.isVisible()).toBe(false);
            }
          }
        }
        expect(errors, username).toEqual([]);
      } finally {
        await context.close();
      }
    });
  }
});
