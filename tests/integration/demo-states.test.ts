/** The demo opens with files in every state of the review, made through the real services. */
import { beforeAll, describe, expect, it } from "vitest";
import { and, count, eq, isNull } from "drizzle-orm";
import { useTestDatabase } from "../helpers/db";
import { getDb } from "~/server/db/client.server";
import { answers, assessments, certificates, cycles, notifications, recognitionDecisions, reviewComments, schools, users } from "~/server/db/schema.server";
import { seedDemoData } from "~/server/demo/seed.server";
import { publishedYear } from "~/server/services/publication.server";

useTestDatabase("demo-states");

beforeAll(async () => {
  await seedDemoData(getDb());
});

describe("demo review states", () => {
  it("has files in every state; truong.th1's file is a fresh draft", () => {
    const rows = getDb()
      .select({ status: assessments.status, n: count() })
      .from(assessments)
      .innerJoin(cycles, eq(cycles.id, assessments.cycleId))
      .where(eq(cycles.status, "open"))
      .groupBy(assessments.status)
      .all();
    const by = Object.fromEntries(rows.map((r) => [r.status, r.n]));
    for (const s of ["draft", "submitted", "returned", "approved", "assessed", "recognised"]) expect(by[s], s).toBeGreaterThan(0);
    const th1 = getDb().select({ id: users.schoolId }).from(users).where(eq(users.username, "truong.th1")).get()!.id!;
    const a = getDb()
      .select({ id: assessments.id, status: assessments.status, round: assessments.round })
      .from(assessments)
      .innerJoin(cycles, eq(cycles.id, assessments.cycleId))
      .where(and(eq(assessments.schoolId, th1), eq(cycles.status, "open")))
      .get()!;
    expect(a).toMatchObject({ status: "draft", round: 0 });
    expect(getDb().select({ n: count() }).from(answers).where(eq(answers.assessmentId, a.id)).get()!.n).toBe(0);
  });

  it("one returned with open requests, one resubmitted in round 2, one finished external with a reason", () => {
    const returned = getDb().select().from(assessments).innerJoin(schools, eq(schools.id, assessments.schoolId)).where(eq(assessments.status, "returned")).all();
    expect(returned.length).toBeGreaterThan(0);
    const open = getDb().select({ n: count() }).from(reviewComments).where(and(eq(reviewComments.assessmentId, returned[0].assessments.id), isNull(reviewComments.resolvedAt))).get()!.n;
    expect(open).toBe(3);
    expect(getDb().select().from(assessments).where(and(eq(assessments.status, "submitted"), eq(assessments.round, 2))).all().length).toBeGreaterThan(0);
    const assessed = getDb().select().from(assessments).where(eq(assessments.status, "assessed")).all();
    expect(assessed.some((x) => x.externalFinishedAt && (x.externalTeam as { members: unknown[] } | null)?.members.length === 3)).toBe(true);
    const phong = getDb().select({ id: users.id }).from(users).where(eq(users.username, "phong.demo")).get()!.id;
    const kinds = getDb().select({ kind: notifications.kind }).from(notifications).where(eq(notifications.userId, phong)).all().map((r) => r.kind);
    expect(kinds).toContain("resubmitted");
  });

  it("this year's recognised file has a certificate from a decision of the Sở", () => {
    const rec = getDb()
      .select({ id: assessments.id, level: assessments.recognisedLevel })
      .from(assessments)
      .innerJoin(cycles, eq(cycles.id, assessments.cycleId))
      .where(and(eq(cycles.status, "open"), eq(assessments.status, "recognised")))
      .all();
    expect(rec.length).toBe(1);
    const cert = getDb().select().from(certificates).innerJoin(recognitionDecisions, eq(recognitionDecisions.id, certificates.decisionId)).where(eq(certificates.assessmentId, rec[0].id)).get()!;
    expect(cert.recognition_decisions).toMatchObject({ number: "112/QĐ-SGDĐT", status: "issued" });
    expect(cert.certificates).toMatchObject({ level: rec[0].level, revokedAt: null });
  });
});

describe("the demo's previous school year", () => {
  it("is closed, every school recognised by a decision of its reviewing office, with one valid certificate each", () => {
    const closed = getDb().select().from(cycles).where(eq(cycles.status, "closed")).all();
    expect(closed).toHaveLength(1);
    const files = getDb().select().from(assessments).where(eq(assessments.cycleId, closed[0].id)).all();
    const schoolCount = getDb().select({ n: count() }).from(schools).get()!.n;
    expect(files).toHaveLength(schoolCount);
    for (const f of files) expect([f.schoolId, f.status, f.recognisedLevel != null]).toEqual([f.schoolId, "recognised", true]);
    const decisions = getDb().select().from(recognitionDecisions).where(eq(recognitionDecisions.schoolYear, closed[0].schoolYear)).all();
    expect(decisions.map((d) => [d.number, d.status, d.decidedOn]).sort()).toEqual([
      ["42/QĐ-PGDĐT", "issued", `${closed[0].schoolYear.slice(5)}-06-15`],
      ["85/QĐ-SGDĐT", "issued", `${closed[0].schoolYear.slice(5)}-06-15`],
    ]);
    const certs = getDb().select().from(certificates).where(eq(certificates.schoolYear, closed[0].schoolYear)).all();
    expect(certs).toHaveLength(schoolCount);
    expect(certs.every((c) => c.revokedAt == null)).toBe(true);
    // Each office's serials of a calendar year run 1..n over all its decisions (this year's too).
    const all = getDb().select().from(certificates).all();
    for (const key of new Set(all.map((c) => `${c.issuingUnitId}:${c.serialYear}`))) {
      const nos = all.filter((c) => `${c.issuingUnitId}:${c.serialYear}` === key).map((c) => c.serialNo).sort((x, y) => x - y);
      expect(nos).toEqual(Array.from({ length: nos.length }, (_, i) => i + 1));
    }
  });

  it("is published by the Sở, with varied levels, stored results for every file and its open data", () => {
    const closed = getDb().select().from(cycles).where(eq(cycles.status, "closed")).get()!;
    const pubs = getDb().$client.prepare("SELECT u.code AS code, p.school_year AS year, p.withdrawn_at AS w FROM publications p JOIN units u ON u.id = p.unit_id").all();
    expect(pubs).toEqual([{ code: "S99", year: closed.schoolYear, w: null }]);
    const open = publishedYear("S99", closed.schoolYear)!;
    const schoolCount = getDb().select({ n: count() }).from(schools).get()!.n;
    expect(open.summary.schools).toBe(schoolCount);
    // Varied answers: every level occurs, and group points differ from school to school.
    for (const l of ["1", "2", "3"] as const) expect(open.summary.levels[l], `level ${l}`).toBeGreaterThan(0);
    expect(new Set(open.schools.map((x) => x.groups["1"]!.points)).size).toBeGreaterThan(schoolCount / 2);
    expect(open.schools.every((x) => x.certificate?.verifyUrl.includes("/xac-minh/"))).toBe(true);
    const withRows = getDb().$client.prepare("SELECT count(DISTINCT r.assessment_id) AS n FROM assessment_results r JOIN assessments a ON a.id = r.assessment_id WHERE a.cycle_id = ? AND r.phase = 'external'").get(closed.id) as { n: number };
    expect(withRows.n).toBe(schoolCount);
  });
});
