/**
 * Rollups against a hand-computed fixture: twelve schools of one province (two communes and
 * three schools the Sở manages directly) and one school of another province, made through the
 * real services (save, submit, approve, keep, recognise by decision), so the stored results are
 * the door's. Figures below are worked out by hand from which answer set each school got:
 *   A1 (an unmet mandatory condition, Mức 1), A2 (Mức 2), A3 (every item at its maximum, Mức 3),
 *   A3b (A3 with 1.6.1 at half: fewer points, still Mức 3).
 * Also: the stored rows the door writes, the recompute command (idempotent, repairs a corrupted
 * row), and the scope (another province never counts).
 */
import { beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { useTestDatabase } from "../helpers/db";
import { LEVEL2_ANSWERS } from "../helpers/answers";
import { getDb } from "~/server/db/client.server";
import { assessments, assessmentResults, auditLog, cycles } from "~/server/db/schema.server";
import { createSchool, createUnit, createUser } from "~/server/services/org.server";
import { closeCycle, openCycle } from "~/server/services/cycles.server";
import { saveAnswers, submitAssessment, type AnswerChange } from "~/server/services/assessments.server";
import { approve, keepSelf } from "~/server/services/review.server";
import { changeDecisionFiles, createDecision, issueDecision, updateDecision } from "~/server/services/recognition.server";
import { DASHBOARD_KEEP_MS, dashboard, dashboardFor, rankSchools, rankSubUnits, scopeUnit } from "~/server/services/rollups.server";
import { backfillResults, recomputeCycle } from "~/server/services/results.server";
import { getEdition } from "~/server/services/catalogue.server";
import { scoreAssessment, type Answers } from "~/domain/scoring";
import { distributionSentence } from "~/domain/stats";
import { localDateOf } from "~/utils/time";

useTestDatabase("rollups");

const db = () => getDb();
const YEAR = "2097-2098";
const EARLIER = "2096-2097";
const unit: Record<string, number> = {};
const school: Record<string, number> = {};
const u: Record<string, number> = {};
const today = localDateOf(Date.now());

type Set = Record<string, AnswerChange["value"]>;
const A2: Set = { ...LEVEL2_ANSWERS };
const A1: Set = { ...LEVEL2_ANSWERS, "2.1": false };
let A3: Set = {};
let A3b: Set = {};

function maxAnswers(): Set {
  const e = getEdition("qd-4725-2022")!.edition;
  const out: Set = {};
  for (const g of e.groups)
    for (const i of g.indicators) {
      for (const it of i.items) {
        if (it.rule === "mandatory" || it.rule === "boolean") out[it.code] = true;
        else if (it.rule === "ratio") out[it.code] = { numerator: 10, denominator: 10 };
        else out[it.code] = [...it.options].sort((a, b) => b.points - a.points)[0]!.id;
      }
      for (const b of i.info ?? []) out[b.key] = Object.fromEntries(b.fields.map((f) => [f.id, f.type === "choice" ? f.options[0]!.id : "Hệ thống học trực tuyến"]));
    }
  return out;
}

const fileOf = (s: number, cycleId: number) => db().$client.prepare("SELECT id, version FROM assessments WHERE school_id = ? AND cycle_id = ?").get(s, cycleId) as { id: number; version: number };

function assess(s: number, cycleId: number, set: Set, head: number, reviewer: number, keep = true): number {
  const f = fileOf(s, cycleId);
  const changes = Object.fromEntries(Object.entries(set).map(([k, value]) => [k, { value }]));
  expect(saveAnswers(f.id, { baseVersion: f.version, changes }, head)).toMatchObject({ ok: true });
  expect(submitAssessment(f.id, head)).toMatchObject({ ok: true });
  if (!keep) return f.id;
  expect(approve(f.id, reviewer)).toMatchObject({ ok: true });
  expect(keepSelf([f.id], reviewer).done).toEqual([f.id]);
  return f.id;
}

function recognise(unitId: number, year: string, ids: number[], actor: number, number: string) {
  const c = createDecision(unitId, year, actor);
  if (!c.ok) throw new Error(c.message);
  const up = updateDecision(c.id, { number, decidedOn: today, place: "Hà Nội", signerName: "Nguyễn Văn Giám", signerTitle: "Giám đốc", bases: ["Căn cứ."] }, actor, 1);
  if (!up.ok) throw new Error(up.message);
  const ch = changeDecisionFiles(c.id, { add: ids }, actor);
  if (!ch.ok) throw new Error(ch.message);
  const r = issueDecision(c.id, actor, ch.version);
  if (!r.ok) throw new Error(r.message);
}

const PLAN: [string, string, "A1" | "A2" | "A3" | "A3b" | "self-A1", "TH" | "THCS" | "THPT"][] = [
  ["S1", "X1", "A3", "TH"],
  ["S2", "X1", "A3", "THCS"],
  ["S3", "X1", "A2", "TH"],
  ["S4", "X1", "A1", "THCS"],
  ["S5", "X1", "A2", "TH"],
  ["S6", "X2", "A2", "TH"],
  ["S7", "X2", "A2", "THCS"],
  ["S8", "X2", "A3", "TH"],
  ["S9", "X2", "A1", "THCS"],
  ["S10", "P", "A3b", "THPT"],
  ["S11", "P", "A2", "THPT"],
  ["S12", "P", "self-A1", "THPT"],
];

let cycleId = 0;
let earlierId = 0;
const ids: Record<string, number> = {};

beforeAll(async () => {
  A3 = maxAnswers();
  A3b = { ...A3, "1.6.1": { numerator: 5, denominator: 10 } };
  unit.M = createUnit({ kind: "ministry", code: "RB", name: "Bộ Thử", parentId: null }, null);
  unit.P = createUnit({ kind: "province", code: "RP", name: "Sở Thống Kê", parentId: unit.M }, null);
  unit.X1 = createUnit({ kind: "commune", code: "RP-X1", name: "Xã Một", parentId: unit.P }, null);
  unit.X2 = createUnit({ kind: "commune", code: "RP-X2", name: "Xã Hai", parentId: unit.P }, null);
  unit.Q = createUnit({ kind: "province", code: "RQ", name: "Sở Khác", parentId: unit.M }, null);
  u.admin = await createUser({ username: "rp.admin", displayName: "An", password: "mat-khau-kiem-thu", roles: ["office_admin", "office_reviewer"], unitId: unit.P }, null);
  u.qadmin = await createUser({ username: "rq.admin", displayName: "Bình", password: "mat-khau-kiem-thu", roles: ["office_admin", "office_reviewer"], unitId: unit.Q }, null);
  for (const [k, where, , type] of PLAN) {
    school[k] = createSchool({ code: `RP-${k}`, name: `Trường ${k}`, type, managingUnitId: unit[where]!, reviewingUnitId: unit.P }, null);
    u[`h${k}`] = await createUser({ username: `rp.h${k.toLowerCase()}`, displayName: `Hiệu trưởng ${k}`, password: "mat-khau-kiem-thu", roles: ["school_head"], schoolId: school[k] }, null);
  }
  school.Q1 = createSchool({ code: "RQ-01", name: "Trường Tỉnh Khác", type: "TH", managingUnitId: unit.Q, reviewingUnitId: unit.Q }, null);
  u.hQ1 = await createUser({ username: "rq.h1", displayName: "Hiệu trưởng Q", password: "mat-khau-kiem-thu", roles: ["school_head"], schoolId: school.Q1 }, null);
  school.Q2 = createSchool({ code: "RQ-02", name: "Trường Nháp", type: "TH", managingUnitId: unit.Q, reviewingUnitId: unit.Q }, null);
  u.hQ2 = await createUser({ username: "rq.h2", displayName: "Hiệu trưởng Q2", password: "mat-khau-kiem-thu", roles: ["school_head"], schoolId: school.Q2 }, null);

  // The earlier year: S1 Mức 1, S2 Mức 2, S3 Mức 3, recognised; the cycle is then closed.
  const e = openCycle({ ownerUnitId: unit.P, schoolYear: EARLIER, editionId: "qd-4725-2022", selfAssessmentDeadline: "2099-05-31", reviewDeadline: "2099-06-20" }, u.admin);
  if (!e.ok) throw new Error("cycle");
  earlierId = db().select({ id: cycles.id }).from(cycles).where(eq(cycles.schoolYear, EARLIER)).get()!.id;
  const early = [assess(school.S1, earlierId, A1, u.hS1, u.admin), assess(school.S2, earlierId, A2, u.hS2, u.admin), assess(school.S3, earlierId, A3, u.hS3, u.admin)];
  recognise(unit.P, EARLIER, early, u.admin, "1/QĐ-SGDĐT");
  expect(closeCycle(earlierId, u.admin)).toBe(true);

  for (const [owner, actor] of [[unit.P, u.admin], [unit.Q, u.qadmin]] as const)
    expect(openCycle({ ownerUnitId: owner, schoolYear: YEAR, editionId: "qd-4725-2022", selfAssessmentDeadline: "2099-05-31", reviewDeadline: "2099-06-20" }, actor)).toMatchObject({ ok: true });
  cycleId = db().$client.prepare("SELECT id FROM cycles WHERE school_year = ? AND owner_unit_id = ?").get(YEAR, unit.P) as never as number;
  cycleId = (db().$client.prepare("SELECT id FROM cycles WHERE school_year = ? AND owner_unit_id = ?").get(YEAR, unit.P) as { id: number }).id;
  const sets = { A1, A2, A3, A3b, "self-A1": A1 } as const;
  const toRecognise: number[] = [];
  for (const [k, , set] of PLAN) {
    ids[k] = assess(school[k]!, cycleId, sets[set], u[`h${k}`]!, u.admin, set !== "self-A1");
    if (set !== "self-A1") toRecognise.push(ids[k]);
  }
  recognise(unit.P, YEAR, toRecognise, u.admin, "2/QĐ-SGDĐT");
  const qCycle = (db().$client.prepare("SELECT id FROM cycles WHERE school_year = ? AND owner_unit_id = ?").get(YEAR, unit.Q) as { id: number }).id;
  ids.Q1 = assess(school.Q1, qCycle, A3, u.hQ1, u.qadmin);
  recognise(unit.Q, YEAR, [ids.Q1], u.qadmin, "3/QĐ-SGDĐT");
});

const scoreOf = (set: Set) => scoreAssessment(getEdition("qd-4725-2022")!.edition, set as Answers);

describe("stored results", () => {
  it("the door writes one row per institution, group, indicator and item, per phase, matching the engine", () => {
    const e = getEdition("qd-4725-2022")!.edition;
    const indicators = e.groups.flatMap((g) => g.indicators);
    const items = indicators.flatMap((i) => i.items);
    const rows = db().select().from(assessmentResults).where(eq(assessmentResults.assessmentId, ids.S4!)).all();
    for (const phase of ["self", "external"] as const) {
      const mine = rows.filter((r) => r.phase === phase);
      expect(mine.length).toBe(1 + e.groups.length + indicators.length + items.length);
      const s = scoreOf(A1);
      expect(mine.find((r) => r.kind === "institution")).toMatchObject({ code: "", level: 1, points: s.groups[0]!.points + s.groups[1]!.points, met: false });
      expect(mine.find((r) => r.kind === "group" && r.code === "2")).toMatchObject({ level: 1, met: false, points: s.groups[1]!.points, max: 10000 });
      expect(mine.find((r) => r.kind === "item" && r.code === "2.1")).toMatchObject({ met: false, points: 0, max: 0 });
      expect(mine.find((r) => r.kind === "item" && r.code === "1.6.1")).toMatchObject({ met: true, points: s.items.find((i) => i.code === "1.6.1")!.points });
    }
    const a = db().select().from(assessments).where(eq(assessments.id, ids.S4!)).get()!;
    expect(a).toMatchObject({ selfLevel: 1, externalLevel: 1, recognisedLevel: 1 });
    // The choice item stores its option.
    const s1 = db().select().from(assessmentResults).where(eq(assessmentResults.assessmentId, ids.S1!)).all();
    expect(s1.find((r) => r.phase === "external" && r.code === "1.7.2" && r.kind === "item")).toMatchObject({ option: A3["1.7.2"], met: true });
  });

  it("a draft has no rows until its first save; a later save rewrites what it changed and the totals", () => {
    const qCycle = (db().$client.prepare("SELECT id FROM cycles WHERE school_year = ? AND owner_unit_id = ?").get(YEAR, unit.Q) as { id: number }).id;
    const f = fileOf(school.Q2!, qCycle);
    const rows = () => db().select().from(assessmentResults).where(eq(assessmentResults.assessmentId, f.id)).all();
    expect(rows()).toHaveLength(0);
    expect(saveAnswers(f.id, { baseVersion: f.version, changes: { "1.4": { value: { numerator: 1, denominator: 2 } } } }, u.hQ2!)).toMatchObject({ ok: true });
    const first = rows();
    expect(first.every((r) => r.phase === "self")).toBe(true);
    expect(first.length).toBeGreaterThan(40);
    const one = scoreOf({ "1.4": { numerator: 1, denominator: 2 } });
    expect(first.find((r) => r.kind === "item" && r.code === "1.4")).toMatchObject({ points: one.items.find((i) => i.code === "1.4")!.points, met: true });
    const v = fileOf(school.Q2!, qCycle).version;
    expect(saveAnswers(f.id, { baseVersion: v, changes: { "1.4": { value: { numerator: 2, denominator: 2 } } } }, u.hQ2!)).toMatchObject({ ok: true });
    const two = scoreOf({ "1.4": { numerator: 2, denominator: 2 } });
    const second = rows();
    expect(second).toHaveLength(first.length);
    expect(second.find((r) => r.kind === "item" && r.code === "1.4")!.points).toBe(two.items.find((i) => i.code === "1.4")!.points);
    expect(second.find((r) => r.kind === "indicator" && r.code === "1.4")!.points).toBe(two.indicators.find((i) => i.code === "1.4")!.points);
    expect(second.find((r) => r.kind === "group" && r.code === "1")!.points).toBe(two.groups[0]!.points);
    expect(second.find((r) => r.kind === "institution")!.points).toBe(two.groups[0]!.points + two.groups[1]!.points);
    expect(db().select().from(assessments).where(eq(assessments.id, f.id)).get()!.selfLevel).toBe(two.level);
  });
});

describe("the dashboard of the province", () => {
  const d = () => dashboard(scopeUnit(unit.P)!, { schoolYear: YEAR, unitId: unit.P, basis: "recognised" });

  it("distributions on the three bases, as seed 004 writes them", () => {
    const x = d();
    expect(x.progress.total).toBe(12);
    expect(x.progress.byState).toMatchObject({ recognised: 11, submitted: 1, draft: 0 });
    expect(x.levels.recognised).toEqual({ total: 11, counts: [2, 5, 4], shares: [182, 454, 364] });
    expect(distributionSentence(x.levels.recognised)).toBe("Mức 1: 2/11 trường (chiếm 18,2%); Mức 2: 5/11 trường (chiếm 45,4%); Mức 3: 4/11 trường (chiếm 36,4%).");
    expect(x.levels.external).toEqual(x.levels.recognised);
    expect(x.levels.self).toEqual({ total: 12, counts: [3, 5, 4], shares: [250, 417, 333] });
    // Group 2 carries the unmet condition of A1: Mức 1 for S4, S9; group 1 of A1 is Mức 2.
    const g1 = x.groups.find((g) => g.code === "1")!;
    const g2 = x.groups.find((g) => g.code === "2")!;
    expect(g2.dist.counts).toEqual([2, 5, 4]);
    expect(g1.dist.counts).toEqual([0, 7, 4]);
  });

  it("per sub-unit and per type", () => {
    const x = d();
    const by = Object.fromEntries(x.subUnits.map((s) => [s.name, s]));
    expect(by["Xã Một"]).toMatchObject({ unitId: unit.X1, files: 5, dist: { counts: [1, 2, 2], shares: [200, 400, 400] }, level3Share: 400 });
    expect(by["Xã Hai"]).toMatchObject({ unitId: unit.X2, files: 4, dist: { counts: [1, 2, 1], shares: [250, 500, 250] } });
    expect(by["Trực thuộc Sở Thống Kê"]).toMatchObject({ unitId: null, files: 3, dist: { counts: [0, 1, 1] } });
    const inst = (s: Set) => scoreOf(s).groups.reduce((t, g) => t + g.points, 0);
    expect(by["Xã Một"]!.avgPoints).toBe(Math.round((2 * inst(A3) + 2 * inst(A2) + inst(A1)) / 5));
    const types = Object.fromEntries(x.types.map((t) => [t.type, t]));
    expect(types.TH!.dist.counts).toEqual([0, 3, 2]); // S1 A3, S3 A2, S5 A2, S6 A2, S8 A3
    expect(types.THCS!.dist.counts).toEqual([2, 1, 1]); // S2 A3, S4 A1, S7 A2, S9 A1
    expect(types.THPT).toMatchObject({ files: 3, dist: { counts: [0, 1, 1] } }); // S10 A3b, S11 A2, S12 not recognised
  });

  it("per item, the split of a choice item and a band", () => {
    const x = d();
    const it21 = x.items.find((i) => i.code === "2.1")!;
    expect(it21).toMatchObject({ met: 9, n: 11, share: 818 });
    const choice = x.items.find((i) => i.code === "1.7.2")!;
    expect(choice.met).toBe(4);
    expect(choice.options!.find((o) => o.id === A3["1.7.2"])).toMatchObject({ count: 4, share: 1000 });
    const band = (s: Set) => scoreOf(s).indicators.find((i) => i.code === "1.3")!.band!.level;
    const bands = x.indicators.find((i) => i.code === "1.3")!.bands!;
    const expected = [0, 0, 0];
    for (const set of [A3, A3, A2, A1, A2, A2, A2, A3, A1, A3b, A2]) expected[band(set) - 1]++;
    expect(bands.map((b) => b.count)).toEqual(expected);
    // The weakest indicator is one A1/A2 never answer.
    expect(x.weakest.length).toBe(5);
    const w = x.indicators.find((i) => i.code === x.weakest[0])!;
    expect(w.avgShare).toBe(Math.min(...x.indicators.filter((i) => i.avgShare != null).map((i) => i.avgShare!)));
  });

  it("years: the earlier year compared", () => {
    const x = d();
    expect(x.years.map((y) => y.schoolYear)).toEqual([EARLIER, YEAR]);
    expect(x.years[0]!.dist.counts).toEqual([1, 1, 1]);
    expect(x.years[1]!.dist.counts).toEqual([2, 5, 4]);
  });

  it("another province's school never counts; the nation counts both", () => {
    const q = dashboard(scopeUnit(unit.Q)!, { schoolYear: YEAR, unitId: unit.Q, basis: "recognised" });
    expect(q.levels.recognised.counts).toEqual([0, 0, 1]);
    const n = dashboard(scopeUnit(null)!, { schoolYear: YEAR, unitId: null, basis: "recognised" });
    expect(n.levels.recognised.counts).toEqual([2, 5, 5]);
    expect(n.subUnits.map((s) => s.name).sort()).toEqual(["Sở Khác", "Sở Thống Kê"]);
  });
});

describe("rankings", () => {
  it("schools by level then points, equal results share a rank", () => {
    const r = rankSchools(scopeUnit(unit.P)!, { schoolYear: YEAR, basis: "recognised", page: 1, pageSize: 100 });
    expect(r.total).toBe(11);
    const rank = Object.fromEntries(r.rows.map((x) => [x.code, x.rank]));
    expect([rank["RP-S1"], rank["RP-S2"], rank["RP-S8"]]).toEqual([1, 1, 1]);
    expect(rank["RP-S10"]).toBe(4);
    for (const k of ["S3", "S5", "S6", "S7", "S11"]) expect(rank[`RP-${k}`]).toBe(5);
    expect([rank["RP-S4"], rank["RP-S9"]]).toEqual([10, 10]);
    expect(r.rows.find((x) => x.code === "RP-S10")!.groups.map((g) => g.code)).toEqual(["1", "2"]);
    const page2 = rankSchools(scopeUnit(unit.P)!, { schoolYear: YEAR, basis: "recognised", page: 2, pageSize: 5 });
    expect(page2.rows.map((x) => x.rank)).toEqual([5, 5, 5, 5, 10]);
    const th = rankSchools(scopeUnit(unit.P)!, { schoolYear: YEAR, basis: "recognised", type: "THPT", page: 1, pageSize: 10 });
    expect(th.rows.map((x) => [x.code, x.rank])).toEqual([["RP-S10", 1], ["RP-S11", 2]]);
    const sub = rankSchools(scopeUnit(unit.P)!, { schoolYear: YEAR, basis: "recognised", subUnitId: unit.X2, page: 1, pageSize: 10 });
    expect(sub.rows.map((x) => x.code).sort()).toEqual(["RP-S6", "RP-S7", "RP-S8", "RP-S9"]);
  });

  it("sub-units by share at Mức 3 and by average points, ties sharing", () => {
    const x = dashboard(scopeUnit(unit.P)!, { schoolYear: YEAR, unitId: unit.P, basis: "recognised" });
    const r = rankSubUnits(x.subUnits);
    const by = Object.fromEntries(r.map((s) => [s.name, s]));
    // Mức 3 shares: direct 50,0% (1/2), Xã Một 40,0%, Xã Hai 25,0%.
    expect([by["Trực thuộc Sở Thống Kê"]!.rankByLevel3, by["Xã Một"]!.rankByLevel3, by["Xã Hai"]!.rankByLevel3]).toEqual([1, 2, 3]);
    expect(new Set(r.map((s) => s.rankByPoints)).size).toBeGreaterThan(1);
  });
});

describe("recompute", () => {
  it("is idempotent, and repairs a corrupted row with an audit entry", () => {
    expect(recomputeCycle(cycleId)).toMatchObject({ assessments: 12, changedRows: 0, changedLevels: 0 });
    db().$client.prepare("UPDATE assessment_results SET points = points + 1 WHERE assessment_id = ? AND phase = 'external' AND kind = 'group' AND code = '1'").run(ids.S3);
    db().$client.prepare("DELETE FROM assessment_results WHERE assessment_id = ? AND phase = 'self' AND kind = 'item' AND code = '1.4'").run(ids.S5);
    const r = recomputeCycle(cycleId, u.admin);
    expect(r.changedRows).toBe(3); // the corrupted row counts as one gone and one new; the deleted row as one new
    expect(recomputeCycle(cycleId)).toMatchObject({ changedRows: 0, changedLevels: 0 });
    const g = db().$client.prepare("SELECT points FROM assessment_results WHERE assessment_id = ? AND phase = 'external' AND kind = 'group' AND code = '1'").get(ids.S3) as { points: number };
    expect(g.points).toBe(scoreOf(A2).groups[0]!.points);
    const audit = db().select().from(auditLog).where(eq(auditLog.action, "results.recompute")).all();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ entityType: "cycle", entityId: String(cycleId), actorId: u.admin, details: { assessments: 12, changedRows: 3, changedLevels: 0 } });
    // A closed cycle is recomputed too (its results are the record the rollups read).
    expect(recomputeCycle(earlierId)).toMatchObject({ assessments: 12, changedRows: 0 });
  });
});

describe("large scopes", () => {
  it("a slow dashboard is kept for a few minutes; a fast one is always fresh", () => {
    const scope = scopeUnit(unit.P)!;
    const f = { schoolYear: YEAR, unitId: unit.P, basis: "recognised" as const };
    const t0 = Date.now();
    // Fast (threshold never reached): computed every time.
    expect(dashboardFor(scope, f, t0, db(), Number.POSITIVE_INFINITY).kept).toBe(false);
    expect(dashboardFor(scope, f, t0 + 1, db(), Number.POSITIVE_INFINITY).kept).toBe(false);
    // "Slow" (threshold -1): the first computes, the next within DASHBOARD_KEEP_MS reuses it, then it expires.
    const first = dashboardFor(scope, f, t0, db(), -1);
    expect(first).toMatchObject({ kept: false, computedAt: t0 });
    const again = dashboardFor(scope, f, t0 + DASHBOARD_KEEP_MS - 1, db(), -1);
    expect(again).toMatchObject({ kept: true, computedAt: t0 });
    expect(again.data).toBe(first.data);
    expect(dashboardFor(scope, f, t0 + DASHBOARD_KEEP_MS + 1, db(), -1).kept).toBe(false);
    // Another filter is another entry.
    expect(dashboardFor(scope, { ...f, basis: "self" }, t0 + DASHBOARD_KEEP_MS + 2, db(), -1).kept).toBe(false);
  });
});

describe("a database from before stored results", () => {
  it("gets every scored file's rows once at start-up (backfillResults), the same rows the door wrote", () => {
    const snapshot = () => db().$client.prepare("SELECT assessment_id, phase, kind, code, points, max, level, met, option FROM assessment_results ORDER BY 1, 2, 3, 4").all();
    const before = snapshot();
    expect(before.length).toBeGreaterThan(1000);
    db().$client.prepare("DELETE FROM assessment_results").run();
    const cycles = backfillResults(db());
    expect(cycles.length).toBeGreaterThan(0);
    expect(snapshot()).toEqual(before);
    // Nothing left to do: a second start-up does nothing.
    expect(backfillResults(db())).toEqual([]);
  });
});
