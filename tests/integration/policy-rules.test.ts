/**
 * The rules the next issues use, declared now in the one policy: review, external assessment,
 * recognition, publication, anonymous public reads; the area questions the navigation asks; and
 * the school placement rule (policy.placeSchool) case by case.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { useTestDatabase } from "../helpers/db";
import { loadUser, type CurrentUser } from "~/server/auth/session.server";
import { can, canArea, ownPlace, placeSchool, SYSTEM } from "~/server/policy.server";
import { createSchool, createUnit, createUser } from "~/server/services/org.server";

useTestDatabase("policy-rules");

const pw = "mat-khau-kiem-thu";
const t: Record<string, number> = {};
const u: Record<string, CurrentUser> = {};

beforeAll(async () => {
  t.M = createUnit({ kind: "ministry", code: "M", name: "Bộ", parentId: null }, null);
  t.A = createUnit({ kind: "province", code: "A", name: "Sở A", parentId: t.M }, null);
  t.A1 = createUnit({ kind: "district", code: "A1", name: "Phòng A1", parentId: t.A }, null);
  t.A2 = createUnit({ kind: "commune", code: "A2", name: "Xã A2", parentId: t.A }, null);
  t.B = createUnit({ kind: "province", code: "B", name: "Sở B", parentId: t.M }, null);
  t.sA1 = createSchool({ code: "SA1", name: "TH A1", type: "TH", managingUnitId: t.A1, reviewingUnitId: t.A1 }, null);
  t.sA2 = createSchool({ code: "SA2", name: "THCS A2", type: "THCS", managingUnitId: t.A2, reviewingUnitId: t.A }, null);
  t.sAP = createSchool({ code: "SAP", name: "THPT A", type: "THPT", managingUnitId: t.A, reviewingUnitId: t.A }, null);
  t.sP = createSchool({ code: "SP", name: "TH Phòng, Sở đánh giá", type: "TH", managingUnitId: t.A1, reviewingUnitId: t.A }, null);
  t.sB = createSchool({ code: "SB", name: "TH B", type: "TH", managingUnitId: t.B, reviewingUnitId: t.B }, null);
  const mk = async (username: string, roles: CurrentUser["roles"], scope: { unitId?: number; schoolId?: number }) => {
    u[username] = loadUser(await createUser({ username, displayName: username, password: pw, roles, ...scope }, null))!;
  };
  await mk("sys", ["system_admin"], {});
  await mk("admin.a", ["office_admin"], { unitId: t.A });
  await mk("rev.a", ["office_reviewer"], { unitId: t.A });
  await mk("admin.a1", ["office_admin"], { unitId: t.A1 });
  await mk("rev.a1", ["office_reviewer"], { unitId: t.A1 });
  await mk("admin.b", ["office_admin", "office_reviewer"], { unitId: t.B });
  await mk("head.a1", ["school_head"], { schoolId: t.sA1 });
  await mk("staff.a1", ["school_staff"], { schoolId: t.sA1 });
});

const school = (id: number) => ({ kind: "school" as const, schoolId: id });
const unit = (id: number) => ({ kind: "unit" as const, unitId: id });

describe("the reviewing office's work", () => {
  it("review and external assessment: an office reviewer of exactly the school's reviewing unit", () => {
    for (const action of ["assessment.review", "assessment.external"] as const) {
      expect(can(u["rev.a"], action, school(t.sA2))).toBe(true); // commune school, the Sở reviews
      expect(can(u["rev.a"], action, school(t.sAP))).toBe(true);
      expect(can(u["rev.a"], action, school(t.sA1))).toBe(false); // the Phòng reviews it; the Sở only reads
      expect(can(u["rev.a1"], action, school(t.sA1))).toBe(true);
      expect(can(u["rev.a1"], action, school(t.sP))).toBe(false); // managed by A1, reviewed by the Sở
      expect(can(u["admin.a"], action, school(t.sA2))).toBe(false); // an admin without the reviewer role
      expect(can(u["admin.b"], action, school(t.sA2))).toBe(false);
      expect(can(u["head.a1"], action, school(t.sA1))).toBe(false);
      expect(can(null, action, school(t.sA1))).toBe(false);
      expect(can(u.sys, action, school(t.sB))).toBe(true);
    }
  });

  it("recognition: a reviewer or an admin of exactly the reviewing unit, never a unit above it", () => {
    expect(can(u["rev.a"], "assessment.recognise", school(t.sA2))).toBe(true);
    expect(can(u["admin.a"], "assessment.recognise", school(t.sA2))).toBe(true);
    expect(can(u["admin.a"], "assessment.recognise", school(t.sA1))).toBe(false);
    expect(can(u["rev.a1"], "assessment.recognise", school(t.sA1))).toBe(true);
    expect(can(u["admin.a1"], "assessment.recognise", school(t.sP))).toBe(false);
    expect(can(u["admin.b"], "assessment.recognise", school(t.sA2))).toBe(false);
    expect(can(u["head.a1"], "assessment.recognise", school(t.sA1))).toBe(false);
  });

  it("publication of a unit's results: an office admin of that unit or of a unit above it", () => {
    expect(can(u["admin.a"], "results.publish", unit(t.A))).toBe(true);
    expect(can(u["admin.a"], "results.publish", unit(t.A1))).toBe(true);
    expect(can(u["admin.a1"], "results.publish", unit(t.A1))).toBe(true);
    expect(can(u["admin.a1"], "results.publish", unit(t.A))).toBe(false);
    expect(can(u["rev.a"], "results.publish", unit(t.A))).toBe(false);
    expect(can(u["admin.b"], "results.publish", unit(t.A))).toBe(false);
    expect(can(null, "results.publish", unit(t.A))).toBe(false);
  });
});

describe("anonymous public reads", () => {
  it("anyone reads the catalogue, published results and verifies certificates", () => {
    expect(can(null, "catalogue.read", SYSTEM)).toBe(true);
    expect(can(u["head.a1"], "catalogue.read", SYSTEM)).toBe(true);
    expect(can(null, "certificate.verify", SYSTEM)).toBe(true);
    expect(can(null, "results.read", { kind: "result", schoolId: t.sB, published: true })).toBe(true);
    expect(can(u["head.a1"], "results.read", { kind: "result", schoolId: t.sB, published: true })).toBe(true);
  });

  it("unpublished results are read like the school; nothing else is open to a visitor", () => {
    expect(can(null, "results.read", { kind: "result", schoolId: t.sA2, published: false })).toBe(false);
    expect(can(u["rev.a"], "results.read", { kind: "result", schoolId: t.sA2, published: false })).toBe(true);
    expect(can(u["admin.b"], "results.read", { kind: "result", schoolId: t.sA2, published: false })).toBe(false);
    for (const action of ["school.read", "evidence.read", "assessment.edit", "school.manage"] as const) expect(can(null, action, school(t.sA1))).toBe(false);
    expect(can(null, "catalogue.manage", SYSTEM)).toBe(false);
    expect(can(null, "assessment.list", SYSTEM)).toBe(false);
  });
});

describe("area questions at the user's own place", () => {
  it("offices list assessments and schools; only admins manage; school users neither", () => {
    expect(ownPlace(u["rev.a"])).toEqual(unit(t.A));
    expect(ownPlace(u["head.a1"])).toEqual(school(t.sA1));
    expect(ownPlace(u.sys)).toEqual(SYSTEM);
    expect(canArea(u["rev.a"], "assessment.list")).toBe(true);
    expect(canArea(u["rev.a"], "unit.read")).toBe(true);
    expect(canArea(u["rev.a"], "cycle.manage")).toBe(false);
    expect(canArea(u["rev.a"], "user.manage")).toBe(false);
    expect(canArea(u["admin.a1"], "cycle.manage")).toBe(true);
    expect(canArea(u["admin.a1"], "unit.create")).toBe(true);
    for (const a of ["assessment.list", "unit.read", "school.manage", "user.manage", "cycle.manage", "unit.create"] as const) {
      expect(canArea(u["head.a1"], a)).toBe(false);
      expect(canArea(u.sys, a)).toBe(true);
    }
  });
});

describe("the school placement rule", () => {
  const P = (managing: number, reviewing: number) => ({ managingUnitId: managing, reviewingUnitId: reviewing });

  it("a Phòng admin: its own schools, reviewed by itself; a review set by the Sở is kept, never changed", () => {
    const a1 = u["admin.a1"];
    expect(placeSchool(a1, P(t.A1, t.A1))).toEqual({ ok: true, problems: [] });
    expect(placeSchool(a1, P(t.A1, t.A)).problems).toEqual(["reviewing-out-of-scope"]); // cannot assign the Sở
    expect(placeSchool(a1, P(t.A2, t.A2)).problems).toEqual(["managing-out-of-scope", "reviewing-out-of-scope"]);
    // SP: managed by A1, reviewed by the Sở.
    expect(placeSchool(a1, P(t.A1, t.A), P(t.A1, t.A))).toEqual({ ok: true, problems: [] }); // rename: kept as it is
    expect(placeSchool(a1, P(t.A1, t.A1), P(t.A1, t.A)).problems).toEqual(["reviewing-locked"]);
    expect(placeSchool(a1, P(t.B, t.B), P(t.B, t.B)).problems).toEqual(["school-out-of-scope", "managing-out-of-scope"]);
  });

  it("a Sở admin: reviewing unit is the managing unit or above it, within its province", () => {
    const a = u["admin.a"];
    expect(placeSchool(a, P(t.A1, t.A)).ok).toBe(true);
    expect(placeSchool(a, P(t.A2, t.A)).ok).toBe(true);
    expect(placeSchool(a, P(t.A, t.A1)).problems).toEqual(["reviewing-not-above"]); // a Sở school reviewed by a Phòng
    expect(placeSchool(a, P(t.A2, t.A1)).problems).toEqual(["reviewing-not-above"]); // a sibling
    expect(placeSchool(a, P(t.A1, t.M)).problems).toEqual(["reviewing-out-of-scope"]); // the ministry is above its scope
    expect(placeSchool(a, P(t.A1, t.A1), P(t.A1, t.A)).ok).toBe(true); // its own assignment, it may change it
  });

  it("reviewers and school users place nothing; the system admin places anything", () => {
    expect(placeSchool(u["rev.a"], P(t.A1, t.A1)).ok).toBe(false);
    expect(placeSchool(u["head.a1"], P(t.A1, t.A1)).ok).toBe(false);
    expect(placeSchool(u.sys, P(t.B, t.A), P(t.A1, t.A)).ok).toBe(true);
  });
});
