/** Accounts and sessions: scrypt hashes, no user enumeration, throttling, CSRF, cookies, expiry. */
import { describe, expect, it, beforeAll, afterEach } from "vitest";
import { eq } from "drizzle-orm";
import { useTestDatabase } from "../helpers/db";
import { browserAs, run } from "../helpers/http";
import { getDb } from "~/server/db/client.server";
import { sessions, users } from "~/server/db/schema.server";
import { hashPassword, verifyPassword } from "~/server/auth/password.server";
import { authenticate } from "~/server/auth/login.server";
import { getUser, requireUser, SESSION_IDLE_MS } from "~/server/auth/session.server";
import { THROTTLE } from "~/server/auth/throttle.server";
import { createUnit, createUser } from "~/server/services/org.server";
import * as loginRoute from "~/routes/login";
import * as logoutRoute from "~/routes/logout";

useTestDatabase("auth");

const PASSWORD = "dung-mat-khau-123";

beforeAll(async () => {
  const unit = createUnit({ kind: "province", code: "P", name: "Sở", parentId: null }, null);
  await createUser({ username: "hanh", displayName: "Hạnh", password: PASSWORD, roles: ["office_admin"], unitId: unit }, null);
  await createUser({ username: "khoa", displayName: "Khoa", password: PASSWORD, roles: ["office_reviewer"], unitId: unit }, null);
  await createUser({ username: "locked.test", displayName: "L", password: PASSWORD, roles: ["office_reviewer"], unitId: unit }, null);
});

describe("passwords", () => {
  it("are stored as salted scrypt hashes, never in clear", async () => {
    const row = getDb().select().from(users).where(eq(users.username, "hanh")).get()!;
    expect(row.passwordHash).toMatch(/^scrypt\$16384\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    expect(row.passwordHash).not.toContain(PASSWORD);
    const again = await hashPassword(PASSWORD);
    expect(again).not.toBe(row.passwordHash); // fresh salt
    expect(await verifyPassword(PASSWORD, row.passwordHash)).toBe(true);
    expect(await verifyPassword(PASSWORD + "x", row.passwordHash)).toBe(false);
    expect(await verifyPassword(PASSWORD, "garbage")).toBe(false);
  });
});

describe("authenticate", () => {
  it("accepts the right password, refuses others with one indistinct reason", async () => {
    expect(await authenticate("hanh", PASSWORD, "10.0.0.1")).toMatchObject({ ok: true });
    expect(await authenticate("  HANH ", PASSWORD, "10.0.0.1")).toMatchObject({ ok: true });
    expect(await authenticate("hanh", "sai", "10.0.0.1")).toEqual({ ok: false, reason: "invalid" });
    expect(await authenticate("khong-ton-tai", "sai", "10.0.0.1")).toEqual({ ok: false, reason: "invalid" });
  });

  it("slows a user name down after repeated failures from one address, known or not, and reports the wait", async () => {
    const t0 = Date.now();
    const free = THROTTLE.accountAddress.free;
    for (const name of ["locked.test", "ghost.user"]) {
      const results = [];
      for (let i = 0; i < free; i++) results.push(await authenticate(name, "sai", "10.0.1.1", t0));
      expect(results.every((r) => !r.ok && r.reason === "invalid")).toBe(true);
      // The next attempt from that address waits the first delay, even with the right password.
      const during = await authenticate(name, PASSWORD, "10.0.1.1", t0);
      expect(during).toEqual({ ok: false, reason: "throttled", retryAfterMs: THROTTLE.accountAddress.baseMs });
    }
    // Once the delay is over, the right password works again.
    expect(await authenticate("locked.test", PASSWORD, "10.0.1.1", t0 + THROTTLE.accountAddress.baseMs)).toMatchObject({ ok: true });
  });

  it("slows an address that tries many user names, but never for more than a minute", async () => {
    const t0 = Date.now();
    for (let i = 0; i < THROTTLE.address.free + 10; i++) await authenticate(`spray${i}`, "sai", "10.9.9.9", t0 + i * 61_000);
    const last = t0 + (THROTTLE.address.free + 9) * 61_000;
    const r = await authenticate("khoa", PASSWORD, "10.9.9.9", last);
    expect(r).toEqual({ ok: false, reason: "throttled", retryAfterMs: 60_000 });
    expect(await authenticate("khoa", PASSWORD, "10.9.9.9", last + 60_000)).toMatchObject({ ok: true });
  });
});

describe("the /login route", () => {
  it("refuses a post without the CSRF token and signs nobody in", async () => {
    const b = await browserAs();
    const res = await run(loginRoute.action as never, b.post("/login", { username: "hanh", password: PASSWORD }, { csrf: null }), {}, { clientIp: "10.1.0.1" });
    expect(res.status).toBe(403);
    expect(res.headers.get("Set-Cookie")).toBeNull();
    expect(JSON.stringify(await res.json())).toContain("Phiên biểu mẫu đã hết hạn");
  });

  it("signs in with an httpOnly SameSite session cookie and redirects", async () => {
    const b = await browserAs();
    const res = await run(loginRoute.action as never, b.post("/login", { username: "hanh", password: PASSWORD, redirectTo: "/quan-tri/truong" }), {}, { clientIp: "10.1.0.2" });
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe("/quan-tri/truong");
    const cookie = res.headers.get("Set-Cookie")!;
    expect(cookie).toMatch(/^cds_session=/);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    const user = await getUser(new Request("http://localhost/", { headers: { Cookie: `${cookie.split(";")[0]}` } }));
    expect(user?.username).toBe("hanh");
  });

  it("never redirects off-site after login", async () => {
    const b = await browserAs();
    const res = await run(loginRoute.action as never, b.post("/login", { username: "hanh", password: PASSWORD, redirectTo: "//evil.example/x" }), {}, { clientIp: "10.1.0.3" });
    expect(res.headers.get("Location")).toBe("/");
  });

  it("says the same thing for a wrong password and an unknown user", async () => {
    const b = await browserAs();
    const wrong = await run(loginRoute.action as never, b.post("/login", { username: "khoa", password: "sai-roi" }), {}, { clientIp: "10.1.0.4" });
    const unknown = await run(loginRoute.action as never, b.post("/login", { username: "nobody", password: "sai-roi" }), {}, { clientIp: "10.1.0.5" });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    const a = (await wrong.json()) as { error?: Record<string, string[]> };
    const c = (await unknown.json()) as { error?: Record<string, string[]> };
    expect(a.error?.[""]).toEqual(["Tên đăng nhập hoặc mật khẩu không đúng."]);
    expect(c.error?.[""]).toEqual(a.error?.[""]);
  });

  it("shows field errors in Vietnamese for empty fields", async () => {
    const b = await browserAs();
    const res = await run(loginRoute.action as never, b.post("/login", { username: "", password: "" }), {}, { clientIp: "10.1.0.6" });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error?: Record<string, string[]> };
    expect(body.error?.username).toEqual(["Vui lòng nhập tên đăng nhập."]);
    expect(body.error?.password).toEqual(["Vui lòng nhập mật khẩu."]);
  });

  it("answers 429 with the wait (and Retry-After) once a name is throttled", async () => {
    const b = await browserAs();
    let res: Response | undefined;
    for (let i = 0; i <= THROTTLE.accountAddress.free; i++) {
      res = await run(loginRoute.action as never, b.post("/login", { username: "throttled.name", password: "sai" }), {}, { clientIp: "10.2.0.1" });
    }
    expect(res!.status).toBe(429);
    expect(Number(res!.headers.get("Retry-After"))).toBeGreaterThanOrEqual(1);
    expect(Number(res!.headers.get("Retry-After"))).toBeLessThanOrEqual(2);
    expect(JSON.stringify(await res!.json())).toMatch(/Đăng nhập sai quá nhiều lần\. Vui lòng thử lại sau [12] giây\./);
  });
});

describe("sessions", () => {
  const prevEnv = process.env.NODE_ENV;
  afterEach(() => {
    process.env.NODE_ENV = prevEnv;
  });

  it("are Secure in production", async () => {
    process.env.NODE_ENV = "production";
    const b = await browserAs();
    const res = await run(loginRoute.action as never, b.post("/login", { username: "hanh", password: PASSWORD }), {}, { clientIp: "10.3.0.1" });
    expect(res.headers.get("Set-Cookie")).toMatch(/; Secure/i);
  });

  it("expire after the idle lifetime and send the user back to log in", async () => {
    const b = await browserAs("hanh");
    const req = b.get("/quan-tri/truong?page=2");
    expect((await getUser(req))?.username).toBe("hanh");
    expect(await getUser(req, Date.now() + SESSION_IDLE_MS + 1000)).toBeNull();
    // The expired row is removed; requireUser now redirects with the way back.
    try {
      await requireUser(req);
      expect.unreachable();
    } catch (e) {
      const res = e as Response;
      expect(res.status).toBe(302);
      expect(res.headers.get("Location")).toBe("/login?redirectTo=%2Fquan-tri%2Ftruong%3Fpage%3D2&expired=1");
    }
  });

  it("log out ends the session on the server, and logout needs the CSRF token", async () => {
    const b = await browserAs("khoa");
    const refused = await run(logoutRoute.action as never, b.post("/logout", {}, { csrf: "forged" }));
    expect(refused.status).toBe(403);
    expect((await getUser(b.get("/")))?.username).toBe("khoa");
    const before = getDb().select().from(sessions).all().length;
    const res = await run(logoutRoute.action as never, b.post("/logout", {}));
    expect(res.status).toBe(302);
    expect(res.headers.get("Set-Cookie")).toMatch(/cds_session=;.*Max-Age=0/);
    expect(await getUser(b.get("/"))).toBeNull();
    expect(getDb().select().from(sessions).all().length).toBe(before - 1);
  });

  it("a deactivated user's session no longer works", async () => {
    const b = await browserAs("khoa");
    getDb().update(users).set({ active: false }).where(eq(users.username, "khoa")).run();
    expect(await getUser(b.get("/"))).toBeNull();
    getDb().update(users).set({ active: true }).where(eq(users.username, "khoa")).run();
  });
});
