/**
 * Shell fixes (issue 11, point 8) through a real server (express + httpGuards + the Remix handler
 * on the app's entry, root and routes, as scripts/serve.mjs):
 *   - the phone menu is a <details> disclosure above the one list of links (no JavaScript needed),
 *     and the CSS shows that list as one column at phone width, hidden while the menu is closed;
 *   - the login page links to the public catalogue and the published results;
 *   - the favicon: an SVG linked from the root, and /favicon.ico answered (no 404 in the log);
 *   - an unknown URL is one log line, never a stack trace.
 */
import fs from "node:fs";
import path from "node:path";
import { createElement } from "react";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { useTestDatabase } from "../helpers/db";
import { browserAs } from "../helpers/http";
import { rawRequest, startTestServer, testBuild, type TestServer } from "../helpers/http-server";
import { createSchool, createUnit, createUser } from "~/server/services/org.server";
import * as root from "~/root";
import * as faviconRoute from "~/routes/favicon[.]ico";

useTestDatabase("shell-fixes");

const ROOT = path.resolve(__dirname, "../..");
const PW = "mat-khau-kiem-thu-shell";
let server: TestServer;
let cookie = "";

/** A page under the root (the shell renders around it). */
const page = { default: () => createElement("h1", null, "Trang thử") };

beforeAll(async () => {
  const province = createUnit({ kind: "province", code: "SF-P", name: "Sở GDĐT Vỏ", parentId: null }, null);
  createSchool({ code: "SF-A", name: "Trường Tiểu học Vỏ", type: "TH", managingUnitId: province, reviewingUnitId: province }, null);
  // An office admin and reviewer: the longest menu of the demo roles.
  await createUser({ username: "sf.so", displayName: "Sở Vỏ", password: PW, roles: ["office_admin", "office_reviewer"], unitId: province }, null);
  cookie = (await browserAs("sf.so")).cookie;
  server = await startTestServer(testBuild({ "thu-trang": page, "favicon.ico": faviconRoute }));
});

afterAll(async () => {
  await server?.close();
});

afterEach(() => {
  vi.restoreAllMocks();
});

/** console.warn / console.error calls made while `fn` runs. */
async function logged<T>(fn: () => Promise<T>): Promise<{ result: T; warn: unknown[][]; error: unknown[][] }> {
  const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
  const error = vi.spyOn(console, "error").mockImplementation(() => {});
  const log = vi.spyOn(console, "log").mockImplementation(() => {});
  try {
    const result = await fn();
    return { result, warn: warn.mock.calls, error: [...error.mock.calls, ...log.mock.calls] };
  } finally {
    warn.mockRestore();
    error.mockRestore();
    log.mockRestore();
  }
}

describe("the phone menu", () => {
  it("is a <details> disclosure before the one list of links", async () => {
    const res = await rawRequest(server.port, { method: "GET", path: "/thu-trang", headers: { Cookie: cookie } });
    expect(res.status).toBe(200);
    const nav = /<nav aria-label="Điều hướng chính" class="main-nav">([\s\S]*?)<\/nav>/.exec(res.body)?.[1] ?? "";
    expect(nav).toMatch(/^<details class="main-nav__menu"><summary>[\s\S]*Điều hướng chính<\/summary><\/details><ul>/);
    // One list, so each link is there once (no copy for the phone).
    const links = [...nav.matchAll(/<a [^>]*href="([^"]+)"/g)].map((m) => m[1]);
    expect(links.length).toBeGreaterThanOrEqual(5);
    expect(new Set(links).size).toBe(links.length);
    expect(nav.match(/<ul>/g)).toHaveLength(1);
  });

  it("the CSS hides the disclosure on wide screens, and at phone width shows the list as one column only when open", () => {
    const css = fs.readFileSync(path.join(ROOT, "app/styles/app.css"), "utf8");
    expect(css).toContain(".main-nav__menu { display: none; }");
    const phone = /@media \(max-width: 40rem\) \{\n  \.main-nav__menu \{ display: block; \}([\s\S]*?)\n\}/.exec(css)?.[1] ?? "";
    expect(phone).toContain(".main-nav__menu:not([open]) + ul { display: none; }");
    expect(phone).toMatch(/\.main-nav ul \{ flex-direction: column; flex-wrap: nowrap;/);
    // Nothing in the nav may force one long line or a hidden overflow.
    const navRules = css.split("\n").filter((l) => l.includes(".main-nav"));
    for (const rule of navRules) expect(rule, rule).not.toMatch(/white-space: nowrap|overflow(-x)?: (auto|scroll|hidden)/);
  });
});

describe("the login page", () => {
  it("links to the public catalogue and the published results", async () => {
    const res = await rawRequest(server.port, { method: "GET", path: "/login" });
    expect(res.status).toBe(200);
    expect(res.body).toMatch(/<a [^>]*href="\/chi-so"[^>]*>Xem bộ chỉ số đánh giá mức độ chuyển đổi số \(không cần đăng nhập\)<\/a>/);
    expect(res.body).toMatch(/<a [^>]*href="\/cong-bo"[^>]*>Xem kết quả đánh giá đã công bố \(không cần đăng nhập\)<\/a>/);
  });
});

describe("the favicon", () => {
  const icon = () => (root.links() as { rel: string; type?: string; href: string }[]).find((l) => l.rel === "icon")!;

  it("is an SVG in public/, linked from the root", async () => {
    const svg = fs.readFileSync(path.join(ROOT, "public/favicon.svg"), "utf8");
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" viewBox="0 0 32 32">/);
    expect(icon().type).toBe("image/svg+xml");
    expect(icon().href).toMatch(/favicon(-[A-Z0-9]+)?\.svg$/i);
    const res = await rawRequest(server.port, { method: "GET", path: "/login" });
    expect(res.body).toContain(`<link rel="icon" type="image/svg+xml" href="${icon().href}"/>`);
  });

  it("/favicon.ico answers with the SVG's address, and logs nothing", async () => {
    const { result: res, warn, error } = await logged(() => rawRequest(server.port, { method: "GET", path: "/favicon.ico" }));
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe(icon().href);
    expect(res.headers["cache-control"]).toBe("public, max-age=86400");
    expect(warn).toEqual([]);
    expect(error).toEqual([]);
  });
});

describe("a 404", () => {
  // The server runs with NODE_ENV=production (scripts/serve.mjs). Under another NODE_ENV (vitest's "test",
  // `remix dev`) React Router's development build adds its own warning while rendering the 404 page;
  // `NODE_ENV=production npx vitest run … shell-fixes` checks the production log exactly.
  const ours = (warn: unknown[][]) =>
    process.env.NODE_ENV === "production" ? warn : warn.filter((w) => !(typeof w[0] === "string" && w[0].startsWith("No routes matched location")));

  it("an unknown URL logs one line, no stack trace, and shows the Vietnamese page", async () => {
    const { result: res, warn, error } = await logged(() => rawRequest(server.port, { method: "GET", path: "/khong-co-trang-nay?x=1" }));
    expect(res.status).toBe(404);
    expect(res.body).toContain("Không tìm thấy trang");
    expect(ours(warn)).toEqual([["404 GET /khong-co-trang-nay"]]);
    expect(warn.length).toBeLessThanOrEqual(2);
    expect(error).toEqual([]);
  });

  it("so does a Remix data request for an unknown URL", async () => {
    const { result: res, warn, error } = await logged(() => rawRequest(server.port, { method: "GET", path: "/khong-co/nua?_data=root" }));
    expect(res.status).toBeLessThan(500);
    expect(ours(warn).length).toBeLessThanOrEqual(1);
    for (const w of ours(warn)) expect(w).toEqual([expect.stringMatching(/^\d{3} GET \/khong-co\/nua$/)]);
    expect(error).toEqual([]);
  });
});
