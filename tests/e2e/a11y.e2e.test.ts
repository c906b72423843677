/**
 * Accessibility: axe-core (WCAG 2 A and AA rules) finds no serious or critical problem on the
 * main pages of each kind of user: labels, contrast, landmarks, names of controls.
 */
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { freshPage, launchBrowser, login, waitForHydration } from "./browser";

const baseURL = inject("baseURL");
const axePath = path.join(path.dirname(createRequire(import.meta.url).resolve("axe-core")), "axe.min.js");
const axeSource = fs.readFileSync(axePath, "utf8");
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

interface Violation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

async function audit(page: Page, url: string): Promise<string[]> {
  await page.goto(url);
  await waitForHydration(page);
  // Evaluated through the DevTools protocol, not as an inline <script>: the page's CSP (nonces only) stays on.
  await page.evaluate(axeSource);
  const violations = (await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (c: Document, o: unknown) => Promise<{ violations: unknown[] }> } }).axe;
    const r = await axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } });
    return r.violations;
  })) as Violation[];
  return violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${url}: ${v.id} (${v.impact}) ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(", ")}`);
}

/** The demo's previous school year (closed, recognised and published). */
const PREVIOUS = (() => {
  const now = new Date();
  const y = now.getUTCFullYear();
  const start = now.getUTCMonth() >= 7 ? y : y - 1;
  return `${start - 1}-${start}`;
})();

const PAGES: [string | null, string[]][] = [
  [null, ["/login", "/chi-so", "/cong-bo", "/cong-bo/S99/{prev}"]],
  ["so.demo", ["/ke-hoach", "/thong-ke", "/thong-ke?nam={prev}", "/xep-hang?nam={prev}", "/cong-bo/quan-ly"]],
  ["giaovien.th1", ["/", "/danh-gia", "/danh-gia/{a}", "/danh-gia/{a}/ke-hoach", "/danh-gia/{a}/nop", "/danh-gia/{a}/bao-cao", "/danh-gia/{a}/minh-chung"]],
  ["admin", ["/quan-tri/truong", "/quan-tri/truong/moi", "/quan-tri/nguoi-dung/moi", "/quan-tri/dot-danh-gia", "/quan-tri/chi-so"]],
];

describe("accessibility (axe-core)", () => {
  for (const [username, paths] of PAGES) {
    it(`${username ?? "visitor"}: no serious or critical WCAG problems`, async () => {
      const { context, page } = await freshPage(browser, baseURL);
      try {
        let a = "";
        if (username) {
          await login(page, username);
          await page.waitForURL((u) => u.pathname === "/");
          // The current year's file, linked from the home (the school also has last year's, closed).
          const open = page.getByRole("link", { name: "Mở hồ sơ tự đánh giá" });
          if (await open.count()) a = (await open.first().getAttribute("href"))?.split("/")[2] ?? "";
        }
        const problems: string[] = [];
        for (const p of paths) problems.push(...(await audit(page, p.replace("{a}", a).replace("{prev}", PREVIOUS))));
        expect(problems).toEqual([]);
      } finally {
        await context.close();
      }
    });
  }
});
