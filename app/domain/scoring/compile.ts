/**
 * A compiled edition: the edition's numbers turned into integer hundredths, its tree flattened
 * into arrays, lookups prepared. Computed once per edition object (WeakMap cache), so scoring
 * many assessments against the same edition does no per-call preparation.
 *
 * The edition must have passed catalogue validation (parseEdition); nothing here re-checks it.
 */
import type { Band, Edition, InfoBlock, Item, RuleType } from "../catalogue/types";
import { toHundredths } from "./arithmetic";
import { formatPoints, type Locale } from "./format";
import { en, vi } from "./messages";

export interface CBand {
  level: number;
  name: string;
  nameEn: string;
  minH: number;
  minInclusive: boolean;
  maxH: number;
  maxInclusive: boolean;
}

export interface COption {
  id: string;
  label: string;
  labelEn: string;
  pointsH: number;
  /** Precomputed explanation per locale: «label» → points. */
  text: Record<Locale, string>;
}

export interface CItem {
  index: number;
  code: string;
  rule: RuleType;
  maxH: number;
  indicatorIndex: number;
  indicatorCode: string;
  groupCode: string;
  groupIndex: number;
  options: Map<string, COption> | null;
  bestOptionH: number;
  /** Precomputed explanation of a met boolean item per locale ("Đạt → 6"). */
  metText: Record<Locale, string>;
  item: Item;
}

export interface CInfo {
  key: string;
  block: InfoBlock;
  fieldIds: string[];
  /** field id → allowed option ids (choice fields) or null (text fields). */
  fieldOptions: Map<string, Set<string> | null>;
  triggers: number[];
}

export interface CIndicator {
  index: number;
  code: string;
  maxH: number;
  groupIndex: number;
  itemIndexes: number[];
  scored: boolean;
  bands: CBand[] | null;
}

export interface CGroup {
  index: number;
  code: string;
  title: string;
  maxH: number;
  indicatorIndexes: number[];
  scoredIndicatorIndexes: number[];
  mandatoryItemIndexes: number[];
}

export interface CompiledEdition {
  edition: Edition;
  items: CItem[];
  indicators: CIndicator[];
  groups: CGroup[];
  itemByCode: Map<string, CItem>;
  infos: CInfo[];
  infoByKey: Map<string, CInfo>;
  levels: CBand[];
  levelByNumber: Map<number, CBand>;
  mandatoryEffect: Edition["rollup"]["mandatoryUnmet"]["effect"];
  mandatoryCapLevel: number;
}

function compileBand(b: Band): CBand {
  return {
    level: b.level,
    name: b.name,
    nameEn: b.nameEn ?? b.name,
    minH: toHundredths(b.min),
    minInclusive: b.minInclusive,
    maxH: toHundredths(b.max),
    maxInclusive: b.maxInclusive,
  };
}

/** The band containing x (hundredths), or undefined when x is outside every band. */
export function findBand(bands: readonly CBand[], x: number): CBand | undefined {
  for (const b of bands) {
    const aboveMin = x > b.minH || (b.minInclusive && x === b.minH);
    const belowMax = x < b.maxH || (b.maxInclusive && x === b.maxH);
    if (aboveMin && belowMax) return b;
  }
  return undefined;
}

/** The smallest value (hundredths) that lies in the band. */
export function bandFloor(b: CBand): number {
  return b.minInclusive ? b.minH : b.minH + 1;
}

const cache = new WeakMap<Edition, CompiledEdition>();

export function compileEdition(edition: Edition): CompiledEdition {
  const hit = cache.get(edition);
  if (hit) return hit;

  const items: CItem[] = [];
  const indicators: CIndicator[] = [];
  const groups: CGroup[] = [];
  const itemByCode = new Map<string, CItem>();
  const infos: CInfo[] = [];
  const infoByKey = new Map<string, CInfo>();
  const pendingInfo: { block: InfoBlock }[] = [];

  edition.groups.forEach((g, gi) => {
    const group: CGroup = {
      index: gi,
      code: g.code,
      title: g.title,
      maxH: toHundredths(g.max),
      indicatorIndexes: [],
      scoredIndicatorIndexes: [],
      mandatoryItemIndexes: [],
    };
    groups.push(group);
    for (const ind of g.indicators) {
      const indicator: CIndicator = {
        index: indicators.length,
        code: ind.code,
        maxH: toHundredths(ind.max),
        groupIndex: gi,
        itemIndexes: [],
        scored: ind.items.some((it) => it.rule !== "mandatory"),
        bands: ind.bands && ind.bands.length > 0 ? ind.bands.map(compileBand) : null,
      };
      indicators.push(indicator);
      group.indicatorIndexes.push(indicator.index);
      if (indicator.scored) group.scoredIndicatorIndexes.push(indicator.index);
      for (const it of ind.items) {
        let options: Map<string, COption> | null = null;
        let best = 0;
        if (it.rule === "choice") {
          options = new Map();
          for (const o of it.options) {
            const pointsH = toHundredths(o.points);
            const labelEn = o.labelEn ?? o.label;
            options.set(o.id, {
              id: o.id,
              label: o.label,
              labelEn,
              pointsH,
              text: { vi: vi.choice(o.label, formatPoints(pointsH, "vi")), en: en.choice(labelEn, formatPoints(pointsH, "en")) },
            });
            if (pointsH > best) best = pointsH;
          }
        }
        const maxH = it.rule === "mandatory" ? 0 : toHundredths(it.max);
        const c: CItem = {
          index: items.length,
          code: it.code,
          rule: it.rule,
          maxH,
          indicatorIndex: indicator.index,
          indicatorCode: indicator.code,
          groupCode: g.code,
          groupIndex: gi,
          options,
          bestOptionH: it.rule === "choice" ? best : it.rule === "mandatory" ? 0 : toHundredths(it.max),
          metText: { vi: vi.booleanMet(formatPoints(maxH, "vi")), en: en.booleanMet(formatPoints(maxH, "en")) },
          item: it,
        };
        items.push(c);
        itemByCode.set(c.code, c);
        indicator.itemIndexes.push(c.index);
        if (it.rule === "mandatory") group.mandatoryItemIndexes.push(c.index);
      }
      for (const block of ind.info ?? []) pendingInfo.push({ block });
    }
  });

  for (const { block } of pendingInfo) {
    const fieldOptions = new Map<string, Set<string> | null>();
    for (const f of block.fields) fieldOptions.set(f.id, f.type === "choice" ? new Set(f.options.map((o) => o.id)) : null);
    const info: CInfo = {
      key: block.key,
      block,
      fieldIds: block.fields.map((f) => f.id),
      fieldOptions,
      triggers: (block.requiredWhen?.anyMet ?? [])
        .map((code) => itemByCode.get(code)?.index)
        .filter((i): i is number => i !== undefined),
    };
    infos.push(info);
    infoByKey.set(info.key, info);
  }

  const levels = edition.groupLevels.map(compileBand);
  const compiled: CompiledEdition = {
    edition,
    items,
    indicators,
    groups,
    itemByCode,
    infos,
    infoByKey,
    levels,
    levelByNumber: new Map(levels.map((l) => [l.level, l])),
    mandatoryEffect: edition.rollup.mandatoryUnmet.effect,
    mandatoryCapLevel: edition.rollup.mandatoryUnmet.level,
  };
  cache.set(edition, compiled);
  return compiled;
}
