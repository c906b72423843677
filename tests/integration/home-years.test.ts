/**
 * A new year does not bury the old one (issue 11, 1): when an office opens a school year while the
 * previous one is still under review, the school's home shows the new file and, below it, the
 * earlier one with its state and next step. A closed cycle's file is history, not listed.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { useTestDatabase } from "../helpers/db";
import { getDb } from "~/server/db/client.server";
import { assessments, cycles } from "~/server/db/schema.server";
import { loadUser } from "~/server/auth/session.server";
import { createSchool, createUnit, createUser } from "~/server/services/org.server";
import { closeCycle, openCycle } from "~/server/services/cycles.server";
import { saveAnswers, submitAssessment } from "~/server/services/assessments.server";
import { homeFor } from "~/server/services/home.server";
import { STATE_LABELS } from "~/domain/assessment-states";

useTestDatabase("home-years");
const id: Record<string, number> = {};

beforeAll(async () => {
  id.P = createUnit({ kind: "province", code: "HY", name: "Sở Hai Năm", parentId: null }, null);
  id.s = createSchool({ code: "HY-1", name: "Trường Hai Năm", type: "TH", managingUnitId: id.P, reviewingUnitId: id.P }, null);
  id.admin = await createUser({ username: "hy.admin", displayName: "Quản Trị", password: "mat-khau-kiem-thu", roles: ["office_admin", "office_reviewer"], unitId: id.P }, null);
  id.head = await createUser({ username: "hy.head", displayName: "Hiệu Trưởng", password: "mat-khau-kiem-thu", roles: ["school_head"], schoolId: id.s }, null);
  const old = openCycle({ ownerUnitId: id.P, schoolYear: "2097-2098", editionId: "qd-4725-2022", selfAssessmentDeadline: "2099-05-31", reviewDeadline: "2099-06-20" }, id.admin);
  if (!old.ok) throw new Error(old.message);
  id.oldCycle = old.cycleId;
  const a = getDb().select().from(assessments).where(and(eq(assessments.cycleId, old.cycleId), eq(assessments.schoolId, id.s))).get()!;
  id.old = a.id;
  expect(saveAnswers(a.id, { baseVersion: a.version, changes: { "1.1": { value: true } } }, id.head)).toMatchObject({ ok: true });
  expect(submitAssessment(a.id, id.head)).toMatchObject({ ok: true });
  const fresh = openCycle({ ownerUnitId: id.P, schoolYear: "2098-2099", editionId: "qd-4725-2022", selfAssessmentDeadline: "2099-05-31", reviewDeadline: "2099-06-20" }, id.admin);
  if (!fresh.ok) throw new Error(fresh.message);
  id.new = getDb().select().from(assessments).where(and(eq(assessments.cycleId, fresh.cycleId), eq(assessments.schoolId, id.s))).get()!.id;
});

describe("two open school years", () => {
  it("the home shows the new year's file and the earlier one still under review, each with its state and next step", () => {
    const h = homeFor(loadUser(id.head)!);
    expect(h.assessment).toMatchObject({ id: id.new, schoolYear: "2098-2099", status: "draft" });
    expect(h.earlier).toEqual([{ id: id.old, schoolYear: "2097-2098", status: "submitted", statusLabel: STATE_LABELS.submitted.vi, next: STATE_LABELS.submitted.next }]);
  });

  it("once the earlier cycle is closed it is history: not listed", () => {
    expect(closeCycle(id.oldCycle, id.admin)).toBe(true);
    expect(getDb().select().from(cycles).where(eq(cycles.id, id.oldCycle)).get()!.status).toBe("closed");
    expect(homeFor(loadUser(id.head)!).earlier).toEqual([]);
    expect(closeCycle(id.oldCycle, id.admin)).toBe(false);
  });
});
