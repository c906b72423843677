/**
 * Opening a cycle (cycles.server): one draft assessment (version 1) per active school managed or
 * reviewed in the owner's subtree, one audit entry with the counts, a second open refused; the
 * yielding variant (the route's) commits in slices and lets other work run between them, and an
 * open interrupted by a dead process is resumed, not refused and not duplicated.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { and, count, eq } from "drizzle-orm";
import { useTestDatabase } from "../helpers/db";
import { browserAs, run } from "../helpers/http";
import { getDb } from "~/server/db/client.server";
import { assessments, auditLog, cycles, leases, schools } from "~/server/db/schema.server";
import { createSchool, createUnit, createUser, updateSchool } from "~/server/services/org.server";
import { OPEN_CHUNK, openCycle, openCycleYielding, type OpenCycleInput } from "~/server/services/cycles.server";
import { foldVietnamese } from "~/utils/text";
import * as cyclesRoute from "~/routes/quan-tri.dot-danh-gia._index";

useTestDatabase("cycle-open");

const pw = "mat-khau-kiem-thu";
const id: Record<string, number> = {};
const input = (ownerUnitId: number, schoolYear = "2097-2098"): OpenCycleInput => ({
  ownerUnitId,
  schoolYear,
  editionId: "qd-4725-2022",
  selfAssessmentDeadline: `${schoolYear.slice(5)}-05-31`,
  reviewDeadline: `${schoolYear.slice(5)}-06-20`,
});
const rowsOf = (cycleId: number) => getDb().select().from(assessments).where(eq(assessments.cycleId, cycleId)).orderBy(assessments.schoolId).all();
const openAudits = (cycleId: number) =>
  getDb()
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.action, "cycle.open"), eq(auditLog.entityId, String(cycleId))))
    .all();
const leaseCount = () => getDb().select({ n: count() }).from(leases).get()!.n;

/** Many schools at once, straight into the table (the path triggers fill their scope columns). */
function bulkSchools(prefix: string, n: number, managingUnitId: number, reviewingUnitId: number) {
  const c = getDb().$client;
  const ins = c.prepare("INSERT INTO schools (code, name, search_key, type, managing_unit_id, reviewing_unit_id, active) VALUES (?, ?, ?, 'TH', ?, ?, 1)");
  c.transaction(() => {
    for (let i = 0; i < n; i++) ins.run(`${prefix}${i}`, `Trường ${prefix} ${i}`, foldVietnamese(`${prefix}${i} Trường ${prefix} ${i}`), managingUnitId, reviewingUnitId);
  })();
}

beforeAll(async () => {
  id.P = createUnit({ kind: "province", code: "OP", name: "Sở Mở Đợt", parentId: null }, null);
  id.D = createUnit({ kind: "district", code: "OP-D", name: "Phòng Mở Đợt", parentId: id.P }, null);
  id.Q = createUnit({ kind: "province", code: "OQ", name: "Sở Khác", parentId: null }, null);
  id.QD = createUnit({ kind: "district", code: "OQ-D", name: "Phòng Khác", parentId: id.Q }, null);
  id.s1 = createSchool({ code: "OP-1", name: "Trường Sở quản lý", type: "THPT", managingUnitId: id.P, reviewingUnitId: id.P }, null);
  id.s2 = createSchool({ code: "OP-2", name: "Trường Phòng quản lý", type: "TH", managingUnitId: id.D, reviewingUnitId: id.D }, null);
  id.s3 = createSchool({ code: "OP-3", name: "Trường Phòng, Sở đánh giá", type: "THCS", managingUnitId: id.D, reviewingUnitId: id.P }, null);
  // Reviewed in scope, managed elsewhere (data from before the placement rule): in scope too.
  id.s4 = createSchool({ code: "OP-4", name: "Trường do Sở đánh giá", type: "TH", managingUnitId: id.QD, reviewingUnitId: id.D }, null);
  id.inactive = createSchool({ code: "OP-5", name: "Trường đã ngừng", type: "TH", managingUnitId: id.D, reviewingUnitId: id.D }, null);
  updateSchool(id.inactive, { code: "OP-5", name: "Trường đã ngừng", type: "TH", managingUnitId: id.D, reviewingUnitId: id.D, active: false }, null);
  id.other = createSchool({ code: "OQ-1", name: "Trường tỉnh khác", type: "TH", managingUnitId: id.QD, reviewingUnitId: id.Q }, null);
  id.admin = await createUser({ username: "op.admin", displayName: "Quản trị Sở", password: pw, roles: ["office_admin"], unitId: id.P }, null);
  id.phong = await createUser({ username: "op.phong", displayName: "Quản trị Phòng", password: pw, roles: ["office_admin"], unitId: id.D }, null);
});

describe("openCycle", () => {
  it("creates one draft assessment, version 1, per active school of the scope, and one audit entry", () => {
    const r = openCycle(input(id.P), id.admin);
    expect(r).toMatchObject({ ok: true, created: 4, skipped: 0 });
    if (!r.ok) return;
    const rows = rowsOf(r.cycleId);
    expect(rows.map((a) => a.schoolId)).toEqual([id.s1, id.s2, id.s3, id.s4]);
    for (const a of rows) {
      expect(a).toMatchObject({ cycleId: r.cycleId, status: "draft", version: 1, deadlineOverride: null, selfLevel: null, submittedAt: null, published: false });
      expect(a.createdAt).toBeInstanceOf(Date);
    }
    const cycle = getDb().select().from(cycles).where(eq(cycles.id, r.cycleId)).get()!;
    expect(cycle).toMatchObject({ ownerUnitId: id.P, schoolYear: "2097-2098", editionId: "qd-4725-2022", status: "open", createdBy: id.admin });
    const audit = openAudits(r.cycleId);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actorId: id.admin, entityType: "cycle", unitId: id.P });
    expect(audit[0].details).toMatchObject({ ...input(id.P), created: 4, skipped: 0 });
    expect(leaseCount()).toBe(0);
  });

  it("refuses a second open of the same unit and year, writing nothing", () => {
    const before = { cycles: getDb().select({ n: count() }).from(cycles).get()!.n, rows: getDb().select({ n: count() }).from(assessments).get()!.n };
    const again = openCycle(input(id.P), id.admin);
    expect(again).toMatchObject({ ok: false, kind: "exists", field: "schoolYear" });
    expect(getDb().select({ n: count() }).from(cycles).get()!.n).toBe(before.cycles);
    expect(getDb().select({ n: count() }).from(assessments).get()!.n).toBe(before.rows);
  });

  it("skips schools already assessed that school year by another office's cycle, and counts them", async () => {
    const r = await openCycleYielding(input(id.D), id.phong);
    expect(r).toMatchObject({ ok: true, created: 0, skipped: 3 }); // s2, s3, s4: all in the Sở's cycle already
    if (!r.ok) return;
    expect(rowsOf(r.cycleId)).toEqual([]);
    expect(openAudits(r.cycleId)[0].details).toMatchObject({ created: 0, skipped: 3 });
    const other = openCycle(input(id.Q), id.admin);
    // The other province: OQ-1, and OP-4 (managed by OQ-D), which the Sở's cycle has already.
    expect(other).toMatchObject({ ok: true, created: 1, skipped: 1 });
    if (other.ok) expect(rowsOf(other.cycleId).map((a) => a.schoolId)).toEqual([id.other]);
  });
});

describe("openCycleYielding: slices that let other work run", () => {
  it("gives the event loop back between slices and ends with the same rows as one transaction", async () => {
    id.big = createUnit({ kind: "province", code: "OB", name: "Sở Lớn", parentId: null }, null);
    id.bigD = createUnit({ kind: "district", code: "OB-D", name: "Phòng Lớn", parentId: id.big }, null);
    const n = OPEN_CHUNK * 2 + 17;
    bulkSchools("OB-", n, id.bigD, id.big);
    const seen: number[] = [];
    let ticking = true;
    const tick = () => {
      const c = getDb().select({ id: cycles.id }).from(cycles).where(eq(cycles.ownerUnitId, id.big)).get();
      seen.push(c ? getDb().select({ n: count() }).from(assessments).where(eq(assessments.cycleId, c.id)).get()!.n : -1);
      if (ticking) setImmediate(tick);
    };
    setImmediate(tick);
    const r = await openCycleYielding(input(id.big), id.admin);
    ticking = false;
    expect(r).toMatchObject({ ok: true, created: n, skipped: 0 });
    if (!r.ok) return;
    // Other work ran while the cycle was being filled: it saw the cycle with part of its rows.
    expect(seen.some((k) => k > 0 && k < n)).toBe(true);
    const rows = rowsOf(r.cycleId);
    expect(rows).toHaveLength(n);
    expect(new Set(rows.map((a) => a.schoolId)).size).toBe(n);
    expect(rows.every((a) => a.status === "draft" && a.version === 1 && a.cycleId === r.cycleId)).toBe(true);
    expect(openAudits(r.cycleId)).toHaveLength(1);
    expect(leaseCount()).toBe(0);
  });

  it("refuses a second open while the first is still running, and after it", async () => {
    const unit = createUnit({ kind: "province", code: "OC", name: "Sở Song Song", parentId: null }, null);
    bulkSchools("OC-", OPEN_CHUNK + 5, unit, unit);
    const first = openCycleYielding(input(unit), id.admin);
    const second = await openCycleYielding(input(unit), id.admin);
    expect(second).toMatchObject({ ok: false, kind: "exists" });
    expect(await first).toMatchObject({ ok: true, created: OPEN_CHUNK + 5 });
    expect(await openCycleYielding(input(unit), id.admin)).toMatchObject({ ok: false, kind: "exists" });
  });

  it("resumes an open whose process died (expired lease), once, and refuses one still alive", async () => {
    const unit = createUnit({ kind: "province", code: "OR", name: "Sở Dở Dang", parentId: null }, null);
    bulkSchools("OR-", 30, unit, unit);
    const db = getDb();
    // What a crash after the first slice leaves: the cycle, its lease, part of the rows, no audit entry.
    const cycleId = db.insert(cycles).values({ ...input(unit), createdBy: id.admin }).returning({ id: cycles.id }).get().id;
    const first10 = db.select({ id: schools.id }).from(schools).where(eq(schools.managingUnitId, unit)).orderBy(schools.id).limit(10).all();
    for (const s of first10) db.insert(assessments).values({ cycleId, schoolId: s.id }).run();
    db.insert(leases).values({ key: `cycle.open:${cycleId}`, owner: "dead-process", expiresAt: Date.now() + 60_000 }).run();
    // Still alive (lease not expired): refused.
    expect(await openCycleYielding(input(unit), id.admin)).toMatchObject({ ok: false, kind: "exists" });
    db.update(leases).set({ expiresAt: Date.now() - 1 }).where(eq(leases.key, `cycle.open:${cycleId}`)).run();
    const r = await openCycleYielding(input(unit), id.admin);
    expect(r).toMatchObject({ ok: true, cycleId, created: 30, skipped: 0 });
    expect(rowsOf(cycleId)).toHaveLength(30);
    expect(openAudits(cycleId)).toHaveLength(1);
    expect(leaseCount()).toBe(0);
    expect(await openCycleYielding(input(unit), id.admin)).toMatchObject({ ok: false, kind: "exists" });
  });
});

describe("the cycles page opens with the yielding variant", () => {
  it("creates the rows and reports the counts", async () => {
    const unit = createUnit({ kind: "district", code: "OP-D2", name: "Phòng Thứ Hai", parentId: id.P }, null);
    const s = createSchool({ code: "OP-D2-1", name: "Trường Phòng Hai", type: "TH", managingUnitId: unit, reviewingUnitId: unit }, null);
    const b = await browserAs("op.admin");
    const res = await run(cyclesRoute.action, b.post("/quan-tri/dot-danh-gia", { unitId: String(unit), schoolYear: "2096-2097", editionId: "qd-4725-2022" }));
    expect(res.status).toBe(200);
    expect((await res.json()).message).toBe("Đã mở đợt đánh giá: tạo 1 hồ sơ.");
    const cycle = getDb().select().from(cycles).where(and(eq(cycles.ownerUnitId, unit), eq(cycles.schoolYear, "2096-2097"))).get()!;
    expect(rowsOf(cycle.id).map((a) => [a.schoolId, a.status, a.version])).toEqual([[s, "draft", 1]]);
    // The picker's no-JavaScript field: the unit's code, resolved in the admin's scope.
    const byCode = await run(cyclesRoute.action, b.post("/quan-tri/dot-danh-gia", { unitId: "", unitId__ma: "OP-D2 — Phòng Thứ Hai", schoolYear: "2095-2096", editionId: "qd-4725-2022" }));
    expect(byCode.status).toBe(200);
    expect(getDb().select().from(cycles).where(and(eq(cycles.ownerUnitId, unit), eq(cycles.schoolYear, "2095-2096"))).get()).toBeTruthy();
    const outside = await run(cyclesRoute.action, b.post("/quan-tri/dot-danh-gia", { unitId: String(id.P), unitId__ma: "OQ", schoolYear: "2094-2095", editionId: "qd-4725-2022" }));
    expect(outside.status).toBe(400);
    expect((await outside.json()).result.error.unitId[0]).toContain("Không tìm thấy đơn vị có mã «OQ»");
  });
});
