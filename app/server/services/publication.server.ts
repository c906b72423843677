/**
 * Publication (công bố) of recognised results: an office admin publishes a school year for a unit's
 * subtree; anyone then reads it on /cong-bo and as open data (JSON, CSV).
 *
 * What is public is exactly PUBLISHED_SQL (rollups.server.ts): recognised, unrevoked files of a
 * school year that an active publication covers. A publication page of unit U and year Y shows the
 * files of U's subtree matching it, and only while U's own publication of Y is active. Nothing else
 * leaves this module: school code, name, type, managing unit name, recognised level, the external
 * group points and levels, and the newest valid certificate's serial and verification address. No
 * ids, no user, no note, no evidence.
 *
 * Writes (publish, withdraw) are audited in the same transaction ("results.publish",
 * "results.withdraw", entity "publication", entityId "<unitId>:<schoolYear>").
 */
import { createHash } from "node:crypto";
import { getDb, prepared, withWriteLock, type Db } from "../db/client.server";
import { publications } from "../db/schema.server";
import { and, eq } from "drizzle-orm";
import { writeAudit } from "./audit.server";
import { filesOf, PUBLISHED_SQL, scopeUnit } from "./rollups.server";
import { verifyUrlFor } from "./verification.server";
import { distribution, type Distribution } from "~/domain/stats";
import type { SchoolType } from "~/domain/roles";
import { pick } from "~/i18n";
import { publication as strings } from "~/i18n/publication";
import { foldVietnamese, viCollator } from "~/utils/text";
import { pathRange } from "../policy/scope.server";
import { isSchoolYear } from "~/domain/school-year";

const t = pick(strings);



function q<T>(db: Db, key: string, text: string) {
  return prepared(db, `publication.${key}`, () => db.$client.prepare(text)) as unknown as {
    all(p: object): T[];
    get(p: object): T | undefined;
  };
}

/* ───────────────────────── writes ───────────────────────── */

export type PublicationResult = { ok: true } | { ok: false; code: "not-found" | "invalid" | "nothing" | "state"; message: string };

const entityId = (unitId: number, schoolYear: string) => `${unitId}:${schoolYear}`;

/** Recognised, unrevoked files of the year in the unit's subtree (published or not). */
function recognisedCount(db: Db, path: string, schoolYear: string): number {
  return (
    q<{ n: number }>(
      db,
      "recognisedCount",
      `SELECT count(*) AS n ${filesOf()} AND a.recognised_level IS NOT NULL`,
    ).get({ year: schoolYear, ...pathRange(path), type: null })?.n ?? 0
  );
}

/**
 * Publishes the unit's recognised results of a school year (again, after a withdrawal: the row is
 * updated and its withdrawal cleared). Refused when nothing is recognised in the subtree that year.
 */
export function publish(unitId: number, schoolYear: string, actorId: number, now = Date.now(), db: Db = getDb()): PublicationResult {
  if (!isSchoolYear(schoolYear)) return { ok: false, code: "invalid", message: t.errors.badYear };
  const scope = scopeUnit(unitId, db);
  if (!scope) return { ok: false, code: "not-found", message: t.errors.unitNotFound };
  return withWriteLock(db, () =>
    db.transaction(
      (tx) => {
        const n = recognisedCount(db, scope.path, schoolYear);
        if (n === 0) return { ok: false, code: "nothing", message: t.errors.nothingRecognised(scope.name, schoolYear) } as const;
        const prev = tx.select().from(publications).where(and(eq(publications.unitId, unitId), eq(publications.schoolYear, schoolYear))).get();
        if (prev && prev.withdrawnAt == null) return { ok: false, code: "state", message: t.errors.alreadyPublished } as const;
        tx.insert(publications)
          .values({ unitId, schoolYear, publishedAt: new Date(now), publishedBy: actorId, withdrawnAt: null, withdrawnBy: null })
          .onConflictDoUpdate({
            target: [publications.unitId, publications.schoolYear],
            set: { publishedAt: new Date(now), publishedBy: actorId, withdrawnAt: null, withdrawnBy: null },
          })
          .run();
        writeAudit(tx, { actorId, action: "results.publish", entityType: "publication", entityId: entityId(unitId, schoolYear), unitId, details: { schoolYear, unit: scope.code, schools: n, again: !!prev } }, now);
        return { ok: true } as const;
      },
      { behavior: "immediate" },
    ),
  );
}

/** Withdraws an active publication (the row stays, with the withdrawal's date). */
export function withdraw(unitId: number, schoolYear: string, actorId: number, now = Date.now(), db: Db = getDb()): PublicationResult {
  if (!isSchoolYear(schoolYear)) return { ok: false, code: "invalid", message: t.errors.badYear };
  const scope = scopeUnit(unitId, db);
  if (!scope) return { ok: false, code: "not-found", message: t.errors.unitNotFound };
  return withWriteLock(db, () =>
    db.transaction(
      (tx) => {
        const prev = tx.select().from(publications).where(and(eq(publications.unitId, unitId), eq(publications.schoolYear, schoolYear))).get();
        if (!prev || prev.withdrawnAt != null) return { ok: false, code: "state", message: t.errors.notPublished } as const;
        tx.update(publications)
          .set({ withdrawnAt: new Date(now), withdrawnBy: actorId })
          .where(and(eq(publications.unitId, unitId), eq(publications.schoolYear, schoolYear)))
          .run();
        writeAudit(tx, { actorId, action: "results.withdraw", entityType: "publication", entityId: entityId(unitId, schoolYear), unitId, details: { schoolYear, unit: scope.code } }, now);
        return { ok: true } as const;
      },
      { behavior: "immediate" },
    ),
  );
}

/* ───────────────────────── public reads ───────────────────────── */

export interface ActivePublication {
  unitCode: string;
  unitName: string;
  schoolYear: string;
  /** ISO time. */
  publishedAt: string;
  /** Schools shown on its page now. */
  schools: number;
}

/** Every active publication, by unit (Vietnamese order of the name) and newest year first. */
export function activePublications(db: Db = getDb()): ActivePublication[] {
  const rows = q<{ code: string; name: string; year: string; at: number; n: number }>(
    db,
    "active",
    `SELECT u.code AS code, u.name AS name, p.school_year AS year, p.published_at AS at,
            (SELECT count(*) FROM assessments a
               JOIN cycles c ON c.id = a.cycle_id AND c.school_year = p.school_year
               JOIN schools s ON s.id = a.school_id
              WHERE s.managing_path >= u.path AND s.managing_path < substr(u.path, 1, length(u.path) - 1) || '0'
                AND ${PUBLISHED_SQL}) AS n
       FROM publications p JOIN units u ON u.id = p.unit_id
      WHERE p.withdrawn_at IS NULL`,
  ).all({});
  return rows
    .map((r) => ({ unitCode: r.code, unitName: r.name, schoolYear: r.year, publishedAt: new Date(r.at).toISOString(), schools: r.n }))
    .sort((a, b) => viCollator.compare(a.unitName, b.unitName) || a.unitCode.localeCompare(b.unitCode) || b.schoolYear.localeCompare(a.schoolYear));
}

export interface PublicUnit {
  id: number;
  code: string;
  name: string;
  path: string;
}

/** A unit by its code (exact), or null. */
export function unitByCode(code: string, db: Db = getDb()): PublicUnit | null {
  if (!code || code.length > 64) return null;
  return q<PublicUnit>(db, "unitByCode", "SELECT id, code, name, path FROM units WHERE code = @code").get({ code }) ?? null;
}

/** The unit's active publications' years, newest first. */
export function publishedYearsOf(unitId: number, db: Db = getDb()): string[] {
  return q<{ y: string }>(db, "yearsOf", "SELECT school_year AS y FROM publications WHERE unit_id = @unitId AND withdrawn_at IS NULL ORDER BY 1 DESC")
    .all({ unitId })
    .map((r) => r.y);
}

/** The open-data contract of a published year (JSON as is; CSV one row per school). */
export interface OpenDataSchool {
  code: string;
  name: string;
  type: SchoolType;
  subUnit: string;
  level: number;
  groups: Record<string, { points: number; level: number | null }>;
  certificate: { number: string; verifyUrl: string } | null;
}

export interface OpenData {
  unit: { code: string; name: string };
  schoolYear: string;
  edition: string | null;
  publishedAt: string;
  summary: { schools: number; levels: { "1": number; "2": number; "3": number } };
  schools: OpenDataSchool[];
}

/** A published school with what the page needs beyond the open data (never sent as is). */
interface Row extends OpenDataSchool {
  searchKey: string;
  /** The unit directly below the publishing unit that holds the school (null: managed by it). */
  subId: number | null;
  edition: string;
}

interface RawRow {
  aid: number;
  code: string;
  name: string;
  searchKey: string;
  type: SchoolType;
  mpath: string;
  subUnit: string;
  level: number;
  edition: string;
  serial: string | null;
  token: string | null;
}

/** The published files of a year in a subtree (the rollups' filesOf, every type; binds @year, @from, @to, @type). */
const files = (join = "") => `${filesOf(join)} AND ${PUBLISHED_SQL}`;

function activePublication(db: Db, unitId: number, schoolYear: string): { publishedAt: number } | null {
  return q<{ publishedAt: number }>(db, "activeOne", "SELECT published_at AS publishedAt FROM publications WHERE unit_id = @unitId AND school_year = @year AND withdrawn_at IS NULL").get({ unitId, year: schoolYear }) ?? null;
}

function publishedRows(db: Db, unit: PublicUnit, schoolYear: string): Row[] {
  const p = { year: schoolYear, ...pathRange(unit.path), type: null };
  const raw = q<RawRow>(
    db,
    "rows",
    `SELECT a.id AS aid, s.code AS code, s.name AS name, s.search_key AS searchKey, s.type AS type, s.managing_path AS mpath,
            mu.name AS subUnit, a.recognised_level AS level, c.edition_id AS edition,
            (SELECT k.serial FROM certificates k WHERE k.assessment_id = a.id AND k.revoked_at IS NULL ORDER BY k.issued_at DESC, k.id DESC LIMIT 1) AS serial,
            (SELECT k.token FROM certificates k WHERE k.assessment_id = a.id AND k.revoked_at IS NULL ORDER BY k.issued_at DESC, k.id DESC LIMIT 1) AS token
       ${files("JOIN units mu ON mu.id = s.managing_unit_id")}`,
  ).all(p);
  const groups = q<{ aid: number; code: string; points: number; level: number | null }>(
    db,
    "groups",
    `SELECT r.assessment_id AS aid, r.code AS code, r.points AS points, r.level AS level
       ${files("JOIN assessment_results r ON r.assessment_id = a.id AND r.phase = 'external' AND r.kind = 'group'")}`,
  ).all(p);
  const byFile = new Map<number, Record<string, { points: number; level: number | null }>>();
  for (const g of groups) {
    const m = byFile.get(g.aid) ?? {};
    m[g.code] = { points: Math.round(g.points) / 100, level: g.level };
    byFile.set(g.aid, m);
  }
  // One row per school (the newest file, should a school have two in a year).
  const bySchool = new Map<string, RawRow>();
  for (const r of raw) if (!bySchool.has(r.code) || bySchool.get(r.code)!.aid < r.aid) bySchool.set(r.code, r);
  const rows: Row[] = [...bySchool.values()].map((r) => {
    const rest = r.mpath.slice(unit.path.length);
    const sub = rest ? Number(rest.split("/")[0]) : null;
    return {
      code: r.code,
      name: r.name,
      type: r.type,
      subUnit: r.subUnit,
      level: r.level,
      groups: Object.fromEntries(Object.entries(byFile.get(r.aid) ?? {}).sort((a, b) => a[0].localeCompare(b[0], "vi", { numeric: true }))),
      certificate: r.serial && r.token ? { number: r.serial, verifyUrl: verifyUrlFor(r.token) } : null,
      searchKey: r.searchKey,
      subId: sub != null && Number.isFinite(sub) ? sub : null,
      edition: r.edition,
    };
  });
  return rows.sort((a, b) => viCollator.compare(a.name, b.name) || a.code.localeCompare(b.code));
}

function toSchool(r: Row): OpenDataSchool {
  return { code: r.code, name: r.name, type: r.type, subUnit: r.subUnit, level: r.level, groups: r.groups, certificate: r.certificate };
}

function mostUsed(values: string[]): string | null {
  const n = new Map<string, number>();
  for (const v of values) n.set(v, (n.get(v) ?? 0) + 1);
  let best: string | null = null;
  for (const [v, c] of n) if (best == null || c > n.get(best)! || (c === n.get(best)! && v < best)) best = v;
  return best;
}

function countLevels(rows: { level: number }[]): [number, number, number] {
  const c: [number, number, number] = [0, 0, 0];
  for (const r of rows) if (r.level >= 1 && r.level <= 3) c[r.level - 1]++;
  return c;
}

function openDataOf(unit: PublicUnit, schoolYear: string, publishedAt: number, rows: Row[]): OpenData {
  const c = countLevels(rows);
  return {
    unit: { code: unit.code, name: unit.name },
    schoolYear,
    edition: mostUsed(rows.map((r) => r.edition)),
    publishedAt: new Date(publishedAt).toISOString(),
    summary: { schools: rows.length, levels: { "1": c[0], "2": c[1], "3": c[2] } },
    schools: rows.map(toSchool),
  };
}

/** The open data of a unit's published year, or null (no such unit, or that year not published by it). */
export function publishedYear(unitCode: string, schoolYear: string, db: Db = getDb()): OpenData | null {
  if (!isSchoolYear(schoolYear)) return null;
  const unit = unitByCode(unitCode, db);
  if (!unit) return null;
  const pub = activePublication(db, unit.id, schoolYear);
  if (!pub) return null;
  return openDataOf(unit, schoolYear, pub.publishedAt, publishedRows(db, unit, schoolYear));
}

/** The CSV columns of the open data, in this order. */
export const CSV_COLUMNS = ["code", "name", "type", "subUnit", "level", "group1Points", "group1Level", "group2Points", "group2Level", "certificateNumber", "verifyUrl"] as const;

/** The rows of the CSV (header first): one per school. */
export function openDataCsvRows(d: OpenData): (string | number | null)[][] {
  return [
    [...CSV_COLUMNS],
    ...d.schools.map((s) => [
      s.code,
      s.name,
      s.type,
      s.subUnit,
      s.level,
      s.groups["1"]?.points ?? null,
      s.groups["1"]?.level ?? null,
      s.groups["2"]?.points ?? null,
      s.groups["2"]?.level ?? null,
      s.certificate?.number ?? null,
      s.certificate?.verifyUrl ?? null,
    ]),
  ];
}

/* ───────────────────────── the public page ───────────────────────── */

export interface BreakdownRow {
  key: string;
  name: string;
  dist: Distribution;
}

export interface PublicationPage {
  status: "published";
  unit: { code: string; name: string };
  schoolYear: string;
  publishedAt: string;
  edition: string | null;
  dist: Distribution;
  subUnits: BreakdownRow[];
  types: BreakdownRow[];
  q: string;
  page: number;
  pageCount: number;
  /** Schools matching the search. */
  total: number;
  schools: OpenDataSchool[];
}

export const PAGE_SIZE = 100;

/**
 * The public page of a unit's year: null when the unit does not exist; `{ status: "not-published" }`
 * when it exists but has no active publication of that year; else the distribution, the tables by
 * sub-unit and type, and one page of the schools matching `q` (folded name, or code).
 */
export function publicationPage(
  unitCode: string,
  schoolYear: string,
  opts: { q?: string; page?: number } = {},
  db: Db = getDb(),
): PublicationPage | { status: "not-published"; unit: { code: string; name: string }; schoolYear: string; years: string[] } | null {
  const unit = unitByCode(unitCode, db);
  if (!unit) return null;
  const pub = isSchoolYear(schoolYear) ? activePublication(db, unit.id, schoolYear) : null;
  if (!pub) return { status: "not-published", unit: { code: unit.code, name: unit.name }, schoolYear, years: publishedYearsOf(unit.id, db) };
  const rows = publishedRows(db, unit, schoolYear);

  const subs = new Map<number | null, { c: [number, number, number]; name: string }>();
  const types = new Map<SchoolType, [number, number, number]>();
  const subNames = new Map<number, string>();
  const subIds = [...new Set(rows.map((r) => r.subId).filter((x): x is number => x != null))];
  if (subIds.length) {
    const st = db.$client.prepare<number[], { id: number; name: string }>(`SELECT id, name FROM units WHERE id IN (${subIds.map(() => "?").join(",")})`);
    for (const r of st.all(...subIds)) subNames.set(r.id, r.name);
  }
  for (const r of rows) {
    const s = subs.get(r.subId) ?? { c: [0, 0, 0] as [number, number, number], name: r.subId == null ? t.direct(unit.name) : (subNames.get(r.subId) ?? r.subUnit) };
    s.c[r.level - 1]++;
    subs.set(r.subId, s);
    const ty = types.get(r.type) ?? [0, 0, 0];
    ty[r.level - 1]++;
    types.set(r.type, ty);
  }
  const TYPE_ORDER: SchoolType[] = ["TH", "THCS", "THPT", "TH&THCS", "THCS&THPT", "TH-THCS-THPT", "GDTX"];

  const folded = foldVietnamese(opts.q ?? "").slice(0, 100);
  const matching = folded ? rows.filter((r) => r.searchKey.includes(folded) || foldVietnamese(r.code).includes(folded)) : rows;
  const pageCount = Math.max(1, Math.ceil(matching.length / PAGE_SIZE));
  const page = Math.min(Math.max(1, Math.floor(opts.page ?? 1)), pageCount);
  const d = openDataOf(unit, schoolYear, pub.publishedAt, rows);
  return {
    status: "published",
    unit: d.unit,
    schoolYear,
    publishedAt: d.publishedAt,
    edition: d.edition,
    dist: distribution(countLevels(rows)),
    subUnits: [...subs.entries()]
      .map(([id, s]) => ({ key: id == null ? "direct" : String(id), name: s.name, dist: distribution(s.c) }))
      .sort((a, b) => (a.key === "direct" ? 1 : 0) - (b.key === "direct" ? 1 : 0) || viCollator.compare(a.name, b.name)),
    types: TYPE_ORDER.filter((ty) => types.has(ty)).map((ty) => ({ key: ty, name: ty, dist: distribution(types.get(ty)!) })),
    q: (opts.q ?? "").slice(0, 100),
    page,
    pageCount,
    total: matching.length,
    schools: matching.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE).map(toSchool),
  };
}

/* ───────────────────────── a school's public history ───────────────────────── */

export interface SchoolHistory {
  /** For the policy question only (results.read); never sent to the page. */
  schoolId: number;
  school: { code: string; name: string; type: SchoolType; subUnit: string };
  /** Published years, newest first. */
  years: {
    schoolYear: string;
    level: number;
    groups: Record<string, { points: number; level: number | null }>;
    certificate: { number: string; verifyUrl: string } | null;
    /** The publication page that shows it (the highest publishing unit covering the school). */
    publication: { unitCode: string; unitName: string };
  }[];
}

/** A school's published recognised levels over the years by its code; null when no school has that code. */
export function schoolHistory(schoolCode: string, db: Db = getDb()): SchoolHistory | null {
  if (!schoolCode || schoolCode.length > 64) return null;
  const s = q<{ id: number; code: string; name: string; type: SchoolType; subUnit: string; mpath: string }>(
    db,
    "school",
    "SELECT s.id AS id, s.code AS code, s.name AS name, s.type AS type, u.name AS subUnit, s.managing_path AS mpath FROM schools s JOIN units u ON u.id = s.managing_unit_id WHERE s.code = @code",
  ).get({ code: schoolCode });
  if (!s) return null;
  const files = q<{ aid: number; year: string; level: number; serial: string | null; token: string | null }>(
    db,
    "history",
    `SELECT a.id AS aid, c.school_year AS year, a.recognised_level AS level,
            (SELECT k.serial FROM certificates k WHERE k.assessment_id = a.id AND k.revoked_at IS NULL ORDER BY k.issued_at DESC, k.id DESC LIMIT 1) AS serial,
            (SELECT k.token FROM certificates k WHERE k.assessment_id = a.id AND k.revoked_at IS NULL ORDER BY k.issued_at DESC, k.id DESC LIMIT 1) AS token
       FROM assessments a JOIN cycles c ON c.id = a.cycle_id JOIN schools s ON s.id = a.school_id
      WHERE a.school_id = @id AND ${PUBLISHED_SQL}
      ORDER BY c.school_year DESC, a.id DESC`,
  ).all({ id: s.id });
  const pubs = q<{ year: string; code: string; name: string; path: string }>(
    db,
    "coveringPubs",
    `SELECT p.school_year AS year, u.code AS code, u.name AS name, u.path AS path
       FROM publications p JOIN units u ON u.id = p.unit_id
      WHERE p.withdrawn_at IS NULL AND @mpath >= u.path AND @mpath < substr(u.path, 1, length(u.path) - 1) || '0'
      ORDER BY length(u.path), u.id`,
  ).all({ mpath: s.mpath });
  const groups = files.length
    ? db.$client
        .prepare<number[], { aid: number; code: string; points: number; level: number | null }>(
          `SELECT assessment_id AS aid, code, points, level FROM assessment_results WHERE phase = 'external' AND kind = 'group' AND assessment_id IN (${files.map(() => "?").join(",")}) ORDER BY code`,
        )
        .all(...files.map((f) => f.aid))
    : [];
  const seen = new Set<string>();
  const years: SchoolHistory["years"] = [];
  for (const f of files) {
    if (seen.has(f.year)) continue;
    const pub = pubs.find((p) => p.year === f.year);
    if (!pub) continue;
    seen.add(f.year);
    years.push({
      schoolYear: f.year,
      level: f.level,
      groups: Object.fromEntries(groups.filter((g) => g.aid === f.aid).map((g) => [g.code, { points: Math.round(g.points) / 100, level: g.level }])),
      certificate: f.serial && f.token ? { number: f.serial, verifyUrl: verifyUrlFor(f.token) } : null,
      publication: { unitCode: pub.code, unitName: pub.name },
    });
  }
  return { schoolId: s.id, school: { code: s.code, name: s.name, type: s.type, subUnit: s.subUnit }, years };
}

/** Is this school's result of that year published (the `published` of a results.read target)? */
export function isPublished(schoolId: number, schoolYear: string, db: Db = getDb()): boolean {
  return !!q<{ x: number }>(
    db,
    "isPublished",
    `SELECT 1 AS x FROM assessments a JOIN cycles c ON c.id = a.cycle_id AND c.school_year = @year JOIN schools s ON s.id = a.school_id
      WHERE a.school_id = @schoolId AND ${PUBLISHED_SQL} LIMIT 1`,
  ).get({ schoolId, year: schoolYear });
}

/* ───────────────────────── the office page ───────────────────────── */

export interface PublishCandidate {
  unitId: number;
  unitCode: string;
  unitName: string;
  schoolYear: string;
  /** Recognised files of that year in the unit's subtree. */
  recognised: number;
  /** ISO times; null when never published / not withdrawn. */
  publishedAt: string | null;
  withdrawnAt: string | null;
  active: boolean;
}

/**
 * The (unit, year) pairs an office can act on: units in the path range (null: all units) with
 * recognised files that year, plus every publication row of those units. Ordered by unit depth,
 * name, then year (newest first).
 */
export function publishCandidates(range: { from: string; to: string } | null, db: Db = getDb()): PublishCandidate[] {
  const all = range == null;
  const p = { all: all ? 1 : 0, from: range?.from ?? "", to: range?.to ?? "" };
  const rec = q<{ id: number; code: string; name: string; path: string; year: string; n: number }>(
    db,
    "candidates",
    `SELECT u.id AS id, u.code AS code, u.name AS name, u.path AS path, c.school_year AS year, count(*) AS n
       FROM units u
       JOIN schools s ON s.managing_path >= u.path AND s.managing_path < substr(u.path, 1, length(u.path) - 1) || '0'
       JOIN assessments a ON a.school_id = s.id AND a.recognised_level IS NOT NULL
       JOIN cycles c ON c.id = a.cycle_id
      WHERE (@all = 1 OR (u.path >= @from AND u.path < @to))
      GROUP BY u.id, c.school_year`,
  ).all(p);
  const pubs = q<{ id: number; code: string; name: string; path: string; year: string; at: number; wd: number | null }>(
    db,
    "candidatePubs",
    `SELECT u.id AS id, u.code AS code, u.name AS name, u.path AS path, p.school_year AS year, p.published_at AS at, p.withdrawn_at AS wd
       FROM publications p JOIN units u ON u.id = p.unit_id
      WHERE (@all = 1 OR (u.path >= @from AND u.path < @to))`,
  ).all(p);
  const out = new Map<string, PublishCandidate & { depth: number }>();
  const key = (id: number, y: string) => `${id}:${y}`;
  for (const r of rec)
    out.set(key(r.id, r.year), { unitId: r.id, unitCode: r.code, unitName: r.name, schoolYear: r.year, recognised: r.n, publishedAt: null, withdrawnAt: null, active: false, depth: r.path.split("/").length });
  for (const r of pubs) {
    const c = out.get(key(r.id, r.year)) ?? { unitId: r.id, unitCode: r.code, unitName: r.name, schoolYear: r.year, recognised: 0, publishedAt: null, withdrawnAt: null, active: false, depth: r.path.split("/").length };
    c.publishedAt = new Date(r.at).toISOString();
    c.withdrawnAt = r.wd == null ? null : new Date(r.wd).toISOString();
    c.active = r.wd == null;
    out.set(key(r.id, r.year), c);
  }
  return [...out.values()]
    .sort((a, b) => a.depth - b.depth || viCollator.compare(a.unitName, b.unitName) || a.unitId - b.unitId || b.schoolYear.localeCompare(a.schoolYear))
    .map(({ depth: _d, ...c }) => c);
}

/* ───────────────────────── open-data responses ───────────────────────── */

/** Cache-Control of the open data and of the public page for anonymous visitors. */
export const OPEN_DATA_CACHE = "public, max-age=300";

/** A strong ETag: the body's sha256 (base64url), quoted. */
export function strongEtag(body: string): string {
  return `"${createHash("sha256").update(body, "utf8").digest("base64url")}"`;
}

/** Does If-None-Match (a list, or *) match this ETag? (Weak comparison, as RFC 9110 says for If-None-Match.) */
export function etagMatches(ifNoneMatch: string | null, etag: string): boolean {
  if (!ifNoneMatch) return false;
  const bare = (v: string) => v.trim().replace(/^W\//, "");
  return ifNoneMatch.split(",").some((v) => v.trim() === "*" || bare(v) === bare(etag));
}

/** The response of an open-data file: the body with its ETag and cache headers, or 304 when the client has it. */
export function openDataResponse(request: Request, body: string, headers: Record<string, string>): Response {
  const etag = strongEtag(body);
  const common = { ETag: etag, "Cache-Control": OPEN_DATA_CACHE, "Access-Control-Allow-Origin": "*" };
  if (etagMatches(request.headers.get("If-None-Match"), etag)) return new Response(null, { status: 304, headers: common });
  return new Response(body, { status: 200, headers: { ...headers, ...common } });
}
