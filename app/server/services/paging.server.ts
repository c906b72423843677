/**
 * Pieces of the paged lists that sort a whole scope in memory (org.server's admin lists, the cycle
 * page, /ho-so): Vietnamese order of the keys, and the page's rows put back in that order.
 */
import { viCollator } from "~/utils/text";
import { viRanks } from "../vi-order.server";

/** Sorts keys in place: Vietnamese order of the name, then the code, then the id. */
export function sortKeysByName<T extends { id: number; name: string; code: string }>(keys: T[]): T[] {
  const rank = viRanks(keys.map((k) => k.name));
  return keys.sort((a, b) => rank.get(a.name)! - rank.get(b.name)! || viCollator.compare(a.code, b.code) || a.id - b.id);
}

/** The rows in the order of `ids` (rows read with `id IN (…)` come back in any order); missing ids are skipped. */
export function inOrder<T extends { id: number }>(ids: number[], rows: T[]): T[] {
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.map((id) => byId.get(id)).filter((r): r is T => r !== undefined);
}
