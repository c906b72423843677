/**
 * Shared fixtures for the catalogue and scoring unit tests (not a test file itself).
 */
import fs from "node:fs";
import path from "node:path";
import { parseEdition, type Edition } from "~/domain/catalogue";

export const ROOT = path.resolve(__dirname, "../..");
export const EDITION_FILE = path.join(ROOT, "indicators", "qd-4725-2022", "edition.json");

/** The raw JSON of the working edition (a fresh, mutable copy each call). */
export function rawEdition(): any {
  return JSON.parse(fs.readFileSync(EDITION_FILE, "utf8"));
}

export function loadEdition(raw: unknown = rawEdition()): Edition {
  const r = parseEdition(raw);
  if (!r.ok) throw new Error("edition refused: " + r.errors.map((e) => e.en).join("; "));
  return r.edition;
}

/** Find an item (or indicator) object by code in raw edition JSON, to modify it. */
export function rawItem(raw: any, code: string): any {
  for (const g of raw.groups) for (const ind of g.indicators) for (const it of ind.items) if (it.code === code) return it;
  throw new Error("no item " + code);
}
export function rawIndicator(raw: any, code: string): any {
  for (const g of raw.groups) for (const ind of g.indicators) if (ind.code === code) return ind;
  throw new Error("no indicator " + code);
}

/** Every item code of the working edition, in order, as listed in the domain reference. */
export const ITEM_CODES = [
  "1.1", "1.2", "1.3.1", "1.3.2", "1.3.3", "1.3.4", "1.3.5", "1.4", "1.5.1", "1.5.2",
  "1.6.1", "1.6.2", "1.6.3", "1.7.1", "1.7.2", "1.7.3",
  "2.1", "2.2", "2.3.1", "2.3.2", "2.3.3", "2.3.4", "2.3.5", "2.3.6", "2.3.7", "2.3.8", "2.3.9",
  "2.4.1", "2.4.2", "2.4.3",
];

/** Full marks on the working edition (every item at its max, every condition met, LMS info given). */
export function fullMarks(): Record<string, unknown> {
  const a: Record<string, unknown> = {};
  for (const code of ["1.1", "1.2", "2.1", "2.2"]) a[code] = true;
  for (const code of ["1.3.1", "1.3.2", "1.3.3", "1.3.4", "1.3.5", "1.5.2", "1.7.3"]) a[code] = true;
  for (const code of ["2.3.1", "2.3.2", "2.3.3", "2.3.4", "2.3.5", "2.3.6", "2.3.7", "2.3.8", "2.3.9", "2.4.1", "2.4.2"]) a[code] = true;
  for (const code of ["1.4", "1.5.1", "1.6.1", "1.6.2", "1.6.3", "1.7.1", "2.4.3"]) a[code] = { numerator: 12, denominator: 12 };
  a["1.7.2"] = "tot";
  a["1.3.lms"] = { name: "Hệ thống LMS thử", acquisition: "thue" };
  return a;
}

const levels = [
  { level: 1, name: "Mức chưa đáp ứng", min: 0, minInclusive: true, max: 50, maxInclusive: false },
  { level: 2, name: "Mức đáp ứng cơ bản", min: 50, minInclusive: true, max: 75, maxInclusive: true },
  { level: 3, name: "Mức đáp ứng tốt", min: 75, minInclusive: false, max: 100, maxInclusive: true },
];

/**
 * A small test edition where every boundary is reachable with one ratio item:
 * group 1: 1.1 mandatory; 1.2 (ratio 1.2.1, max 30, bands <10 / 10-20 / >20); 1.3 (ratio 1.3.1, max 70)
 * group 2: 2.1 (a single ratio item "2.1", max 100); 2.2 mandatory.
 */
export function testEditionRaw(effect: "cap-group-level" | "cap-institution-level" = "cap-group-level"): any {
  const ratio = (code: string, max: number) => ({
    code,
    rule: "ratio",
    max,
    text: `Tiêu chí ${code}`,
    provenance: "A",
    numeratorLabel: "Tử",
    denominatorLabel: "Mẫu",
    evidence: [],
  });
  const mandatory = (code: string) => ({ code, rule: "mandatory", text: `Điều kiện ${code}`, provenance: "A", evidence: [] });
  return {
    schemaVersion: 1,
    id: "test-bands",
    title: "Bộ chỉ số thử",
    publishedAt: "2024-01-01",
    status: "published",
    groupLevels: levels,
    rollup: { institution: "min-of-groups", mandatoryUnmet: { effect, level: 1 } },
    groups: [
      {
        code: "1",
        title: "Nhóm một",
        max: 100,
        indicators: [
          { code: "1.1", title: "Điều kiện", max: 0, provenance: "A", items: [mandatory("1.1")] },
          {
            code: "1.2",
            title: "Có thang mức",
            max: 30,
            provenance: "A",
            bands: [
              { level: 1, name: "Mức 1", min: 0, minInclusive: true, max: 10, maxInclusive: false },
              { level: 2, name: "Mức 2", min: 10, minInclusive: true, max: 20, maxInclusive: true },
              { level: 3, name: "Mức 3", min: 20, minInclusive: false, max: 30, maxInclusive: true },
            ],
            items: [ratio("1.2.1", 30)],
          },
          { code: "1.3", title: "Phần còn lại", max: 70, provenance: "A", items: [ratio("1.3.1", 70)] },
        ],
      },
      {
        code: "2",
        title: "Nhóm hai",
        max: 100,
        indicators: [
          { code: "2.1", title: "Một tiêu chí", max: 100, provenance: "A", items: [ratio("2.1", 100)] },
          { code: "2.2", title: "Điều kiện", max: 0, provenance: "A", items: [mandatory("2.2")] },
        ],
      },
    ],
  };
}
