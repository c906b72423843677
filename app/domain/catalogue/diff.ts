/**
 * Differences between two editions, for an authority publishing a corrected edition:
 * added / removed / changed groups, indicators and items, with old and new values.
 * Items and indicators are matched by code (separately: indicator "1.4" and item "1.4" are distinct).
 */
import { canonicalJson } from "./canonical";
import type { Edition, Group, Indicator, Item } from "./types";

export interface FieldChange {
  /** e.g. "max", "text", "rule", "options", "indicator" (moved), "bands". */
  field: string;
  old: unknown;
  new: unknown;
}

export interface EntityChange {
  code: string;
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

function compare<T extends object>(a: T, b: T, fields: (keyof T & string)[], extra: FieldChange[] = []): FieldChange[] {
  const out: FieldChange[] = [...extra];
  for (const f of fields) if (!same(a[f], b[f])) out.push({ field: f, old: a[f] ?? null, new: b[f] ?? null });
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

const ITEM_FIELDS = [
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
];

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
      const changes = compare(g, h, ["title", "titleEn", "max"]);
      if (changes.length) groups.changed.push({ code, changes });
    }
  }

  const indicators: EditionDiff["indicators"] = { added: [], removed: [], changed: [] };
  for (const [code, x] of B.indicators) if (!A.indicators.has(code)) indicators.added.push(indSummary(x));
  for (const [code, x] of A.indicators) {
    const y = B.indicators.get(code);
    if (!y) indicators.removed.push(indSummary(x));
    else {
      const moved: FieldChange[] = x.groupCode !== y.groupCode ? [{ field: "group", old: x.groupCode, new: y.groupCode }] : [];
      const changes = compare(x.ind, y.ind, ["title", "titleEn", "max", "bands", "info", "provenance"], moved);
      if (changes.length) indicators.changed.push({ code, changes });
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
      const changes = compare(
        x.item as unknown as Record<string, unknown>,
        y.item as unknown as Record<string, unknown>,
        ITEM_FIELDS,
        moved,
      );
      if (changes.length) items.changed.push({ code, changes });
    }
  }

  const edition = compare(a, b, ["title", "titleEn", "decision", "publishedAt", "status", "note", "groupLevels", "rollup"]);
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
