/**
 * /thong-ke.xlsx and /thong-ke.csv: the results of a scope as a download. The demo province (its
 * previous year 2025-2026 recognised for every school) and a second province, Bắc, with a school
 * named "=1+2" assessed at Mức 2 through the services (the Mức 2 answers of tests/helpers/answers).
 * The workbook is read back with exceljs: sheets, headers, number cells and formats, frozen header,
 * autofilter, escaped text, and no school outside the request's scope.
 */
import ExcelJS from "exceljs";
import { beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { useTestDatabase } from "../helpers/db";
import { browserAs, run } from "../helpers/http";
import { LEVEL2_ANSWERS } from "../helpers/answers";
import { getDb } from "~/server/db/client.server";
import { assessments } from "~/server/db/schema.server";
import { seedDemoData } from "~/server/demo/seed.server";
import { createSchool, createUnit, createUser, updateSchool } from "~/server/services/org.server";
import { openCycle } from "~/server/services/cycles.server";
import { saveAnswers, submitAssessment } from "~/server/services/assessments.server";
import { approve, keepSelf } from "~/server/services/review.server";
import { getEdition } from "~/server/services/catalogue.server";
import { dashboard, scopeUnit } from "~/server/services/rollups.server";
import { schoolLayout, SchoolRowsReader } from "~/server/export/results-export.server";
import * as csvRoute from "~/routes/thong-ke[.]csv";
import * as xlsxRoute from "~/routes/thong-ke[.]xlsx";

useTestDatabase("export-results");

const PREV = "2025-2026";
const pw = "mat-khau-kiem-thu";
const ids: Record<string, number> = {};
let year = "";

const SHEETS = ["Tổng hợp", "Theo đơn vị", "Theo trường", "Theo chỉ số"];
const SCHOOL_HEAD = ["Mã trường", "Tên trường", "Loại hình", "Đơn vị quản lý", "Trạng thái hồ sơ", "Mức tự đánh giá", "Mức đánh giá ngoài", "Mức được công nhận", "Tổng điểm (TĐG)", "Nhóm 1 (TĐG)", "Nhóm 2 (TĐG)", "1.1 (TĐG)", "1.2 (TĐG)", "1.3.1 (TĐG)"];
const ITEMS = ["1.1", "1.2", "1.3.1", "1.3.2", "1.3.3", "1.3.4", "1.3.5", "1.4", "1.5.1", "1.5.2", "1.6.1", "1.6.2", "1.6.3", "1.7.1", "1.7.2", "1.7.3", "2.1", "2.2", "2.3.1", "2.3.2", "2.3.3", "2.3.4", "2.3.5", "2.3.6", "2.3.7", "2.3.8", "2.3.9", "2.4.1", "2.4.2", "2.4.3"];
const MANDATORY = new Set(["1.1", "1.2", "2.1", "2.2"]);

beforeAll(async () => {
  const db = getDb();
  await seedDemoData(db);
  const ministry = db.$client.prepare("SELECT id FROM units WHERE code = 'BGDDT'").get() as { id: number };
  ids.B = createUnit({ kind: "province", code: "XB", name: "Sở Giáo dục và Đào tạo tỉnh Bắc", parentId: ministry.id }, null);
  ids.evil = createSchool({ code: "XB-01", name: "=1+2", type: "TH", managingUnitId: ids.B, reviewingUnitId: ids.B }, null);
  ids.secret = createSchool({ code: "XB-02", name: "Trường Bí Mật Tỉnh Bắc", type: "THCS", managingUnitId: ids.B, reviewingUnitId: ids.B }, null);
  ids.badmin = await createUser({ username: "xb.admin", displayName: "Quản trị Bắc", password: pw, roles: ["office_admin", "office_reviewer"], unitId: ids.B }, null);
  ids.bhead = await createUser({ username: "xb.head", displayName: "Hiệu trưởng Bắc", password: pw, roles: ["school_head"], schoolId: ids.evil }, null);
  year = (db.$client.prepare("SELECT max(school_year) AS y FROM cycles").get() as { y: string }).y;
  const opened = openCycle({ ownerUnitId: ids.B, schoolYear: year, editionId: "qd-4725-2022", selfAssessmentDeadline: `${year.slice(5)}-05-31`, reviewDeadline: `${year.slice(5)}-06-20` }, ids.badmin);
  expect(opened).toMatchObject({ ok: true });
  // "=1+2": the Mức 2 answers, submitted, approved, the self-assessment kept as the external result.
  const a = db.select().from(assessments).where(eq(assessments.schoolId, ids.evil)).get()!;
  const changes = Object.fromEntries(Object.entries(LEVEL2_ANSWERS).map(([k, value]) => [k, { value }]));
  expect(saveAnswers(a.id, { baseVersion: a.version, changes }, ids.bhead)).toMatchObject({ ok: true });
  expect(submitAssessment(a.id, ids.bhead)).toMatchObject({ ok: true });
  expect(approve(a.id, ids.badmin)).toMatchObject({ ok: true });
  expect(keepSelf([a.id], ids.badmin).done).toEqual([a.id]);
}, 120_000);

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

async function get(route: { loader: unknown }, username: string | undefined, path: string) {
  return run(route.loader as never, (await browserAs(username)).get(path));
}

async function workbook(username: string, query: string) {
  const res = await get(xlsxRoute, username, `/thong-ke.xlsx?${query}`);
  expect(res.status, await res.clone().text().catch(() => "")).toBe(200);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(await res.arrayBuffer());
  return { res, wb };
}

function rowsOf(ws: ExcelJS.Worksheet): unknown[][] {
  const out: unknown[][] = [];
  const width = ws.getRow(1).cellCount;
  for (let r = 1; r <= ws.rowCount; r++) {
    const row = ws.getRow(r);
    out.push(Array.from({ length: width }, (_, c) => row.getCell(c + 1).value ?? null));
  }
  return out;
}

function header(ws: ExcelJS.Worksheet): string[] {
  return (ws.getRow(1).values as string[]).slice(1);
}

/** The stored results of a file, "self|item|1.3.1" → points (hundredths) and met. */
function stored(assessmentId: number): Map<string, { points: number; met: number | null }> {
  const rows = getDb()
    .$client.prepare("SELECT phase, kind, code, points, met FROM assessment_results WHERE assessment_id = ?")
    .all(assessmentId) as { phase: string; kind: string; code: string; points: number; met: number | null }[];
  return new Map(rows.map((r) => [`${r.phase}|${r.kind}|${r.code}`, { points: r.points, met: r.met }]));
}

describe("results XLSX (streamed)", () => {
  it("has the four sheets, Vietnamese headers, frozen header rows and autofilters", async () => {
    const { res, wb } = await workbook("so.demo", `nam=${PREV}`);
    expect(res.headers.get("Content-Type")).toBe("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    expect(res.headers.get("Content-Disposition")).toBe(
      `attachment; filename="Thong-ke-So-GD&DT-tinh-Dong-Son-${PREV}.xlsx"; filename*=UTF-8''${encodeURIComponent(`Thống-kê-Sở-GD&ĐT-tỉnh-Đông-Sơn-${PREV}.xlsx`)}`,
    );
    expect(res.headers.get("Cache-Control")).toBe("private, no-store");
    expect(wb.worksheets.map((w) => w.name)).toEqual(SHEETS);
    for (const ws of wb.worksheets) {
      expect(ws.views[0], ws.name).toMatchObject({ state: "frozen", ySplit: 1 });
      expect(ws.autoFilter, ws.name).toBeTruthy();
      expect(ws.getRow(1).font?.bold, ws.name).toBe(true);
      for (let c = 1; c <= ws.columnCount; c++) expect(ws.getColumn(c).width ?? 0, `${ws.name}:${c}`).toBeGreaterThanOrEqual(6);
    }
    const [sum, units, schools, inds] = wb.worksheets;
    expect(header(sum)).toEqual(["Nội dung", "Số hồ sơ có kết quả", "Mức 1", "Tỉ lệ Mức 1", "Mức 2", "Tỉ lệ Mức 2", "Mức 3", "Tỉ lệ Mức 3", "Điểm trung bình"]);
    expect(header(units)).toEqual(["Đơn vị", "Số hồ sơ", "Số hồ sơ có kết quả", "Mức 1", "Tỉ lệ Mức 1", "Mức 2", "Tỉ lệ Mức 2", "Mức 3", "Tỉ lệ Mức 3", "Điểm trung bình"]);
    expect(header(schools).slice(0, SCHOOL_HEAD.length)).toEqual(SCHOOL_HEAD);
    expect(header(schools)).toHaveLength(8 + 2 * (3 + ITEMS.length));
    expect(header(schools).slice(-1)).toEqual(["2.4.3 (ĐGN)"]);
    expect(header(inds).slice(0, 9)).toEqual(["Loại", "Mã", "Nội dung", "Điểm tối đa", "Điểm trung bình", "Tỉ lệ điểm trung bình / tối đa", "Số hồ sơ đạt", "Số hồ sơ", "Tỉ lệ đạt"]);
    // The autofilter covers the header and every school row.
    const lastCol = schools.getRow(1).cellCount;
    expect(schools.autoFilter).toBe(`A1:${schools.getColumn(lastCol).letter}${schools.rowCount}`);
  });

  it("summary and per-unit counts are number cells equal to the dashboard's, shares as fractions with a percent format", async () => {
    const { wb } = await workbook("so.demo", `nam=${PREV}&coSo=cong-nhan`);
    const scope = scopeUnit((getDb().$client.prepare("SELECT id FROM units WHERE code = 'S99'").get() as { id: number }).id)!;
    const d = dashboard(scope, { schoolYear: PREV, unitId: scope.unitId, basis: "recognised" });
    expect(d.levels.recognised.total).toBe(32);
    const sum = wb.getWorksheet("Tổng hợp")!;
    const rec = sum.getRow(2);
    expect(rec.getCell(1).value).toBe("Mức được công nhận");
    expect(rec.getCell(2).value).toBe(32);
    for (let l = 0; l < 3; l++) {
      expect(rec.getCell(3 + 2 * l).value).toBe(d.levels.recognised.counts[l]);
      expect(rec.getCell(4 + 2 * l).value).toBeCloseTo(d.levels.recognised.shares[l] / 1000, 10);
      expect(rec.getCell(4 + 2 * l).numFmt).toBe("0.0%");
    }
    // Shares of one distribution sum to 100%.
    expect([4, 6, 8].reduce((s, c) => s + (rec.getCell(c).value as number), 0)).toBeCloseTo(1, 10);
    expect(rec.getCell(9).value).toBeCloseTo(d.years.at(-1)!.avgPoints! / 100, 10);
    expect(rec.getCell(9).numFmt).toBe("0.00");
    const texts = rowsOf(sum).map((r) => r[0]);
    expect(texts).toContain("Nhóm 1: Chuyển đổi số trong dạy, học (Mức được công nhận)");
    expect(texts).toContain("Đơn vị");
    const unitRow = rowsOf(sum).find((r) => r[0] === "Đơn vị")!;
    expect(unitRow[1]).toBe("Sở Giáo dục và Đào tạo tỉnh Đông Sơn");

    const units = wb.getWorksheet("Theo đơn vị")!;
    const rows = rowsOf(units).slice(1);
    expect(rows.map((r) => r[0])).toEqual(d.subUnits.map((s) => s.name));
    expect(rows.reduce((s, r) => s + (r[1] as number), 0)).toBe(32);
    const phong = d.subUnits.find((s) => s.name.startsWith("Phòng"))!;
    const pr = rows.find((r) => r[0] === phong.name)!;
    expect(pr.slice(1, 9)).toEqual([phong.files, phong.dist.total, phong.dist.counts[0], phong.dist.shares[0] / 1000, phong.dist.counts[1], phong.dist.shares[1] / 1000, phong.dist.counts[2], phong.dist.shares[2] / 1000]);
    expect(pr[9]).toBeCloseTo(phong.avgPoints! / 100, 10);

    const inds = wb.getWorksheet("Theo chỉ số")!;
    const i13 = rowsOf(inds).find((r) => r[0] === "Chỉ số" && r[1] === "1.3")!;
    const d13 = d.indicators.find((i) => i.code === "1.3")!;
    expect(i13[3]).toBe(30);
    expect(i13[4]).toBeCloseTo(d13.avgPoints! / 100, 10);
    expect(i13[5]).toBeCloseTo(d13.avgShare! / 1000, 10);
    expect(i13[7]).toBe(32);
    const bandCols = header(inds).map((h, i) => [h, i] as const).filter(([h]) => h.startsWith("Phân mức chỉ số: "));
    expect(bandCols.map(([h]) => h)).toEqual(["Phân mức chỉ số: Mức 1", "Phân mức chỉ số: Mức 2", "Phân mức chỉ số: Mức 3"]);
    expect(bandCols.map(([, i]) => i13[i])).toEqual(d13.bands!.map((b) => b.count));
    const it131 = rowsOf(inds).find((r) => r[0] === "Tiêu chí" && r[1] === "1.3.1")!;
    const d131 = d.items.find((i) => i.code === "1.3.1")!;
    expect([it131[6], it131[7]]).toEqual([d131.met, d131.n]);
    expect(it131[8]).toBeCloseTo(d131.share / 1000, 10);
    expect(inds.getRow(rowsOf(inds).indexOf(it131) + 1).getCell(9).numFmt).toBe("0.0%");
  });

  it("one row per file of the scope with every item's points of both phases as number cells", async () => {
    const { wb } = await workbook("so.demo", `nam=${PREV}`);
    const ws = wb.getWorksheet("Theo trường")!;
    const head = header(ws);
    const rows = rowsOf(ws).slice(1);
    expect(rows).toHaveLength(32);
    expect(rows.map((r) => r[0])).toEqual([...rows.map((r) => r[0] as string)].sort());
    const names = rows.map((r) => r[1]);
    expect(names).not.toContain("=1+2");
    expect(names).not.toContain("'=1+2");
    expect(names).not.toContain("Trường Bí Mật Tỉnh Bắc");
    // A known school of the demo: its stored results, cell by cell.
    const known = getDb()
      .$client.prepare(
        `SELECT a.id AS id, s.code AS code, a.self_level AS self, a.external_level AS ext, a.recognised_level AS rec FROM assessments a JOIN schools s ON s.id = a.school_id JOIN cycles c ON c.id = a.cycle_id
          WHERE c.school_year = ? AND s.name = 'Trường THPT Lê Quý Đôn'`,
      )
      .get(PREV) as { id: number; code: string; self: number; ext: number; rec: number };
    const r = rows.find((x) => x[0] === known.code)!;
    const rowNo = rows.indexOf(r) + 2;
    expect(r.slice(1, 8)).toEqual(["Trường THPT Lê Quý Đôn", "THPT", "Sở Giáo dục và Đào tạo tỉnh Đông Sơn", "Đã công nhận", known.self, known.ext, known.rec]);
    expect(ws.getRow(rowNo).getCell(8).numFmt).toBe('"Mức "0');
    const res = stored(known.id);
    let numbers = 0;
    for (const phase of ["self", "external"] as const) {
      const p = phase === "self" ? "TĐG" : "ĐGN";
      const check = (key: string, col: string) => {
        const c = ws.getRow(rowNo).getCell(head.indexOf(col) + 1);
        const s = res.get(key);
        expect(s, key).toBeDefined();
        if (key.includes("|item|") && MANDATORY.has(key.split("|")[2])) expect(c.value, key).toBe(s!.met ? "Đạt" : "Chưa đạt");
        else {
          expect(c.type, key).toBe(ExcelJS.ValueType.Number);
          expect(c.value, key).toBeCloseTo(s!.points / 100, 10);
          expect(c.numFmt, key).toBe("0.00");
          numbers++;
        }
      };
      check(`${phase}|institution|`, `Tổng điểm (${p})`);
      check(`${phase}|group|1`, `Nhóm 1 (${p})`);
      check(`${phase}|group|2`, `Nhóm 2 (${p})`);
      for (const code of ITEMS) check(`${phase}|item|${code}`, `${code} (${p})`);
    }
    expect(numbers).toBe(2 * (3 + ITEMS.length - MANDATORY.size));
  });

  it("province Bắc sees only its files; the name =1+2 comes out escaped; the points are the Mức 2 answers'", async () => {
    const { wb } = await workbook("xb.admin", `nam=${year}`);
    const ws = wb.getWorksheet("Theo trường")!;
    const head = header(ws);
    const rows = rowsOf(ws).slice(1);
    expect(rows.map((r) => r[0])).toEqual(["XB-01", "XB-02"]);
    const evil = ws.getRow(2);
    expect(evil.getCell(2).value).toBe("'=1+2");
    expect(evil.getCell(2).type).toBe(ExcelJS.ValueType.String);
    expect(evil.getCell(2).formula).toBeUndefined();
    expect(rows[0].slice(2, 8)).toEqual(["TH", "Sở Giáo dục và Đào tạo tỉnh Bắc", "Đã đánh giá ngoài", 2, 2, null]);
    // Points from the catalogue: answered boolean and 1/1 ratio items give their maximum, the rest 0.
    const edition = getEdition("qd-4725-2022")!.edition;
    const items = edition.groups.flatMap((g) => g.indicators.flatMap((i) => i.items));
    expect(items.map((i) => i.code)).toEqual(ITEMS);
    let total = 0;
    for (const it of items) {
      const expected = it.rule === "mandatory" ? "Đạt" : it.code in LEVEL2_ANSWERS ? it.max : 0;
      if (typeof expected === "number") total += expected;
      for (const p of ["TĐG", "ĐGN"]) expect(evil.getCell(head.indexOf(`${it.code} (${p})`) + 1).value, `${it.code} ${p}`).toBe(expected);
    }
    expect(evil.getCell(head.indexOf("Tổng điểm (TĐG)") + 1).value).toBe(total);
    expect(evil.getCell(head.indexOf("Tổng điểm (ĐGN)") + 1).value).toBe(total);
    // The draft file: no results, empty cells.
    expect(rows[1].slice(1, 9)).toEqual(["Trường Bí Mật Tỉnh Bắc", "THCS", "Sở Giáo dục và Đào tạo tỉnh Bắc", "Đang soạn", null, null, null, null]);
    // No cell anywhere starts like a formula.
    for (const sheet of wb.worksheets)
      sheet.eachRow((row) =>
        row.eachCell((c) => {
          expect(c.formula).toBeUndefined();
          if (typeof c.value === "string") expect(c.value).not.toMatch(/^[=+\-@]/);
        }),
      );
  });

  it("the nation (system admin) has both provinces; the scope is the request's", async () => {
    const { wb } = await workbook("admin", `nam=${year}`);
    const names = rowsOf(wb.getWorksheet("Theo trường")!).map((r) => r[1]);
    expect(names).toContain("'=1+2");
    expect(names).toContain("Trường Tiểu học Nguyễn Du");
    const units = rowsOf(wb.getWorksheet("Theo đơn vị")!).slice(1).map((r) => r[0]);
    expect(units).toEqual(expect.arrayContaining(["Sở Giáo dục và Đào tạo tỉnh Đông Sơn", "Sở Giáo dục và Đào tạo tỉnh Bắc"]));
  });

  it("is refused outside the scope, to schools, and sends anonymous visitors to log in", async () => {
    expect((await get(xlsxRoute, "so.demo", `/thong-ke.xlsx?donVi=${ids.B}`)).status).toBe(403);
    expect((await get(xlsxRoute, "xb.head", "/thong-ke.xlsx")).status).toBe(403);
    expect((await get(xlsxRoute, "so.demo", "/thong-ke.xlsx?coSo=bogus")).status).toBe(400);
    const anon = await get(xlsxRoute, undefined, "/thong-ke.xlsx");
    expect(anon.status).toBe(302);
    expect(anon.headers.get("Location")).toMatch(/^\/login\?redirectTo=/);
  });
});

describe("the per-school rows", () => {
  it("are read on a connection of their own, in one snapshot: writes of other requests go on meanwhile", () => {
    const scope = scopeUnit(ids.B)!;
    const reader = new SchoolRowsReader(scope, { schoolYear: year, unitId: ids.B, basis: "self" });
    expect(reader.files).toBe(2);
    const rows = reader.rows(schoolLayout(getEdition("qd-4725-2022")!.edition));
    expect(rows.next().value!.slice(0, 2)).toEqual(["XB-01", "=1+2"]);
    // The iterator is open: on the process-wide connection this write would fail ("connection is busy").
    const input = { code: "XB-02", name: "Trường Đổi Tên Giữa Chừng", type: "THCS" as const, managingUnitId: ids.B, reviewingUnitId: ids.B, active: true };
    expect(updateSchool(ids.secret, input, ids.badmin)).toBe(true);
    // The rows come from the snapshot the export started on.
    expect(rows.next().value!.slice(0, 2)).toEqual(["XB-02", "Trường Bí Mật Tỉnh Bắc"]);
    expect(rows.next().done).toBe(true);
    reader.close();
    updateSchool(ids.secret, { ...input, name: "Trường Bí Mật Tỉnh Bắc" }, ids.badmin);
  });
});

describe("results CSV", () => {
  it("is the per-school sheet: BOM, the same header, one line per file, escaped cells", async () => {
    const res = await get(csvRoute, "so.demo", `/thong-ke.csv?nam=${PREV}`);
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
    expect(res.headers.get("Content-Disposition")).toMatch(/^attachment; filename="Thong-ke-So-GD&DT-tinh-Dong-Son-2025-2026\.csv"/);
    const bytes = Buffer.from(await res.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.toString("utf8");
    expect(text.endsWith("\r\n")).toBe(true);
    const rows = parseCsv(text.slice(1));
    expect(rows[0].slice(0, SCHOOL_HEAD.length)).toEqual(SCHOOL_HEAD);
    expect(rows[0]).toHaveLength(8 + 2 * (3 + ITEMS.length));
    expect(rows).toHaveLength(1 + 32);
    for (const r of rows) expect(r).toHaveLength(rows[0].length);
    expect(text).not.toContain("Bí Mật");
    const lqd = rows.find((r) => r[1] === "Trường THPT Lê Quý Đôn")!;
    expect(lqd[4]).toBe("Đã công nhận");
    expect(Number(lqd[rows[0].indexOf("Tổng điểm (ĐGN)")])).toBeGreaterThan(0);

    const b = parseCsv((await (await get(csvRoute, "xb.admin", `/thong-ke.csv?nam=${year}`)).text()).slice(1));
    expect(b.slice(1).map((r) => r.slice(0, 2))).toEqual([
      ["XB-01", "'=1+2"],
      ["XB-02", "Trường Bí Mật Tỉnh Bắc"],
    ]);
    expect(b[1][b[0].indexOf("1.4 (ĐGN)")]).toBe("10");
    expect(b[1][b[0].indexOf("1.1 (TĐG)")]).toBe("Đạt");
    expect((await get(csvRoute, "xb.admin", `/thong-ke.csv?donVi=${(getDb().$client.prepare("SELECT id FROM units WHERE code = 'S99'").get() as { id: number }).id}`)).status).toBe(403);
  });
});
