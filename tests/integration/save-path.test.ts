/**
 * The answer save as the server answers it: POST /danh-gia/:id/luu is served by the lean handler in
 * front of Remix (app/server/http/save-endpoint.server.ts). Checked here over real HTTP:
 *   - the success body is exactly what the form reads ({ ok, version, saved, others }), and the rows
 *     written are the answer, the assessment's version and level, and one audit entry;
 *   - every refusal has the Remix route's status and body: the same request with a query string goes
 *     on to the Remix route (the lean handler leaves it alone), and both answers are compared;
 *   - the route's body limit holds for a chunked body, and the form's own multipart body is read.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, desc, eq } from "drizzle-orm";
import { useTestDatabase } from "../helpers/db";
import { browserAs, type Browser } from "../helpers/http";
import { rawRequest, startTestServer, type TestServer } from "../helpers/http-server";
import { getDb } from "~/server/db/client.server";
import { answers, assessments, auditLog, users } from "~/server/db/schema.server";
import { createSchool, createUnit, createUser } from "~/server/services/org.server";
import { openCycle } from "~/server/services/cycles.server";
import { ANSWER_SAVE_LIMIT } from "~/server/http/body-limits.server";

useTestDatabase("save-path");

const PW = "mat-khau-kiem-thu-luu";
let server: TestServer;
let id = 0;
let otherId = 0;
let lockedId = 0;
const b: Record<string, Browser> = {};

beforeAll(async () => {
  const province = createUnit({ kind: "province", code: "SP-P", name: "Sở Lưu", parentId: null }, null);
  const mk = (c: string) => createSchool({ code: `SP-${c}`, name: `Trường ${c}`, type: "TH", managingUnitId: province, reviewingUnitId: province }, null);
  const [A, B, C] = [mk("A"), mk("B"), mk("C")];
  const admin = await createUser({ username: "sp.so", displayName: "Sở Lưu", password: PW, roles: ["office_admin"], unitId: province }, null);
  await createUser({ username: "sp.head", displayName: "Hiệu trưởng A", password: PW, roles: ["school_head"], schoolId: A }, null);
  await createUser({ username: "sp.staff", displayName: "Giáo viên A", password: PW, roles: ["school_staff"], schoolId: A }, null);
  await createUser({ username: "sp.headb", displayName: "Hiệu trưởng B", password: PW, roles: ["school_head"], schoolId: B }, null);
  await createUser({ username: "sp.headc", displayName: "Hiệu trưởng C", password: PW, roles: ["school_head"], schoolId: C }, null);
  await createUser({ username: "sp.new", displayName: "Mới A", password: PW, roles: ["school_head"], schoolId: A, mustChangePassword: true }, null);
  openCycle({ ownerUnitId: province, schoolYear: "2096-2097", editionId: "qd-4725-2022", selfAssessmentDeadline: "2097-05-31", reviewDeadline: "2097-06-20" }, admin);
  const of = (s: number) => getDb().select().from(assessments).where(eq(assessments.schoolId, s)).get()!.id;
  [id, otherId, lockedId] = [of(A), of(B), of(C)];
  getDb().update(assessments).set({ status: "submitted" }).where(eq(assessments.id, lockedId)).run();
  for (const u of ["sp.head", "sp.staff", "sp.headb", "sp.headc", "sp.new"]) b[u] = await browserAs(u);
  server = await startTestServer();
});

afterAll(async () => {
  await server?.close();
});

const urlencoded = { "Content-Type": "application/x-www-form-urlencoded" };
const payload = (baseVersion: number, changes: Record<string, unknown>) => JSON.stringify({ baseVersion, changes });

/** One save over HTTP, urlencoded; `remix` adds a query string so the Remix route answers instead. */
async function save(who: Browser, path: string, fields: Record<string, string>, remix = false) {
  const res = await rawRequest(server.port, {
    method: "POST",
    path: remix ? `${path}?via=remix` : path,
    headers: { ...urlencoded, Cookie: who.cookie },
    body: new URLSearchParams(fields).toString(),
  });
  return { status: res.status, body: JSON.parse(res.body) as Record<string, unknown>, headers: res.headers };
}

const answerRow = (code: string) =>
  getDb().select().from(answers).where(and(eq(answers.assessmentId, id), eq(answers.phase, "self"), eq(answers.itemCode, code))).get();
const version = (aid = id) => getDb().select({ v: assessments.version }).from(assessments).where(eq(assessments.id, aid)).get()!.v;
const audits = () => getDb().select().from(auditLog).where(eq(auditLog.assessmentId, id)).orderBy(desc(auditLog.id)).all();
const userId = (username: string) => getDb().select({ id: users.id }).from(users).where(eq(users.username, username)).get()!.id;

describe("a save that goes through", () => {
  it("answers exactly { ok, version, saved, others } and writes the answer, the version, the level and one audit entry", async () => {
    const v0 = version();
    const n0 = audits().length;
    const r = await save(b["sp.head"], `/danh-gia/${id}/luu`, { _csrf: b["sp.head"].csrf, payload: payload(v0, { "1.3.1": { value: true, note: "Có kế hoạch", seen: 0 } }) });
    expect(r.status).toBe(200);
    expect(r.headers["content-type"]).toBe("application/json; charset=utf-8");
    expect(r.headers["etag"]).toBeUndefined();
    expect(r.body).toEqual({ ok: true, version: v0 + 1, saved: ["1.3.1"], others: [] });
    expect(Object.keys(r.body).sort()).toEqual(["ok", "others", "saved", "version"]);

    const row = answerRow("1.3.1")!;
    expect(row.value).toBe(true);
    expect(row.note).toBe("Có kế hoạch");
    expect(row.version).toBe(v0 + 1);
    expect(row.updatedBy).toBe(userId("sp.head"));
    const a = getDb().select().from(assessments).where(eq(assessments.id, id)).get()!;
    expect(a.version).toBe(v0 + 1);
    expect(typeof a.selfLevel).toBe("number");
    const log = audits();
    expect(log.length).toBe(n0 + 1);
    expect(log[0]).toMatchObject({ action: "assessment.save", entityType: "assessment", entityId: String(id), actorId: userId("sp.head"), assessmentId: id });
    expect(log[0].details).toEqual({ from: "draft", to: "draft", version: v0 + 1, items: ["1.3.1"], level: a.selfLevel });
  });

  it("lists another user's merged change in `others`, and clears a value to NULL (not the JSON text null)", async () => {
    const v1 = version();
    const staff = b["sp.staff"];
    // The staff member's tab was opened before the head's save: base v1 - 1.
    const r = await save(staff, `/danh-gia/${id}/luu`, { _csrf: staff.csrf, payload: payload(v1 - 1, { "1.3.2": { value: false, seen: 0 } }) });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ ok: true, version: v1 + 1, saved: ["1.3.2"] });
    expect((r.body.others as { code: string; version: number; updatedBy: string }[]).map((o) => [o.code, o.version, o.updatedBy])).toEqual([["1.3.1", v1, "Hiệu trưởng A"]]);

    const c = await save(staff, `/danh-gia/${id}/luu`, { _csrf: staff.csrf, payload: payload(v1 + 1, { "1.3.2": { value: null, seen: v1 + 1 } }) });
    expect(c.status).toBe(200);
    const raw = getDb().$client.prepare("SELECT value, version FROM answers WHERE assessment_id = ? AND item_code = '1.3.2'").get(id) as { value: unknown; version: number };
    expect(raw).toEqual({ value: null, version: v1 + 2 });
    expect(version()).toBe(v1 + 2);
  });

  it("reads the form's own multipart body (FormData)", async () => {
    const v = version();
    const fd = new FormData();
    fd.set("_csrf", b["sp.head"].csrf);
    fd.set("payload", payload(v, { "1.3.3": { value: true, seen: 0 } }));
    const res = await fetch(`${server.origin}/danh-gia/${id}/luu`, { method: "POST", body: fd, headers: { Cookie: b["sp.head"].cookie, Accept: "application/json" } });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true, version: v + 1, saved: ["1.3.3"], others: [] });
    expect(answerRow("1.3.3")!.value).toBe(true);
  });
});

describe("every other answer is the Remix route's", () => {
  const cases: [string, () => { who: Browser; path: string; fields: Record<string, string> }, number][] = [
    ["a malformed id", () => ({ who: b["sp.head"], path: "/danh-gia/abc/luu", fields: { _csrf: b["sp.head"].csrf, payload: "{}" } }), 400],
    ["an unknown assessment", () => ({ who: b["sp.head"], path: "/danh-gia/987654/luu", fields: { _csrf: b["sp.head"].csrf, payload: "{}" } }), 404],
    ["another school's assessment", () => ({ who: b["sp.headb"], path: `/danh-gia/${id}/luu`, fields: { _csrf: b["sp.headb"].csrf, payload: "{}" } }), 403],
    ["a user who must change their password", () => ({ who: b["sp.new"], path: `/danh-gia/${id}/luu`, fields: { _csrf: b["sp.new"].csrf, payload: "{}" } }), 403],
    ["another session's CSRF token", () => ({ who: b["sp.head"], path: `/danh-gia/${id}/luu`, fields: { _csrf: b["sp.staff"].csrf, payload: "{}" } }), 403],
    ["no CSRF token", () => ({ who: b["sp.head"], path: `/danh-gia/${id}/luu`, fields: { payload: "{}" } }), 403],
    ["a payload that is not JSON", () => ({ who: b["sp.head"], path: `/danh-gia/${id}/luu`, fields: { _csrf: b["sp.head"].csrf, payload: "{oops" } }), 400],
    ["a payload of the wrong shape", () => ({ who: b["sp.head"], path: `/danh-gia/${id}/luu`, fields: { _csrf: b["sp.head"].csrf, payload: JSON.stringify({ baseVersion: -1, changes: [] }) } }), 400],
    ["an unknown item", () => ({ who: b["sp.head"], path: `/danh-gia/${id}/luu`, fields: { _csrf: b["sp.head"].csrf, payload: payload(1, { "9.9.9": { value: true } }) } }), 422],
    ["a submitted assessment", () => ({ who: b["sp.headc"], path: `/danh-gia/${lockedId}/luu`, fields: { _csrf: b["sp.headc"].csrf, payload: payload(1, { "1.3.1": { value: true } }) } }), 423],
    ["a stale value of an item saved since (conflict)", () => ({ who: b["sp.staff"], path: `/danh-gia/${id}/luu`, fields: { _csrf: b["sp.staff"].csrf, payload: payload(0, { "1.3.1": { value: false, seen: 0 } }) } }), 409],
  ];
  for (const [name, make, status] of cases) {
    it(`${name}: ${status}, the same body as the route, nothing written`, async () => {
      const { who, path, fields } = make();
      const v = version();
      const n = audits().length;
      const lean = await save(who, path, fields);
      const remix = await save(who, path, fields, true);
      expect(lean.status).toBe(status);
      expect(remix.status).toBe(status);
      expect(lean.body).toEqual(remix.body);
      expect(lean.headers["content-type"]).toBe(remix.headers["content-type"]);
      expect(version()).toBe(v);
      expect(audits().length).toBe(n);
    });
  }

  it("all of them at once, beside one good save (they may share its group commit): each its own answer; only the good save is written, once", async () => {
    const v = version();
    const vLocked = version(lockedId);
    const n = audits().length;
    const hostile = cases.map(([, make, status]) => ({ ...make(), status }));
    const good = { who: b["sp.head"], path: `/danh-gia/${id}/luu`, fields: { _csrf: b["sp.head"].csrf, payload: payload(v, { "1.3.4": { value: true, seen: 0 } }) } };
    const answers = await Promise.all([good, ...hostile].map((c) => save(c.who, c.path, c.fields)));
    expect(answers[0]).toMatchObject({ status: 200, body: { ok: true, version: v + 1, saved: ["1.3.4"] } });
    // The conflict is judged against what is stored when it runs: before or after the good save, still 409.
    expect(answers.slice(1).map((a) => a.status)).toEqual(hostile.map((c) => c.status));
    expect(version()).toBe(v + 1);
    expect(audits().length).toBe(n + 1);
    expect(answerRow("1.3.4")).toMatchObject({ value: true, version: v + 1 });
    expect(answerRow("9.9.9")).toBeUndefined();
    expect(version(lockedId)).toBe(vLocked);
  });

  it("a body that is not a form: 400, as the route's readForm answers", async () => {
    const send = (path: string) =>
      rawRequest(server.port, {
        method: "POST",
        path,
        headers: { "Content-Type": "multipart/form-data; boundary=zzz", Cookie: b["sp.head"].cookie },
        body: "--zzz\r\nContent-Disposition: form-data; name=\"payload\"\r\n\r\nunterminated",
      });
    const lean = await send(`/danh-gia/${id}/luu`);
    const remix = await send(`/danh-gia/${id}/luu?via=remix`);
    expect(lean.status).toBe(400);
    expect(remix.status).toBe(400);
    expect(JSON.parse(lean.body)).toEqual(JSON.parse(remix.body));
  });

  it("a chunked body over the route's limit: 413 at the first byte too many, connection closed", async () => {
    const res = await rawRequest(server.port, {
      method: "POST",
      path: `/danh-gia/${id}/luu`,
      headers: { ...urlencoded, Cookie: b["sp.head"].cookie },
      body: { total: 32 * 1024 * 1024 },
    });
    expect(res.status).toBe(413);
    expect(JSON.parse(res.body)).toMatchObject({ ok: false, kind: "too-large" });
    expect(res.headers["connection"]).toBe("close");
    expect(JSON.parse(res.body).message).toContain("3 MB");
    expect(res.sentBeforeResponse).toBeLessThan(32 * 1024 * 1024);
  });

  it("no session: the server's 401 JSON, before the body", async () => {
    const anon = await browserAs();
    const r = await save(anon, `/danh-gia/${id}/luu`, { _csrf: anon.csrf, payload: "{}" });
    expect(r.status).toBe(401);
    expect(r.body).toMatchObject({ ok: false, kind: "unauthenticated" });
  });
});
