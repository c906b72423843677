/**
 * The scoring engine: (edition, answers) → points, levels and explanations.
 *
 * Pure, dependency-free, isomorphic. Every number, band and rule comes from the edition data;
 * no indicator code or point value appears here. Arithmetic is in integer hundredths.
 *
 * Answers should have passed `validateAnswers`; a value of the wrong shape is scored as
 * unanswered (0 points, mandatory not met), so the result never exceeds the maxima.
 */
import type { CItem, CompiledEdition } from "./compile";
import { compileEdition, findBand } from "./compile";
import { exactRatioDecimal, ratioHundredths } from "./arithmetic";
import { formatDecimalParts, formatPoints, type Locale } from "./format";
import { scoringMessages, type ScoringMessages } from "./messages";
import type { AnswerValue, Answers, GroupScore, IndicatorScore, ItemScore, RatioAnswer, ScoreResult } from "./types";
import type { Edition } from "../catalogue/types";

export interface ScoreOptions {
  /** Language of the explanations (default "vi"). */
  locale?: Locale;
}

/** A ratio answer the engine accepts: safe whole numbers, 0 ≤ numerator ≤ denominator, denominator > 0. */
export function isValidRatio(v: unknown): v is RatioAnswer {
  if (typeof v !== "object" || v === null) return false;
  const n = (v as RatioAnswer).numerator;
  const d = (v as RatioAnswer).denominator;
  return Number.isSafeInteger(n) && Number.isSafeInteger(d) && n >= 0 && d > 0 && n <= d;
}

/** Whether an answer meets the item: a mandatory condition answered true, or points > 0. */
export function answerMeetsItem(c: CItem, v: AnswerValue | undefined): boolean {
  switch (c.rule) {
    case "mandatory":
      return v === true;
    case "boolean":
      return v === true && c.maxH > 0;
    case "ratio":
      return isValidRatio(v) && ratioHundredths(c.maxH, v.numerator, v.denominator) > 0;
    case "choice":
      return typeof v === "string" && (c.options!.get(v)?.pointsH ?? 0) > 0;
  }
}

interface ItemOutcome {
  points: number;
  answered: boolean;
  /** Met: points > 0, or a mandatory condition answered true. */
  met: boolean;
}

function scoreItem(
  c: CItem,
  v: AnswerValue | undefined,
  L: Locale,
  m: ScoringMessages,
  out: ItemOutcome,
): ItemScore {
  let points = 0;
  let answered = false;
  let met: boolean | undefined;
  let option: string | undefined;
  let explanation: string;
  switch (c.rule) {
    case "mandatory":
      answered = typeof v === "boolean";
      met = v === true;
      explanation = !answered ? m.mandatoryUnanswered : met ? m.mandatoryMet : m.mandatoryNotMet;
      break;
    case "boolean":
      answered = typeof v === "boolean";
      met = v === true;
      points = met ? c.maxH : 0;
      explanation = !answered ? m.unanswered : met ? c.metText[L] : m.booleanNotMet;
      break;
    case "ratio":
      if (!isValidRatio(v)) {
        explanation = m.unanswered;
        break;
      }
      {
        answered = true;
        points = ratioHundredths(c.maxH, v.numerator, v.denominator);
        const exact = exactRatioDecimal(c.maxH, v.numerator, v.denominator);
        const exactText = formatDecimalParts(exact.whole, exact.fraction, exact.truncated, L);
        const roundedText = formatPoints(points, L);
        explanation = m.ratio(
          formatPoints(c.maxH, L),
          v.numerator,
          v.denominator,
          exactText === roundedText ? null : exactText,
          roundedText,
        );
      }
      break;
    case "choice": {
      const opt = typeof v === "string" ? c.options!.get(v) : undefined;
      if (!opt) {
        explanation = m.unanswered;
        break;
      }
      answered = true;
      points = opt.pointsH;
      option = opt.id;
      explanation = opt.text[L];
      break;
    }
  }
  out.points = points;
  out.answered = answered;
  out.met = c.rule === "mandatory" ? met === true : points > 0;
  // One literal with every key, so all item results share one hidden class (object spread here is slow).
  return {
    code: c.code,
    indicatorCode: c.indicatorCode,
    groupCode: c.groupCode,
    rule: c.rule,
    points,
    max: c.maxH,
    answered,
    met,
    option,
    explanation,
  };
}

function infoComplete(c: CompiledEdition, key: string, v: AnswerValue | undefined): boolean {
  const info = c.infoByKey.get(key)!;
  if (typeof v !== "object" || v === null || Array.isArray(v)) return false;
  const obj = v as Record<string, unknown>;
  for (const id of info.fieldIds) {
    const f = obj[id];
    if (typeof f !== "string" || f.trim() === "") return false;
    const allowed = info.fieldOptions.get(id);
    if (allowed && !allowed.has(f)) return false;
  }
  return true;
}

/**
 * Score one assessment. Points in the result are integer hundredths.
 * Unanswered items score 0; an unanswered mandatory condition is unmet.
 */
export function scoreAssessment(edition: Edition, answers: Answers, options: ScoreOptions = {}): ScoreResult {
  const c = compileEdition(edition);
  const L: Locale = options.locale ?? "vi";
  const m = scoringMessages[L];
  const levelName = (level: number) => {
    const b = c.levelByNumber.get(level);
    return b ? (L === "vi" ? b.name : b.nameEn) : String(level);
  };

  const nItems = c.items.length;
  const itemScores: ItemScore[] = new Array(nItems);
  const itemMet: boolean[] = new Array(nItems);
  const outcome: ItemOutcome = { points: 0, answered: false, met: false };
  let answered = 0;
  for (let i = 0; i < nItems; i++) {
    const ci = c.items[i];
    const s = scoreItem(ci, answers[ci.code], L, m, outcome);
    itemScores[i] = s;
    itemMet[i] = outcome.met;
    if (outcome.answered) answered++;
  }

  const indicatorScores: IndicatorScore[] = new Array(c.indicators.length);
  for (let k = 0; k < c.indicators.length; k++) {
    const ind = c.indicators[k];
    let points = 0;
    let terms = "";
    for (const i of ind.itemIndexes) {
      const p = itemScores[i].points;
      points += p;
      terms = terms === "" ? formatPoints(p, L) : terms + " + " + formatPoints(p, L);
    }
    const score: IndicatorScore = {
      code: ind.code,
      groupCode: c.groups[ind.groupIndex].code,
      scored: ind.scored,
      points,
      max: ind.maxH,
      explanation: "",
    };
    if (!ind.scored) {
      score.explanation = m.indicatorMandatory(ind.itemIndexes.every((i) => itemMet[i]));
    } else {
      let explanation = m.indicatorSum(terms, ind.itemIndexes.length, formatPoints(points, L));
      if (ind.bands) {
        const b = findBand(ind.bands, points);
        if (!b) throw new Error(`Indicator ${ind.code}: ${points / 100} is outside its bands (edition not validated?)`);
        score.band = { level: b.level, name: L === "vi" ? b.name : b.nameEn };
        explanation += m.band(score.band.name);
      }
      score.explanation = explanation;
    }
    indicatorScores[k] = score;
  }

  const allUnmet: string[] = [];
  const groupScores: GroupScore[] = new Array(c.groups.length);
  for (let g = 0; g < c.groups.length; g++) {
    const grp = c.groups[g];
    let points = 0;
    let terms = "";
    for (const k of grp.scoredIndicatorIndexes) {
      const p = indicatorScores[k].points;
      points += p;
      terms = terms === "" ? formatPoints(p, L) : terms + " + " + formatPoints(p, L);
    }
    const band = findBand(c.levels, points);
    if (!band) throw new Error(`Group ${grp.code}: ${points / 100} is outside the group levels (edition not validated?)`);
    const unmet: string[] = [];
    for (const i of grp.mandatoryItemIndexes) if (!itemMet[i]) unmet.push(c.items[i].code);
    for (const code of unmet) allUnmet.push(code);
    let level = band.level;
    let explanation = m.groupSum(terms, formatPoints(points, L)) + m.groupLevel(band.level, levelName(band.level));
    if (unmet.length > 0 && c.mandatoryEffect === "cap-group-level") {
      level = Math.min(level, c.mandatoryCapLevel);
      explanation += m.groupCapped(unmet, level, levelName(level));
    }
    groupScores[g] = {
      code: grp.code,
      title: grp.title,
      points,
      max: grp.maxH,
      pointsLevel: band.level,
      level,
      levelName: levelName(level),
      mandatoryUnmet: unmet,
      explanation,
    };
  }

  // Institution level: the lowest group level (rollup.institution = "min-of-groups").
  let level = Infinity;
  for (const g of groupScores) if (g.level < level) level = g.level;
  if (!Number.isFinite(level)) level = c.levels[0]?.level ?? 1;
  let explanation = m.institution(
    groupScores.map((g) => ({ code: g.code, level: g.level })),
    level,
    levelName(level),
  );
  if (allUnmet.length > 0 && c.mandatoryEffect === "cap-institution-level") {
    level = Math.min(level, c.mandatoryCapLevel);
    explanation += m.institutionCapped(allUnmet, level, levelName(level));
  }

  const missingInfo: string[] = [];
  for (const info of c.infos) {
    if (info.triggers.some((i) => itemMet[i]) && !infoComplete(c, info.key, answers[info.key])) missingInfo.push(info.key);
  }

  return {
    editionId: edition.id,
    level,
    levelName: levelName(level),
    mandatoryUnmet: allUnmet,
    groups: groupScores,
    indicators: indicatorScores,
    items: itemScores,
    answered,
    total: nItems,
    missingInfo,
    explanation,
  };
}
