/**
 * The scoring engine against the rules of docs/domain 4725.md §2-3. Every expected number is
 * derived by hand in a comment next to it.
 */
import {
  formatPoints,
  nextLevelHints,
  ratioHundredths,
  scoreAssessment,
  suggestChoice,
  validateAnswers,
  type Answers,
  type ScoreResult,
} from "~/domain/scoring";
import { hasAtMostTwoDecimals } from "~/domain/scoring/arithmetic";
import { fullMarks, ITEM_CODES, loadEdition, testEditionRaw } from "./_fixtures";

const edition = loadEdition();
const testEdition = loadEdition(testEditionRaw());
const instEdition = loadEdition({ ...testEditionRaw("cap-institution-level"), id: "test-inst" });

const item = (r: ScoreResult, code: string) => r.items.find((x) => x.code === code)!;
const indicator = (r: ScoreResult, code: string) => r.indicators.find((x) => x.code === code)!;
const group = (r: ScoreResult, code: string) => r.groups.find((x) => x.code === code)!;
const ratio = (numerator: number, denominator: number) => ({ numerator, denominator });
const allMandatory = { "1.1": true, "1.2": true, "2.1": true, "2.2": true };

describe("formatPoints", () => {
  it("shows at most 2 decimals, a decimal comma in vi, no trailing zeros", () => {
    expect(formatPoints(7250, "vi")).toBe("72,5");
    expect(formatPoints(7250, "en")).toBe("72.5");
    expect(formatPoints(102)).toBe("1,02");
    expect(formatPoints(5)).toBe("0,05");
    expect(formatPoints(7500)).toBe("75");
    expect(formatPoints(0)).toBe("0");
    expect(formatPoints(10000)).toBe("100");
    expect(formatPoints(7501)).toBe("75,01");
    expect(formatPoints(-150)).toBe("-1,5");
  });
  it("refuses a non-integer number of hundredths", () => {
    expect(() => formatPoints(1.5)).toThrow(RangeError);
  });
});

describe("integer arithmetic", () => {
  it("rounds half away from zero in hundredths", () => {
    // 7 × 29/200 = 1.015 → 1.02: 700 × 29 / 200 = 101.5 hundredths → 102.
    expect(ratioHundredths(700, 29, 200)).toBe(102);
    // 7 × 1/1400 = 0.005 → 0.01: 700/1400 = 0.5 hundredth → 1.
    expect(ratioHundredths(700, 1, 1400)).toBe(1);
    // 7 × 1449999/10000000 = 1.0149993 → 1.01 (stays below the half).
    expect(ratioHundredths(700, 1_449_999, 10_000_000)).toBe(101);
    // 10 × 2/3 = 6.666… → 6.67; 10 × 1/3 = 3.333… → 3.33.
    expect(ratioHundredths(1000, 2, 3)).toBe(667);
    expect(ratioHundredths(1000, 1, 3)).toBe(333);
    // 15 × 1/8 = 1.875 → 1.88.
    expect(ratioHundredths(1500, 1, 8)).toBe(188);
  });
  it("stays exact beyond the safe-integer range of the product (BigInt path)", () => {
    const big = Number.MAX_SAFE_INTEGER; // 2^53 − 1
    // 7 × (2^53 − 2)/(2^53 − 1) is just below 7 → 7.00.
    expect(ratioHundredths(700, big - 1, big)).toBe(700);
    // 7 × 2^52/2^53 = 3.5 exactly.
    expect(ratioHundredths(700, 2 ** 52, 2 ** 53)).toBe(350);
    // 7 × 1/(2^53 − 1) is ~0 → 0.
    expect(ratioHundredths(700, 1, big)).toBe(0);
  });
  it("detects more than 2 decimals without being fooled by binary floating point", () => {
    expect(hasAtMostTwoDecimals(0.29)).toBe(true);
    expect(hasAtMostTwoDecimals(72.5)).toBe(true);
    expect(hasAtMostTwoDecimals(1.015)).toBe(false);
    expect(hasAtMostTwoDecimals(0.1 + 0.2)).toBe(false); // 0.30000000000000004
    expect(hasAtMostTwoDecimals(Number.NaN)).toBe(false);
  });
});

describe("rule types on the working edition", () => {
  it("boolean: met gives the max, not met and unanswered give 0", () => {
    const r = scoreAssessment(edition, { "1.3.1": true, "1.3.2": false });
    expect(item(r, "1.3.1")).toMatchObject({ points: 600, max: 600, answered: true, met: true, explanation: "Đạt → 6" });
    expect(item(r, "1.3.2")).toMatchObject({ points: 0, max: 600, answered: true, met: false });
    expect(item(r, "1.3.3")).toMatchObject({ points: 0, max: 600, answered: false, explanation: "Chưa trả lời → 0" });
  });

  it("ratio: max × numerator / denominator in hundredths, with the worked explanation", () => {
    const r = scoreAssessment(edition, {
      "1.6.1": ratio(29, 200), // 7 × 29/200 = 1.015 → 1.02
      "1.6.2": ratio(1, 1400), // 7 × 1/1400 = 0.005 → 0.01
      "1.6.3": ratio(5, 6), // 6 × 5/6 = 5 exactly
      "1.4": ratio(1, 3), // 10 × 1/3 = 3.333… → 3.33
      "1.7.1": ratio(0, 8), // 8 × 0/8 = 0
    });
    expect(item(r, "1.6.1").points).toBe(102);
    expect(item(r, "1.6.1").explanation).toBe("7 × 29/200 = 1,015 → 1,02");
    expect(item(r, "1.6.2").points).toBe(1);
    expect(item(r, "1.6.2").explanation).toBe("7 × 1/1400 = 0,005 → 0,01");
    expect(item(r, "1.6.3").points).toBe(500);
    expect(item(r, "1.6.3").explanation).toBe("6 × 5/6 = 5");
    expect(item(r, "1.4").points).toBe(333);
    expect(item(r, "1.4").explanation).toBe("10 × 1/3 = 3,3333… → 3,33");
    expect(item(r, "1.7.1")).toMatchObject({ points: 0, answered: true });
    // Indicator 1.6 = 1.02 + 0.01 + 5 = 6.03.
    expect(indicator(r, "1.6")).toMatchObject({ points: 603, max: 2000 });
    expect(indicator(r, "1.6").explanation).toBe("1,02 + 0,01 + 5 = 6,03");
  });

  it("ratio: x.xx4999 is not rounded up", () => {
    // 7 × 1449999/10000000 = 1.0149993 → 1.01.
    const r = scoreAssessment(edition, { "1.6.1": ratio(1_449_999, 10_000_000) });
    expect(item(r, "1.6.1").points).toBe(101);
    expect(item(r, "1.6.1").explanation).toBe("7 × 1449999/10000000 = 1,0149… → 1,01");
  });

  it("ratio explanations in English use a decimal point", () => {
    const r = scoreAssessment(edition, { "1.6.1": ratio(29, 200) }, { locale: "en" });
    expect(item(r, "1.6.1").explanation).toBe("7 × 29/200 = 1.015 → 1.02");
    expect(r.levelName).toBe("Not yet meeting requirements");
  });

  it("choice: each option is worth its fixed points", () => {
    // Options of 1.7.2: chua-dap-ung 0, co-ban 5, tot 7.
    for (const [opt, pts] of [
      ["chua-dap-ung", 0],
      ["co-ban", 500],
      ["tot", 700],
    ] as const) {
      const r = scoreAssessment(edition, { "1.7.2": opt });
      expect(item(r, "1.7.2")).toMatchObject({ points: pts, max: 700, answered: true, option: opt });
      expect(indicator(r, "1.7").points).toBe(pts);
    }
    expect(item(scoreAssessment(edition, { "1.7.2": "co-ban" }), "1.7.2").explanation).toBe("«Đáp ứng cơ bản» → 5");
  });

  it("mandatory: no points; met, not met, unanswered", () => {
    const r = scoreAssessment(edition, { "1.1": true, "1.2": false });
    expect(item(r, "1.1")).toMatchObject({ points: 0, max: 0, met: true, answered: true });
    expect(item(r, "1.2")).toMatchObject({ points: 0, max: 0, met: false, answered: true });
    expect(item(r, "2.1")).toMatchObject({ points: 0, max: 0, met: false, answered: false });
    expect(r.mandatoryUnmet).toEqual(["1.2", "2.1", "2.2"]);
    expect(indicator(r, "1.1")).toMatchObject({ scored: false, points: 0, max: 0 });
  });

  it("values of the wrong shape are scored as unanswered, never above the max", () => {
    const r = scoreAssessment(edition, {
      "1.3.1": "true",
      "1.6.1": ratio(300, 200),
      "1.6.2": ratio(1, 0),
      "1.6.3": ratio(-1, 2),
      "1.7.2": "kha",
      "1.1": 1 as unknown as boolean,
    } as unknown as Answers);
    for (const code of ["1.3.1", "1.6.1", "1.6.2", "1.6.3", "1.7.2", "1.1"]) {
      expect(item(r, code)).toMatchObject({ points: 0, answered: false });
    }
    expect(r.mandatoryUnmet).toContain("1.1");
  });
});

describe("totals and levels on the working edition", () => {
  it("full marks: 100 / 100, Mức 3 everywhere, 30 of 30 answered", () => {
    const r = scoreAssessment(edition, fullMarks() as Answers);
    expect(r.items.map((i) => i.code)).toEqual(ITEM_CODES);
    for (const i of r.items) expect(i.points).toBe(i.max);
    expect(group(r, "1")).toMatchObject({ points: 10000, max: 10000, level: 3, levelName: "Mức đáp ứng tốt" });
    expect(group(r, "2")).toMatchObject({ points: 10000, max: 10000, level: 3 });
    expect(r.level).toBe(3);
    expect(r.mandatoryUnmet).toEqual([]);
    expect(r.answered).toBe(30);
    expect(r.total).toBe(30);
    expect(r.missingInfo).toEqual([]);
  });

  it("no answers: everything 0, every mandatory unmet, Mức 1", () => {
    const r = scoreAssessment(edition, {});
    for (const i of r.items) expect(i.points).toBe(0);
    expect(r.groups.map((g) => [g.points, g.level])).toEqual([
      [0, 1],
      [0, 1],
    ]);
    expect(r.mandatoryUnmet).toEqual(["1.1", "1.2", "2.1", "2.2"]);
    expect(r.level).toBe(1);
    expect(r.answered).toBe(0);
  });

  // Group 2 maxima: 2.3.1 6, 2.3.2 6, 2.3.3 10, 2.3.4 10, 2.3.5 6, 2.3.6 10, 2.3.7 10, 2.3.8 6, 2.3.9 6, 2.4.1 8, 2.4.2 12, 2.4.3 10 (ratio).
  const forty = { "2.3.3": true, "2.3.4": true, "2.3.6": true, "2.3.7": true }; // 4 × 10 = 40
  const seventy = { ...forty, "2.3.1": true, "2.3.2": true, "2.3.5": true, "2.3.8": true, "2.3.9": true }; // 40 + 5 × 6 = 70
  it.each([
    ["49.99 → Mức 1", { ...forty, "2.4.3": ratio(999, 1000) }, 4999, 1], // 40 + 10 × 0.999 = 49.99
    ["50 → Mức 2", { ...forty, "2.4.3": ratio(1, 1) }, 5000, 2], // 40 + 10
    ["75 → Mức 2", { ...seventy, "2.4.3": ratio(1, 2) }, 7500, 2], // 70 + 5
    ["75.01 → Mức 3", { ...seventy, "2.4.3": ratio(501, 1000) }, 7501, 3], // 70 + 5.01
  ])("group 2 at %s", (_name, answers, points, level) => {
    const r = scoreAssessment(edition, { ...allMandatory, ...answers });
    expect(group(r, "2")).toMatchObject({ points, level, pointsLevel: level });
  });

  it("1.3 bands at 6 / 12 / 18 / 24 / 30 points (Mức 1 < 10, Mức 2 10-20, Mức 3 > 20)", () => {
    const codes = ["1.3.1", "1.3.2", "1.3.3", "1.3.4", "1.3.5"];
    const expected = [
      [0, 1],
      [600, 1],
      [1200, 2],
      [1800, 2],
      [2400, 3],
      [3000, 3],
    ];
    for (let n = 0; n <= 5; n++) {
      const answers = Object.fromEntries(codes.slice(0, n).map((c) => [c, true]));
      const ind = indicator(scoreAssessment(edition, answers), "1.3");
      expect([ind.points, ind.band?.level]).toEqual(expected[n]);
      expect(ind.band?.name).toBe(`Mức ${expected[n][1]}`);
    }
  });

  it("only 1.3 has a band; other indicators have none", () => {
    const r = scoreAssessment(edition, fullMarks() as Answers);
    expect(r.indicators.filter((i) => i.band).map((i) => i.code)).toEqual(["1.3"]);
  });

  it("an unmet mandatory condition makes its group Mức 1, and so the institution", () => {
    const a = { ...fullMarks(), "1.2": false } as Answers;
    const r = scoreAssessment(edition, a);
    expect(group(r, "1")).toMatchObject({ points: 10000, pointsLevel: 3, level: 1, mandatoryUnmet: ["1.2"] });
    expect(group(r, "2")).toMatchObject({ level: 3, mandatoryUnmet: [] });
    expect(r.level).toBe(1);
    expect(r.mandatoryUnmet).toEqual(["1.2"]);
    expect(group(r, "1").explanation).toBe(
      "30 + 10 + 20 + 20 + 20 = 100 → Mức 3 (Mức đáp ứng tốt); chưa đạt điều kiện bắt buộc 1.2 → Mức 1 (Mức chưa đáp ứng)",
    );
  });

  it("an unanswered mandatory condition is unmet", () => {
    const a = { ...fullMarks() } as Record<string, unknown>;
    delete a["2.2"];
    const r = scoreAssessment(edition, a as Answers);
    expect(group(r, "2")).toMatchObject({ points: 10000, level: 1, mandatoryUnmet: ["2.2"] });
    expect(group(r, "1").level).toBe(3);
    expect(r.level).toBe(1);
    expect(r.answered).toBe(29);
  });

  it("institution level = the lower of the group levels", () => {
    // Group 1 full (Mức 3); group 2 at exactly 50 (Mức 2) → institution Mức 2.
    const g2at50 = { "2.3.3": true, "2.3.4": true, "2.3.6": true, "2.3.7": true, "2.4.3": ratio(1, 1) };
    const full = fullMarks();
    const g1 = Object.fromEntries(Object.entries(full).filter(([k]) => k.startsWith("1.")));
    const r = scoreAssessment(edition, { ...g1, "2.1": true, "2.2": true, ...g2at50 } as Answers);
    expect([group(r, "1").level, group(r, "2").level, r.level]).toEqual([3, 2, 2]);
    expect(r.explanation).toBe("Mức thấp nhất của các nhóm: nhóm 1 Mức 3, nhóm 2 Mức 2 → Mức 2 (Mức đáp ứng cơ bản)");

    // The other way round: group 1 at 0 (Mức 1), group 2 full (Mức 3) → Mức 1.
    const g2 = Object.fromEntries(Object.entries(full).filter(([k]) => k.startsWith("2.")));
    const r2 = scoreAssessment(edition, { "1.1": true, "1.2": true, ...g2 } as Answers);
    expect([group(r2, "1").level, group(r2, "2").level, r2.level]).toEqual([1, 3, 1]);
  });

  it("the example of the brief", () => {
    const r = scoreAssessment(edition, { "1.1": true, "1.3.1": true, "1.6.1": ratio(29, 200), "1.7.2": "co-ban" });
    // Group 1: 1.3 = 6, 1.4 = 0, 1.5 = 0, 1.6 = 1.02, 1.7 = 5 → 12.02.
    expect(group(r, "1").points).toBe(1202);
    expect(indicator(r, "1.3")).toMatchObject({ points: 600, band: { level: 1 } });
    expect(r.mandatoryUnmet).toEqual(["1.2", "2.1", "2.2"]);
    expect(r.level).toBe(1);
    expect(r.answered).toBe(4);
  });

  it("LMS info is required (missingInfo) when any of 1.3.2-1.3.5 is met, and only then", () => {
    expect(scoreAssessment(edition, { "1.3.1": true }).missingInfo).toEqual([]);
    expect(scoreAssessment(edition, { "1.3.4": true }).missingInfo).toEqual(["1.3.lms"]);
    expect(scoreAssessment(edition, { "1.3.4": true, "1.3.lms": { name: "X" } }).missingInfo).toEqual(["1.3.lms"]);
    expect(scoreAssessment(edition, { "1.3.4": true, "1.3.lms": { name: "X", acquisition: "mua" } }).missingInfo).toEqual([]);
  });
});

describe("boundaries on a small test edition", () => {
  it.each([
    [4999, 10000, 4999, 1], // 100 × 0.4999 = 49.99
    [1, 2, 5000, 2], // 50
    [3, 4, 7500, 2], // 75 exactly stays Mức 2
    [7501, 10000, 7501, 3], // 75.01
    [0, 1, 0, 1],
    [1, 1, 10000, 3],
  ])("group 2 with 2.1 = %i/%i → %i hundredths, Mức %i", (n, d, points, level) => {
    const r = scoreAssessment(testEdition, { "2.1": ratio(n, d), "2.2": true });
    expect(group(r, "2")).toMatchObject({ points, level });
    expect(item(r, "2.1").indicatorCode).toBe("2.1");
  });

  it.each([
    [333, 1000, 999, 1], // 30 × 0.333 = 9.99 → Mức 1
    [1, 3, 1000, 2], // 30 × 1/3 = 10 → Mức 2
    [2, 3, 2000, 2], // 30 × 2/3 = 20 → Mức 2
    [667, 1000, 2001, 3], // 30 × 0.667 = 20.01 → Mức 3
  ])("indicator 1.2 bands: 1.2.1 = %i/%i → %i hundredths, band %i", (n, d, points, band) => {
    const ind = indicator(scoreAssessment(testEdition, { "1.2.1": ratio(n, d) }), "1.2");
    expect(ind.points).toBe(points);
    expect(ind.band?.level).toBe(band);
  });

  it("cap-institution-level: group levels stay, the institution is capped", () => {
    const r = scoreAssessment(instEdition, { "1.2.1": ratio(1, 1), "1.3.1": ratio(1, 1), "2.1": ratio(1, 1), "2.2": true });
    // 1.1 unanswered → unmet; group 1 = 100 stays Mức 3 under this rule, the institution drops to Mức 1.
    expect(group(r, "1")).toMatchObject({ points: 10000, level: 3, mandatoryUnmet: ["1.1"] });
    expect(r.level).toBe(1);
    const ok = scoreAssessment(instEdition, { "1.1": true, "1.2.1": ratio(1, 1), "1.3.1": ratio(1, 1), "2.1": ratio(1, 1), "2.2": true });
    expect(ok.level).toBe(3);
  });
});

describe("validateAnswers", () => {
  const errs = (raw: unknown) => validateAnswers(edition, raw).errors;

  it("accepts valid answers, null as unanswered, and reports nothing", () => {
    const v = validateAnswers(edition, { ...fullMarks(), "1.4": null });
    expect(v.errors).toEqual([]);
    expect(v.warnings).toEqual([]);
    expect("1.4" in v.answers).toBe(false);
    expect(v.answers["1.6.1"]).toEqual({ numerator: 12, denominator: 12 });
  });

  it("refuses a non-object", () => {
    for (const raw of [null, [], "x", 3]) {
      const e = errs(raw);
      expect(e).toHaveLength(1);
      expect(e[0].code).toBeUndefined();
      expect(e[0].vi).toContain("đối tượng");
    }
  });

  it.each([
    ["unknown code", { "9.9": true }, "9.9", "không có trong bộ chỉ số", "unknown item code"],
    ["boolean expected", { "1.3.1": "true" }, "1.3.1", "true (đạt) hoặc false", "expected true"],
    ["boolean expected for mandatory", { "2.1": 1 }, "2.1", "true (đạt) hoặc false", "expected true"],
    ["ratio expected", { "1.6.1": 5 }, "1.6.1", '{"numerator"', '{"numerator"'],
    ["ratio not whole", { "1.6.1": { numerator: 2.5, denominator: 10 } }, "1.6.1", "tử số phải là số nguyên", "numerator must be a whole number"],
    ["ratio as strings", { "1.6.1": { numerator: "2", denominator: 10 } }, "1.6.1", "tử số phải là số nguyên", "whole number"],
    ["ratio negative", { "1.6.1": { numerator: -1, denominator: 10 } }, "1.6.1", "tử số không được âm", "must not be negative"],
    ["denominator 0", { "1.6.1": { numerator: 0, denominator: 0 } }, "1.6.1", "mẫu số phải lớn hơn 0", "denominator must be greater than 0"],
    ["numerator > denominator", { "1.6.1": { numerator: 250, denominator: 200 } }, "1.6.1", "tử số (250) lớn hơn mẫu số (200)", "numerator (250) is greater than denominator (200)"],
    ["missing denominator", { "1.4": { numerator: 1 } }, "1.4", "thiếu mẫu số", "missing denominator"],
    ["extra ratio field", { "1.4": { numerator: 1, denominator: 2, note: "x" } }, "1.4", '"note"', '"note"'],
    ["option id expected", { "1.7.2": 7 }, "1.7.2", "cần mã một phương án: chua-dap-ung, co-ban, tot", "expected an option id"],
    ["unknown option", { "1.7.2": "kha" }, "1.7.2", 'không có phương án "kha"', 'unknown option "kha"'],
    ["info not an object", { "1.3.lms": "Moodle" }, "1.3.lms", "cần đối tượng", "expected an object"],
    ["info unknown field", { "1.3.lms": { name: "Moodle", vendor: "x" } }, "1.3.lms", '"vendor"', '"vendor"'],
    ["info bad acquisition", { "1.3.lms": { name: "Moodle", acquisition: "muon" } }, "1.3.lms", '"muon"', '"muon"'],
  ])("%s", (_name, raw, code, vi, en) => {
    const e = errs(raw);
    expect(e).toHaveLength(1);
    expect(e[0].code).toBe(code);
    expect(e[0].vi).toContain(code);
    expect(e[0].vi).toContain(vi);
    expect(e[0].en).toContain(code);
    expect(e[0].en).toContain(en);
  });

  it("reports every problem, one per error, and keeps the valid answers", () => {
    const v = validateAnswers(edition, { "1.1": true, "x": 1, "1.6.1": { numerator: 3, denominator: 2 }, "1.7.2": "tot" });
    expect(v.errors.map((e) => e.code)).toEqual(["x", "1.6.1"]);
    expect(v.answers).toEqual({ "1.1": true, "1.7.2": "tot" });
  });

  it("warns (does not refuse) when the LMS info is missing for a met 1.3.2-1.3.5", () => {
    const v = validateAnswers(edition, { "1.3.2": true, "1.3.5": true });
    expect(v.errors).toEqual([]);
    expect(v.warnings).toHaveLength(1);
    expect(v.warnings[0].code).toBe("1.3.lms");
    expect(v.warnings[0].vi).toBe("1.3.lms: cần khai báo Thông tin hệ thống LMS/LCMS (Tên giải pháp, Hình thức) vì đã đạt 1.3.2, 1.3.5.");
    expect(validateAnswers(edition, { "1.3.2": false, "1.3.1": true }).warnings).toEqual([]);
  });
});

describe("suggestChoice for 1.7.2 (pupils in the largest lab class / working computers)", () => {
  const s = (type: string, pupils: number, computers: number) => suggestChoice(edition, "1.7.2", type, { pupils, computers });
  const opt = (r: ReturnType<typeof s>) => (r.ok ? r.option : `error: ${r.error.en}`);

  it.each([
    // TH: basic ≤ 3 pupils per computer; good = 1.
    ["TH", 60, 20, "co-ban"], // 3.0
    ["TH", 61, 20, "chua-dap-ung"], // 3.05
    ["TH", 20, 20, "tot"], // 1.0
    ["TH", 21, 20, "co-ban"], // 1.05
    // THCS: basic ≤ 2.
    ["THCS", 40, 20, "co-ban"],
    ["THCS", 41, 20, "chua-dap-ung"],
    // THPT: basic = good = 1 pupil per computer.
    ["THPT", 20, 20, "tot"],
    ["THPT", 21, 20, "chua-dap-ung"],
    // Multi-level: strictest level they contain.
    ["TH&THCS", 60, 20, "chua-dap-ung"], // 3 > 2 (THCS)
    ["TH&THCS", 40, 20, "co-ban"],
    ["THCS&THPT", 40, 20, "chua-dap-ung"], // 2 > 1 (THPT)
    ["TH-THCS-THPT", 20, 20, "tot"],
    // GDTX is treated as THPT.
    ["GDTX", 21, 20, "chua-dap-ung"],
    ["GDTX", 19, 20, "tot"],
    // No working computer: below the basic level.
    ["TH", 30, 0, "chua-dap-ung"],
  ])("%s: %i pupils / %i computers → %s", (type, pupils, computers, expected) => {
    expect(opt(s(type, pupils, computers))).toBe(expected);
  });

  it("explains the ratio and thresholds", () => {
    const r = s("TH&THCS", 45, 20);
    expect(r.ok && r.pupilsPerComputer).toBe(225);
    expect(r.ok && r.explanation.vi).toBe(
      "45 học sinh / 20 máy = 2,25 học sinh/máy; ngưỡng cho TH&THCS: «Đáp ứng tốt (mỗi học sinh một máy tính)» ≤ 1, «Đáp ứng cơ bản» ≤ 2 → «Chưa đáp ứng (dưới mức cơ bản)»",
    );
  });

  it("refuses bad input", () => {
    expect(opt(s("MN", 10, 10))).toContain('School type "MN"');
    expect(opt(s("TH", 0, 10))).toContain("greater than 0");
    expect(opt(s("TH", 2.5, 10))).toContain("whole number");
    expect(opt(s("TH", 10, -1))).toContain("whole number");
    const r = suggestChoice(edition, "1.6.1", "TH", { pupils: 1, computers: 1 });
    expect(r.ok).toBe(false);
  });
});

describe("nextLevelHints", () => {
  it("lists, per group below Mức 3, the unmet conditions and the largest gains first", () => {
    // Group 1: 1.3 full (30) + 1.4 full (10) + 1.5.1 half (7.5) + 1.6.3 (6 × 5/6 = 5) + 1.7 full (20) = 72.5 → Mức 2.
    // Group 2: full but 2.2 unmet → Mức 1.
    const a = {
      ...fullMarks(),
      "1.5.1": ratio(1, 2),
      "1.5.2": false,
      "1.6.1": ratio(0, 10),
      "1.6.2": ratio(0, 10),
      "1.6.3": ratio(5, 6),
      "2.2": false,
    } as Answers;
    const r = scoreAssessment(edition, a);
    expect(group(r, "1")).toMatchObject({ points: 7250, level: 2 });
    const hints = nextLevelHints(edition, r);
    expect(hints.map((h) => h.groupCode)).toEqual(["1", "2"]);
    const h1 = hints[0];
    expect(h1).toMatchObject({ currentLevel: 2, targetLevel: 3, targetLevelName: "Mức đáp ứng tốt", mandatoryUnmet: [] });
    // Mức 3 starts just above 75 → 75.01 − 72.5 = 2.51.
    expect(h1.pointsNeeded).toBe(251);
    // Gains: 1.5.1 7.5, 1.6.1 7, 1.6.2 7, 1.5.2 5, 1.6.3 1 (ties in edition order).
    expect(h1.gains.map((g) => [g.code, g.gain])).toEqual([
      ["1.5.1", 750],
      ["1.6.1", 700],
      ["1.6.2", 700],
      ["1.5.2", 500],
      ["1.6.3", 100],
    ]);
    const h2 = hints[1];
    expect(h2).toMatchObject({ currentLevel: 1, targetLevel: 2, pointsNeeded: 0, mandatoryUnmet: ["2.2"], gains: [] });
  });

  it("is empty at Mức 3 everywhere", () => {
    expect(nextLevelHints(edition, scoreAssessment(edition, fullMarks() as Answers))).toEqual([]);
  });

  it("counts the best choice option as the reachable max", () => {
    const r = scoreAssessment(edition, { ...allMandatory, "1.7.2": "co-ban" });
    const g = nextLevelHints(edition, r)[0].gains.find((x) => x.code === "1.7.2");
    expect(g).toMatchObject({ points: 500, max: 700, gain: 200 });
  });
});
