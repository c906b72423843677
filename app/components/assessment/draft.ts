/**
 * Client-side editing state of the assessment form: what the user typed that the server does
 * not have yet. Raw ratio inputs are kept as typed (so nothing is lost), and turned into an
 * answer only when valid. Persisted in localStorage so a reload or a dropped connection loses nothing.
 */
import type { AnswerValue, RatioAnswer } from "~/domain/scoring";

export interface DraftEntry {
  /** The new value (undefined: unchanged). For ratios, set only when both counts are valid. */
  value?: AnswerValue | null;
  note?: string;
  /** Raw ratio inputs, as typed. */
  num?: string;
  den?: string;
}

export type Draft = Record<string, DraftEntry>;

export interface StoredDraft {
  baseVersion: number;
  draft: Draft;
  /** The item versions the user had seen when typing the draft (see AssessmentForm). */
  seen?: Record<string, number>;
  at: number;
}

const key = (assessmentId: number | string) => `cds4725:assessment:${assessmentId}:draft`;

export function loadStoredDraft(assessmentId: number | string): StoredDraft | null {
  try {
    const raw = window.localStorage.getItem(key(assessmentId));
    if (!raw) return null;
    const parsed = JSON.parse(raw) as StoredDraft;
    return parsed && typeof parsed.baseVersion === "number" && parsed.draft && typeof parsed.draft === "object" ? parsed : null;
  } catch {
    return null;
  }
}

export function storeDraft(assessmentId: number | string, value: StoredDraft | null): void {
  try {
    if (!value || Object.keys(value.draft).length === 0) window.localStorage.removeItem(key(assessmentId));
    else window.localStorage.setItem(key(assessmentId), JSON.stringify(value));
  } catch {
    // Storage full or disabled: the in-memory draft still works.
  }
}

export const MAX_COUNT = 1_000_000;

export type RatioProblem = "notInteger" | "tooLarge" | "missingDen" | "missingNum" | "numAboveDen" | "zeroDen";

/** Parses raw ratio inputs. Both empty = cleared answer. */
export function parseRatio(num: string, den: string): { value: RatioAnswer | null; problem?: RatioProblem; field?: "num" | "den" } {
  const n = num.trim();
  const d = den.trim();
  if (n === "" && d === "") return { value: null };
  const whole = /^\d+$/;
  if (n !== "" && !whole.test(n)) return { value: null, problem: "notInteger", field: "num" };
  if (d !== "" && !whole.test(d)) return { value: null, problem: "notInteger", field: "den" };
  if (n === "") return { value: null, problem: "missingNum", field: "num" };
  if (d === "") return { value: null, problem: "missingDen", field: "den" };
  const nv = Number(n);
  const dv = Number(d);
  if (nv > MAX_COUNT) return { value: null, problem: "tooLarge", field: "num" };
  if (dv > MAX_COUNT) return { value: null, problem: "tooLarge", field: "den" };
  if (dv === 0) return { value: null, problem: "zeroDen", field: "den" };
  if (nv > dv) return { value: null, problem: "numAboveDen", field: "num" };
  return { value: { numerator: nv, denominator: dv } };
}

/** Entries of the draft that can be sent to the server now (valid values and notes). */
export function sendable(draft: Draft): Record<string, { value?: AnswerValue | null; note?: string }> {
  const out: Record<string, { value?: AnswerValue | null; note?: string }> = {};
  for (const [code, e] of Object.entries(draft)) {
    const c: { value?: AnswerValue | null; note?: string } = {};
    if (e.num !== undefined || e.den !== undefined) {
      const r = parseRatio(e.num ?? "", e.den ?? "");
      if (!r.problem) c.value = r.value;
    } else if (e.value !== undefined) c.value = e.value;
    if (e.note !== undefined) c.note = e.note;
    if (c.value !== undefined || c.note !== undefined) out[code] = c;
  }
  return out;
}

/** Removes from the draft what was just saved (unless the user typed again meanwhile). */
export function withoutSaved(draft: Draft, sent: Record<string, { value?: AnswerValue | null; note?: string }>): Draft {
  const out: Draft = {};
  for (const [code, e] of Object.entries(draft)) {
    const s = sent[code];
    if (!s) {
      out[code] = e;
      continue;
    }
    const now = sendable({ [code]: e })[code];
    if (JSON.stringify(now) !== JSON.stringify(s)) out[code] = e;
  }
  return out;
}
