/**
 * A self-assessment at Mức 2 in both groups of the working catalogue (qd-4725-2022), without the
 * LMS items, so no information block is needed: the answers many integration tests start from.
 */
import type { AnswerChange } from "~/server/services/assessments.server";

export const LEVEL2_ANSWERS: Readonly<Record<string, AnswerChange["value"]>> = {
  "1.1": true,
  "1.2": true,
  "1.3.1": true,
  "1.4": { numerator: 1, denominator: 1 },
  "1.5.1": { numerator: 1, denominator: 1 },
  "1.6.1": { numerator: 1, denominator: 1 },
  "1.6.2": { numerator: 1, denominator: 1 },
  "1.6.3": { numerator: 1, denominator: 1 },
  "2.1": true,
  "2.2": true,
  "2.3.1": true,
  "2.3.2": true,
  "2.3.3": true,
  "2.3.4": true,
  "2.3.5": true,
  "2.3.6": true,
  "2.3.7": true,
};
