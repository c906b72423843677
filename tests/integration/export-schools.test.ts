/**
 * /quan-tri/truong.csv and /quan-tri/truong.xlsx: the schools list of the admin screens as a download,
 * with the list's gate, filters and scope, and every cell escaped against formula injection.
 */
import ExcelJS from "exceljs";
import { beforeAll, describe, expect, it } from "vitest";
import { useTestDatabase } from "../helpers/db";
import { browserAs, run } from "../helpers/http";
import { getDb } from "~/server/db/client.server";
import { createSchool, createUnit, createUser } from "~/server/services/org.server";
import * as csvRoute from "~/routes/quan-tri.truong[.]csv";
import * as xlsxRoute from "~/routes/quan-tri.truong[.]xlsx";

useTestDatabase("export-schools");

const EVIL = ["=cmd|' /C calc'!A0", "@SUM(1)", "-2+3"];

beforeAll(async () => {
  const pw = "mat-khau-kiem-thu";
  const A = createUnit({ kind: "province", code: "XA", name: "Sở GDĐT Xuất A", parentId: null }, null);
  const A1 = createUnit({ kind: "district", code: "XA-D1", name: "Phòng GDĐT Một", parentId: A }, null);
  const B = createUnit({ kind: "province", code: "XB", name: "Sở GDĐT Xuất B", parentId: null }, null);
  createSchool({ code: "XA-01", name: EVIL[0], type: "TH", managingUnitId: A1, reviewingUnitId: A }, null);
  createSchool({ code: "XA-02", name: EVIL[1], type: "THCS", managingUnitId: A1, reviewingUnitId: A1 }, null);
  createSchool({ code: "XA-03", name: EVIL[2], type: "THPT", managingUnitId: A, reviewingUnitId: A }, null);
  const hoaSen = createSchool({ code: "XA-04", name: 'Trường "Hoa Sen", cơ sở 2', type: "TH", managingUnitId: A1, reviewingUnitId: A1 }, null);
  getDb().$client.prepare("UPDATE schools SET active = 0 WHERE id = ?").run(hoaSen);
  for (let i = 0; i < 25; i++) createSchool({ code: `XA-1${String(i).padStart(2, "0")}`, name: `Trường Tiểu học Số ${i}`, type: "TH", managingUnitId: A1, reviewingUnitId: A1 }, null);
  const sb = createSchool({ code: "XB-01", name: "Trường Bí Mật Tỉnh B", type: "TH", managingUnitId: B, reviewingUnitId: B }, null);
  await createUser({ username: "x.admin.a", displayName: "Admin A", password: pw, roles: ["office_admin"], unitId: A }, null);
  await createUser({ username: "x.rev.a1", displayName: "Rev A1", password: pw, roles: ["office_reviewer"], unitId: A1 }, null);
  await createUser({ username: "x.head.b", displayName: "HT B", password: pw, roles: ["school_head"], schoolId: sb }, null);
});

/** A small RFC 4180 parser (quoted fields, doubled quotes, CRLF). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let f = "";
  let q = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (q) {
      if (c === '"' && text[i + 1] === '"') (f += '"'), i++;
      else if (c === '"') q = false;
      else f += c;
    } else if (c === '"') q = true;
    else if (c === ",") row.push(f), (f = "");
    else if (c === "\r" && text[i + 1] === "\n") row.push(f), rows.push(row), (row = []), (f = ""), i++;
    else f += c;
  }
  if (f || row.length) row.push(f), rows.push(row);
  return rows;
}

const HEADER = ["Mã trường", "Tên trường", "Loại hình", "Đơn vị quản lý", "Đơn vị đánh giá ngoài", "Trạng thái"];

async function csvAs(username: string | undefined, query = "") {
  return run(csvRoute.loader as never, (await browserAs(username)).get(`/quan-tri/truong.csv${query}`));
}
async function xlsxAs(username: string | undefined, query = "") {
  return run(xlsxRoute.loader as never, (await browserAs(username)).get(`/quan-tri/truong.xlsx${query}`));
}

describe("schools CSV", () => {
  it("has a BOM, CRLF lines, the screen's columns, every page of the list, and escaped cells", async () => {
    const res = await csvAs("x.admin.a");
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
    expect(res.headers.get("Content-Disposition")).toMatch(/^attachment; filename="danh-sach-truong-\d{8}\.csv"/);
    expect(res.headers.get("Cache-Control")).toBe("private, no-store");
    const bytes = Buffer.from(await res.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.toString("utf8");
    expect(text.endsWith("\r\n")).toBe(true);
    const rows = parseCsv(text.slice(1));
    expect(rows[0]).toEqual(HEADER);
    // 29 schools of province A over two pages of the screen (20 a page), none of B.
    expect(rows).toHaveLength(1 + 29);
    expect(text).not.toContain("Bí Mật");
    const byCode = new Map(rows.slice(1).map((r) => [r[0], r]));
    expect(byCode.get("XA-01")).toEqual(["XA-01", "'=cmd|' /C calc'!A0", "TH", "Phòng GDĐT Một", "Sở GDĐT Xuất A", "Đang hoạt động"]);
    expect(byCode.get("XA-02")![1]).toBe("'@SUM(1)");
    expect(byCode.get("XA-03")![1]).toBe("'-2+3");
    expect(byCode.get("XA-04")).toEqual(["XA-04", 'Trường "Hoa Sen", cơ sở 2', "TH", "Phòng GDĐT Một", "Phòng GDĐT Một", "Ngừng hoạt động"]);
    // No cell of the file starts with a formula character.
    for (const r of rows) for (const cell of r) expect(cell, cell).not.toMatch(/^[=+\-@\t\r]/);
  });

  it("applies the list's filters and scope", async () => {
    const q = parseCsv(await (await csvAs("x.admin.a", "?q=so+17")).text());
    expect(q.slice(1)).toEqual([["XA-117", "Trường Tiểu học Số 17", "TH", "Phòng GDĐT Một", "Phòng GDĐT Một", "Đang hoạt động"]]);
    const typed = parseCsv(await (await csvAs("x.admin.a", "?type=THPT")).text());
    expect(typed.slice(1).map((r) => r[0])).toEqual(["XA-03"]);
    // A reviewer of the district sees only the schools of the district.
    const rev = parseCsv(await (await csvAs("x.rev.a1")).text());
    expect(rev.slice(1).map((r) => r[0])).not.toContain("XA-03");
    expect(rev.length).toBe(1 + 28);
    // Another province's unit as a filter: refused like on the screen.
    const B = getDb().$client.prepare("SELECT id FROM units WHERE code = 'XB'").get() as { id: number };
    expect((await csvAs("x.admin.a", `?unit=${B.id}`)).status).toBe(400);
    expect((await csvAs("x.admin.a", "?type=bogus")).status).toBe(400);
  });

  it("is refused to school users and sends anonymous visitors to log in", async () => {
    expect((await csvAs("x.head.b")).status).toBe(403);
    const anon = await csvAs(undefined);
    expect(anon.status).toBe(302);
    expect(anon.headers.get("Location")).toMatch(/^\/login\?redirectTo=/);
  });
});

describe("schools XLSX (streamed)", () => {
  it("reads back with text cells starting with a quote, never formulas, and no school of B", async () => {
    const res = await xlsxAs("x.admin.a");
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toBe("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    expect(res.headers.get("Content-Disposition")).toMatch(/^attachment; filename="danh-sach-truong-\d{8}\.xlsx"/);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await res.arrayBuffer());
    const ws = wb.worksheets[0];
    expect(ws.name).toBe("Danh sách trường");
    const values: unknown[][] = [];
    ws.eachRow((row) => values.push((row.values as unknown[]).slice(1)));
    expect(values[0]).toEqual(HEADER);
    expect(values).toHaveLength(1 + 29);
    expect(values.flat()).not.toContain("Trường Bí Mật Tỉnh B");
    for (let r = 1; r <= ws.rowCount; r++) {
      for (let c = 1; c <= 6; c++) {
        const cell = ws.getRow(r).getCell(c);
        expect(cell.formula, `${r}:${c}`).toBeUndefined();
        expect(cell.type, `${r}:${c}`).toBe(ExcelJS.ValueType.String);
      }
    }
    const names = values.slice(1).map((v) => v[1]);
    for (const evil of EVIL) expect(names).toContain(`'${evil}`);
    for (const n of names) expect(String(n)).not.toMatch(/^[=+\-@\t\r]/);
  });

  it("has the same gate and filters as the list", async () => {
    expect((await xlsxAs("x.head.b")).status).toBe(403);
    expect((await xlsxAs(undefined)).status).toBe(302);
    const res = await xlsxAs("x.admin.a", "?type=THCS");
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await res.arrayBuffer());
    expect(wb.worksheets[0].rowCount).toBe(2);
    expect(wb.worksheets[0].getRow(2).getCell(2).value).toBe("'@SUM(1)");
  });
});
