/**
 * The admin screens through their loaders and actions, on a real SQLite file holding two provinces:
 * an office admin of A can neither list, read nor change anything of B (not even by editing ids in
 * URLs or in form posts), a reviewer only lists, school users are refused everywhere, a system
 * admin may do everything. Plus the lists' search, sorting and paging, and bad input as 4xx.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { useTestDatabase } from "../helpers/db";
import { browserAs, run } from "../helpers/http";
import { countRows, getDb } from "~/server/db/client.server";
import { auditLog, schools, sessions, units, userRoles, users } from "~/server/db/schema.server";
import { loadUser, type CurrentUser } from "~/server/auth/session.server";
import { createSchool, createUnit, createUser, listSchools } from "~/server/services/org.server";
import { viCollator } from "~/utils/text";
import * as unitsIndex from "~/routes/quan-tri.don-vi._index";
import * as unitNew from "~/routes/quan-tri.don-vi.moi";
import * as unitEdit from "~/routes/quan-tri.don-vi.$id";
import * as schoolsIndex from "~/routes/quan-tri.truong._index";
import * as schoolNew from "~/routes/quan-tri.truong.moi";
import * as schoolEdit from "~/routes/quan-tri.truong.$id";
import * as schoolImport from "~/routes/quan-tri.truong.nhap";
import * as usersIndex from "~/routes/quan-tri.nguoi-dung._index";
import * as userNew from "~/routes/quan-tri.nguoi-dung.moi";
import * as userEdit from "~/routes/quan-tri.nguoi-dung.$id";

useTestDatabase("admin-scope");

const pw = "mat-khau-kiem-thu";
const id: Record<string, number> = {};
const u: Record<string, CurrentUser> = {};

beforeAll(async () => {
  id.M = createUnit({ kind: "ministry", code: "M", name: "Bộ", parentId: null }, null);
  id.A = createUnit({ kind: "province", code: "A", name: "Sở Đông Sơn", parentId: id.M }, null);
  id.A1 = createUnit({ kind: "district", code: "A1", name: "Phòng Đông Hưng", parentId: id.A }, null);
  id.B = createUnit({ kind: "province", code: "B", name: "Sở Tây Sơn", parentId: id.M }, null);
  id.sA1 = createSchool({ code: "SA1", name: "Trường Tiểu học Đông Sơn", type: "TH", managingUnitId: id.A1, reviewingUnitId: id.A1 }, null);
  id.sA = createSchool({ code: "SA", name: "Trường THPT Âu Cơ", type: "THPT", managingUnitId: id.A, reviewingUnitId: id.A }, null);
  id.sB = createSchool({ code: "SB", name: "Trường Tiểu học Tây Sơn", type: "TH", managingUnitId: id.B, reviewingUnitId: id.B }, null);
  const mk = async (username: string, roles: CurrentUser["roles"], scope: { unitId?: number; schoolId?: number } = {}) => {
    id[username] = await createUser({ username, displayName: username, password: pw, roles, ...scope }, null);
    u[username] = loadUser(id[username])!;
  };
  await mk("sys", ["system_admin"]);
  await mk("sys.in.a", ["system_admin"], { unitId: id.A });
  await mk("admin.a", ["office_admin"], { unitId: id.A });
  await mk("rev.a", ["office_reviewer"], { unitId: id.A });
  await mk("rev.a1", ["office_reviewer"], { unitId: id.A1 });
  await mk("admin.b", ["office_admin"], { unitId: id.B });
  await mk("head.a1", ["school_head"], { schoolId: id.sA1 });
  await mk("staff.b", ["school_staff"], { schoolId: id.sB });
});

const get = async (username: string, mod: { loader: Parameters<typeof run>[0] }, path: string, params: Record<string, string> = {}) =>
  run(mod.loader, (await browserAs(username)).get(path), params);
const post = async (username: string, mod: { action: Parameters<typeof run>[0] }, path: string, fields: Record<string, string | string[]>, params: Record<string, string> = {}) =>
  run(mod.action, (await browserAs(username)).post(path, fields), params);

function state() {
  return {
    schools: getDb().select().from(schools).all(),
    units: getDb().select().from(units).all(),
    users: getDb().select().from(users).all(),
    roles: getDb().select().from(userRoles).all(),
    audit: countRows(auditLog),
  };
}

const schoolFields = (over: Record<string, string> = {}) => ({
  code: "NEW1",
  name: "Trường Tiểu học Mới",
  type: "TH",
  managingUnitId: String(id.A1),
  reviewingUnitId: String(id.A1),
  ...over,
});

describe("office admin of A", () => {
  it("lists only A's schools, units and users, even when searching for B's", async () => {
    const s = await (await get("admin.a", schoolsIndex, "/quan-tri/truong")).json();
    expect(s.list.rows.map((r: { code: string }) => r.code).sort()).toEqual(["SA", "SA1"]);
    const sB = await (await get("admin.a", schoolsIndex, "/quan-tri/truong?q=SB")).json();
    expect(sB.list.total).toBe(0);
    const un = await (await get("admin.a", unitsIndex, "/quan-tri/don-vi")).json();
    expect(un.list.rows.map((r: { code: string }) => r.code).sort()).toEqual(["A", "A1"]);
    const us = await (await get("admin.a", usersIndex, "/quan-tri/nguoi-dung?q=b")).json();
    expect(us.list.rows.map((r: { username: string }) => r.username)).toEqual([]);
    const all = await (await get("admin.a", usersIndex, "/quan-tri/nguoi-dung")).json();
    expect(all.list.rows.map((r: { username: string }) => r.username).sort()).toEqual(["admin.a", "head.a1", "rev.a", "rev.a1", "sys.in.a"]);
    // A system admin placed in A is listed, but cannot be managed by an office admin.
    expect(all.list.rows.find((r: { username: string }) => r.username === "sys.in.a").canManage).toBe(false);
    // Filtering by B's unit is a bad filter, not a way in.
    expect((await get("admin.a", schoolsIndex, `/quan-tri/truong?unit=${id.B}`)).status).toBe(400);
  });

  it("cannot open B's school, unit or user by editing the id in the URL", async () => {
    expect((await get("admin.a", schoolEdit, `/quan-tri/truong/${id.sB}`, { id: String(id.sB) })).status).toBe(403);
    expect((await get("admin.a", unitEdit, `/quan-tri/don-vi/${id.B}`, { id: String(id.B) })).status).toBe(403);
    expect((await get("admin.a", userEdit, `/quan-tri/nguoi-dung/${id["admin.b"]}`, { id: String(id["admin.b"]) })).status).toBe(403);
    expect((await get("admin.a", userEdit, `/quan-tri/nguoi-dung/${id["staff.b"]}`, { id: String(id["staff.b"]) })).status).toBe(403);
    // A's own are fine. The admin's own unit is not editable by it (policy: units below only).
    expect((await get("admin.a", schoolEdit, `/quan-tri/truong/${id.sA1}`, { id: String(id.sA1) })).status).toBe(200);
    expect((await get("admin.a", unitEdit, `/quan-tri/don-vi/${id.A1}`, { id: String(id.A1) })).status).toBe(200);
    expect((await get("admin.a", unitEdit, `/quan-tri/don-vi/${id.A}`, { id: String(id.A) })).status).toBe(403);
  });

  it("cannot create or move things into B by editing ids in form posts; nothing is written", async () => {
    const before = state();
    const tries = [
      post("admin.a", schoolNew, "/quan-tri/truong/moi", schoolFields({ managingUnitId: String(id.B) })),
      post("admin.a", schoolNew, "/quan-tri/truong/moi", schoolFields({ reviewingUnitId: String(id.B) })),
      post("admin.a", schoolEdit, `/quan-tri/truong/${id.sA1}`, schoolFields({ code: "SA1", managingUnitId: String(id.B) }), { id: String(id.sA1) }),
      post("admin.a", schoolEdit, `/quan-tri/truong/${id.sB}`, schoolFields({ code: "SB", name: "Đổi tên" }), { id: String(id.sB) }),
      post("admin.a", unitNew, "/quan-tri/don-vi/moi", { kind: "district", code: "BX", name: "Phòng B", parentId: String(id.B) }),
      post("admin.a", unitEdit, `/quan-tri/don-vi/${id.A1}`, { kind: "district", code: "A1", name: "Phòng A1", parentId: String(id.B) }, { id: String(id.A1) }),
      post("admin.a", unitEdit, `/quan-tri/don-vi/${id.B}`, { kind: "province", code: "B", name: "Sở B đổi", parentId: String(id.M) }, { id: String(id.B) }),
      post("admin.a", userNew, "/quan-tri/nguoi-dung/moi", { username: "x.b", displayName: "X", roles: "office_reviewer", unitId: String(id.B), password: "mot-mat-khau-dai" }),
      post("admin.a", userNew, "/quan-tri/nguoi-dung/moi", { username: "x.sys", displayName: "X", roles: "system_admin", password: "mot-mat-khau-dai" }),
      post("admin.a", userEdit, `/quan-tri/nguoi-dung/${id["rev.a"]}`, { intent: "profile", displayName: "rev.a", roles: "office_reviewer", unitId: String(id.B), active: "on" }, { id: String(id["rev.a"]) }),
      post("admin.a", userEdit, `/quan-tri/nguoi-dung/${id["rev.a"]}`, { intent: "profile", displayName: "rev.a", roles: ["office_reviewer", "system_admin"], unitId: String(id.A), active: "on" }, { id: String(id["rev.a"]) }),
      post("admin.a", userEdit, `/quan-tri/nguoi-dung/${id["admin.b"]}`, { intent: "password", password: "mot-mat-khau-moi" }, { id: String(id["admin.b"]) }),
      post("admin.a", userEdit, `/quan-tri/nguoi-dung/${id["sys.in.a"]}`, { intent: "password", password: "mot-mat-khau-moi" }, { id: String(id["sys.in.a"]) }),
    ];
    for (const res of await Promise.all(tries)) {
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
    }
    // A school of B typed by code is a field error, not a leak.
    const bySchoolCode = await post("admin.a", userNew, "/quan-tri/nguoi-dung/moi", { username: "x.sb", displayName: "X", roles: "school_staff", schoolCode: "SB", password: "mot-mat-khau-dai" });
    expect(bySchoolCode.status).toBe(400);
    expect((await bySchoolCode.json()).error.schoolCode[0]).toMatch(/Không tìm thấy trường/);
    expect(state()).toEqual(before);
  });

  it("creates and edits within A", async () => {
    const created = await post("admin.a", schoolNew, "/quan-tri/truong/moi", schoolFields());
    expect(created.status).toBe(302);
    const school = getDb().select().from(schools).where(eq(schools.code, "NEW1")).get()!;
    expect(created.headers.get("Location")).toBe(`/quan-tri/truong/${school.id}?saved=created`);
    expect(school.reviewingUnitId).toBe(id.A1);
    // The reviewing office is set per school, any unit in scope.
    const edited = await post("admin.a", schoolEdit, `/quan-tri/truong/${school.id}`, schoolFields({ type: "THCS", reviewingUnitId: String(id.A), active: "on" }), {
      id: String(school.id),
    });
    expect(edited.status).toBe(302);
    expect(getDb().select().from(schools).where(eq(schools.id, school.id)).get()).toMatchObject({ type: "THCS", reviewingUnitId: id.A, active: true });

    const unit = await post("admin.a", unitNew, "/quan-tri/don-vi/moi", { kind: "commune", code: "A9", name: "Xã Hoà Phú", parentId: String(id.A) });
    expect(unit.status).toBe(302);
    const user = await post("admin.a", userNew, "/quan-tri/nguoi-dung/moi", {
      username: "Head.New",
      displayName: "Hiệu trưởng Mới",
      roles: "school_head",
      schoolCode: "NEW1",
      password: "mot-mat-khau-dai",
    });
    expect(user.status).toBe(302);
    const row = getDb().select().from(users).where(eq(users.username, "head.new")).get()!;
    expect(row).toMatchObject({ schoolId: school.id, unitId: null });
    expect(row.passwordHash).toMatch(/^scrypt\$/);
  });

  it("gets a field error, not a 500, for a duplicate code or user name", async () => {
    const dup = await post("admin.a", schoolNew, "/quan-tri/truong/moi", schoolFields({ code: "SA1" }));
    expect(dup.status).toBe(400);
    expect((await dup.json()).error).toEqual({ code: ["Mã trường đã tồn tại."] });
    const dupUnit = await post("admin.a", unitNew, "/quan-tri/don-vi/moi", { kind: "district", code: "A1", name: "Phòng", parentId: String(id.A) });
    expect((await dupUnit.json()).error).toEqual({ code: ["Mã đơn vị đã tồn tại."] });
    const dupUser = await post("admin.a", userNew, "/quan-tri/nguoi-dung/moi", { username: "rev.a", displayName: "X", roles: "office_reviewer", unitId: String(id.A), password: "mot-mat-khau-dai" });
    expect((await dupUser.json()).error).toEqual({ username: ["Tên đăng nhập đã tồn tại."] });
    const short = await post("admin.a", userNew, "/quan-tri/nguoi-dung/moi", { username: "short.pw", displayName: "X", roles: "office_reviewer", unitId: String(id.A), password: "ngan" });
    expect((await short.json()).error.password).toEqual(["Mật khẩu cần ít nhất 10 ký tự."]);
  });

  it("deactivating a user ends their sessions; resetting a password too", async () => {
    const victim = await browserAs("rev.a1");
    expect(countRows(sessions, eq(sessions.userId, id["rev.a1"]))).toBeGreaterThan(0);
    const res = await post(
      "admin.a",
      userEdit,
      `/quan-tri/nguoi-dung/${id["rev.a1"]}`,
      { intent: "profile", displayName: "rev.a1", roles: "office_reviewer", unitId: String(id.A1) },
      { id: String(id["rev.a1"]) },
    );
    expect(res.status).toBe(302);
    expect(getDb().select().from(users).where(eq(users.id, id["rev.a1"])).get()!.active).toBe(false);
    expect(countRows(sessions, eq(sessions.userId, id["rev.a1"]))).toBe(0);
    const after = await run(schoolsIndex.loader, victim.get("/quan-tri/truong"));
    expect(after.status).toBe(302);
    expect(after.headers.get("Location")).toMatch(/^\/login/);

    await browserAs("rev.a");
    const reset = await post("admin.a", userEdit, `/quan-tri/nguoi-dung/${id["rev.a"]}`, { intent: "password", password: "mot-mat-khau-moi" }, { id: String(id["rev.a"]) });
    expect(reset.status).toBe(302);
    expect(countRows(sessions, eq(sessions.userId, id["rev.a"]))).toBe(0);
    // The reset password must be changed at the next sign-in; rev.a does so before the next tests.
    expect(getDb().select().from(users).where(eq(users.id, id["rev.a"])).get()!.mustChangePassword).toBe(true);
    getDb().update(users).set({ mustChangePassword: false }).where(eq(users.id, id["rev.a"])).run();
  });

  it("cannot lock itself out: its own and its peers' admin accounts are managed from above", async () => {
    const res = await post("admin.a", userEdit, `/quan-tri/nguoi-dung/${id["admin.a"]}`, { intent: "profile", displayName: "admin.a", roles: "office_admin", unitId: String(id.A) }, { id: String(id["admin.a"]) });
    expect(res.status).toBe(403);
    expect(loadUser(id["admin.a"])?.roles).toEqual(["office_admin"]);
    expect(loadUser(id["admin.a"])?.displayName).toBe("admin.a");
    // A second admin of the same unit cannot take over the first (e.g. by resetting its password).
    const peer = await createUser({ username: "admin.a2", displayName: "Admin A2", password: pw, roles: ["office_admin"], unitId: id.A }, null);
    const takeover = await post("admin.a2", userEdit, `/quan-tri/nguoi-dung/${id["admin.a"]}`, { intent: "profile", displayName: "Bị chiếm", roles: "office_reviewer", unitId: String(id.A) }, { id: String(id["admin.a"]) });
    expect(takeover.status).toBe(403);
    expect(loadUser(id["admin.a"])?.roles).toEqual(["office_admin"]);
    expect(loadUser(peer)?.roles).toEqual(["office_admin"]);
  });
});

describe("office reviewer", () => {
  it("lists the schools it can read, read-only", async () => {
    const res = await get("rev.a", schoolsIndex, "/quan-tri/truong");
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.canManage).toBe(false);
    expect(body.list.rows.every((r: { canManage: boolean }) => !r.canManage)).toBe(true);
    const detail = await (await get("rev.a", schoolEdit, `/quan-tri/truong/${id.sA1}`, { id: String(id.sA1) })).json();
    expect(detail.canManage).toBe(false);
  });

  it("cannot create or edit anything", async () => {
    const before = state();
    expect((await get("rev.a", schoolNew, "/quan-tri/truong/moi")).status).toBe(403);
    expect((await get("rev.a", unitsIndex, "/quan-tri/don-vi")).status).toBe(403);
    expect((await get("rev.a", usersIndex, "/quan-tri/nguoi-dung")).status).toBe(403);
    expect((await post("rev.a", schoolNew, "/quan-tri/truong/moi", schoolFields({ code: "REV1" }))).status).toBe(403);
    expect((await post("rev.a", schoolEdit, `/quan-tri/truong/${id.sA1}`, schoolFields({ code: "SA1", name: "Đổi" }), { id: String(id.sA1) })).status).toBe(403);
    expect((await post("rev.a", unitNew, "/quan-tri/don-vi/moi", { kind: "district", code: "R1", name: "R", parentId: String(id.A) })).status).toBe(403);
    expect((await post("rev.a", userNew, "/quan-tri/nguoi-dung/moi", { username: "r.x", displayName: "X", roles: "office_reviewer", unitId: String(id.A), password: "mot-mat-khau-dai" })).status).toBe(403);
    expect(state()).toEqual(before);
  });
});

describe("school users", () => {
  it("get 403 on every /quan-tri route", async () => {
    for (const who of ["head.a1", "staff.b"]) {
      const own = who === "head.a1" ? id.sA1 : id.sB;
      const loaders: [Parameters<typeof get>[1], string, Record<string, string>][] = [
        [unitsIndex, "/quan-tri/don-vi", {}],
        [unitNew, "/quan-tri/don-vi/moi", {}],
        [unitEdit, `/quan-tri/don-vi/${id.A1}`, { id: String(id.A1) }],
        [schoolsIndex, "/quan-tri/truong", {}],
        [schoolNew, "/quan-tri/truong/moi", {}],
        [schoolEdit, `/quan-tri/truong/${own}`, { id: String(own) }],
        [schoolImport, "/quan-tri/truong/nhap", {}],
        [usersIndex, "/quan-tri/nguoi-dung", {}],
        [userNew, "/quan-tri/nguoi-dung/moi", {}],
        [userEdit, `/quan-tri/nguoi-dung/${id[who]}`, { id: String(id[who]) }],
      ];
      for (const [mod, path, params] of loaders) expect([who, path, (await get(who, mod, path, params)).status]).toEqual([who, path, 403]);
    }
    const before = state();
    expect((await post("head.a1", schoolEdit, `/quan-tri/truong/${id.sA1}`, schoolFields({ code: "SA1", name: "Đổi" }), { id: String(id.sA1) })).status).toBe(403);
    expect((await post("head.a1", userNew, "/quan-tri/nguoi-dung/moi", { username: "h.x", displayName: "X", roles: "school_staff", schoolCode: "SA1", password: "mot-mat-khau-dai" })).status).toBe(403);
    expect(state()).toEqual(before);
  });
});

describe("school placement through the form (policy.placeSchool)", () => {
  it("a Sở admin cannot have a Sở-managed school reviewed by a Phòng below it: a field error, nothing written", async () => {
    const before = state();
    const res = await post("admin.a", schoolEdit, `/quan-tri/truong/${id.sA}`, schoolFields({ code: "SA", name: "Trường THPT Âu Cơ", type: "THPT", managingUnitId: String(id.A), reviewingUnitId: String(id.A1), active: "on" }), {
      id: String(id.sA),
    });
    expect(res.status).toBe(400);
    expect((await res.json()).error).toEqual({ reviewingUnitId: ["Đơn vị đánh giá ngoài phải là đơn vị quản lý của trường hoặc một đơn vị cấp trên của đơn vị đó."] });
    expect(state()).toEqual(before);
  });
});

describe("system admin", () => {
  it("sees and changes everything", async () => {
    const s = await (await get("sys", schoolsIndex, "/quan-tri/truong")).json();
    expect(s.list.total).toBe(countRows(schools));
    expect((await get("sys", schoolEdit, `/quan-tri/truong/${id.sB}`, { id: String(id.sB) })).status).toBe(200);
    const edited = await post("sys", schoolEdit, `/quan-tri/truong/${id.sB}`, schoolFields({ code: "SB", name: "Trường Tiểu học Tây Sơn", managingUnitId: String(id.B), reviewingUnitId: String(id.A) }), {
      id: String(id.sB),
    });
    expect(edited.status).toBe(302);
    expect(getDb().select().from(schools).where(eq(schools.id, id.sB)).get()!.reviewingUnitId).toBe(id.A);
    const root = await post("sys", unitNew, "/quan-tri/don-vi/moi", { kind: "province", code: "C", name: "Sở C" });
    expect(root.status).toBe(302);
    const sysUser = await post("sys", userNew, "/quan-tri/nguoi-dung/moi", { username: "sys2", displayName: "Quản trị 2", roles: "system_admin", password: "mot-mat-khau-dai" });
    expect(sysUser.status).toBe(302);
    expect((await get("sys", userEdit, `/quan-tri/nguoi-dung/${id["sys.in.a"]}`, { id: String(id["sys.in.a"]) })).status).toBe(200);
  });

  it("gets 400 for malformed ids and parameters, 404 for unknown ids", async () => {
    expect((await get("sys", schoolEdit, "/quan-tri/truong/abc", { id: "abc" })).status).toBe(400);
    expect((await get("sys", schoolEdit, "/quan-tri/truong/1.5", { id: "1.5" })).status).toBe(400);
    expect((await get("sys", schoolEdit, "/quan-tri/truong/999999", { id: "999999" })).status).toBe(404);
    expect((await get("sys", unitEdit, "/quan-tri/don-vi/0", { id: "0" })).status).toBe(400);
    expect((await get("sys", userEdit, "/quan-tri/nguoi-dung/999999", { id: "999999" })).status).toBe(404);
    const badPage = await get("sys", schoolsIndex, "/quan-tri/truong?page=abc");
    expect(badPage.status).toBe(400);
    expect((await badPage.json()).error).toBe("Số trang không hợp lệ.");
    expect((await get("sys", schoolsIndex, "/quan-tri/truong?type=MN")).status).toBe(400);
    expect((await get("sys", usersIndex, `/quan-tri/nguoi-dung?q=${"x".repeat(101)}`)).status).toBe(400);
    expect((await post("sys", userEdit, `/quan-tri/nguoi-dung/${id["rev.a"]}`, { intent: "nope" }, { id: String(id["rev.a"]) })).status).toBe(400);
    // For an office admin, unknown ids are refused like foreign ones (no existence oracle).
    expect((await get("admin.a", schoolEdit, "/quan-tri/truong/999999", { id: "999999" })).status).toBe(403);
  });

  it("needs the CSRF token on every action", async () => {
    const b = await browserAs("sys");
    const before = state();
    const res = await run(schoolNew.action, b.post("/quan-tri/truong/moi", schoolFields({ code: "CSRF1" }), { csrf: null }));
    expect(res.status).toBe(403);
    const wrong = await run(unitNew.action, b.post("/quan-tri/don-vi/moi", { kind: "province", code: "CSRF2", name: "X" }, { csrf: "x".repeat(43) }));
    expect(wrong.status).toBe(403);
    expect(state()).toEqual(before);
  });
});

describe("lists: search, sorting, paging", () => {
  it("search is folded: 'dong son' finds 'Đông Sơn'", async () => {
    const body = await (await get("sys", schoolsIndex, "/quan-tri/truong?q=dong%20son")).json();
    expect(body.list.rows.map((r: { code: string }) => r.code)).toEqual(["SA1"]);
    const units = await (await get("sys", unitsIndex, "/quan-tri/don-vi?q=DONG+SON")).json();
    expect(units.list.rows.map((r: { code: string }) => r.code)).toEqual(["A"]);
    // LIKE wildcards in the query are literal.
    expect((await (await get("sys", schoolsIndex, "/quan-tri/truong?q=%25")).json()).list.total).toBe(0);
  });

  it("sorts by Vietnamese collation, pages, and falls back to code order for big sets", async () => {
    const names = ["Trường Ánh Dương", "Trường Bế Văn Đàn", "Trường An Phú", "Trường Âu Cơ", "Trường Đinh Tiên Hoàng", "Trường Dương Minh", "Trường Ê Đê"];
    for (const [i, name] of names.entries()) createSchool({ code: `Z${9 - i}`, name, type: "TH", managingUnitId: id.B, reviewingUnitId: id.B }, null);
    const sys = u.sys;
    const sorted = listSchools(sys, { q: "truong", page: 1 }).rows.map((r) => r.name);
    expect(sorted).toEqual([...sorted].sort(viCollator.compare));
    expect(sorted.indexOf("Trường An Phú")).toBeLessThan(sorted.indexOf("Trường Ánh Dương"));
    expect(sorted.indexOf("Trường Dương Minh")).toBeLessThan(sorted.indexOf("Trường Đinh Tiên Hoàng"));

    const total = countRows(schools);
    const page1 = listSchools(sys, { page: 1 });
    expect(page1).toMatchObject({ total, page: 1, pageSize: 20, sortedBy: "name" });
    const big = listSchools(sys, { q: "z", page: 2, sortInMemoryMax: 0 });
    expect(big.sortedBy).toBe("code");
    const bigAll = listSchools(sys, { q: "z", page: 1, sortInMemoryMax: 0 });
    expect(bigAll.rows.map((r) => r.code)).toEqual(["Z3", "Z4", "Z5", "Z6", "Z7", "Z8", "Z9"]);
    // A page past the end shows the last page.
    expect(listSchools(sys, { page: 99 }).page).toBe(page1.pageCount);
  });
});
