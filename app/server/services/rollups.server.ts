/**
 * Rollups: SQL aggregates over the stored results (assessment_results) and the cached level
 * columns the door writes. No level is derived here: every count is a GROUP BY over what the
 * scoring engine stored; JavaScript only adds counts up and apportions shares (app/domain/stats).
 *
 * Scope: a unit's subtree by the schools' managing path (each school counted once, where it is
 * administered), or the nation (unit null). The route asks the policy which units a user may
 * open; this service trusts the unit it is given.
 *
 * Which files count, by basis:
 * - recognised: recognised and not revoked (recognised_level set), with their external results;
 * - external: the external assessment finished or recognised (status assessed, recognised);
 * - self: submitted at least once (round > 0), with the school's own results.
 */
import { getEdition } from "./catalogue.server";
import { getDb, prepared, type Db } from "../db/client.server";
import { STATES, type AssessmentState } from "~/domain/assessment-states";
import type { Edition } from "~/domain/catalogue";
import type { SchoolType } from "~/domain/roles";
import {
  apportionTenths,
  distribution,
  shareTenths,
  type Basis,
  type Dashboard,
  type DashboardFilter,
  type Distribution,
  type GroupRow,
  type IndicatorRow,
  type ItemRow,
  type ProgressCounts,
  type RankedSchool,
  type RankedSubUnit,
  type SubUnitRow,
  type TypeRow,
  type YearRow,
} from "~/domain/stats";
import { localDateOf } from "~/utils/time";
import { sortVi } from "~/utils/text";
import { pathRange } from "../policy/scope.server";

export interface ScopeUnit {
  unitId: number | null;
  name: string;
  code: string | null;
  /** The unit's path ("/1/7/"); "/" for the nation. */
  path: string;
}

/** The scope of a unit id (null: the nation); null when the unit does not exist. */
export function scopeUnit(unitId: number | null, db: Db = getDb()): ScopeUnit | null {
  if (unitId == null) {
    // The nation: the root's subtree when the tree has one root (the ministry), so that its
    // sub-units are the provinces.
    const roots = db.$client.prepare<[], { path: string }>("SELECT path FROM units WHERE parent_id IS NULL LIMIT 2").all();
    return { unitId: null, name: "Toàn quốc", code: null, path: roots.length === 1 ? roots[0].path : "/" };
  }
  const r = db.$client.prepare<[number], { name: string; code: string; path: string }>("SELECT name, code, path FROM units WHERE id = ?").get(unitId);
  return r ? { unitId, name: r.name, code: r.code, path: r.path } : null;
}

/**
 * SQL condition: the file (aliases a, c, s) is published: recognised and not revoked, and a
 * publication of its school year, not withdrawn, covers the unit that manages its school (the
 * publishing unit's path is a prefix of the school's managing path). Public pages and every
 * aggregate shown to schools use it; nothing else is ever public. CROSS JOIN keeps SQLite's
 * order: the few publications first, each unit by its id (with a plain JOIN it walked the units'
 * path index for every school: 166 ms instead of 5 ms for a 1,500-school province).
 */
export const PUBLISHED_SQL = `(a.recognised_level IS NOT NULL AND EXISTS (
  SELECT 1 FROM publications p CROSS JOIN units pu ON pu.id = p.unit_id
   WHERE p.school_year = c.school_year AND p.withdrawn_at IS NULL
     AND s.managing_path >= pu.path AND s.managing_path < substr(pu.path, 1, length(pu.path) - 1) || '0'))`;

/** The SQL of a basis: the level column, the phase of the rows, and which files count. */
const BASIS_SQL: Record<Basis, { level: string; phase: "self" | "external"; where: string }> = {
  recognised: { level: "a.recognised_level", phase: "external", where: "a.recognised_level IS NOT NULL" },
  external: { level: "a.external_level", phase: "external", where: "a.status IN ('assessed','recognised') AND a.external_level IS NOT NULL" },
  self: { level: "a.self_level", phase: "self", where: "a.round > 0 AND a.self_level IS NOT NULL" },
};

/** The sub-unit of a school below the scope path: the next id of its managing path (NULL: directly managed). */
const SUB = `CASE WHEN s.managing_path = @path THEN NULL ELSE CAST(substr(substr(s.managing_path, length(@path) + 1), 1, instr(substr(s.managing_path, length(@path) + 1), '/') - 1) AS INTEGER) END`;

/**
 * The files of one school year in a scope (aliases a, c, s): assessments of the year's cycles
 * (`year`: "<" for the earlier years) whose school is managed in the scope's path range,
 * optionally of one type (@type null: all), with `join` joined in. Binds @year, @from, @to, @type.
 * The exports, the public pages and the school's comparison read the same files through it.
 */
export function filesOf(join = "", year: "=" | "<" = "="): string {
  return `FROM assessments a
       JOIN cycles c ON c.id = a.cycle_id AND c.school_year ${year} @year
       JOIN schools s ON s.id = a.school_id
       ${join}
      WHERE s.managing_path >= @from AND s.managing_path < @to AND (@type IS NULL OR s.type = @type)`;
}
const FILES = filesOf();

interface Params {
  year: string;
  path: string;
  from: string;
  to: string;
  type: string | null;
  today: string;
}

function params(scope: ScopeUnit, year: string, type: SchoolType | undefined, now: number): Params {
  return { year, path: scope.path, ...pathRange(scope.path), type: type ?? null, today: localDateOf(now) };
}

function all<T>(db: Db, key: string, text: string, p: object): T[] {
  return prepared(db, `rollup.${key}`, () => db.$client.prepare(text)).all(p) as T[];
}

/* ───────────────────────── the queries (each one GROUP BY) ───────────────────────── */

interface CubeRow {
  sub: number | null;
  type: SchoolType;
  status: AssessmentState;
  self: number | null;
  ext: number | null;
  rec: number | null;
  submitted: number;
  assessed: number;
  overdueSub: number;
  overdueRev: number;
  n: number;
}

/** Q1: the files by sub-unit, type, state and the three level columns. Every distribution and the progress come from it. */
function cube(db: Db, p: Params): CubeRow[] {
  return all<CubeRow>(
    db,
    "cube",
    `SELECT ${SUB} AS sub, s.type AS type, a.status AS status,
            a.self_level AS self, a.external_level AS ext, a.recognised_level AS rec,
            (a.round > 0) AS submitted, (a.status IN ('assessed','recognised')) AS assessed,
            (a.status IN ('draft','returned') AND COALESCE(a.deadline_override, c.self_assessment_deadline) < @today) AS overdueSub,
            (a.recognised_level IS NULL AND c.review_deadline < @today) AS overdueRev,
            count(*) AS n
       ${FILES}
      GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10`,
    p,
  );
}

interface ResultAgg {
  kind: "institution" | "group" | "indicator" | "item";
  code: string;
  level: number | null;
  option: string | null;
  met: number | null;
  n: number;
  points: number;
  max: number;
}

/** Q2: the stored rows of the counted files by kind, code, level, option and met. */
function resultAgg(db: Db, p: Params, basis: Basis): ResultAgg[] {
  const b = BASIS_SQL[basis];
  return all<ResultAgg>(
    db,
    `results.${basis}`,
    `SELECT r.kind AS kind, r.code AS code, r.level AS level, r.option AS option, r.met AS met,
            count(*) AS n, sum(r.points) AS points, max(r.max) AS max
       ${filesOf(`JOIN assessment_results r ON r.assessment_id = a.id AND r.phase = '${b.phase}'`)} AND ${b.where}
      GROUP BY 1, 2, 3, 4, 5`,
    p,
  );
}

interface PointsAgg {
  sub: number | null;
  type: SchoolType;
  n: number;
  points: number;
}

/** Q3: institution points of the counted files by sub-unit and type. */
function pointsAgg(db: Db, p: Params, basis: Basis): PointsAgg[] {
  const b = BASIS_SQL[basis];
  return all<PointsAgg>(
    db,
    `points.${basis}`,
    `SELECT ${SUB} AS sub, s.type AS type, count(*) AS n, sum(r.points) AS points
       ${filesOf(`JOIN assessment_results r ON r.assessment_id = a.id AND r.phase = '${b.phase}' AND r.kind = 'institution' AND r.code = ''`)} AND ${b.where}
      GROUP BY 1, 2`,
    p,
  );
}

interface YearAgg {
  year: string;
  kind: "institution" | "group" | "indicator";
  code: string;
  level: number | null;
  n: number;
  points: number;
  max: number;
}

/**
 * Q4: the earlier school years of the scope: levels of the institution and groups, indicator
 * points. This year's row is made from Q2's, which has read the same rows already.
 */
function yearAgg(db: Db, p: Params, basis: Basis): YearAgg[] {
  const b = BASIS_SQL[basis];
  return all<YearAgg>(
    db,
    `years.${basis}`,
    `SELECT c.school_year AS year, r.kind AS kind, r.code AS code,
            CASE WHEN r.kind = 'indicator' THEN NULL ELSE r.level END AS level,
            count(*) AS n, sum(r.points) AS points, max(r.max) AS max
       ${filesOf(`JOIN assessment_results r ON r.assessment_id = a.id AND r.phase = '${b.phase}' AND r.kind IN ('institution','group','indicator')`, "<")} AND ${b.where}
      GROUP BY 1, 2, 3, 4`,
    p,
  );
}

/* ───────────────────────── assembling the dashboard ───────────────────────── */

const zero = (): [number, number, number] => [0, 0, 0];
const add = (c: [number, number, number], level: number | null, n: number) => {
  if (level != null && level >= 1 && level <= 3) c[level - 1] += n;
};

function subUnitNames(db: Db, ids: number[]): Map<number, string> {
  const out = new Map<number, string>();
  if (!ids.length) return out;
  const q = db.$client.prepare<number[], { id: number; name: string }>(`SELECT id, name FROM units WHERE id IN (${ids.map(() => "?").join(",")})`);
  for (const r of q.all(...ids)) out.set(r.id, r.name);
  return out;
}

function cyclesOf(db: Db, p: Params): ProgressCounts["cycles"] {
  // The cycles whose owner is the scope's unit, above it or below it (those that hold its files).
  return all<{ id: number; unitName: string; selfAssessmentDeadline: string; reviewDeadline: string; status: "open" | "closed" }>(
    db,
    "cycles",
    `SELECT c.id AS id, u.name AS unitName, c.self_assessment_deadline AS selfAssessmentDeadline, c.review_deadline AS reviewDeadline, c.status AS status
       FROM cycles c JOIN units u ON u.id = c.owner_unit_id
      WHERE c.school_year = @year
        AND EXISTS (SELECT 1 FROM assessments a JOIN schools s ON s.id = a.school_id
                     WHERE a.cycle_id = c.id AND s.managing_path >= @from AND s.managing_path < @to)
      ORDER BY c.id`,
    { year: p.year, from: p.from, to: p.to },
  );
}

/** The edition of a year's cycles in scope (the most used one). */
function editionOfYear(db: Db, p: Params): string | null {
  const r = all<{ e: string }>(
    db,
    "edition",
    `SELECT c.edition_id AS e FROM cycles c WHERE c.school_year = @year
        AND EXISTS (SELECT 1 FROM assessments a JOIN schools s ON s.id = a.school_id
                     WHERE a.cycle_id = c.id AND s.managing_path >= @from AND s.managing_path < @to)
      ORDER BY c.id LIMIT 1`,
    { year: p.year, from: p.from, to: p.to },
  );
  return r[0]?.e ?? null;
}

/** The school years that have files in a scope, newest first. */
export function yearsInScope(scope: ScopeUnit, db: Db = getDb()): string[] {
  return all<{ y: string }>(
    db,
    "years",
    `SELECT DISTINCT c.school_year AS y FROM cycles c
      WHERE EXISTS (SELECT 1 FROM assessments a JOIN schools s ON s.id = a.school_id
                     WHERE a.cycle_id = c.id AND s.managing_path >= @from AND s.managing_path < @to)
      ORDER BY 1 DESC`,
    pathRange(scope.path),
  ).map((r) => r.y);
}

/** The basis a dashboard opens on: recognised results once there are any, else the self-assessments. */
export function defaultBasis(scope: ScopeUnit, schoolYear: string, db: Db = getDb()): Basis {
  const p = params(scope, schoolYear, undefined, Date.now());
  const r = all<{ n: number }>(
    db,
    "anyRecognised",
    `SELECT count(*) AS n FROM (SELECT 1 FROM assessments a
       JOIN cycles c ON c.id = a.cycle_id AND c.school_year = @year
       JOIN schools s ON s.id = a.school_id
      WHERE s.managing_path >= @from AND s.managing_path < @to AND a.recognised_level IS NOT NULL LIMIT 1)`,
    { year: p.year, from: p.from, to: p.to },
  );
  return r[0]?.n ? "recognised" : "self";
}

function levelOf(r: CubeRow, basis: Basis): number | null {
  if (basis === "recognised") return r.rec;
  if (basis === "external") return r.assessed ? r.ext : null;
  return r.submitted ? r.self : null;
}

/** The dashboard of one school year and scope. */
export function dashboard(scope: ScopeUnit, filter: DashboardFilter, now = Date.now(), db: Db = getDb()): Dashboard {
  const p = params(scope, filter.schoolYear, filter.type, now);
  const basis = filter.basis;
  const editionId = editionOfYear(db, p);
  const edition: Edition | null = editionId ? (getEdition(editionId, db)?.edition ?? null) : null;

  // Progress and distributions: Q1.
  const rows = cube(db, p);
  const byState = Object.fromEntries(STATES.map((s) => [s, 0])) as Record<AssessmentState, number>;
  const levels: Record<Basis, [number, number, number]> = { recognised: zero(), external: zero(), self: zero() };
  const subs = new Map<number | null, { files: number; c: [number, number, number] }>();
  const types = new Map<SchoolType, { files: number; c: [number, number, number] }>();
  let total = 0;
  let overdueSubmission = 0;
  let overdueReview = 0;
  for (const r of rows) {
    total += r.n;
    byState[r.status] += r.n;
    if (r.overdueSub) overdueSubmission += r.n;
    if (r.overdueRev) overdueReview += r.n;
    add(levels.recognised, levelOf(r, "recognised"), r.n);
    add(levels.external, levelOf(r, "external"), r.n);
    add(levels.self, levelOf(r, "self"), r.n);
    const s = subs.get(r.sub) ?? { files: 0, c: zero() };
    s.files += r.n;
    add(s.c, levelOf(r, basis), r.n);
    subs.set(r.sub, s);
    const t = types.get(r.type) ?? { files: 0, c: zero() };
    t.files += r.n;
    add(t.c, levelOf(r, basis), r.n);
    types.set(r.type, t);
  }

  // Points per sub-unit and type: Q3.
  const subPts = new Map<number | null, { n: number; points: number }>();
  const typePts = new Map<SchoolType, { n: number; points: number }>();
  for (const r of pointsAgg(db, p, basis)) {
    const s = subPts.get(r.sub) ?? { n: 0, points: 0 };
    s.n += r.n;
    s.points += r.points;
    subPts.set(r.sub, s);
    const t = typePts.get(r.type) ?? { n: 0, points: 0 };
    t.n += r.n;
    t.points += r.points;
    typePts.set(r.type, t);
  }
  const avg = (x?: { n: number; points: number }) => (x && x.n ? Math.round(x.points / x.n) : null);

  const names = subUnitNames(db, [...subs.keys()].filter((k): k is number => k != null));
  const subUnits: SubUnitRow[] = sortVi(
    [...subs.entries()].map(([id, s]) => {
      const dist = distribution(s.c);
      return {
        unitId: id,
        name: id == null ? `Trực thuộc ${scope.name}` : (names.get(id) ?? `Đơn vị ${id}`),
        files: s.files,
        dist,
        avgPoints: avg(subPts.get(id)),
        // The apportioned share, as in the row's own Mức 3 column (one figure, one rounding).
        level3Share: dist.shares[2],
      };
    }),
    (r) => r.name,
  );
  const typeRows: TypeRow[] = [...types.entries()]
    .map(([type, t]) => ({ type, files: t.files, dist: distribution(t.c), avgPoints: avg(typePts.get(type)) }))
    .sort((a, b) => TYPE_ORDER.indexOf(a.type) - TYPE_ORDER.indexOf(b.type));

  // Groups, indicators, items: Q2.
  const agg = resultAgg(db, p, basis);
  const groupLevels = new Map<string, [number, number, number]>();
  const groupPts = new Map<string, { n: number; points: number }>();
  const ind = new Map<string, { n: number; points: number; max: number; bands: Map<number, number>; met: number }>();
  const items = new Map<string, { n: number; met: number; points: number; max: number; options: Map<string, number> }>();
  for (const r of agg) {
    if (r.kind === "group") {
      const c = groupLevels.get(r.code) ?? zero();
      add(c, r.level, r.n);
      groupLevels.set(r.code, c);
      const g = groupPts.get(r.code) ?? { n: 0, points: 0 };
      g.n += r.n;
      g.points += r.points;
      groupPts.set(r.code, g);
    } else if (r.kind === "indicator") {
      const x = ind.get(r.code) ?? { n: 0, points: 0, max: 0, bands: new Map(), met: 0 };
      x.n += r.n;
      x.points += r.points;
      x.max = Math.max(x.max, r.max);
      if (r.level != null) x.bands.set(r.level, (x.bands.get(r.level) ?? 0) + r.n);
      if (r.met) x.met += r.n;
      ind.set(r.code, x);
    } else if (r.kind === "item") {
      const x = items.get(r.code) ?? { n: 0, met: 0, points: 0, max: 0, options: new Map() };
      x.n += r.n;
      x.points += r.points;
      x.max = Math.max(x.max, r.max);
      if (r.met) x.met += r.n;
      if (r.option != null) x.options.set(r.option, (x.options.get(r.option) ?? 0) + r.n);
      items.set(r.code, x);
    }
  }

  const groups: GroupRow[] = (edition?.groups ?? []).map((g) => ({
    code: g.code,
    title: g.title,
    dist: distribution(groupLevels.get(g.code) ?? zero()),
    avgPoints: avg(groupPts.get(g.code)),
  }));
  const indicators: IndicatorRow[] = [];
  const itemRows: ItemRow[] = [];
  for (const g of edition?.groups ?? [])
    for (const i of g.indicators) {
      const x = ind.get(i.code);
      const n = x?.n ?? 0;
      const scored = i.max > 0;
      const row: IndicatorRow = {
        code: i.code,
        groupCode: g.code,
        title: i.title,
        max: Math.round(i.max * 100),
        n,
        avgPoints: scored && n ? Math.round(x!.points / n) : null,
        avgShare: scored && n && x!.max ? shareTenths(x!.points, x!.max * n) : null,
      };
      if (!scored) row.met = x?.met ?? 0;
      if (i.bands?.length) {
        const counts = i.bands.map((b) => x?.bands.get(b.level) ?? 0);
        const shares = apportionTenths(counts);
        row.bands = i.bands.map((b, k) => ({ level: b.level, name: b.name, count: counts[k], share: shares[k] }));
      }
      indicators.push(row);
      for (const it of i.items) {
        const y = items.get(it.code);
        const m = y?.n ?? 0;
        const r: ItemRow = {
          code: it.code,
          indicatorCode: i.code,
          title: it.text,
          rule: it.rule,
          met: y?.met ?? 0,
          n: m,
          share: shareTenths(y?.met ?? 0, m),
          avgPoints: it.rule === "mandatory" || !m ? null : Math.round(y!.points / m),
          max: it.rule === "mandatory" ? 0 : Math.round(it.max * 100),
        };
        if (it.rule === "choice") {
          const counts = it.options.map((o) => y?.options.get(o.id) ?? 0);
          const shares = apportionTenths(counts);
          r.options = it.options.map((o, k) => ({ id: o.id, label: o.label, count: counts[k], share: shares[k] }));
        }
        itemRows.push(r);
      }
    }
  const weakest = indicators
    .filter((i) => i.avgShare != null)
    .sort((a, b) => a.avgShare! - b.avgShare! || a.code.localeCompare(b.code, "vi", { numeric: true }))
    .slice(0, 5)
    .map((i) => i.code);

  // Years: Q4 for the earlier ones, this year from Q2's rows.
  const thisYear: YearAgg[] = agg
    .filter((r) => r.kind === "institution" || r.kind === "group" || r.kind === "indicator")
    .map((r) => ({ year: filter.schoolYear, kind: r.kind as YearAgg["kind"], code: r.code, level: r.kind === "indicator" ? null : r.level, n: r.n, points: r.points, max: r.max }));
  const years = yearRows([...yearAgg(db, p, basis), ...thisYear]).slice(-5);

  return {
    filter,
    scope: { unitId: scope.unitId, name: scope.name, code: scope.code },
    editionId,
    progress: { total, byState, overdueSubmission, overdueReview, cycles: cyclesOf(db, p) },
    levels: { recognised: distribution(levels.recognised), external: distribution(levels.external), self: distribution(levels.self) },
    groups,
    subUnits,
    types: typeRows,
    indicators,
    weakest,
    items: itemRows,
    years,
  };
}

const TYPE_ORDER: SchoolType[] = ["TH", "THCS", "THPT", "TH&THCS", "THCS&THPT", "TH-THCS-THPT", "GDTX"];

function yearRows(rows: YearAgg[]): YearRow[] {
  const byYear = new Map<string, { inst: [number, number, number]; instPts: { n: number; points: number }; groups: Map<string, { c: [number, number, number]; n: number; points: number }>; ind: Map<string, { points: number; max: number; n: number }> }>();
  for (const r of rows) {
    let y = byYear.get(r.year);
    if (!y) byYear.set(r.year, (y = { inst: zero(), instPts: { n: 0, points: 0 }, groups: new Map(), ind: new Map() }));
    if (r.kind === "institution") {
      add(y.inst, r.level, r.n);
      y.instPts.n += r.n;
      y.instPts.points += r.points;
    } else if (r.kind === "group") {
      const g = y.groups.get(r.code) ?? { c: zero(), n: 0, points: 0 };
      add(g.c, r.level, r.n);
      g.n += r.n;
      g.points += r.points;
      y.groups.set(r.code, g);
    } else {
      const i = y.ind.get(r.code) ?? { points: 0, max: 0, n: 0 };
      i.points += r.points;
      i.max = Math.max(i.max, r.max);
      i.n += r.n;
      y.ind.set(r.code, i);
    }
  }
  return [...byYear.entries()]
    .sort((a, b) => a[0].localeCompare(b[0]))
    .map(([schoolYear, y]) => ({
      schoolYear,
      dist: distribution(y.inst),
      avgPoints: y.instPts.n ? Math.round(y.instPts.points / y.instPts.n) : null,
      groups: [...y.groups.entries()].sort((a, b) => a[0].localeCompare(b[0])).map(([code, g]) => ({ code, dist: distribution(g.c), avgPoints: g.n ? Math.round(g.points / g.n) : null })),
      indicators: Object.fromEntries([...y.ind.entries()].map(([code, i]) => [code, i.max && i.n ? shareTenths(i.points, i.max * i.n) : null])),
    }));
}

/* ───────────────────────── rankings ───────────────────────── */

export interface RankingFilter {
  schoolYear: string;
  basis: Basis;
  type?: SchoolType;
  subUnitId?: number;
  page: number;
  pageSize: number;
}

/**
 * Schools by level, then institution points, equal results sharing a rank (1, 2, 2, 4), with
 * RANK() over the stored rows. Paged; `total` counts the ranked schools.
 */
export function rankSchools(scope: ScopeUnit, f: RankingFilter, db: Db = getDb()): { total: number; rows: RankedSchool[] } {
  const b = BASIS_SQL[f.basis];
  const sub = f.subUnitId != null ? scopeUnit(f.subUnitId, db) : null;
  const p = { ...params(sub ?? scope, f.schoolYear, f.type, Date.now()), limit: f.pageSize, offset: (f.page - 1) * f.pageSize, scopePath: scope.path };
  const ranked = `SELECT a.id AS assessmentId, s.id AS schoolId, s.code AS code, s.name AS name, s.type AS type,
            s.managing_unit_id AS unitId, ${b.level} AS level, r.points AS points,
            RANK() OVER (ORDER BY ${b.level} DESC, r.points DESC) AS rank
       ${filesOf(`JOIN assessment_results r ON r.assessment_id = a.id AND r.phase = '${b.phase}' AND r.kind = 'institution' AND r.code = ''`)} AND ${b.where}`;
  const total = all<{ n: number }>(db, `rank.count.${f.basis}`, `SELECT count(*) AS n FROM (${ranked})`, p)[0]?.n ?? 0;
  const rows = all<{ assessmentId: number; schoolId: number; code: string; name: string; type: SchoolType; unitId: number; level: number; points: number; rank: number }>(
    db,
    `rank.page.${f.basis}`,
    `SELECT * FROM (${ranked}) ORDER BY rank, name LIMIT @limit OFFSET @offset`,
    p,
  );
  if (!rows.length) return { total, rows: [] };
  const ids = rows.map((r) => r.assessmentId);
  const groups = db.$client
    .prepare<unknown[], { id: number; code: string; points: number; level: number }>(
      `SELECT assessment_id AS id, code, points, level FROM assessment_results WHERE phase = ? AND kind = 'group' AND assessment_id IN (${ids.map(() => "?").join(",")}) ORDER BY code`,
    )
    .all(b.phase, ...ids);
  const units = subUnitNames(db, [...new Set(rows.map((r) => r.unitId))]);
  return {
    total,
    rows: rows.map((r) => ({
      rank: r.rank,
      schoolId: r.schoolId,
      code: r.code,
      name: r.name,
      type: r.type,
      subUnit: units.get(r.unitId) ?? "",
      assessmentId: r.assessmentId,
      level: r.level,
      points: r.points,
      groups: groups.filter((g) => g.id === r.assessmentId).map((g) => ({ code: g.code, points: g.points, level: g.level })),
    })),
  };
}

/** Sub-units ranked by share at Mức 3 and by average points (from the dashboard's rows). */
export function rankSubUnits(rows: SubUnitRow[]): RankedSubUnit[] {
  const rankBy = (list: SubUnitRow[], key: (r: SubUnitRow) => number) => {
    const sorted = [...list].sort((a, b) => key(b) - key(a));
    const out = new Map<SubUnitRow, number>();
    sorted.forEach((r, i) => out.set(r, i > 0 && key(sorted[i - 1]) === key(r) ? out.get(sorted[i - 1])! : i + 1));
    return out;
  };
  const counted = rows.filter((r) => r.dist.total > 0);
  const by3 = rankBy(counted, (r) => r.level3Share);
  const byPts = rankBy(counted, (r) => r.avgPoints ?? -1);
  return counted
    .map((r) => ({
      rankByLevel3: by3.get(r)!,
      rankByPoints: byPts.get(r)!,
      unitId: r.unitId,
      name: r.name,
      schools: r.dist.total,
      level3Share: r.level3Share,
      avgPoints: r.avgPoints,
    }))
    .sort((a, b) => a.rankByLevel3 - b.rankByLevel3 || a.rankByPoints - b.rankByPoints);
}

export type { Distribution };

/* ───────────────────────── drill down ───────────────────────── */

export interface SchoolFileRow {
  assessmentId: number;
  schoolId: number;
  code: string;
  name: string;
  type: SchoolType;
  status: AssessmentState;
  selfLevel: number | null;
  externalLevel: number | null;
  recognisedLevel: number | null;
}

/**
 * The school files of a year in scope, for the drill-down list, when there are at most `limit`
 * (else null: the page asks for a narrower scope). Levels are the stored columns.
 */
export function schoolFiles(scope: ScopeUnit, f: DashboardFilter, limit = 200, db: Db = getDb()): { total: number; rows: SchoolFileRow[] | null } {
  const p = { ...params(scope, f.schoolYear, f.type, Date.now()), limit: limit + 1 };
  const rows = all<SchoolFileRow>(
    db,
    "schoolFiles",
    `SELECT a.id AS assessmentId, s.id AS schoolId, s.code AS code, s.name AS name, s.type AS type, a.status AS status,
            CASE WHEN a.round > 0 THEN a.self_level END AS selfLevel,
            CASE WHEN a.status IN ('assessed','recognised') THEN a.external_level END AS externalLevel,
            a.recognised_level AS recognisedLevel
       ${FILES}
      LIMIT @limit`,
    p,
  );
  if (rows.length > limit) {
    const total = all<{ n: number }>(
      db,
      "schoolFiles.count",
      `SELECT count(*) AS n ${FILES}`,
      p,
    )[0]!.n;
    return { total, rows: null };
  }
  return { total: rows.length, rows: sortVi(rows, (r) => r.name) };
}

/** The parent of a scope's unit, when the user may open it too (for the "up" link). */
export function parentUnit(unitId: number, db: Db = getDb()): { id: number; name: string } | null {
  return (
    db.$client
      .prepare<[number], { id: number; name: string }>("SELECT p.id AS id, p.name AS name FROM units u JOIN units p ON p.id = u.parent_id WHERE u.id = ?")
      .get(unitId) ?? null
  );
}

/* ───────────────────────── large scopes ───────────────────────── */

/** A dashboard that took longer than this is kept for DASHBOARD_KEEP_MS (the nation: about 3 s). */
export const SLOW_DASHBOARD_MS = 500;
export const DASHBOARD_KEEP_MS = 5 * 60_000;
const kept = new Map<string, { at: number; until: number; data: Dashboard }>();

/**
 * The dashboard, kept for a few minutes when its scope is large enough that computing it holds
 * the server for more than SLOW_DASHBOARD_MS (the nation's 53,000 files): a system admin
 * reloading the national page, or a second one opening it, does not block every other request
 * again. A province's dashboard (tens of ms) is always computed fresh, so an office sees its own
 * acts at once. `computedAt` tells the page when the figures were read.
 */
export function dashboardFor(
  scope: ScopeUnit,
  filter: DashboardFilter,
  now = Date.now(),
  db: Db = getDb(),
  slowMs = SLOW_DASHBOARD_MS,
): { data: Dashboard; computedAt: number; kept: boolean } {
  const key = JSON.stringify([scope.path, filter.schoolYear, filter.basis, filter.type ?? null]);
  const hit = kept.get(key);
  if (hit && hit.until > now) return { data: hit.data, computedAt: hit.at, kept: true };
  const t0 = performance.now();
  const data = dashboard(scope, filter, now, db);
  const took = performance.now() - t0;
  if (took > slowMs) {
    if (kept.size > 50) kept.clear();
    kept.set(key, { at: now, until: now + DASHBOARD_KEEP_MS, data });
  } else kept.delete(key);
  return { data, computedAt: now, kept: false };
}
