/**
 * The contract of an answer save between the form and the service (isomorphic): another person's
 * (or another tab's) stored value of an item, sent back as a conflict or as a change merged into
 * the new version.
 */
import type { AnswerValue } from "./scoring";

export interface TheirChange {
  code: string;
  value: AnswerValue | null;
  note: string | null;
  /** The item's version: send it as `seen` to keep your own value after all. */
  version: number;
  updatedBy: string | null;
  updatedAt: number;
}

/** What the save endpoint (/danh-gia/:id/luu) answers when the save went through. */
export interface SavedAnswers {
  ok: true;
  version: number;
  saved: string[];
  /** Items changed by others since the base, merged without conflict. */
  others: TheirChange[];
}

/** An answer in words, as the office's screens and documents show it ("Có", "12/30", the option's label). */
export function answerText(item: { rule: string; options?: { id: string; label: string }[] } | undefined, v: AnswerValue | null | undefined): string {
  if (v === null || v === undefined) return "Chưa trả lời";
  if (v === true) return "Có";
  if (v === false) return "Không";
  if (typeof v === "string") return item?.options?.find((o) => o.id === v)?.label ?? v;
  if ("numerator" in v && "denominator" in v) return `${v.numerator}/${v.denominator}`;
  return Object.values(v).join(" · ");
}
