/**
 * The unit picker's server side: the search route (/quan-tri/don-vi/tim: policy, scope, folded
 * search, at most 20 units with kind and parent, bounded query), the admin pages no longer sending
 * every unit, and the no-JavaScript code fields resolved by the actions within the user's scope.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { count, eq } from "drizzle-orm";
import { useTestDatabase } from "../helpers/db";
import { browserAs, run } from "../helpers/http";
import { getDb } from "~/server/db/client.server";
import { auditLog, schools, users } from "~/server/db/schema.server";
import { createSchool, createUnit, createUser } from "~/server/services/org.server";
import { loadUser } from "~/server/auth/session.server";
import { resolveUnitFields } from "~/server/services/unit-search.server";
import * as searchRoute from "~/routes/quan-tri.don-vi.tim";
import * as schoolNew from "~/routes/quan-tri.truong.moi";
import * as schoolEdit from "~/routes/quan-tri.truong.$id";
import * as schoolsIndex from "~/routes/quan-tri.truong._index";
import * as unitNew from "~/routes/quan-tri.don-vi.moi";
import * as unitEdit from "~/routes/quan-tri.don-vi.$id";
import * as userNew from "~/routes/quan-tri.nguoi-dung.moi";
import * as userEdit from "~/routes/quan-tri.nguoi-dung.$id";
import * as cycles from "~/routes/quan-tri.dot-danh-gia._index";

useTestDatabase("unit-picker");

const pw = "mat-khau-kiem-thu";
const id: Record<string, number> = {};
type Found = { units: { id: number; code: string; name: string; kind: string; parentName: string | null }[]; more: boolean };

async function search(username: string | undefined, qs: string) {
  const b = await browserAs(username);
  return run(searchRoute.loader, b.get(`/quan-tri/don-vi/tim${qs}`));
}

beforeAll(async () => {
  id.M = createUnit({ kind: "ministry", code: "UP-BO", name: "Bộ Giáo dục", parentId: null }, null);
  id.A = createUnit({ kind: "province", code: "UPA", name: "Sở GDĐT Thanh Hoá", parentId: id.M }, null);
  id.B = createUnit({ kind: "province", code: "UPB", name: "Sở GDĐT Thái Bình", parentId: id.M }, null);
  for (let i = 1; i <= 25; i++) id[`A${i}`] = createUnit({ kind: "district", code: `UPA-${i}`, name: `Phòng GDĐT Đông Sơn ${i}`, parentId: id.A }, null);
  id.X = createUnit({ kind: "commune", code: "UPA-X", name: "UBND xã Hoằng Hoá", parentId: id.A }, null);
  id.B1 = createUnit({ kind: "district", code: "UPB-1", name: "Phòng GDĐT Đông Hưng", parentId: id.B }, null);
  id.school = createSchool({ code: "UP-T1", name: "Trường Tiểu học Đông Sơn", type: "TH", managingUnitId: id.A1, reviewingUnitId: id.A1 }, null);
  await createUser({ username: "up.admin", displayName: "Quản trị Sở A", password: pw, roles: ["office_admin"], unitId: id.A }, null);
  await createUser({ username: "up.rev", displayName: "Chuyên viên Sở A", password: pw, roles: ["office_reviewer"], unitId: id.A }, null);
  await createUser({ username: "up.head", displayName: "Hiệu trưởng", password: pw, roles: ["school_head"], schoolId: id.school }, null);
  await createUser({ username: "up.sys", displayName: "Quản trị hệ thống", password: pw, roles: ["system_admin"] }, null);
  id.user = await createUser({ username: "up.phong", displayName: "Cán bộ Phòng 2", password: pw, roles: ["office_reviewer"], unitId: id.A2 }, null);
});

describe("/quan-tri/don-vi/tim", () => {
  it("answers 401 to anonymous visitors and 403 to users who may not list units", async () => {
    const anon = await search(undefined, "?q=dong");
    expect(anon.status).toBe(401);
    expect(await anon.json()).toEqual({ error: "Vui lòng đăng nhập để tìm đơn vị." });
    expect((await search("up.head", "?q=dong")).status).toBe(403);
  });

  it("finds by folded name or code, within the user's scope only, at most 20 with kind and parent", async () => {
    const res = await search("up.rev", "?q=dong+son");
    expect(res.status).toBe(200);
    expect(res.headers.get("Cache-Control")).toBe("private, no-store");
    const body = (await res.json()) as Found;
    expect(body.units).toHaveLength(20);
    expect(body.more).toBe(true);
    expect(body.units[0]).toEqual({ id: id.A1, code: "UPA-1", name: "Phòng GDĐT Đông Sơn 1", kind: "district", parentName: "Sở GDĐT Thanh Hoá" });
    // Vietnamese order with numbers: 1, 2, …, 10, …
    expect(body.units.map((u) => u.code)).toEqual(Array.from({ length: 20 }, (_, i) => `UPA-${i + 1}`));
    // Another province's Phòng GDĐT Đông Hưng never; "dong" alone finds it only for the system admin.
    const dong = (await (await search("up.rev", "?q=dong+hung")).json()) as Found;
    expect(dong.units).toEqual([]);
    const sys = (await (await search("up.sys", "?q=dong+hung")).json()) as Found;
    expect(sys.units.map((u) => u.code)).toEqual(["UPB-1"]);
    // A code typed exactly comes first.
    const code = (await (await search("up.admin", "?q=UPA-25")).json()) as Found;
    expect(code.units[0].code).toBe("UPA-25");
    // A Phòng's reviewer sees only its own unit.
    const own = (await (await search("up.phong", "?q=")).json()) as Found;
    expect(own.units.map((u) => u.id)).toEqual([id.A2]);
  });

  it("higher levels first; for cycles without the ministry; the parent picker without the unit's subtree", async () => {
    const all = (await (await search("up.sys", "?q=bo")).json()) as Found;
    expect(all.units[0]).toMatchObject({ code: "UP-BO", kind: "ministry", parentName: null });
    const forCycles = (await (await search("up.sys", "?q=bo&muc-dich=dot")).json()) as Found;
    expect(forCycles.units.map((u) => u.code)).not.toContain("UP-BO");
    const notBelowA = (await (await search("up.sys", `?q=&ngoai=${id.A}`)).json()) as Found;
    expect(notBelowA.units.map((u) => u.code).filter((c) => c.startsWith("UPA"))).toEqual([]);
    expect(notBelowA.units.map((u) => u.code)).toContain("UPB");
  });

  it("bounds the query", async () => {
    expect((await search("up.admin", `?q=${"a".repeat(101)}`)).status).toBe(400);
    expect((await search("up.admin", "?muc-dich=xyz")).status).toBe(400);
    expect((await search("up.admin", "?ngoai=-1")).status).toBe(400);
    expect((await search("up.admin", `?q=${encodeURIComponent("%_\\'\"")}`)).status).toBe(200);
  });
});

describe("admin pages no longer send every unit", () => {
  it("sends only the chosen units", async () => {
    const b = await browserAs("up.sys");
    for (const [loader, path, params] of [
      [schoolNew.loader, "/quan-tri/truong/moi", {}],
      [schoolEdit.loader, `/quan-tri/truong/${id.school}`, { id: String(id.school) }],
      [schoolsIndex.loader, "/quan-tri/truong", {}],
      [unitNew.loader, "/quan-tri/don-vi/moi", {}],
      [unitEdit.loader, `/quan-tri/don-vi/${id.A1}`, { id: String(id.A1) }],
      [userNew.loader, "/quan-tri/nguoi-dung/moi", {}],
      [userEdit.loader, `/quan-tri/nguoi-dung/${id.user}`, { id: String(id.user) }],
      [cycles.loader, "/quan-tri/dot-danh-gia", {}],
    ] as const) {
      const res = await run(loader as never, b.get(path), params);
      expect(res.status, path).toBe(200);
      const text = await res.text();
      // 29 units exist; none of the 25 Phòng is listed unless it is the chosen one.
      const listed = [...text.matchAll(/Phòng GDĐT Đông Sơn \d+/g)].map((m) => m[0]);
      expect(new Set(listed).size, path).toBeLessThanOrEqual(1);
    }
    const edit = await (await run(schoolEdit.loader as never, b.get(`/quan-tri/truong/${id.school}`), { id: String(id.school) })).json();
    expect(edit.units.managingUnitId).toMatchObject({ id: id.A1, code: "UPA-1", kind: "district", parentName: "Sở GDĐT Thanh Hoá" });
    const user = await (await run(userEdit.loader as never, b.get(`/quan-tri/nguoi-dung/${id.user}`), { id: String(id.user) })).json();
    expect(user.unit).toMatchObject({ id: id.A2, code: "UPA-2" });
  });
});

describe("without JavaScript: the code fields", () => {
  it("are resolved within the user's scope; empty clears; absent leaves the id as posted", () => {
    const user = loadUser(getDb().select({ id: users.id }).from(users).where(eq(users.username, "up.admin")).get()!.id)!;
    const fd = (o: Record<string, string>) => {
      const f = new FormData();
      for (const [k, v] of Object.entries(o)) f.set(k, v);
      return f;
    };
    const ok = resolveUnitFields(fd({ managingUnitId: "", managingUnitId__ma: "UPA-3 — Phòng GDĐT Đông Sơn 3", reviewingUnitId: "77" }), ["managingUnitId", "reviewingUnitId"], user);
    expect(ok.errors).toBeNull();
    expect(ok.form.get("managingUnitId")).toBe(String(id.A3));
    expect(ok.form.get("reviewingUnitId")).toBe("77");
    const lower = resolveUnitFields(fd({ unitId: String(id.A1), unitId__ma: "upa-x" }), ["unitId"], user);
    expect(lower.form.get("unitId")).toBe(String(id.X));
    const cleared = resolveUnitFields(fd({ unitId: String(id.A1), unitId__ma: "  " }), ["unitId"], user);
    expect(cleared.form.get("unitId")).toBeNull();
    expect(cleared.errors).toBeNull();
    // Another province's code: the same answer as a code that does not exist.
    for (const code of ["UPB-1", "KHONG-CO", "'; DROP TABLE units; --", "\u0000", "a".repeat(3000)]) {
      const r = resolveUnitFields(fd({ unitId: String(id.A1), unitId__ma: code }), ["unitId"], user);
      expect(r.form.get("unitId"), code.slice(0, 20)).toBeNull();
      expect(r.errors?.unitId[0], code.slice(0, 20)).toMatch(/^Không tìm thấy đơn vị có mã «/);
    }
  });

  it("create a school from codes typed in place of the pickers, and refuse a code outside the scope at its field", async () => {
    const b = await browserAs("up.admin");
    const before = getDb().select({ n: count() }).from(auditLog).get()!.n;
    const outside = await run(schoolNew.action, b.post("/quan-tri/truong/moi", { code: "UP-T2", name: "Trường Mới", type: "TH", managingUnitId: "", managingUnitId__ma: "UPB-1", reviewingUnitId: "", reviewingUnitId__ma: "UPA-4" }));
    expect(outside.status).toBe(400);
    const body = await outside.json();
    expect(body.error.managingUnitId).toEqual(["Không tìm thấy đơn vị có mã «UPB-1» trong phạm vi của bạn. Hãy chọn trong danh sách gợi ý hoặc nhập đúng mã đơn vị."]);
    // The unit that was found comes back by name, and what was typed is kept.
    expect(body.units.reviewingUnitId).toMatchObject({ id: id.A4, name: "Phòng GDĐT Đông Sơn 4" });
    expect(body.initialValue.managingUnitId__ma).toBe("UPB-1");
    expect(getDb().select({ n: count() }).from(auditLog).get()!.n).toBe(before);
    const res = await run(schoolNew.action, b.post("/quan-tri/truong/moi", { code: "UP-T2", name: "Trường Mới", type: "TH", managingUnitId: "", managingUnitId__ma: "UPA-4", reviewingUnitId: "", reviewingUnitId__ma: "UPA-4 — Phòng GDĐT Đông Sơn 4" }));
    expect(res.status).toBe(302);
    expect(getDb().select().from(schools).where(eq(schools.code, "UP-T2")).get()).toMatchObject({ managingUnitId: id.A4, reviewingUnitId: id.A4 });
  });

  it("filter the schools list by a typed unit code", async () => {
    const b = await browserAs("up.admin");
    const res = await (await run(schoolsIndex.loader as never, b.get("/quan-tri/truong?unit__ma=UPA-1"))).json();
    expect(res.filters.unit).toBe(String(id.A1));
    expect(res.unit.selected).toMatchObject({ id: id.A1 });
    expect(res.list.rows.map((r: { code: string }) => r.code)).toEqual(["UP-T1"]);
    const none = await (await run(schoolsIndex.loader as never, b.get("/quan-tri/truong?unit__ma=UPB-1"))).json();
    expect(none.unit.error).toContain("«UPB-1»");
    expect(none.filters.unit).toBe("");
  });
});
