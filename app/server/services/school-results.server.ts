/**
 * The school's view of its results (/truong/:schoolId/ket-qua): its levels over the school years,
 * and its position per indicator against the averages of its sub-unit (the managing unit's
 * subtree), its province and the schools of its type in the province.
 *
 * - What the viewer sees of each file follows the policy: the self level once submitted, the
 *   external level only when `canSeeExternal` says so (a school user: once the external
 *   assessment is finished, never the office's unfinished answers), the recognised level while
 *   recognised and not revoked.
 * - The averages are SQL aggregates over published results only (`PUBLISHED_SQL`, phase
 *   'external', kind 'indicator'): share = sum(points) / sum(max). Nothing unpublished is ever
 *   averaged into what a school sees.
 * - The school's own values: its latest recognised result (external phase), or, if none, its
 *   latest submitted self-assessment (self phase), labelled as such.
 *
 * The route has asked the policy whether the user may read the school; this service trusts that.
 */
import { getDb, prepared, type Db } from "../db/client.server";
import type { CurrentUser } from "../auth/session.server";
import { canSeeExternal } from "../policy.server";
import { getEdition } from "./catalogue.server";
import { filesOf, PUBLISHED_SQL } from "./rollups.server";
import { STATE_LABELS, type AssessmentState } from "~/domain/assessment-states";
import type { SchoolType } from "~/domain/roles";
import { shareTenths, type Tenths } from "~/domain/stats";
import { pathRange, type PathRange } from "../policy/scope.server";

export interface SchoolYearResult {
  assessmentId: number;
  schoolYear: string;
  status: AssessmentState;
  statusLabel: string;
  /** Once submitted (round > 0). */
  selfLevel: number | null;
  /** Only when the viewer may see the external phase (canSeeExternal) and the office has one. */
  externalLevel: number | null;
  /** Recognised and not revoked. */
  recognisedLevel: number | null;
  /** The phase the group points below are of: the external one when shown, else the submitted self-assessment. */
  pointsPhase: "external" | "self" | null;
  /** Group code → points and max (hundredths) of `pointsPhase`. */
  groups: Record<string, { points: number; max: number }>;
}

export interface IndicatorPosition {
  code: string;
  title: string;
  /** Hundredths. */
  max: number;
  own: Tenths | null;
  subUnit: Tenths | null;
  province: Tenths | null;
  sameType: Tenths | null;
}

export interface AverageScope {
  name: string;
  /** Published files averaged. */
  schools: number;
}

export interface SchoolResults {
  school: { id: number; name: string; code: string; type: SchoolType };
  /** Oldest first. */
  years: SchoolYearResult[];
  /** Groups of the newest file's edition (the columns of the years table). */
  groups: { code: string; title: string }[];
  /** Where the school's own values come from; null: nothing submitted or recognised yet. */
  own: { source: "recognised" | "self"; schoolYear: string; assessmentId: number } | null;
  /** The published school year averaged; null when nothing is published in the school's province. */
  comparisonYear: string | null;
  subUnit: AverageScope | null;
  province: AverageScope | null;
  sameType: AverageScope | null;
  /** Scored indicators (max > 0) of the edition of the own result (or of the comparison year). */
  indicators: IndicatorPosition[];
}

interface FileRow {
  id: number;
  schoolYear: string;
  editionId: string;
  status: AssessmentState;
  round: number;
  self: number | null;
  ext: number | null;
  rec: number | null;
}


function stmt(db: Db, key: string, text: string) {
  return prepared(db, `schoolResults.${key}`, () => db.$client.prepare(text));
}

/** The school's row; null when it does not exist. */
export function schoolOf(schoolId: number, db: Db = getDb()): { id: number; name: string; code: string; type: SchoolType; managingUnitId: number; managingPath: string } | null {
  return (
    (stmt(db, "school", "SELECT id, name, code, type, managing_unit_id AS managingUnitId, managing_path AS managingPath FROM schools WHERE id = ?").get(schoolId) as
      | { id: number; name: string; code: string; type: SchoolType; managingUnitId: number; managingPath: string }
      | undefined) ?? null
  );
}

/** Per indicator code: points and max summed over the published files of a year in a range (optionally of one type). */
function publishedIndicatorSums(db: Db, year: string, r: PathRange, type: SchoolType | null): { sums: Map<string, { points: number; max: number }>; schools: number } {
  const rows = stmt(
    db,
    "avg",
    `SELECT r.code AS code, sum(r.points) AS points, sum(r.max) AS max, count(DISTINCT a.id) AS n
       ${filesOf("JOIN assessment_results r ON r.assessment_id = a.id AND r.phase = 'external' AND r.kind = 'indicator'")}
        AND ${PUBLISHED_SQL}
      GROUP BY r.code`,
  ).all({ year, from: r.from, to: r.to, type }) as { code: string; points: number; max: number; n: number }[];
  const sums = new Map(rows.map((x) => [x.code, { points: x.points, max: x.max }]));
  return { sums, schools: rows.reduce((m, x) => Math.max(m, x.n), 0) };
}

/** The school years with published results in a range, newest first. */
function publishedYears(db: Db, r: PathRange): string[] {
  return (
    stmt(
      db,
      "years",
      `SELECT DISTINCT c.school_year AS y
         FROM assessments a
         JOIN cycles c ON c.id = a.cycle_id
         JOIN schools s ON s.id = a.school_id
        WHERE s.managing_path >= @from AND s.managing_path < @to AND ${PUBLISHED_SQL}
        ORDER BY 1 DESC`,
    ).all({ from: r.from, to: r.to }) as { y: string }[]
  ).map((x) => x.y);
}

const share = (x: { points: number; max: number } | undefined): Tenths | null => (x && x.max > 0 ? shareTenths(x.points, x.max) : null);

/** The school's results as `user` may see them. Null when the school does not exist. */
export function schoolResults(schoolId: number, user: CurrentUser, db: Db = getDb()): SchoolResults | null {
  const school = schoolOf(schoolId, db);
  if (!school) return null;

  const files = stmt(
    db,
    "files",
    `SELECT a.id AS id, c.school_year AS schoolYear, c.edition_id AS editionId, a.status AS status, a.round AS round,
            a.self_level AS self, a.external_level AS ext, a.recognised_level AS rec
       FROM assessments a JOIN cycles c ON c.id = a.cycle_id
      WHERE a.school_id = ?
      ORDER BY c.school_year, a.id`,
  ).all(schoolId) as FileRow[];

  const resultRows = stmt(
    db,
    "groups",
    `SELECT r.assessment_id AS id, r.phase AS phase, r.code AS code, r.points AS points, r.max AS max
       FROM assessment_results r JOIN assessments a ON a.id = r.assessment_id
      WHERE a.school_id = ? AND r.kind = 'group'`,
  ).all(schoolId) as { id: number; phase: "self" | "external"; code: string; points: number; max: number }[];

  const seesExternal = (f: FileRow) =>
    f.ext != null && (f.status === "approved" || f.status === "assessed" || f.status === "recognised") && canSeeExternal(user, { schoolId, status: f.status });

  const years: SchoolYearResult[] = files.map((f) => {
    const external = seesExternal(f);
    const submitted = f.round > 0;
    const pointsPhase = external ? "external" : submitted ? "self" : null;
    const groups: SchoolYearResult["groups"] = {};
    if (pointsPhase) for (const g of resultRows) if (g.id === f.id && g.phase === pointsPhase) groups[g.code] = { points: g.points, max: g.max };
    return {
      assessmentId: f.id,
      schoolYear: f.schoolYear,
      status: f.status,
      statusLabel: STATE_LABELS[f.status].vi,
      selfLevel: submitted ? f.self : null,
      externalLevel: external ? f.ext : null,
      recognisedLevel: f.rec != null && external ? f.rec : null,
      pointsPhase,
      groups,
    };
  });

  const newest = files.at(-1);
  const groups = newest ? (getEdition(newest.editionId, db)?.edition.groups ?? []).map((g) => ({ code: g.code, title: g.title })) : [];

  // The school's own values: latest recognised (external phase), else latest submitted self-assessment.
  const recognised = [...files].reverse().find((f) => f.rec != null && seesExternal(f));
  const selfFile = recognised ? undefined : [...files].reverse().find((f) => f.round > 0);
  const ownFile = recognised ?? selfFile;
  const own = ownFile ? { source: recognised ? ("recognised" as const) : ("self" as const), schoolYear: ownFile.schoolYear, assessmentId: ownFile.id } : null;
  const ownShares = new Map<string, Tenths | null>();
  if (own) {
    const rows = stmt(db, "own", "SELECT code, points, max FROM assessment_results WHERE assessment_id = ? AND phase = ? AND kind = 'indicator'").all(
      own.assessmentId,
      own.source === "recognised" ? "external" : "self",
    ) as { code: string; points: number; max: number }[];
    for (const r of rows) ownShares.set(r.code, share(r));
  }

  // The comparison scopes: the managing unit's subtree, the province, the school's type in the province.
  const ancestorIds = school.managingPath.split("/").filter(Boolean).map(Number);
  const units = ancestorIds.length
    ? (db.$client.prepare(`SELECT id, name, kind, path FROM units WHERE id IN (${ancestorIds.map(() => "?").join(",")})`).all(...ancestorIds) as {
        id: number;
        name: string;
        kind: string;
        path: string;
      }[])
    : [];
  const managing = units.find((u) => u.id === school.managingUnitId) ?? null;
  const province = units.find((u) => u.kind === "province") ?? null;
  const wide = province ?? managing;

  let comparisonYear: string | null = null;
  if (wide) {
    const published = publishedYears(db, pathRange(wide.path));
    comparisonYear = own && published.includes(own.schoolYear) ? own.schoolYear : (published[0] ?? null);
  }

  let sub: ReturnType<typeof publishedIndicatorSums> | null = null;
  let prov: ReturnType<typeof publishedIndicatorSums> | null = null;
  let type: ReturnType<typeof publishedIndicatorSums> | null = null;
  if (comparisonYear) {
    if (managing) sub = publishedIndicatorSums(db, comparisonYear, pathRange(managing.path), null);
    if (province) {
      prov = publishedIndicatorSums(db, comparisonYear, pathRange(province.path), null);
      type = publishedIndicatorSums(db, comparisonYear, pathRange(province.path), school.type);
    }
  }

  // Indicators: of the own result's edition, else of the comparison year's.
  let editionId = ownFile?.editionId ?? null;
  if (!editionId && comparisonYear && wide) {
    const e = stmt(
      db,
      "edition",
      `SELECT c.edition_id AS e FROM cycles c JOIN assessments a ON a.cycle_id = c.id JOIN schools s ON s.id = a.school_id
        WHERE c.school_year = @year AND s.managing_path >= @from AND s.managing_path < @to AND ${PUBLISHED_SQL} LIMIT 1`,
    ).get({ year: comparisonYear, ...pathRange(wide.path) }) as { e: string } | undefined;
    editionId = e?.e ?? null;
  }
  const edition = editionId ? getEdition(editionId, db)?.edition : undefined;
  const indicators: IndicatorPosition[] = [];
  for (const g of edition?.groups ?? [])
    for (const i of g.indicators) {
      if (!(i.max > 0)) continue;
      indicators.push({
        code: i.code,
        title: i.title,
        max: Math.round(i.max * 100),
        own: ownShares.get(i.code) ?? null,
        subUnit: sub ? share(sub.sums.get(i.code)) : null,
        province: prov ? share(prov.sums.get(i.code)) : null,
        sameType: type ? share(type.sums.get(i.code)) : null,
      });
    }

  const scope = (u: { name: string } | null, s: ReturnType<typeof publishedIndicatorSums> | null): AverageScope | null =>
    u && s && s.schools > 0 ? { name: u.name, schools: s.schools } : null;

  return {
    school: { id: school.id, name: school.name, code: school.code, type: school.type },
    years,
    groups,
    own,
    comparisonYear: sub?.schools || prov?.schools ? comparisonYear : null,
    subUnit: scope(managing, sub),
    province: scope(province, prov),
    sameType: scope(province, type),
    indicators,
  };
}
