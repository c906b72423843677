/**
 * The demo's finished previous school year: every demo school self-assessed, was approved and
 * assessed externally, and was recognised by a decision of its reviewing office (the Sở or the
 * Phòng) with a certificate; then the cycle was closed. All through the real services, with the
 * clock set to that year's dates, so verification, certificates, the school's history and
 * everything built on results work at first start.
 */
import { and, eq } from "drizzle-orm";
import type { Edition } from "~/domain/catalogue";
import type { Db } from "../db/client.server";
import { assessments, userRoles, users } from "../db/schema.server";
import { saveAnswers, submitAssessment } from "../services/assessments.server";
import { defaultDeadlines, openCycle, closeCycle } from "../services/cycles.server";
import { createUser } from "../services/org.server";
import { publish } from "../services/publication.server";
import { changeDecisionFiles, createDecision, eligibleIds, issueDecision, updateDecision } from "../services/recognition.server";
import { approve, finishExternal, keepSelf, setTeam } from "../services/review.server";
import { demoHeadName, fullAnswers, prng, type DemoSchool } from "./review-states.server";

export interface DemoOffice {
  unitId: number;
  /** The office user who reviews and issues. */
  actor: number;
  number: string;
  signerName: string;
  signerTitle: string;
}

/** The school year before "2026-2027": "2025-2026". */
export function previousSchoolYear(year: string): string {
  const [a, b] = year.split("-").map(Number);
  return `${a - 1}-${b - 1}`;
}

const at = (iso: string) => Date.parse(`${iso}T03:00:00Z`);

function headOf(db: Db, school: DemoSchool, password: string): Promise<number> | number {
  const h = db
    .select({ id: users.id })
    .from(users)
    .innerJoin(userRoles, eq(userRoles.userId, users.id))
    .where(and(eq(users.schoolId, school.id), eq(userRoles.role, "school_head")))
    .get();
  if (h) return h.id;
  return createUser({ username: `ht.${school.code}`, displayName: demoHeadName(school.code), password, roles: ["school_head"], schoolId: school.id }, null, db);
}

/**
 * Issues a decision of `office` for the given files (already "assessed") on `decidedOn`, acting at
 * `now`. Returns the decision id.
 */
export function recogniseByDecision(db: Db, office: DemoOffice, schoolYear: string, files: number[], decidedOn: string, place: string, now: number): number {
  const c = createDecision(office.unitId, schoolYear, office.actor, now, db);
  if (!c.ok) throw new Error(`demo decision: ${c.message}`);
  const up = updateDecision(c.id, { number: office.number, decidedOn, place, signerName: office.signerName, signerTitle: office.signerTitle }, office.actor, 1, now, db);
  if (!up.ok) throw new Error(`demo decision: ${up.message}`);
  const add = changeDecisionFiles(c.id, { add: files }, office.actor, now, db);
  if (!add.ok) throw new Error(`demo decision: ${add.message}`);
  const r = issueDecision(c.id, office.actor, add.version, now, db);
  if (!r.ok) throw new Error(`demo decision: ${r.message}`);
  return c.id;
}

export async function seedPreviousYear(
  db: Db,
  opts: { ownerUnitId: number; ownerActor: number; schoolYear: string; edition: Edition; schools: (DemoSchool & { reviewingUnitId: number })[]; offices: DemoOffice[]; place: string; password: string },
): Promise<{ cycleId: number; decisions: number[] }> {
  const d = defaultDeadlines(opts.schoolYear);
  const startYear = Number(opts.schoolYear.slice(0, 4));
  const opened = openCycle({ ownerUnitId: opts.ownerUnitId, schoolYear: opts.schoolYear, editionId: opts.edition.id, selfAssessmentDeadline: d.self, reviewDeadline: d.review }, opts.ownerActor, db, at(`${startYear}-10-01`));
  if (!opened.ok) throw new Error(`demo previous year: ${opened.message}`);
  const r = prng(2025);
  const endYear = startYear + 1;
  let t = at(`${endYear}-04-10`);
  const tick = () => (t += 7 * 60 * 1000);
  const reviewerOf = new Map(opts.offices.map((o) => [o.unitId, o.actor]));
  for (const [i, school] of opts.schools.entries()) {
    const a = db.select().from(assessments).where(and(eq(assessments.cycleId, opened.cycleId), eq(assessments.schoolId, school.id))).get();
    if (!a) continue;
    const head = await headOf(db, school, opts.password);
    const reviewer = reviewerOf.get(school.reviewingUnitId);
    if (!reviewer) continue;
    const answers = fullAnswers(opts.edition, r);
    const changes = Object.fromEntries(Object.entries(answers).map(([c, value]) => [c, { value: value as never }]));
    saveAnswers(a.id, { baseVersion: a.version, changes }, head, tick(), db);
    submitAssessment(a.id, head, tick(), db);
    approve(a.id, reviewer, {}, at(`${endYear}-06-05`) + i * 60_000, db);
    if (i % 4 === 3) {
      // Some files: the team changes an item, with its reason.
      const v = db.select({ v: assessments.version }).from(assessments).where(eq(assessments.id, a.id)).get()!.v;
      saveAnswers(a.id, { baseVersion: v, changes: { "2.1": { value: false, note: "Chưa có quyết định thành lập tổ chuyển đổi số tại thời điểm đánh giá." } }, phase: "external" }, reviewer, at(`${endYear}-06-08`) + i * 60_000, db);
      setTeam(a.id, { date: `${endYear}-06-08`, number: `${String(i + 1).padStart(2, "0")}/BB-ĐGN`, conclusion: null, members: [{ name: "Trần Văn Đức", title: "Chuyên viên", role: "truong_doan" }] }, reviewer, {}, at(`${endYear}-06-08`) + i * 60_000, db);
      finishExternal(a.id, reviewer, {}, at(`${endYear}-06-09`) + i * 60_000, db);
    } else keepSelf([a.id], reviewer, at(`${endYear}-06-09`) + i * 60_000, db);
  }
  const decided = `${endYear}-06-15`;
  const decisions = opts.offices.map((o) => recogniseByDecision(db, o, opts.schoolYear, eligibleIds(o.unitId, opts.schoolYear, {}, undefined, db), decided, opts.place, at(decided)));
  // The Sở publishes (công bố) the year's recognised results before the cycle closes.
  const published = publish(opts.ownerUnitId, opts.schoolYear, opts.ownerActor, at(`${endYear}-06-25`), db);
  if (!published.ok) throw new Error(`demo previous year: ${published.message}`);
  closeCycle(opened.cycleId, opts.ownerActor, at(`${endYear}-08-01`), db);
  return { cycleId: opened.cycleId, decisions };
}
