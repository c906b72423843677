/**
 * The edition diff in words: Vietnamese labels and values ("Điểm tối đa: 6 → 7", option names),
 * never a field name (`title`, `max`) or raw JSON, on the diff page and the admin preview.
 */
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { diffEditions } from "~/domain/catalogue";
import { ITEM_DIFF_FIELDS, EDITION_DIFF_FIELDS, GROUP_DIFF_FIELDS, INDICATOR_DIFF_FIELDS } from "~/domain/catalogue/diff";
import { describeChange, describeEntityChange, EditionDiffView } from "~/components/EditionDiffView";
import { catalogueUi } from "~/i18n/catalogue";
import { loadEdition, rawEdition, rawIndicator, rawItem } from "./_fixtures";

const base = loadEdition();

/** A corrected edition touching every kind of field the diff compares. */
function corrected() {
  const raw = rawEdition();
  raw.id = "qd-4725-2025";
  raw.publishedAt = "2025-09-01";
  raw.status = "draft";
  raw.groupLevels[1].max = 74;
  raw.groupLevels[1].maxInclusive = false;
  raw.groupLevels[2].min = 74;
  raw.groupLevels[2].minInclusive = true;
  raw.rollup.mandatoryUnmet.effect = "cap-institution-level";
  raw.groups[0].title = "Chuyển đổi số trong dạy, học (sửa)";
  // 1.6.1 7 → 6, 1.6.3 6 → 7: totals unchanged.
  rawItem(raw, "1.6.1").max = 6;
  rawItem(raw, "1.6.3").max = 7;
  rawItem(raw, "1.3.1").text = "Triển khai phần mềm dạy học trực tuyến (có bản quyền)";
  rawItem(raw, "1.7.3").provenance = "V"; // F → V
  rawItem(raw, "1.3.3").evidence = ["Quyết định triển khai"];
  const c = rawItem(raw, "1.7.2");
  c.options[1].points = 4; // co-ban 5 → 4
  c.options[1].label = "Đáp ứng cơ bản (2-3 học sinh/máy)";
  c.suggest.tiers[1].maxPupilsPerComputer.TH = 2;
  const i13 = rawIndicator(raw, "1.3");
  i13.info[0].title = "Giải pháp LMS/LCMS đang dùng";
  return loadEdition(raw);
}

const texts = (rows: { label: string; old: string; new: string }[]) => rows.map((r) => `${r.label}: ${r.old} → ${r.new}`);

describe("edition diff labels", () => {
  const d = diffEditions(base, corrected());
  const item = (code: string) => d.items.changed.find((c) => c.code === code)!;

  it("gives every compared field a Vietnamese label", () => {
    const labels = catalogueUi.vi.diff.fields as Record<string, string>;
    for (const f of [...EDITION_DIFF_FIELDS, ...GROUP_DIFF_FIELDS, ...INDICATOR_DIFF_FIELDS, ...ITEM_DIFF_FIELDS]) {
      expect(labels[f], f).toBeTruthy();
      expect(labels[f]).not.toBe(f);
    }
  });

  it("prints points, dates, statuses, sources and texts as words", () => {
    expect(texts(describeEntityChange(item("1.6.1")))).toEqual(["Điểm tối đa: 7 → 6"]);
    expect(texts(describeEntityChange(item("1.6.3")))).toEqual(["Điểm tối đa: 6 → 7"]);
    expect(texts(describeEntityChange(item("1.3.1")))).toEqual([
      "Nội dung tiêu chí: Triển khai phần mềm dạy học trực tuyến trực tiếp (có đăng ký, bản quyền) → Triển khai phần mềm dạy học trực tuyến (có bản quyền)",
    ]);
    expect(texts(describeEntityChange(item("1.7.3")))).toEqual(["Nguồn: Thực tiễn (F) → Đã đối chiếu"]);
    expect(texts(describeEntityChange(item("1.3.3")))[0]).toMatch(/^Minh chứng gợi ý: .+; .+ → Quyết định triển khai$/);
    const edition = texts(d.edition.flatMap((c) => describeChange(c)));
    expect(edition).toContain("Ngày công bố: 30/12/2022 → 01/09/2025");
    expect(edition).toContain("Trạng thái: Đã công bố → Bản nháp");
    expect(edition).toContain("Mức độ chuyển đổi số: Mức 2: Mức 2 – Mức đáp ứng cơ bản: 50 ≤ x ≤ 75 → Mức 2 – Mức đáp ứng cơ bản: 50 ≤ x < 74");
    expect(edition).toContain("Mức độ chuyển đổi số: Mức 3: Mức 3 – Mức đáp ứng tốt: 75 < x ≤ 100 → Mức 3 – Mức đáp ứng tốt: 74 ≤ x ≤ 100");
    expect(edition).toContain(
      "Khi chưa đạt điều kiện bắt buộc: Chưa đạt một điều kiện bắt buộc thì nhóm chứa điều kiện đó (và do đó cơ sở giáo dục) chỉ ở Mức 1. → Chưa đạt một điều kiện bắt buộc thì cơ sở giáo dục chỉ ở Mức 1.",
    );
    expect(texts(d.groups.changed.flatMap(describeEntityChange))).toEqual([
      `Tên: ${base.groups[0].title} → Chuyển đổi số trong dạy, học (sửa)`,
    ]);
  });

  it("shows choice options and suggestion tiers by name, never by id", () => {
    const rows = texts(describeEntityChange(item("1.7.2")));
    expect(rows).toHaveLength(2);
    expect(rows[0]).toBe("Lựa chọn «Đáp ứng cơ bản (2-3 học sinh/máy)»: Đáp ứng cơ bản: 5 điểm → Đáp ứng cơ bản (2-3 học sinh/máy): 4 điểm");
    expect(rows[1]).toMatch(/^Gợi ý mức: Gợi ý từ số học sinh và số máy tính .*Đáp ứng cơ bản \(2-3 học sinh\/máy\): TH ≤ 3 học sinh\/máy.* → .*Đáp ứng cơ bản \(2-3 học sinh\/máy\): TH ≤ 2 học sinh\/máy/);
    expect(rows.join("\n")).not.toMatch(/co-ban|chua-dap-ung|\btot\b/);
    expect(rows[1]).toContain("còn lại: Chưa đáp ứng (dưới mức cơ bản)");
  });

  it("shows a changed info block by its title and fields", () => {
    const rows = texts(d.indicators.changed.find((c) => c.code === "1.3")!.changes.flatMap((c) => describeChange(c)));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatch(/^Thông tin kèm theo: Giải pháp LMS\/LCMS đang dùng: .+ → Giải pháp LMS\/LCMS đang dùng: /);
    expect(rows[0]).not.toContain("{");
  });

  it("renders no field name, no id and no JSON on the page", () => {
    const html = renderToStaticMarkup(createElement(EditionDiffView, { diff: JSON.parse(JSON.stringify(d)) }));
    const text = html.replace(/<[^>]+>/g, "").replace(/&lt;/g, "<").replace(/&amp;/g, "&");
    expect(text).toContain("Điểm tối đa: 7 → 6");
    expect(text).toContain("Điểm tối đa: 6 → 7");
    expect(text).toContain("1.7.2 Mức độ đáp ứng yêu cầu dạy môn Tin học");
    for (const raw of ["title", "max", "options", "suggest", "groupLevels", "rollup", "publishedAt", "mandatoryUnmet", "co-ban", "chua-dap-ung", "cap-group-level", "{", "["]) {
      expect(text, raw).not.toContain(raw);
    }
  });

  it("names added and removed items with the rule in words", () => {
    const raw = rawEdition();
    const i24 = rawIndicator(raw, "2.4");
    i24.items.push({ code: "2.4.4", rule: "boolean", max: 5, text: "Có cổng thông tin điện tử", provenance: "A", evidence: [] });
    rawItem(raw, "2.4.1").max -= 5;
    const g1 = raw.groups[0];
    g1.indicators = g1.indicators.filter((i: any) => i.code !== "1.2");
    const html = renderToStaticMarkup(createElement(EditionDiffView, { diff: diffEditions(base, loadEdition(raw)) }));
    expect(html).toContain("<strong>2.4.4</strong> Có cổng thông tin điện tử (Có/Không, 5 điểm)");
    expect(html).toMatch(/<strong>1\.2<\/strong> [^<]+ \(Điều kiện bắt buộc\)/);
    expect(html).not.toMatch(/boolean|mandatory/);
  });
});

describe("band labels", () => {
  it("prints a band named after its level once", () => {
    expect(catalogueUi.vi.bandLabel(3, "Mức 3")).toBe("Mức 3");
    expect(catalogueUi.vi.bandLabel(2, "Mức đáp ứng cơ bản")).toBe("Mức 2 – Mức đáp ứng cơ bản");
  });
});
