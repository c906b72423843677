/**
 * Accounts (section 5): changing one's own password, the forced change after an admin set the
 * password, and the last sign-in shown to admins.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { desc, eq } from "drizzle-orm";
import { useTestDatabase } from "../helpers/db";
import { browserAs, run } from "../helpers/http";
import { getDb } from "~/server/db/client.server";
import { auditLog, sessions, users } from "~/server/db/schema.server";
import { verifyPassword } from "~/server/auth/password.server";
import { getUser, requireUser } from "~/server/auth/session.server";
import { createSchool, createUnit, createUser, getUserDetail, resetUserPassword } from "~/server/services/org.server";
import { seedDemoData } from "~/server/demo/seed.server";
import * as loginRoute from "~/routes/login";
import * as logoutRoute from "~/routes/logout";
import * as passwordRoute from "~/routes/tai-khoan.mat-khau";
import * as usersList from "~/routes/quan-tri.nguoi-dung._index";
import * as userDetail from "~/routes/quan-tri.nguoi-dung.$id";
import * as usersNew from "~/routes/quan-tri.nguoi-dung.moi";
import * as saveRoute from "~/routes/danh-gia.$id.luu";

useTestDatabase("auth-accounts");

const PW = "mat-khau-ban-dau-1";
const NEW_PW = "mat-khau-moi-cua-toi";
let unit = 0;
let school = 0;
let adminId = 0;

const row = (username: string) => getDb().select().from(users).where(eq(users.username, username)).get()!;
const lastAudit = (action: string) => getDb().select().from(auditLog).where(eq(auditLog.action, action)).orderBy(desc(auditLog.id)).get();

beforeAll(async () => {
  unit = createUnit({ kind: "province", code: "P", name: "Sở", parentId: null }, null);
  school = createSchool({ code: "T1", name: "Trường Một", type: "TH", managingUnitId: unit, reviewingUnitId: unit }, null);
  adminId = await createUser({ username: "quantri.so", displayName: "Quản trị Sở", password: PW, roles: ["office_admin"], unitId: unit }, null);
  await createUser({ username: "tu.doi", displayName: "Tự đổi", password: PW, roles: ["school_staff"], schoolId: school }, null);
});

const changePost = (b: Awaited<ReturnType<typeof browserAs>>, fields: Record<string, string>, opts?: { csrf?: string | null }) =>
  run(passwordRoute.action as never, b.post("/tai-khoan/mat-khau", fields, opts), {}, { clientIp: "10.90.0.1" });

describe("changing one's own password", () => {
  it("checks the fields in Vietnamese and needs the CSRF token", async () => {
    const b = await browserAs("tu.doi");
    const forged = await changePost(b, { currentPassword: PW, newPassword: NEW_PW, confirmPassword: NEW_PW }, { csrf: "forged" });
    expect(forged.status).toBe(403);
    const cases: [Record<string, string>, string, string][] = [
      [{ currentPassword: "", newPassword: NEW_PW, confirmPassword: NEW_PW }, "currentPassword", "Vui lòng nhập mật khẩu hiện tại."],
      [{ currentPassword: PW, newPassword: "ngan", confirmPassword: "ngan" }, "newPassword", "Mật khẩu mới cần ít nhất 10 ký tự."],
      [{ currentPassword: PW, newPassword: NEW_PW, confirmPassword: NEW_PW + "x" }, "confirmPassword", "Mật khẩu nhập lại không khớp."],
      [{ currentPassword: PW, newPassword: NEW_PW, confirmPassword: "" }, "confirmPassword", "Vui lòng nhập lại mật khẩu mới."],
      [{ currentPassword: "khong-phai-mat-khau", newPassword: NEW_PW, confirmPassword: NEW_PW }, "currentPassword", "Mật khẩu hiện tại không đúng."],
      [{ currentPassword: PW, newPassword: PW, confirmPassword: PW }, "newPassword", "Mật khẩu mới phải khác mật khẩu hiện tại."],
    ];
    for (const [fields, field, message] of cases) {
      const res = await changePost(b, fields);
      expect(res.status, message).toBe(400);
      const text = await res.text();
      expect((JSON.parse(text) as { error: Record<string, string[]> }).error[field]).toEqual([message]);
      // Passwords are never echoed.
      expect(text).not.toContain(PW);
      expect(text).not.toContain(NEW_PW);
    }
    expect(await verifyPassword(PW, row("tu.doi").passwordHash)).toBe(true);
  });

  it("changes the hash, audits it, ends the other sessions and keeps this one", async () => {
    const here = await browserAs("tu.doi");
    const elsewhere = await browserAs("tu.doi");
    const other = await browserAs("quantri.so");
    const res = await changePost(here, { currentPassword: PW, newPassword: NEW_PW, confirmPassword: NEW_PW, redirectTo: "/" });
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe("/tai-khoan/mat-khau?doi=1");
    const u = row("tu.doi");
    expect(await verifyPassword(NEW_PW, u.passwordHash)).toBe(true);
    expect(await verifyPassword(PW, u.passwordHash)).toBe(false);
    expect(u.mustChangePassword).toBe(false);
    expect((await getUser(here.get("/")))?.username).toBe("tu.doi");
    expect(await getUser(elsewhere.get("/"))).toBeNull();
    expect((await getUser(other.get("/")))?.username).toBe("quantri.so");
    expect(getDb().select().from(sessions).where(eq(sessions.userId, u.id)).all()).toHaveLength(1);
    const audit = lastAudit("user.password_change")!;
    expect(audit).toMatchObject({ actorId: u.id, entityType: "user", entityId: String(u.id), schoolId: school });
    // "elsewhere" and the session of the previous test.
    expect(audit.details).toEqual({ wasRequired: false, otherSessionsEnded: 2 });
    expect(JSON.stringify(audit.details)).not.toContain(NEW_PW);
  });

  it("the page needs a session", async () => {
    const anon = await browserAs();
    const res = await run(passwordRoute.loader as never, anon.get("/tai-khoan/mat-khau"));
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe("/login?redirectTo=%2Ftai-khoan%2Fmat-khau");
  });
});

describe("a password set by an admin must be changed at first sign-in", () => {
  it("an account created by an admin, and a reset, set the flag; demo accounts are not forced", async () => {
    const admin = await browserAs("quantri.so");
    const res = await run(
      usersNew.action as never,
      admin.post("/quan-tri/nguoi-dung/moi", { username: "gv.moi", displayName: "Giáo viên mới", password: PW, roles: "school_staff", schoolCode: "T1" }),
    );
    expect(res.status).toBe(302);
    expect(row("gv.moi").mustChangePassword).toBe(true);
    expect(lastAudit("user.create")!.details).toMatchObject({ username: "gv.moi", mustChangePassword: true });

    await resetUserPassword(row("tu.doi").id, "dat-lai-boi-admin", adminId);
    expect(row("tu.doi").mustChangePassword).toBe(true);
    expect(lastAudit("user.password_reset")).toMatchObject({ actorId: adminId, details: { mustChangePassword: true } });
    // Accounts made by the system (no acting admin) are not forced.
    expect(row("quantri.so").mustChangePassword).toBe(false);
  });

  it("sign-in leads to the change page; every page redirects there, JSON gets 403; logout still works", async () => {
    const anon = await browserAs();
    const login = await run(loginRoute.action as never, anon.post("/login", { username: "gv.moi", password: PW, redirectTo: "/danh-gia" }), {}, { clientIp: "10.91.0.1" });
    expect(login.status).toBe(302);
    expect(login.headers.get("Location")).toBe("/tai-khoan/mat-khau?redirectTo=%2Fdanh-gia");
    expect(row("gv.moi").lastLoginAt).toBeInstanceOf(Date);

    const b = await browserAs("gv.moi");
    for (const path of ["/", "/danh-gia?trang=2", "/quan-tri/nguoi-dung", "/login"]) {
      try {
        await requireUser(b.get(path));
        expect.unreachable(path);
      } catch (e) {
        const r = e as Response;
        expect(r.status, path).toBe(302);
        expect(r.headers.get("Location"), path).toBe(`/tai-khoan/mat-khau?redirectTo=${encodeURIComponent(path === "/login" ? "/" : path)}`);
      }
    }
    // The login page's own loader sends them there too.
    const loginPage = await run(loginRoute.loader as never, b.get("/login"));
    expect(loginPage.headers.get("Location")).toBe("/tai-khoan/mat-khau?redirectTo=%2F");
    // A JSON endpoint answers 403 with a clear kind, before anything is saved.
    const save = await run(saveRoute.action as never, b.post("/danh-gia/1/luu", { payload: "{}" }), { id: "1" });
    expect(save.status).toBe(403);
    expect(await save.json()).toMatchObject({ ok: false, kind: "password-change-required", message: "Bạn cần đổi mật khẩu do quản trị cấp trước khi tiếp tục." });
    // The change page itself and logout are reachable.
    const page = await run(passwordRoute.loader as never, b.get("/tai-khoan/mat-khau?redirectTo=%2Fdanh-gia"));
    expect(page.status).toBe(200);
    expect(await page.json()).toEqual({ mustChange: true, redirectTo: "/danh-gia", changed: false });
    const b2 = await browserAs("gv.moi");
    expect((await run(logoutRoute.action as never, b2.post("/logout", {}))).status).toBe(302);

    // After the change: back to where they were going, and pages work again.
    const done = await changePost(b, { currentPassword: PW, newPassword: NEW_PW, confirmPassword: NEW_PW, redirectTo: "/danh-gia" });
    expect(done.status).toBe(302);
    expect(done.headers.get("Location")).toBe("/danh-gia");
    expect(row("gv.moi").mustChangePassword).toBe(false);
    expect(lastAudit("user.password_change")!.details).toMatchObject({ wasRequired: true });
    expect((await requireUser(b.get("/danh-gia"))).username).toBe("gv.moi");
  });

  it("the demo accounts are not forced to change", async () => {
    const db = getDb();
    const before = db.select({ id: users.id }).from(users).all().length;
    await seedDemoData(db);
    const demo = db.select().from(users).all().slice(before);
    expect(demo.map((u) => u.username)).toEqual(expect.arrayContaining(["so.demo", "admin", "phong.demo", "truong.th1", "giaovien.th1"]));
    expect(demo.every((u) => !u.mustChangePassword)).toBe(true);
  });
});

describe("the admin sees each account's last sign-in", () => {
  it("in the users list and the user detail, with the must-change flag", async () => {
    const at = Date.UTC(2026, 10, 23, 1, 30); // 08:30 in Hà Nội
    getDb().update(users).set({ lastLoginAt: new Date(at) }).where(eq(users.username, "tu.doi")).run();
    const admin = await browserAs("quantri.so");
    const list = await run(usersList.loader as never, admin.get("/quan-tri/nguoi-dung"));
    const body = (await list.json()) as { list: { rows: { username: string; lastLoginAt: string | null; mustChangePassword: boolean }[] } };
    const tu = body.list.rows.find((r) => r.username === "tu.doi")!;
    expect(new Date(tu.lastLoginAt!).getTime()).toBe(at);
    expect(tu.mustChangePassword).toBe(true);
    expect(body.list.rows.find((r) => r.username === "quantri.so")!.lastLoginAt).toBeNull();

    const id = row("tu.doi").id;
    const detail = await run(userDetail.loader as never, admin.get(`/quan-tri/nguoi-dung/${id}`), { id: String(id) });
    const d = (await detail.json()) as { account: { lastLoginAt: string; mustChangePassword: boolean } };
    expect(new Date(d.account.lastLoginAt).getTime()).toBe(at);
    expect(d.account.mustChangePassword).toBe(true);
    expect(getUserDetail(id)?.mustChangePassword).toBe(true);
  });
});

describe("the flag is enforced against the database, not the session", () => {
  it("a flag set while a session is open redirects that session at its next request, and clearing it lets it through", async () => {
    const b = await browserAs("quantri.so");
    getDb().update(users).set({ mustChangePassword: true }).where(eq(users.username, "quantri.so")).run();
    await expect(requireUser(b.get("/"))).rejects.toBeInstanceOf(Response);
    getDb().update(users).set({ mustChangePassword: false }).where(eq(users.username, "quantri.so")).run();
    expect((await requireUser(b.get("/"))).username).toBe("quantri.so");
  });
});
