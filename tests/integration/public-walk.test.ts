/**
 * The public walk: the demo province (seedDemoData), its previous school year published by the Sở
 * through the service, then every public page and file of /cong-bo (and the verification pages it
 * links to) fetched anonymously through the whole stack (express + httpGuards() + Remix), and their
 * loaders called directly. No body may hold a user's name or username, an answer's note, a review
 * request or reply, an evidence file's name or title, or an external assessment team member; the
 * current school year, not published, shows nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq, isNotNull } from "drizzle-orm";
import { useTestDatabase } from "../helpers/db";
import { browserAs, run } from "../helpers/http";
import { rawRequest, startTestServer, testBuild, type TestServer } from "../helpers/http-server";
import { getDb } from "~/server/db/client.server";
import { answers, assessments, blobs, evidence, evidenceLinks, reviewComments, schools, users } from "~/server/db/schema.server";
import { currentSchoolYear, seedDemoData } from "~/server/demo/seed.server";
import { previousSchoolYear } from "~/server/demo/previous-year.server";
import { publish, publishedYear } from "~/server/services/publication.server";
import * as indexRoute from "~/routes/cong-bo._index";
import * as pageRoute from "~/routes/cong-bo.$unitCode.$schoolYear";
import * as jsonRoute from "~/routes/cong-bo.$unitCode.$schoolYear.json";
import * as csvRoute from "~/routes/cong-bo.$unitCode.$schoolYear.csv";
import * as schoolRoute from "~/routes/cong-bo.truong.$schoolCode";
import * as verifyPage from "~/routes/xac-minh.$token";
import * as verifyJson from "~/routes/xac-minh.$token.json";

useTestDatabase("public-walk");

const db = () => getDb();
const CURRENT = currentSchoolYear();
const PREVIOUS = previousSchoolYear(CURRENT);
let server: TestServer;
/** Strings from the database that must never be public. */
let secrets: { kind: string; value: string }[] = [];
let usernames: string[] = [];

beforeAll(async () => {
  await seedDemoData(db());
  const so = db().select({ id: users.id }).from(users).where(eq(users.username, "so.demo")).get()!.id;
  const s99 = db().$client.prepare<[], { id: number }>("SELECT id FROM units WHERE code = 'S99'").get()!.id;
  // The demo publishes its previous year itself; publishing it again is refused.
  expect(publish(s99, PREVIOUS, so)).toMatchObject({ ok: false, code: "state" });
  // The demo's evidence are links: add a stored file (a row is enough here) on a published file of the previous year.
  const published = db().$client
    .prepare<[string], { aid: number; sid: number }>("SELECT a.id AS aid, a.school_id AS sid FROM assessments a JOIN cycles c ON c.id = a.cycle_id WHERE c.school_year = ? AND a.recognised_level IS NOT NULL LIMIT 1")
    .get(PREVIOUS)!;
  const sha = "ab".repeat(32);
  db().insert(blobs).values({ sha256: sha, size: 10, mime: "application/pdf" }).run();
  const ev = db().insert(evidence).values({ schoolId: published.sid, kind: "file", title: "Biên bản họp hội đồng riêng", fileName: "Bien-ban-hop-noi-bo-2025.pdf", sha256: sha }).returning({ id: evidence.id }).get().id;
  db().insert(evidenceLinks).values({ assessmentId: published.aid, itemCode: "1.1", evidenceId: ev, code: "MC-1.1-99" }).run();

  const add = (kind: string, v: string | null | undefined) => {
    if (v && v.trim().length >= 4) secrets.push({ kind, value: v.trim() });
  };
  for (const u of db().select().from(users).all()) add("displayName", u.displayName);
  usernames = db().select({ u: users.username }).from(users).all().map((r) => r.u);
  for (const a of db().select({ note: answers.note }).from(answers).where(isNotNull(answers.note)).all()) add("note", a.note);
  for (const c of db().select().from(reviewComments).all()) {
    add("review", c.body);
    add("reply", c.reply);
  }
  for (const e of db().select().from(evidence).all()) {
    add("evidenceFile", e.fileName);
    add("evidenceTitle", e.title);
    add("evidenceUrl", e.url);
  }
  for (const a of db().select({ team: assessments.externalTeam }).from(assessments).where(isNotNull(assessments.externalTeam)).all())
    for (const m of (a.team as { members?: { name?: string }[] } | null)?.members ?? []) add("teamMember", m.name);
  secrets = [...new Map(secrets.map((s) => [s.value, s])).values()];

  server = await startTestServer(
    testBuild({
      "cong-bo": indexRoute,
      "cong-bo/:unitCode/:schoolYear": pageRoute,
      "cong-bo/:unitCode/:schoolYear/json": jsonRoute,
      "cong-bo/:unitCode/:schoolYear/csv": csvRoute,
      "cong-bo/truong/:schoolCode": schoolRoute,
      "xac-minh/:token": verifyPage,
      "xac-minh/:token/json": verifyJson,
    }),
  );
});

afterAll(async () => {
  await server?.close();
});

/** Every secret and username absent (usernames as whole tokens: "admin" may be part of a word). */
function expectNothingPersonal(where: string, body: string) {
  for (const s of secrets) expect(body.includes(s.value), `${where}: ${s.kind} "${s.value}"`).toBe(false);
  for (const u of usernames) {
    const re = new RegExp(`(^|[^A-Za-z0-9._-])${u.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}($|[^A-Za-z0-9._-])`);
    expect(re.test(body), `${where}: username ${u}`).toBe(false);
  }
}

const visited = new Map<string, number>();
async function get(path: string, accept = "text/html") {
  const res = await rawRequest(server.port, { path, headers: { Accept: accept } });
  visited.set(path, res.status);
  expectNothingPersonal(path, res.body);
  // The CSRF token of the page's pre-session is not from the database, nor anything else in it.
  return res;
}

describe("the public walk over the demo", () => {
  it("collected what must stay private from the demo (names, notes, requests, evidence, teams)", () => {
    const kinds = new Set(secrets.map((s) => s.kind));
    for (const k of ["displayName", "review", "evidenceFile", "teamMember"]) expect(kinds, k).toContain(k);
    expect(usernames).toContain("so.demo");
    expect(secrets.length).toBeGreaterThan(30);
  });

  it("every public page and file, anonymously through the whole stack, holds nothing personal", async () => {
    const index = await get("/cong-bo");
    expect(index.status).toBe(200);
    expect(index.body).toContain(`href="/cong-bo/S99/${PREVIOUS}"`);
    expect(index.body).not.toContain(`href="/cong-bo/S99/${CURRENT}"`);

    const page = await get(`/cong-bo/S99/${PREVIOUS}`);
    expect(page.status).toBe(200);
    const data = publishedYear("S99", PREVIOUS)!;
    expect(data.summary.schools).toBe(32);
    for (const s of data.schools) expect(page.body, s.code).toContain(`data-school="${s.code}"`);
    expect((await get(`/cong-bo/S99/${PREVIOUS}?q=nguyen+du`)).body).toContain("Trường Tiểu học Nguyễn Du");
    expect((await get(`/cong-bo/S99/${PREVIOUS}?page=2`)).status).toBe(200);

    const json = await get(`/cong-bo/S99/${PREVIOUS}.json`, "application/json");
    expect(json.status).toBe(200);
    expect(JSON.parse(json.body)).toEqual(data);
    const csv = await get(`/cong-bo/S99/${PREVIOUS}.csv`, "text/csv");
    expect(csv.status).toBe(200);
    expect(csv.body.split("\r\n")).toHaveLength(34); // header, 32 schools, the end

    const codes = db().select({ code: schools.code }).from(schools).all().map((r) => r.code);
    for (const code of codes) {
      const r = await get(`/cong-bo/truong/${code}`);
      expect(r.status, code).toBe(200);
      expect(r.body, code).toContain(`data-year="${PREVIOUS}"`);
      expect(r.body, code).not.toContain(`data-year="${CURRENT}"`);
    }
    // The verification pages the publication links to.
    for (const s of data.schools.slice(0, 5)) {
      const token = s.certificate!.verifyUrl.split("/xac-minh/")[1]!;
      expect((await get(`/xac-minh/${token}`)).status).toBe(200);
      expect((await get(`/xac-minh/${token}.json`, "application/json")).status).toBe(200);
    }
    // Not found and empty states.
    expect((await get(`/cong-bo/KHONG-CO/${PREVIOUS}`)).status).toBe(404);
    expect((await get(`/cong-bo/truong/khong-co`)).status).toBe(404);
    expect((await get(`/cong-bo/S99-P01/${PREVIOUS}`)).status).toBe(404);
    expect(visited.size).toBeGreaterThan(40);
  });

  it("the current school year, not published, shows nothing: empty page, JSON and CSV 404, no school anywhere", async () => {
    const names = db().select({ name: schools.name, code: schools.code }).from(schools).all();
    const page = await get(`/cong-bo/S99/${CURRENT}`);
    expect(page.status).toBe(404);
    expect(page.body).toContain(`chưa công bố kết quả năm học ${CURRENT}`);
    for (const s of names) {
      expect(page.body).not.toContain(s.name);
      expect(page.body).not.toContain(`data-school="${s.code}"`);
    }
    for (const ext of ["json", "csv"]) {
      const r = await get(`/cong-bo/S99/${CURRENT}.${ext}`, ext === "json" ? "application/json" : "text/csv");
      expect(r.status).toBe(404);
      expect(JSON.parse(r.body)).toEqual({ error: "Kết quả năm học này chưa được công bố." });
    }
    expect(publishedYear("S99", CURRENT)).toBeNull();
  });

  it("the loaders, called directly and anonymously, return nothing personal either", async () => {
    const anon = await browserAs();
    const calls: [string, Parameters<typeof run>[0], string, Record<string, string>][] = [
      ["index", indexRoute.loader as never, "/cong-bo", {}],
      ["page", pageRoute.loader as never, `/cong-bo/S99/${PREVIOUS}`, { unitCode: "S99", schoolYear: PREVIOUS }],
      ["page current", pageRoute.loader as never, `/cong-bo/S99/${CURRENT}`, { unitCode: "S99", schoolYear: CURRENT }],
      ["json", jsonRoute.loader as never, `/cong-bo/S99/${PREVIOUS}/json`, { unitCode: "S99", schoolYear: PREVIOUS }],
      ["csv", csvRoute.loader as never, `/cong-bo/S99/${PREVIOUS}/csv`, { unitCode: "S99", schoolYear: PREVIOUS }],
    ];
    for (const code of db().select({ code: schools.code }).from(schools).all().map((r) => r.code)) calls.push([`school ${code}`, schoolRoute.loader as never, `/cong-bo/truong/${code}`, { schoolCode: code }]);
    for (const [name, fn, path, params] of calls) {
      const res = await run(fn, anon.get(path), params);
      expect([200, 404], name).toContain(res.status);
      const body = await res.text();
      expectNothingPersonal(name, body);
      for (const key of ['"id"', '"schoolId"', '"assessmentId"', '"unitId"', '"searchKey"', '"token"', '"publishedBy"']) expect(body, `${name} ${key}`).not.toContain(key);
    }
    const current = await run(pageRoute.loader as never, anon.get(`/cong-bo/S99/${CURRENT}`), { unitCode: "S99", schoolYear: CURRENT });
    expect(await current.json()).toEqual({ status: "not-published", unit: { code: "S99", name: "Sở Giáo dục và Đào tạo tỉnh Đông Sơn" }, schoolYear: CURRENT, years: [PREVIOUS] });
  });
});
