/**
 * The organisation tree, read with recursive queries prepared once per connection (the policy
 * asks them on every request). Depth is bounded so a corrupt cycle can never loop.
 */
import type Database from "better-sqlite3";
import { getDb, prepared, type Db } from "./client.server";

const MAX_DEPTH = 16;

function statements(db: Db) {
  return prepared(db, "tree.statements", () => ({
    up: db.$client.prepare(
      `WITH RECURSIVE up(id, parent_id, depth) AS (
         SELECT id, parent_id, 0 FROM units WHERE id = ?
         UNION ALL SELECT u.id, u.parent_id, up.depth + 1 FROM units u JOIN up ON u.id = up.parent_id WHERE up.depth < ${MAX_DEPTH})
       SELECT id FROM up ORDER BY depth`,
    ) as Database.Statement<[number], { id: number }>,
    down: db.$client.prepare(
      `WITH RECURSIVE down(id, depth) AS (
         SELECT id, 0 FROM units WHERE id = ?
         UNION ALL SELECT u.id, down.depth + 1 FROM units u JOIN down ON u.parent_id = down.id WHERE down.depth < ${MAX_DEPTH})
       SELECT id FROM down`,
    ) as Database.Statement<[number], { id: number }>,
  }));
}

/**
 * A counter bumped whenever the tree or a school's placement changes in this process (units
 * created, moved or re-kinded; schools created, moved or imported): the policy's per-user caches
 * of subtrees, ancestries and school placements compare it and reload when it moved.
 */
let version = 0;
/** How many tree queries ran in this process (read by tests that check the policy's caching). */
export const treeStats = { queries: 0 };
export function treeVersion(): number {
  return version;
}
export function treeChanged(): void {
  version++;
}

/** The unit and all its ancestors, nearest first. */
export function unitAncestry(unitId: number, db: Db = getDb()): number[] {
  treeStats.queries++;
  return statements(db).up.all(unitId).map((r) => r.id);
}

/** The unit and all its descendants. */
export function unitSubtree(unitId: number, db: Db = getDb()): number[] {
  treeStats.queries++;
  return statements(db).down.all(unitId).map((r) => r.id);
}
