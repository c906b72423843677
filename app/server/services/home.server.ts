/**
 * What each role sees first: who they are, where they stand, and what to do next. The sections
 * follow the user's roles (who they are); every link or button a section offers comes from the
 * policy (`offers`), the same question the linked page's loader asks.
 */
import { and, count, eq } from "drizzle-orm";
import { countRows, getDb } from "../db/client.server";
import { assessments, catalogueEditions, cycles, schools, units, users } from "../db/schema.server";
import type { CurrentUser } from "../auth/session.server";
import { can, canArea, has, isOffice, schoolScope, subtreeOf } from "../policy.server";
import { userScope } from "./org.server";

export type HomeRole = "system_admin" | "office_admin" | "office_reviewer" | "school";

export interface HomeData {
  roles: HomeRole[];
  unitName: string | null;
  schoolName: string | null;
  schoolCode: string | null;
  counts: {
    units?: number;
    schools?: number;
    users?: number;
    publishedEditions?: number;
    draftEditions?: number;
    assignedSchools?: number;
    awaitingReview?: number;
    openCycles?: number;
  };
  assessment: { id: number; schoolYear: string; status: string; deadline: string } | null;
  /** Links and steps offered, each a policy answer. */
  offers: {
    /** Open the school's current assessment (/danh-gia/:id). */
    openAssessment: boolean;
    /** Submit it (the head's steps). */
    submit: boolean;
    /** The list of schools' assessments (/ho-so). */
    reviewList: boolean;
  };
}

export function homeFor(user: CurrentUser): HomeData {
  const db = getDb();
  const roles: HomeRole[] = [];
  if (has(user, "system_admin")) roles.push("system_admin");
  if (has(user, "office_admin")) roles.push("office_admin");
  if (has(user, "office_reviewer")) roles.push("office_reviewer");
  if (has(user, "school_head") || has(user, "school_staff")) roles.push("school");

  const data: HomeData = {
    roles,
    unitName: null,
    schoolName: null,
    schoolCode: null,
    counts: {},
    assessment: null,
    offers: { openAssessment: false, submit: false, reviewList: canArea(user, "assessment.list") },
  };

  if (has(user, "system_admin")) {
    data.counts.units = countRows(units);
    data.counts.schools = countRows(schools);
    data.counts.users = countRows(users);
    data.counts.publishedEditions = countRows(catalogueEditions, eq(catalogueEditions.status, "published"));
    data.counts.draftEditions = countRows(catalogueEditions, eq(catalogueEditions.status, "draft"));
  }
  if (isOffice(user) && user.unitId != null) {
    const unit = db.select({ name: units.name }).from(units).where(eq(units.id, user.unitId)).get();
    data.unitName = unit?.name ?? null;
    const subtree = [...subtreeOf(user)];
    if (has(user, "office_admin")) {
      data.counts.units = subtree.length - 1;
      data.counts.schools = db.select({ n: count() }).from(schools).where(schoolScope(user)).get()?.n ?? 0;
      data.counts.users = countRows(users, userScope(user));
      data.counts.openCycles = countRows(cycles, and(eq(cycles.ownerUnitId, user.unitId), eq(cycles.status, "open")));
    }
    if (has(user, "office_reviewer")) {
      data.counts.assignedSchools = countRows(schools, eq(schools.reviewingUnitId, user.unitId));
      data.counts.awaitingReview =
        db
          .select({ n: count() })
          .from(assessments)
          .innerJoin(schools, eq(assessments.schoolId, schools.id))
          .where(and(eq(schools.reviewingUnitId, user.unitId), eq(assessments.status, "submitted")))
          .get()?.n ?? 0;
    }
  }
  if (user.schoolId != null) {
    const school = db.select({ name: schools.name, code: schools.code }).from(schools).where(eq(schools.id, user.schoolId)).get();
    data.schoolName = school?.name ?? null;
    data.schoolCode = school?.code ?? null;
    const latest = db
      .select({ id: assessments.id, schoolYear: cycles.schoolYear, status: assessments.status, deadline: cycles.selfAssessmentDeadline, override: assessments.deadlineOverride })
      .from(assessments)
      .innerJoin(cycles, eq(assessments.cycleId, cycles.id))
      .where(eq(assessments.schoolId, user.schoolId))
      .orderBy(cycles.schoolYear)
      .all()
      .at(-1);
    if (latest) data.assessment = { id: latest.id, schoolYear: latest.schoolYear, status: latest.status, deadline: latest.override ?? latest.deadline };
    const own = { kind: "school" as const, schoolId: user.schoolId };
    data.offers.openAssessment = !!latest && can(user, "school.read", own);
    data.offers.submit = can(user, "assessment.submit", own);
  }
  return data;
}
