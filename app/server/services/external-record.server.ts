/**
 * Assembles the data of the external assessment record (biên bản đánh giá ngoài) from the
 * database: the school and its units, the reviewing office and the body above it, the team
 * (teamOf), both phases scored by the engine (bothPhases), the reviewer's notes as the reasons of
 * the changes, the head's name. Points and levels are the engine's results, copied; nothing is
 * re-derived here. The result is plain JSON and the same for the same data (it is the document
 * cache's key). Authorization is the caller's (the route asks the policy first).
 */
import { and, asc, eq } from "drizzle-orm";
import type { AssessmentState } from "~/domain/assessment-states";
import type { Answers, AnswerValue, ItemScore } from "~/domain/scoring";
import { TEAM_ROLES, type TeamMember } from "~/domain/review";
import { localDateOf } from "~/utils/time";
import { getDb, type Db } from "../db/client.server";
import { schools, units, userRoles, users } from "../db/schema.server";
import type { ExternalRecordData, ExternalRecordGroup, ExternalRecordItem, ExternalRecordMark } from "../pdf/external-record.server";
import { getAssessment } from "./assessments.server";
import { placeFromProvince, personName } from "./report.server";
import { bothPhases, reviewColumnsOf } from "./review.server";

/** States in which the record exists: approved (a draft), assessed and recognised. */
export const RECORD_STATES: readonly AssessmentState[] = ["approved", "assessed", "recognised"];

interface UnitRow {
  id: number;
  kind: string;
  name: string;
  depth: number;
}

/** The unit and its ancestors, nearest first. */
function ancestry(unitId: number, db: Db): UnitRow[] {
  return db.$client
    .prepare(
      `WITH RECURSIVE up(id, kind, name, parent_id, depth) AS (
         SELECT id, kind, name, parent_id, 0 FROM units WHERE id = ?
         UNION ALL SELECT u.id, u.kind, u.name, u.parent_id, up.depth + 1 FROM units u JOIN up ON u.id = up.parent_id WHERE up.depth < 16)
       SELECT id, kind, name, depth FROM up ORDER BY depth`,
    )
    .all(unitId) as UnitRow[];
}

/** A local date (yyyy-mm-dd) as noon of that day in Hà Nội (epoch ms). */
const noonOf = (isoDate: string) => Date.parse(`${isoDate}T12:00:00+07:00`);

const same = (x: unknown, y: unknown) => JSON.stringify(x ?? null) === JSON.stringify(y ?? null);

function markOf(s: ItemScore | undefined): ExternalRecordMark {
  if (!s) return { answered: false, points: 0, met: null };
  return { answered: s.answered, points: s.points, met: s.met ?? null };
}

/**
 * The record's data, or null when the assessment does not exist. `now`: the day the record is
 * made when the team has no date yet (the route passes noon of the local day, so the data stays
 * the same all day).
 */
export function buildExternalRecordData(assessmentId: number, now = Date.now(), db: Db = getDb()): ExternalRecordData | null {
  const a = getAssessment(assessmentId, db);
  if (!a) return null;
  const cols = reviewColumnsOf(a.id, db);
  if (!cols) return null;
  const team = cols.team;

  const school = db
    .select({ managingUnitId: schools.managingUnitId, reviewingUnitId: schools.reviewingUnitId })
    .from(schools)
    .where(eq(schools.id, a.schoolId))
    .get()!;
  const managing = db.select({ name: units.name }).from(units).where(eq(units.id, school.managingUnitId)).get();
  const up = ancestry(school.reviewingUnitId, db);
  const reviewing = up[0];
  const parent = up[1] ?? null;
  const province = up.find((u) => u.kind === "province") ?? ancestry(school.managingUnitId, db).find((u) => u.kind === "province") ?? null;

  const { edition, self, external, selfResult, externalResult } = bothPhases(a, db);
  const selfItems = new Map(selfResult.items.map((i) => [i.code, i]));
  const extItems = new Map(externalResult.items.map((i) => [i.code, i]));
  const selfInd = new Map(selfResult.indicators.map((i) => [i.code, i]));
  const extInd = new Map(externalResult.indicators.map((i) => [i.code, i]));
  const selfGrp = new Map(selfResult.groups.map((g) => [g.code, g]));
  const extGrp = new Map(externalResult.groups.map((g) => [g.code, g]));
  const selfAnswers = self.answers as Answers;
  const extAnswers = external.answers as Answers;
  const changedOf = (code: string) => !same(selfAnswers[code] as AnswerValue | undefined, extAnswers[code] as AnswerValue | undefined);
  const reasonOf = (code: string) => {
    const n = (external.notes[code] ?? "").trim();
    return n ? n : null;
  };

  let changedCount = 0;
  const groups: ExternalRecordGroup[] = edition.groups.map((g) => {
    const gs = selfGrp.get(g.code)!;
    const ge = extGrp.get(g.code)!;
    return {
      code: g.code,
      title: g.title,
      self: { points: gs.points, max: gs.max, level: gs.level, levelName: gs.levelName, mandatoryUnmet: gs.mandatoryUnmet },
      external: { points: ge.points, max: ge.max, level: ge.level, levelName: ge.levelName, mandatoryUnmet: ge.mandatoryUnmet },
      indicators: g.indicators.map((ind) => {
        const items: ExternalRecordItem[] = ind.items.map((it) => {
          const changed = changedOf(it.code);
          if (changed) changedCount++;
          return {
            code: it.code,
            text: it.text,
            rule: it.rule,
            max: it.rule === "mandatory" ? 0 : (selfItems.get(it.code)?.max ?? 0),
            self: markOf(selfItems.get(it.code)),
            external: markOf(extItems.get(it.code)),
            changed,
            reason: changed ? reasonOf(it.code) : null,
          };
        });
        // An information block (1.3.lms) carries no points: listed only when the office changed it.
        for (const info of ind.info ?? []) {
          if (!changedOf(info.key)) continue;
          changedCount++;
          const none: ExternalRecordMark = { answered: false, points: 0, met: null };
          items.push({ code: info.key, text: info.title, rule: "info", max: 0, self: none, external: none, changed: true, reason: reasonOf(info.key) });
        }
        const si = selfInd.get(ind.code);
        const ei = extInd.get(ind.code);
        return {
          code: ind.code,
          title: ind.title,
          scored: si?.scored ?? ind.max > 0,
          max: si?.max ?? 0,
          self: { points: si?.points ?? 0, allMet: ind.items.every((it) => selfItems.get(it.code)?.met === true) },
          external: { points: ei?.points ?? 0, allMet: ind.items.every((it) => extItems.get(it.code)?.met === true) },
          items,
        };
      }),
    };
  });

  const head = db
    .select({ name: users.displayName })
    .from(users)
    .innerJoin(userRoles, eq(userRoles.userId, users.id))
    .where(and(eq(users.schoolId, a.schoolId), eq(userRoles.role, "school_head"), eq(users.active, true)))
    .orderBy(asc(users.id))
    .get();

  // The leader first, then the members, then the secretary; the stored order within a role.
  const rank = (m: TeamMember) => TEAM_ROLES.indexOf(m.role);
  const members = team.members
    .map((m, i) => ({ m, i }))
    .sort((x, y) => rank(x.m) - rank(y.m) || x.i - y.i)
    .map(({ m }) => ({ name: m.name, title: m.title ?? "", role: m.role }));

  const teamDate = team.date ? noonOf(team.date) : null;
  return {
    assessmentId: a.id,
    status: a.status,
    draft: a.status === "approved",
    school: { name: a.schoolName, code: a.schoolCode, type: a.schoolType },
    managingUnitName: managing?.name ?? "",
    reviewingUnitName: reviewing?.name ?? "",
    reviewingParentName: parent?.name ?? "",
    placeName: province ? placeFromProvince(province.name) : placeFromProvince(reviewing?.name ?? ""),
    schoolYear: a.schoolYear,
    documentNumber: team.number ?? null,
    recordDate: teamDate ?? noonOf(localDateOf(now)),
    teamDate,
    members,
    conclusion: team.conclusion ?? null,
    headName: head?.name ? personName(head.name) : null,
    groups,
    self: { level: selfResult.level, levelName: selfResult.levelName },
    external: { level: externalResult.level, levelName: externalResult.levelName },
    changedCount,
  };
}
