/**
 * One door for every /danh-gia/:id route (requireAssessment): id (400, or 404 where ids are hidden),
 * user (redirect to /login, or 401 in JSON mode), assessment (404), policy (403), in that order and
 * before the request body is read. The autosave endpoint answers all of them as JSON.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { useTestDatabase } from "../helpers/db";
import { browserAs, run } from "../helpers/http";
import { getDb } from "~/server/db/client.server";
import { assessments } from "~/server/db/schema.server";
import { createSchool, createUnit, createUser } from "~/server/services/org.server";
import { openCycle } from "~/server/services/cycles.server";
import * as page from "~/routes/danh-gia.$id._index";
import * as report from "~/routes/danh-gia.$id.bao-cao";
import * as pdf from "~/routes/danh-gia.$id.bao-cao[.]pdf";
import * as save from "~/routes/danh-gia.$id.luu";
import * as evidence from "~/routes/danh-gia.$id.minh-chung";
import * as log from "~/routes/danh-gia.$id.nhat-ky";
import * as submit from "~/routes/danh-gia.$id.nop";

useTestDatabase("policy-door");

const id: Record<string, number> = {};

beforeAll(async () => {
  const pw = "mat-khau-kiem-thu";
  const A = createUnit({ kind: "province", code: "A", name: "Sở A", parentId: null }, null);
  const B = createUnit({ kind: "province", code: "B", name: "Sở B", parentId: null }, null);
  const sa = createSchool({ code: "SA", name: "Trường A", type: "TH", managingUnitId: A, reviewingUnitId: A }, null);
  const sb = createSchool({ code: "SB", name: "Trường B", type: "TH", managingUnitId: B, reviewingUnitId: B }, null);
  await createUser({ username: "head.a", displayName: "HT A", password: pw, roles: ["school_head"], schoolId: sa }, null);
  await createUser({ username: "rev.a", displayName: "Rev A", password: pw, roles: ["office_reviewer"], unitId: A }, null);
  const adminA = await createUser({ username: "admin.a", displayName: "Admin A", password: pw, roles: ["office_admin"], unitId: A }, null);
  const adminB = await createUser({ username: "admin.b", displayName: "Admin B", password: pw, roles: ["office_admin"], unitId: B }, null);
  openCycle({ ownerUnitId: A, schoolYear: "2098-2099", editionId: "qd-4725-2022", selfAssessmentDeadline: "2099-05-31", reviewDeadline: "2099-06-20" }, adminA);
  openCycle({ ownerUnitId: B, schoolYear: "2098-2099", editionId: "qd-4725-2022", selfAssessmentDeadline: "2099-05-31", reviewDeadline: "2099-06-20" }, adminB);
  id.a = getDb().select().from(assessments).where(eq(assessments.schoolId, sa)).get()!.id;
  id.b = getDb().select().from(assessments).where(eq(assessments.schoolId, sb)).get()!.id;
});

type Fn = Parameters<typeof run>[0];
const ROUTES: { name: string; fn: Fn; method: "GET" | "POST"; suffix: string; badId: number }[] = [
  { name: "page", fn: page.loader, method: "GET", suffix: "", badId: 400 },
  { name: "report", fn: report.loader, method: "GET", suffix: "/bao-cao", badId: 400 },
  { name: "report save", fn: report.action, method: "POST", suffix: "/bao-cao", badId: 400 },
  { name: "pdf", fn: pdf.loader, method: "GET", suffix: "/bao-cao.pdf", badId: 400 },
  { name: "evidence", fn: evidence.loader, method: "GET", suffix: "/minh-chung", badId: 404 },
  { name: "log", fn: log.loader, method: "GET", suffix: "/nhat-ky", badId: 400 },
  { name: "submit page", fn: submit.loader, method: "GET", suffix: "/nop", badId: 400 },
  { name: "submit", fn: submit.action, method: "POST", suffix: "/nop", badId: 400 },
];

async function call(r: (typeof ROUTES)[number], username: string | undefined, rawId: string) {
  const b = await browserAs(username);
  const path = `/danh-gia/${rawId}${r.suffix}`;
  const req = r.method === "GET" ? b.get(path) : b.post(path, { confirm: "yes" });
  const res = await run(r.fn, req, { id: rawId });
  return { res, bodyUsed: req.bodyUsed };
}

describe("the page routes", () => {
  for (const r of ROUTES) {
    it(`${r.name}: bad id, no session, unknown, another province's`, async () => {
      const bad = await call(r, "head.a", "abc");
      expect(bad.res.status).toBe(r.badId);
      const anon = await call(r, undefined, String(id.a));
      expect(anon.res.status).toBe(302);
      expect(anon.res.headers.get("Location")).toMatch(/^\/login\?redirectTo=/);
      expect((await call(r, "head.a", "999999")).res.status).toBe(404);
      const other = await call(r, "head.a", String(id.b));
      expect(other.res.status).toBe(403);
      expect(await other.res.json()).toEqual({ error: "Bạn không có quyền truy cập nội dung này." });
      expect(other.bodyUsed).toBe(false);
    });
  }

  it("a reader without edit rights is refused the report save before its body is read", async () => {
    const b = await browserAs("rev.a");
    const req = b.post(`/danh-gia/${id.a}/bao-cao`, { leadership: "x" });
    const res = await run(report.action, req, { id: String(id.a) });
    expect(res.status).toBe(403);
    expect(req.bodyUsed).toBe(false);
    expect((await run(report.loader, b.get(`/danh-gia/${id.a}/bao-cao`), { id: String(id.a) })).status).toBe(200);
  });
});

describe("the autosave endpoint (JSON mode)", () => {
  const post = async (username: string | undefined, rawId: string) => {
    const b = await browserAs(username);
    const req = b.post(`/danh-gia/${rawId}/luu`, { payload: JSON.stringify({ baseVersion: 0, changes: {} }) });
    const res = await run(save.action, req, { id: rawId });
    return { status: res.status, body: await res.json(), bodyUsed: req.bodyUsed };
  };

  it("answers every refusal as JSON, before reading the body", async () => {
    expect(await post("head.a", "abc")).toEqual({ status: 400, body: { ok: false, kind: "bad-request", message: "Mã hồ sơ không hợp lệ." }, bodyUsed: false });
    expect(await post(undefined, String(id.a))).toEqual({
      status: 401,
      body: { ok: false, kind: "unauthenticated", message: "Phiên đăng nhập đã hết hạn. Vui lòng đăng nhập lại." },
      bodyUsed: false,
    });
    expect(await post("head.a", "999999")).toEqual({ status: 404, body: { ok: false, kind: "not-found", message: "Không tìm thấy hồ sơ đánh giá." }, bodyUsed: false });
    expect(await post("head.a", String(id.b))).toEqual({ status: 403, body: { ok: false, kind: "forbidden", message: "Bạn không có quyền truy cập nội dung này." }, bodyUsed: false });
    expect(await post("rev.a", String(id.a))).toMatchObject({ status: 403, body: { kind: "forbidden" }, bodyUsed: false });
  });

  it("lets the school's own save through", async () => {
    const r = await post("head.a", String(id.a));
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ ok: true });
  });
});
