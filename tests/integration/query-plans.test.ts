/**
 * Query plans of the hot paths: every statement a hot path runs is captured as it executes and
 * explained with EXPLAIN QUERY PLAN; a full scan (SCAN, with or without an index) of a table that
 * grows with the nation fails the test. Plus: every foreign key that a delete can check has an
 * index on its child column, so a DELETE never scans the child table (the 471 ms evidence removal).
 *
 * The plans do not depend on the data's size (no ANALYZE statistics are kept), so a small real
 * database shows the same plan the national one gets.
 */
import fs from "node:fs";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useTestDatabase } from "../helpers/db";
import { getDb } from "~/server/db/client.server";
import { blobs, evidence, evidenceLinks } from "~/server/db/schema.server";
import { createSession, loadUser, sessionUser, type CurrentUser } from "~/server/auth/session.server";
import { createSchool, createUnit, createUser, listSchools, listUnits, listUsers } from "~/server/services/org.server";
import { openCycle } from "~/server/services/cycles.server";
import { assessmentsVisibleTo, cyclesVisibleTo, openCycleSummaries } from "~/server/services/cycles-view.server";
import { homeFor } from "~/server/services/home.server";
import { dashboard, rankSchools, schoolFiles, scopeUnit } from "~/server/services/rollups.server";
import { answersOf, getAssessment, saveAnswersFor } from "~/server/services/assessments.server";
import { createLinkEvidence, detachEvidence, evidenceForAssessment, itemCodesOf } from "~/server/services/evidence.server";
import { editionOf } from "~/server/services/assessments.server";
import { catalogueEditions } from "~/server/db/schema.server";
import { eq } from "drizzle-orm";
import nationalStats from "./fixtures/national-stat1.json";
import { createHash } from "node:crypto";

const file = useTestDatabase("plans");

/** Tables whose size follows the nation (schools, their users, files, answers, history). */
const LARGE = new Set([
  "answers",
  "assessment_results",
  "assessments",
  "audit_log",
  "blobs",
  "certificates",
  "evidence",
  "evidence_links",
  "login_throttle",
  "review_comments",
  "schools",
  "sessions",
  "units",
  "user_roles",
  "users",
]);

let phase: string | null = null;
const captured = new Map<string, Set<string>>();

/** Records the SQL of every statement executed while a phase is set. */
function instrument(db: Database.Database): void {
  const proto = Object.getPrototypeOf(db.prepare("SELECT 1")) as Record<string, unknown>;
  for (const m of ["run", "get", "all", "iterate"]) {
    const original = proto[m] as (...a: unknown[]) => unknown;
    if ((original as { __captured?: boolean }).__captured) continue;
    const wrapped = function (this: { source: string }, ...args: unknown[]) {
      if (phase) {
        let set = captured.get(phase);
        if (!set) captured.set(phase, (set = new Set()));
        set.add(this.source);
      }
      return original.apply(this, args);
    };
    (wrapped as { __captured?: boolean }).__captured = true;
    proto[m] = wrapped;
  }
}

async function during<T>(name: string, fn: () => T | Promise<T>): Promise<T> {
  phase = name;
  try {
    return await fn();
  } finally {
    phase = null;
  }
}

/** Aliases used in a statement for the large tables ("schools" AS "m" → m). */
function largeNames(sqlText: string): Set<string> {
  const names = new Set(LARGE);
  const re = /\b(?:from|join)\s+"?(\w+)"?(?:\s+(?:as\s+)?"?(\w+)"?)?/gi;
  for (const m of sqlText.matchAll(re)) {
    if (LARGE.has(m[1]) && m[2] && !/^(on|where|inner|left|join|group|order|limit|set|using)$/i.test(m[2])) names.add(m[2]);
  }
  return names;
}

function explain(reader: Database.Database, sqlText: string): string[] {
  const stmt = reader.prepare(`EXPLAIN QUERY PLAN ${sqlText}`);
  // Named parameters (@year, :id) are bound as one object of nulls.
  const named = [...new Set([...sqlText.matchAll(/[@:$]([A-Za-z_]\w*)/g)].map((m) => m[1]!))];
  if (named.length) return (stmt.all(Object.fromEntries(named.map((k) => [k, null]))) as { detail: string }[]).map((r) => r.detail);
  // Positional parameters: their count in the text first (multi-row upserts have hundreds), then by trying.
  const marks = (sqlText.match(/\?/g) ?? []).length;
  for (const n of [marks, ...Array.from({ length: 201 }, (_, i) => i)]) {
    try {
      return (stmt.all(...Array(n).fill(null)) as { detail: string }[]).map((r) => r.detail);
    } catch (e) {
      if (!/Too few parameter|Too many parameter|RangeError/i.test(String(e))) throw e;
    }
  }
  throw new Error(`could not bind ${sqlText}`);
}

function fullScans(reader: Database.Database, sqlText: string): string[] {
  if (!/^\s*(select|update|delete|insert|with)/i.test(sqlText)) return [];
  const large = largeNames(sqlText);
  return explain(reader, sqlText).filter((d) => {
    const m = /^SCAN (\w+)/.exec(d);
    return !!m && large.has(m[1]);
  });
}

let u: Record<string, CurrentUser> = {};
let ids: Record<string, number> = {};
let reader: Database.Database;
/** The same database planned with the national database's statistics (fixtures/national-stat1.json). */
let nationalReader: Database.Database;

/** A copy of the test database whose sqlite_stat1 is the national one: the planner's choices at 53,000 schools. */
function withNationalStats(source: Database.Database, target: string): Database.Database {
  fs.rmSync(target, { force: true });
  source.exec(`VACUUM INTO '${target.replace(/'/g, "''")}'`);
  const w = new Database(target);
  w.exec("ANALYZE");
  w.prepare("DELETE FROM sqlite_stat1").run();
  const insert = w.prepare("INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES (?, ?, ?)");
  const tables = new Set((w.prepare("SELECT name FROM sqlite_schema WHERE type = 'table'").all() as { name: string }[]).map((r) => r.name));
  for (const r of nationalStats.rows) if (tables.has(r.tbl)) insert.run(r.tbl, r.idx, r.stat);
  w.close();
  return new Database(target, { readonly: true });
}

beforeAll(async () => {
  const db = getDb();
  instrument(db.$client);
  const M = createUnit({ kind: "ministry", code: "BGD", name: "Bộ Giáo dục và Đào tạo", parentId: null }, null);
  const provinces: number[] = [];
  let schoolNo = 0;
  for (let p = 0; p < 3; p++) {
    const P = createUnit({ kind: "province", code: `P${p}`, name: `Sở GDĐT Tỉnh ${p}`, parentId: M }, null);
    provinces.push(P);
    for (let d = 0; d < 3; d++) {
      const D = createUnit({ kind: "district", code: `P${p}D${d}`, name: `Phòng GDĐT Huyện ${p}.${d}`, parentId: P }, null);
      for (let s = 0; s < 4; s++) {
        schoolNo++;
        const sid = createSchool({ code: `S${schoolNo}`, name: `Trường Tiểu học Đông Sơn ${schoolNo}`, type: "TH", managingUnitId: D, reviewingUnitId: P }, null);
        const uid = await createUser({ username: `s${schoolNo}`, displayName: `Hiệu trưởng ${schoolNo}`, password: "mat-khau-kiem-thu", roles: ["school_head"], schoolId: sid }, null);
        if (p === 0 && d === 0 && s === 0) {
          ids.school = sid;
          u.head = loadUser(uid)!;
        }
      }
    }
  }
  ids.P0 = provinces[0];
  u.so = loadUser(await createUser({ username: "so.admin", displayName: "Quản trị Sở", password: "mat-khau-kiem-thu", roles: ["office_admin", "office_reviewer"], unitId: provinces[0] }, null))!;
  const edition = db.select({ id: catalogueEditions.id }).from(catalogueEditions).where(eq(catalogueEditions.status, "published")).get()!;
  for (const P of provinces) {
    const r = openCycle({ ownerUnitId: P, schoolYear: "2025-2026", editionId: edition.id, selfAssessmentDeadline: "2026-05-31", reviewDeadline: "2026-06-20" }, u.so.id);
    expect(r.ok).toBe(true);
  }
  const a = db.$client.prepare("SELECT id FROM assessments WHERE school_id = ?").get(ids.school) as { id: number };
  ids.assessment = a.id;
  reader = new Database(file(), { readonly: true });
  nationalReader = withNationalStats(db.$client, `${file()}.national`);
});

afterAll(() => {
  reader?.close();
  nationalReader?.close();
});

describe("hot paths never scan a large table", () => {
  it("runs every hot path and captures its statements", async () => {
    const db = getDb();
    const cookie = await createSession(u.so.id);
    const token = cookie.split(";")[0];
    await during("session", async () => {
      const s = await sessionUser(new Request("http://localhost/", { headers: { Cookie: token } }));
      expect(s?.user.id).toBe(u.so.id);
    });
    await during("login", () => createSession(u.head.id));

    const rec = getAssessment(ids.assessment)!;
    const code = itemCodesOf(editionOf(rec))[0];
    await during("form", () => {
      getAssessment(ids.assessment);
      answersOf(ids.assessment);
      evidenceForAssessment(ids.assessment);
    });
    const saved = await during("save", () => saveAnswersFor(getAssessment(ids.assessment)!, { baseVersion: rec.version, changes: { [code]: { value: true } } }, u.head.id));
    expect(saved.ok).toBe(true);

    // A file used once, then removed: the blob goes too (the foreign-key check behind DELETE FROM blobs).
    const sha = createHash("sha256").update("plan-test").digest("hex");
    db.insert(blobs).values({ sha256: sha, size: 9, mime: "application/pdf" }).run();
    const ev = db.insert(evidence).values({ schoolId: ids.school, kind: "file", title: "Kế hoạch", fileName: "ke-hoach.pdf", sha256: sha, createdBy: u.head.id }).returning({ id: evidence.id }).get();
    db.insert(evidenceLinks).values({ assessmentId: ids.assessment, itemCode: code, evidenceId: ev.id, code: "MC-X-01" }).run();
    const link = createLinkEvidence({ assessmentId: ids.assessment, itemCodes: [code], url: "https://example.edu.vn/a", title: "Trang" }, u.head.id);
    expect(link.ok).toBe(true);
    const storage = { remove: async () => undefined } as never;
    const detached = await during("detach", () => detachEvidence({ assessmentId: ids.assessment, itemCode: code, evidenceId: ev.id }, u.head.id, { storage }));
    expect(detached).toMatchObject({ ok: true, blobRemoved: true });
    expect(db.select().from(blobs).where(eq(blobs.sha256, sha)).all()).toEqual([]);

    await during("inbox", () => {
      expect(assessmentsVisibleTo(u.so, {}).total).toBe(12);
      assessmentsVisibleTo(u.so, { status: "submitted" });
      expect(assessmentsVisibleTo(u.so, { q: "dong son 1" }).total).toBeGreaterThan(0);
      assessmentsVisibleTo(u.so, { overdue: true });
      expect(openCycleSummaries(u.so).map((c) => c.counts.total)).toEqual([12]);
    });
    await during("home", () => {
      const h = homeFor(u.so);
      expect(h.counts.schools).toBe(12);
      expect(h.counts.users).toBe(13);
      homeFor(u.head);
    });
    await during("lists", () => {
      expect(listUsers(u.so, {}, () => true).total).toBe(13);
      listUsers(u.so, { q: "hieu truong" }, () => true);
      expect(listSchools(u.so, {}).total).toBe(12);
      listSchools(u.so, { q: "dong son", unitId: ids.P0 });
      expect(listUnits(u.so, {}).total).toBe(4);
      expect(cyclesVisibleTo(u.so).map((c) => c.assessments)).toEqual([12]);
    });
    // A Sở's results dashboard and rankings: from its schools' path range, never the nation's files.
    await during("stats", () => {
      const scope = scopeUnit(ids.P0)!;
      const d = dashboard(scope, { schoolYear: "2025-2026", unitId: ids.P0, basis: "self" });
      expect(d.progress.total).toBe(12);
      dashboard(scope, { schoolYear: "2025-2026", unitId: ids.P0, basis: "recognised", type: "TH" });
      rankSchools(scope, { schoolYear: "2025-2026", basis: "self", page: 1, pageSize: 100 });
      schoolFiles(scope, { schoolYear: "2025-2026", unitId: ids.P0, basis: "self" });
    });
    expect([...captured.keys()].sort()).toEqual(["detach", "form", "home", "inbox", "lists", "login", "save", "session", "stats"]);
  });

  for (const name of ["session", "login", "form", "save", "detach", "inbox", "home", "lists", "stats"]) {
    it(`${name}: no full scan of a large table`, () => {
      const statements = [...(captured.get(name) ?? [])];
      expect(statements.length).toBeGreaterThan(0);
      const scans = statements.flatMap((s) => fullScans(reader, s).map((d) => `${d}  ←  ${s.slice(0, 160)}`));
      expect(scans).toEqual([]);
    });
    it(`${name}: no full scan of a large table with the national database's statistics`, () => {
      const statements = [...(captured.get(name) ?? [])];
      expect(statements.length).toBeGreaterThan(0);
      const scans = statements.flatMap((s) => fullScans(nationalReader, s).map((d) => `${d}  ←  ${s.slice(0, 160)}`));
      expect(scans).toEqual([]);
    });
  }

  it("the checker itself fails on a full scan", () => {
    expect(fullScans(reader, `select count(*) from "schools" where "search_key" like '%a%'`)).toEqual(["SCAN schools"]);
    expect(fullScans(reader, `select * from evidence e where e.title = ?`)).toEqual(["SCAN e"]);
    expect(fullScans(reader, `select * from evidence where sha256 = ?`)).toEqual([]);
  });
});

describe("foreign keys", () => {
  /** Parents that are never deleted (the app deactivates instead), so nothing checks these children. */
  const NEVER_DELETED = new Set(["units", "schools", "users", "cycles", "catalogue_editions"]);

  it("every child column a delete checks has an index starting with it", () => {
    const db = getDb().$client;
    const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '__drizzle%'").all() as { name: string }[]).map((r) => r.name);
    const missing: string[] = [];
    const checked: string[] = [];
    for (const table of tables) {
      const fks = db.prepare(`PRAGMA foreign_key_list("${table}")`).all() as { table: string; from: string }[];
      const leading = new Set<string>();
      for (const ix of db.prepare(`PRAGMA index_list("${table}")`).all() as { name: string }[]) {
        const cols = db.prepare(`PRAGMA index_info("${ix.name}")`).all() as { seqno: number; name: string }[];
        const first = cols.find((c) => c.seqno === 0);
        if (first) leading.add(first.name);
      }
      for (const fk of fks) {
        if (NEVER_DELETED.has(fk.table)) continue;
        checked.push(`${table}.${fk.from}`);
        if (!leading.has(fk.from)) missing.push(`${table}.${fk.from} → ${fk.table}`);
      }
    }
    // The children of assessments, evidence and blobs: the rows a removal or a cascade touches.
    expect(checked.sort()).toEqual(
      ["action_item_evidence.action_id", "action_item_evidence.evidence_id", "action_items.assessment_id", "action_items.carried_from", "answers.assessment_id", "assessment_results.assessment_id", "assessment_rounds.assessment_id", "audit_log.assessment_id", "notifications.assessment_id", "certificates.assessment_id", "certificates.decision_id", "jobs.decision_id", "recognition_decision_items.assessment_id", "recognition_decision_items.decision_id", "evidence.sha256", "evidence_links.assessment_id", "evidence_links.evidence_id", "review_comments.assessment_id"].sort(),
    );
    expect(missing).toEqual([]);
  });
});
