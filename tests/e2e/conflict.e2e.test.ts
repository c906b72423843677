/**
 * Two people editing the same assessment at once in two browsers: the second save is told,
 * shown the other person's value, and chooses; nothing is overwritten silently.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { freshPage, launchBrowser, login, waitForHydration } from "./browser";
import { getDb } from "~/server/db/client.server";
import { assessments, schools } from "~/server/db/schema.server";
import { createUser } from "~/server/services/org.server";
import { eq } from "drizzle-orm";

const baseURL = inject("baseURL");
const PASSWORD = "mat-khau-e2e-2";
let browser: Browser;
let assessmentId = 0;

beforeAll(async () => {
  browser = await launchBrowser();
  // A second demo school with two accounts of its own (the demo's school 1 is used elsewhere).
  const school = getDb().select().from(schools).where(eq(schools.name, "Trường Tiểu học Kim Đồng")).get()!;
  assessmentId = getDb().select().from(assessments).where(eq(assessments.schoolId, school.id)).get()!.id;
  await createUser({ username: "e2e.hieutruong", displayName: "Ngô Thị Lan (Hiệu trưởng)", password: PASSWORD, roles: ["school_head"], schoolId: school.id }, null);
  await createUser({ username: "e2e.giaovien", displayName: "Vũ Đức Anh (Giáo viên)", password: PASSWORD, roles: ["school_staff"], schoolId: school.id }, null);
});
afterAll(async () => {
  await browser?.close();
});

async function open(username: string): Promise<{ page: Page; close: () => Promise<void>; errors: string[] }> {
  const { context, page, errors } = await freshPage(browser, baseURL);
  await login(page, username, PASSWORD);
  await page.waitForURL((u) => u.pathname === "/");
  await page.goto(`/danh-gia/${assessmentId}`);
  await waitForHydration(page);
  return { page, errors, close: () => context.close() };
}

const pickAnswer = (page: Page, code: string, label: string) => page.locator(`[data-item="${code}"]`).getByLabel(label, { exact: true }).check();
const saved = (page: Page) => expect.poll(() => page.getByTestId("save-status").textContent(), { timeout: 15_000 }).toMatch(/Đã lưu lúc/);

describe("two editors at once", () => {
  it("the second save is shown the other change and chooses", async () => {
    const head = await open("e2e.hieutruong");
    const staff = await open("e2e.giaovien");
    try {
      // Both loaded the same version. The head answers 1.3.1 first.
      await pickAnswer(head.page, "1.3.1", "Có");
      await saved(head.page);

      // The teacher, still on the old version, answers the same item differently.
      await pickAnswer(staff.page, "1.3.1", "Không");
      const dialog = staff.page.getByRole("alertdialog");
      await expect.poll(() => dialog.count(), { timeout: 15_000 }).toBe(1);
      expect(await dialog.textContent()).toContain("Ngô Thị Lan (Hiệu trưởng)");
      expect(await dialog.locator('[data-theirs="1.3.1"]').textContent()).toBe("Có");
      expect(await dialog.locator('[data-mine="1.3.1"]').textContent()).toBe("Không");

      // The teacher takes the head's value: the form shows it, nothing of theirs was saved.
      // While the choice waits, the state says so; once resolved it shows the real state, not a failure.
      expect(await staff.page.getByTestId("save-status").textContent()).toContain("Chưa lưu: có mục vừa được người khác sửa");
      await dialog.getByRole("button", { name: "Dùng giá trị của họ" }).click();
      await expect.poll(() => dialog.count()).toBe(0);
      await expect.poll(() => staff.page.getByTestId("save-status").textContent()).toMatch(/Đã lưu lúc/);
      expect(await staff.page.getByTestId("save-status").textContent()).not.toContain("Lưu không thành công");
      await expect.poll(() => staff.page.locator('[data-item="1.3.1"]').getByLabel("Có", { exact: true }).isChecked()).toBe(true);

      // A change to another item merges without any question.
      await pickAnswer(staff.page, "1.3.2", "Có");
      await saved(staff.page);

      // Now the head (stale) changes 1.3.2 too and keeps their own value deliberately.
      await pickAnswer(head.page, "1.3.2", "Không");
      const headDialog = head.page.getByRole("alertdialog");
      await expect.poll(() => headDialog.count(), { timeout: 15_000 }).toBe(1);
      expect(await headDialog.textContent()).toContain("Vũ Đức Anh (Giáo viên)");
      await headDialog.getByRole("button", { name: "Giữ giá trị của tôi" }).click();
      await saved(head.page);

      // Both see the final state after a reload.
      for (const p of [head.page, staff.page]) {
        await p.reload();
        await waitForHydration(p);
        await expect.poll(() => p.locator('[data-item="1.3.1"]').getByLabel("Có", { exact: true }).isChecked()).toBe(true);
        await expect.poll(() => p.locator('[data-item="1.3.2"]').getByLabel("Không", { exact: true }).isChecked()).toBe(true);
      }
      // The 409 answers themselves are logged by Chromium as failed resource loads; nothing else may be.
      expect([...head.errors, ...staff.errors].filter((e) => !/status of 409/.test(e))).toEqual([]);
    } finally {
      await head.close();
      await staff.close();
    }
  });
});
