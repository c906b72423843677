/**
 * The scoring engine: pure TypeScript, no dependencies, runs in browser, server and CLI.
 * All points in results are integer hundredths (7250 = 72.5 points).
 */
export { scoreAssessment, isValidRatio, type ScoreOptions } from "./score";
export { validateAnswers, type AnswerIssue, type ValidatedAnswers } from "./validate";
export { suggestChoice, type SuggestCounts, type SuggestResult } from "./suggest";
export { nextLevelHints, type GroupHint, type ItemGain } from "./hints";
export { formatPoints, type Locale, type Msg } from "./format";
export { ratioHundredths, toHundredths, hasAtMostTwoDecimals } from "./arithmetic";
export { scoringMessages, type ScoringMessages } from "./messages";
export type {
  Answers,
  AnswerValue,
  RatioAnswer,
  InfoAnswer,
  Hundredths,
  ItemScore,
  IndicatorScore,
  GroupScore,
  BandResult,
  ScoreResult,
} from "./types";
