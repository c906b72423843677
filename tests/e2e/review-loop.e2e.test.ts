/**
 * The office's whole review loop in a real browser on the demo, on one submitted file of
 * phong.demo's office that no other browser test touches (Trường THCS Nguyễn Trãi):
 *   1. phong.demo finds it in /ho-so, writes a request at an item and an overall comment, returns it;
 *   2. the school head sees the requests on the home page, replies and marks "Đã bổ sung", changes
 *      the item's answer, adds a link as evidence and resubmits;
 *   3. phong.demo sees round 2 and what changed, closes the request and approves (confirmed);
 *   4. phong.demo changes two items in the external assessment, is told at the items that reasons
 *      are missing, gives them and finishes;
 *   5. the minutes (biên bản) PDF downloads with the reviewer's session;
 *   6. the school head sees the external level at home and the two items' values and reasons.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { freshPage, launchBrowser, login, waitForHydration, type Watched } from "./browser";
import { STATE_LABELS } from "~/domain/assessment-states";
import { checkUi } from "~/i18n/check";
import { externalUi } from "~/i18n/external";

const baseURL = inject("baseURL");
const tc = checkUi.vi;
const te = externalUi.vi;

const SCHOOL = "Trường THCS Nguyễn Trãi";
const ITEM = "1.3.2"; // the item the office asks about and the school changes
const EXT = ["1.3.3", "2.3.1"] as const; // the items the external assessment changes
const REQUEST = "Đề nghị bổ sung danh sách giáo viên đã tham gia bồi dưỡng kỹ năng số (có xác nhận của nhà trường).";
const COMMENT = "Hồ sơ khá đầy đủ; đề nghị nhà trường bổ sung minh chứng theo yêu cầu tại tiêu chí.";
const REPLY = "Nhà trường đã bổ sung danh sách có chữ ký của Hiệu trưởng.";
const LINK_TITLE = "Danh sách giáo viên tham gia bồi dưỡng kỹ năng số";
const REASONS: Record<(typeof EXT)[number], string> = {
  "1.3.3": "Biên bản kiểm tra thực tế không thể hiện nội dung này.",
  "2.3.1": "Đoàn đánh giá không tìm thấy minh chứng phù hợp tại trường.",
};

let browser: Browser;
let office: Watched;
let head: Watched | null = null;
let assessmentId = "";
let headUser = "";
/** The school's answer to ITEM before and after its change, as the form labels them. */
let itemBefore = "";
let itemAfter = "";
/** The self-assessment answers of EXT and the external values put in their place. */
const extSelf: Record<string, string> = {};
const extNew: Record<string, string> = {};

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await head?.context.close();
  await office?.context.close();
  await browser?.close();
});

const item = (page: Page, code: string) => page.locator(`[data-item="${code}"]`);
const status = (page: Page) => page.getByTestId("assessment-status");
const saved = (page: Page) => expect.poll(() => page.getByTestId("save-status").textContent(), { timeout: 15_000 }).toMatch(/Đã lưu lúc/);

/** Which of "Có"/"Không" is checked at a yes/no item. */
async function answerOf(page: Page, code: string): Promise<string> {
  return (await item(page, code).getByLabel("Có", { exact: true }).isChecked()) ? "Có" : "Không";
}

/** Turns a yes/no item to the other answer; returns [before, after]. */
async function flip(page: Page, code: string): Promise<[string, string]> {
  const before = await answerOf(page, code);
  const after = before === "Có" ? "Không" : "Có";
  await item(page, code).getByLabel(after, { exact: true }).check();
  await expect.poll(() => item(page, code).getByLabel(after, { exact: true }).isChecked()).toBe(true);
  return [before, after];
}

/** Errors other than the deliberate refusals (422 answers are logged by Chromium as failed loads). */
const unexpected = (errors: string[]) => errors.filter((e) => !/status of 422/.test(e));

describe("the office's review loop", () => {
  it("1. phong.demo finds the submitted file, asks for more at an item and returns it", async () => {
    office = await freshPage(browser, baseURL);
    const page = office.page;
    await login(page, "phong.demo");
    await page.waitForURL((u) => u.pathname === "/");
    await page.getByRole("link", { name: "Xem hồ sơ chờ kiểm tra" }).click();
    await page.waitForURL((u) => u.pathname === "/ho-so" && u.searchParams.get("trang-thai") === "submitted");
    await waitForHydration(page);

    const row = page.getByRole("row").filter({ hasText: SCHOOL });
    await expect.poll(() => row.count()).toBe(1);
    expect(await row.textContent()).toContain(STATE_LABELS.submitted.vi);
    const code = /\((\d{8})\)/.exec((await row.textContent()) ?? "")?.[1];
    expect(code, "the school's code in the list").toBeTruthy();
    headUser = `ht.${code}`;
    const link = row.getByRole("link", { name: SCHOOL });
    assessmentId = /^\/danh-gia\/(\d+)$/.exec((await link.getAttribute("href")) ?? "")![1];
    await link.click();
    await page.waitForURL(`**/danh-gia/${assessmentId}`);
    await waitForHydration(page);
    await page.getByRole("link", { name: "Kiểm tra hồ sơ" }).click();
    await page.waitForURL(`**/danh-gia/${assessmentId}/kiem-tra`);
    await waitForHydration(page);
    // The URL changes before the new page has rendered: wait for its content.
    await expect.poll(() => page.getByRole("heading", { level: 2, name: tc.title }).count(), { timeout: 15_000 }).toBe(1);
    await expect.poll(() => status(page).textContent(), { timeout: 15_000 }).toBe(STATE_LABELS.submitted.vi);
    expect(await page.locator("main").textContent()).toContain(tc.roundLine(1, "", null, "").split(":")[0]);

    await page.getByLabel(tc.newRequest(ITEM)).fill(REQUEST);
    await page.getByLabel(tc.comment).fill(COMMENT);
    await page.getByRole("button", { name: tc.returnButton }).click();

    await expect.poll(() => page.getByRole("status").filter({ hasText: tc.returned(2) }).count(), { timeout: 15_000 }).toBe(1);
    await expect.poll(() => status(page).getAttribute("data-status")).toBe("returned");
    expect(await status(page).textContent()).toBe(STATE_LABELS.returned.vi);
    // The request at its item, and the overall comment, as the office now sees them.
    const requests = page.getByRole("list", { name: `${tc.requests} ${ITEM}` });
    expect(await requests.textContent()).toContain(REQUEST);
    expect(await requests.textContent()).toContain(tc.requestState.open);
    expect(await page.getByRole("list", { name: `${tc.requests} ${tc.overall}` }).textContent()).toContain(COMMENT);
    expect(await page.locator("main").textContent()).toContain("đã trả lại");
    // Returned: no more return or approve forms.
    expect(await page.getByRole("button", { name: tc.returnButton }).count()).toBe(0);
    expect(await page.getByRole("button", { name: tc.approveButton, exact: true }).count()).toBe(0);
  }, 120_000);

  it("2. the school head sees the request, answers it, changes the item and resubmits", async () => {
    expect(headUser).toMatch(/^ht\.\d{8}$/);
    head = await freshPage(browser, baseURL);
    const page = head.page;
    await login(page, headUser);
    await page.waitForURL((u) => u.pathname === "/");
    await expect.poll(() => page.getByTestId("home-status").getAttribute("data-status")).toBe("returned");
    const notice = page.getByTestId("home-requests");
    expect(await notice.textContent()).toContain("Đơn vị đánh giá có 2 yêu cầu bổ sung đang mở, 2 yêu cầu chưa trả lời.");
    await notice.getByRole("link", { name: "Xem và trả lời các yêu cầu bổ sung" }).click();
    await page.waitForURL(`**/danh-gia/${assessmentId}/yeu-cau`);
    await waitForHydration(page);

    const box = page.getByRole("region", { name: `Yêu cầu bổ sung tại tiêu chí ${ITEM}` });
    expect(await box.textContent()).toContain(REQUEST);
    expect(await box.locator("[data-request-state]").textContent()).toBe("Chưa trả lời");
    await box.getByLabel("Trả lời", { exact: true }).fill(REPLY);
    await box.getByLabel("Đã bổ sung", { exact: true }).check();
    await box.getByRole("button", { name: "Gửi trả lời" }).click();
    await expect.poll(() => box.getByRole("status").textContent(), { timeout: 15_000 }).toBe("Đã lưu trả lời.");
    await expect.poll(() => box.locator("[data-request-state]").getAttribute("data-request-state")).toBe("addressed");
    expect(await box.textContent()).toContain(REPLY);

    // The overall comment is answered too.
    const overall = page.getByRole("region", { name: "Nhận xét chung của đơn vị đánh giá" });
    expect(await overall.textContent()).toContain(COMMENT);
    await overall.getByLabel("Trả lời", { exact: true }).fill("Nhà trường đã bổ sung theo yêu cầu.");
    await overall.getByRole("button", { name: "Gửi trả lời" }).click();
    await expect.poll(() => overall.locator("[data-request-state]").getAttribute("data-request-state"), { timeout: 15_000 }).toBe("replied");

    // Change the item's answer in the form and add a link as evidence on it.
    await page.getByRole("link", { name: "Phiếu tự đánh giá" }).click();
    await page.waitForURL(`**/danh-gia/${assessmentId}`);
    await waitForHydration(page);
    await expect.poll(() => item(page, ITEM).textContent(), { timeout: 15_000 }).toContain(REQUEST);
    [itemBefore, itemAfter] = await flip(page, ITEM);
    await saved(page);
    const panel = page.locator(`#mc-${ITEM.replace(/\./g, "\\.")}`);
    await panel.getByText(`Thêm minh chứng cho tiêu chí ${ITEM}`).click();
    await panel.getByLabel("Địa chỉ liên kết (http:// hoặc https://)").fill("https://thcs-nguyentrai.dongson.edu.vn/danh-sach-boi-duong");
    await panel.getByLabel("Tên liên kết").fill(LINK_TITLE);
    await panel.getByRole("button", { name: "Thêm liên kết" }).click();
    await expect.poll(() => panel.getByRole("list").textContent(), { timeout: 15_000 }).toContain(LINK_TITLE);

    // After a reload the answer is the server's.
    await page.reload();
    await waitForHydration(page);
    expect(await answerOf(page, ITEM)).toBe(itemAfter);

    // Resubmit, with its confirmation.
    await page.getByRole("link", { name: "Kiểm tra và gửi" }).click();
    await page.waitForURL(`**/danh-gia/${assessmentId}/nop`);
    await waitForHydration(page);
    await page.getByLabel(/xác nhận nội dung tự đánh giá/).check();
    await page.getByRole("button", { name: "Gửi hồ sơ" }).click();
    await expect.poll(() => page.getByRole("status").first().textContent(), { timeout: 15_000 }).toMatch(/Đã gửi hồ sơ lúc/);
    await expect.poll(() => status(page).getAttribute("data-status")).toBe("submitted");
    expect(await status(page).textContent()).toBe(STATE_LABELS.submitted.vi);
    expect(unexpected(head.errors)).toEqual([]);
  }, 120_000);

  it("3. phong.demo sees round 2 and the change, closes the request and approves", async () => {
    const page = office.page;
    await page.goto(`/danh-gia/${assessmentId}/kiem-tra`);
    await waitForHydration(page);
    expect(await status(page).textContent()).toBe(STATE_LABELS.submitted.vi);
    const main = (await page.locator("main").textContent()) ?? "";
    expect(main).toMatch(/Lần nộp 1: gửi lúc .* — đã trả lại/);
    expect(main).toMatch(/Lần nộp 2: gửi lúc .* — chờ kiểm tra/);
    expect(await page.getByTestId("round-changes").textContent()).toContain(`${tc.changesTitle(2, 1)}: 1 tiêu chí`);

    const art = page.locator(`article[data-item="${ITEM}"]`);
    expect(await art.textContent()).toContain(tc.changed);
    const diff = art.getByRole("list", { name: tc.changed });
    expect(await diff.textContent()).toContain(tc.changeAnswer(itemBefore, itemAfter));
    expect(await diff.textContent()).toContain(tc.evidenceAdded(LINK_TITLE));
    expect(await art.locator(`[data-answer="${ITEM}"]`).textContent()).toBe(itemAfter);
    // Only that item changed.
    expect(await page.locator("article.check-item--changed").count()).toBe(1);

    const requests = page.getByRole("list", { name: `${tc.requests} ${ITEM}` });
    expect(await requests.textContent()).toContain(tc.requestState.addressed);
    expect(await requests.textContent()).toContain(REPLY);
    await page.getByRole("button", { name: tc.closeLabel(ITEM) }).click();
    await expect.poll(() => page.getByRole("status").filter({ hasText: tc.requestClosed }).count(), { timeout: 15_000 }).toBe(1);
    await expect.poll(() => requests.textContent()).toContain(tc.requestState.closed);
    expect(await page.getByRole("button", { name: tc.closeLabel(ITEM) }).count()).toBe(0);

    // Approving needs its confirmation.
    const approve = page.getByRole("button", { name: tc.approveButton, exact: true });
    await approve.click();
    await expect.poll(() => page.locator("#kt-confirm-e").textContent(), { timeout: 15_000 }).toBe(tc.approveMustConfirm);
    expect(await status(page).getAttribute("data-status")).toBe("submitted");
    await page.getByLabel(tc.approveConfirm).check();
    await approve.click();
    await expect.poll(() => page.getByRole("status").filter({ hasText: tc.approved }).count(), { timeout: 15_000 }).toBe(1);
    await expect.poll(() => status(page).getAttribute("data-status")).toBe("approved");
    expect(await status(page).textContent()).toBe(STATE_LABELS.approved.vi);
    expect(await status(page).textContent()).toContain("Đã duyệt");
  }, 120_000);

  it("4. phong.demo changes two items in the external assessment, gives the reasons and finishes", async () => {
    const page = office.page;
    await page.getByRole("link", { name: tc.toExternal }).click();
    await page.waitForURL(`**/danh-gia/${assessmentId}/danh-gia-ngoai`);
    await waitForHydration(page);
    await expect.poll(() => page.getByRole("heading", { level: 2, name: te.title }).count()).toBe(1);
    await expect.poll(() => page.getByText(te.inProgress).count()).toBe(1);

    for (const code of EXT) {
      const [before, after] = await flip(page, code);
      extSelf[code] = before;
      extNew[code] = after;
      // The item says at once that it now differs and needs a reason.
      await expect.poll(() => item(page, code).locator(`[data-self="${code}"]`).textContent()).toContain(te.differs);
      expect(await item(page, code).locator(`[data-self="${code}"]`).textContent()).toContain(`Tự đánh giá: ${before}`);
      await expect.poll(() => item(page, code).locator(".field-error").textContent()).toBe(te.reasonRequired);
    }
    await saved(page);

    // Finishing without the reasons is refused, naming the items; the messages stay at them.
    await page.getByRole("button", { name: te.finishButton }).click();
    const alert = page.getByRole("alert").filter({ hasText: te.missingReasons });
    await expect.poll(() => alert.count(), { timeout: 15_000 }).toBe(1);
    for (const code of EXT) {
      expect(await alert.getByRole("link", { name: code, exact: true }).count()).toBe(1);
      expect(await item(page, code).locator(".field-error").textContent()).toBe(te.reasonRequired);
      expect(await item(page, code).getByLabel(`${te.reasonLabel} ${code}`).getAttribute("aria-invalid")).toBe("true");
    }
    expect(await status(page).getAttribute("data-status")).toBe("approved");

    for (const code of EXT) {
      await item(page, code).getByLabel(`${te.reasonLabel} ${code}`).fill(REASONS[code]);
      await expect.poll(() => item(page, code).locator(".field-error").count()).toBe(0);
    }
    await saved(page);
    expect(await page.getByText(te.changedItems(2)).count()).toBe(1);
    await page.getByRole("button", { name: te.finishButton }).click();
    await expect.poll(() => page.getByRole("status").filter({ hasText: /Đã hoàn thành đánh giá ngoài: Mức \d\./ }).count(), { timeout: 15_000 }).toBe(1);
    await expect.poll(() => status(page).getAttribute("data-status")).toBe("assessed");
    expect(await status(page).textContent()).toBe(STATE_LABELS.assessed.vi);
    expect(await page.getByText(/Đánh giá ngoài đã hoàn thành lúc/).count()).toBe(1);
    // Read-only now: the changed items, their values and reasons in one table.
    for (const code of EXT) {
      const row = page.locator(`tr[data-changed-item="${code}"]`);
      expect(await row.locator("td").allTextContents()).toEqual([extSelf[code], extNew[code], REASONS[code]]);
    }
  }, 120_000);

  it("5. the minutes (biên bản) PDF downloads with the reviewer's session", async () => {
    const page = office.page;
    const link = page.getByRole("link", { name: te.bienBan });
    expect(await link.getAttribute("href")).toBe(`/danh-gia/${assessmentId}/bien-ban.pdf`);
    const res = await page.request.get(`/danh-gia/${assessmentId}/bien-ban.pdf`);
    expect(res.status()).toBe(200);
    expect(res.headers()["content-type"]).toMatch(/^application\/pdf/);
    expect((await res.body()).subarray(0, 5).toString()).toBe("%PDF-");
  }, 120_000);

  it("6. the school head sees the external level and the two items' values and reasons", async () => {
    const page = head!.page;
    await page.goto("/");
    await waitForHydration(page);
    await expect.poll(() => page.getByTestId("home-status").getAttribute("data-status")).toBe("assessed");
    expect(await page.getByTestId("home-status").textContent()).toContain(STATE_LABELS.assessed.vi);
    expect(await page.getByTestId("home-external").textContent()).toMatch(/Kết quả đánh giá ngoài: Mức \d\./);
    expect(await page.getByTestId("home-requests").count()).toBe(0);

    await page.getByRole("link", { name: "Mở hồ sơ tự đánh giá" }).click();
    await page.waitForURL(`**/danh-gia/${assessmentId}`);
    await waitForHydration(page);
    await page.getByRole("link", { name: "Đánh giá ngoài" }).click();
    await page.waitForURL(`**/danh-gia/${assessmentId}/danh-gia-ngoai`);
    await waitForHydration(page);
    // The URL changes before the new page has rendered: wait for its content.
    await expect.poll(() => page.getByText(te.readOnly).count(), { timeout: 15_000 }).toBe(1);
    await expect.poll(() => page.getByText(/Đánh giá ngoài đã hoàn thành lúc/).count(), { timeout: 15_000 }).toBe(1);
    const table = page.getByRole("region", { name: te.itemsTitle });
    expect(await table.locator("tbody tr").count()).toBe(2);
    for (const code of EXT) {
      const row = table.getByRole("row").filter({ has: page.getByRole("rowheader", { name: code, exact: true }) });
      expect(await row.locator("td").allTextContents()).toEqual([extSelf[code], extNew[code], REASONS[code]]);
      // The item in the form shows the external value, read-only, with the reason.
      expect(await item(page, code).getByLabel(extNew[code], { exact: true }).isChecked()).toBe(true);
      expect(await item(page, code).getByLabel(extNew[code], { exact: true }).isDisabled()).toBe(true);
      expect(await item(page, code).getByLabel(`${te.reasonLabel} ${code}`).inputValue()).toBe(REASONS[code]);
    }
    // The external level on the page is the one on the home page.
    const level = /Mức (\d)/.exec((await page.locator('[data-compare="institution"] td').nth(1).textContent()) ?? "")?.[1];
    expect(level).toBeTruthy();
    await page.goto("/");
    expect(await page.getByTestId("home-external").textContent()).toContain(`Kết quả đánh giá ngoài: Mức ${level}.`);

    expect(unexpected(head!.errors)).toEqual([]);
    expect(unexpected(office.errors)).toEqual([]);
  }, 120_000);
});
