/**
 * Answers and results of the scoring engine.
 *
 * POINTS ARE INTEGER HUNDREDTHS everywhere in results: `points: 7250` means 72.5 points.
 * Use `formatPoints(h, locale)` to show them, or `h / 100` for a JSON number.
 */
import type { RuleType } from "../catalogue/types";

/** Ratio answer: two whole numbers (counts), 0 ≤ numerator ≤ denominator, denominator > 0. */
export interface RatioAnswer {
  numerator: number;
  denominator: number;
}

/** Answer to an info block (e.g. "1.3.lms"): { [field id]: text or option id }. */
export type InfoAnswer = Record<string, string>;

/**
 * The value of one answer, by rule type:
 * - mandatory, boolean: true | false
 * - ratio: { numerator, denominator }
 * - choice: the option id, e.g. "co-ban"
 * - info block: { name: "…", acquisition: "thue" }
 * - null: explicitly unanswered (same as absent)
 */
export type AnswerValue = boolean | RatioAnswer | string | InfoAnswer | null;

/** Answers keyed by item code ("1.1", "1.3.1", "1.4", "1.7.2") or info key ("1.3.lms"). */
export type Answers = Readonly<Record<string, AnswerValue | undefined>>;

export type Hundredths = number;

export interface ItemScore {
  code: string;
  indicatorCode: string;
  groupCode: string;
  rule: RuleType;
  /** Integer hundredths; 0 for mandatory items and unanswered items. */
  points: Hundredths;
  /** Integer hundredths; 0 for mandatory items. */
  max: Hundredths;
  /** A valid answer was given (an invalid value counts as unanswered). */
  answered: boolean;
  /** Mandatory and boolean items: whether met (unanswered → false). */
  met?: boolean;
  /** Choice items: the chosen option id. */
  option?: string;
  explanation: string;
}

export interface BandResult {
  level: number;
  name: string;
}

export interface IndicatorScore {
  code: string;
  groupCode: string;
  /** False for an indicator made only of mandatory conditions (1.1, 1.2, 2.1, 2.2). */
  scored: boolean;
  points: Hundredths;
  max: Hundredths;
  /** Only where the edition defines bands for the indicator (1.3). */
  band?: BandResult;
  explanation: string;
}

export interface GroupScore {
  code: string;
  title: string;
  points: Hundredths;
  max: Hundredths;
  /** Level from the points alone. */
  pointsLevel: number;
  /** Level after the mandatory-condition rule. */
  level: number;
  levelName: string;
  /** Codes of this group's mandatory conditions that are not met (or unanswered). */
  mandatoryUnmet: string[];
  explanation: string;
}

export interface ScoreResult {
  editionId: string;
  /** Institution level. */
  level: number;
  levelName: string;
  /** All unmet (or unanswered) mandatory conditions, in edition order. */
  mandatoryUnmet: string[];
  groups: GroupScore[];
  indicators: IndicatorScore[];
  items: ItemScore[];
  /** Items with a valid answer / all items (info blocks are not counted). */
  answered: number;
  total: number;
  /** Info keys ("1.3.lms") required by a met item but absent or incomplete. */
  missingInfo: string[];
  explanation: string;
}
