/**
 * Catalogue editions: the working edition loads; broken editions are refused with messages
 * naming the offending code in Vietnamese and English; diff; canonical JSON and hash.
 */
import { createHash } from "node:crypto";
import {
  canonicalJson,
  diffEditions,
  editionHash,
  parseEdition,
  parseEditionJson,
  selectDefaultEdition,
  type CatalogueError,
} from "~/domain/catalogue";
import { ITEM_CODES, loadEdition, rawEdition, rawIndicator, rawItem, testEditionRaw } from "./_fixtures";

function refused(raw: unknown): CatalogueError[] {
  const r = parseEdition(raw);
  if (r.ok) throw new Error("expected the edition to be refused");
  return r.errors;
}

/** The single error of `kind` about `code`; its vi and en both name the code. */
function errorAbout(errors: CatalogueError[], kind: CatalogueError["kind"], code: string | undefined): CatalogueError {
  const hits = errors.filter((e) => e.kind === kind && e.code === code);
  expect(hits, JSON.stringify(errors, null, 1)).toHaveLength(1);
  if (code !== undefined) {
    expect(hits[0].vi).toContain(code);
    expect(hits[0].en).toContain(code);
  }
  return hits[0];
}

describe("the working edition qd-4725-2022", () => {
  const edition = loadEdition();

  it("loads, published on 2022-12-30, with the two groups of 100 points", () => {
    expect(edition.id).toBe("qd-4725-2022");
    expect(edition.status).toBe("published");
    expect(edition.publishedAt).toBe("2022-12-30");
    expect(edition.groups.map((g) => [g.code, g.title, g.max])).toEqual([
      ["1", "Chuyển đổi số trong dạy, học", 100],
      ["2", "Chuyển đổi số trong quản trị cơ sở giáo dục", 100],
    ]);
  });

  it("has exactly the item codes of the reference, with their rules and maxima", () => {
    const items = edition.groups.flatMap((g) => g.indicators.flatMap((i) => i.items));
    expect(items.map((i) => i.code)).toEqual(ITEM_CODES);
    const summary = Object.fromEntries(items.map((i) => [i.code, `${i.rule}:${i.rule === "mandatory" ? "-" : i.max}`]));
    expect(summary).toEqual({
      "1.1": "mandatory:-", "1.2": "mandatory:-",
      "1.3.1": "boolean:6", "1.3.2": "boolean:6", "1.3.3": "boolean:6", "1.3.4": "boolean:6", "1.3.5": "boolean:6",
      "1.4": "ratio:10", "1.5.1": "ratio:15", "1.5.2": "boolean:5",
      "1.6.1": "ratio:7", "1.6.2": "ratio:7", "1.6.3": "ratio:6",
      "1.7.1": "ratio:8", "1.7.2": "choice:7", "1.7.3": "boolean:5",
      "2.1": "mandatory:-", "2.2": "mandatory:-",
      "2.3.1": "boolean:6", "2.3.2": "boolean:6", "2.3.3": "boolean:10", "2.3.4": "boolean:10", "2.3.5": "boolean:6",
      "2.3.6": "boolean:10", "2.3.7": "boolean:10", "2.3.8": "boolean:6", "2.3.9": "boolean:6",
      "2.4.1": "boolean:8", "2.4.2": "boolean:12", "2.4.3": "ratio:10",
    });
    expect(edition.groups.flatMap((g) => g.indicators.map((i) => `${i.code}:${i.max}`))).toEqual([
      "1.1:0", "1.2:0", "1.3:30", "1.4:10", "1.5:20", "1.6:20", "1.7:20", "2.1:0", "2.2:0", "2.3:70", "2.4:30",
    ]);
  });

  it("keeps provenance, including the split ones", () => {
    const item = (code: string) => edition.groups.flatMap((g) => g.indicators.flatMap((i) => i.items)).find((i) => i.code === code)!;
    expect([item("1.3.2").provenance, item("1.3.2").pointsProvenance]).toEqual(["V", "F"]);
    expect([item("1.4").provenance, item("1.4").ruleProvenance]).toEqual(["F", "A"]);
    expect([item("1.7.2").provenance, item("1.7.2").pointsProvenance]).toEqual(["F", "A"]);
    expect(item("2.3.4").provenance).toBe("A");
    expect(edition.rollup).toMatchObject({ institution: "min-of-groups", mandatoryUnmet: { effect: "cap-group-level", level: 1 } });
  });

  it("carries ratio labels, choice options, LMS info and the group levels as data", () => {
    const i161 = rawItem(rawEdition(), "1.6.1");
    expect([i161.numeratorLabel, i161.denominatorLabel]).toEqual([
      "Số giáo viên có tài khoản và tham gia bồi dưỡng trực tuyến",
      "Tổng số giáo viên",
    ]);
    expect(rawItem(rawEdition(), "1.7.2").options.map((o: any) => [o.id, o.points])).toEqual([
      ["chua-dap-ung", 0],
      ["co-ban", 5],
      ["tot", 7],
    ]);
    const info = rawIndicator(rawEdition(), "1.3").info[0];
    expect(info.key).toBe("1.3.lms");
    expect(info.requiredWhen.anyMet).toEqual(["1.3.2", "1.3.3", "1.3.4", "1.3.5"]);
    expect(edition.groupLevels.map((l) => [l.level, l.name, l.min, l.minInclusive, l.max, l.maxInclusive])).toEqual([
      [1, "Mức chưa đáp ứng", 0, true, 50, false],
      [2, "Mức đáp ứng cơ bản", 50, true, 75, true],
      [3, "Mức đáp ứng tốt", 75, false, 100, true],
    ]);
  });

  it("is frozen once loaded (editions are immutable)", () => {
    expect(Object.isFrozen(edition)).toBe(true);
    expect(Object.isFrozen(edition.groups[0].indicators[2].items[0])).toBe(true);
  });

  it("the small test edition used by the scoring tests is valid too", () => {
    expect(parseEdition(testEditionRaw()).ok).toBe(true);
  });
});

describe("broken editions are refused, naming the code", () => {
  it("duplicate code", () => {
    const raw = rawEdition();
    rawItem(raw, "1.3.2").code = "1.3.1";
    const e = errorAbout(refused(raw), "duplicate-code", "1.3.1");
    expect(e.vi).toBe("Mã 1.3.1 bị trùng (xuất hiện 2 lần).");
    expect(e.en).toBe("Code 1.3.1 is duplicated (2 times).");
  });

  it("an item with its indicator's code when the indicator has several items", () => {
    const raw = rawEdition();
    rawItem(raw, "1.5.2").code = "1.5";
    errorAbout(refused(raw), "duplicate-code", "1.5");
  });

  it("item maxima not adding up to the indicator max", () => {
    const raw = rawEdition();
    rawItem(raw, "2.3.3").max = 30; // 6+6+30+10+6+10+10+6+6 = 90
    const errors = refused(raw);
    const e = errorAbout(errors, "items-sum", "2.3");
    expect(e.vi).toBe("Chỉ số 2.3: tổng điểm tối đa của các tiêu chí là 90, khác 70.");
    expect(e.en).toBe("Indicator 2.3: item maxima add up to 90, not 70.");
  });

  it("indicators not adding up to the group max of 100 (2.3.4 dropped, 2.3 worth 60)", () => {
    const raw = rawEdition();
    const ind = rawIndicator(raw, "2.3");
    ind.items = ind.items.filter((i: any) => i.code !== "2.3.4");
    ind.max = 60;
    const e = errorAbout(refused(raw), "indicators-sum", "2");
    expect(e.vi).toBe("Nhóm 2: tổng điểm tối đa của các chỉ số là 90, khác 100.");
    expect(e.en).toBe("Group 2: indicator maxima add up to 90, not 100.");
  });

  it("a group max that is not the top of the group levels", () => {
    const raw = rawEdition();
    const ind = rawIndicator(raw, "2.3");
    ind.items = ind.items.filter((i: any) => i.code !== "2.3.4");
    ind.max = 60;
    raw.groups[1].max = 90;
    const errors = refused(raw);
    const e = errorAbout(errors, "group-max", "2");
    expect(e.vi).toBe("Nhóm 2: điểm tối đa 90 khác cận trên 100 của thang mức nhóm.");
    expect(errors.some((x) => x.kind === "indicators-sum")).toBe(false);
  });

  it("unordered bands", () => {
    const raw = rawEdition();
    const b = rawIndicator(raw, "1.3").bands;
    [b[0], b[1]] = [b[1], b[0]];
    const e = errorAbout(refused(raw), "bands", "1.3");
    expect(e.vi).toBe("Chỉ số 1.3: các mức không theo thứ tự tăng dần (mức 2 đứng trước mức 1).");
  });

  it("a gap in the bands", () => {
    const raw = rawEdition();
    rawIndicator(raw, "1.3").bands[1].min = 12;
    const e = errorAbout(refused(raw), "bands", "1.3");
    expect(e.vi).toBe("Chỉ số 1.3: khoảng trống giữa mức 1 và mức 2 (từ 10 đến 12).");
    expect(e.en).toBe("Indicator 1.3: gap between band 1 and band 2 (10 to 12).");
  });

  it("a single point left out between bands (both bounds exclusive)", () => {
    const raw = rawEdition();
    rawIndicator(raw, "1.3").bands[1].minInclusive = false;
    const e = errorAbout(refused(raw), "bands", "1.3");
    expect(e.vi).toBe("Chỉ số 1.3: điểm 10 không thuộc mức nào (giữa mức 1 và mức 2).");
  });

  it("overlapping group levels (75 in both Mức 2 and Mức 3)", () => {
    const raw = rawEdition();
    raw.groupLevels[2].minInclusive = true;
    const e = errorAbout(refused(raw), "bands", undefined);
    expect(e.vi).toBe("Thang mức nhóm: điểm 75 thuộc cả mức 2 và mức 3.");
    expect(e.en).toBe("Group levels: 75 is in both band 2 and band 3.");
  });

  it("overlapping ranges", () => {
    const raw = rawEdition();
    raw.groupLevels[1].min = 49.5;
    const e = errorAbout(refused(raw), "bands", undefined);
    expect(e.vi).toBe("Thang mức nhóm: mức 1 và mức 2 chồng lấn (từ 49,5 đến 50).");
  });

  it("bands not covering the whole range", () => {
    const raw = rawEdition();
    rawIndicator(raw, "1.3").bands[2].max = 25;
    const e = errorAbout(refused(raw), "bands", "1.3");
    expect(e.vi).toBe("Chỉ số 1.3: mức cao nhất phải kết thúc ở 30 (kể cả 30), đang kết thúc ở 25.");
    const raw2 = rawEdition();
    raw2.groupLevels[0].min = 1;
    expect(refused(raw2).some((x) => x.kind === "bands" && x.vi.includes("bắt đầu từ 0"))).toBe(true);
  });

  it("a choice option above the item max", () => {
    const raw = rawEdition();
    rawItem(raw, "1.7.2").options[2].points = 8;
    const e = errorAbout(refused(raw), "option-points", "1.7.2");
    expect(e.vi).toBe('Tiêu chí 1.7.2: phương án "tot" có 8 điểm, vượt điểm tối đa 7.');
    expect(e.en).toBe('Item 1.7.2: option "tot" is worth 8, above the item max 7.');
  });

  it("a negative choice option", () => {
    const raw = rawEdition();
    rawItem(raw, "1.7.2").options[0].points = -1;
    errorAbout(refused(raw), "option-points", "1.7.2");
  });

  it("no choice option reaching the item max", () => {
    const raw = rawEdition();
    rawItem(raw, "1.7.2").options[2].points = 6;
    const e = errorAbout(refused(raw), "option-max", "1.7.2");
    expect(e.vi).toBe("Tiêu chí 1.7.2: không phương án nào đạt điểm tối đa 7 (cao nhất 6).");
  });

  it("a ratio item without labels", () => {
    const raw = rawEdition();
    rawItem(raw, "1.6.1").numeratorLabel = "  ";
    const e = errorAbout(refused(raw), "ratio-label", "1.6.1");
    expect(e.vi).toBe("Tiêu chí 1.6.1: thiếu nhãn tử số.");
    expect(e.en).toBe("Item 1.6.1: missing numerator label.");
  });

  it("points with more than 2 decimals", () => {
    const raw = rawEdition();
    rawItem(raw, "1.6.1").max = 7.005;
    rawItem(raw, "1.6.2").max = 6.995;
    const e = errorAbout(refused(raw), "decimals", "1.6.1");
    expect(e.vi).toBe("Tiêu chí 1.6.1: điểm tối đa 7,005 có quá 2 chữ số thập phân.");
    errorAbout(refused(raw), "decimals", "1.6.2");
  });

  it("a scored item with max 0", () => {
    const raw = rawEdition();
    rawItem(raw, "1.5.2").max = 0;
    rawItem(raw, "1.5.1").max = 20;
    errorAbout(refused(raw), "range", "1.5.2");
  });

  it("an item code outside its indicator", () => {
    const raw = rawEdition();
    rawItem(raw, "1.6.3").code = "1.5.3";
    const e = errorAbout(refused(raw), "code-hierarchy", "1.5.3");
    expect(e.vi).toBe("Tiêu chí 1.5.3: mã không nằm dưới Chỉ số 1.6.");
  });

  it("a malformed code", () => {
    const raw = rawEdition();
    rawItem(raw, "1.3.1").code = "1.3.a";
    errorAbout(refused(raw), "code-format", "1.3.a");
  });

  it("an info block referring to an unknown item", () => {
    const raw = rawEdition();
    rawIndicator(raw, "1.3").info[0].requiredWhen.anyMet.push("1.3.9");
    const e = errorAbout(refused(raw), "reference", "1.3.lms");
    expect(e.vi).toContain('"1.3.9"');
  });

  it("a suggestion naming an unknown option, or missing a threshold", () => {
    const raw = rawEdition();
    rawItem(raw, "1.7.2").suggest.otherwise = "khong";
    expect(errorAbout(refused(raw), "reference", "1.7.2").en).toContain('"khong"');
    const raw2 = rawEdition();
    delete rawItem(raw2, "1.7.2").suggest.tiers[1].maxPupilsPerComputer.THCS;
    expect(errorAbout(refused(raw2), "reference", "1.7.2").vi).toBe(
      'Tiêu chí 1.7.2: gợi ý phương án "co-ban" thiếu ngưỡng cho cấp học THCS.',
    );
  });

  it("a mandatory rule capping to an unknown level", () => {
    const raw = rawEdition();
    raw.rollup.mandatoryUnmet.level = 0;
    errorAbout(refused(raw), "rollup", undefined);
  });

  it("a bad id or date", () => {
    const raw = rawEdition();
    raw.id = "QĐ 4725";
    raw.publishedAt = "2022-02-30";
    const errors = refused(raw);
    expect(errors.map((e) => e.kind).sort()).toEqual(["date", "edition-id"]);
  });

  describe("shape problems (schema)", () => {
    it("a missing field names the item", () => {
      const raw = rawEdition();
      delete rawItem(raw, "1.3.1").max;
      const e = errorAbout(refused(raw), "shape", "1.3.1");
      expect(e.vi).toBe("Tiêu chí 1.3.1: trường max: thiếu trường bắt buộc.");
      expect(e.en).toBe("Item 1.3.1: field max: required field missing.");
    });

    it("an unknown key (typo) is refused", () => {
      const raw = rawEdition();
      const it = rawItem(raw, "1.6.2");
      it.numeratorLable = it.numeratorLabel;
      const e = errorAbout(refused(raw), "shape", "1.6.2");
      expect(e.vi).toContain("numeratorLable");
    });

    it("an unknown rule type", () => {
      const raw = rawEdition();
      rawItem(raw, "1.4").rule = "percent";
      const e = errorAbout(refused(raw), "shape", "1.4");
      expect(e.en).toContain('"mandatory" | "boolean" | "ratio" | "choice"');
    });

    it("a wrong type on an indicator", () => {
      const raw = rawEdition();
      rawIndicator(raw, "2.4").max = "30";
      const e = errorAbout(refused(raw), "shape", "2.4");
      expect(e.vi).toBe("Chỉ số 2.4: trường max: sai kiểu dữ liệu, cần number, nhận được string.");
    });

    it("not an edition at all", () => {
      expect(refused(null)[0].kind).toBe("shape");
      expect(refused([])[0].kind).toBe("shape");
    });

    it("invalid JSON text", () => {
      const r = parseEditionJson("{ not json");
      expect(r.ok).toBe(false);
      if (!r.ok) {
        expect(r.errors[0].kind).toBe("json");
        expect(r.errors[0].vi).toContain("không phải JSON hợp lệ");
      }
    });
  });
});

describe("selectDefaultEdition", () => {
  const e = (id: string, publishedAt: string, status: "draft" | "published") => ({ id, publishedAt, status });
  it("picks the newest published edition by publishedAt", () => {
    const list = [e("a", "2022-12-30", "published"), e("b", "2025-06-01", "published"), e("c", "2026-01-01", "draft")];
    expect(selectDefaultEdition(list)?.id).toBe("b");
    expect(selectDefaultEdition([e("c", "2026-01-01", "draft")])).toBeUndefined();
  });
});

describe("canonicalJson and editionHash", () => {
  it("sorts keys recursively, keeps array order, drops undefined", () => {
    expect(canonicalJson({ b: 1, a: [3, { d: "đ", c: null }], u: undefined })).toBe('{"a":[3,{"c":null,"d":"đ"}],"b":1}');
  });

  it("does not depend on key order; the hash is sha256 of the canonical JSON", async () => {
    const raw = rawEdition();
    // The same content with every object's keys in reverse order.
    const shuffle = (x: any): any =>
      Array.isArray(x) ? x.map(shuffle) : x && typeof x === "object" ? Object.fromEntries(Object.entries(x).reverse().map(([k, v]) => [k, shuffle(v)])) : x;
    const a = loadEdition(raw);
    const b = loadEdition(shuffle(rawEdition()));
    expect(canonicalJson(b)).toBe(canonicalJson(a));
    const expected = createHash("sha256").update(canonicalJson(a), "utf8").digest("hex");
    expect(await editionHash(a)).toBe(expected);
    expect(await editionHash(b)).toBe(expected);
    const c = rawEdition();
    rawItem(c, "2.3.9").text += ".";
    expect(await editionHash(loadEdition(c))).not.toBe(expected);
  });
});

describe("diffEditions", () => {
  const base = loadEdition();

  it("reports nothing between an edition and itself", () => {
    const d = diffEditions(base, loadEdition());
    expect(d.identical).toBe(true);
    expect([d.items.added, d.items.removed, d.items.changed, d.indicators.changed, d.edition]).toEqual([[], [], [], [], []]);
  });

  it("reports added, removed and changed items and indicators with old and new values", () => {
    const raw = rawEdition();
    raw.id = "qd-4725-2025";
    raw.publishedAt = "2025-09-01";
    rawItem(raw, "1.6.1").max = 6; // 7 → 6
    rawItem(raw, "1.6.3").max = 7; // 6 → 7
    rawItem(raw, "1.3.1").text = "Triển khai phần mềm dạy học trực tuyến (có bản quyền)";
    const i24 = rawIndicator(raw, "2.4");
    i24.items.push({
      code: "2.4.4",
      rule: "boolean",
      max: 5,
      text: "Có cổng thông tin điện tử",
      provenance: "A",
      evidence: [],
    });
    i24.max = 35;
    const i23 = rawIndicator(raw, "2.3");
    i23.items = i23.items.filter((i: any) => i.code !== "2.3.9"); // −6
    i23.max = 64;
    rawItem(raw, "2.4.1").max = 9; // 8 → 9: 64 + 9 + 12 + 10 + 5 = 100
    i24.max = 36;
    const next = loadEdition(raw);

    const d = diffEditions(base, next);
    expect(d.from).toBe("qd-4725-2022");
    expect(d.to).toBe("qd-4725-2025");
    expect(d.identical).toBe(false);
    expect(d.edition).toEqual([{ field: "publishedAt", old: "2022-12-30", new: "2025-09-01" }]);
    expect(d.items.added).toEqual([{ code: "2.4.4", indicatorCode: "2.4", rule: "boolean", text: "Có cổng thông tin điện tử", max: 5 }]);
    expect(d.items.removed.map((i) => [i.code, i.max])).toEqual([["2.3.9", 6]]);
    // Each changed entity also carries its (new) name for display.
    expect(d.items.changed.find((c) => c.code === "1.3.1")!.name).toBe("Triển khai phần mềm dạy học trực tuyến (có bản quyền)");
    expect(d.indicators.changed.map((c) => c.name)).toEqual([rawIndicator(raw, "2.3").title, rawIndicator(raw, "2.4").title]);
    expect(d.items.changed.map(({ code, changes }) => ({ code, changes }))).toEqual([
      {
        code: "1.3.1",
        changes: [
          {
            field: "text",
            old: "Triển khai phần mềm dạy học trực tuyến trực tiếp (có đăng ký, bản quyền)",
            new: "Triển khai phần mềm dạy học trực tuyến (có bản quyền)",
          },
        ],
      },
      { code: "1.6.1", changes: [{ field: "max", old: 7, new: 6 }] },
      { code: "1.6.3", changes: [{ field: "max", old: 6, new: 7 }] },
      { code: "2.4.1", changes: [{ field: "max", old: 8, new: 9 }] },
    ]);
    expect(d.indicators.changed.map(({ code, changes }) => ({ code, changes }))).toEqual([
      { code: "2.3", changes: [{ field: "max", old: 70, new: 64 }] },
      { code: "2.4", changes: [{ field: "max", old: 30, new: 36 }] },
    ]);
    expect(d.indicators.added).toEqual([]);
    expect(d.groups.changed).toEqual([]);
  });

  it("reports a rule change and a removed indicator", () => {
    const raw = rawEdition();
    const it14 = rawItem(raw, "1.4");
    it14.rule = "boolean";
    delete it14.numeratorLabel;
    delete it14.denominatorLabel;
    const g1 = raw.groups[0];
    g1.indicators = g1.indicators.filter((i: any) => i.code !== "1.2");
    const d = diffEditions(base, loadEdition(raw));
    const ch = d.items.changed.find((c) => c.code === "1.4")!;
    expect(ch.changes.find((c) => c.field === "rule")).toEqual({ field: "rule", old: "ratio", new: "boolean" });
    expect(d.indicators.removed.map((i) => i.code)).toEqual(["1.2"]);
    expect(d.items.removed.map((i) => [i.code, i.rule, i.max])).toEqual([["1.2", "mandatory", 0]]);
  });
});
