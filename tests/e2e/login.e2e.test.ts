/**
 * Signing in as each demo account lands on its own home page with its own navigation;
 * a wrong password is refused; logout ends the session; pages fit a 375 px phone screen.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { Browser } from "playwright-core";
import { DEMO_PASSWORD, DESKTOP, PHONE, freshPage, horizontalOverflow, launchBrowser, login, screenshot, waitForHydration } from "./browser";

const baseURL = inject("baseURL");

const ALL_SECTIONS = ["system_admin", "office_admin", "office_reviewer", "school_head", "school_staff"] as const;
type Section = (typeof ALL_SECTIONS)[number];
const NAV_ALL = ["Trang chủ", "Tự đánh giá", "Hồ sơ các trường", "Đợt đánh giá", "Đơn vị", "Trường học", "Người dùng", "Bộ chỉ số", "Phiên bản bộ chỉ số"];

const ACCOUNTS: { username: string; name: string; sections: Section[]; nav: string[] }[] = [
  { username: "admin", name: "Đỗ Minh Quân", sections: ["system_admin"], nav: ["Trang chủ", "Hồ sơ các trường", "Đợt đánh giá", "Đơn vị", "Trường học", "Người dùng", "Bộ chỉ số", "Phiên bản bộ chỉ số"] },
  { username: "so.demo", name: "Nguyễn Thị Hạnh", sections: ["office_admin", "office_reviewer"], nav: ["Trang chủ", "Hồ sơ các trường", "Đợt đánh giá", "Đơn vị", "Trường học", "Người dùng", "Bộ chỉ số"] },
  { username: "phong.demo", name: "Trần Văn Đức", sections: ["office_reviewer"], nav: ["Trang chủ", "Hồ sơ các trường", "Trường học", "Bộ chỉ số"] },
  { username: "truong.th1", name: "Lê Thị Mai", sections: ["school_head"], nav: ["Trang chủ", "Tự đánh giá", "Bộ chỉ số"] },
  { username: "giaovien.th1", name: "Phạm Quốc Bảo", sections: ["school_staff"], nav: ["Trang chủ", "Tự đánh giá", "Bộ chỉ số"] },
];

let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
});

describe("login as each demo account", () => {
  for (const account of ACCOUNTS) {
    it(`${account.username} lands on its own home page and navigation`, async () => {
      const { context, page, errors } = await freshPage(browser, baseURL);
      try {
        await login(page, account.username);
        await page.waitForURL((url) => url.pathname === "/");
        expect(new URL(page.url()).pathname).toBe("/");

        for (const section of ALL_SECTIONS) {
          const loc = page.locator(`[data-home-role=${section}]`);
          if (account.sections.includes(section)) await loc.waitFor({ state: "visible" });
          else expect(await loc.count(), `${account.username} must not see the ${section} section`).toBe(0);
        }

        await expect.poll(() => page.locator("header").innerText()).toContain(account.name);

        const nav = page.getByRole("navigation", { name: "Điều hướng chính" });
        await nav.waitFor({ state: "visible" });
        const links = (await nav.getByRole("link").allInnerTexts()).map((s) => s.trim());
        for (const item of account.nav) expect(links, `${account.username} nav`).toContain(item);
        // Items meant for other roles stay hidden.
        for (const item of NAV_ALL.filter((i) => !account.nav.includes(i))) expect(links, `${account.username} nav`).not.toContain(item);
        expect(await nav.getByRole("link", { name: "Trang chủ" }).getAttribute("aria-current")).toBe("page");

        await screenshot(page, `home-${account.username}-desktop`);
        expect(errors).toEqual([]);
      } finally {
        await context.close();
      }
    });
  }
});

describe("refusals and logout", () => {
  it("a wrong password is refused with a message, staying on /login", async () => {
    const { context, page, errors } = await freshPage(browser, baseURL);
    try {
      await login(page, "truong.th1", "sai-mat-khau");
      const alert = page.getByRole("alert");
      await alert.waitFor({ state: "visible" });
      expect((await alert.innerText()).trim()).toBe("Tên đăng nhập hoặc mật khẩu không đúng.");
      expect(new URL(page.url()).pathname).toBe("/login");
      // The user name is kept for a retry.
      expect(await page.getByLabel("Tên đăng nhập").inputValue()).toBe("truong.th1");
      await screenshot(page, "login-wrong-password");
      // No session was created.
      await page.goto("/");
      expect(new URL(page.url()).pathname).toBe("/login");
      // The 401 response of the refused login is reported by Chromium as a console error; ignore it.
      expect(errors.filter((e) => !/status of 401/.test(e))).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it("home without a session redirects to /login", async () => {
    const { context, page } = await freshPage(browser, baseURL);
    try {
      await page.goto("/");
      expect(new URL(page.url()).pathname).toBe("/login");
      await page.getByLabel("Tên đăng nhập").waitFor();
    } finally {
      await context.close();
    }
  });

  it("logout ends the session", async () => {
    const { context, page, errors } = await freshPage(browser, baseURL);
    try {
      await login(page, "giaovien.th1");
      await page.waitForURL((url) => url.pathname === "/");
      await waitForHydration(page);
      await page.getByRole("button", { name: "Đăng xuất" }).click();
      await page.waitForURL((url) => url.pathname === "/login");
      await page.getByText("Bạn đã đăng xuất.").waitFor({ state: "visible" });
      expect(await page.getByRole("navigation", { name: "Điều hướng chính" }).count()).toBe(0);
      await page.goto("/");
      expect(new URL(page.url()).pathname).toBe("/login");
      // The old session is gone for this context: signing in again works.
      await login(page, "giaovien.th1");
      await page.waitForURL((url) => url.pathname === "/");
      await page.locator("[data-home-role=school_staff]").waitFor({ state: "visible" });
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});

describe("phone width (375 px)", () => {
  it("/login has no horizontal scroll", async () => {
    const { context, page } = await freshPage(browser, baseURL, PHONE);
    try {
      await page.goto("/login");
      await waitForHydration(page);
      expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
      await screenshot(page, "login-phone");
    } finally {
      await context.close();
    }
  });

  for (const account of ACCOUNTS) {
    it(`home of ${account.username} has no horizontal scroll`, async () => {
      const { context, page } = await freshPage(browser, baseURL, PHONE);
      try {
        await login(page, account.username, DEMO_PASSWORD);
        await page.waitForURL((url) => url.pathname === "/");
        await page.locator(`[data-home-role=${account.sections[0]}]`).waitFor({ state: "visible" });
        expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
        await screenshot(page, `home-${account.username}-phone`);
      } finally {
        await context.close();
      }
    });
  }

  it("the desktop login page renders too (screenshot)", async () => {
    const { context, page } = await freshPage(browser, baseURL, DESKTOP);
    try {
      await page.goto("/login");
      await waitForHydration(page);
      expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
      await screenshot(page, "login-desktop");
    } finally {
      await context.close();
    }
  });
});
