/**
 * Scope: every role can neither read nor change anything outside its place in the tree.
 * Runs the one policy module against a real SQLite file holding two provinces.
 */
import { describe, expect, it, beforeAll } from "vitest";
import { useTestDatabase } from "../helpers/db";
import { getDb } from "~/server/db/client.server";
import { schools } from "~/server/db/schema.server";
import { loadUser, type CurrentUser } from "~/server/auth/session.server";
import { can, schoolScope, unitScope, visibleUnitIds } from "~/server/policy.server";
import { createSchool, createUnit, createUser } from "~/server/services/org.server";
import { units } from "~/server/db/schema.server";

useTestDatabase("policy");

const pw = "mat-khau-kiem-thu";
let t: Record<string, number> = {};
let u: Record<string, CurrentUser> = {};

beforeAll(async () => {
  const M = createUnit({ kind: "ministry", code: "M", name: "Bộ", parentId: null }, null);
  const A = createUnit({ kind: "province", code: "A", name: "Sở A", parentId: M }, null);
  const A1 = createUnit({ kind: "district", code: "A1", name: "Phòng A1", parentId: A }, null);
  const A2 = createUnit({ kind: "commune", code: "A2", name: "Xã A2", parentId: A }, null);
  const B = createUnit({ kind: "province", code: "B", name: "Sở B", parentId: M }, null);
  const sA1 = createSchool({ code: "SA1", name: "TH A1", type: "TH", managingUnitId: A1, reviewingUnitId: A1 }, null);
  const sA2 = createSchool({ code: "SA2", name: "THCS A2", type: "THCS", managingUnitId: A2, reviewingUnitId: A }, null);
  const sAP = createSchool({ code: "SAP", name: "THPT A", type: "THPT", managingUnitId: A, reviewingUnitId: A }, null);
  const sB = createSchool({ code: "SB", name: "TH B", type: "TH", managingUnitId: B, reviewingUnitId: B }, null);
  t = { M, A, A1, A2, B, sA1, sA2, sAP, sB };
  const mk = async (username: string, roles: CurrentUser["roles"], scope: { unitId?: number; schoolId?: number }) => {
    const id = await createUser({ username, displayName: username, password: pw, roles, ...scope }, null);
    u[username] = loadUser(id)!;
  };
  await mk("sys", ["system_admin"], {});
  await mk("admin.a", ["office_admin"], { unitId: A });
  await mk("rev.a", ["office_reviewer"], { unitId: A });
  await mk("rev.a1", ["office_reviewer"], { unitId: A1 });
  await mk("admin.b", ["office_admin", "office_reviewer"], { unitId: B });
  await mk("head.a1", ["school_head"], { schoolId: sA1 });
  await mk("staff.a1", ["school_staff"], { schoolId: sA1 });
  await mk("head.b", ["school_head"], { schoolId: sB });
  u["staff.in.a1"] = loadUser(await createUser({ username: "staff.in.a1", displayName: "x", password: pw, roles: ["office_reviewer"], unitId: A1 }, null))!;
});

const school = (id: number) => ({ kind: "school" as const, schoolId: id });
const unit = (id: number) => ({ kind: "unit" as const, unitId: id });

function readableSchoolCodes(user: CurrentUser): string[] {
  return getDb()
    .select({ code: schools.code })
    .from(schools)
    .where(schoolScope(user))
    .all()
    .map((r) => r.code)
    .sort();
}

describe("school users", () => {
  it("read and edit only their own school", () => {
    expect(can(u["head.a1"], "school.read", school(t.sA1))).toBe(true);
    expect(can(u["head.a1"], "assessment.edit", school(t.sA1))).toBe(true);
    for (const other of [t.sA2, t.sAP, t.sB]) {
      expect(can(u["head.a1"], "school.read", school(other))).toBe(false);
      expect(can(u["head.a1"], "evidence.read", school(other))).toBe(false);
      expect(can(u["head.a1"], "assessment.edit", school(other))).toBe(false);
    }
    expect(readableSchoolCodes(u["head.a1"])).toEqual(["SA1"]);
    expect(readableSchoolCodes(u["head.b"])).toEqual(["SB"]);
  });

  it("only the head submits; staff edit", () => {
    expect(can(u["head.a1"], "assessment.submit", school(t.sA1))).toBe(true);
    expect(can(u["staff.a1"], "assessment.submit", school(t.sA1))).toBe(false);
    expect(can(u["staff.a1"], "assessment.edit", school(t.sA1))).toBe(true);
    expect(can(u["head.b"], "assessment.submit", school(t.sA1))).toBe(false);
  });

  it("cannot review, manage, or see any unit", () => {
    expect(can(u["head.a1"], "assessment.review", school(t.sA1))).toBe(false);
    expect(can(u["head.a1"], "school.manage", school(t.sA1))).toBe(false);
    expect(can(u["head.a1"], "unit.read", unit(t.A1))).toBe(false);
    expect(can(u["head.a1"], "catalogue.manage", { kind: "system" })).toBe(false);
    expect(visibleUnitIds(u["head.a1"])).toEqual([]);
  });
});

describe("office reviewers", () => {
  it("a district reviewer reads and reviews only schools in its district", () => {
    expect(readableSchoolCodes(u["rev.a1"])).toEqual(["SA1"]);
    expect(can(u["rev.a1"], "assessment.review", school(t.sA1))).toBe(true);
    expect(can(u["rev.a1"], "school.read", school(t.sA2))).toBe(false);
    expect(can(u["rev.a1"], "assessment.review", school(t.sAP))).toBe(false);
    expect(can(u["rev.a1"], "school.read", school(t.sB))).toBe(false);
  });

  it("the province reviewer reads the whole province but reviews only schools assigned to it", () => {
    expect(readableSchoolCodes(u["rev.a"])).toEqual(["SA1", "SA2", "SAP"]);
    expect(can(u["rev.a"], "assessment.review", school(t.sA2))).toBe(true); // commune school, reviewed by the Sở
    expect(can(u["rev.a"], "assessment.review", school(t.sAP))).toBe(true);
    expect(can(u["rev.a"], "assessment.review", school(t.sA1))).toBe(false); // assigned to the district
    expect(can(u["rev.a"], "school.read", school(t.sB))).toBe(false);
    expect(can(u["rev.a"], "evidence.read", school(t.sB))).toBe(false);
  });

  it("a reviewer manages nothing", () => {
    expect(can(u["rev.a"], "school.manage", school(t.sA1))).toBe(false);
    expect(can(u["rev.a"], "unit.manage", unit(t.A1))).toBe(false);
    expect(can(u["rev.a"], "user.manage", { kind: "user", unitId: t.A1, schoolId: null })).toBe(false);
    expect(can(u["rev.a"], "cycle.manage", unit(t.A))).toBe(false);
  });
});

describe("office admins", () => {
  it("manage units below their own, not their own or another province's", () => {
    expect(can(u["admin.a"], "unit.manage", unit(t.A1))).toBe(true);
    expect(can(u["admin.a"], "unit.manage", unit(t.A))).toBe(false);
    expect(can(u["admin.a"], "unit.manage", unit(t.B))).toBe(false);
    expect(can(u["admin.a"], "unit.manage", unit(t.M))).toBe(false);
    expect(can(u["admin.b"], "unit.manage", unit(t.A1))).toBe(false);
  });

  it("see only their subtree of units and schools", () => {
    const ids = visibleUnitIds(u["admin.a"]);
    expect(ids === "all" ? ids : [...ids].sort()).toEqual([t.A, t.A1, t.A2].sort());
    const visibleUnits = getDb().select({ code: units.code }).from(units).where(unitScope(u["admin.b"])).all().map((r) => r.code);
    expect(visibleUnits).toEqual(["B"]);
    expect(readableSchoolCodes(u["admin.b"])).toEqual(["SB"]);
  });

  it("manage schools, users and cycles in their subtree only", () => {
    expect(can(u["admin.a"], "school.manage", school(t.sA1))).toBe(true);
    expect(can(u["admin.a"], "school.manage", school(t.sB))).toBe(false);
    expect(can(u["admin.b"], "school.manage", school(t.sA2))).toBe(false);
    expect(can(u["admin.a"], "user.manage", { kind: "user", unitId: t.A1, schoolId: null })).toBe(true);
    expect(can(u["admin.a"], "user.manage", { kind: "user", unitId: null, schoolId: t.sA2 })).toBe(true);
    expect(can(u["admin.a"], "user.manage", { kind: "user", unitId: null, schoolId: t.sB })).toBe(false);
    expect(can(u["admin.a"], "user.manage", { kind: "user", unitId: t.B, schoolId: null })).toBe(false);
    expect(can(u["admin.a"], "user.manage", { kind: "user", unitId: null, schoolId: null })).toBe(false);
    expect(can(u["admin.a"], "cycle.manage", unit(t.A))).toBe(true);
    expect(can(u["admin.a"], "cycle.manage", unit(t.B))).toBe(false);
  });

  it("an admin who is also a reviewer reviews only its own assigned schools", () => {
    expect(can(u["admin.b"], "assessment.review", school(t.sB))).toBe(true);
    expect(can(u["admin.b"], "assessment.review", school(t.sAP))).toBe(false);
  });

  it("cannot manage catalogue editions", () => {
    expect(can(u["admin.a"], "catalogue.manage", { kind: "system" })).toBe(false);
  });
});

describe("system admin and unknown targets", () => {
  it("the system admin may do everything", () => {
    for (const a of ["school.read", "school.manage", "assessment.review", "catalogue.manage"] as const) {
      expect(can(u["sys"], a, school(t.sB))).toBe(true);
    }
    expect(can(u["sys"], "catalogue.manage", { kind: "system" })).toBe(true);
    expect(visibleUnitIds(u["sys"])).toBe("all");
  });

  it("a school id that does not exist is never readable", () => {
    expect(can(u["rev.a"], "school.read", school(999_999))).toBe(false);
    expect(can(u["head.a1"], "school.read", school(999_999))).toBe(false);
  });
});

describe("anonymous visitors (user null)", () => {
  it("read the public catalogue and nothing of any school or unit", () => {
    expect(can(null, "catalogue.read", { kind: "system" })).toBe(true);
    expect(can(null, "catalogue.manage", { kind: "system" })).toBe(false);
    for (const s of [t.sA1, t.sA2, t.sAP, t.sB]) {
      for (const a of ["school.read", "evidence.read", "audit.read", "assessment.edit", "assessment.review"] as const) expect(can(null, a, school(s))).toBe(false);
    }
    expect(can(null, "unit.read", unit(t.A))).toBe(false);
  });
});
