/**
 * Validation of raw answers (from a form, an import, or the score CLI) against an edition.
 * Pure and dependency-free. Every problem names the answer key and exists in vi and en.
 */
import type { Edition } from "../catalogue/types";
import { compileEdition, type CInfo, type CItem } from "./compile";
import { msg } from "./messages";
import { answerMeetsItem } from "./score";
import type { AnswerValue, Answers, InfoAnswer } from "./types";

export interface AnswerIssue {
  /** The answer key concerned ("1.6.1", "1.3.lms"); absent for a problem with the whole object. */
  code?: string;
  vi: string;
  en: string;
}

export interface ValidatedAnswers {
  /** The valid answers only (null and invalid values left out, i.e. unanswered). */
  answers: Answers;
  /** Invalid input: unknown code, wrong value type, bad ratio, unknown option. */
  errors: AnswerIssue[];
  /**
   * Valid but incomplete: an info block (1.3.lms) required by a met item is absent or has
   * empty fields. Scoring is unaffected; submission should require it.
   */
  warnings: AnswerIssue[];
}

function show(v: unknown): string {
  let s: string;
  try {
    s = v === undefined ? "undefined" : JSON.stringify(v);
  } catch {
    s = String(v);
  }
  return s.length > 40 ? s.slice(0, 39) + "…" : s;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function checkItem(c: CItem, v: unknown, errors: AnswerIssue[]): AnswerValue | undefined {
  const code = c.code;
  const err = (m: { vi: string; en: string }) => errors.push({ code, ...m });
  switch (c.rule) {
    case "mandatory":
    case "boolean":
      if (typeof v === "boolean") return v;
      err(msg((m) => m.expectedBoolean, code));
      return undefined;
    case "ratio": {
      if (!isPlainObject(v)) {
        err(msg((m) => m.expectedRatio, code));
        return undefined;
      }
      const before = errors.length;
      for (const k of Object.keys(v)) {
        if (k !== "numerator" && k !== "denominator") err(msg((m) => m.ratioExtraField, code, k));
      }
      const ok: Partial<Record<"numerator" | "denominator", number>> = {};
      for (const f of ["numerator", "denominator"] as const) {
        const x = v[f];
        if (x === undefined) err(msg((m) => m.ratioMissingField, code, f));
        else if (typeof x !== "number" || !Number.isSafeInteger(x)) err(msg((m) => m.ratioNotWhole, code, f, show(x)));
        else if (x < 0) err(msg((m) => m.ratioNegative, code, f, show(x)));
        else ok[f] = x;
      }
      if (ok.denominator === 0) err(msg((m) => m.ratioZeroDenominator, code));
      else if (ok.numerator !== undefined && ok.denominator !== undefined && ok.numerator > ok.denominator)
        err(msg((m) => m.ratioNumeratorAboveDenominator, code, ok.numerator, ok.denominator));
      if (errors.length > before) return undefined;
      return { numerator: ok.numerator!, denominator: ok.denominator! };
    }
    case "choice": {
      const ids = [...c.options!.keys()];
      if (typeof v !== "string") {
        err(msg((m) => m.expectedOption, code, ids));
        return undefined;
      }
      if (!c.options!.has(v)) {
        err(msg((m) => m.unknownOption, code, v, ids));
        return undefined;
      }
      return v;
    }
  }
}

function checkInfo(info: CInfo, v: unknown, errors: AnswerIssue[]): InfoAnswer | undefined {
  const code = info.key;
  const err = (m: { vi: string; en: string }) => errors.push({ code, ...m });
  if (!isPlainObject(v)) {
    err(msg((m) => m.expectedInfo, code, info.fieldIds));
    return undefined;
  }
  const before = errors.length;
  const out: InfoAnswer = {};
  for (const [k, x] of Object.entries(v)) {
    if (!info.fieldOptions.has(k)) {
      err(msg((m) => m.infoUnknownField, code, k, info.fieldIds));
      continue;
    }
    if (typeof x !== "string") {
      err(msg((m) => m.infoExpectedText, code, k));
      continue;
    }
    const allowed = info.fieldOptions.get(k);
    if (allowed && x !== "" && !allowed.has(x)) {
      err(msg((m) => m.infoUnknownOption, code, k, x, [...allowed]));
      continue;
    }
    out[k] = x;
  }
  return errors.length > before ? undefined : out;
}

/**
 * Check raw answers against the edition. Returns the valid answers, the errors, and the
 * warnings (missing required info). `null` means unanswered and is accepted.
 */
export function validateAnswers(edition: Edition, raw: unknown): ValidatedAnswers {
  const c = compileEdition(edition);
  const errors: AnswerIssue[] = [];
  const warnings: AnswerIssue[] = [];
  const answers: Record<string, AnswerValue> = {};
  if (!isPlainObject(raw)) {
    errors.push(msg((m) => m.answersNotObject));
    return { answers, errors, warnings };
  }
  for (const [code, v] of Object.entries(raw)) {
    const item = c.itemByCode.get(code);
    const info = item ? undefined : c.infoByKey.get(code);
    if (!item && !info) {
      errors.push({ code, ...msg((m) => m.unknownCode, code, edition.id) });
      continue;
    }
    if (v === null) continue;
    const ok = item ? checkItem(item, v, errors) : checkInfo(info!, v, errors);
    if (ok !== undefined) answers[code] = ok;
  }

  for (const info of c.infos) {
    const triggers = info.triggers.filter((i) => answerMeetsItem(c.items[i], answers[c.items[i].code]));
    if (triggers.length === 0) continue;
    const given = answers[info.key] as InfoAnswer | undefined;
    const missingFields = info.block.fields.filter((f) => !given || typeof given[f.id] !== "string" || given[f.id].trim() === "");
    if (missingFields.length === 0) continue;
    const codes = triggers.map((i) => c.items[i].code);
    warnings.push({
      code: info.key,
      vi: msg((m) => m.infoMissing, info.key, info.block.title, codes, missingFields.map((f) => f.label)).vi,
      en: msg(
        (m) => m.infoMissing,
        info.key,
        info.block.titleEn ?? info.block.title,
        codes,
        missingFields.map((f) => f.labelEn ?? f.label),
      ).en,
    });
  }
  return { answers, errors, warnings };
}
