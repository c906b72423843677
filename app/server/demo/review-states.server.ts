/**
 * The demo's files in every state of the review, made through the real services (the door, the
 * review acts) so the inbox, the checking page, the external assessment and the notifications
 * show what a June morning looks like for phong.demo and so.demo. truong.th1's own file stays a
 * fresh draft. Answers are drawn from a fixed seed, so every demo database is the same.
 */
import type { Edition } from "~/domain/catalogue";
import type { Db } from "../db/client.server";
import { assessments } from "../db/schema.server";
import { saveAnswers, submitAssessment } from "../services/assessments.server";
import { createLinkEvidence } from "../services/evidence.server";
import { createUser } from "../services/org.server";
import { approve, assign, finishExternal, keepSelf, requestsOf, respond, returnFile, setTeam } from "../services/review.server";
import { localDateOf } from "~/utils/time";
import { and, eq } from "drizzle-orm";

/** A small deterministic generator (mulberry32). */
export function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function fullAnswers(edition: Edition, r: () => number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const g of edition.groups)
    for (const ind of g.indicators) {
      for (const item of ind.items) {
        if (item.rule === "mandatory") out[item.code] = true;
        else if (item.rule === "boolean") out[item.code] = r() < 0.75;
        else if (item.rule === "ratio") {
          const d = 20 + Math.floor(r() * 40);
          out[item.code] = { numerator: Math.floor(d * (0.5 + 0.5 * r())), denominator: d };
        } else if (item.rule === "choice") out[item.code] = item.options[Math.floor(r() * item.options.length)]!.id;
      }
      for (const info of ind.info ?? []) out[info.key] = Object.fromEntries(info.fields.map((f) => [f.id, f.type === "choice" ? f.options[0]!.id : "Hệ thống quản lý học tập của trường"]));
    }
  return out;
}

export interface DemoSchool {
  id: number;
  code: string;
  name: string;
}

type Plan = "draft" | "submitted" | "returned" | "resubmitted" | "approved" | "assessed" | "kept" | "recognised";

/**
 * `plans`: the state to bring each school's file to. `reviewers[i]` acts on the i-th school;
 * `admin` assigns the Sở's files.
 */
export async function seedReviewStates(
  db: Db,
  cycleId: number,
  edition: Edition,
  plans: { school: DemoSchool; plan: Plan; reviewer: number }[],
  opts: { password: string; now?: number },
): Promise<{ toRecognise: number[] }> {
  const toRecognise: number[] = [];
  const r = prng(4725);
  let t = (opts.now ?? Date.now()) - 24 * 3600 * 1000; // the story starts a day ago
  const tick = () => (t += 5 * 60 * 1000);
  for (const [i, { school, plan, reviewer }] of plans.entries()) {
    const head = await createUser({ username: `ht.${school.code}`, displayName: demoHeadName(school.code), password: opts.password, roles: ["school_head"], schoolId: school.id }, null, db);
    const a = db.select().from(assessments).where(and(eq(assessments.cycleId, cycleId), eq(assessments.schoolId, school.id))).get();
    if (!a) continue;
    const id = a.id;
    const v = () => db.select({ v: assessments.version }).from(assessments).where(eq(assessments.id, id)).get()!.v;
    const answers = fullAnswers(edition, r);
    const codes = Object.keys(answers);
    const share = plan === "draft" ? 0.6 : 1;
    const changes = Object.fromEntries(codes.slice(0, Math.ceil(codes.length * share)).map((c) => [c, { value: answers[c] as never }]));
    saveAnswers(id, { baseVersion: v(), changes }, head, tick(), db);
    createLinkEvidence({ assessmentId: id, itemCodes: ["1.3.1"], url: `https://${school.code}.dongson.edu.vn/ke-hoach-cds`, title: "Kế hoạch chuyển đổi số của nhà trường" }, head, tick(), db);
    if (plan === "draft") continue;
    submitAssessment(id, head, tick(), db);
    if (plan === "submitted") continue;
    if (i % 2 === 0) assign([id], reviewer, reviewer, tick(), db);
    if (plan === "returned" || plan === "resubmitted") {
      returnFile(id, { requests: { "1.3.1": "Kế hoạch chưa có chữ ký, đóng dấu của Hiệu trưởng: đề nghị đính kèm bản đã ký.", "2.1": "Bổ sung quyết định thành lập tổ chuyển đổi số." }, comment: "Hồ sơ cơ bản đầy đủ; đề nghị bổ sung theo các yêu cầu tại tiêu chí." }, reviewer, tick(), db);
      if (plan === "returned") continue;
      const [first, second] = requestsOf(id, db);
      respond(id, first!.id, { reply: "Nhà trường đã đính kèm kế hoạch có chữ ký, đóng dấu.", addressed: true }, head, tick(), db);
      respond(id, second!.id, { reply: "Đã bổ sung quyết định số 12/QĐ-TH.", addressed: true }, head, tick(), db);
      createLinkEvidence({ assessmentId: id, itemCodes: ["1.3.1"], url: `https://${school.code}.dongson.edu.vn/ke-hoach-cds-da-ky`, title: "Kế hoạch chuyển đổi số (bản đã ký)" }, head, tick(), db);
      submitAssessment(id, head, tick(), db);
      continue;
    }
    approve(id, reviewer, {}, tick(), db);
    if (plan === "approved") continue;
    if (plan === "kept" || plan === "recognised") {
      keepSelf([id], reviewer, tick(), db);
      // Recognised by a decision of the office (seed.server issues it): the file waits in "assessed".
      if (plan === "recognised") toRecognise.push(id);
      continue;
    }
    // assessed: the team changes one item, with its reason, and finishes.
    saveAnswers(id, { baseVersion: v(), changes: { "1.3.1": { value: false, note: "Kế hoạch chưa được cấp có thẩm quyền phê duyệt tại thời điểm đánh giá." } }, phase: "external" }, reviewer, tick(), db);
    setTeam(
      id,
      {
        date: localDateOf(t),
        number: `${String(i + 1).padStart(2, "0")}/BB-ĐGN`,
        conclusion: null,
        members: [
          { name: "Trần Văn Đức", title: "Chuyên viên Phòng GDĐT", role: "truong_doan" },
          { name: "Nguyễn Thị Lan", title: "Chuyên viên Phòng GDĐT", role: "thanh_vien" },
          { name: "Hoàng Minh Tuấn", title: "Giáo viên Trường THCS Chu Văn An", role: "thu_ky" },
        ],
      },
      reviewer,
      {},
      tick(),
      db,
    );
    finishExternal(id, reviewer, {}, tick(), db);
  }
  return { toRecognise };
}

/** Plain person names for the demo's school heads (their title is printed from the role). */
export const DEMO_HEAD_NAMES = [
  "Nguyễn Văn An", "Trần Thị Bình", "Lê Minh Châu", "Phạm Quốc Dũng", "Hoàng Thị Giang", "Vũ Đức Hải", "Đặng Thu Hằng", "Bùi Văn Hùng",
  "Đỗ Thị Lan", "Hồ Ngọc Long", "Ngô Thị Mai", "Dương Văn Nam", "Lý Thị Ngọc", "Phan Hữu Phúc", "Võ Thị Quyên", "Huỳnh Văn Sơn",
  "Trương Thị Thảo", "Mai Văn Thắng", "Cao Thị Thu", "Lương Văn Tiến", "Đinh Thị Trang", "Tạ Quang Trung", "Châu Thị Uyên", "Lâm Văn Việt",
  "Kiều Thị Xuân", "Quách Văn Yên", "Tô Thị Ánh", "Triệu Văn Bảo", "La Thị Cúc", "Khúc Văn Định", "Ông Thị Hoa", "Doãn Văn Khánh",
] as const;

/** A school's head's demo name, by the school's code (deterministic). */
export function demoHeadName(code: string): string {
  let h = 0;
  for (const ch of code) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return DEMO_HEAD_NAMES[h % DEMO_HEAD_NAMES.length]!;
}
