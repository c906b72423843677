/**
 * Unit ancestry is loaded once per request, not once per row: the policy caches the user's subtree
 * (and the ancestries and school placements it looked up) per CurrentUser object. Counted with
 * the tree module's query counter on `can()` over many rows, on list functions, on the import and
 * on a list page's loader; and the cache follows a change of the tree within the same request.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { useTestDatabase } from "../helpers/db";
import { browserAs, run } from "../helpers/http";
import { treeStats } from "~/server/db/tree.server";
import { loadUser, type CurrentUser } from "~/server/auth/session.server";
import { can, placeSchool, within } from "~/server/policy.server";
import { createSchool, createUnit, createUser, listSchools } from "~/server/services/org.server";
import { previewSchoolImport } from "~/server/services/school-import.server";
import * as schoolsIndex from "~/routes/quan-tri.truong._index";

useTestDatabase("policy-cache");

const ROWS = 60;
const ids: number[] = [];
const t: Record<string, number> = {};

beforeAll(async () => {
  t.A = createUnit({ kind: "province", code: "A", name: "Sở A", parentId: null }, null);
  const districts = [1, 2, 3].map((n) => createUnit({ kind: "district", code: `A${n}`, name: `Phòng A${n}`, parentId: t.A }, null));
  for (let i = 0; i < ROWS; i++) {
    const d = districts[i % 3];
    ids.push(createSchool({ code: `S${String(i).padStart(3, "0")}`, name: `Trường ${i}`, type: "TH", managingUnitId: d, reviewingUnitId: i % 2 ? d : t.A }, null));
  }
  t.admin = await createUser({ username: "admin.a", displayName: "Admin A", password: "mat-khau-kiem-thu", roles: ["office_admin", "office_reviewer"], unitId: t.A }, null);
});

/** Tree queries run by fn. */
function treeQueries(fn: () => void): number {
  const before = treeStats.queries;
  fn();
  return treeStats.queries - before;
}

const fresh = (): CurrentUser => loadUser(t.admin)!;

describe("the policy's per-request cache", () => {
  it("can() over every row asks the tree once, whatever the number of rows", () => {
    const user = fresh();
    let allowed = 0;
    const n = treeQueries(() => {
      for (const id of ids) {
        if (can(user, "school.read", { kind: "school", schoolId: id })) allowed++;
        if (can(user, "school.manage", { kind: "school", schoolId: id })) allowed++;
        if (can(user, "assessment.review", { kind: "school", schoolId: id })) allowed++;
      }
    });
    expect(allowed).toBe(ROWS * 2 + ROWS / 2);
    expect(n).toBe(1);
    // The same user object again: nothing more.
    expect(treeQueries(() => ids.forEach((id) => can(user, "evidence.read", { kind: "school", schoolId: id })))).toBe(0);
  });

  it("a school list and its per-row flags cost one tree query", () => {
    const user = fresh();
    let rows = 0;
    const n = treeQueries(() => {
      const page = listSchools(user, { page: 1 });
      rows = page.rows.length;
      expect(page.rows.every((r) => r.canManage)).toBe(true);
    });
    expect(rows).toBe(20);
    expect(n).toBe(1);
  });

  it("the placement rule over a 60-row import asks each ancestry once", () => {
    const user = fresh();
    const csv = ["mã trường,tên,loại hình,đơn vị quản lý,đơn vị đánh giá ngoài", ...ids.map((_, i) => `N${i},Trường mới ${i},TH,A${(i % 3) + 1},A`)].join("\n");
    let ok = false;
    const n = treeQueries(() => {
      ok = previewSchoolImport(user, csv).ok;
    });
    expect(ok).toBe(true);
    // The subtree once, the ancestry of each of the three managing units once.
    expect(n).toBeLessThanOrEqual(4);
  });

  it("the schools list page loader stays at a few tree queries for 20 rows", async () => {
    const b = await browserAs("admin.a");
    let status = 0;
    const before = treeStats.queries;
    const res = await run(schoolsIndex.loader, b.get("/quan-tri/truong"));
    status = res.status;
    const body = await res.json();
    expect(status).toBe(200);
    expect(body.list.rows).toHaveLength(20);
    expect(treeStats.queries - before).toBeLessThanOrEqual(2);
  });

  it("a change of the tree in the same request is seen at once", () => {
    const user = fresh();
    expect(within(user, t.A)).toBe(true);
    const added = createUnit({ kind: "commune", code: "A9", name: "Xã A9", parentId: t.A }, null);
    expect(within(user, added)).toBe(true);
    expect(placeSchool(user, { managingUnitId: added, reviewingUnitId: t.A }).ok).toBe(true);
    const s = createSchool({ code: "S-NEW", name: "Trường mới", type: "TH", managingUnitId: added, reviewingUnitId: t.A }, null);
    expect(can(user, "school.manage", { kind: "school", schoolId: s })).toBe(true);
  });
});
