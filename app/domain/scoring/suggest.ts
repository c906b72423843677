/**
 * Suggest a choice option from counts, driven by the item's `suggest` data (1.7.2:
 * pupils in the largest computer-lab class and working computers, per school type).
 * Integer arithmetic: pupils/computers ≤ t  ⇔  pupils × 100 ≤ t(hundredths) × computers.
 */
import type { Edition } from "../catalogue/types";
import { ratioHundredths, toHundredths } from "./arithmetic";
import { compileEdition } from "./compile";
import { formatPoints, type Msg } from "./format";
import { vi, en } from "./messages";

export interface SuggestCounts {
  /** Pupils in the largest class taught in the computer lab. */
  pupils: number;
  /** Working computers. */
  computers: number;
}

export type SuggestResult =
  | {
      ok: true;
      /** The suggested option id, e.g. "co-ban". */
      option: string;
      /** pupils per computer, integer hundredths rounded half up (null when there are no computers). */
      pupilsPerComputer: number | null;
      explanation: Msg;
    }
  | { ok: false; error: Msg };

export function suggestChoice(edition: Edition, itemCode: string, schoolType: string, counts: SuggestCounts): SuggestResult {
  const c = compileEdition(edition).itemByCode.get(itemCode);
  const item = c?.item;
  if (!c || !item || item.rule !== "choice" || !item.suggest) {
    return { ok: false, error: { vi: vi.suggestNotAvailable(itemCode), en: en.suggestNotAvailable(itemCode) } };
  }
  const s = item.suggest;
  const levels = Object.prototype.hasOwnProperty.call(s.schoolTypes, schoolType) ? s.schoolTypes[schoolType] : undefined;
  if (!levels) {
    const known = Object.keys(s.schoolTypes);
    return { ok: false, error: { vi: vi.suggestUnknownSchoolType(schoolType, known), en: en.suggestUnknownSchoolType(schoolType, known) } };
  }
  for (const [label, value] of [
    [s.pupilsLabel, counts.pupils],
    [s.computersLabel, counts.computers],
  ] as const) {
    if (!Number.isSafeInteger(value) || value < 0) {
      return { ok: false, error: { vi: vi.suggestBadCount(label, String(value)), en: en.suggestBadCount(label, String(value)) } };
    }
  }
  if (counts.pupils === 0) return { ok: false, error: { vi: vi.suggestNoPupils, en: en.suggestNoPupils } };

  const option = (id: string) => c.options!.get(id)!;
  if (counts.computers === 0) {
    const o = option(s.otherwise);
    return {
      ok: true,
      option: o.id,
      pupilsPerComputer: null,
      explanation: { vi: vi.suggestNoComputers(o.label), en: en.suggestNoComputers(o.labelEn) },
    };
  }

  // Strictest threshold of the levels the school type contains, per tier.
  const tiers = s.tiers.map((t) => ({
    option: option(t.option),
    limitH: Math.min(...levels.map((lv) => toHundredths(t.maxPupilsPerComputer[lv]))),
  }));
  const hit = tiers.find((t) => counts.pupils * 100 <= t.limitH * counts.computers);
  const chosen = hit ? hit.option : option(s.otherwise);
  const perH = ratioHundredths(100, counts.pupils, counts.computers);
  const thresholds = (loc: "vi" | "en") =>
    tiers.map((t) => ({ label: loc === "vi" ? t.option.label : t.option.labelEn, limit: formatPoints(t.limitH, loc) }));
  return {
    ok: true,
    option: chosen.id,
    pupilsPerComputer: perH,
    explanation: {
      vi: vi.suggestResult(counts.pupils, counts.computers, formatPoints(perH, "vi"), schoolType, thresholds("vi"), chosen.label),
      en: en.suggestResult(counts.pupils, counts.computers, formatPoints(perH, "en"), schoolType, thresholds("en"), chosen.labelEn),
    },
  };
}
