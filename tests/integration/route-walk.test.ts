/**
 * Walks every route with every signed-in role of province A, pointing each URL and each form
 * post at province B's school, assessment, evidence, cycle, unit and user. Nothing of B may be
 * read (no 200 carrying B's data) and nothing may change (4xx, no new audit entry).
 * Also checks that route modules export only what Remix expects (server/client split).
 */
import { beforeAll, describe, expect, it } from "vitest";
import { count } from "drizzle-orm";
import { useTestDatabase } from "../helpers/db";
import { browserAs, run } from "../helpers/http";
import { getDb } from "~/server/db/client.server";
import { actionItems, assessments, auditLog } from "~/server/db/schema.server";
import { eq } from "drizzle-orm";
import { createSchool, createUnit, createUser } from "~/server/services/org.server";
import { openCycle } from "~/server/services/cycles.server";
import { saveAnswers } from "~/server/services/assessments.server";
import { createLinkEvidence } from "~/server/services/evidence.server";
import { createDecision, updateDecision } from "~/server/services/recognition.server";

useTestDatabase("walk");

type RouteModule = { loader?: (a: never) => unknown; action?: (a: never) => unknown; default?: unknown; [k: string]: unknown };
const modules = import.meta.glob<RouteModule>("../../app/routes/*.tsx", { eager: true });
const routes = Object.entries(modules).map(([file, mod]) => ({ name: file.split("/").pop()!.replace(/\.tsx$/, ""), mod }));

const B: Record<string, number | string> = {};
const SECRET_B = "Trường Bí Mật Tỉnh B";
const A_USERS = ["head.a", "staff.a", "rev.a", "admin.a"];

beforeAll(async () => {
  const pw = "mat-khau-kiem-thu";
  const A = createUnit({ kind: "province", code: "PA", name: "Sở A", parentId: null }, null);
  const PB = createUnit({ kind: "province", code: "PB", name: "Sở B", parentId: null }, null);
  const DB_ = createUnit({ kind: "district", code: "PB-D1", name: "Phòng B1", parentId: PB }, null);
  const sa = createSchool({ code: "SCH-A", name: "Trường A", type: "TH", managingUnitId: A, reviewingUnitId: A }, null);
  const sb = createSchool({ code: "SCH-B", name: SECRET_B, type: "TH", managingUnitId: DB_, reviewingUnitId: PB }, null);
  await createUser({ username: "head.a", displayName: "HT A", password: pw, roles: ["school_head"], schoolId: sa }, null);
  await createUser({ username: "staff.a", displayName: "GV A", password: pw, roles: ["school_staff"], schoolId: sa }, null);
  await createUser({ username: "rev.a", displayName: "Rev A", password: pw, roles: ["office_reviewer"], unitId: A }, null);
  const adminA = await createUser({ username: "admin.a", displayName: "Admin A", password: pw, roles: ["office_admin"], unitId: A }, null);
  const headB = await createUser({ username: "head.b", displayName: "HT B", password: pw, roles: ["school_head"], schoolId: sb }, null);
  const adminB = await createUser({ username: "admin.b", displayName: "Admin B", password: pw, roles: ["office_admin", "office_reviewer"], unitId: PB }, null);
  openCycle({ ownerUnitId: A, schoolYear: "2098-2099", editionId: "qd-4725-2022", selfAssessmentDeadline: "2099-05-31", reviewDeadline: "2099-06-20" }, adminA);
  const cyc = openCycle({ ownerUnitId: PB, schoolYear: "2098-2099", editionId: "qd-4725-2022", selfAssessmentDeadline: "2099-05-31", reviewDeadline: "2099-06-20" }, adminB);
  const ab = getDb().select().from(assessments).where(eq(assessments.schoolId, sb)).get()!;
  saveAnswers(ab.id, { baseVersion: ab.version, changes: { "1.1": { value: true, note: "ghi chú bí mật của B" } } }, headB);
  const ev = createLinkEvidence({ assessmentId: ab.id, itemCodes: ["1.1"], url: "https://b.example.vn/ke-hoach", title: "Kế hoạch bí mật B" }, headB);
  if (!ev.ok) throw new Error(ev.message);
  // A recognition decision of B, its signer named like B's secret school, so that a leak shows.
  const dec = createDecision(PB, "2098-2099", adminB);
  if (!dec.ok) throw new Error(dec.message);
  const up = updateDecision(dec.id, { number: "7/QĐ-SGDĐT", decidedOn: "", place: "Tỉnh B", signerName: SECRET_B, signerTitle: "Giám đốc", bases: [] }, adminB, 1);
  if (!up.ok) throw new Error(up.message);
  // B's action plan, titled like B's secret evidence, so that a plan page or summary that leaks shows.
  getDb().insert(actionItems).values({ assessmentId: ab.id, schoolId: sb, kind: "own", title: "Kế hoạch bí mật B", dueDate: "2000-01-01", status: "todo", createdBy: headB }).run();
  Object.assign(B, { unit: DB_, province: PB, school: sb, assessment: ab.id, evidence: ev.evidenceId, cycle: cyc.ok ? cyc.cycleId : 0, user: headB, edition: "qd-4725-2022", decision: dec.id });
});

/** URL params pointing at B for each route (routes without params get none). */
function paramsFor(name: string): Record<string, string> | null {
  if (name.startsWith("danh-gia.$id")) return { id: String(B.assessment) };
  if (name.startsWith("minh-chung.$evidenceId")) return { evidenceId: String(B.evidence) };
  if (name.startsWith("truong.$schoolId")) return { schoolId: String(B.school) };
  if (name === "quan-tri.don-vi.$id") return { id: String(B.unit) };
  if (name === "quan-tri.truong.$id") return { id: String(B.school) };
  if (name === "quan-tri.nguoi-dung.$id") return { id: String(B.user) };
  if (name === "quan-tri.dot-danh-gia.$id") return { id: String(B.cycle) };
  if (name === "quan-tri.chi-so.$id") return { id: String(B.edition) };
  if (name.startsWith("cong-nhan.$id")) return { id: String(B.decision), jobId: "AAAAAAAAAAAAAAAA" };
  // Verification is public by its token (a capability): the walk uses a well-formed unknown one.
  if (name.startsWith("xac-minh.$token")) return { token: "AAAAAAAAAAAAAAAAAAAAAAAA" };
  // Published results are public by unit code and year; B's year is not published.
  if (name.startsWith("cong-bo.$unitCode.$schoolYear")) return { unitCode: "PB", schoolYear: "2098-2099" };
  if (name === "cong-bo.truong.$schoolCode") return { schoolCode: "SCH-B" };
  return name.includes("$") ? null : {};
}

function pathFor(name: string, params: Record<string, string>): string {
  const segs = name
    .replace(/\[\.\]/g, "\u0000")
    .split(".")
    .filter((s) => s !== "_index")
    .map((s) => s.replace(/\u0000/g, "."))
    .map((s) => (s.startsWith("$") ? params[s.slice(1)] : s));
  return "/" + segs.join("/").replace(/^_index$/, "");
}

/** Routes that are public or show only the user's own things; their 200 must still not contain B. */
const OWN_OR_PUBLIC = new Set(["_index", "chi-so._index", "chi-so.phien-ban", "chi-so.so-sanh", "login", "danh-gia._index", "quan-tri.don-vi._index", "quan-tri.truong._index", "quan-tri.nguoi-dung._index", "quan-tri.dot-danh-gia._index", "quan-tri.don-vi.moi", "quan-tri.truong.moi", "quan-tri.nguoi-dung.moi", "quan-tri.truong.nhap"]);

const auditCount = () => getDb().select({ n: count() }).from(auditLog).get()!.n;

describe("every route, every role of province A, province B's ids", () => {
  it("the walk covers every route module", () => {
    expect(routes.length).toBeGreaterThanOrEqual(30);
    for (const r of routes) expect(paramsFor(r.name), r.name).not.toBeNull();
  });

  for (const username of A_USERS) {
    it(`${username}: no loader returns B's data`, async () => {
      const b = await browserAs(username);
      for (const r of routes) {
        if (!r.mod.loader) continue;
        const params = paramsFor(r.name)!;
        const url = pathFor(r.name, params);
        const res = await run(r.mod.loader as never, b.get(url), params);
        const body = res.status === 200 ? await res.text() : "";
        if (OWN_OR_PUBLIC.has(r.name) || !r.name.includes("$")) {
          expect([200, 302, 400, 403, 404], `${username} GET ${url} → ${res.status}`).toContain(res.status);
        } else {
          expect([403, 404, 405], `${username} GET ${url} → ${res.status}`).toContain(res.status);
        }
        expect(body, `${username} GET ${url} leaked B`).not.toContain(SECRET_B);
        expect(body).not.toContain("Kế hoạch bí mật B");
        expect(body).not.toContain("ghi chú bí mật của B");
      }
    });

    it(`${username}: no action changes anything of B`, async () => {
      const b = await browserAs(username);
      for (const r of routes) {
        if (!r.mod.action || r.name === "login" || r.name === "logout") continue;
        const params = paramsFor(r.name)!;
        const url = pathFor(r.name, params);
        const before = auditCount();
        // A plausible post for each kind of form, with B's ids in the body too.
        const fields: Record<string, string> = {
          intent: "save",
          payload: JSON.stringify({ baseVersion: 0, changes: { "1.1": { value: false } } }),
          confirm: "yes",
          assessmentId: String(B.assessment),
          evidenceId: String(B.evidence),
          itemCode: "1.1",
          schoolId: String(B.school),
          unitId: String(B.unit),
          managingUnitId: String(B.unit),
          reviewingUnitId: String(B.province),
          parentId: String(B.province),
          code: "HACK",
          name: "Bị sửa",
          deadline: "30/06/2099",
          reason: "thử",
          schoolYear: "2099-2100",
          editionId: String(B.edition),
        };
        const res = await run(r.mod.action as never, b.post(url, fields), params);
        if (r.name.includes("$") || r.name.startsWith("quan-tri.chi-so")) {
          expect(res.status, `${username} POST ${url} → ${res.status}`).toBeGreaterThanOrEqual(400);
          expect(res.status).toBeLessThan(500);
          expect(auditCount(), `${username} POST ${url} wrote`).toBe(before);
        } else {
          // Create/import forms of A's own scope: whatever they answer, nothing of B changes.
          expect(res.status, `${username} POST ${url}`).toBeLessThan(500);
        }
      }
      const ab = getDb().select().from(assessments).where(eq(assessments.id, Number(B.assessment))).get()!;
      expect(ab.status).toBe("draft");
    });
  }

  it("anonymous visitors are sent to log in from every private page", async () => {
    const anon = await browserAs();
    for (const r of routes) {
      if (!r.mod.loader) continue;
      const params = paramsFor(r.name)!;
      const url = pathFor(r.name, params);
      const res = await run(r.mod.loader as never, anon.get(url), params);
      if (r.name.startsWith("chi-so") || r.name === "login" || r.name === "logout" || r.name === "cong-bo._index" || r.name === "favicon[.]ico") continue;
      if (res.status === 302) expect(res.headers.get("Location"), url).toMatch(/^\/login\?redirectTo=/);
      else expect([401, 403, 404, 405], `anonymous GET ${url} → ${res.status}`).toContain(res.status);
    }
  });
});

describe("results pages with another province's unit in the query", () => {
  /** The office's results pages take the scope from ?donVi= (and /xep-hang a sub-unit from ?dv=). */
  const STATS = ["thong-ke._index", "thong-ke[.]xlsx", "thong-ke[.]csv", "thong-ke.bao-cao[.]pdf", "xep-hang", "cong-bo.quan-ly"];
  it("every role of A is refused B's province and B's district", async () => {
    for (const username of A_USERS) {
      const b = await browserAs(username);
      for (const name of STATS) {
        const r = routes.find((x) => x.name === name);
        expect(r, name).toBeDefined();
        for (const q of [`donVi=${B.province}`, `donVi=${B.unit}`, `dv=${B.unit}`]) {
          const url = `${pathFor(name, {})}?${q}&nam=2098-2099`;
          const res = await run(r!.mod.loader as never, b.get(url), {});
          const body = res.status === 200 ? await res.text() : "";
          if (q.startsWith("dv=") && name !== "xep-hang") {
            // ?dv= means nothing there: A's own scope, which never holds B.
            expect(res.status, `${username} GET ${url}`).toBeLessThan(500);
          } else {
            expect([400, 403, 404], `${username} GET ${url} → ${res.status}`).toContain(res.status);
          }
          expect(body).not.toContain(SECRET_B);
          expect(body).not.toContain("Sở B");
        }
      }
    }
  });
});

describe("the list of schools' assessments", () => {
  it("shows an office its own province's assessments and never another's; school users are sent to their own", async () => {
    const mod = routes.find((r) => r.name === "ho-so._index")!.mod;
    for (const username of ["rev.a", "admin.a"]) {
      const res = await run(mod.loader as never, (await browserAs(username)).get("/ho-so"));
      expect(res.status).toBe(200);
      const body = (await res.json()) as { list: { rows: { school: string }[]; total: number } };
      expect(body.list.rows.map((r) => r.school)).toEqual(["Trường A"]);
      expect(body.list.total).toBe(1);
    }
    const filtered = await run(mod.loader as never, (await browserAs("rev.a")).get("/ho-so?trang-thai=submitted"));
    expect(((await filtered.json()) as { list: { total: number } }).list.total).toBe(0);
    expect((await run(mod.loader as never, (await browserAs("rev.a")).get("/ho-so?trang-thai=bogus"))).status).toBe(400);
    const school = await run(mod.loader as never, (await browserAs("head.a")).get("/ho-so"));
    expect(school.status).toBe(302);
    expect(school.headers.get("Location")).toBe("/danh-gia");
  });
});

describe("route modules", () => {
  const allowed = new Set(["loader", "action", "meta", "links", "headers", "ErrorBoundary", "default", "handle", "shouldRevalidate"]);
  it("export only what Remix expects (anything else can drag server code into the browser bundle)", () => {
    for (const r of routes) {
      const extra = Object.keys(r.mod).filter((k) => !allowed.has(k));
      expect(extra, r.name).toEqual([]);
    }
  });
});
