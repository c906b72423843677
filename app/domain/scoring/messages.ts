/**
 * Every user-facing string of the scoring feature, in Vietnamese (`vi`) and English (`en`).
 * Numbers are passed in already formatted for the locale (see format.ts).
 */
import type { Locale, Msg } from "./format";

export interface ScoringMessages {
  // Explanations of points.
  mandatoryMet: string;
  mandatoryNotMet: string;
  mandatoryUnanswered: string;
  booleanMet: (points: string) => string;
  booleanNotMet: string;
  unanswered: string;
  /** "7 × 29/200 = 1,015 → 1,02"; `exact` omitted when it equals `rounded`. */
  ratio: (max: string, numerator: number, denominator: number, exact: string | null, rounded: string) => string;
  choice: (label: string, points: string) => string;
  /** `terms` is "6 + 6 + 0" (already joined), `count` the number of terms. */
  indicatorSum: (terms: string, count: number, total: string) => string;
  indicatorMandatory: (met: boolean) => string;
  band: (name: string) => string;
  groupSum: (terms: string, total: string) => string;
  groupLevel: (level: number, name: string) => string;
  groupCapped: (codes: string[], level: number, name: string) => string;
  institution: (parts: { code: string; level: number }[], level: number, name: string) => string;
  institutionCapped: (codes: string[], level: number, name: string) => string;

  // Answer validation.
  answersNotObject: string;
  unknownCode: (code: string, editionId: string) => string;
  expectedBoolean: (code: string) => string;
  expectedRatio: (code: string) => string;
  ratioExtraField: (code: string, field: string) => string;
  ratioMissingField: (code: string, field: "numerator" | "denominator") => string;
  ratioNotWhole: (code: string, field: "numerator" | "denominator", value: string) => string;
  ratioNegative: (code: string, field: "numerator" | "denominator", value: string) => string;
  ratioZeroDenominator: (code: string) => string;
  ratioNumeratorAboveDenominator: (code: string, numerator: number, denominator: number) => string;
  expectedOption: (code: string, options: string[]) => string;
  unknownOption: (code: string, value: string, options: string[]) => string;
  expectedInfo: (key: string, fields: string[]) => string;
  infoUnknownField: (key: string, field: string, fields: string[]) => string;
  infoExpectedText: (key: string, field: string) => string;
  infoUnknownOption: (key: string, field: string, value: string, options: string[]) => string;
  infoMissing: (key: string, title: string, triggers: string[], missing: string[]) => string;

  // Suggestion of a choice option (1.7.2).
  suggestNotAvailable: (code: string) => string;
  suggestUnknownSchoolType: (schoolType: string, known: string[]) => string;
  suggestBadCount: (label: string, value: string) => string;
  suggestNoPupils: string;
  suggestNoComputers: (optionLabel: string) => string;
  suggestResult: (
    pupils: number,
    computers: number,
    perComputer: string,
    schoolType: string,
    thresholds: { label: string; limit: string }[],
    optionLabel: string,
  ) => string;
}

const field = {
  vi: { numerator: "tử số", denominator: "mẫu số" },
  en: { numerator: "numerator", denominator: "denominator" },
};

const list = (xs: string[]) => xs.join(", ");

export const vi: ScoringMessages = {
  mandatoryMet: "Đạt điều kiện bắt buộc",
  mandatoryNotMet: "Chưa đạt điều kiện bắt buộc",
  mandatoryUnanswered: "Chưa trả lời → coi như chưa đạt điều kiện bắt buộc",
  booleanMet: (p) => `Đạt → ${p}`,
  booleanNotMet: "Không đạt → 0",
  unanswered: "Chưa trả lời → 0",
  ratio: (max, n, d, exact, rounded) => `${max} × ${n}/${d} = ${exact === null ? rounded : `${exact} → ${rounded}`}`,
  choice: (label, p) => `«${label}» → ${p}`,
  indicatorSum: (terms, count, total) => (count > 1 ? `${terms} = ${total}` : total),
  indicatorMandatory: (met) => (met ? "Điều kiện bắt buộc: đạt" : "Điều kiện bắt buộc: chưa đạt"),
  band: (name) => ` → ${name}`,
  groupSum: (terms, total) => `${terms} = ${total}`,
  groupLevel: (level, name) => ` → Mức ${level} (${name})`,
  groupCapped: (codes, level, name) =>
    `; chưa đạt điều kiện bắt buộc ${list(codes)} → Mức ${level} (${name})`,
  institution: (parts, level, name) =>
    `Mức thấp nhất của các nhóm: ${parts.map((p) => `nhóm ${p.code} Mức ${p.level}`).join(", ")} → Mức ${level} (${name})`,
  institutionCapped: (codes, level, name) => `; chưa đạt điều kiện bắt buộc ${list(codes)} → Mức ${level} (${name})`,

  answersNotObject: 'Câu trả lời phải là một đối tượng JSON dạng {"mã tiêu chí": giá trị}.',
  unknownCode: (code, ed) => `${code}: mã tiêu chí không có trong bộ chỉ số ${ed}.`,
  expectedBoolean: (code) => `${code}: cần giá trị true (đạt) hoặc false (không đạt).`,
  expectedRatio: (code) => `${code}: cần đối tượng {"numerator": tử số, "denominator": mẫu số} với hai số nguyên.`,
  ratioExtraField: (code, f) => `${code}: trường "${f}" không hợp lệ; chỉ nhận "numerator" và "denominator".`,
  ratioMissingField: (code, f) => `${code}: thiếu ${field.vi[f]} ("${f}").`,
  ratioNotWhole: (code, f, v) => `${code}: ${field.vi[f]} phải là số nguyên (số đếm), nhận được ${v}.`,
  ratioNegative: (code, f, v) => `${code}: ${field.vi[f]} không được âm, nhận được ${v}.`,
  ratioZeroDenominator: (code) => `${code}: mẫu số phải lớn hơn 0.`,
  ratioNumeratorAboveDenominator: (code, n, d) => `${code}: tử số (${n}) lớn hơn mẫu số (${d}).`,
  expectedOption: (code, opts) => `${code}: cần mã một phương án: ${list(opts)}.`,
  unknownOption: (code, v, opts) => `${code}: không có phương án "${v}"; các phương án: ${list(opts)}.`,
  expectedInfo: (key, fields) => `${key}: cần đối tượng với các trường ${list(fields)}.`,
  infoUnknownField: (key, f, fields) => `${key}: trường "${f}" không hợp lệ; các trường: ${list(fields)}.`,
  infoExpectedText: (key, f) => `${key}: trường "${f}" phải là chuỗi ký tự.`,
  infoUnknownOption: (key, f, v, opts) => `${key}: trường "${f}" không có giá trị "${v}"; các giá trị: ${list(opts)}.`,
  infoMissing: (key, title, triggers, missing) =>
    `${key}: cần khai báo ${title} (${list(missing)}) vì đã đạt ${list(triggers)}.`,

  suggestNotAvailable: (code) => `${code}: tiêu chí này không có gợi ý phương án.`,
  suggestUnknownSchoolType: (t, known) => `Loại hình trường "${t}" không có trong dữ liệu gợi ý; các loại hình: ${list(known)}.`,
  suggestBadCount: (label, v) => `${label}: phải là số nguyên không âm, nhận được ${v}.`,
  suggestNoPupils: "Số học sinh của lớp đông nhất phải lớn hơn 0.",
  suggestNoComputers: (opt) => `Không có máy tính đang hoạt động → «${opt}»`,
  suggestResult: (p, c, per, t, th, opt) =>
    `${p} học sinh / ${c} máy = ${per} học sinh/máy; ngưỡng cho ${t}: ${th
      .map((x) => `«${x.label}» ≤ ${x.limit}`)
      .join(", ")} → «${opt}»`,
};

export const en: ScoringMessages = {
  mandatoryMet: "Mandatory condition met",
  mandatoryNotMet: "Mandatory condition not met",
  mandatoryUnanswered: "Unanswered → mandatory condition treated as not met",
  booleanMet: (p) => `Met → ${p}`,
  booleanNotMet: "Not met → 0",
  unanswered: "Unanswered → 0",
  ratio: (max, n, d, exact, rounded) => `${max} × ${n}/${d} = ${exact === null ? rounded : `${exact} → ${rounded}`}`,
  choice: (label, p) => `“${label}” → ${p}`,
  indicatorSum: (terms, count, total) => (count > 1 ? `${terms} = ${total}` : total),
  indicatorMandatory: (met) => (met ? "Mandatory condition: met" : "Mandatory condition: not met"),
  band: (name) => ` → ${name}`,
  groupSum: (terms, total) => `${terms} = ${total}`,
  groupLevel: (level, name) => ` → Level ${level} (${name})`,
  groupCapped: (codes, level, name) => `; mandatory condition ${list(codes)} not met → Level ${level} (${name})`,
  institution: (parts, level, name) =>
    `Lowest group level: ${parts.map((p) => `group ${p.code} Level ${p.level}`).join(", ")} → Level ${level} (${name})`,
  institutionCapped: (codes, level, name) => `; mandatory condition ${list(codes)} not met → Level ${level} (${name})`,

  answersNotObject: 'answers must be a JSON object {"item code": value}.',
  unknownCode: (code, ed) => `${code}: unknown item code in catalogue ${ed}.`,
  expectedBoolean: (code) => `${code}: expected true (met) or false (not met).`,
  expectedRatio: (code) => `${code}: expected an object {"numerator": n, "denominator": d} with two whole numbers.`,
  ratioExtraField: (code, f) => `${code}: unexpected field "${f}"; only "numerator" and "denominator" are accepted.`,
  ratioMissingField: (code, f) => `${code}: missing ${field.en[f]} ("${f}").`,
  ratioNotWhole: (code, f, v) => `${code}: ${field.en[f]} must be a whole number (a count), got ${v}.`,
  ratioNegative: (code, f, v) => `${code}: ${field.en[f]} must not be negative, got ${v}.`,
  ratioZeroDenominator: (code) => `${code}: denominator must be greater than 0.`,
  ratioNumeratorAboveDenominator: (code, n, d) => `${code}: numerator (${n}) is greater than denominator (${d}).`,
  expectedOption: (code, opts) => `${code}: expected an option id: ${list(opts)}.`,
  unknownOption: (code, v, opts) => `${code}: unknown option "${v}"; options: ${list(opts)}.`,
  expectedInfo: (key, fields) => `${key}: expected an object with fields ${list(fields)}.`,
  infoUnknownField: (key, f, fields) => `${key}: unexpected field "${f}"; fields: ${list(fields)}.`,
  infoExpectedText: (key, f) => `${key}: field "${f}" must be a string.`,
  infoUnknownOption: (key, f, v, opts) => `${key}: field "${f}" has no value "${v}"; values: ${list(opts)}.`,
  infoMissing: (key, title, triggers, missing) =>
    `${key}: ${title} (${list(missing)}) is required because ${list(triggers)} is met.`,

  suggestNotAvailable: (code) => `${code}: this item has no option suggestion.`,
  suggestUnknownSchoolType: (t, known) => `School type "${t}" is not in the suggestion data; school types: ${list(known)}.`,
  suggestBadCount: (label, v) => `${label}: must be a non-negative whole number, got ${v}.`,
  suggestNoPupils: "The number of pupils in the largest class must be greater than 0.",
  suggestNoComputers: (opt) => `No working computers → “${opt}”`,
  suggestResult: (p, c, per, t, th, opt) =>
    `${p} pupils / ${c} computers = ${per} pupils per computer; thresholds for ${t}: ${th
      .map((x) => `“${x.label}” ≤ ${x.limit}`)
      .join(", ")} → “${opt}”`,
};

export const scoringMessages: Record<Locale, ScoringMessages> = { vi, en };

/** Build a {vi, en} message from the same key in both tables. */
export function msg<A extends unknown[]>(pick: (m: ScoringMessages) => string | ((...args: A) => string), ...args: A): Msg {
  const a = pick(vi);
  const b = pick(en);
  return {
    vi: typeof a === "function" ? a(...args) : a,
    en: typeof b === "function" ? b(...args) : b,
  };
}
