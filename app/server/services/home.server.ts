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
 *
 * The school's side of recognition: the home shows the latest file's certificate (its level, the
 * decision, the public PDF and verification links) while it is valid, and says it was revoked
 * (date, reason) when the file's latest certificate is revoked: a revoked certificate is never
 * shown as valid. `certificateHistory` is the school's certificates over the years (/danh-gia).
 */
import { and, count, desc, eq, inArray, sql } from "drizzle-orm";
import { levelTitle } from "~/domain/recognition";
import { localDateOf } from "~/utils/time";
import { externalVisibleToSchool, STATE_LABELS, type AssessmentState } from "~/domain/assessment-states";
import { isUnanswered } from "~/domain/review";
import { countRows, getDb } from "../db/client.server";
import { assessments, catalogueEditions, certificates, cycles, recognitionDecisions, schools, units, users } from "../db/schema.server";
import type { CurrentUser } from "../auth/session.server";
import { can, canArea, has, isOffice, schoolScope, subtreeOf } from "../policy.server";
import { userScope } from "./org.server";
import { requestsOf } from "./review.server";
import { getEdition } from "./catalogue.server";
import { certificatesOfSchool } from "./recognition.server";

/** A certificate as the school sees it (its own; the links are public by token). */
export interface SchoolCertificate {
  serial: string;
  token: string;
  level: number;
  /** "Mức 2 – Mức đáp ứng cơ bản" from the edition's group-level names. */
  levelTitle: string;
  decisionNumber: string;
  /** The decision's local date YYYY-MM-DD. */
  decidedOn: string;
  /** Local date YYYY-MM-DD of the revocation, or null while valid. */
  revokedOn: string | null;
  revokeReason: string | null;
}

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
    /**
     * The file's latest certificate: valid (revokedOn null) only while the file is recognised; a
     * revoked one is given with its date and reason, never as valid. Null when there is none.
     */
    certificate: SchoolCertificate | null;
  } | null;
  /** The school's other files in open cycles (an earlier year still under review), newest first. */
  earlier?: { id: number; schoolYear: string; status: AssessmentState; statusLabel: string; next: string }[];
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
    /** The school's results over the years and against published averages (/truong/:id/ket-qua). */
    results: string | null;
    /** The results dashboard of the office (/thong-ke). */
    stats: boolean;
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
    offers: { openAssessment: false, submit: false, reviewList: canArea(user, "assessment.list"), requests: false, results: null, stats: canArea(user, "results.stats") },
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
    const files = db
      .select({
        id: assessments.id,
        schoolYear: cycles.schoolYear,
        cycleStatus: cycles.status,
        status: assessments.status,
        deadline: cycles.selfAssessmentDeadline,
        override: assessments.deadlineOverride,
        externalLevel: assessments.externalLevel,
        recognisedLevel: assessments.recognisedLevel,
        editionId: cycles.editionId,
      })
      .from(assessments)
      .innerJoin(cycles, eq(assessments.cycleId, cycles.id))
      .where(eq(assessments.schoolId, user.schoolId))
      .orderBy(cycles.schoolYear)
      .all();
    const latest = files.at(-1);
    // A new year does not bury the old one: the other files of open cycles, newest first, each with its state.
    data.earlier = files
      .slice(0, -1)
      .filter((f) => f.cycleStatus === "open")
      .reverse()
      .map((f) => {
        const st = f.status as AssessmentState;
        return { id: f.id, schoolYear: f.schoolYear, status: st, statusLabel: STATE_LABELS[st].vi, next: STATE_LABELS[st].next };
      });
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
        certificate: latestCertificate(latest.id, latest.editionId, status),
      };
    }
    data.offers.openAssessment = !!latest && reads;
    data.offers.requests = !!latest && reads && latest.status === "returned";
    data.offers.submit = can(user, "assessment.submit", own);
    data.offers.results = reads ? `/truong/${user.schoolId}/ket-qua` : null;
  }
  return data;
}

const levelTitleIn = (editionId: string, level: number) => levelTitle(level, getEdition(editionId)?.edition.groupLevels ?? []);

/** The file's latest certificate: shown valid only while the file is recognised; a revoked one with its date and reason. */
function latestCertificate(assessmentId: number, editionId: string, status: AssessmentState): SchoolCertificate | null {
  const c = getDb()
    .select({
      serial: certificates.serial,
      token: certificates.token,
      level: certificates.level,
      revokedAt: certificates.revokedAt,
      revokeReason: certificates.revokeReason,
      decisionNumber: recognitionDecisions.number,
      decidedOn: recognitionDecisions.decidedOn,
    })
    .from(certificates)
    .innerJoin(recognitionDecisions, eq(certificates.decisionId, recognitionDecisions.id))
    .where(eq(certificates.assessmentId, assessmentId))
    .orderBy(desc(certificates.id))
    .limit(1)
    .get();
  if (!c) return null;
  const revoked = c.revokedAt != null;
  if (!revoked && status !== "recognised") return null;
  return {
    serial: c.serial,
    token: c.token,
    level: c.level,
    levelTitle: levelTitleIn(editionId, c.level),
    decisionNumber: c.decisionNumber ?? "",
    decidedOn: c.decidedOn ?? "",
    revokedOn: revoked ? localDateOf(c.revokedAt!) : null,
    revokeReason: revoked ? (c.revokeReason ?? "") : null,
  };
}

export interface CertificateHistoryRow extends SchoolCertificate {
  id: number;
  schoolYear: string;
  issuingOffice: string;
}

/** A school's certificates over the years, newest first, revoked ones marked (the school's list, /danh-gia). */
export function certificateHistory(schoolId: number): CertificateHistoryRow[] {
  const rows = certificatesOfSchool(schoolId);
  if (!rows.length) return [];
  const editionOf = new Map(
    getDb()
      .select({ id: certificates.id, editionId: cycles.editionId })
      .from(certificates)
      .innerJoin(assessments, eq(certificates.assessmentId, assessments.id))
      .innerJoin(cycles, eq(assessments.cycleId, cycles.id))
      .where(eq(certificates.schoolId, schoolId))
      .all()
      .map((r) => [r.id, r.editionId]),
  );
  return rows.map((c) => {
    const revoked = c.revokedAt != null;
    const editionId = editionOf.get(c.id);
    return {
      id: c.id,
      schoolYear: c.schoolYear,
      issuingOffice: c.issuingOffice,
      serial: c.serial,
      token: c.token,
      level: c.level,
      levelTitle: editionId ? levelTitleIn(editionId, c.level) : levelTitle(c.level, []),
      decisionNumber: c.decisionNumber ?? "",
      decidedOn: c.decidedOn ?? "",
      revokedOn: revoked ? localDateOf(c.revokedAt!) : null,
      revokeReason: revoked ? (c.revokeReason ?? "") : null,
    };
  });
}
