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
