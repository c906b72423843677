/**
 * The databases of `npm run bench:national` (scripts/bench-national.ts):
 *   national: 1 ministry, 34 provinces (Sở), 3,332 communes (3,367 units), 53,000 schools,
 *             53,036 users, one open cycle per province (53,000 assessments), about 1.64 M answers,
 *             1.06 M evidence rows (and their links), 3.76 M audit rows: about 1.3 GB;
 *   province: province no. 1 of the national database alone (1,500 schools), built by the same
 *             generator from the same seed, so that a Sở's pages compare like for like.
 * Built through the app's own migrations and catalogue seed (getDb), then filled with raw
 * prepared statements in large transactions (triggers keep the tree paths). Deterministic.
 * A finished database carries a `bench_meta` row with the shape version; one without it (an
 * interrupted build) is rebuilt.
 */
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type Database from "better-sqlite3";
import { foldVietnamese as fold } from "../app/utils/text";
import { prng as rng } from "./bench-lib.mjs";

export const SHAPE_VERSION = "national-5";
export const PROVINCES = 34;
export const COMMUNES_PER_PROVINCE = 98;
export const SCHOOLS_TOTAL = 53_000;
export const FIRST_PROVINCE_SCHOOLS = 1_500;
export const EVIDENCE_PER_SCHOOL = 20;
export const AUDIT_PER_ASSESSMENT = 71;
export const BENCH_PASSWORD = "bench-matkhau-1";
export const SCHOOL_YEAR = "2026-2027";

const GIVEN = ["Nguyễn Du", "Kim Đồng", "Lê Văn Tám", "Võ Thị Sáu", "Trần Quốc Toản", "Hoà Bình", "Ánh Dương", "Hùng Vương", "Đinh Tiên Hoàng", "Âu Cơ", "Bế Văn Đàn", "Lý Tự Trọng", "Chu Văn An", "Nguyễn Trãi", "Phan Bội Châu", "Lương Thế Vinh", "Đoàn Thị Điểm", "Ngô Quyền", "Quang Trung", "Lê Quý Đôn", "Nguyễn Huệ", "Trần Phú", "Phan Chu Trinh", "Hàn Thuyên", "Tô Hiệu", "Yết Kiêu", "Đống Đa", "Bạch Đằng", "Sơn Ca", "Họa Mi"];
const FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý"];
const MIDDLE = ["Thị", "Văn", "Minh", "Quốc", "Thu", "Hữu", "Ngọc", "Thanh", "Đức", "Thuỳ"];
const NAME = ["An", "Bình", "Chi", "Dũng", "Giang", "Hà", "Hạnh", "Hùng", "Lan", "Long", "Mai", "Nam", "Phúc", "Quân", "Sơn", "Thảo", "Trang", "Tuấn", "Uyên", "Việt", "Yến"];
const COMMUNE = ["Hoà Phú", "Tân Lập", "Phú Lộc", "An Bình", "Thạnh Mỹ", "Đông Hưng", "Quảng Điền", "Vĩnh Hảo", "Ea Kar", "Mường Lát", "Bắc Sơn", "Cẩm Thuỷ"];
const TYPES = [
  ["TH", 0.45, "Trường Tiểu học"],
  ["THCS", 0.3, "Trường THCS"],
  ["TH&THCS", 0.08, "Trường TH&THCS"],
  ["THPT", 0.1, "Trường THPT"],
  ["THCS&THPT", 0.03, "Trường THCS&THPT"],
  ["GDTX", 0.04, "Trung tâm GDNN-GDTX"],
] as const;
/** Status mix of the deadline week. */
const STATUS_MIX = [
  ["draft", 0.55],
  ["submitted", 0.3],
  ["returned", 0.05],
  ["approved", 0.07],
  ["recognised", 0.03],
] as const;

/** The schools of province p (1-based): province 1 has exactly FIRST_PROVINCE_SCHOOLS. */
export function schoolsOf(p: number): number {
  if (p === 1) return FIRST_PROVINCE_SCHOOLS;
  const rest = SCHOOLS_TOTAL - FIRST_PROVINCE_SCHOOLS;
  const base = Math.floor(rest / (PROVINCES - 1));
  return base + (p - 2 < rest - base * (PROVINCES - 1) ? 1 : 0);
}

export interface BenchDbInfo {
  file: string;
  /** The Sở account of province 1 (office_admin + office_reviewer). */
  soUsername: string;
  adminUsername: string;
  ministryUnitId: number;
  province1UnitId: number;
}

export function isBuilt(file: string, Db: typeof Database): boolean {
  if (!fs.existsSync(file)) return false;
  const db = new Db(file, { readonly: true });
  try {
    const row = db.prepare("SELECT value FROM bench_meta WHERE key = 'shape'").get() as { value: string } | undefined;
    return row?.value === SHAPE_VERSION;
  } catch {
    return false;
  } finally {
    db.close();
  }
}

type Progress = (msg: string) => void;

/**
 * Fills an empty, migrated database (the app's getDb() on `file`) with `provinces` provinces.
 * `provinces` = 1 gives the province database.
 */
export async function buildBenchDb(file: string, provinces: number, log: Progress = console.log): Promise<BenchDbInfo> {
  for (const f of [file, `${file}-wal`, `${file}-shm`]) fs.rmSync(f, { force: true });
  fs.mkdirSync(path.dirname(file), { recursive: true });
  process.env.DATABASE_PATH = file;
  const { getDb, closeDb } = await import("../app/server/db/client.server");
  const { newestPublished } = await import("../app/server/services/catalogue.server");
  const { hashPassword } = await import("../app/server/auth/password.server");
  const { scoreAssessment } = await import("../app/domain/scoring");
  closeDb();
  const db = getDb();
  const c = db.$client;
  c.pragma("synchronous = OFF");
  const edition = newestPublished(db);
  if (!edition) throw new Error("no published edition after the catalogue seed");
  const ed = edition.edition;
  const items = ed.groups.flatMap((g) => g.indicators.flatMap((i) => i.items));
  const infos = ed.groups.flatMap((g) => g.indicators.flatMap((i) => i.info ?? []));
  const hash = await hashPassword(BENCH_PASSWORD);
  const now = Date.now();
  const t0 = performance.now();

  const ins = {
    unit: c.prepare("INSERT INTO units (kind, code, name, search_key, parent_id, created_at) VALUES (?, ?, ?, ?, ?, ?)"),
    school: c.prepare("INSERT INTO schools (code, name, search_key, type, managing_unit_id, reviewing_unit_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)"),
    user: c.prepare("INSERT INTO users (username, display_name, search_key, password_hash, unit_id, school_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)"),
    role: c.prepare("INSERT INTO user_roles (user_id, role) VALUES (?, ?)"),
    cycle: c.prepare("INSERT INTO cycles (school_year, owner_unit_id, edition_id, self_assessment_deadline, review_deadline, status, created_by, created_at) VALUES (?, ?, ?, ?, ?, 'open', ?, ?)"),
    assessment: c.prepare(
      "INSERT INTO assessments (cycle_id, school_id, status, version, self_level, submitted_at, submitted_by, approved_at, approved_by, recognised_at, recognised_level, external_level, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    ),
    answer: c.prepare("INSERT INTO answers (assessment_id, phase, item_code, value, note, updated_by, updated_at, version) VALUES (?, 'self', ?, ?, ?, ?, ?, ?)"),
    external: c.prepare("INSERT INTO answers (assessment_id, phase, item_code, value, note, updated_by, updated_at, version) VALUES (?, 'external', ?, ?, NULL, ?, ?, ?)"),
    blob: c.prepare("INSERT INTO blobs (sha256, size, mime, created_at) VALUES (?, ?, ?, ?)"),
    evidence: c.prepare("INSERT INTO evidence (school_id, kind, title, file_name, sha256, url, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"),
    link: c.prepare("INSERT INTO evidence_links (assessment_id, item_code, evidence_id, code, created_at) VALUES (?, ?, ?, ?, ?)"),
    audit: c.prepare("INSERT INTO audit_log (at, actor_id, action, entity_type, entity_id, school_id, unit_id, assessment_id, details) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"),
  };
  const id = (r: Database.RunResult) => Number(r.lastInsertRowid);

  const person = (r: () => number) => `${FAMILY[Math.floor(r() * FAMILY.length)]} ${MIDDLE[Math.floor(r() * MIDDLE.length)]} ${NAME[Math.floor(r() * NAME.length)]}`;
  const answerFor = (item: (typeof items)[number], r: () => number): unknown => {
    switch (item.rule) {
      case "mandatory":
        return r() < 0.9;
      case "boolean":
        return r() < 0.7;
      case "ratio": {
        const d = 20 + Math.floor(r() * 80);
        return { numerator: Math.floor(r() * (d + 1)), denominator: d };
      }
      case "choice":
        return item.options[Math.floor(r() * item.options.length)]!.id;
    }
  };

  let ministry = 0;
  let province1 = 0;
  let schoolSerial = 0;
  let userSerial = 0;
  c.transaction(() => {
    ministry = id(ins.unit.run("ministry", "BGDDT", "Bộ Giáo dục và Đào tạo", fold("BGDDT Bộ Giáo dục và Đào tạo"), null, now));
    const admin = id(ins.user.run("admin", "Đỗ Minh Quân", fold("admin Đỗ Minh Quân"), hash, null, null, now));
    ins.role.run(admin, "system_admin");
    if (provinces > 1) {
      const bo = id(ins.user.run("bo.admin", "Phạm Thu Hà", fold("bo.admin Phạm Thu Hà"), hash, ministry, null, now));
      ins.role.run(bo, "office_admin");
    }
  })();

  for (let p = 1; p <= provinces; p++) {
    const r = rng(1000 + p);
    c.transaction(() => {
      const pc = `S${String(p).padStart(2, "0")}`;
      const pname = `Sở Giáo dục và Đào tạo tỉnh ${p === 1 ? "Đông Sơn" : `Số ${p}`}`;
      const so = id(ins.unit.run("province", pc, pname, fold(`${pc} ${pname}`), ministry, now));
      if (p === 1) province1 = so;
      const soUser = id(ins.user.run(`so.${pc.toLowerCase()}`, person(r), fold(`so.${pc.toLowerCase()}`), hash, so, null, now));
      ins.role.run(soUser, "office_admin");
      ins.role.run(soUser, "office_reviewer");
      const communes: number[] = [];
      for (let k = 1; k <= COMMUNES_PER_PROVINCE; k++) {
        const code = `${pc}-X${String(k).padStart(3, "0")}`;
        const name = `UBND xã ${COMMUNE[k % COMMUNE.length]} ${k}`;
        communes.push(id(ins.unit.run("commune", code, name, fold(`${code} ${name}`), so, now)));
      }
      const cycle = id(ins.cycle.run(SCHOOL_YEAR, so, ed.id, "2027-05-31", "2027-06-20", soUser, now));
      const n = schoolsOf(p);
      for (let s = 0; s < n; s++) {
        schoolSerial++;
        let x = r();
        let type: (typeof TYPES)[number] = TYPES[0];
        for (const t of TYPES) {
          if (x < t[1]) {
            type = t;
            break;
          }
          x -= t[1];
        }
        const code = `${String(p).padStart(2, "0")}${String(s + 1).padStart(6, "0")}`;
        const name = `${type[2]} ${GIVEN[Math.floor(r() * GIVEN.length)]} ${s + 1}`;
        const primary = type[0] === "TH" || type[0] === "THCS" || type[0] === "TH&THCS";
        const managing = primary ? communes[s % communes.length]! : so;
        const school = id(ins.school.run(code, name, fold(`${code} ${name}`), type[0], managing, so, now));
        userSerial++;
        const head = person(r);
        const user = id(ins.user.run(`t${code}`, head, fold(`t${code} ${head}`), hash, null, school, now));
        ins.role.run(user, "school_head");

        let y = r();
        let status: string = "draft";
        for (const [st, w] of STATUS_MIX) {
          if (y < w) {
            status = st;
            break;
          }
          y -= w;
        }
        const answers: Record<string, unknown> = {};
        const answered = status === "draft" ? Math.floor(items.length * (0.75 + 0.25 * r())) : items.length;
        for (let i = 0; i < answered; i++) answers[items[i]!.code] = answerFor(items[i]!, r);
        for (const info of infos) if (status !== "draft") answers[info.key] = Object.fromEntries(info.fields.map((f) => [f.id, f.type === "choice" ? f.options[0]!.id : "Hệ thống LMS của trường"]));
        const level = scoreAssessment(ed, answers as never).level;
        const version = 1 + answered + EVIDENCE_PER_SCHOOL;
        const submitted = status !== "draft";
        const approved = status === "approved" || status === "recognised";
        const recognised = status === "recognised";
        const a = id(
          ins.assessment.run(cycle, school, status, version, level, submitted ? now - 86_400_000 : null, submitted ? user : null, approved ? now - 3_600_000 : null, approved ? soUser : null, recognised ? now : null, recognised ? level : null, approved ? level : null, now - 30 * 86_400_000, now),
        );
        let v = 1;
        for (const [code, value] of Object.entries(answers)) ins.answer.run(a, code, JSON.stringify(value), r() < 0.3 ? "Đã cập nhật theo số liệu học kỳ I." : null, user, now, ++v);
        // Approved and recognised files have the office's external answers too.
        if (approved) for (const [code, value] of Object.entries(answers)) ins.external.run(a, code, JSON.stringify(value), soUser, now, v);
        for (let e = 0; e < EVIDENCE_PER_SCHOOL; e++) {
          const item = items[e % items.length]!;
          const file = e % 5 !== 4;
          let sha: string | null = null;
          if (file) {
            sha = createHash("sha256").update(`bench-${school}-${e}`).digest("hex");
            ins.blob.run(sha, 50_000 + Math.floor(r() * 500_000), "application/pdf", now);
          }
          const ev = id(
            ins.evidence.run(school, file ? "file" : "link", `Minh chứng ${item.code} số ${e + 1}`, file ? `minh-chung-${item.code}-${e + 1}.pdf` : null, sha, file ? null : `https://truong.edu.vn/minh-chung/${e + 1}`, user, now),
          );
          const ind = item.code.split(".").slice(0, 2).join(".");
          ins.link.run(a, item.code, ev, `MC-${ind}-${String(e + 1).padStart(2, "0")}`, now);
        }
        for (let k = 0; k < AUDIT_PER_ASSESSMENT; k++) {
          ins.audit.run(now - (AUDIT_PER_ASSESSMENT - k) * 60_000, user, "assessment.save", "assessment", String(a), school, null, a, JSON.stringify({ items: [items[k % items.length]!.code] }));
        }
      }
    })();
    if (provinces > 1 && (p % 5 === 0 || p === provinces)) log(`  ${p}/${provinces} tỉnh, ${schoolSerial} trường (${((performance.now() - t0) / 1000).toFixed(0)} s)`);
  }
  c.exec("CREATE TABLE IF NOT EXISTS bench_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)");
  c.exec("ANALYZE");
  c.prepare("INSERT OR REPLACE INTO bench_meta (key, value) VALUES ('shape', ?)").run(SHAPE_VERSION);
  c.pragma("wal_checkpoint(TRUNCATE)");
  closeDb();
  return { file, soUsername: "so.s01", adminUsername: "admin", ministryUnitId: ministry, province1UnitId: province1 };
}

/** Counts of the main tables, for the printed shape. */
export function shapeOf(file: string, Db: typeof Database): Record<string, number> {
  const db = new Db(file, { readonly: true });
  try {
    const n = (t: string) => (db.prepare(`SELECT count(*) AS n FROM ${t}`).get() as { n: number }).n;
    return {
      units: n("units"),
      schools: n("schools"),
      users: n("users"),
      assessments: n("assessments"),
      answers: n("answers"),
      evidence: n("evidence"),
      audit: n("audit_log"),
      megabytes: Math.round(fs.statSync(file).size / 1e6),
    };
  } finally {
    db.close();
  }
}
