/**
 * Contracts of the results side (rollups, rankings, publication), isomorphic: the dashboard, the
 * exports, the province report and the public pages all speak these shapes. Counts come from SQL
 * aggregates over stored results (app/server/services/rollups.server.ts); nothing here derives a
 * level.
 *
 * ROUNDING RULE (README "Làm tròn tỉ lệ"): percentages are shown to one decimal with a decimal
 * comma ("2,6%"). The shares of one whole (the files at Mức 1, 2, 3 of a distribution, the options
 * of a choice item) are apportioned by the largest-remainder method, so that they always sum to
 * exactly 100,0%, as published tables do; a single share ("188/231 trường đạt (81,4%)") is rounded
 * half up. Both work in tenths of a percent, on whole numbers.
 */
import type { AssessmentState } from "./assessment-states";
import type { SchoolType } from "./roles";

export type Basis = "recognised" | "external" | "self";
export const BASES: readonly Basis[] = ["recognised", "external", "self"];
export const LEVELS = [1, 2, 3] as const;
/** The basis as it is spelled in URLs (?coSo=…). */
export const SLUG_OF_BASIS: Record<Basis, string> = { recognised: "cong-nhan", external: "danh-gia-ngoai", self: "tu-danh-gia" };
export const BASIS_OF_SLUG: Record<string, Basis> = { "cong-nhan": "recognised", "danh-gia-ngoai": "external", "tu-danh-gia": "self" };

/** Tenths of a percent: 826 = 82,6%. */
export type Tenths = number;

/** One share, rounded half up to tenths of a percent (0 when the whole is 0). */
export function shareTenths(part: number, whole: number): Tenths {
  if (whole <= 0) return 0;
  return Math.floor((part * 1000) / whole + 0.5 + 1e-9);
}

/**
 * Shares of a whole in tenths of a percent that sum to exactly 1000 (largest remainder: each
 * share is floored, then the tenths left over go to the largest remainders, ties to the earlier
 * part). All zeros when the parts sum to 0.
 */
export function apportionTenths(parts: readonly number[]): Tenths[] {
  const whole = parts.reduce((s, p) => s + p, 0);
  if (whole <= 0) return parts.map(() => 0);
  const exact = parts.map((p) => (p * 1000) / whole);
  const out = exact.map((e) => Math.floor(e + 1e-9));
  let left = 1000 - out.reduce((s, v) => s + v, 0);
  const order = exact.map((e, i) => ({ i, r: e - Math.floor(e + 1e-9) })).sort((a, b) => b.r - a.r || a.i - b.i);
  for (const { i } of order) {
    if (left <= 0) break;
    out[i]++;
    left--;
  }
  return out;
}

/** "2,6%" (Vietnamese decimal comma, one decimal always). */
export function formatTenths(t: Tenths): string {
  const sign = t < 0 ? "-" : "";
  const a = Math.abs(Math.round(t));
  return `${sign}${Math.floor(a / 10)},${a % 10}%`;
}

/** Points in hundredths as Vietnamese text, at most 2 decimals: 7250 → "72,5". */
export function formatHundredthsVi(h: number): string {
  const v = Math.round(h) / 100;
  return v.toLocaleString("vi-VN", { maximumFractionDigits: 2, minimumFractionDigits: 0 });
}

/** A distribution of files over the three levels. `total` counts files with a level on the basis. */
export interface Distribution {
  total: number;
  counts: [number, number, number];
  /** Apportioned shares (sum 1000 when total > 0). */
  shares: [Tenths, Tenths, Tenths];
}

export function distribution(counts: readonly [number, number, number]): Distribution {
  const c: [number, number, number] = [counts[0], counts[1], counts[2]];
  const s = apportionTenths(c);
  return { total: c[0] + c[1] + c[2], counts: c, shares: [s[0], s[1], s[2]] };
}

/** Seed 004's sentence: "Mức 1: 6/231 trường (chiếm 2,6%); Mức 2: …; Mức 3: …". */
export function distributionSentence(d: Distribution, noun = "trường"): string {
  if (d.total === 0) return `Chưa có ${noun} nào có kết quả.`;
  return LEVELS.map((l, i) => `Mức ${l}: ${d.counts[i]}/${d.total} ${noun} (chiếm ${formatTenths(d.shares[i])})`).join("; ") + ".";
}

/** "188/231 trường đạt (81,4%)". */
export function metSentence(met: number, n: number, noun = "trường"): string {
  return `${met}/${n} ${noun} đạt (${formatTenths(shareTenths(met, n))})`;
}

export interface ProgressCounts {
  /** Files of the year in scope. */
  total: number;
  byState: Record<AssessmentState, number>;
  /** Not submitted although the self-assessment deadline (with the school's extension) has passed. */
  overdueSubmission: number;
  /** Not recognised although the review deadline has passed. */
  overdueReview: number;
  /** The cycles of the year in scope (one per opening office) with their deadlines (local dates). */
  cycles: { id: number; unitName: string; selfAssessmentDeadline: string; reviewDeadline: string; status: "open" | "closed" }[];
}

export interface SubUnitRow {
  /** null: schools managed directly by the scope's unit ("trực thuộc"). */
  unitId: number | null;
  name: string;
  /** Files in the year (any state). */
  files: number;
  dist: Distribution;
  /** Average institution points (both groups, out of 200) on the basis, hundredths; null when none. */
  avgPoints: number | null;
  /** Share at Mức 3 (tenths of a percent). */
  level3Share: Tenths;
}

export interface TypeRow {
  type: SchoolType;
  files: number;
  dist: Distribution;
  avgPoints: number | null;
}

export interface GroupRow {
  code: string;
  title: string;
  dist: Distribution;
  avgPoints: number | null;
}

export interface IndicatorRow {
  code: string;
  groupCode: string;
  title: string;
  /** Scored indicators only (mandatory-only indicators have max 0). */
  max: number;
  avgPoints: number | null;
  /** Average share of the maximum, tenths of a percent. */
  avgShare: Tenths | null;
  /** Split by the edition's bands (1.3), when defined: counts per band level. */
  bands?: { level: number; name: string; count: number; share: Tenths }[];
  /** Mandatory-only indicators: files meeting all its conditions. */
  met?: number;
  n: number;
}

export interface ItemRow {
  code: string;
  indicatorCode: string;
  title: string;
  rule: "mandatory" | "boolean" | "ratio" | "choice";
  met: number;
  n: number;
  share: Tenths;
  avgPoints: number | null;
  max: number;
  /** Choice items: the split by option (apportioned). */
  options?: { id: string; label: string; count: number; share: Tenths }[];
}

export interface YearRow {
  schoolYear: string;
  dist: Distribution;
  groups: { code: string; dist: Distribution; avgPoints: number | null }[];
  /** Indicator code → average share of the maximum (tenths). */
  indicators: Record<string, Tenths | null>;
  avgPoints: number | null;
}

export interface DashboardFilter {
  schoolYear: string;
  /** The scope's unit; null: the nation (system admin). */
  unitId: number | null;
  basis: Basis;
  type?: SchoolType;
}

export interface Dashboard {
  filter: DashboardFilter;
  scope: { unitId: number | null; name: string; code: string | null };
  /** The edition of the year's cycles (the first; years normally have one). */
  editionId: string | null;
  progress: ProgressCounts;
  /** Institution level on each basis. */
  levels: Record<Basis, Distribution>;
  groups: GroupRow[];
  subUnits: SubUnitRow[];
  types: TypeRow[];
  indicators: IndicatorRow[];
  /** Codes of the five scored indicators with the lowest average share. */
  weakest: string[];
  items: ItemRow[];
  /** Earlier school years (oldest first) and this one last, on the same basis. */
  years: YearRow[];
}

export interface RankedSchool {
  rank: number;
  schoolId: number;
  code: string;
  name: string;
  type: SchoolType;
  subUnit: string;
  assessmentId: number;
  level: number;
  /** Institution points (hundredths), both groups. */
  points: number;
  groups: { code: string; points: number; level: number }[];
}

export interface RankedSubUnit {
  rankByLevel3: number;
  rankByPoints: number;
  unitId: number | null;
  name: string;
  schools: number;
  level3Share: Tenths;
  avgPoints: number | null;
}
