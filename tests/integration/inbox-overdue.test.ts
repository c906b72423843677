/**
 * The reviewer's inbox (/ho-so) above its list (issue 8, item 1, first part): the open cycles of the
 * office's scope with their files by state, the days left to the review deadline, and the overdue
 * files, flagged in the rows and as a filter (?qua-han=1).
 */
import { beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { useTestDatabase } from "../helpers/db";
import { browserAs, run } from "../helpers/http";
import { getDb } from "~/server/db/client.server";
import { assessments } from "~/server/db/schema.server";
import { loadUser } from "~/server/auth/session.server";
import { createSchool, createUnit, createUser } from "~/server/services/org.server";
import { openCycle } from "~/server/services/cycles.server";
import { assessmentsVisibleTo, openCycleSummaries } from "~/server/services/cycles-view.server";
import * as inbox from "~/routes/ho-so._index";

useTestDatabase("inbox-overdue");

const pw = "mat-khau-kiem-thu";
const id: Record<string, number> = {};
/** 10/06/2092 in Hà Nội: after the self-assessment deadline (31/05), before the review deadline (20/06). */
const JUNE_10 = Date.parse("2092-06-10T03:00:00Z");
/** 22/06/2092: after both. */
const JUNE_22 = Date.parse("2092-06-22T03:00:00Z");

function set(schoolId: number, values: Partial<typeof assessments.$inferInsert>) {
  getDb().update(assessments).set(values).where(eq(assessments.schoolId, schoolId)).run();
}

beforeAll(async () => {
  id.P = createUnit({ kind: "province", code: "IB", name: "Sở Hộp Hồ Sơ", parentId: null }, null);
  id.Q = createUnit({ kind: "province", code: "IQ", name: "Sở Khác", parentId: null }, null);
  const mk = (code: string, name: string) => createSchool({ code, name, type: "TH", managingUnitId: id.P, reviewingUnitId: id.P }, null);
  id.draft = mk("IB-1", "Trường Đang Soạn");
  id.extended = mk("IB-2", "Trường Được Gia Hạn");
  id.submitted = mk("IB-3", "Trường Đã Gửi");
  id.returned = mk("IB-4", "Trường Bị Trả Lại");
  id.recognised = mk("IB-5", "Trường Đã Công Nhận");
  id.other = createSchool({ code: "IQ-1", name: "Trường Tỉnh Khác", type: "TH", managingUnitId: id.Q, reviewingUnitId: id.Q }, null);
  id.so = await createUser({ username: "ib.so", displayName: "Sở", password: pw, roles: ["office_admin", "office_reviewer"], unitId: id.P }, null);
  id.admin = await createUser({ username: "ib.admin", displayName: "Quản trị", password: pw, roles: ["system_admin"] }, null);
  id.qso = await createUser({ username: "iq.so", displayName: "Sở khác", password: pw, roles: ["office_reviewer"], unitId: id.Q }, null);
  for (const [unit, actor] of [[id.P, id.so], [id.Q, id.qso]] as const) {
    const r = openCycle({ ownerUnitId: unit, schoolYear: "2091-2092", editionId: "qd-4725-2022", selfAssessmentDeadline: "2092-05-31", reviewDeadline: "2092-06-20" }, actor);
    if (!r.ok) throw new Error(r.message);
  }
  set(id.extended, { deadlineOverride: "2092-06-15" });
  set(id.submitted, { status: "submitted", submittedAt: new Date(JUNE_10 - 86_400_000) });
  set(id.returned, { status: "returned" });
  set(id.recognised, { status: "recognised", recognisedLevel: 2 });
});

describe("the open cycles above the inbox", () => {
  it("counts the files by state, the days to the review deadline and the overdue ones", () => {
    const [c, ...more] = openCycleSummaries(loadUser(id.so)!, JUNE_10);
    expect(more).toEqual([]);
    expect(c).toMatchObject({ schoolYear: "2091-2092", unit: "Sở Hộp Hồ Sơ", reviewDeadline: "2092-06-20", selfDeadline: "2092-05-31", daysLeft: 10 });
    expect(c!.counts).toEqual({ draft: 2, submitted: 1, returned: 1, approved: 0, assessed: 0, recognised: 1, total: 5 });
    // On 10/06: the draft and the returned file are past 31/05; the extended one (15/06) and the submitted one (20/06) are not.
    expect(c!.overdue).toBe(2);
    const late = openCycleSummaries(loadUser(id.so)!, JUNE_22)[0]!;
    expect(late.daysLeft).toBe(-2);
    // On 22/06 the extension and the review deadline have passed too; a recognised file is never overdue.
    expect(late.overdue).toBe(4);
  });

  it("flags the overdue rows and filters them, within the user's scope only", () => {
    const user = loadUser(id.so)!;
    const all = assessmentsVisibleTo(user, {}, undefined, JUNE_10);
    expect(Object.fromEntries(all.rows.map((r) => [r.code, r.overdue]))).toEqual({ "IB-1": true, "IB-2": false, "IB-3": false, "IB-4": true, "IB-5": false });
    const only = assessmentsVisibleTo(user, { overdue: true }, undefined, JUNE_10);
    expect(only.total).toBe(2);
    expect(only.rows.map((r) => r.code).sort()).toEqual(["IB-1", "IB-4"]);
    expect(assessmentsVisibleTo(user, { overdue: true, status: "returned" }, undefined, JUNE_10).rows.map((r) => r.code)).toEqual(["IB-4"]);
    const other = openCycleSummaries(loadUser(id.qso)!, JUNE_10);
    expect(other.map((c) => c.counts.total)).toEqual([1]);
    // The system admin (no join with schools): both provinces, the same counts as each office sees.
    const all2 = openCycleSummaries(loadUser(id.admin)!, JUNE_10);
    expect(all2.map((c) => [c.unit, c.counts.total, c.overdue])).toEqual([
      ["Sở Hộp Hồ Sơ", 5, 2],
      ["Sở Khác", 1, 1],
    ]);
  });

  it("a closed cycle leaves the summary and flags nothing", () => {
    const c = getDb().$client;
    c.prepare("UPDATE cycles SET status = 'closed' WHERE owner_unit_id = ?").run(id.Q);
    try {
      expect(openCycleSummaries(loadUser(id.qso)!, JUNE_22)).toEqual([]);
      expect(assessmentsVisibleTo(loadUser(id.qso)!, { overdue: true }, undefined, JUNE_22).total).toBe(0);
    } finally {
      c.prepare("UPDATE cycles SET status = 'open' WHERE owner_unit_id = ?").run(id.Q);
    }
  });

  it("the unfiltered page sends the summaries; a filtered one (?qua-han=1) the list only; any other value is a 400", async () => {
    const b = await browserAs("ib.so");
    type Body = { cycles: { counts: { total: number } }[]; list: { total: number; rows: { overdue: boolean }[] } };
    const first = (await (await run(inbox.loader, b.get("/ho-so"))).json()) as Body;
    expect(first.cycles.map((c) => c.counts.total)).toEqual([5]);
    expect(first.list.total).toBe(5);
    const res = await run(inbox.loader, b.get("/ho-so?qua-han=1"));
    expect(res.status).toBe(200);
    const body = (await res.json()) as Body;
    expect(body.cycles).toEqual([]);
    // Today is long before 2092: nothing is overdue yet.
    expect(body.list.rows).toEqual([]);
    expect(((await (await run(inbox.loader, b.get("/ho-so?trang-thai=submitted"))).json()) as Body).cycles).toEqual([]);
    expect((await run(inbox.loader, b.get("/ho-so?qua-han=yes"))).status).toBe(400);
  });
});
