/**
 * Every user-facing string of the catalogue feature, in Vietnamese (`vi`) and English (`en`).
 * `who` is the offending entity, already named for the locale ("Chỉ số 2.3" / "Indicator 2.3").
 * Numbers arrive as raw JSON numbers and are shown with the locale's decimal separator.
 */
import type { Locale } from "../scoring/format";

export type EntityKind = "edition" | "group" | "indicator" | "item" | "info" | "groupLevels" | "code";

/** A raw number in the locale: 7.5 → "7,5" (vi). Works for values with any number of decimals. */
export function num(x: number, locale: Locale): string {
  const s = String(x);
  return locale === "vi" ? s.replace(".", ",") : s;
}

export interface CatalogueMessages {
  entity: (kind: EntityKind, code: string) => string;
  // Shape (zod) problems.
  shape: (who: string, path: string, problem: string) => string;
  root: string;
  missingField: string;
  wrongType: (expected: string, received: string) => string;
  unknownKeys: (keys: string[]) => string;
  badValue: (expected: string) => string;
  invalidJson: (detail: string) => string;
  // Semantic problems.
  badEditionId: (id: string) => string;
  badDate: (date: string) => string;
  badCode: (who: string, code: string) => string;
  notUnder: (who: string, parent: string) => string;
  duplicateCode: (code: string, count: number) => string;
  duplicateId: (who: string, what: "option" | "field", id: string) => string;
  empty: (who: string, what: "groups" | "indicators" | "items" | "options" | "fields" | "text" | "bands") => string;
  tooManyDecimals: (who: string, field: string, value: number) => string;
  notPositive: (who: string, field: string, value: number) => string;
  negative: (who: string, field: string, value: number) => string;
  itemsSum: (who: string, sum: number, max: number) => string;
  indicatorsSum: (who: string, sum: number, max: number) => string;
  groupMaxVsLevels: (who: string, max: number, top: number) => string;
  optionAboveMax: (who: string, option: string, points: number, max: number) => string;
  optionNegative: (who: string, option: string, points: number) => string;
  noOptionAtMax: (who: string, best: number, max: number) => string;
  missingRatioLabel: (who: string, which: "numerator" | "denominator") => string;
  bandsStart: (who: string, min: number, inclusive: boolean) => string;
  bandsEnd: (who: string, max: number, inclusive: boolean, top: number) => string;
  bandEmpty: (who: string, level: number, min: number, max: number) => string;
  bandsUnordered: (who: string, a: number, b: number) => string;
  bandsGap: (who: string, a: number, b: number, from: number, to: number) => string;
  bandsGapPoint: (who: string, a: number, b: number, at: number) => string;
  bandsOverlap: (who: string, a: number, b: number, from: number, to: number) => string;
  bandsOverlapPoint: (who: string, a: number, b: number, at: number) => string;
  capLevelUnknown: (level: number) => string;
  unknownReference: (who: string, field: string, ref: string) => string;
  suggestMissingThreshold: (who: string, option: string, level: string) => string;
}

const list = (xs: string[]) => xs.join(", ");

const viField: Record<string, string> = {
  max: "điểm tối đa",
  min: "cận dưới",
  points: "điểm",
  maxPupilsPerComputer: "số học sinh/máy tối đa",
};
const viNames: Record<EntityKind, string> = {
  edition: "Bộ chỉ số",
  group: "Nhóm",
  indicator: "Chỉ số",
  item: "Tiêu chí",
  info: "Thông tin",
  groupLevels: "Thang mức nhóm",
  code: "Mã",
};
const enNames: Record<EntityKind, string> = {
  edition: "Edition",
  group: "Group",
  indicator: "Indicator",
  item: "Item",
  info: "Info",
  groupLevels: "Group levels",
  code: "Code",
};

const n = (x: number) => num(x, "vi");

export const vi: CatalogueMessages = {
  entity: (kind, code) => (code ? `${viNames[kind]} ${code}` : viNames[kind]),
  shape: (who, path, problem) => `${who}: trường ${path}: ${problem}.`,
  root: "(gốc)",
  missingField: "thiếu trường bắt buộc",
  wrongType: (e, r) => `sai kiểu dữ liệu, cần ${e}, nhận được ${r}`,
  unknownKeys: (keys) => `trường không được hỗ trợ: ${list(keys)}`,
  badValue: (e) => `giá trị không hợp lệ, cần ${e}`,
  invalidJson: (d) => `Tệp bộ chỉ số không phải JSON hợp lệ: ${d}`,
  badEditionId: (id) => `Bộ chỉ số: mã phiên bản "${id}" không hợp lệ (từ 2 đến 64 ký tự, chỉ gồm chữ thường không dấu, chữ số và dấu gạch nối giữa các chữ).`,
  badDate: (d) => `Bộ chỉ số: ngày ban hành "${d}" không hợp lệ (định dạng YYYY-MM-DD).`,
  badCode: (who, code) => `${who}: mã "${code}" không hợp lệ.`,
  notUnder: (who, parent) => `${who}: mã không nằm dưới ${parent}.`,
  duplicateCode: (code, count) => `Mã ${code} bị trùng (xuất hiện ${count} lần).`,
  duplicateId: (who, what, id) => `${who}: ${what === "option" ? "mã phương án" : "mã trường"} "${id}" bị trùng.`,
  empty: (who, what) =>
    `${who}: ${
      {
        groups: "không có nhóm nào",
        indicators: "không có chỉ số nào",
        items: "không có tiêu chí nào",
        options: "không có phương án nào",
        fields: "không có trường thông tin nào",
        text: "thiếu nội dung",
        bands: "thang mức rỗng",
      }[what]
    }.`,
  tooManyDecimals: (who, f, v) => `${who}: ${viField[f] ?? f} ${n(v)} có quá 2 chữ số thập phân.`,
  notPositive: (who, f, v) => `${who}: ${viField[f] ?? f} phải lớn hơn 0, nhận được ${n(v)}.`,
  negative: (who, f, v) => `${who}: ${viField[f] ?? f} không được âm, nhận được ${n(v)}.`,
  itemsSum: (who, sum, max) => `${who}: tổng điểm tối đa của các tiêu chí là ${n(sum)}, khác ${n(max)}.`,
  indicatorsSum: (who, sum, max) => `${who}: tổng điểm tối đa của các chỉ số là ${n(sum)}, khác ${n(max)}.`,
  groupMaxVsLevels: (who, max, top) => `${who}: điểm tối đa ${n(max)} khác cận trên ${n(top)} của thang mức nhóm.`,
  optionAboveMax: (who, o, p, max) => `${who}: phương án "${o}" có ${n(p)} điểm, vượt điểm tối đa ${n(max)}.`,
  optionNegative: (who, o, p) => `${who}: phương án "${o}" có điểm âm (${n(p)}).`,
  noOptionAtMax: (who, best, max) => `${who}: không phương án nào đạt điểm tối đa ${n(max)} (cao nhất ${n(best)}).`,
  missingRatioLabel: (who, which) => `${who}: thiếu nhãn ${which === "numerator" ? "tử số" : "mẫu số"}.`,
  bandsStart: (who, min, inc) => `${who}: mức thấp nhất phải bắt đầu từ 0 (kể cả 0), đang bắt đầu ${inc ? "từ" : "sau"} ${n(min)}.`,
  bandsEnd: (who, max, inc, top) =>
    `${who}: mức cao nhất phải kết thúc ở ${n(top)} (kể cả ${n(top)}), đang kết thúc ${inc ? "ở" : "trước"} ${n(max)}.`,
  bandEmpty: (who, level, min, max) => `${who}: mức ${level} rỗng (từ ${n(min)} đến ${n(max)}).`,
  bandsUnordered: (who, a, b) => `${who}: các mức không theo thứ tự tăng dần (mức ${a} đứng trước mức ${b}).`,
  bandsGap: (who, a, b, from, to) => `${who}: khoảng trống giữa mức ${a} và mức ${b} (từ ${n(from)} đến ${n(to)}).`,
  bandsGapPoint: (who, a, b, at) => `${who}: điểm ${n(at)} không thuộc mức nào (giữa mức ${a} và mức ${b}).`,
  bandsOverlap: (who, a, b, from, to) => `${who}: mức ${a} và mức ${b} chồng lấn (từ ${n(from)} đến ${n(to)}).`,
  bandsOverlapPoint: (who, a, b, at) => `${who}: điểm ${n(at)} thuộc cả mức ${a} và mức ${b}.`,
  capLevelUnknown: (level) => `Bộ chỉ số: quy tắc điều kiện bắt buộc dùng mức ${level}, không có trong thang mức nhóm.`,
  unknownReference: (who, f, ref) => `${who}: ${f} tham chiếu "${ref}" không tồn tại.`,
  suggestMissingThreshold: (who, o, level) => `${who}: gợi ý phương án "${o}" thiếu ngưỡng cho cấp học ${level}.`,
};

const e = (x: number) => num(x, "en");

export const en: CatalogueMessages = {
  entity: (kind, code) => (code ? `${enNames[kind]} ${code}` : enNames[kind]),
  shape: (who, path, problem) => `${who}: field ${path}: ${problem}.`,
  root: "(root)",
  missingField: "required field missing",
  wrongType: (ex, r) => `wrong type, expected ${ex}, received ${r}`,
  unknownKeys: (keys) => `unsupported field(s): ${list(keys)}`,
  badValue: (ex) => `invalid value, expected ${ex}`,
  invalidJson: (d) => `The edition file is not valid JSON: ${d}`,
  badEditionId: (id) => `Edition: id "${id}" is invalid (2 to 64 characters: lower-case letters, digits and single hyphens between them).`,
  badDate: (d) => `Edition: publishedAt "${d}" is not a valid date (YYYY-MM-DD).`,
  badCode: (who, code) => `${who}: code "${code}" is invalid.`,
  notUnder: (who, parent) => `${who}: code is not under ${parent}.`,
  duplicateCode: (code, count) => `Code ${code} is duplicated (${count} times).`,
  duplicateId: (who, what, id) => `${who}: ${what} id "${id}" is duplicated.`,
  empty: (who, what) =>
    `${who}: ${
      {
        groups: "has no groups",
        indicators: "has no indicators",
        items: "has no items",
        options: "has no options",
        fields: "has no fields",
        text: "has no wording",
        bands: "has an empty band list",
      }[what]
    }.`,
  tooManyDecimals: (who, f, v) => `${who}: ${f} ${e(v)} has more than 2 decimals.`,
  notPositive: (who, f, v) => `${who}: ${f} must be greater than 0, got ${e(v)}.`,
  negative: (who, f, v) => `${who}: ${f} must not be negative, got ${e(v)}.`,
  itemsSum: (who, sum, max) => `${who}: item maxima add up to ${e(sum)}, not ${e(max)}.`,
  indicatorsSum: (who, sum, max) => `${who}: indicator maxima add up to ${e(sum)}, not ${e(max)}.`,
  groupMaxVsLevels: (who, max, top) => `${who}: max ${e(max)} differs from the top ${e(top)} of the group levels.`,
  optionAboveMax: (who, o, p, max) => `${who}: option "${o}" is worth ${e(p)}, above the item max ${e(max)}.`,
  optionNegative: (who, o, p) => `${who}: option "${o}" has negative points (${e(p)}).`,
  noOptionAtMax: (who, best, max) => `${who}: no option reaches the max ${e(max)} (best ${e(best)}).`,
  missingRatioLabel: (who, which) => `${who}: missing ${which} label.`,
  bandsStart: (who, min, inc) => `${who}: the lowest band must start at 0 inclusive, it starts ${inc ? "at" : "after"} ${e(min)}.`,
  bandsEnd: (who, max, inc, top) =>
    `${who}: the highest band must end at ${e(top)} inclusive, it ends ${inc ? "at" : "before"} ${e(max)}.`,
  bandEmpty: (who, level, min, max) => `${who}: band ${level} is empty (${e(min)} to ${e(max)}).`,
  bandsUnordered: (who, a, b) => `${who}: bands are not in ascending order (band ${a} before band ${b}).`,
  bandsGap: (who, a, b, from, to) => `${who}: gap between band ${a} and band ${b} (${e(from)} to ${e(to)}).`,
  bandsGapPoint: (who, a, b, at) => `${who}: ${e(at)} is in no band (between band ${a} and band ${b}).`,
  bandsOverlap: (who, a, b, from, to) => `${who}: bands ${a} and ${b} overlap (${e(from)} to ${e(to)}).`,
  bandsOverlapPoint: (who, a, b, at) => `${who}: ${e(at)} is in both band ${a} and band ${b}.`,
  capLevelUnknown: (level) => `Edition: the mandatory-condition rule uses level ${level}, which is not a group level.`,
  unknownReference: (who, f, ref) => `${who}: ${f} refers to "${ref}", which does not exist.`,
  suggestMissingThreshold: (who, o, level) => `${who}: suggestion for option "${o}" has no threshold for school level ${level}.`,
};

export const catalogueMessages: Record<Locale, CatalogueMessages> = { vi, en };
