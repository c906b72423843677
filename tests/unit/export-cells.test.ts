/**
 * The export helper (app/server/export/cells.server.ts): every dangerous first character of a string is
 * escaped with a quote, numbers stay numbers, CSV is RFC 4180 with a BOM and CRLF, XLSX cells are text
 * values (never formulas).
 */
import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import { addSafeRow, csvField, csvLine, escapeFormula, safeCell, toCsv, xlsxCell } from "~/server/export/cells.server";

describe("safeCell: the table of cases", () => {
  const cases: [unknown, string][] = [
    ["=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"],
    ["=1+1", "'=1+1"],
    ["+1", "'+1"],
    ["-2+3", "'-2+3"],
    ["@SUM(1)", "'@SUM(1)"],
    ["\t=1", "'\t=1"],
    ["\r=1", "'\r=1"],
    ["\n=1", "'\n=1"],
    ["Trường Tiểu học Nguyễn Du", "Trường Tiểu học Nguyễn Du"],
    ["a=1", "a=1"],
    [" =1", " =1"],
    ["", ""],
    [-2, "-2"],
    [3.5, "3.5"],
    [0, "0"],
    [Number.NaN, ""],
    [Number.POSITIVE_INFINITY, ""],
    [null, ""],
    [undefined, ""],
    [true, "Có"],
    [false, "Không"],
  ];
  it.each(cases)("%j → %j", (input, expected) => {
    expect(safeCell(input as never)).toBe(expected);
  });

  it("dates are shown in Asia/Ho_Chi_Minh as dd/mm/yyyy HH:mm", () => {
    expect(safeCell(new Date("2025-12-31T17:30:00Z"))).toBe("01/01/2026 00:30");
  });

  it("escapeFormula only touches the first character", () => {
    expect(escapeFormula("x-y")).toBe("x-y");
    expect(escapeFormula("-")).toBe("'-");
  });
});

describe("CSV (RFC 4180)", () => {
  it("quotes fields with quotes, separators and line breaks, doubling quotes", () => {
    expect(csvField('Trường "Hoa Sen"')).toBe('"Trường ""Hoa Sen"""');
    expect(csvField("a,b")).toBe('"a,b"');
    expect(csvField("a;b")).toBe('"a;b"');
    expect(csvField("dòng 1\ndòng 2")).toBe('"dòng 1\ndòng 2"');
    expect(csvField("a\r\nb")).toBe('"a\r\nb"');
    expect(csvField("=cmd|' /C calc'!A0")).toBe("'=cmd|' /C calc'!A0");
    // Escaped first, then quoted: the quote prefix is inside the quoted field.
    expect(csvField('=HYPERLINK("http://x","y")')).toBe(`"'=HYPERLINK(""http://x"",""y"")"`);
    expect(csvField("\n=1")).toBe(`"'\n=1"`);
  });

  it("builds lines and a file with a BOM and CRLF line ends", () => {
    expect(csvLine(["Mã", -2, null, "@x"])).toBe("Mã,-2,,'@x");
    const csv = toCsv([
      ["Mã trường", "Tên trường"],
      ["T1", "+84 Trường"],
    ]);
    expect(csv).toBe("\uFEFFMã trường,Tên trường\r\nT1,'+84 Trường\r\n");
    expect(toCsv([])).toBe("\uFEFF");
  });
});

describe("XLSX (exceljs)", () => {
  it("xlsxCell keeps numbers, escapes strings, never returns a formula", () => {
    expect(xlsxCell(-2)).toBe(-2);
    expect(xlsxCell("-2")).toBe("'-2");
    expect(xlsxCell("=1+1")).toBe("'=1+1");
    expect(xlsxCell(null)).toBeNull();
    expect(xlsxCell(Number.NaN)).toBeNull();
  });

  it("addSafeRow writes text and number cells that read back as such", async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet("Thử");
    addSafeRow(ws, ["=cmd|' /C calc'!A0", "@SUM(1)", "-2+3", -2, 7.25, null, "Bình thường", new Date("2026-01-02T03:04:00Z")]);
    const back = new ExcelJS.Workbook();
    await back.xlsx.load(await wb.xlsx.writeBuffer());
    const row = back.worksheets[0].getRow(1);
    const cells = [1, 2, 3, 4, 5, 6, 7].map((i) => row.getCell(i));
    expect(cells.map((c) => c.value)).toEqual(["'=cmd|' /C calc'!A0", "'@SUM(1)", "'-2+3", -2, 7.25, null, "Bình thường"]);
    expect(cells.map((c) => c.type)).toEqual([
      ExcelJS.ValueType.String,
      ExcelJS.ValueType.String,
      ExcelJS.ValueType.String,
      ExcelJS.ValueType.Number,
      ExcelJS.ValueType.Number,
      ExcelJS.ValueType.Null,
      ExcelJS.ValueType.String,
    ]);
    expect(cells.every((c) => c.formula === undefined)).toBe(true);
    // Local wall-clock time (UTC+7) in a date cell.
    const d = row.getCell(8);
    expect(d.type).toBe(ExcelJS.ValueType.Date);
    expect((d.value as Date).toISOString()).toBe("2026-01-02T10:04:00.000Z");
    expect(d.numFmt).toBe("dd/mm/yyyy hh:mm");
  });
});
