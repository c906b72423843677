/**
 * The school's view of its results (/truong/:schoolId/ket-qua) on the demo data: the previous
 * year 2025-2026 is recognised for every school of the Sở S99; a publication row is inserted here
 * directly. The averages per indicator equal sums computed by hand over the stored rows of the
 * published files (sub-unit, province, type in the province); an unpublished year (no row, a
 * withdrawn row, or a publication of one sub-unit only) contributes nothing; another school's
 * user and an office out of scope get 403, an unknown school 404; a school user never sees the
 * external level (nor its points) of a file whose external assessment is not finished.
 */
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { useTestDatabase } from "../helpers/db";
import { browserAs, run } from "../helpers/http";
import { getDb } from "~/server/db/client.server";
import { seedDemoData } from "~/server/demo/seed.server";
import { shareTenths } from "~/domain/stats";
import type { SchoolResults } from "~/server/services/school-results.server";
import * as page from "~/routes/truong.$schoolId.ket-qua";

useTestDatabase("school-results");

const PREV = "2025-2026";
const sql = () => getDb().$client;
const unitId = (code: string) => (sql().prepare("SELECT id FROM units WHERE code = ?").get(code) as { id: number }).id;
const schoolIdOf = (username: string) => (sql().prepare("SELECT school_id AS id FROM users WHERE username = ?").get(username) as { id: number }).id;
const headOf = (schoolId: number) =>
  (sql().prepare("SELECT u.username AS u FROM users u JOIN user_roles r ON r.user_id = u.id WHERE u.school_id = ? AND r.role = 'school_head' LIMIT 1").get(schoolId) as { u: string }).u;

function publish(unitCode: string, year = PREV) {
  sql().prepare("INSERT OR REPLACE INTO publications (unit_id, school_year, published_at) VALUES (?, ?, ?)").run(unitId(unitCode), year, Date.now());
}
const unpublishAll = () => sql().prepare("DELETE FROM publications").run();

async function load(username: string, schoolId: number) {
  const b = await browserAs(username);
  const res = await run(page.loader, b.get(`/truong/${schoolId}/ket-qua`), { schoolId: String(schoolId) });
  return { status: res.status, data: res.status === 200 ? ((await res.json()) as SchoolResults) : null };
}

/**
 * By hand: every stored external indicator row of the recognised 2025-2026 files, with the school's
 * managing unit and type; then sums in JavaScript over the files the filter keeps.
 */
interface HandRow {
  aid: number;
  managing: number;
  type: string;
  code: string;
  points: number;
  max: number;
}
function handRows(): HandRow[] {
  return sql()
    .prepare(
      `SELECT a.id AS aid, s.managing_unit_id AS managing, s.type AS type, r.code AS code, r.points AS points, r.max AS max
         FROM assessments a JOIN cycles c ON c.id = a.cycle_id JOIN schools s ON s.id = a.school_id
         JOIN assessment_results r ON r.assessment_id = a.id AND r.phase = 'external' AND r.kind = 'indicator'
        WHERE c.school_year = ? AND a.recognised_level IS NOT NULL`,
    )
    .all(PREV) as HandRow[];
}
function handAverages(rows: HandRow[], keep: (r: HandRow) => boolean) {
  const by = new Map<string, { p: number; m: number }>();
  const files = new Set<number>();
  for (const r of rows.filter(keep)) {
    const x = by.get(r.code) ?? { p: 0, m: 0 };
    x.p += r.points;
    x.m += r.max;
    by.set(r.code, x);
    files.add(r.aid);
  }
  return { share: (code: string) => (by.get(code)?.m ? shareTenths(by.get(code)!.p, by.get(code)!.m) : null), files: files.size };
}

let th1 = 0;
let phong = 0;
let province = 0;

beforeAll(async () => {
  await seedDemoData(getDb());
  th1 = schoolIdOf("truong.th1");
  phong = unitId("S99-P01");
  province = unitId("S99");
});

beforeEach(() => {
  unpublishAll();
});

describe("levels over the years", () => {
  it("lists each school year with the self, external and recognised levels and the group points", async () => {
    const { status, data } = await load("truong.th1", th1);
    expect(status).toBe(200);
    const years = data!.years.map((y) => y.schoolYear);
    expect(years).toEqual([PREV, "2026-2027"]);
    const prev = data!.years[0];
    const db = sql().prepare("SELECT a.id, self_level, external_level, recognised_level FROM assessments a JOIN cycles c ON c.id = a.cycle_id WHERE a.school_id = ? AND c.school_year = ?").get(th1, PREV) as {
      id: number;
      self_level: number;
      external_level: number;
      recognised_level: number;
    };
    expect(prev).toMatchObject({ assessmentId: db.id, status: "recognised", selfLevel: db.self_level, externalLevel: db.external_level, recognisedLevel: db.recognised_level, pointsPhase: "external" });
    expect(prev.recognisedLevel).not.toBeNull();
    const groups = sql().prepare("SELECT code, points, max FROM assessment_results WHERE assessment_id = ? AND phase = 'external' AND kind = 'group' ORDER BY code").all(db.id) as { code: string; points: number; max: number }[];
    expect(groups.length).toBe(2);
    expect(prev.groups).toEqual(Object.fromEntries(groups.map((g) => [g.code, { points: g.points, max: g.max }])));
    expect(data!.groups.map((g) => g.code)).toEqual(["1", "2"]);
    // This year's file is a fresh draft: nothing submitted, nothing shown.
    expect(data!.years[1]).toMatchObject({ status: "draft", selfLevel: null, externalLevel: null, recognisedLevel: null, pointsPhase: null, groups: {} });
  });
});

describe("position per indicator", () => {
  it("averages equal the sums by hand over the published files of the sub-unit, the province and the type", async () => {
    publish("S99");
    const { data } = await load("truong.th1", th1);
    const rows = handRows();
    const provinceSchools = (sql().prepare("SELECT id FROM schools WHERE managing_path >= (SELECT path FROM units WHERE id = ?) AND managing_path < (SELECT substr(path, 1, length(path) - 1) || '0' FROM units WHERE id = ?)").all(province, province) as { id: number }[]).length;
    const phongUnits = new Set([phong]);
    const sub = handAverages(rows, (r) => phongUnits.has(r.managing));
    const all = handAverages(rows, () => true);
    const th = handAverages(rows, (r) => r.type === "TH");
    expect(all.files).toBe(provinceSchools);
    expect(data!.comparisonYear).toBe(PREV);
    expect(data!.subUnit).toEqual({ name: "Phòng Giáo dục và Đào tạo thành phố Đông Sơn", schools: sub.files });
    expect(data!.province).toEqual({ name: "Sở Giáo dục và Đào tạo tỉnh Đông Sơn", schools: all.files });
    expect(data!.sameType).toEqual({ name: "Sở Giáo dục và Đào tạo tỉnh Đông Sơn", schools: th.files });
    expect(sub.files).toBe(11);
    expect(th.files).toBeLessThan(all.files);

    // The seven scored indicators of the edition, in order.
    expect(data!.indicators.map((i) => i.code)).toEqual(["1.3", "1.4", "1.5", "1.6", "1.7", "2.3", "2.4"]);
    const own = sql().prepare("SELECT r.code, r.points, r.max FROM assessment_results r JOIN assessments a ON a.id = r.assessment_id JOIN cycles c ON c.id = a.cycle_id WHERE a.school_id = ? AND c.school_year = ? AND r.phase = 'external' AND r.kind = 'indicator'").all(th1, PREV) as { code: string; points: number; max: number }[];
    expect(data!.own).toMatchObject({ source: "recognised", schoolYear: PREV });
    for (const i of data!.indicators) {
      const o = own.find((r) => r.code === i.code)!;
      expect(i.own, i.code).toBe(shareTenths(o.points, o.max));
      expect(i.subUnit, i.code).toBe(sub.share(i.code));
      expect(i.province, i.code).toBe(all.share(i.code));
      expect(i.sameType, i.code).toBe(th.share(i.code));
      expect(i.province).not.toBeNull();
    }
    // The figures are not all the same (the demo answers vary by school).
    expect(new Set(data!.indicators.map((i) => `${i.subUnit}/${i.province}/${i.sameType}`)).size).toBeGreaterThan(1);
  });

  it("an unpublished year contributes nothing: without a publication, with a withdrawn one, no averages; the school's own values stay", async () => {
    publish("S99");
    const before = (await load("truong.th1", th1)).data!;
    expect(before.comparisonYear).toBe(PREV);

    unpublishAll();
    const none = (await load("truong.th1", th1)).data!;
    expect(none.comparisonYear).toBeNull();
    expect(none.subUnit).toBeNull();
    expect(none.province).toBeNull();
    expect(none.sameType).toBeNull();
    for (const i of none.indicators) expect([i.subUnit, i.province, i.sameType]).toEqual([null, null, null]);
    expect(none.indicators.map((i) => i.own)).toEqual(before.indicators.map((i) => i.own));
    expect(none.indicators.every((i) => i.own != null)).toBe(true);

    publish("S99");
    sql().prepare("UPDATE publications SET withdrawn_at = ? WHERE unit_id = ?").run(Date.now(), province);
    const withdrawn = (await load("truong.th1", th1)).data!;
    expect(withdrawn.comparisonYear).toBeNull();
    expect(withdrawn.indicators.every((i) => i.province == null && i.subUnit == null && i.sameType == null)).toBe(true);

    // This year published: only its recognised files count, not the assessed or approved ones (their external rows exist).
    unpublishAll();
    publish("S99", "2026-2027");
    const cur = (await load("truong.th1", th1)).data!;
    const recognisedNow = sql().prepare("SELECT count(*) AS n FROM assessments a JOIN cycles c ON c.id = a.cycle_id WHERE c.school_year = '2026-2027' AND a.recognised_level IS NOT NULL").get() as { n: number };
    const externalNow = sql().prepare("SELECT count(DISTINCT r.assessment_id) AS n FROM assessment_results r JOIN assessments a ON a.id = r.assessment_id JOIN cycles c ON c.id = a.cycle_id WHERE c.school_year = '2026-2027' AND r.phase = 'external'").get() as { n: number };
    expect(recognisedNow.n).toBeGreaterThan(0);
    expect(externalNow.n).toBeGreaterThan(recognisedNow.n);
    expect(cur.comparisonYear).toBe("2026-2027");
    expect(cur.province!.schools).toBe(recognisedNow.n);
  });

  it("a publication of one sub-unit only: the province average is over that sub-unit's files alone", async () => {
    publish("S99-P01");
    const { data } = await load("truong.th1", th1);
    const sub = handAverages(handRows(), (r) => r.managing === phong);
    expect(data!.comparisonYear).toBe(PREV);
    expect(data!.province!.schools).toBe(sub.files);
    expect(data!.subUnit!.schools).toBe(sub.files);
    for (const i of data!.indicators) expect(i.province, i.code).toBe(sub.share(i.code));

    // A school of a commune, not published: averages of the published part of the province only; its sub-unit has none.
    const communeSchool = (sql().prepare("SELECT s.id FROM schools s JOIN units u ON u.id = s.managing_unit_id WHERE u.code = 'S99-X01' LIMIT 1").get() as { id: number }).id;
    const c = (await load(headOf(communeSchool), communeSchool)).data!;
    expect(c.subUnit).toBeNull();
    expect(c.province!.schools).toBe(sub.files);
    expect(c.indicators.every((i) => i.subUnit == null && i.province != null)).toBe(true);
  });

  it("a school recognised this year (unpublished) compares its own latest result with the latest published year", async () => {
    publish("S99");
    const rec = sql()
      .prepare("SELECT a.school_id AS id FROM assessments a JOIN cycles c ON c.id = a.cycle_id WHERE c.school_year = '2026-2027' AND a.recognised_level IS NOT NULL LIMIT 1")
      .get() as { id: number };
    const { data } = await load(headOf(rec.id), rec.id);
    expect(data!.own).toMatchObject({ source: "recognised", schoolYear: "2026-2027" });
    expect(data!.comparisonYear).toBe(PREV);
  });
});

describe("who may read it", () => {
  it("another school's user and an office out of scope get 403; the Sở and the system admin read it; an unknown school is 404", async () => {
    const other = sql().prepare("SELECT id FROM schools WHERE id <> ? AND managing_unit_id = ? LIMIT 1").get(th1, phong) as { id: number };
    expect((await load(headOf(other.id), th1)).status).toBe(403);
    expect((await load("truong.th1", other.id)).status).toBe(403);
    const soSchool = sql().prepare("SELECT id FROM schools WHERE managing_unit_id = ? LIMIT 1").get(province) as { id: number };
    expect((await load("phong.demo", soSchool.id)).status).toBe(403);
    expect((await load("phong.demo", th1)).status).toBe(200);
    expect((await load("so.demo", th1)).status).toBe(200);
    expect((await load("giaovien.th1", th1)).status).toBe(200);
    expect((await load("admin", 999_999)).status).toBe(404);
    expect((await load("truong.th1", 999_999)).status).toBe(403);
    const b = await browserAs("admin");
    expect((await run(page.loader, b.get("/truong/abc/ket-qua"), { schoolId: "abc" })).status).toBe(404);
  });

  it("a school user never sees an unfinished external level, nor its points; the office does", async () => {
    const approved = sql()
      .prepare("SELECT a.id AS aid, a.school_id AS sid, a.external_level AS ext FROM assessments a JOIN cycles c ON c.id = a.cycle_id WHERE c.school_year = '2026-2027' AND a.status = 'approved' AND a.external_level IS NOT NULL LIMIT 1")
      .get() as { aid: number; sid: number; ext: number };
    expect(approved).toBeTruthy();
    const head = await load(headOf(approved.sid), approved.sid);
    expect(head.status).toBe(200);
    const row = head.data!.years.find((y) => y.assessmentId === approved.aid)!;
    expect(row.status).toBe("approved");
    expect(row.externalLevel).toBeNull();
    expect(row.recognisedLevel).toBeNull();
    expect(row.pointsPhase).toBe("self");
    const selfGroups = sql().prepare("SELECT code, points, max FROM assessment_results WHERE assessment_id = ? AND phase = 'self' AND kind = 'group'").all(approved.aid) as { code: string; points: number; max: number }[];
    expect(row.groups).toEqual(Object.fromEntries(selfGroups.map((g) => [g.code, { points: g.points, max: g.max }])));
    // The own values come from the recognised previous year, never the unfinished external phase.
    expect(head.data!.own).toMatchObject({ source: "recognised", schoolYear: PREV });

    const office = await load("so.demo", approved.sid);
    expect(office.data!.years.find((y) => y.assessmentId === approved.aid)).toMatchObject({ externalLevel: approved.ext, pointsPhase: "external" });
  });

  it("a school with only a submitted self-assessment: its own values are its self-assessment, labelled as such", async () => {
    publish("S99");
    // A school whose recognition is revoked: make the previous year's file look unrecognised for this check.
    const s = sql().prepare("SELECT a.school_id AS sid, a.id AS aid FROM assessments a JOIN cycles c ON c.id = a.cycle_id WHERE c.school_year = '2026-2027' AND a.status = 'submitted' LIMIT 1").get() as { sid: number; aid: number };
    const prevFile = sql().prepare("SELECT a.id, a.recognised_level AS rec, a.status FROM assessments a JOIN cycles c ON c.id = a.cycle_id WHERE a.school_id = ? AND c.school_year = ?").get(s.sid, PREV) as { id: number; rec: number; status: string };
    sql().prepare("UPDATE assessments SET recognised_level = NULL, status = 'assessed' WHERE id = ?").run(prevFile.id);
    try {
      const { data } = await load(headOf(s.sid), s.sid);
      expect(data!.own).toEqual({ source: "self", schoolYear: "2026-2027", assessmentId: s.aid });
      const self = sql().prepare("SELECT code, points, max FROM assessment_results WHERE assessment_id = ? AND phase = 'self' AND kind = 'indicator'").all(s.aid) as { code: string; points: number; max: number }[];
      for (const i of data!.indicators) {
        const o = self.find((r) => r.code === i.code)!;
        expect(i.own, i.code).toBe(o.max ? shareTenths(o.points, o.max) : null);
      }
      expect(data!.comparisonYear).toBe(PREV);
    } finally {
      sql().prepare("UPDATE assessments SET recognised_level = ?, status = ? WHERE id = ?").run(prevFile.rec, prevFile.status, prevFile.id);
    }
  });
});
