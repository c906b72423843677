/**
 * Public verification of certificates (/xac-minh/:token) on a real SQLite file, with a decision
 * issued through the recognition service: the facts (and nothing else), the page's loader and its
 * JSON route, revocation and re-issue seen at once, the one 404 for every wrong token, the URL
 * aliases (publicUrlAlias) and the whole stack (express + httpGuards() + Remix) answering
 * /xac-minh/<token>.json, the page by Accept, and the HTML page itself.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { asc, eq } from "drizzle-orm";
import { LEVEL2_ANSWERS } from "../helpers/answers";
import { useTestDatabase } from "../helpers/db";
import { browserAs, run } from "../helpers/http";
import { rawRequest, startTestServer, testBuild, type TestServer } from "../helpers/http-server";
import { getDb } from "~/server/db/client.server";
import { assessments, certificates, users } from "~/server/db/schema.server";
import { createSchool, createUnit, createUser } from "~/server/services/org.server";
import { openCycle } from "~/server/services/cycles.server";
import { saveAnswers, submitAssessment } from "~/server/services/assessments.server";
import { approve, keepSelf } from "~/server/services/review.server";
import { changeDecisionFiles, createDecision, issueDecision, reissueCertificate, revokeCertificate, revokeDecision, updateDecision } from "~/server/services/recognition.server";
import { verificationFacts, verifyUrlFor } from "~/server/services/verification.server";
import { prefersJson, publicUrlAlias } from "~/server/http/public-urls.server";
import * as page from "~/routes/xac-minh.$token";
import * as jsonRoute from "~/routes/xac-minh.$token.json";
import type { VerificationFacts } from "~/domain/recognition";

useTestDatabase("verification");

const BASE_URL = "https://cds.example.vn";
const prevBase = process.env.PUBLIC_BASE_URL;
const NOW = Date.UTC(2099, 0, 20, 3, 0, 0); // 20/01/2099 10:00 in Hà Nội
const REVOKE_AT = Date.UTC(2099, 1, 3, 18, 30, 0); // 04/02/2099 01:30 in Hà Nội (03/02 in UTC)
const NOT_FOUND = "Không tìm thấy giấy công nhận.";
const FACT_KEYS = [
  "serial",
  "school",
  "schoolCode",
  "level",
  "levelTitle",
  "schoolYear",
  "issuingOffice",
  "decisionNumber",
  "decisionDate",
  "signerName",
  "signerTitle",
  "status",
  "revokedOn",
  "revokeReason",
].sort();

/** The school's answers: Mức 2 in both groups (no LMS items, no info block). */
const SELF = LEVEL2_ANSWERS;

const db = () => getDb();
const ids: Record<string, number> = {};
let decisionId = 0;
let tokenA = "";
let tokenB = "";
let certA = 0;
let server: TestServer;

/** The build with the JSON route nested under the page's route, as Remix's flat routes make it (xac-minh.$token.json under xac-minh.$token). */
function nestedBuild() {
  const build = testBuild({ "xac-minh/:token": page, "xac-minh/:token/json": jsonRoute }) as unknown as {
    routes: Record<string, { parentId?: string; path?: string }>;
    assets: { routes: Record<string, { parentId?: string; path?: string }> };
  };
  const [parent, child] = ["routes/test-xac-minh/:token", "routes/test-xac-minh/:token/json"];
  for (const table of [build.routes, build.assets.routes]) Object.assign(table[child]!, { parentId: parent, path: "json" });
  return build as unknown as ReturnType<typeof testBuild>;
}

const certOf = (schoolId: number) => db().select().from(certificates).where(eq(certificates.schoolId, schoolId)).orderBy(asc(certificates.id)).all();

beforeAll(async () => {
  process.env.PUBLIC_BASE_URL = `${BASE_URL}/`;
  const pw = "mat-khau-kiem-thu";
  ids.P = createUnit({ kind: "province", code: "XM", name: "Sở Giáo dục và Đào tạo Xác Minh", parentId: null }, null);
  ids.X = createUnit({ kind: "commune", code: "XM-X", name: "Xã Xác Minh", parentId: ids.P }, null);
  ids.A = createSchool({ code: "XM-A01", name: "Trường Tiểu học Hoa Ban", type: "TH", managingUnitId: ids.X, reviewingUnitId: ids.P }, null);
  ids.B = createSchool({ code: "XM-B02", name: "Trường THCS Sơn Ca", type: "THCS", managingUnitId: ids.X, reviewingUnitId: ids.P }, null);
  ids.admin = await createUser({ username: "xm.admin", displayName: "Quản Trị Sở Xác Minh", password: pw, roles: ["office_admin", "office_reviewer"], unitId: ids.P }, null);
  ids.headA = await createUser({ username: "xm.heada", displayName: "Hiệu Trưởng Hoa Ban", password: pw, roles: ["school_head"], schoolId: ids.A }, null);
  ids.headB = await createUser({ username: "xm.headb", displayName: "Hiệu Trưởng Sơn Ca", password: pw, roles: ["school_head"], schoolId: ids.B }, null);
  expect(openCycle({ ownerUnitId: ids.P, schoolYear: "2098-2099", editionId: "qd-4725-2022", selfAssessmentDeadline: "2099-05-31", reviewDeadline: "2099-06-20" }, ids.admin, db(), NOW)).toMatchObject({ ok: true, created: 2 });

  const files: number[] = [];
  for (const [school, head] of [
    [ids.A, ids.headA],
    [ids.B, ids.headB],
  ] as const) {
    const a = db().select().from(assessments).where(eq(assessments.schoolId, school)).get()!;
    const changes = Object.fromEntries(Object.entries(SELF).map(([k, value]) => [k, { value }]));
    expect(saveAnswers(a.id, { baseVersion: a.version, changes }, head, NOW)).toMatchObject({ ok: true });
    expect(submitAssessment(a.id, head, NOW)).toMatchObject({ ok: true });
    expect(approve(a.id, ids.admin, {}, NOW)).toMatchObject({ ok: true, status: "approved" });
    files.push(a.id);
  }
  expect(keepSelf(files, ids.admin, NOW).done.sort()).toEqual([...files].sort());
  for (const f of files) expect(db().select().from(assessments).where(eq(assessments.id, f)).get()).toMatchObject({ status: "assessed", externalLevel: 2 });

  const d = createDecision(ids.P, "2098-2099", ids.admin, NOW);
  if (!("id" in d)) throw new Error(d.message);
  decisionId = d.id;
  const u = updateDecision(
    decisionId,
    { number: "123/QĐ-SGDĐT", decidedOn: "2099-01-15", place: "Hà Giang", signerName: "Nguyễn Văn Ký", signerTitle: "Giám đốc", bases: ["Căn cứ Quyết định số 4725/QĐ-BGDĐT;"] },
    ids.admin,
    1,
    NOW,
  );
  if (!("version" in u)) throw new Error(u.message);
  const c = changeDecisionFiles(decisionId, { add: files }, ids.admin, NOW);
  if (!("version" in c)) throw new Error(c.message);
  expect(c.added).toBe(2);
  const issued = issueDecision(decisionId, ids.admin, c.version, NOW);
  if (!("serials" in issued)) throw new Error(issued.message);
  expect(issued.serials.sort()).toEqual(["XM-2099-0001", "XM-2099-0002"]);
  [tokenA, tokenB] = [certOf(ids.A)[0]!.token, certOf(ids.B)[0]!.token];
  certA = certOf(ids.A)[0]!.id;

  server = await startTestServer(nestedBuild());
});

afterAll(async () => {
  await server?.close();
  if (prevBase === undefined) delete process.env.PUBLIC_BASE_URL;
  else process.env.PUBLIC_BASE_URL = prevBase;
});

const anonGet = async (path: string) => (await browserAs()).get(path);
async function pageLoader(token: string) {
  return run(page.loader as never, await anonGet(`/xac-minh/${token}`), { token });
}
async function jsonLoader(token: string) {
  return run(jsonRoute.loader as never, await anonGet(`/xac-minh/${token}/json`), { token });
}
type PageData = { facts: VerificationFacts; pdfUrl: string; jsonUrl: string; checkedAt: number };

function validFactsOf(serialA: string): VerificationFacts {
  return {
    serial: serialA,
    school: "Trường Tiểu học Hoa Ban",
    schoolCode: "XM-A01",
    level: 2,
    levelTitle: "Mức 2 – Mức đáp ứng cơ bản",
    schoolYear: "2098-2099",
    issuingOffice: "Sở Giáo dục và Đào tạo Xác Minh",
    decisionNumber: "123/QĐ-SGDĐT",
    decisionDate: "2099-01-15",
    signerName: "Nguyễn Văn Ký",
    signerTitle: "Giám đốc",
    status: "valid",
    revokedOn: null,
    revokeReason: null,
  };
}

/** No user of the database (but the signer printed on the certificate) appears in a public body. */
function expectNothingPersonal(body: string) {
  for (const u of db().select({ username: users.username, displayName: users.displayName }).from(users).all()) {
    expect(body).not.toContain(u.username);
    expect(body).not.toContain(u.displayName);
  }
  for (const key of ['"id"', '"schoolId"', '"assessmentId"', '"decisionId"', '"issuingUnitId"', '"issuedBy"', '"revokedBy"', '"token"', '"editionId"', '"place"']) expect(body).not.toContain(key);
}

describe("a valid certificate", () => {
  it("verificationFacts gives exactly the public fields, read from the certificate, its decision and the edition's level names", () => {
    const f = verificationFacts(tokenA)!;
    expect(Object.keys(f).sort()).toEqual(FACT_KEYS);
    expect(f).toEqual(validFactsOf(certOf(ids.A)[0]!.serial));
    expect(verificationFacts(tokenB)).toMatchObject({ school: "Trường THCS Sơn Ca", schoolCode: "XM-B02", status: "valid", level: 2 });
  });

  it("the page's loader answers the facts, not cached, with the PDF and JSON links, and nothing personal", async () => {
    const res = await pageLoader(tokenA);
    expect(res.status).toBe(200);
    expect(res.headers.get("Cache-Control")).toBe("no-store");
    const text = await res.text();
    const data = JSON.parse(text) as PageData;
    expect(Object.keys(data).sort()).toEqual(["checkedAt", "facts", "jsonUrl", "pdfUrl"]);
    expect(data.facts).toEqual(validFactsOf(certOf(ids.A)[0]!.serial));
    expect(data.pdfUrl).toBe(`/xac-minh/${tokenA}.pdf`);
    expect(data.jsonUrl).toBe(`/xac-minh/${tokenA}.json`);
    expectNothingPersonal(text);
    expect(page.headers({} as never)).toMatchObject({ "Cache-Control": "no-store", "X-Robots-Tag": "noindex" });
    const meta = page.meta({ data } as never) as { title?: string; name?: string; content?: string }[];
    expect(meta).toContainEqual({ name: "robots", content: "noindex, nofollow" });
    expect(meta[0]!.title).toBe("Còn hiệu lực — Xác minh giấy công nhận — CĐS 4725");
  });

  it("the JSON route answers the same facts and the verification URL (PUBLIC_BASE_URL), not cached", async () => {
    const res = await jsonLoader(tokenA);
    expect(res.status).toBe(200);
    expect(res.headers.get("Cache-Control")).toBe("no-store");
    const text = await res.text();
    const body = JSON.parse(text) as VerificationFacts & { verifyUrl: string };
    expect(Object.keys(body).sort()).toEqual([...FACT_KEYS, "verifyUrl"].sort());
    const { verifyUrl, ...facts } = body;
    expect(facts).toEqual(verificationFacts(tokenA));
    expect(verifyUrl).toBe(`${BASE_URL}/xac-minh/${tokenA}`);
    expectNothingPersonal(text);
  });
});

describe("every wrong token", () => {
  const unknown1 = "AAAAAAAAAAAAAAAAAAAAAAAA";
  const unknown2 = "zzzzzzzzzzzzzzzzzzzzzzz_";
  const malformed = ["abc", "' OR 1=1 --", `${"A".repeat(23)}.`, "A".repeat(25), "..%2F..%2Fetc"];

  it("gets null from the service, without a lookup of malformed ones", () => {
    for (const t of [unknown1, unknown2, ...malformed, tokenA.toLowerCase() === tokenA ? tokenA.toUpperCase() : tokenA.toLowerCase()]) expect(verificationFacts(t), t).toBeNull();
  });

  it("gets the same 404 from the page's loader and from the JSON route, whatever the token", async () => {
    const pageBodies = new Set<string>();
    const jsonBodies = new Set<string>();
    for (const t of [unknown1, unknown2, ...malformed]) {
      const p = await pageLoader(t);
      expect(p.status, t).toBe(404);
      expect(p.headers.get("Cache-Control")).toBe("no-store");
      pageBodies.add(await p.text());
      const j = await jsonLoader(t);
      expect(j.status, t).toBe(404);
      expect(j.headers.get("Cache-Control")).toBe("no-store");
      jsonBodies.add(await j.text());
    }
    expect([...pageBodies]).toEqual([JSON.stringify({ error: NOT_FOUND })]);
    expect([...jsonBodies]).toEqual([JSON.stringify({ error: NOT_FOUND })]);
  });

  it("gets the one plain HTML page with 404 through the whole stack, the same for an unknown and a malformed token", async () => {
    const mains: string[] = [];
    for (const t of [unknown1, unknown2, "abc"]) {
      const res = await rawRequest(server.port, { path: `/xac-minh/${t}`, headers: { Accept: "text/html" } });
      expect(res.status, t).toBe(404);
      expect(res.headers["cache-control"]).toBe("no-store");
      expect(res.headers["content-type"]).toMatch(/^text\/html/);
      expect(res.body).toContain(`<h1>${NOT_FOUND}</h1>`);
      expect(res.body).toContain("<title>Không tìm thấy giấy công nhận — CĐS 4725</title>");
      expect(res.body).not.toContain("Còn hiệu lực");
      expect(res.body).toContain('<meta name="robots" content="noindex, nofollow"/>');
      // The page around it carries a per-response nonce and CSRF token; the error itself is the same.
      mains.push(/<section class="error-page"[\s\S]*?<\/section>/.exec(res.body)![0]);
    }
    expect(new Set(mains).size).toBe(1);
    const j1 = await rawRequest(server.port, { path: `/xac-minh/${unknown1}.json` });
    const j2 = await rawRequest(server.port, { path: `/xac-minh/abc.json` });
    expect([j1.status, j2.status]).toEqual([404, 404]);
    expect(j1.body).toBe(JSON.stringify({ error: NOT_FOUND }));
    expect(j2.body).toBe(j1.body);
  });
});

describe("through the whole stack (express + httpGuards() + Remix)", () => {
  it("GET /xac-minh/<token>.json answers the facts as JSON", async () => {
    const res = await rawRequest(server.port, { path: `/xac-minh/${tokenA}.json` });
    expect(res.status).toBe(200);
    expect(res.headers["content-type"]).toMatch(/^application\/json/);
    expect(res.headers["cache-control"]).toBe("no-store");
    expect(res.headers["x-content-type-options"]).toBe("nosniff");
    const body = JSON.parse(res.body) as VerificationFacts & { verifyUrl: string };
    expect(body).toEqual({ ...verificationFacts(tokenA), verifyUrl: `${BASE_URL}/xac-minh/${tokenA}` });
  });

  it("GET /xac-minh/<token> answers JSON to a client that prefers it, the page to a browser", async () => {
    const asJson = await rawRequest(server.port, { path: `/xac-minh/${tokenB}`, headers: { Accept: "application/json" } });
    expect(asJson.status).toBe(200);
    expect(asJson.headers["content-type"]).toMatch(/^application\/json/);
    expect(asJson.headers.vary).toMatch(/Accept/);
    expect(JSON.parse(asJson.body)).toMatchObject({ school: "Trường THCS Sơn Ca", schoolCode: "XM-B02", status: "valid" });

    const html = await rawRequest(server.port, { path: `/xac-minh/${tokenB}`, headers: { Accept: "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8" } });
    expect(html.status).toBe(200);
    expect(html.headers["content-type"]).toMatch(/^text\/html/);
    expect(html.headers["cache-control"]).toBe("no-store");
    expect(html.headers["x-robots-tag"]).toBe("noindex");
    expect(html.body).toContain('<meta name="robots" content="noindex, nofollow"/>');
    expect(html.body).toContain("<h1 id=\"verify-title\">Xác minh giấy công nhận</h1>");
    expect(html.body).toMatch(/Tình trạng<!-- -->: <!-- -->Còn hiệu lực/);
    expect(html.body).not.toContain("Đã thu hồi");
    for (const s of ["Trường THCS Sơn Ca", "XM-B02", "Mức 2 – Mức đáp ứng cơ bản", "2098-2099", "Sở Giáo dục và Đào tạo Xác Minh", "123/QĐ-SGDĐT", "15/01/2099", "Nguyễn Văn Ký", "Giám đốc", certOf(ids.B)[0]!.serial])
      expect(html.body).toContain(s);
    expect(html.body).toContain(`href="/xac-minh/${tokenB}.pdf"`);
    expect(html.body).toMatch(/<dt[^>]*>Mức độ chuyển đổi số<\/dt><dd[^>]*>Mức 2 – Mức đáp ứng cơ bản<\/dd>/);
    expect(html.body).toMatch(/<dt[^>]*>Ngày quyết định<\/dt><dd[^>]*>15\/01\/2099<\/dd>/);
    expect(html.body).toMatch(/<dt[^>]*>Số hiệu giấy công nhận<\/dt><dd[^>]*><strong>XM-2099-000[12]<\/strong><\/dd>/);
    expectNothingPersonal(html.body.replace(/"csrf":"[^"]*"/, ""));
  });
});

describe("revocation and re-issue, seen at once", () => {
  const REASON = "Minh chứng không đúng thực tế.";

  it("a revoked certificate says “Đã thu hồi” with the date and reason, on the page and in the JSON, never valid", async () => {
    expect(revokeCertificate(certA, REASON, ids.admin, REVOKE_AT)).toMatchObject({ ok: true });
    const revoked: VerificationFacts = { ...validFactsOf(certOf(ids.A)[0]!.serial), status: "revoked", revokedOn: "2099-02-04", revokeReason: REASON };
    expect(verificationFacts(tokenA)).toEqual(revoked);

    const p = await pageLoader(tokenA);
    expect(p.status).toBe(200);
    expect(((await p.json()) as PageData).facts).toEqual(revoked);
    const j = await jsonLoader(tokenA);
    expect(await j.json()).toEqual({ ...revoked, verifyUrl: `${BASE_URL}/xac-minh/${tokenA}` });

    const html = await rawRequest(server.port, { path: `/xac-minh/${tokenA}`, headers: { Accept: "text/html" } });
    expect(html.status).toBe(200);
    expect(html.body).toMatch(/Tình trạng<!-- -->: <!-- -->Đã thu hồi/);
    expect(html.body).not.toContain("Còn hiệu lực");
    expect(html.body).toMatch(/<dt[^>]*>Ngày thu hồi<\/dt><dd[^>]*>04\/02\/2099<\/dd>/);
    expect(html.body).toMatch(new RegExp(`<dt[^>]*>Lý do thu hồi</dt><dd[^>]*>${REASON}</dd>`));
    expect(html.body).toContain("<title>Đã thu hồi — Xác minh giấy công nhận — CĐS 4725</title>");
    // The other school's certificate is untouched.
    expect(verificationFacts(tokenB)).toMatchObject({ status: "valid", revokedOn: null, revokeReason: null });
  });

  it("re-issuing gives a new token with a new serial, valid; the old one stays revoked", async () => {
    const r = reissueCertificate(certA, ids.admin, REVOKE_AT + 60_000);
    if (!("serial" in r)) throw new Error(r.message);
    const [old, fresh] = certOf(ids.A);
    expect(fresh!.token).not.toBe(old!.token);
    expect(verificationFacts(fresh!.token)).toMatchObject({ status: "valid", serial: r.serial, revokedOn: null });
    expect(r.serial).toBe("XM-2099-0003");
    expect(verificationFacts(old!.token)).toMatchObject({ status: "revoked", serial: old!.serial, revokeReason: REASON });
  });

  it("revoking the whole decision shows every one of its certificates revoked, with the decision's reason", async () => {
    const why = "Quyết định ban hành sai thẩm quyền.";
    expect(revokeDecision(decisionId, why, ids.admin, REVOKE_AT + 120_000)).toMatchObject({ ok: true, revoked: 2 });
    for (const c of [...certOf(ids.A), ...certOf(ids.B)]) expect(verificationFacts(c.token), c.serial).toMatchObject({ status: "revoked", revokedOn: "2099-02-04" });
    expect(verificationFacts(tokenB)).toMatchObject({ revokeReason: why });
    const res = await rawRequest(server.port, { path: `/xac-minh/${tokenB}.json` });
    expect(JSON.parse(res.body)).toMatchObject({ status: "revoked", revokeReason: why, revokedOn: "2099-02-04" });
  });

  it("a certificate whose own row was not revoked still shows revoked when its decision is", () => {
    const c = certOf(ids.B).at(-1)!;
    getDb().update(certificates).set({ revokedAt: null, revokeReason: null }).where(eq(certificates.id, c.id)).run();
    expect(verificationFacts(c.token)).toMatchObject({ status: "revoked", revokedOn: "2099-02-04", revokeReason: "Quyết định ban hành sai thẩm quyền." });
  });
});

describe("publicUrlAlias", () => {
  const T = "AbCdEfGhIjKlMnOpQrStUv_-";
  const browser = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8";
  it.each([
    ["GET", `/xac-minh/${T}.pdf`, browser, `/xac-minh/${T}/pdf`],
    ["HEAD", `/xac-minh/${T}.pdf`, null, `/xac-minh/${T}/pdf`],
    ["GET", `/xac-minh/${T}.json`, browser, `/xac-minh/${T}/json`],
    ["GET", `/xac-minh/${T}.json?a=1&b=2`, null, `/xac-minh/${T}/json?a=1&b=2`],
    ["GET", `/xac-minh/${T}.pdf?tai=1`, null, `/xac-minh/${T}/pdf?tai=1`],
    ["GET", `/xac-minh/${T}`, "application/json", `/xac-minh/${T}/json`],
    ["GET", `/xac-minh/${T}?x=1`, "application/json;q=0.9, text/html;q=0.5", `/xac-minh/${T}/json?x=1`],
    ["GET", `/xac-minh/${T}`, "application/json, text/plain, */*", `/xac-minh/${T}/json`],
    ["GET", `/xac-minh/${T}`, "application/json, text/html", `/xac-minh/${T}/json`],
    ["GET", `/xac-minh/${T}`, "text/html, application/json", null],
    ["GET", `/xac-minh/${T}`, browser, null],
    ["GET", `/xac-minh/${T}`, "*/*", null],
    ["GET", `/xac-minh/${T}`, null, null],
    ["GET", `/xac-minh/${T}`, "text/html;q=0.8, application/json;q=0.0", null],
    ["GET", `/xac-minh/${T}?_data=routes%2Fxac-minh.%24token`, "application/json", null],
    ["POST", `/xac-minh/${T}.json`, "application/json", null],
    ["PUT", `/xac-minh/${T}.pdf`, null, null],
    ["GET", `/xac-minh/${T}/json`, "application/json", null],
    ["GET", `/xac-minh/${T}/pdf`, null, null],
    ["GET", `/xac-minh/${T}.txt`, null, null],
    ["GET", `/xac-minh`, "application/json", null],
    ["GET", `/khac/${T}.json`, null, null],
    ["GET", `/xac-minh/a/b.json`, null, null],
  ])("%s %s (Accept %s) → %s", (method, url, accept, expected) => {
    expect(publicUrlAlias(method, url, accept)).toBe(expected);
  });

  it("prefersJson weighs q, then the more specific mention, then the order", () => {
    expect(prefersJson("application/*")).toBe(true);
    expect(prefersJson("text/*, application/json;q=0.99")).toBe(false);
    expect(prefersJson("application/json;q=0.5, */*;q=0.5")).toBe(true);
    expect(prefersJson("garbage")).toBe(false);
    expect(prefersJson("")).toBe(false);
  });

  it("verifyUrlFor is the QR code's address: PUBLIC_BASE_URL without a trailing slash, else its default, never the request's origin", () => {
    expect(verifyUrlFor(T)).toBe(`${BASE_URL}/xac-minh/${T}`);
    const saved = process.env.PUBLIC_BASE_URL;
    delete process.env.PUBLIC_BASE_URL;
    try {
      expect(verifyUrlFor(T, new Request("http://192.168.1.5:3000/xac-minh/x/json"))).toBe(`http://localhost:3000/xac-minh/${T}`);
    } finally {
      process.env.PUBLIC_BASE_URL = saved;
    }
  });
});
