/**
 * Vietnamese order for the lists that sort a whole scope in memory (/ho-so, the cycle page, the
 * admin lists): SQLite orders Vietnamese names wrongly, and Intl.Collator costs about 0.2 µs a
 * comparison, 3-4 ms for a province's 1,500 schools on every page view.
 *
 * `viRanks(names)` gives each distinct name its rank in viCollator order. The ranks are kept per
 * exact set of names (a hash of the set, sorted by code units): the same office opening the
 * same list again gets the ranks without one collator comparison, and any new, renamed or removed
 * school makes another set, hence another entry, so a rank is never stale. At most RANK_SETS
 * sets are kept (least recently used first out).
 */
import { createHash } from "node:crypto";
import { viCollator } from "~/utils/text";

export const RANK_SETS = 64;
const cache = new Map<string, Map<string, number>>();
let computed = 0;

/** How many rank sets were computed with the collator (tests). */
export const viRankStats = () => ({ computed, cached: cache.size });

/** Rank of every distinct name of `names` in Vietnamese order (equal under the collator: equal rank). */
export function viRanks(names: readonly string[]): Map<string, number> {
  const distinct = [...new Set(names)].sort();
  // One update of the joined names: an update per name crossed into C++ 1,500 times for a province.
  const key = createHash("sha1").update(distinct.join("\u0000")).digest("base64");
  const hit = cache.get(key);
  if (hit) {
    cache.delete(key);
    cache.set(key, hit);
    return hit;
  }
  computed++;
  const ordered = distinct.sort((a, b) => viCollator.compare(a, b));
  const ranks = new Map<string, number>();
  let rank = 0;
  ordered.forEach((n, i) => {
    if (i > 0 && viCollator.compare(ordered[i - 1]!, n) !== 0) rank = i;
    ranks.set(n, rank);
  });
  cache.set(key, ranks);
  if (cache.size > RANK_SETS) cache.delete(cache.keys().next().value!);
  return ranks;
}
