/**
 * CSV import of schools on a real SQLite file: preview writes nothing, confirm applies all rows or
 * none, a re-import changes nothing, Excel-style files (BOM, ";") are read, and units outside the
 * importer's scope are row errors. Also drives the route's action with real multipart requests.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { eq, like } from "drizzle-orm";
import { useTestDatabase } from "../helpers/db";
import { browserAs, run } from "../helpers/http";
import { countRows, getDb } from "~/server/db/client.server";
import { auditLog, schools } from "~/server/db/schema.server";
import { loadUser, type CurrentUser } from "~/server/auth/session.server";
import { createSchool, createUnit, createUser } from "~/server/services/org.server";
import {
  applySchoolImport,
  decodeCsv,
  MAX_IMPORT_BYTES,
  parseSchoolType,
  previewSchoolImport,
  sha256Hex,
} from "~/server/services/school-import.server";
import { action as importAction, loader as importLoader } from "~/routes/quan-tri.truong.nhap";

useTestDatabase("school-import");

const pw = "mat-khau-kiem-thu";
const ids: Record<string, number> = {};
const users: Record<string, CurrentUser> = {};

const HEADER = "mã trường,tên,loại hình,đơn vị quản lý,đơn vị đánh giá ngoài";

function snapshot() {
  const db = getDb();
  return {
    schools: countRows(schools),
    audit: countRows(auditLog),
    schoolAudit: countRows(auditLog, like(auditLog.action, "school.%")),
    rows: db.select({ id: schools.id, code: schools.code, name: schools.name, updatedAt: schools.updatedAt }).from(schools).all(),
  };
}

beforeAll(async () => {
  const M = createUnit({ kind: "ministry", code: "M", name: "Bộ", parentId: null }, null);
  const A = createUnit({ kind: "province", code: "A", name: "Sở A", parentId: M }, null);
  const A1 = createUnit({ kind: "district", code: "A1", name: "Phòng A1", parentId: A }, null);
  const A2 = createUnit({ kind: "commune", code: "A2", name: "Xã A2", parentId: A }, null);
  const B = createUnit({ kind: "province", code: "B", name: "Sở B", parentId: M }, null);
  Object.assign(ids, { M, A, A1, A2, B });
  ids.old = createSchool({ code: "OLD1", name: "Trường Tiểu học Cũ", type: "TH", managingUnitId: A1, reviewingUnitId: A1 }, null);
  ids.schoolB = createSchool({ code: "SB1", name: "Trường B", type: "TH", managingUnitId: B, reviewingUnitId: B }, null);
  const mk = async (username: string, roles: CurrentUser["roles"], scope: { unitId?: number; schoolId?: number }) => {
    users[username] = loadUser(await createUser({ username, displayName: username, password: pw, roles, ...scope }, null))!;
  };
  await mk("sys", ["system_admin"], {});
  await mk("admin.a", ["office_admin"], { unitId: A });
  await mk("rev.a", ["office_reviewer"], { unitId: A });
  await mk("head.old", ["school_head"], { schoolId: ids.old });
});

describe("reading the file", () => {
  it("decodes UTF-8 with a BOM and refuses other encodings", () => {
    const withBom = decodeCsv(new Uint8Array([0xef, 0xbb, 0xbf, ...Buffer.from("mã trường\n", "utf8")]));
    expect(withBom).toEqual({ ok: true, text: "mã trường\n" });
    const latin1 = decodeCsv(new Uint8Array(Buffer.from("m\xe3 tr\xfd\xf4ng\n", "latin1")));
    expect(latin1.ok).toBe(false);
    if (!latin1.ok) expect(latin1.error).toMatch(/UTF-8/);
  });

  it("refuses a file over the size limit with a clear message", () => {
    const big = decodeCsv(new Uint8Array(MAX_IMPORT_BYTES + 1));
    expect(big.ok).toBe(false);
    if (!big.ok) expect(big.error).toContain("2 MB");
  });

  it("understands school types written in several ways", () => {
    expect(parseSchoolType("th & thcs")).toBe("TH&THCS");
    expect(parseSchoolType("THCS-THPT")).toBe("THCS&THPT");
    expect(parseSchoolType("Tiểu học")).toBe("TH");
    expect(parseSchoolType("TH-THCS-THPT")).toBe("TH-THCS-THPT");
    expect(parseSchoolType("GDNN-GDTX")).toBe("GDTX");
    expect(parseSchoolType("Mầm non")).toBeNull();
  });

  it("reports missing columns for a file without the header row", () => {
    const p = previewSchoolImport(users.sys, "NEW1,Trường Một,TH,A1,A1\n");
    expect(p.ok).toBe(false);
    expect(p.fileErrors.join(" ")).toMatch(/Thiếu cột/);
    expect(p.rows).toHaveLength(0);
  });
});

describe("preview", () => {
  it("shows every row with its errors and writes nothing", () => {
    const before = snapshot();
    const csv = [
      HEADER,
      "N01,Trường Tiểu học Một,TH,A1,A1", // 2: fine
      "N02,Trường Hai,MN,A1,A1", // 3: unknown type
      "N03,Trường Ba,THCS,ZZZ,A1", // 4: unknown unit
      "N04,Trường Bốn,THCS,A1,A1", // 5: duplicate code (with line 6)
      "N04,Trường Bốn bis,THCS,A1,A1", // 6
      "N05,,TH,A1,A1", // 7: missing name
      `N06,${"x".repeat(201)},TH,A1,A1`, // 8: name too long
      "N07,Trường Bảy,TH,B,A1", // 9: managing unit outside scope
      "N08,Trường Tám,TH,A1,B", // 10: reviewing unit outside scope
      "OLD1,Trường Tiểu học Cũ (đổi tên),TH,A1,A1", // 11: update
      "SB1,Trường B,TH,A1,A1", // 12: existing school outside scope
      "N 9,Trường Chín,TH,A1,A1", // 13: bad code
    ].join("\n");
    const p = previewSchoolImport(users["admin.a"], csv);
    const at = (line: number) => p.rows.find((r) => r.line === line)!;
    expect(p.ok).toBe(false);
    expect(p.rows).toHaveLength(12);
    expect(at(2)).toMatchObject({ action: "create", errors: [] });
    expect(at(3).errors.join(" ")).toMatch(/Loại hình "MN" không hợp lệ/);
    expect(at(4).errors.join(" ")).toMatch(/Không tìm thấy đơn vị quản lý có mã "ZZZ"/);
    expect(at(5).errors.join(" ")).toMatch(/lặp lại trong tệp \(dòng 5, 6\)/);
    expect(at(6).errors.join(" ")).toMatch(/lặp lại trong tệp/);
    expect(at(7).errors).toContain("Thiếu tên.");
    expect(at(8).errors.join(" ")).toMatch(/quá dài/);
    expect(at(9).errors.join(" ")).toMatch(/Đơn vị quản lý "B" nằm ngoài phạm vi/);
    expect(at(10).errors.join(" ")).toMatch(/Đơn vị đánh giá ngoài "B" nằm ngoài phạm vi/);
    expect(at(11)).toMatchObject({ action: "update", changes: ["name"], errors: [] });
    expect(at(12).errors.join(" ")).toMatch(/không thuộc phạm vi quản lý/);
    expect(at(13).errors.join(" ")).toMatch(/Mã trường chỉ gồm/);
    expect(at(3).action).toBeNull();
    expect(p.counts).toEqual({ total: 12, create: 1, update: 1, unchanged: 0, errors: 10 });
    expect(snapshot()).toEqual(before);
  });
});

describe("confirm", () => {
  const good = [HEADER, "C01,Trường Tiểu học Hoà Bình,TH,A1,A1", "C02,Trường THCS Đông Sơn,thcs,A2,A", "OLD1,Trường Tiểu học Cũ,TH&THCS,A1,A"].join("\r\n");

  it("a file with one bad row applies nothing", () => {
    const before = snapshot();
    const bad = `${good}\r\nC03,Trường Lỗi,XX,A1,A1`;
    const r = applySchoolImport(users["admin.a"], bad, sha256Hex(bad));
    expect(r.status).toBe("rejected");
    if (r.status === "rejected") expect(r.preview.counts.errors).toBe(1);
    expect(snapshot()).toEqual(before);
  });

  it("refuses a text that is not the previewed one", () => {
    const before = snapshot();
    expect(applySchoolImport(users["admin.a"], good, sha256Hex(`${good}\n`.replace("C02", "C09"))).status).toBe("changed");
    expect(snapshot()).toEqual(before);
  });

  it("applies all rows in one go, with audit entries", () => {
    const before = snapshot();
    const preview = previewSchoolImport(users["admin.a"], good);
    expect(preview.ok).toBe(true);
    expect(preview.counts).toMatchObject({ create: 2, update: 1, unchanged: 0, errors: 0 });
    const r = applySchoolImport(users["admin.a"], good, preview.sha256);
    expect(r).toEqual({ status: "applied", created: 2, updated: 1, unchanged: 0 });
    const db = getDb();
    expect(countRows(schools)).toBe(before.schools + 2);
    const c02 = db.select().from(schools).where(eq(schools.code, "C02")).get()!;
    expect(c02).toMatchObject({ name: "Trường THCS Đông Sơn", type: "THCS", managingUnitId: ids.A2, reviewingUnitId: ids.A, searchKey: "c02 truong thcs dong son" });
    const old = db.select().from(schools).where(eq(schools.code, "OLD1")).get()!;
    expect(old).toMatchObject({ type: "TH&THCS", reviewingUnitId: ids.A });
    expect(old.updatedAt).toBeInstanceOf(Date);
    const actions = db
      .select({ action: auditLog.action })
      .from(auditLog)
      .where(like(auditLog.action, "school.%"))
      .all()
      .map((a) => a.action)
      .slice(before.schoolAudit);
    expect(actions.sort()).toEqual(["school.create", "school.create", "school.import", "school.update"]);
  });

  it("re-importing the same file changes nothing and writes nothing", () => {
    const before = snapshot();
    const preview = previewSchoolImport(users["admin.a"], good);
    expect(preview.ok).toBe(true);
    expect(preview.rows.every((r) => r.action === "unchanged")).toBe(true);
    expect(preview.counts).toMatchObject({ unchanged: 3, create: 0, update: 0 });
    expect(applySchoolImport(users["admin.a"], good, preview.sha256)).toEqual({ status: "nothing", unchanged: 3 });
    const after = snapshot();
    expect(after).toEqual(before); // counts, names and updatedAt of every school, audit rows
  });

  it("reads an Excel-style file: BOM, semicolons, header without diacritics", () => {
    const text = "MA TRUONG;TEN;LOAI HINH;DON VI QUAN LY;DON VI DANH GIA NGOAI\r\nE01;\"Trường THCS Lê Lợi; cơ sở 2\";THCS;A1;A1\r\nE02;Trung tâm GDTX Một;GDTX;A;A\r\n;;;;\r\n";
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...Buffer.from(text, "utf8")]);
    const decoded = decodeCsv(bytes);
    expect(decoded.ok).toBe(true);
    if (!decoded.ok) return;
    const preview = previewSchoolImport(users["admin.a"], decoded.text);
    expect(preview.fileErrors).toEqual([]);
    expect(preview.rows.map((r) => [r.code, r.name, r.type, r.action])).toEqual([
      ["E01", "Trường THCS Lê Lợi; cơ sở 2", "THCS", "create"],
      ["E02", "Trung tâm GDTX Một", "GDTX", "create"],
    ]);
    expect(applySchoolImport(users["admin.a"], decoded.text, preview.sha256)).toMatchObject({ status: "applied", created: 2 });
  });

  it("a unit outside the importer's scope is a row error, for the system admin it is fine", () => {
    const csv = [HEADER, "X01,Trường X,TH,B,B"].join("\n");
    const asAdminA = previewSchoolImport(users["admin.a"], csv);
    expect(asAdminA.ok).toBe(false);
    expect(asAdminA.rows[0].errors).toEqual(['Đơn vị quản lý "B" nằm ngoài phạm vi quản lý của bạn.', 'Đơn vị đánh giá ngoài "B" nằm ngoài phạm vi của bạn.']);
    const before = snapshot();
    expect(applySchoolImport(users["admin.a"], csv, sha256Hex(csv)).status).toBe("rejected");
    expect(snapshot()).toEqual(before);
    const asSys = previewSchoolImport(users.sys, csv);
    expect(asSys.ok).toBe(true);
  });
});

describe("the import route", () => {
  async function upload(username: string, fields: Record<string, string | File>, opts: { csrf?: boolean } = {}) {
    const b = await browserAs(username);
    const form = new FormData();
    if (opts.csrf !== false) form.append("_csrf", b.csrf);
    for (const [k, v] of Object.entries(fields)) form.append(k, v);
    return new Request("http://localhost/quan-tri/truong/nhap", { method: "POST", headers: { Cookie: b.cookie }, body: form });
  }
  const file = (text: string) => new File([text], "truong.csv", { type: "text/csv" });

  it("previews an upload without writing, then confirms it", async () => {
    const csv = [HEADER, "R01,Trường Tiểu học Route,TH,A1,A1"].join("\n");
    const before = snapshot();
    const res = await run(importAction, await upload("admin.a", { intent: "preview", file: file(csv) }));
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.stage).toBe("preview");
    expect(body.preview.counts).toMatchObject({ create: 1, errors: 0 });
    expect(snapshot()).toEqual(before);

    const confirm = await run(importAction, await upload("admin.a", { intent: "confirm", payload: body.payload, sha256: body.preview.sha256 }));
    expect(confirm.status).toBe(200);
    expect(await confirm.json()).toEqual({ stage: "done", created: 1, updated: 0, unchanged: 0 });
    expect(countRows(schools)).toBe(before.schools + 1);

    const again = await run(importAction, await upload("admin.a", { intent: "confirm", payload: body.payload, sha256: body.preview.sha256 }));
    expect(await again.json()).toEqual({ stage: "done", created: 0, updated: 0, unchanged: 1 });
    expect(countRows(schools)).toBe(before.schools + 1);
  });

  it("re-validates on confirm: a tampered payload is refused", async () => {
    const csv = [HEADER, "R02,Trường Hai,TH,A1,A1"].join("\n");
    const tampered = [HEADER, "R02,Trường Hai,TH,B,B"].join("\n");
    const before = snapshot();
    // Same hash as the text (an attacker can recompute it): the rows are still checked against scope.
    const res = await run(
      importAction,
      await upload("admin.a", { intent: "confirm", payload: Buffer.from(tampered).toString("base64"), sha256: sha256Hex(tampered) }),
    );
    expect(res.status).toBe(422);
    // A payload that does not match the previewed hash.
    const res2 = await run(importAction, await upload("admin.a", { intent: "confirm", payload: Buffer.from(tampered).toString("base64"), sha256: sha256Hex(csv) }));
    expect(res2.status).toBe(409);
    expect(snapshot()).toEqual(before);
  });

  it("refuses a too big file with a clear message", async () => {
    const res = await run(importAction, await upload("admin.a", { intent: "preview", file: file("a".repeat(MAX_IMPORT_BYTES + 10)) }));
    expect(res.status).toBe(413);
    expect((await res.json()).error).toMatch(/Tệp quá lớn/);
  });

  it("needs the CSRF token, and is closed to reviewers and school users", async () => {
    const csv = [HEADER, "R03,Trường Ba,TH,A1,A1"].join("\n");
    expect((await run(importAction, await upload("admin.a", { intent: "preview", file: file(csv) }, { csrf: false }))).status).toBe(403);
    expect((await run(importAction, await upload("rev.a", { intent: "preview", file: file(csv) }))).status).toBe(403);
    expect((await run(importAction, await upload("head.old", { intent: "preview", file: file(csv) }))).status).toBe(403);
    expect((await run(importLoader, (await browserAs("rev.a")).get("/quan-tri/truong/nhap"))).status).toBe(403);
    expect((await run(importLoader, (await browserAs("head.old")).get("/quan-tri/truong/nhap"))).status).toBe(403);
    expect((await run(importLoader, (await browserAs("admin.a")).get("/quan-tri/truong/nhap"))).status).toBe(200);
  });
});
