/**
 * Our own attack corpus, rerun on every change: hostile values in every route's URL params, query
 * string and form fields, for an anonymous visitor and each role, with a valid session and CSRF
 * token so the values reach the code behind the guards. Nothing may answer 5xx or throw anything
 * but a Response, and no hostile post may change another province's data.
 *
 * Findings of the hardening issue that live at the HTTP boundary (body limits, Origin, headers,
 * redirects), in the login throttle, CSRF binding, uploads and exports have their own tests
 * (http-*, auth-*, uploads-*, export-*); this file is the broad sweep across routes.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { count, eq } from "drizzle-orm";
import { useTestDatabase } from "../helpers/db";
import { browserAs, run } from "../helpers/http";
import { getDb } from "~/server/db/client.server";
import { assessments, auditLog, schools } from "~/server/db/schema.server";
import { createSchool, createUnit, createUser } from "~/server/services/org.server";
import { openCycle } from "~/server/services/cycles.server";
import { saveAnswers } from "~/server/services/assessments.server";

useTestDatabase("attack");

type RouteModule = { loader?: (a: never) => unknown; action?: (a: never) => unknown; [k: string]: unknown };
const modules = import.meta.glob<RouteModule>("../../app/routes/*.tsx", { eager: true });
const routes = Object.entries(modules).map(([file, mod]) => ({ name: file.split("/").pop()!.replace(/\.tsx$/, ""), mod }));

/** Values an attacker, a broken client or a careless user sends. */
export const HOSTILE: string[] = [
  "",
  " ",
  "0",
  "-1",
  "1.5",
  "1e309",
  "99999999999999999999999",
  "NaN",
  "null",
  "[]",
  "{}",
  "\u0000",
  "%00",
  "../../../etc/passwd",
  "'; DROP TABLE users; --",
  "\" OR 1=1 --",
  "<script>alert(1)</script>",
  "=cmd|' /C calc'!A0",
  "@SUM(1+1)",
  "\r\nSet-Cookie: cds_session=x",
  "/\t/evil.example/",
  "/。/evil.example",
  "//evil.example",
  "https://evil.example/",
  "\ud800",
  "Đống Đa".normalize("NFD"),
  "a".repeat(3000),
  '{"baseVersion":1e400,"changes":{"__proto__":{"value":1}}}',
  '{"baseVersion":0,"changes":{"constructor":{"value":null,"note":"x"}}}',
  '{"baseVersion":0,"changes":{"1.1":{"value":{"numerator":1e308,"denominator":-0}}}}',
];

/** Form fields the app's forms use (a hostile value is put in each in turn). */
const FIELDS = [
  "intent",
  "payload",
  "confirm",
  "id",
  "q",
  "page",
  "redirectTo",
  "username",
  "password",
  "newPassword",
  "confirmPassword",
  "displayName",
  "roles",
  "unitId",
  "schoolCode",
  "code",
  "name",
  "type",
  "kind",
  "parentId",
  "managingUnitId",
  "reviewingUnitId",
  // The unit pickers' no-JavaScript code fields.
  "unitId__ma",
  "parentId__ma",
  "managingUnitId__ma",
  "reviewingUnitId__ma",
  "active",
  "schoolYear",
  "editionId",
  "selfAssessmentDeadline",
  "reviewDeadline",
  "deadline",
  "reason",
  "assessmentId",
  "evidenceId",
  "itemCode",
  "itemCodes",
  "url",
  "title",
  "csv",
  "sha256",
  "content",
  "leadership",
  "leadership__base",
  "process",
];

const QUERY_KEYS = ["q", "page", "trang", "trang-thai", "redirectTo", "a", "b", "don-vi", "loai", "tab", "expired", "so-dong", "muc-dich", "ngoai", "unit", "unit__ma", "don-vi__ma"];

const PROTECTED = { school: 0, assessment: 0, name: "Trường Được Bảo Vệ Tỉnh B" };

beforeAll(async () => {
  const pw = "mat-khau-kiem-thu";
  const A = createUnit({ kind: "province", code: "XA", name: "Sở X", parentId: null }, null);
  const B = createUnit({ kind: "province", code: "XB", name: "Sở Y", parentId: null }, null);
  const sa = createSchool({ code: "X-A", name: "Trường X", type: "TH", managingUnitId: A, reviewingUnitId: A }, null);
  const sb = createSchool({ code: "X-B", name: PROTECTED.name, type: "THCS", managingUnitId: B, reviewingUnitId: B }, null);
  await createUser({ username: "x.head", displayName: "HT X", password: pw, roles: ["school_head"], schoolId: sa }, null);
  await createUser({ username: "x.staff", displayName: "GV X", password: pw, roles: ["school_staff"], schoolId: sa }, null);
  await createUser({ username: "x.rev", displayName: "Rev X", password: pw, roles: ["office_reviewer"], unitId: A }, null);
  const adminA = await createUser({ username: "x.admin", displayName: "Admin X", password: pw, roles: ["office_admin"], unitId: A }, null);
  await createUser({ username: "x.sys", displayName: "Hệ thống", password: pw, roles: ["system_admin"] }, null);
  const adminB = await createUser({ username: "y.admin", displayName: "Admin Y", password: pw, roles: ["office_admin"], unitId: B }, null);
  const headB = await createUser({ username: "y.head", displayName: "HT Y", password: pw, roles: ["school_head"], schoolId: sb }, null);
  openCycle({ ownerUnitId: A, schoolYear: "2098-2099", editionId: "qd-4725-2022", selfAssessmentDeadline: "2099-05-31", reviewDeadline: "2099-06-20" }, adminA);
  openCycle({ ownerUnitId: B, schoolYear: "2098-2099", editionId: "qd-4725-2022", selfAssessmentDeadline: "2099-05-31", reviewDeadline: "2099-06-20" }, adminB);
  const ab = getDb().select().from(assessments).where(eq(assessments.schoolId, sb)).get()!;
  saveAnswers(ab.id, { baseVersion: ab.version, changes: { "1.1": { value: true } } }, headB);
  PROTECTED.school = sb;
  PROTECTED.assessment = ab.id;
});

function pathFor(name: string, params: Record<string, string>): string {
  const segs = name
    .replace(/\[\.\]/g, "\u0000")
    .split(".")
    .filter((s) => s !== "_index")
    .map((s) => s.replace(/\u0000/g, "."))
    .map((s) => (s.startsWith("$") ? encodeSegment(params[s.slice(1)] ?? "x") : s));
  return "/" + segs.join("/").replace(/^_index$/, "");
}
/** A lone surrogate cannot be percent-encoded as UTF-8: send the bytes a broken client would. */
function encodeSegment(v: string): string {
  try {
    return encodeURIComponent(v);
  } catch {
    return "%ED%A0%80";
  }
}
const paramNames = (name: string) => [...name.matchAll(/\$([A-Za-z]+)/g)].map((m) => m[1]);

async function expectNo5xx(label: string, f: () => Promise<Response>) {
  let res: Response;
  try {
    res = await f();
  } catch (e) {
    throw new Error(`${label} threw ${(e as Error)?.stack ?? e}`);
  }
  expect(res.status, `${label} → ${res.status}`).toBeLessThan(500);
}

const protectedRow = () => getDb().select().from(assessments).where(eq(assessments.id, PROTECTED.assessment)).get();
const protectedSchool = () => getDb().select().from(schools).where(eq(schools.id, PROTECTED.school)).get();
const auditOfProtected = () => getDb().select({ n: count() }).from(auditLog).where(eq(auditLog.assessmentId, PROTECTED.assessment)).get()!.n;

describe("hostile input never gives a server error", () => {
  for (const who of [undefined, "x.head", "x.staff", "x.rev", "x.admin", "x.sys"]) {
    const label = who ?? "anonymous";

    it(`${label}: hostile URL params and query strings`, async () => {
      const b = await browserAs(who);
      for (const r of routes) {
        if (!r.mod.loader) continue;
        const names = paramNames(r.name);
        for (const v of names.length ? HOSTILE : [""]) {
          const params = Object.fromEntries(names.map((n) => [n, v]));
          const path = pathFor(r.name, params);
          await expectNo5xx(`${label} GET ${r.name} ${JSON.stringify(v).slice(0, 40)}`, () => run(r.mod.loader as never, b.get(path), params));
        }
        for (const v of HOSTILE) {
          // Every query key at once, and twice (a repeated key is an array to some parsers).
          const params = Object.fromEntries(names.map((n) => [n, "1"]));
          let qs: string;
          try {
            qs = new URLSearchParams(QUERY_KEYS.flatMap((k) => [[k, v], [k, v]])).toString();
          } catch {
            qs = QUERY_KEYS.map((k) => `${k}=%ED%A0%80`).join("&");
          }
          const path = `${pathFor(r.name, params)}?${qs}`;
          await expectNo5xx(`${label} GET ${r.name}?…=${JSON.stringify(v).slice(0, 40)}`, () => run(r.mod.loader as never, b.get(path), params));
        }
      }
    });

    it(`${label}: hostile form fields in every action`, async () => {
      const b = await browserAs(who);
      const before = { row: protectedRow(), school: protectedSchool(), audits: auditOfProtected() };
      for (const r of routes) {
        if (!r.mod.action) continue;
        const names = paramNames(r.name);
        const params = Object.fromEntries(names.map((n) => [n, n === "id" && r.name.startsWith("danh-gia") ? String(PROTECTED.assessment) : "1"]));
        const path = pathFor(r.name, params);
        for (const v of HOSTILE) {
          // Every field the app's forms use, all carrying the hostile value (and "intent" too).
          const fields = Object.fromEntries(FIELDS.map((f) => [f, v]));
          await expectNo5xx(`${label} POST ${r.name} *=${JSON.stringify(v).slice(0, 40)}`, () => run(r.mod.action as never, b.post(path, fields), params, { clientIp: "203.0.113.9" }));
          // The same value in one field of an otherwise ordinary post (each intent the forms use).
          for (const intent of ["save", "create", "update", "delete", "preview", "apply", "publish", "extend", "attach", "detach", "link", "upload"]) {
            await expectNo5xx(`${label} POST ${r.name} intent=${intent} ${JSON.stringify(v).slice(0, 40)}`, () =>
              run(r.mod.action as never, b.post(path, { intent, name: v, code: v, reason: v, payload: v }), params, { clientIp: "203.0.113.9" }),
            );
          }
        }
      }
      // Bodies that do not parse as the form they claim to be: broken multipart, a truncated part.
      for (const r of routes) {
        if (!r.mod.action) continue;
        const names = paramNames(r.name);
        const params = Object.fromEntries(names.map((n) => [n, "1"]));
        for (const body of ["garbage", "--x\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n" + b.csrf, "--x\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.pdf\"\r\n\r\n%PDF-1.4"]) {
          const req = new Request(`http://localhost${pathFor(r.name, params)}`, {
            method: "POST",
            headers: { Cookie: b.cookie, "Content-Type": "multipart/form-data; boundary=x" },
            body,
          });
          await expectNo5xx(`${label} POST ${r.name} broken multipart ${JSON.stringify(body).slice(0, 30)}`, () => run(r.mod.action as never, req, params, { clientIp: "203.0.113.9" }));
        }
      }
      // Nothing of the other province changed, whatever was posted (the system admin's scope is the nation).
      if (who === "x.sys") return;
      expect(protectedRow()).toEqual(before.row);
      expect(protectedSchool()).toEqual(before.school);
      expect(auditOfProtected()).toBe(before.audits);
    });
  }
});
