/**
 * The UI asks the same rules as the server: on the demo data, for each demo account,
 * - every navigation item is a page whose loader answers 200 for that user, and every page the
 *   navigation leaves out refuses them (403, or a redirect elsewhere), so the menu is exactly the
 *   set of areas the policy opens;
 * - every action link or button a page offers (home links, "Thêm …" buttons, per-row manage
 *   flags, cycle links, the submit and edit flags of an assessment) is accepted by the route it
 *   points to, and the ones not offered are refused.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { useTestDatabase } from "../helpers/db";
import { browserAs, run } from "../helpers/http";
import { getDb } from "~/server/db/client.server";
import { users } from "~/server/db/schema.server";
import { loadUser } from "~/server/auth/session.server";
import { seedDemoData, DEMO_PASSWORD } from "~/server/demo/seed.server";
import { NAV_ITEMS, navFor } from "~/server/nav.server";
import * as home from "~/routes/_index";
import * as selfList from "~/routes/danh-gia._index";
import * as assessmentPage from "~/routes/danh-gia.$id._index";
import * as submitPage from "~/routes/danh-gia.$id.nop";
import * as requestsPage from "~/routes/danh-gia.$id.yeu-cau";
import * as reviews from "~/routes/ho-so._index";
import * as recognition from "~/routes/cong-nhan._index";
import * as cycles from "~/routes/quan-tri.dot-danh-gia._index";
import * as cycleDetail from "~/routes/quan-tri.dot-danh-gia.$id";
import * as unitsIndex from "~/routes/quan-tri.don-vi._index";
import * as unitNew from "~/routes/quan-tri.don-vi.moi";
import * as schoolsIndex from "~/routes/quan-tri.truong._index";
import * as schoolNew from "~/routes/quan-tri.truong.moi";
import * as schoolImport from "~/routes/quan-tri.truong.nhap";
import * as schoolEdit from "~/routes/quan-tri.truong.$id";
import * as usersIndex from "~/routes/quan-tri.nguoi-dung._index";
import * as userNew from "~/routes/quan-tri.nguoi-dung.moi";
import * as userEdit from "~/routes/quan-tri.nguoi-dung.$id";
import * as catalogue from "~/routes/chi-so._index";
import * as editions from "~/routes/quan-tri.chi-so._index";
import * as stats from "~/routes/thong-ke._index";
import * as plans from "~/routes/ke-hoach._index";
import * as schoolResults from "~/routes/truong.$schoolId.ket-qua";

useTestDatabase("policy-nav");

type Loader = Parameters<typeof run>[0];
const DEMO = ["admin", "so.demo", "phong.demo", "truong.th1", "giaovien.th1"] as const;
const PAGE: Record<string, Loader> = {
  "/": home.loader,
  "/danh-gia": selfList.loader,
  "/ho-so": reviews.loader,
  "/cong-nhan": recognition.loader,
  "/thong-ke": stats.loader,
  "/ke-hoach": plans.loader,
  "/quan-tri/dot-danh-gia": cycles.loader,
  "/quan-tri/don-vi": unitsIndex.loader,
  "/quan-tri/truong": schoolsIndex.loader,
  "/quan-tri/nguoi-dung": usersIndex.loader,
  "/chi-so": catalogue.loader,
  "/quan-tri/chi-so": editions.loader,
};

beforeAll(async () => {
  await seedDemoData(getDb());
  expect(DEMO_PASSWORD).toBeTruthy();
});

const userOf = (username: string) => loadUser(getDb().select({ id: users.id }).from(users).where(eq(users.username, username)).get()!.id)!;

/** A GET through the loader; a redirect to an assessment page (the single-assessment shortcut) is followed. */
async function open(username: string, path: string, loader: Loader, params: Record<string, string> = {}) {
  const b = await browserAs(username);
  let res = await run(loader, b.get(path), params);
  const to = res.headers.get("Location");
  if (res.status === 302 && to && /^\/danh-gia\/\d+$/.test(to)) res = await run(assessmentPage.loader, b.get(to), { id: to.split("/")[2] });
  return res;
}

describe("the navigation is exactly what the policy opens", () => {
  it("every demo account's menu", () => {
    const menus = Object.fromEntries(DEMO.map((n) => [n, navFor(userOf(n)).map((i) => i.key)]));
    expect(menus).toEqual({
      admin: ["home", "reviews", "recognition", "stats", "plans", "cycles", "units", "schools", "users", "catalogue", "editions"],
      "so.demo": ["home", "reviews", "recognition", "stats", "plans", "cycles", "units", "schools", "users", "catalogue"],
      "phong.demo": ["home", "reviews", "recognition", "stats", "plans", "schools", "catalogue"],
      "truong.th1": ["home", "assessment", "catalogue"],
      "giaovien.th1": ["home", "assessment", "catalogue"],
    });
  });

  for (const username of DEMO) {
    it(`${username}: each item's page answers 200, each page left out refuses`, async () => {
      const shown = new Set(navFor(userOf(username)).map((i) => i.to));
      for (const item of NAV_ITEMS) {
        const res = await open(username, item.to, PAGE[item.to]);
        if (shown.has(item.to)) expect([item.to, res.status]).toEqual([item.to, 200]);
        else expect([item.to, res.status === 200]).toEqual([item.to, false]);
      }
    });
  }
});

describe("offered actions are accepted, the others refused", () => {
  it("home: the links each role is offered open", async () => {
    for (const username of DEMO) {
      const h = (await (await open(username, "/", home.loader)).json()).home;
      if (h.offers.openAssessment) expect((await open(username, `/danh-gia/${h.assessment.id}`, assessmentPage.loader, { id: String(h.assessment.id) })).status).toBe(200);
      if (h.offers.requests) expect((await open(username, `/danh-gia/${h.assessment.id}/yeu-cau`, requestsPage.loader, { id: String(h.assessment.id) })).status).toBe(200);
      const list = await open(username, "/ho-so", reviews.loader);
      expect([username, list.status === 200]).toEqual([username, h.offers.reviewList]);
      const dash = await open(username, "/thong-ke", stats.loader);
      expect([username, dash.status === 200]).toEqual([username, h.offers.stats]);
      if (h.offers.results) {
        const id = h.offers.results.split("/")[2];
        expect((await open(username, h.offers.results, schoolResults.loader, { schoolId: id })).status).toBe(200);
      }
    }
    const head = (await (await open("truong.th1", "/", home.loader)).json()).home;
    expect(head.offers).toEqual({ openAssessment: true, submit: true, reviewList: false, requests: false, stats: false, results: `/truong/${userOf("truong.th1").schoolId}/ket-qua` });
    const staff = (await (await open("giaovien.th1", "/", home.loader)).json()).home;
    expect(staff.offers).toEqual({ openAssessment: true, submit: false, reviewList: false, requests: false, stats: false, results: `/truong/${userOf("giaovien.th1").schoolId}/ket-qua` });
    // A head whose file was returned is offered its requests, and the list opens.
    const returned = getDb().$client
      .prepare("SELECT u.username FROM users u JOIN assessments a ON a.school_id = u.school_id WHERE a.status = 'returned' AND u.username LIKE 'ht.%' LIMIT 1")
      .get() as { username: string };
    const back = (await (await open(returned.username, "/", home.loader)).json()).home;
    expect(back.offers.requests).toBe(true);
    expect((await open(returned.username, `/danh-gia/${back.assessment.id}/yeu-cau`, requestsPage.loader, { id: String(back.assessment.id) })).status).toBe(200);
  });

  it("the assessment's submit flag matches the submit action", async () => {
    for (const username of ["truong.th1", "giaovien.th1"]) {
      const h = (await (await open(username, "/", home.loader)).json()).home;
      const page = await (await open(username, `/danh-gia/${h.assessment.id}`, assessmentPage.loader, { id: String(h.assessment.id) })).json();
      const b = await browserAs(username);
      // Without confirmation: an allowed user gets the form's 400, a refused one the policy's 403.
      const res = await run(submitPage.action, b.post(`/danh-gia/${h.assessment.id}/nop`, {}), { id: String(h.assessment.id) });
      expect([username, page.header.canSubmit, res.status]).toEqual([username, page.header.canSubmit, page.header.canSubmit ? 400 : 403]);
      expect(page.header.canEdit).toBe(true);
    }
  });

  it('"Thêm …" and import buttons lead to pages that open', async () => {
    for (const username of DEMO) {
      const schools = await open(username, "/quan-tri/truong", schoolsIndex.loader);
      if (schools.status === 200) {
        const { canManage } = await schools.json();
        for (const [path, loader] of [
          ["/quan-tri/truong/moi", schoolNew.loader],
          ["/quan-tri/truong/nhap", schoolImport.loader],
        ] as const) {
          expect([username, path, (await open(username, path, loader)).status === 200]).toEqual([username, path, canManage]);
        }
      }
      const unitsRes = await open(username, "/quan-tri/don-vi", unitsIndex.loader);
      if (unitsRes.status === 200) expect((await open(username, "/quan-tri/don-vi/moi", unitNew.loader)).status).toBe((await unitsRes.json()).canCreate ? 200 : 403);
      const usersRes = await open(username, "/quan-tri/nguoi-dung", usersIndex.loader);
      if (usersRes.status === 200) expect((await open(username, "/quan-tri/nguoi-dung/moi", userNew.loader)).status).toBe((await usersRes.json()).canCreate ? 200 : 403);
    }
  });

  it("per-row manage flags of the school and user lists match the edit actions and pages", async () => {
    for (const username of ["admin", "so.demo", "phong.demo"]) {
      const list = (await (await open(username, "/quan-tri/truong?page=1", schoolsIndex.loader)).json()).list;
      for (const r of list.rows.slice(0, 6)) {
        const b = await browserAs(username);
        const fields = { code: r.code, name: r.name, type: r.type, managingUnitId: String(r.managingUnit.id), reviewingUnitId: String(r.reviewingUnit.id), active: r.active ? "on" : "" };
        const res = await run(schoolEdit.action, b.post(`/quan-tri/truong/${r.id}`, fields), { id: String(r.id) });
        expect([username, r.code, res.status]).toEqual([username, r.code, r.canManage ? 302 : 403]);
      }
    }
    for (const username of ["admin", "so.demo"]) {
      const list = (await (await open(username, "/quan-tri/nguoi-dung", usersIndex.loader)).json()).list;
      expect(list.rows.length).toBeGreaterThan(0);
      for (const r of list.rows) {
        const res = await open(username, `/quan-tri/nguoi-dung/${r.id}`, userEdit.loader, { id: String(r.id) });
        expect([username, r.username, res.status]).toEqual([username, r.username, r.canManage ? 200 : 403]);
      }
    }
  });

  it("cycle links and the extension choices are what the cycle page and its action accept", async () => {
    for (const username of ["admin", "so.demo"]) {
      const { cycles: rows } = await (await open(username, "/quan-tri/dot-danh-gia", cycles.loader)).json();
      expect(rows.length).toBeGreaterThan(0);
      for (const c of rows) {
        const detail = await open(username, `/quan-tri/dot-danh-gia/${c.id}`, cycleDetail.loader, { id: String(c.id) });
        expect(detail.status).toBe(c.canManage ? 200 : 403);
        if (detail.status !== 200) continue;
        const { list: { rows: assessments } } = await detail.json();
        const offered = assessments.find((a: { canExtend: boolean }) => a.canExtend);
        // A closed cycle (the demo's previous year) offers no extension: the door would refuse it.
        if (c.status === "closed") {
          expect(offered).toBeUndefined();
          continue;
        }
        expect(offered).toBeTruthy();
        // Only files that can be extended are offered it.
        for (const a of assessments as { canExtend: boolean; status: string }[]) if (a.canExtend) expect(["draft", "returned"]).toContain(a.status);
        const b = await browserAs(username);
        const res = await run(cycleDetail.action, b.post(`/quan-tri/dot-danh-gia/${c.id}`, { assessmentId: String(offered.id), deadline: username === "admin" ? "15/06/2099" : "16/06/2099", reason: "Kiểm thử" }), { id: String(c.id) });
        expect(res.status).toBe(200); // the offered school passes the action's policy question and is extended
        expect(await res.json()).toMatchObject({ ok: true, assessmentId: offered.id });
      }
    }
  });
});
