/**
 * The school placement rule is asked once (policy.placeSchool): the same (user, school, placement)
 * gets the same answer through the school forms and through the CSV import (preview and apply).
 * The drift case of issue 7: a Phòng admin renaming a school the Sở reviews was accepted by the
 * form and refused by the import; handing that review back to the Phòng was accepted by both.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { useTestDatabase } from "../helpers/db";
import { browserAs, run } from "../helpers/http";
import { getDb } from "~/server/db/client.server";
import { schools } from "~/server/db/schema.server";
import { loadUser } from "~/server/auth/session.server";
import { createSchool, createUnit, createUser } from "~/server/services/org.server";
import { applySchoolImport, previewSchoolImport, sha256Hex } from "~/server/services/school-import.server";
import * as schoolNew from "~/routes/quan-tri.truong.moi";
import * as schoolEdit from "~/routes/quan-tri.truong.$id";

useTestDatabase("policy-placement");

const pw = "mat-khau-kiem-thu";
const id: Record<string, number> = {};
const HEADER = "mã trường,tên,loại hình,đơn vị quản lý,đơn vị đánh giá ngoài";
const CODE: Record<string, string> = {};

beforeAll(async () => {
  id.M = createUnit({ kind: "ministry", code: "M", name: "Bộ", parentId: null }, null);
  id.A = createUnit({ kind: "province", code: "A", name: "Sở A", parentId: id.M }, null);
  id.A1 = createUnit({ kind: "district", code: "A1", name: "Phòng A1", parentId: id.A }, null);
  id.A2 = createUnit({ kind: "commune", code: "A2", name: "Xã A2", parentId: id.A }, null);
  Object.assign(CODE, { [id.M]: "M", [id.A]: "A", [id.A1]: "A1", [id.A2]: "A2" });
  // Managed by the Phòng, reviewed by the Sở (set by the Sở).
  id.sP = createSchool({ code: "SP", name: "Trường Tiểu học Sở đánh giá", type: "TH", managingUnitId: id.A1, reviewingUnitId: id.A }, null);
  id.sQ = createSchool({ code: "SQ", name: "Trường Tiểu học Phòng đánh giá", type: "TH", managingUnitId: id.A1, reviewingUnitId: id.A1 }, null);
  for (const [username, roles, unitId] of [
    ["admin.a1", ["office_admin"], id.A1],
    ["admin.a", ["office_admin"], id.A],
  ] as const) {
    id[username] = await createUser({ username, displayName: username, password: pw, roles: [...roles], unitId }, null);
  }
});

const row = (code: string) => getDb().select().from(schools).where(eq(schools.code, code)).get();

/** Through the form: create (no school) or edit; accepted = redirect, with the row as written. */
async function viaForm(username: string, code: string, name: string, managing: number, reviewing: number) {
  const b = await browserAs(username);
  const existing = row(code);
  const fields = { code, name, type: "TH", managingUnitId: String(managing), reviewingUnitId: String(reviewing), active: "on" };
  const res = existing
    ? await run(schoolEdit.action, b.post(`/quan-tri/truong/${existing.id}`, fields), { id: String(existing.id) })
    : await run(schoolNew.action, b.post("/quan-tri/truong/moi", fields));
  const body = res.status === 302 ? null : await res.json();
  return { accepted: res.status === 302, status: res.status, body, row: row(code) };
}

/** Through the import: preview, then apply the same text; accepted = the row has no error and apply applied. */
function viaImport(username: string, code: string, name: string, managing: number, reviewing: number) {
  const user = loadUser(id[username])!;
  const csv = [HEADER, `${code},${name},TH,${CODE[managing]},${CODE[reviewing]}`].join("\n");
  const preview = previewSchoolImport(user, csv);
  const applied = applySchoolImport(loadUser(id[username])!, csv, sha256Hex(csv));
  return { accepted: preview.ok, errors: preview.rows[0]?.errors ?? [], applied: applied.status, row: row(code) };
}

describe("the same placement, the same answer, form and import", () => {
  it("a Phòng admin renames a school the Sở reviews: both accept and keep the Sở as reviewer (the drift case)", async () => {
    const form = await viaForm("admin.a1", "SP", "Trường Tiểu học Đổi Tên Một", id.A1, id.A);
    expect(form.accepted).toBe(true);
    expect(form.row).toMatchObject({ name: "Trường Tiểu học Đổi Tên Một", managingUnitId: id.A1, reviewingUnitId: id.A });
    const imp = viaImport("admin.a1", "SP", "Trường Tiểu học Đổi Tên Hai", id.A1, id.A);
    expect(imp.errors).toEqual([]);
    expect(imp.accepted).toBe(true);
    expect(imp.applied).toBe("applied");
    expect(imp.row).toMatchObject({ name: "Trường Tiểu học Đổi Tên Hai", managingUnitId: id.A1, reviewingUnitId: id.A });
  });

  it("a Phòng admin cannot take the Sở's review back to itself: both refuse, nothing written", async () => {
    const before = row("SP");
    const form = await viaForm("admin.a1", "SP", before!.name, id.A1, id.A1);
    expect(form.accepted).toBe(false);
    expect(form.status).toBe(400);
    expect(form.body.error).toEqual({ reviewingUnitId: ["Đơn vị đánh giá ngoài của trường này do cấp trên phân công; chỉ cấp trên đó mới thay đổi được."] });
    const imp = viaImport("admin.a1", "SP", before!.name, id.A1, id.A1);
    expect(imp.accepted).toBe(false);
    expect(imp.errors).toEqual(['Đơn vị đánh giá ngoài của trường "SP" do cấp trên phân công; chỉ cấp trên đó mới thay đổi được.']);
    expect(imp.applied).toBe("rejected");
    expect(row("SP")).toEqual(before);
  });

  it("a Phòng admin cannot assign the Sở as reviewer of a new or its own school: both refuse", async () => {
    const form = await viaForm("admin.a1", "NF1", "Trường Mới F", id.A1, id.A);
    expect(form.accepted).toBe(false);
    expect(form.status).toBe(403);
    const imp = viaImport("admin.a1", "NI1", "Trường Mới I", id.A1, id.A);
    expect(imp.accepted).toBe(false);
    expect(imp.errors).toEqual(['Đơn vị đánh giá ngoài "A" nằm ngoài phạm vi của bạn.']);
    expect(row("NF1")).toBeUndefined();
    expect(row("NI1")).toBeUndefined();
    const edit = await viaForm("admin.a1", "SQ", "Trường Tiểu học Phòng đánh giá", id.A1, id.A);
    expect(edit.accepted).toBe(false);
    expect(viaImport("admin.a1", "SQ", "Trường Tiểu học Phòng đánh giá", id.A1, id.A).accepted).toBe(false);
    expect(row("SQ")!.reviewingUnitId).toBe(id.A1);
  });

  it("a Phòng admin creates its own school reviewed by itself: both accept", async () => {
    expect((await viaForm("admin.a1", "NF2", "Trường Phòng F", id.A1, id.A1)).row).toMatchObject({ managingUnitId: id.A1, reviewingUnitId: id.A1 });
    const imp = viaImport("admin.a1", "NI2", "Trường Phòng I", id.A1, id.A1);
    expect(imp.accepted).toBe(true);
    expect(imp.row).toMatchObject({ managingUnitId: id.A1, reviewingUnitId: id.A1 });
  });

  it("a Sở admin: a school is never reviewed by an office below or beside its managing unit, in both", async () => {
    const form = await viaForm("admin.a", "NF3", "Trường Sở F", id.A, id.A1);
    expect(form.status).toBe(400);
    expect(form.body.error).toEqual({ reviewingUnitId: ["Đơn vị đánh giá ngoài phải là đơn vị quản lý của trường hoặc một đơn vị cấp trên của đơn vị đó."] });
    const imp = viaImport("admin.a", "NI3", "Trường Sở I", id.A2, id.A1);
    expect(imp.errors).toEqual(['Đơn vị đánh giá ngoài "A1" phải là đơn vị quản lý "A2" hoặc một đơn vị cấp trên của đơn vị đó.']);
    expect(viaImport("admin.a", "NI3", "Trường Sở I", id.A, id.A1).accepted).toBe(false);
    expect(row("NF3")).toBeUndefined();
    expect(row("NI3")).toBeUndefined();
    // The Sở may move its own assignment: SP reviewed by the Phòng now, in the form as in the import.
    expect((await viaForm("admin.a", "SP", row("SP")!.name, id.A1, id.A1)).row!.reviewingUnitId).toBe(id.A1);
    expect(viaImport("admin.a", "SP", row("SP")!.name, id.A1, id.A).row!.reviewingUnitId).toBe(id.A);
  });

  it("the edit form offers only the kept reviewing unit when a higher level assigned it", async () => {
    const b = await browserAs("admin.a1");
    const sp = row("SP")!;
    const res = await run(schoolEdit.loader, b.get(`/quan-tri/truong/${sp.id}`), { id: String(sp.id) });
    const data = await res.json();
    expect(data.canManage).toBe(true);
    // Locked: shown and kept (the only value the form posts), not offered in a picker.
    expect(data.reviewingLocked?.id).toBe(id.A);
    const sq = row("SQ")!;
    const own = await (await run(schoolEdit.loader, b.get(`/quan-tri/truong/${sq.id}`), { id: String(sq.id) })).json();
    // Its own assignment: a picker over the units in scope, starting from the current one.
    expect(own.reviewingLocked).toBeNull();
    expect(own.units.reviewingUnitId.id).toBe(sq.reviewingUnitId);
  });
});
