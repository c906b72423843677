/**
 * Semantic validation of an edition that already has the right shape (schema.ts).
 * Every rule an edition must satisfy to be loaded, with messages naming the offending code.
 */
import { hasAtMostTwoDecimals, toHundredths } from "../scoring/arithmetic";
import type { Band, Edition, Indicator, Item } from "./types";
import { catalogueMessages, type CatalogueMessages, type EntityKind } from "./messages";
import { isEditionId } from "./edition-id";

export type CatalogueErrorKind =
  | "json"
  | "shape"
  | "edition-id"
  | "date"
  | "code-format"
  | "code-hierarchy"
  | "duplicate-code"
  | "duplicate-id"
  | "empty"
  | "decimals"
  | "range"
  | "items-sum"
  | "indicators-sum"
  | "group-max"
  | "option-points"
  | "option-max"
  | "ratio-label"
  | "bands"
  | "rollup"
  | "reference";

export interface CatalogueError {
  /** The offending code (group, indicator, item or info key) when there is one. */
  code?: string;
  kind: CatalogueErrorKind;
  vi: string;
  en: string;
}

const CODE = /^\d+(\.\d+)*$/;
const INFO_KEY = /^\d+(\.\d+)*\.[a-z][a-z0-9-]*$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function validDate(s: string): boolean {
  const m = DATE.exec(s);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
}

export function validateEdition(edition: Edition): CatalogueError[] {
  const errors: CatalogueError[] = [];
  const add = (kind: CatalogueErrorKind, code: string | undefined, f: (m: CatalogueMessages) => string) =>
    errors.push({ ...(code !== undefined ? { code } : {}), kind, vi: f(catalogueMessages.vi), en: f(catalogueMessages.en) });
  const who = (kind: EntityKind, code: string) => (m: CatalogueMessages) => m.entity(kind, code);

  /** Points field: ≤ 2 decimals, and ≥ 0 (or > 0 when `positive`). Returns hundredths. */
  const points = (kind: EntityKind, code: string, field: string, v: number, positive = false): number => {
    const w = who(kind, code);
    if (!hasAtMostTwoDecimals(v)) add("decimals", code || undefined, (m) => m.tooManyDecimals(w(m), field, v));
    else if (positive ? v <= 0 : v < 0)
      add("range", code || undefined, (m) => (positive ? m.notPositive(w(m), field, v) : m.negative(w(m), field, v)));
    return toHundredths(v);
  };

  const checkBands = (bands: Band[], topH: number, kind: EntityKind, code: string) => {
    const w = who(kind, code);
    const c = code || undefined;
    if (bands.length === 0) {
      add("empty", c, (m) => m.empty(w(m), "bands"));
      return;
    }
    const hs = bands.map((b) => ({
      b,
      minH: points(kind, code, "min", b.min),
      maxH: points(kind, code, "max", b.max),
    }));
    let ok = true;
    for (const { b, minH, maxH } of hs) {
      if (minH > maxH || (minH === maxH && !(b.minInclusive && b.maxInclusive))) {
        add("bands", c, (m) => m.bandEmpty(w(m), b.level, b.min, b.max));
        ok = false;
      }
    }
    for (let i = 1; i < hs.length; i++) {
      const p = hs[i - 1];
      const q = hs[i];
      if (q.b.level <= p.b.level || q.minH < p.minH) {
        add("bands", c, (m) => m.bandsUnordered(w(m), p.b.level, q.b.level));
        ok = false;
      }
    }
    if (!ok) return;
    const first = hs[0];
    const last = hs[hs.length - 1];
    if (first.minH !== 0 || !first.b.minInclusive) add("bands", c, (m) => m.bandsStart(w(m), first.b.min, first.b.minInclusive));
    if (last.maxH !== topH || !last.b.maxInclusive)
      add("bands", c, (m) => m.bandsEnd(w(m), last.b.max, last.b.maxInclusive, topH / 100));
    for (let i = 1; i < hs.length; i++) {
      const p = hs[i - 1];
      const q = hs[i];
      const a = p.b.level;
      const b = q.b.level;
      if (q.minH > p.maxH) add("bands", c, (m) => m.bandsGap(w(m), a, b, p.b.max, q.b.min));
      else if (q.minH < p.maxH) add("bands", c, (m) => m.bandsOverlap(w(m), a, b, q.b.min, p.b.max));
      else if (p.b.maxInclusive && q.b.minInclusive) add("bands", c, (m) => m.bandsOverlapPoint(w(m), a, b, q.b.min));
      else if (!p.b.maxInclusive && !q.b.minInclusive) add("bands", c, (m) => m.bandsGapPoint(w(m), a, b, q.b.min));
    }
  };

  // Edition.
  if (!isEditionId(edition.id)) {
    // Echoed back to the uploader: capped, a 2 MB id is not repeated in full.
    const shown = edition.id.length > 80 ? `${edition.id.slice(0, 80)}…` : edition.id;
    add("edition-id", undefined, (m) => m.badEditionId(shown));
  }
  if (!validDate(edition.publishedAt)) add("date", undefined, (m) => m.badDate(edition.publishedAt));
  if (edition.title.trim() === "") add("empty", undefined, (m) => m.empty(m.entity("edition", edition.id), "text"));

  // Group levels: ordered, covering [0, top]; every group's max must equal the top.
  const levels = edition.groupLevels;
  const levelsTopH = levels.length > 0 ? toHundredths(levels[levels.length - 1].max) : 0;
  checkBands(levels, levelsTopH, "groupLevels", "");
  if (!levels.some((l) => l.level === edition.rollup.mandatoryUnmet.level))
    add("rollup", undefined, (m) => m.capLevelUnknown(edition.rollup.mandatoryUnmet.level));

  // Codes: unique across groups, indicators, items and info keys. An indicator's single item may share its code.
  const seen = new Map<string, number>();
  const see = (code: string) => seen.set(code, (seen.get(code) ?? 0) + 1);
  const itemCodes = new Set<string>();
  for (const g of edition.groups) for (const ind of g.indicators) for (const it of ind.items) itemCodes.add(it.code);

  if (edition.groups.length === 0) add("empty", undefined, (m) => m.empty(m.entity("edition", edition.id), "groups"));

  for (const g of edition.groups) {
    const gw = who("group", g.code);
    see(g.code);
    if (!CODE.test(g.code)) add("code-format", g.code, (m) => m.badCode(gw(m), g.code));
    if (g.title.trim() === "") add("empty", g.code, (m) => m.empty(gw(m), "text"));
    const gMaxH = points("group", g.code, "max", g.max, true);
    if (levels.length > 0 && gMaxH !== levelsTopH)
      add("group-max", g.code, (m) => m.groupMaxVsLevels(gw(m), g.max, levelsTopH / 100));
    if (g.indicators.length === 0) add("empty", g.code, (m) => m.empty(gw(m), "indicators"));

    let indSumH = 0;
    for (const ind of g.indicators) {
      indSumH += checkIndicator(ind, g.code);
    }
    if (g.indicators.length > 0 && indSumH !== gMaxH)
      add("indicators-sum", g.code, (m) => m.indicatorsSum(gw(m), indSumH / 100, g.max));
  }

  for (const [code, count] of seen) if (count > 1) add("duplicate-code", code, (m) => m.duplicateCode(code, count));
  return errors;

  /** Checks one indicator; returns its max in hundredths. */
  function checkIndicator(ind: Indicator, groupCode: string): number {
    const iw = who("indicator", ind.code);
    see(ind.code);
    if (!CODE.test(ind.code)) add("code-format", ind.code, (m) => m.badCode(iw(m), ind.code));
    else if (!ind.code.startsWith(groupCode + "."))
      add("code-hierarchy", ind.code, (m) => m.notUnder(iw(m), m.entity("group", groupCode)));
    if (ind.title.trim() === "") add("empty", ind.code, (m) => m.empty(iw(m), "text"));
    const maxH = points("indicator", ind.code, "max", ind.max);
    if (ind.items.length === 0) add("empty", ind.code, (m) => m.empty(iw(m), "items"));

    let sumH = 0;
    for (const it of ind.items) {
      const sharesCode = it.code === ind.code;
      if (!sharesCode || ind.items.length > 1) see(it.code);
      if (!CODE.test(it.code)) add("code-format", it.code, (m) => m.badCode(m.entity("item", it.code), it.code));
      else if (!sharesCode && !it.code.startsWith(ind.code + "."))
        add("code-hierarchy", it.code, (m) => m.notUnder(m.entity("item", it.code), m.entity("indicator", ind.code)));
      sumH += checkItem(it);
    }
    if (ind.items.length > 0 && sumH !== maxH) add("items-sum", ind.code, (m) => m.itemsSum(iw(m), sumH / 100, ind.max));
    if (ind.bands) checkBands(ind.bands, maxH, "indicator", ind.code);

    for (const info of ind.info ?? []) {
      const fw = who("info", info.key);
      see(info.key);
      if (!INFO_KEY.test(info.key)) add("code-format", info.key, (m) => m.badCode(fw(m), info.key));
      else if (!info.key.startsWith(ind.code + "."))
        add("code-hierarchy", info.key, (m) => m.notUnder(fw(m), m.entity("indicator", ind.code)));
      if (info.title.trim() === "") add("empty", info.key, (m) => m.empty(fw(m), "text"));
      if (info.fields.length === 0) add("empty", info.key, (m) => m.empty(fw(m), "fields"));
      const fieldIds = new Set<string>();
      for (const f of info.fields) {
        if (fieldIds.has(f.id)) add("duplicate-id", info.key, (m) => m.duplicateId(fw(m), "field", f.id));
        fieldIds.add(f.id);
        if (f.type === "choice") {
          if (f.options.length === 0) add("empty", info.key, (m) => m.empty(fw(m), "options"));
          const ids = new Set<string>();
          for (const o of f.options) {
            if (ids.has(o.id)) add("duplicate-id", info.key, (m) => m.duplicateId(fw(m), "option", o.id));
            ids.add(o.id);
          }
        }
      }
      for (const ref of info.requiredWhen?.anyMet ?? [])
        if (!itemCodes.has(ref)) add("reference", info.key, (m) => m.unknownReference(fw(m), "requiredWhen.anyMet", ref));
    }
    return maxH;
  }

  /** Checks one item; returns its max in hundredths (0 for a mandatory condition). */
  function checkItem(it: Item): number {
    const w = who("item", it.code);
    if (it.text.trim() === "") add("empty", it.code, (m) => m.empty(w(m), "text"));
    if (it.rule === "mandatory") return 0;
    const maxH = points("item", it.code, "max", it.max, true);
    if (it.rule === "ratio") {
      if (it.numeratorLabel.trim() === "") add("ratio-label", it.code, (m) => m.missingRatioLabel(w(m), "numerator"));
      if (it.denominatorLabel.trim() === "") add("ratio-label", it.code, (m) => m.missingRatioLabel(w(m), "denominator"));
    }
    if (it.rule === "choice") {
      if (it.options.length === 0) add("empty", it.code, (m) => m.empty(w(m), "options"));
      const ids = new Set<string>();
      let bestH = -1;
      let best = 0;
      for (const o of it.options) {
        if (ids.has(o.id)) add("duplicate-id", it.code, (m) => m.duplicateId(w(m), "option", o.id));
        ids.add(o.id);
        if (!hasAtMostTwoDecimals(o.points)) {
          add("decimals", it.code, (m) => m.tooManyDecimals(w(m), "points", o.points));
          continue;
        }
        const pH = toHundredths(o.points);
        if (pH < 0) add("option-points", it.code, (m) => m.optionNegative(w(m), o.id, o.points));
        else if (pH > maxH) add("option-points", it.code, (m) => m.optionAboveMax(w(m), o.id, o.points, it.max));
        else if (pH > bestH) {
          bestH = pH;
          best = o.points;
        }
      }
      // The item max must be reachable: an option worth exactly the max.
      if (it.options.length > 0 && bestH >= 0 && bestH < maxH)
        add("option-max", it.code, (m) => m.noOptionAtMax(w(m), best, it.max));

      const s = it.suggest;
      if (s) {
        const ref = (field: string, id: string) => {
          if (!ids.has(id)) add("reference", it.code, (m) => m.unknownReference(w(m), field, id));
        };
        for (const t of s.tiers) ref("suggest.tiers.option", t.option);
        ref("suggest.otherwise", s.otherwise);
        const schoolLevels = new Set(Object.values(s.schoolTypes).flat());
        for (const [type, lv] of Object.entries(s.schoolTypes))
          if (lv.length === 0) add("empty", it.code, (m) => m.unknownReference(w(m), `suggest.schoolTypes.${type}`, "[]"));
        for (const t of s.tiers) {
          for (const lv of schoolLevels) {
            const v = t.maxPupilsPerComputer[lv];
            if (v === undefined) add("reference", it.code, (m) => m.suggestMissingThreshold(w(m), t.option, lv));
            else points("item", it.code, "maxPupilsPerComputer", v, true);
          }
        }
      }
    }
    return maxH;
  }
}
