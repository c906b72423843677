/**
 * What each role sees first: who they are, where they stand, and what to do next. The sections
 * follow the user's roles (who they are); every link or button a section offers comes from the
 * policy (`offers`), the same question the linked page's loader asks.
 *
 * The school sees its current file's state and what comes next in that state: the office's open
 * requests while it is returned, the external level once the external assessment is finished. A
 * reviewer sees the files of the open cycles that wait for its office (submitted: to check, those
 * assigned to the reviewer first; approved: the external assessment in progress), in one query
 * over indexed columns (schools.reviewing_unit_id → assessments.school_id, or cycles →
 * assessments(cycle_id, status)).
 */
import { and, count, eq, inArray, sql } from "drizzle-orm";
import { externalVisibleToSchool, STATE_LABELS, type AssessmentState } from "~/domain/assessment-states";
import { isUnanswered } from "~/domain/review";
import { countRows, getDb } from "../db/client.server";
import { assessments, catalogueEditions, cycles, schools, units, users } from "../db/schema.server";
import type { CurrentUser } from "../auth/session.server";
import { can, canArea, has, isOffice, schoolScope, subtreeOf } from "../policy.server";
import { userScope } from "./org.server";
import { requestsOf } from "./review.server";

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
    /** Submitted files of the office's schools in open cycles (waiting for a check). */
    awaitingReview?: number;
    /** Of those, assigned to this reviewer, and assigned to nobody. */
    assignedToMe?: number;
    unassigned?: number;
    /** Approved files of the office's schools in open cycles: the external assessment in progress. */
    externalInProgress?: number;
    externalMine?: number;
    openCycles?: number;
  };
  assessment: {
    id: number;
    schoolYear: string;
    status: AssessmentState;
    statusLabel: string;
    /** What happens next in this state (STATE_LABELS). */
    next: string;
    deadline: string;
    /** The office's requests still open, and those of them the school has not answered. */
    openRequests: number;
    unansweredRequests: number;
    /** The external level once the external assessment is finished (assessed, recognised), else null. */
    externalLevel: number | null;
    /** The recognised level (recognised only). */
    recognisedLevel: number | null;
  } | null;
  /** Links and steps offered, each a policy answer. */
  offers: {
    /** Open the school's current assessment (/danh-gia/:id). */
    openAssessment: boolean;
    /** Submit it (the head's steps). */
    submit: boolean;
    /** The list of schools' assessments (/ho-so). */
    reviewList: boolean;
    /** The office's requests on the file (/danh-gia/:id/yeu-cau), while it is returned. */
    requests: boolean;
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
    offers: { openAssessment: false, submit: false, reviewList: canArea(user, "assessment.list"), requests: false },
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
      const me = user.id;
      const w = db
        .select({
          submitted: sql<number>`coalesce(sum(${assessments.status} = 'submitted'), 0)`,
          mine: sql<number>`coalesce(sum(${assessments.status} = 'submitted' and ${assessments.reviewerId} = ${me}), 0)`,
          unassigned: sql<number>`coalesce(sum(${assessments.status} = 'submitted' and ${assessments.reviewerId} is null), 0)`,
          external: sql<number>`coalesce(sum(${assessments.status} = 'approved'), 0)`,
          externalMine: sql<number>`coalesce(sum(${assessments.status} = 'approved' and ${assessments.reviewerId} = ${me}), 0)`,
        })
        .from(assessments)
        .innerJoin(schools, eq(assessments.schoolId, schools.id))
        .innerJoin(cycles, eq(assessments.cycleId, cycles.id))
        .where(and(eq(schools.reviewingUnitId, user.unitId), inArray(assessments.status, ["submitted", "approved"]), eq(cycles.status, "open")))
        .get();
      data.counts.awaitingReview = Number(w?.submitted ?? 0);
      data.counts.assignedToMe = Number(w?.mine ?? 0);
      data.counts.unassigned = Number(w?.unassigned ?? 0);
      data.counts.externalInProgress = Number(w?.external ?? 0);
      data.counts.externalMine = Number(w?.externalMine ?? 0);
    }
  }
  if (user.schoolId != null) {
    const school = db.select({ name: schools.name, code: schools.code }).from(schools).where(eq(schools.id, user.schoolId)).get();
    data.schoolName = school?.name ?? null;
    data.schoolCode = school?.code ?? null;
    const latest = db
      .select({
        id: assessments.id,
        schoolYear: cycles.schoolYear,
        status: assessments.status,
        deadline: cycles.selfAssessmentDeadline,
        override: assessments.deadlineOverride,
        externalLevel: assessments.externalLevel,
        recognisedLevel: assessments.recognisedLevel,
      })
      .from(assessments)
      .innerJoin(cycles, eq(assessments.cycleId, cycles.id))
      .where(eq(assessments.schoolId, user.schoolId))
      .orderBy(cycles.schoolYear)
      .all()
      .at(-1);
    const own = { kind: "school" as const, schoolId: user.schoolId };
    const reads = can(user, "school.read", own);
    if (latest) {
      const status = latest.status as AssessmentState;
      const open = reads ? requestsOf(latest.id).filter((r) => r.resolvedAt == null) : [];
      const finished = externalVisibleToSchool(status);
      data.assessment = {
        id: latest.id,
        schoolYear: latest.schoolYear,
        status,
        statusLabel: STATE_LABELS[status].vi,
        next: STATE_LABELS[status].next,
        deadline: latest.override ?? latest.deadline,
        openRequests: open.length,
        unansweredRequests: open.filter(isUnanswered).length,
        externalLevel: finished ? latest.externalLevel : null,
        recognisedLevel: status === "recognised" ? latest.recognisedLevel : null,
      };
    }
    data.offers.openAssessment = !!latest && reads;
    data.offers.requests = !!latest && reads && latest.status === "returned";
    data.offers.submit = can(user, "assessment.submit", own);
  }
  return data;
}
