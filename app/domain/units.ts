/**
 * Kinds of units in the organisation tree, declared once: the database enum, the admin forms, the
 * labels and the tree-order check all derive from this list.
 *
 * ministry → province → (district | commune) → school. District (Phòng GDĐT, until 1/7/2025) and
 * commune (two-tier local government since then) are peers: both sit directly under a province.
 */
export const UNIT_KINDS = ["ministry", "province", "district", "commune"] as const;
export type UnitKind = (typeof UNIT_KINDS)[number];

/** Rank of a kind in the tree: a child must rank strictly below its parent. */
export const UNIT_KIND_RANK: Record<UnitKind, number> = { ministry: 0, province: 1, district: 2, commune: 2 };
