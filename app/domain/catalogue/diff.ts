/**
 * Differences between two editions, for an authority publishing a corrected edition:
 * added / removed / changed groups, indicators and items, with old and new values.
 * Items and indicators are matched by code (separately: indicator "1.4" and item "1.4" are distinct).
 */
import { canonicalJson } from "./canonical";
import type { Edition, Group, Indicator, Item } from "./types";

/** Every field the diff compares, per kind of entity (the UI gives each a Vietnamese label). */
export const EDITION_DIFF_FIELDS = ["title", "titleEn", "decision", "publishedAt", "status", "note", "groupLevels", "rollup"] as const;
export const GROUP_DIFF_FIELDS = ["title", "titleEn", "max"] as const;
/** "group": the indicator moved to another group (old and new are group codes). */
export const INDICATOR_DIFF_FIELDS = ["group", "title", "titleEn", "max", "bands", "info", "provenance"] as const;
/** "indicator": the item moved to another indicator (old and new are indicator codes). */
export const ITEM_DIFF_FIELDS = [
  "indicator",
  "rule",
  "max",
  "text",
  "textEn",
  "options",
  "numeratorLabel",
  "denominatorLabel",
  "numeratorLabelEn",
  "denominatorLabelEn",
  "suggest",
  "provenance",
  "pointsProvenance",
  "ruleProvenance",
  "provenanceNote",
  "evidence",
] as const;

export type DiffField =
  | (typeof EDITION_DIFF_FIELDS)[number]
  | (typeof GROUP_DIFF_FIELDS)[number]
  | (typeof INDICATOR_DIFF_FIELDS)[number]
  | (typeof ITEM_DIFF_FIELDS)[number];

export interface FieldChange {
  /** e.g. "max", "text", "rule", "options", "indicator" (moved), "bands". */
  field: DiffField;
  old: unknown;
  new: unknown;
}

export interface EntityChange {
  code: string;
  /** The entity's name in the newer edition (group or indicator title, item text), for display. */
  name?: string;
  /**
   * Choice items: option id → label, from both editions (the newer label wins), so that the
   * options and the suggestion tiers can be shown by name rather than by id.
   */
  optionLabels?: Record<string, string>;
  changes: FieldChange[];
}

export interface GroupSummary {
  code: string;
  title: string;
  max: number;
}

export interface IndicatorSummary {
  code: string;
  groupCode: string;
  title: string;
  max: number;
}

export interface ItemSummary {
  code: string;
  indicatorCode: string;
  rule: Item["rule"];
  text: string;
  /** 0 for a mandatory condition. */
  max: number;
}

export interface EditionDiff {
  from: string;
  to: string;
  /** Edition-level fields that changed: title, status, publishedAt, groupLevels, rollup… */
  edition: FieldChange[];
  groups: { added: GroupSummary[]; removed: GroupSummary[]; changed: EntityChange[] };
  indicators: { added: IndicatorSummary[]; removed: IndicatorSummary[]; changed: EntityChange[] };
  items: { added: ItemSummary[]; removed: ItemSummary[]; changed: EntityChange[] };
  /** True when nothing but the id differs. */
  identical: boolean;
}

const same = (a: unknown, b: unknown) => canonicalJson(a ?? null) === canonicalJson(b ?? null);

function compare(a: object, b: object, fields: readonly DiffField[], extra: FieldChange[] = []): FieldChange[] {
  const out: FieldChange[] = [...extra];
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  for (const f of fields) if (!same(x[f], y[f])) out.push({ field: f, old: x[f] ?? null, new: y[f] ?? null });
  return out;
}

function optionLabels(a: Item, b: Item): Record<string, string> | undefined {
  if (a.rule !== "choice" && b.rule !== "choice") return undefined;
  const out: Record<string, string> = {};
  for (const it of [a, b]) if (it.rule === "choice") for (const o of it.options) out[o.id] = o.label;
  return out;
}

interface Flat {
  groups: Map<string, Group>;
  indicators: Map<string, { ind: Indicator; groupCode: string }>;
  items: Map<string, { item: Item; indicatorCode: string }>;
}

function flatten(e: Edition): Flat {
  const f: Flat = { groups: new Map(), indicators: new Map(), items: new Map() };
  for (const g of e.groups) {
    f.groups.set(g.code, g);
    for (const ind of g.indicators) {
      f.indicators.set(ind.code, { ind, groupCode: g.code });
      for (const item of ind.items) f.items.set(item.code, { item, indicatorCode: ind.code });
    }
  }
  return f;
}

const itemMax = (it: Item) => (it.rule === "mandatory" ? 0 : it.max);

const ITEM_FIELDS = ITEM_DIFF_FIELDS.filter((f) => f !== "indicator");

export function diffEditions(a: Edition, b: Edition): EditionDiff {
  const A = flatten(a);
  const B = flatten(b);

  const groupSummary = (g: Group): GroupSummary => ({ code: g.code, title: g.title, max: g.max });
  const indSummary = ({ ind, groupCode }: { ind: Indicator; groupCode: string }): IndicatorSummary => ({
    code: ind.code,
    groupCode,
    title: ind.title,
    max: ind.max,
  });
  const itemSummary = ({ item, indicatorCode }: { item: Item; indicatorCode: string }): ItemSummary => ({
    code: item.code,
    indicatorCode,
    rule: item.rule,
    text: item.text,
    max: itemMax(item),
  });

  const groups: EditionDiff["groups"] = { added: [], removed: [], changed: [] };
  for (const [code, g] of B.groups) if (!A.groups.has(code)) groups.added.push(groupSummary(g));
  for (const [code, g] of A.groups) {
    const h = B.groups.get(code);
    if (!h) groups.removed.push(groupSummary(g));
    else {
      const changes = compare(g, h, GROUP_DIFF_FIELDS);
      if (changes.length) groups.changed.push({ code, name: h.title, changes });
    }
  }

  const indicators: EditionDiff["indicators"] = { added: [], removed: [], changed: [] };
  for (const [code, x] of B.indicators) if (!A.indicators.has(code)) indicators.added.push(indSummary(x));
  for (const [code, x] of A.indicators) {
    const y = B.indicators.get(code);
    if (!y) indicators.removed.push(indSummary(x));
    else {
      const moved: FieldChange[] = x.groupCode !== y.groupCode ? [{ field: "group", old: x.groupCode, new: y.groupCode }] : [];
      const changes = compare(x.ind, y.ind, INDICATOR_DIFF_FIELDS.filter((f) => f !== "group"), moved);
      if (changes.length) indicators.changed.push({ code, name: y.ind.title, changes });
    }
  }

  const items: EditionDiff["items"] = { added: [], removed: [], changed: [] };
  for (const [code, x] of B.items) if (!A.items.has(code)) items.added.push(itemSummary(x));
  for (const [code, x] of A.items) {
    const y = B.items.get(code);
    if (!y) items.removed.push(itemSummary(x));
    else {
      const moved: FieldChange[] =
        x.indicatorCode !== y.indicatorCode ? [{ field: "indicator", old: x.indicatorCode, new: y.indicatorCode }] : [];
      const changes = compare(x.item, y.item, ITEM_FIELDS, moved);
      const labels = optionLabels(x.item, y.item);
      if (changes.length) items.changed.push({ code, name: y.item.text, ...(labels ? { optionLabels: labels } : {}), changes });
    }
  }

  const edition = compare(a, b, EDITION_DIFF_FIELDS);
  const identical =
    edition.length === 0 &&
    [groups, indicators, items].every((d) => d.added.length === 0 && d.removed.length === 0 && d.changed.length === 0) &&
    // order of groups/indicators/items is content too
    same(
      a.groups.map((g) => [g.code, g.indicators.map((i) => [i.code, i.items.map((it) => it.code)])]),
      b.groups.map((g) => [g.code, g.indicators.map((i) => [i.code, i.items.map((it) => it.code)])]),
    );

  return { from: a.id, to: b.id, edition, groups, indicators, items, identical };
}
