/**
 * "Để đạt mức tiếp theo" (to reach the next level): for every group below the top level,
 * the unmet mandatory conditions and the items that would gain the most points.
 * Pure data; the UI words it.
 */
import type { Edition, RuleType } from "../catalogue/types";
import { bandFloor, compileEdition } from "./compile";
import type { ScoreResult } from "./types";

export interface ItemGain {
  code: string;
  indicatorCode: string;
  rule: RuleType;
  /** Item wording (Vietnamese). */
  text: string;
  /** Hundredths. */
  points: number;
  max: number;
  /** max − points, hundredths; always > 0. */
  gain: number;
}

export interface GroupHint {
  groupCode: string;
  title: string;
  currentLevel: number;
  targetLevel: number;
  targetLevelName: string;
  targetLevelNameEn: string;
  /** Hundredths still needed for the points alone to reach the target level (0 if already enough). */
  pointsNeeded: number;
  /** Unmet mandatory conditions of the group (they hold the group back whatever the points). */
  mandatoryUnmet: string[];
  /** Items that can still gain points, largest gain first (ties in edition order). */
  gains: ItemGain[];
}

export function nextLevelHints(edition: Edition, result: ScoreResult): GroupHint[] {
  const c = compileEdition(edition);
  const order = [...c.levels].sort((a, b) => a.level - b.level);
  const top = order[order.length - 1];
  const hints: GroupHint[] = [];
  for (const grp of c.groups) {
    const gs = result.groups.find((g) => g.code === grp.code);
    if (!gs || !top || gs.level >= top.level) continue;
    const target = order.find((b) => b.level > gs.level)!;
    const pointsNeeded = Math.max(0, bandFloor(target) - gs.points);
    const gains: (ItemGain & { order: number })[] = [];
    for (const i of grp.indicatorIndexes.flatMap((k) => c.indicators[k].itemIndexes)) {
      const ci = c.items[i];
      if (ci.rule === "mandatory") continue;
      const is = result.items.find((x) => x.code === ci.code);
      const points = is ? is.points : 0;
      const best = ci.rule === "choice" ? ci.bestOptionH : ci.maxH;
      const gain = best - points;
      if (gain > 0) {
        gains.push({
          code: ci.code,
          indicatorCode: ci.indicatorCode,
          rule: ci.rule,
          text: ci.item.text,
          points,
          max: ci.maxH,
          gain,
          order: i,
        });
      }
    }
    gains.sort((a, b) => b.gain - a.gain || a.order - b.order);
    hints.push({
      groupCode: grp.code,
      title: grp.title,
      currentLevel: gs.level,
      targetLevel: target.level,
      targetLevelName: target.name,
      targetLevelNameEn: target.nameEn,
      pointsNeeded,
      mandatoryUnmet: [...gs.mandatoryUnmet],
      gains: gains.map(({ order: _order, ...g }) => g),
    });
  }
  return hints;
}
