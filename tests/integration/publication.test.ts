/**
 * Publication (công bố) on a real SQLite file: two provinces with schools recognised by decisions
 * (through the real services); the first publishes, the second never does. Covers the service
 * (refusal, upsert, audit, withdraw), the exact open-data contract (JSON keys, values from the
 * stored results and certificates), the CSV (BOM, header, rows, formula escaping), ETag and 304
 * (loader and the whole stack with the .json/.csv rewrite), the public page (distribution, tables,
 * folded search, paging, empty state, 404), the school history, revocation, and the office page's
 * action (CSRF and policy).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, asc, desc, eq } from "drizzle-orm";
import { LEVEL2_ANSWERS } from "../helpers/answers";
import { useTestDatabase } from "../helpers/db";
import { browserAs, run } from "../helpers/http";
import { rawRequest, startTestServer, testBuild, type TestServer } from "../helpers/http-server";
import { getDb } from "~/server/db/client.server";
import { assessmentResults, assessments, auditLog, certificates, publications, schools, units } from "~/server/db/schema.server";
import { createSchool, createUnit, createUser } from "~/server/services/org.server";
import { openCycle } from "~/server/services/cycles.server";
import { saveAnswers, submitAssessment } from "~/server/services/assessments.server";
import { approve, keepSelf } from "~/server/services/review.server";
import { changeDecisionFiles, createDecision, issueDecision, revokeCertificate, updateDecision } from "~/server/services/recognition.server";
import {
  activePublications,
  CSV_COLUMNS,
  etagMatches,
  isPublished,
  publicationPage,
  publish,
  publishedYear,
  schoolHistory,
  withdraw,
  type OpenData,
} from "~/server/services/publication.server";
import { publicUrlAlias } from "~/server/http/public-urls.server";
import * as indexRoute from "~/routes/cong-bo._index";
import * as pageRoute from "~/routes/cong-bo.$unitCode.$schoolYear";
import * as jsonRoute from "~/routes/cong-bo.$unitCode.$schoolYear.json";
import * as csvRoute from "~/routes/cong-bo.$unitCode.$schoolYear.csv";
import * as schoolRoute from "~/routes/cong-bo.truong.$schoolCode";
import * as manageRoute from "~/routes/cong-bo.quan-ly";

useTestDatabase("publication");

const BASE_URL = "https://cds.example.vn";
const prevBase = process.env.PUBLIC_BASE_URL;
const NOW = Date.UTC(2099, 0, 20, 3, 0, 0);
const YEAR = "2098-2099";
const db = () => getDb();
const ids: Record<string, number> = {};
let server: TestServer;

async function recogniseAll(office: number, admin: number, schoolHeads: [number, number][], number: string) {
  const files: number[] = [];
  for (const [school, head] of schoolHeads) {
    const a = db().select().from(assessments).where(eq(assessments.schoolId, school)).get()!;
    const changes = Object.fromEntries(Object.entries(LEVEL2_ANSWERS).map(([k, value]) => [k, { value }]));
    expect(saveAnswers(a.id, { baseVersion: a.version, changes }, head, NOW)).toMatchObject({ ok: true });
    expect(submitAssessment(a.id, head, NOW)).toMatchObject({ ok: true });
    expect(approve(a.id, admin, {}, NOW)).toMatchObject({ ok: true });
    files.push(a.id);
  }
  expect(keepSelf(files, admin, NOW).done.length).toBe(files.length);
  const d = createDecision(office, YEAR, admin, NOW);
  if (!d.ok) throw new Error(d.message);
  const u = updateDecision(d.id, { number, decidedOn: "2099-01-15", place: "Nơi ký", signerName: "Người Ký Quyết Định", signerTitle: "Giám đốc" }, admin, 1, NOW);
  if (!u.ok) throw new Error(u.message);
  const c = changeDecisionFiles(d.id, { add: files }, admin, NOW);
  if (!c.ok) throw new Error(c.message);
  const issued = issueDecision(d.id, admin, c.version, NOW);
  if (!issued.ok) throw new Error(issued.message);
}

beforeAll(async () => {
  process.env.PUBLIC_BASE_URL = BASE_URL;
  const pw = "mat-khau-kiem-thu";
  ids.P = createUnit({ kind: "province", code: "CB", name: "Sở Giáo dục và Đào tạo Công Bố", parentId: null }, null);
  ids.X = createUnit({ kind: "commune", code: "CB-X1", name: "UBND xã Hoà Bình", parentId: ids.P }, null);
  ids.A = createSchool({ code: "CB-A01", name: "Trường Tiểu học Hoà Ban", type: "TH", managingUnitId: ids.X, reviewingUnitId: ids.P }, null);
  ids.B = createSchool({ code: "CB-B02", name: "Trường THCS Sơn Ca", type: "THCS", managingUnitId: ids.X, reviewingUnitId: ids.P }, null);
  // A name a spreadsheet would read as a formula: the CSV must escape it.
  ids.C = createSchool({ code: "CB-C03", name: "=HYPERLINK(\"x\") Trường THPT Đông Sơn", type: "THPT", managingUnitId: ids.P, reviewingUnitId: ids.P }, null);
  ids.Q = createUnit({ kind: "province", code: "KH", name: "Sở Giáo dục và Đào tạo Khác", parentId: null }, null);
  ids.D = createSchool({ code: "KH-D04", name: "Trường Tiểu học Bí Mật", type: "TH", managingUnitId: ids.Q, reviewingUnitId: ids.Q }, null);
  ids.admin = await createUser({ username: "cb.admin", displayName: "Quản Trị Công Bố", password: pw, roles: ["office_admin", "office_reviewer"], unitId: ids.P }, null);
  ids.other = await createUser({ username: "kh.admin", displayName: "Quản Trị Khác", password: pw, roles: ["office_admin", "office_reviewer"], unitId: ids.Q }, null);
  for (const k of ["A", "B", "C", "D"]) ids[`head${k}`] = await createUser({ username: `cb.head${k.toLowerCase()}`, displayName: `Hiệu Trưởng ${k}`, password: pw, roles: ["school_head"], schoolId: ids[k] }, null);
  expect(openCycle({ ownerUnitId: ids.P, schoolYear: YEAR, editionId: "qd-4725-2022", selfAssessmentDeadline: "2099-05-31", reviewDeadline: "2099-06-20" }, ids.admin, db(), NOW)).toMatchObject({ ok: true, created: 3 });
  expect(openCycle({ ownerUnitId: ids.Q, schoolYear: YEAR, editionId: "qd-4725-2022", selfAssessmentDeadline: "2099-05-31", reviewDeadline: "2099-06-20" }, ids.other, db(), NOW)).toMatchObject({ ok: true, created: 1 });
  server = await startTestServer(
    testBuild({ "cong-bo/:unitCode/:schoolYear": pageRoute, "cong-bo/:unitCode/:schoolYear/json": jsonRoute, "cong-bo/:unitCode/:schoolYear/csv": csvRoute }),
  );
});

afterAll(async () => {
  await server?.close();
  if (prevBase === undefined) delete process.env.PUBLIC_BASE_URL;
  else process.env.PUBLIC_BASE_URL = prevBase;
});

const anon = async (path: string) => (await browserAs()).get(path);
const jsonOf = async (unit: string, year: string, headers: Record<string, string> = {}) => {
  const req = await anon(`/cong-bo/${unit}/${year}/json`);
  for (const [k, v] of Object.entries(headers)) req.headers.set(k, v);
  return run(jsonRoute.loader as never, req, { unitCode: unit, schoolYear: year });
};
const csvOf = async (unit: string, year: string, headers: Record<string, string> = {}) => {
  const req = await anon(`/cong-bo/${unit}/${year}/csv`);
  for (const [k, v] of Object.entries(headers)) req.headers.set(k, v);
  return run(csvRoute.loader as never, req, { unitCode: unit, schoolYear: year });
};
const pageOf = async (unit: string, year: string, search = "") => run(pageRoute.loader as never, await anon(`/cong-bo/${unit}/${year}${search}`), { unitCode: unit, schoolYear: year });
const certOf = (schoolId: number) => db().select().from(certificates).where(eq(certificates.schoolId, schoolId)).orderBy(desc(certificates.id)).all();
const auditOf = (action: string) => db().select().from(auditLog).where(eq(auditLog.action, action)).orderBy(asc(auditLog.id)).all();

describe("publishing", () => {
  it("is refused, in Vietnamese, while nothing is recognised in the subtree and year; nothing is written", () => {
    expect(publish(ids.P, YEAR, ids.admin)).toEqual({ ok: false, code: "nothing", message: `Chưa có trường nào thuộc Sở Giáo dục và Đào tạo Công Bố được công nhận trong năm học ${YEAR}, nên chưa có gì để công bố.` });
    expect(publish(ids.P, "2090-2091", ids.admin)).toMatchObject({ ok: false, code: "nothing" });
    expect(publish(ids.P, "2090-2092", ids.admin)).toMatchObject({ ok: false, code: "invalid", message: "Năm học phải có dạng 2025-2026." });
    expect(publish(999_999, YEAR, ids.admin)).toMatchObject({ ok: false, code: "not-found" });
    expect(db().select().from(publications).all()).toEqual([]);
    expect(auditOf("results.publish")).toEqual([]);
  });

  it("recognises the schools of both provinces (setup through the real services)", async () => {
    await recogniseAll(ids.P, ids.admin, [[ids.A, ids.headA], [ids.B, ids.headB], [ids.C, ids.headC]], "10/QĐ-SGDĐT");
    await recogniseAll(ids.Q, ids.other, [[ids.D, ids.headD]], "20/QĐ-SGDĐT");
    expect(db().select({ l: assessments.recognisedLevel }).from(assessments).all().map((r) => r.l)).toEqual([2, 2, 2, 2]);
    // Recognised is not published.
    expect(publishedYear("CB", YEAR)).toBeNull();
    expect(isPublished(ids.A, YEAR)).toBe(false);
  });

  it("writes the row and its audit entry (same transaction), and refuses publishing twice", () => {
    const at = Date.UTC(2099, 1, 1, 2, 0, 0);
    expect(publish(ids.P, YEAR, ids.admin, at)).toEqual({ ok: true });
    expect(db().select().from(publications).all()).toEqual([{ unitId: ids.P, schoolYear: YEAR, publishedAt: new Date(at), publishedBy: ids.admin, withdrawnAt: null, withdrawnBy: null }]);
    const [a] = auditOf("results.publish");
    expect(a).toMatchObject({ at: new Date(at), actorId: ids.admin, action: "results.publish", entityType: "publication", entityId: `${ids.P}:${YEAR}`, unitId: ids.P, schoolId: null, assessmentId: null });
    expect(a!.details).toEqual({ schoolYear: YEAR, unit: "CB", schools: 3, again: false });
    expect(publish(ids.P, YEAR, ids.admin)).toMatchObject({ ok: false, code: "state", message: "Năm học này đã được công bố." });
    expect(auditOf("results.publish")).toHaveLength(1);
    expect(isPublished(ids.A, YEAR)).toBe(true);
    expect(isPublished(ids.D, YEAR)).toBe(false);
    expect(activePublications()).toEqual([{ unitCode: "CB", unitName: "Sở Giáo dục và Đào tạo Công Bố", schoolYear: YEAR, publishedAt: new Date(at).toISOString(), schools: 3 }]);
  });
});

describe("the open data", () => {
  it("has exactly the contract's keys, with values from the stored results and certificates", async () => {
    const res = await jsonOf("CB", YEAR);
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toBe("application/json; charset=utf-8");
    expect(res.headers.get("Cache-Control")).toBe("public, max-age=300");
    const text = await res.text();
    const d = JSON.parse(text) as OpenData;
    expect(Object.keys(d)).toEqual(["unit", "schoolYear", "edition", "publishedAt", "summary", "schools"]);
    expect(d.unit).toEqual({ code: "CB", name: "Sở Giáo dục và Đào tạo Công Bố" });
    expect(d.schoolYear).toBe(YEAR);
    expect(d.edition).toBe("qd-4725-2022");
    expect(d.publishedAt).toBe("2099-02-01T02:00:00.000Z");
    expect(d.summary).toEqual({ schools: 3, levels: { "1": 0, "2": 3, "3": 0 } });
    expect(Object.keys(d.summary.levels)).toEqual(["1", "2", "3"]);
    // Vietnamese order of the names ("=HYPERLINK…" sorts first, "THCS" before "Tiểu").
    expect(d.schools.map((s) => s.code)).toEqual(["CB-C03", "CB-B02", "CB-A01"]);
    for (const s of d.schools) {
      expect(Object.keys(s)).toEqual(["code", "name", "type", "subUnit", "level", "groups", "certificate"]);
      expect(Object.keys(s.groups)).toEqual(["1", "2"]);
      const schoolId = db().select({ id: schools.id }).from(schools).where(eq(schools.code, s.code)).get()!.id;
      const a = db().select().from(assessments).where(eq(assessments.schoolId, schoolId)).get()!;
      expect(s.level).toBe(a.recognisedLevel);
      for (const code of ["1", "2"]) {
        const r = db()
          .select()
          .from(assessmentResults)
          .where(and(eq(assessmentResults.assessmentId, a.id), eq(assessmentResults.phase, "external"), eq(assessmentResults.kind, "group"), eq(assessmentResults.code, code)))
          .get()!;
        expect(Object.keys(s.groups[code]!)).toEqual(["points", "level"]);
        expect(s.groups[code]).toEqual({ points: r.points / 100, level: r.level });
        expect(typeof s.groups[code]!.points).toBe("number");
        expect(Math.round(s.groups[code]!.points * 100)).toBe(s.groups[code]!.points * 100);
      }
      const cert = certOf(schoolId)[0]!;
      expect(Object.keys(s.certificate!)).toEqual(["number", "verifyUrl"]);
      expect(s.certificate).toEqual({ number: cert.serial, verifyUrl: `${BASE_URL}/xac-minh/${cert.token}` });
    }
    expect(d.schools.find((s) => s.code === "CB-A01")).toMatchObject({ name: "Trường Tiểu học Hoà Ban", type: "TH", subUnit: "UBND xã Hoà Bình", level: 2 });
    expect(d.schools.find((s) => s.code === "CB-C03")).toMatchObject({ type: "THPT", subUnit: "Sở Giáo dục và Đào tạo Công Bố" });
    // Nothing personal or internal.
    for (const s of ["Quản Trị", "cb.admin", "Hiệu Trưởng", "Người Ký", '"id"', "assessmentId", "schoolId", "searchKey", "subId", "Bí Mật", "KH-D04"]) expect(text).not.toContain(s);
    expect(await publishedYear("CB", YEAR)).toEqual(d);
  });

  it("CSV: UTF-8 BOM, the exact header, one row per school, formulas escaped", async () => {
    const res = await csvOf("CB", YEAR);
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
    expect(res.headers.get("Content-Disposition")).toBe(`attachment; filename="cong-bo-CB-${YEAR}.csv"`);
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder("utf-8", { ignoreBOM: true }).decode(bytes);
    expect(text.startsWith("\uFEFF")).toBe(true);
    const lines = text.slice(1).split("\r\n");
    expect(lines[0]).toBe("code,name,type,subUnit,level,group1Points,group1Level,group2Points,group2Level,certificateNumber,verifyUrl");
    expect(CSV_COLUMNS.join(",")).toBe(lines[0]);
    expect(lines).toHaveLength(5); // header, 3 schools, the empty string after the last CRLF
    expect(lines[4]).toBe("");
    const d = publishedYear("CB", YEAR)!;
    const a = d.schools.find((s) => s.code === "CB-A01")!;
    expect(lines[3]).toBe(
      ["CB-A01", "Trường Tiểu học Hoà Ban", "TH", "UBND xã Hoà Bình", 2, a.groups["1"]!.points, a.groups["1"]!.level, a.groups["2"]!.points, a.groups["2"]!.level, a.certificate!.number, a.certificate!.verifyUrl].join(","),
    );
    expect(lines[1]).toMatch(/^CB-C03,"'=HYPERLINK\(""x""\) Trường THPT Đông Sơn",THPT,/);
  });

  it("ETag is the body's strong hash; If-None-Match gives 304 with no body; a changed body a new ETag", async () => {
    const first = await jsonOf("CB", YEAR);
    const etag = first.headers.get("ETag")!;
    expect(etag).toMatch(/^"[A-Za-z0-9_-]{43}"$/);
    const { createHash } = await import("node:crypto");
    expect(etag).toBe(`"${createHash("sha256").update(await first.text()).digest("base64url")}"`);
    const again = await jsonOf("CB", YEAR, { "If-None-Match": etag });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe("");
    expect(again.headers.get("ETag")).toBe(etag);
    expect(again.headers.get("Cache-Control")).toBe("public, max-age=300");
    expect((await jsonOf("CB", YEAR, { "If-None-Match": `"other", W/${etag}` })).status).toBe(304);
    expect((await jsonOf("CB", YEAR, { "If-None-Match": '"other"' })).status).toBe(200);
    const csv = await csvOf("CB", YEAR);
    const csvTag = csv.headers.get("ETag")!;
    expect(csvTag).not.toBe(etag);
    expect((await csvOf("CB", YEAR, { "If-None-Match": csvTag })).status).toBe(304);
    expect(etagMatches("*", etag)).toBe(true);
    expect(etagMatches(null, etag)).toBe(false);
  });

  it("through the whole stack: /cong-bo/<unit>/<year>.json and .csv are rewritten and answer with ETag and 304", async () => {
    const j = await rawRequest(server.port, { path: `/cong-bo/CB/${YEAR}.json` });
    expect(j.status).toBe(200);
    expect(j.headers["content-type"]).toMatch(/^application\/json/);
    expect(j.headers["cache-control"]).toBe("public, max-age=300");
    expect(JSON.parse(j.body)).toEqual(publishedYear("CB", YEAR));
    const etag = j.headers.etag as string;
    const j304 = await rawRequest(server.port, { path: `/cong-bo/CB/${YEAR}.json`, headers: { "If-None-Match": etag } });
    expect(j304.status).toBe(304);
    expect(j304.body).toBe("");
    const c = await rawRequest(server.port, { path: `/cong-bo/CB/${YEAR}.csv` });
    expect(c.status).toBe(200);
    expect(c.headers["content-type"]).toMatch(/^text\/csv/);
    expect(c.body.startsWith("\uFEFFcode,name,type,")).toBe(true);
    const missing = await rawRequest(server.port, { path: `/cong-bo/KH/${YEAR}.json` });
    expect(missing.status).toBe(404);
    expect(JSON.parse(missing.body)).toEqual({ error: "Kết quả năm học này chưa được công bố." });
  });

  it.each([
    ["GET", `/cong-bo/S99/2025-2026.json`, `/cong-bo/S99/2025-2026/json`],
    ["HEAD", `/cong-bo/S99/2025-2026.csv?x=1`, `/cong-bo/S99/2025-2026/csv?x=1`],
    ["GET", `/cong-bo/S99-P01/2025-2026.csv`, `/cong-bo/S99-P01/2025-2026/csv`],
    ["POST", `/cong-bo/S99/2025-2026.json`, null],
    ["GET", `/cong-bo/S99/2025-2026`, null],
    ["GET", `/cong-bo/S99/2025-2026.pdf`, null],
    ["GET", `/cong-bo/S99/abc.json`, null],
    ["GET", `/cong-bo/a/b/2025-2026.json`, null],
    ["GET", `/cong-bo.json`, null],
  ])("publicUrlAlias %s %s → %s", (method, url, expected) => {
    expect(publicUrlAlias(method, url, "application/json")).toBe(expected);
  });
});

describe("the public pages", () => {
  it("the year page: distribution sentence, tables by sub-unit and type, the schools, public cache", async () => {
    const res = await pageOf("CB", YEAR);
    expect(res.status).toBe(200);
    expect(res.headers.get("Cache-Control")).toBe("public, max-age=60");
    const d = (await res.json()) as Extract<ReturnType<typeof publicationPage>, { status: "published" }>;
    expect(d.status).toBe("published");
    expect(d.dist).toEqual({ total: 3, counts: [0, 3, 0], shares: [0, 1000, 0] });
    expect(d.subUnits.map((r) => [r.name, r.dist.counts])).toEqual([
      ["UBND xã Hoà Bình", [0, 2, 0]],
      ["Trực thuộc Sở Giáo dục và Đào tạo Công Bố", [0, 1, 0]],
    ]);
    expect(d.types.map((r) => [r.name, r.dist.total])).toEqual([
      ["TH", 1],
      ["THCS", 1],
      ["THPT", 1],
    ]);
    expect(d.schools.map((s) => s.code)).toEqual(["CB-C03", "CB-B02", "CB-A01"]);
    expect([d.page, d.pageCount, d.total]).toEqual([1, 1, 3]);
  });

  it("renders as HTML through the whole stack: sentence, chart, tables, certificate links; public cache once no cookie is set", async () => {
    const first = await rawRequest(server.port, { path: `/cong-bo/CB/${YEAR}`, headers: { Accept: "text/html" } });
    expect(first.status).toBe(200);
    expect(first.headers["content-type"]).toMatch(/^text\/html/);
    // The first visit sets the CSRF pre-session cookie: never stored by a shared cache.
    expect(first.headers["set-cookie"]).toBeDefined();
    expect(first.headers["cache-control"]).toBe("private, no-cache");
    const cookie = (first.headers["set-cookie"] as string[]).map((c) => c.split(";")[0]).join("; ");
    const again = await rawRequest(server.port, { path: `/cong-bo/CB/${YEAR}?q=son+ca`, headers: { Accept: "text/html", Cookie: cookie } });
    expect(again.status).toBe(200);
    expect(again.headers["set-cookie"]).toBeUndefined();
    expect(again.headers["cache-control"]).toBe("public, max-age=60");
    expect(again.headers.vary).toMatch(/Cookie/);
    const html = first.body;
    expect(html).toContain("Mức 1: 0/3 trường (chiếm 0,0%); Mức 2: 3/3 trường (chiếm 100,0%); Mức 3: 0/3 trường (chiếm 0,0%).");
    expect(html).toContain('data-testid="chart"');
    expect(html).toContain("UBND xã Hoà Bình");
    expect(html).toContain("Trực thuộc Sở Giáo dục và Đào tạo Công Bố");
    for (const code of ["CB-A01", "CB-B02", "CB-C03"]) {
      const cert = certOf(ids[code[3]!]!)[0]!;
      expect(html).toContain(`href="${BASE_URL}/xac-minh/${cert.token}"`);
    }
    expect(html).toContain(`href="/cong-bo/CB/${YEAR}.json"`);
    expect(html).toContain(`href="/cong-bo/CB/${YEAR}.csv"`);
    expect(again.body).toContain('data-school="CB-B02"');
    expect(again.body).not.toContain('data-school="CB-A01"');
    const missing = await rawRequest(server.port, { path: `/cong-bo/NOPE/${YEAR}`, headers: { Accept: "text/html" } });
    expect(missing.status).toBe(404);
    expect(missing.body).toContain("Không tìm thấy trang công bố");
    expect(missing.body).toContain('href="/cong-bo"');
    const empty = await rawRequest(server.port, { path: `/cong-bo/KH/${YEAR}`, headers: { Accept: "text/html" } });
    expect(empty.status).toBe(404);
    expect(empty.body).toContain(`Sở Giáo dục và Đào tạo Khác chưa công bố kết quả năm học ${YEAR}`);
    expect(empty.body).not.toContain("Bí Mật");
  });

  it("search folds Vietnamese (no marks, đ → d) and matches codes, on the server", () => {
    const codes = (q: string) => (publicationPage("CB", YEAR, { q }) as { schools: { code: string }[] }).schools.map((s) => s.code);
    expect(codes("hoa ban")).toEqual(["CB-A01"]);
    expect(codes("HOÀ BAN")).toEqual(["CB-A01"]);
    expect(codes("dong son")).toEqual(["CB-C03"]);
    expect(codes("cb-b02")).toEqual(["CB-B02"]);
    expect(codes("không có")).toEqual([]);
    expect(publicationPage("CB", YEAR, { q: "zzz" })).toMatchObject({ total: 0, page: 1, pageCount: 1 });
    expect(publicationPage("CB", YEAR, { page: 99 })).toMatchObject({ page: 1 });
  });

  it("the headers function keeps the cache private when the response sets a cookie or the visitor is signed in", async () => {
    const h = (own: string, cookie: boolean) =>
      new Headers(
        pageRoute.headers({ loaderHeaders: new Headers({ "Cache-Control": own }), parentHeaders: new Headers(cookie ? { "Set-Cookie": "a=b" } : {}), actionHeaders: new Headers(), errorHeaders: undefined } as never) as HeadersInit,
      );
    expect(h("public, max-age=60", false).get("Cache-Control")).toBe("public, max-age=60");
    expect(h("public, max-age=60", true).get("Cache-Control")).toBe("private, no-cache");
    expect(h("public, max-age=60", false).get("Vary")).toBe("Cookie");
    const signedIn = await browserAs("cb.admin");
    const res = await run(pageRoute.loader as never, signedIn.get(`/cong-bo/CB/${YEAR}`), { unitCode: "CB", schoolYear: YEAR });
    expect(res.headers.get("Cache-Control")).toBe("private, no-cache");
  });

  it("unknown unit: 404 (error boundary); known unit, year not published: 404 with the empty state, never a redirect", async () => {
    const unknown = await pageOf("NOPE", YEAR);
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({ error: "Không tìm thấy đơn vị này." });
    for (const [unit, year] of [
      ["KH", YEAR],
      ["CB", "2090-2091"],
      ["CB", "garbage"],
    ]) {
      const r = await pageOf(unit!, year!);
      expect(r.status, `${unit} ${year}`).toBe(404);
      expect(r.headers.get("Location")).toBeNull();
      const body = (await r.json()) as { status: string; schoolYear: string; unit: { code: string } };
      expect(body).toMatchObject({ status: "not-published", schoolYear: year, unit: { code: unit } });
      expect(JSON.stringify(body)).not.toContain("Bí Mật");
    }
    expect((await pageOf("KH", YEAR).then((r) => r.json())) as object).toEqual({ status: "not-published", unit: { code: "KH", name: "Sở Giáo dục và Đào tạo Khác" }, schoolYear: YEAR, years: [] });
  });

  it("the other province's recognised but unpublished school never appears", async () => {
    expect(publishedYear("KH", YEAR)).toBeNull();
    expect((await jsonOf("KH", YEAR)).status).toBe(404);
    expect((await csvOf("KH", YEAR)).status).toBe(404);
    const idx = await run(indexRoute.loader as never, await anon("/cong-bo"));
    const text = await idx.text();
    expect(text).toContain("Sở Giáo dục và Đào tạo Công Bố");
    expect(text).not.toContain("Khác");
    const hist = schoolHistory("KH-D04")!;
    expect(hist.years).toEqual([]);
    // Known but with nothing published: the same 404 as an unknown code, without its name.
    const page = await run(schoolRoute.loader as never, await anon("/cong-bo/truong/KH-D04"), { schoolCode: "KH-D04" });
    expect(page.status).toBe(404);
    const unknown = await run(schoolRoute.loader as never, await anon("/cong-bo/truong/KH-XXX"), { schoolCode: "KH-XXX" });
    expect(await page.text()).toBe(await unknown.text());
  });

  it("the school page lists its published years with the certificate; unknown code is 404", async () => {
    const res = await run(schoolRoute.loader as never, await anon("/cong-bo/truong/CB-A01"), { schoolCode: "CB-A01" });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { school: object; years: { schoolYear: string; level: number; certificate: { number: string }; publication: object }[] };
    expect(Object.keys(body)).toEqual(["school", "years"]);
    expect(body.years).toHaveLength(1);
    expect(body.years[0]).toMatchObject({ schoolYear: YEAR, level: 2, certificate: { number: certOf(ids.A)[0]!.serial }, publication: { unitCode: "CB", unitName: "Sở Giáo dục và Đào tạo Công Bố" } });
    const missing = await run(schoolRoute.loader as never, await anon("/cong-bo/truong/NOPE"), { schoolCode: "NOPE" });
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error: "Không tìm thấy kết quả đã công bố của trường có mã này." });
  });
});

describe("revocation and withdrawal", () => {
  it("a revoked certificate's school disappears from the JSON, CSV, page, counts and its history", async () => {
    const before = (await jsonOf("CB", YEAR)).headers.get("ETag");
    expect(revokeCertificate(certOf(ids.A)[0]!.id, "Sai minh chứng.", ids.admin, NOW + 1000)).toMatchObject({ ok: true });
    const d = publishedYear("CB", YEAR)!;
    expect(d.schools.map((s) => s.code)).toEqual(["CB-C03", "CB-B02"]);
    expect(d.summary).toEqual({ schools: 2, levels: { "1": 0, "2": 2, "3": 0 } });
    const res = await jsonOf("CB", YEAR, { "If-None-Match": before! });
    expect(res.status).toBe(200);
    expect(res.headers.get("ETag")).not.toBe(before);
    expect(await csvOf("CB", YEAR).then((r) => r.text())).not.toContain("CB-A01");
    expect(publicationPage("CB", YEAR, { q: "hoa ban" })).toMatchObject({ total: 0 });
    expect(schoolHistory("CB-A01")!.years).toEqual([]);
    expect(isPublished(ids.A, YEAR)).toBe(false);
    expect(activePublications()[0]!.schools).toBe(2);
  });

  it("withdrawing: audit row, the page's empty state, JSON and CSV 404; publishing again clears it", async () => {
    const at = Date.UTC(2099, 1, 5, 2, 0, 0);
    expect(withdraw(ids.P, YEAR, ids.admin, at)).toEqual({ ok: true });
    expect(db().select().from(publications).get()).toMatchObject({ withdrawnAt: new Date(at), withdrawnBy: ids.admin });
    const [w] = auditOf("results.withdraw");
    expect(w).toMatchObject({ actorId: ids.admin, entityType: "publication", entityId: `${ids.P}:${YEAR}`, unitId: ids.P, details: { schoolYear: YEAR, unit: "CB" } });
    expect(withdraw(ids.P, YEAR, ids.admin)).toMatchObject({ ok: false, code: "state" });
    const page = await pageOf("CB", YEAR);
    expect(page.status).toBe(404);
    expect(await page.json()).toMatchObject({ status: "not-published", years: [] });
    const j = await jsonOf("CB", YEAR);
    expect(j.status).toBe(404);
    expect(await j.json()).toEqual({ error: "Kết quả năm học này chưa được công bố." });
    expect((await csvOf("CB", YEAR)).status).toBe(404);
    expect(activePublications()).toEqual([]);
    expect(schoolHistory("CB-B02")!.years).toEqual([]);

    expect(publish(ids.P, YEAR, ids.admin, at + 1000)).toEqual({ ok: true });
    expect(db().select().from(publications).get()).toMatchObject({ publishedAt: new Date(at + 1000), withdrawnAt: null, withdrawnBy: null });
    expect(auditOf("results.publish").at(-1)!.details).toMatchObject({ again: true, schools: 2 });
    expect(publishedYear("CB", YEAR)!.schools).toHaveLength(2);
  });
});

describe("the office page /cong-bo/quan-ly", () => {
  it("lists the unit's years with recognised files; the other office sees only its own", async () => {
    const mine = (await (await run(manageRoute.loader as never, (await browserAs("cb.admin")).get("/cong-bo/quan-ly"))).json()) as { rows: { unitCode: string; schoolYear: string; recognised: number; active: boolean }[] };
    expect(mine.rows.map((r) => [r.unitCode, r.schoolYear, r.recognised, r.active])).toEqual([
      ["CB", YEAR, 2, true],
      ["CB-X1", YEAR, 1, false],
    ]);
    const theirs = (await (await run(manageRoute.loader as never, (await browserAs("kh.admin")).get("/cong-bo/quan-ly"))).json()) as { rows: { unitCode: string }[] };
    expect(theirs.rows.map((r) => r.unitCode)).toEqual(["KH"]);
    const head = await run(manageRoute.loader as never, (await browserAs("cb.heada")).get("/cong-bo/quan-ly"));
    expect(head.status).toBe(403);
  });

  it("the action publishes and withdraws with CSRF and the policy; refuses without CSRF and for another province", async () => {
    const b = await browserAs("kh.admin");
    const noCsrf = await run(manageRoute.action as never, b.post("/cong-bo/quan-ly", { intent: "publish", unitId: String(ids.Q), schoolYear: YEAR }, { csrf: null }));
    expect(noCsrf.status).toBe(403);
    const foreign = await run(manageRoute.action as never, b.post("/cong-bo/quan-ly", { intent: "withdraw", unitId: String(ids.P), schoolYear: YEAR }));
    expect(foreign.status).toBe(403);
    expect(publishedYear("CB", YEAR)).not.toBeNull();
    const bad = await run(manageRoute.action as never, b.post("/cong-bo/quan-ly", { intent: "delete", unitId: String(ids.Q), schoolYear: YEAR }));
    expect(bad.status).toBe(400);
    const ok = await run(manageRoute.action as never, b.post("/cong-bo/quan-ly", { intent: "publish", unitId: String(ids.Q), schoolYear: YEAR }));
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ ok: true, message: "Đã công bố kết quả." });
    expect(publishedYear("KH", YEAR)!.schools.map((s) => s.code)).toEqual(["KH-D04"]);
    expect(auditOf("results.publish").at(-1)).toMatchObject({ actorId: ids.other, unitId: ids.Q });
    const nothing = await run(manageRoute.action as never, b.post("/cong-bo/quan-ly", { intent: "publish", unitId: String(ids.Q), schoolYear: "2090-2091" }));
    expect(nothing.status).toBe(409);
    expect(((await nothing.json()) as { message: string }).message).toMatch(/^Chưa có trường nào thuộc Sở Giáo dục và Đào tạo Khác được công nhận/);
    const off = await run(manageRoute.action as never, b.post("/cong-bo/quan-ly", { intent: "withdraw", unitId: String(ids.Q), schoolYear: YEAR }));
    expect(await off.json()).toEqual({ ok: true, message: "Đã rút lại công bố." });
    expect(publishedYear("KH", YEAR)).toBeNull();
    // Unknown units are refused by the policy (403), not probed.
    const ghost = await run(manageRoute.action as never, b.post("/cong-bo/quan-ly", { intent: "publish", unitId: "999999", schoolYear: YEAR }));
    expect(ghost.status).toBe(403);
    expect(db().select({ code: units.code }).from(units).where(eq(units.id, 999999)).get()).toBeUndefined();
  });
});
