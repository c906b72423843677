/**
 * CSRF tokens bound to the session (finding 6), rotated at sign-in; and the login refusal's echo
 * capped (finding 1).
 */
import { beforeAll, describe, expect, it } from "vitest";
import { count } from "drizzle-orm";
import { useTestDatabase } from "../helpers/db";
import { browserAs, run } from "../helpers/http";
import { getDb } from "~/server/db/client.server";
import { sessions } from "~/server/db/schema.server";
import { getCsrfToken, isValidCsrf } from "~/server/auth/csrf.server";
import { rootData } from "~/server/root-data.server";
import { createUnit, createUser } from "~/server/services/org.server";
import * as loginRoute from "~/routes/login";
import * as logoutRoute from "~/routes/logout";

useTestDatabase("auth-csrf");

const PASSWORD = "mat-khau-nan-nhan-1";
const BASE = "http://localhost";

beforeAll(async () => {
  const unit = createUnit({ kind: "province", code: "P", name: "Sở", parentId: null }, null);
  await createUser({ username: "victim", displayName: "Nạn nhân", password: PASSWORD, roles: ["office_admin"], unitId: unit }, null);
  await createUser({ username: "mallory", displayName: "Kẻ xấu", password: PASSWORD, roles: ["office_reviewer"], unitId: unit }, null);
});

const sessionCount = () => getDb().select({ n: count() }).from(sessions).get()!.n;

/** The cookies of a response's Set-Cookie headers, as name=value pairs (a browser's jar). */
function jar(res: Response, before = ""): string {
  const map = new Map(
    before
      .split(";")
      .map((c) => c.trim())
      .filter(Boolean)
      .map((c) => [c.split("=")[0], c] as const),
  );
  for (const c of res.headers.getSetCookie()) {
    const pair = c.split(";")[0];
    map.set(pair.split("=")[0], pair);
  }
  return [...map.values()].join("; ");
}

function logoutWith(cookie: string, token: string): Request {
  return new Request(`${BASE}/logout`, {
    method: "POST",
    headers: { Cookie: cookie, "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ _csrf: token }),
  });
}

describe("CSRF tokens are bound to the session", () => {
  it("an anonymous token (the attacker's) is refused with the victim's session cookie", async () => {
    const victim = await browserAs("victim");
    const attacker = await browserAs();
    expect(attacker.csrf).not.toBe(victim.csrf);
    // The attacker's page forges a post carrying the attacker's own token; the browser adds the victim's cookies.
    const before = sessionCount();
    const res = await run(logoutRoute.action as never, logoutWith(victim.cookie, attacker.csrf));
    expect(res.status).toBe(403);
    expect(((await res.json()) as { code: string }).code).toBe("csrf");
    expect(sessionCount()).toBe(before);
    // Even with the attacker's pre-session cookie planted beside the victim's session.
    const planted = await run(logoutRoute.action as never, logoutWith(`${victim.cookie}; ${attacker.cookie}`, attacker.csrf));
    expect(planted.status).toBe(403);
    // The victim's own token works.
    const own = await run(logoutRoute.action as never, logoutWith(victim.cookie, victim.csrf));
    expect(own.status).toBe(302);
    expect(sessionCount()).toBe(before - 1);
  });

  it("another user's session token is refused with the victim's session", async () => {
    const victim = await browserAs("victim");
    const mallory = await browserAs("mallory");
    const form = new FormData();
    form.set("_csrf", mallory.csrf);
    expect(await isValidCsrf(victim.get("/"), form)).toBe(false);
    form.set("_csrf", victim.csrf);
    expect(await isValidCsrf(victim.get("/"), form)).toBe(true);
    // Two sessions of the same user have different tokens too.
    const second = await browserAs("victim");
    expect(second.csrf).not.toBe(victim.csrf);
  });

  it("a forged or unsigned pre-session cookie gives no valid token", async () => {
    const form = new FormData();
    form.set("_csrf", "x".repeat(43));
    expect(await isValidCsrf(new Request(BASE, { headers: { Cookie: `cds_presession=${"A".repeat(43)}` } }), form)).toBe(false);
    expect(await isValidCsrf(new Request(BASE), form)).toBe(false);
  });

  it("rotates at sign-in: the token issued before login is refused after it, the new one works", async () => {
    // The login page: an anonymous pre-session and its token.
    const page = await rootData(new Request(`${BASE}/login`));
    const setCookie = page.headers.get("Set-Cookie")!;
    expect(setCookie).toMatch(/^cds_presession=/);
    expect(setCookie).toMatch(/HttpOnly/i);
    let cookies = setCookie.split(";")[0];
    const before = page.data.csrf;

    const login = await run(
      loginRoute.action as never,
      new Request(`${BASE}/login`, {
        method: "POST",
        headers: { Cookie: cookies, "Content-Type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ _csrf: before, username: "victim", password: PASSWORD, redirectTo: "/quan-tri" }),
      }),
      {},
      { clientIp: "10.80.0.1" },
    );
    expect(login.status).toBe(302);
    const names = login.headers.getSetCookie().map((c) => c.split("=")[0]);
    expect(names).toEqual(["cds_session", "cds_device", "cds_presession"]);
    const oldPre = cookies;
    cookies = jar(login, cookies);
    expect(cookies).not.toContain(oldPre);

    // The page after sign-in gets the new token from the root data, with no cookie to set.
    const after = await rootData(new Request(`${BASE}/quan-tri`, { headers: { Cookie: cookies } }));
    expect(after.data.user?.username).toBe("victim");
    expect(after.headers.get("Set-Cookie")).toBeNull();
    expect(after.data.csrf).not.toBe(before);
    expect((await getCsrfToken(new Request(BASE, { headers: { Cookie: cookies } }))).token).toBe(after.data.csrf);

    const old = await run(logoutRoute.action as never, logoutWith(cookies, before));
    expect(old.status).toBe(403);
    // Nor does the old token work with the old pre-session cookie put back beside the new session.
    const session = cookies.split("; ").find((c) => c.startsWith("cds_session="))!;
    expect((await run(logoutRoute.action as never, logoutWith(`${session}; ${oldPre}`, before))).status).toBe(403);
    const fresh = await run(logoutRoute.action as never, logoutWith(cookies, after.data.csrf));
    expect(fresh.status).toBe(302);
  });
});

describe("the login refusal echoes the user name once, capped, and never the password", () => {
  const post = async (fields: Record<string, string>, ip: string) => {
    const b = await browserAs();
    return run(loginRoute.action as never, b.post("/login", fields), {}, { clientIp: ip });
  };

  it("a 5,000-character user name comes back cut to 100 characters, once", async () => {
    const name = "Ữ".repeat(5000);
    const res = await post({ username: name, password: "bi-mat-khong-hien", redirectTo: "/x".repeat(500), junk1: "j".repeat(3000), ["f".repeat(2000)]: "1" }, "10.81.0.1");
    expect(res.status).toBe(400);
    const text = await res.text();
    const body = JSON.parse(text) as { status: string; initialValue: Record<string, string>; error: Record<string, string[]> };
    expect(body.initialValue).toEqual({ username: "Ữ".repeat(100) });
    expect(body.error.username).toEqual(["Giá trị quá dài."]);
    expect(text.split("Ữ").length - 1).toBe(100);
    expect(text).not.toContain("bi-mat-khong-hien");
    expect(text).not.toContain("jjjj");
    expect(text).not.toContain("ffff");
    expect(text).not.toContain("/x/x");
    expect(text.length).toBeLessThan(1000);
  });

  it("a wrong password: 401 with the user name once and no password, no token", async () => {
    const res = await post({ username: "victim", password: "sai-mat-khau-nay" }, "10.81.0.2");
    expect(res.status).toBe(401);
    const text = await res.text();
    expect(JSON.parse(text)).toEqual({ status: "error", initialValue: { username: "victim" }, error: { "": ["Tên đăng nhập hoặc mật khẩu không đúng."] } });
    expect(text).not.toContain("sai-mat-khau-nay");
  });
});
