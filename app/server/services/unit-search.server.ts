/**
 * Units for the searchable unit picker (app/components/UnitPicker.tsx) that replaced the admin
 * forms' dropdowns of every unit: a search that answers at most SEARCH_LIMIT units of the user's
 * scope (policy.unitScope), the selected units' labels for loaders and actions, and the reading
 * of the picker's no-JavaScript text field.
 *
 * The picker posts the unit id under the field name the services read (`managingUnitId`, …). Its
 * text input has no name once the page is hydrated; before that (no JavaScript) it is named
 * `<field>__ma` and holds a unit code ("P01", or "P01 — Phòng GDĐT …" as prefilled). When that
 * field is present it decides: `resolveUnitFields` / `resolveUnitParam` turn it into the id, or into
 * a field error when no unit of the user's scope has that code. Posts without it (the picker with
 * JavaScript, tests, scripts) keep the id as sent, so validation and the policy stay as they were.
 */
import { alias } from "drizzle-orm/sqlite-core";
import { and, eq, inArray, ne, not, sql, type SQL } from "drizzle-orm";
import type { CurrentUser } from "../auth/session.server";
import { getDb, type Db } from "../db/client.server";
import { units } from "../db/schema.server";
import { inRange, pathRange, unitScope } from "../policy.server";
import { folded } from "./org.server";
import { UNIT_CODE_SUFFIX, type UnitRef } from "~/domain/unit-ref";
import { UNIT_KIND_RANK } from "~/domain/units";
import { pick } from "~/i18n";
import { unitPickerUi } from "~/i18n/unit-picker";
import { viCollator } from "~/utils/text";

export type { UnitRef };

/** Units per answer of the search. */
export const SEARCH_LIMIT = 20;
/** Candidates read per answer, sorted in JS (×SEARCH_LIMIT). */
const CANDIDATES = 10;

/**
 * What the picker is for: "dot" (opening a cycle) leaves out the ministry, for which no cycle is
 * opened (the cycle form offered the same units).
 */
export const PURPOSES = ["dot"] as const;
export type UnitPurpose = (typeof PURPOSES)[number];

export interface UnitSearch {
  q?: string;
  purpose?: UnitPurpose;
  /** Leave out this unit and everything below it (the parent picker of a unit's own form). */
  excludeSubtreeOf?: number;
  limit?: number;
}

const parent = alias(units, "parent");

function refs(where: SQL | undefined, db: Db, limit?: number) {
  const q = db
    .select({ id: units.id, code: units.code, name: units.name, kind: units.kind, parentName: parent.name })
    .from(units)
    .leftJoin(parent, eq(parent.id, units.parentId))
    .where(where)
    // Higher levels first, then by name; the page of results is re-sorted with the Vietnamese collator.
    .orderBy(sql`CASE ${units.kind} WHEN 'ministry' THEN 0 WHEN 'province' THEN 1 ELSE 2 END`, units.name, units.id);
  return (limit ? q.limit(limit) : q).all() as UnitRef[];
}

function pathOf(id: number, db: Db): string | null {
  return db.select({ path: units.path }).from(units).where(eq(units.id, id)).get()?.path || null;
}

/** Units of the user's scope matching the folded query (name or code), at most `limit`, and whether there are more. */
export function searchUnits(user: CurrentUser, s: UnitSearch, db: Db = getDb()): { units: UnitRef[]; more: boolean } {
  const limit = s.limit ?? SEARCH_LIMIT;
  const code = (s.q ?? "").trim();
  const excluded = s.excludeSubtreeOf != null ? pathOf(s.excludeSubtreeOf, db) : null;
  const where = and(
    unitScope(user),
    folded(units.searchKey, s.q),
    s.purpose === "dot" ? ne(units.kind, "ministry") : undefined,
    excluded ? not(inRange(units.path, pathRange(excluded))) : undefined,
  );
  // SQLite orders Vietnamese names wrongly ("… 10" before "… 2"): candidates are read in SQL order
  // (levels, then name), sorted with the Vietnamese collator, and the first `limit` kept.
  const rows = refs(where, db, limit * CANDIDATES);
  // A unit whose code is exactly what was typed comes first, even when it would not be in the first page.
  const exact = code ? refs(and(where, eq(units.code, code)), db, 1)[0] : undefined;
  const list = exact ? [exact, ...rows.filter((r) => r.id !== exact.id)] : rows;
  list.sort(
    (a, b) =>
      Number(b.id === exact?.id) - Number(a.id === exact?.id) ||
      UNIT_KIND_RANK[a.kind] - UNIT_KIND_RANK[b.kind] ||
      viCollator.compare(a.name, b.name) ||
      viCollator.compare(a.code, b.code),
  );
  return { units: list.slice(0, limit), more: list.length > limit };
}

/** The labels of these units (the selected ones of a form), when the user may read them. */
export function unitRefs(user: CurrentUser, ids: (number | null | undefined)[], db: Db = getDb()): Map<number, UnitRef> {
  const wanted = [...new Set(ids.filter((x): x is number => typeof x === "number" && Number.isSafeInteger(x) && x > 0))];
  if (wanted.length === 0) return new Map();
  return new Map(refs(and(unitScope(user), inArray(units.id, wanted)), db).map((r) => [r.id, r]));
}

/** One unit's label, whoever may read it: for values a form shows but does not offer (a locked reviewing unit). */
export function unitRefAnyScope(id: number, db: Db = getDb()): UnitRef | null {
  return refs(eq(units.id, id), db, 1)[0] ?? null;
}

/** The unit of the user's scope with this code ("P01", or the prefilled "P01 — name"); null if none. */
export function unitByCode(user: CurrentUser, text: string, db: Db = getDb()): UnitRef | null {
  const code = text.trim().split(/\s+/)[0] ?? "";
  if (!code || code.length > 32) return null;
  return refs(and(unitScope(user), eq(units.code, code)), db, 1)[0] ?? refs(and(unitScope(user), eq(units.code, code.toUpperCase())), db, 1)[0] ?? null;
}

function notFound(text: string): string {
  return pick(unitPickerUi).notFound(text.trim().slice(0, 40));
}

/**
 * The form with each picker's no-JavaScript text field (`<name>__ma`) turned into the id under
 * `<name>`, and the field errors of codes that name no unit of the user's scope (null: none).
 * The text fields are kept, so that a form shown again after an error shows what was typed.
 */
export function resolveUnitFields(form: FormData, names: readonly string[], user: CurrentUser, db: Db = getDb()): { form: FormData; errors: Record<string, string[]> | null } {
  const out = new FormData();
  for (const [k, v] of form) out.append(k, v);
  let errors: Record<string, string[]> | null = null;
  for (const name of names) {
    const raw = form.get(name + UNIT_CODE_SUFFIX);
    if (raw === null) continue;
    const text = typeof raw === "string" ? raw : "";
    out.delete(name);
    if (!text.trim()) continue;
    const found = unitByCode(user, text, db);
    if (found) out.set(name, String(found.id));
    else (errors ??= {})[name] = [notFound(text)];
  }
  return { form: out, errors };
}

/**
 * A unit filter of a GET list (`?unit=<id>` from the picker, or `?unit__ma=<code>` without
 * JavaScript): the id, the selected unit's label, and an error for a code that matches nothing.
 * Whether the user may read an id sent as such is the caller's question (a 400 there).
 */
export function resolveUnitParam(
  url: URL,
  name: string,
  id: number | undefined,
  user: CurrentUser,
  db: Db = getDb(),
): { id: number | undefined; selected: UnitRef | null; text: string | null; error: string | null } {
  const text = url.searchParams.get(name + UNIT_CODE_SUFFIX);
  if (text !== null) {
    if (!text.trim()) return { id: undefined, selected: null, text, error: null };
    const found = unitByCode(user, text, db);
    return found ? { id: found.id, selected: found, text: null, error: null } : { id: undefined, selected: null, text: text.slice(0, 100), error: notFound(text) };
  }
  if (id == null) return { id: undefined, selected: null, text: null, error: null };
  return { id, selected: unitRefs(user, [id], db).get(id) ?? null, text: null, error: null };
}

/** The posted ids of these fields, as labels (those the user may read), for a form shown again after an error. */
export function postedUnits(form: FormData, names: readonly string[], user: CurrentUser, db: Db = getDb()): Record<string, UnitRef> {
  const ids = Object.fromEntries(names.map((n) => [n, Number(form.get(n))] as const));
  const found = unitRefs(user, Object.values(ids), db);
  const out: Record<string, UnitRef> = {};
  for (const [n, id] of Object.entries(ids)) {
    const r = found.get(id);
    if (r) out[n] = r;
  }
  return out;
}
