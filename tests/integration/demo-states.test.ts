/** The demo opens with files in every state of the review, made through the real services. */
import { beforeAll, describe, expect, it } from "vitest";
import { and, count, eq, isNull } from "drizzle-orm";
import { useTestDatabase } from "../helpers/db";
import { getDb } from "~/server/db/client.server";
import { answers, assessments, notifications, reviewComments, schools, users } from "~/server/db/schema.server";
import { seedDemoData } from "~/server/demo/seed.server";

useTestDatabase("demo-states");

beforeAll(async () => {
  await seedDemoData(getDb());
});

describe("demo review states", () => {
  it("has files in every state; truong.th1's file is a fresh draft", () => {
    const rows = getDb().select({ status: assessments.status, n: count() }).from(assessments).groupBy(assessments.status).all();
    const by = Object.fromEntries(rows.map((r) => [r.status, r.n]));
    for (const s of ["draft", "submitted", "returned", "approved", "assessed", "recognised"]) expect(by[s], s).toBeGreaterThan(0);
    const th1 = getDb().select({ id: users.schoolId }).from(users).where(eq(users.username, "truong.th1")).get()!.id!;
    const a = getDb().select().from(assessments).where(eq(assessments.schoolId, th1)).get()!;
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
});
