/**
 * Contracts of the office's review (isomorphic, no I/O): the assessment team, the frozen round a
 * school submitted, what changed between two rounds, requests as the screens show them, and the
 * notification kinds. Points are the scoring engine's integer hundredths, copied from its result.
 */
import { z } from "zod";
import type { AnswerValue } from "./scoring";

export const REQUEST_MAX = 2000;
export const REASON_MAX = 2000;

export const TEAM_ROLES = ["truong_doan", "thanh_vien", "thu_ky"] as const;
export type TeamRole = (typeof TEAM_ROLES)[number];

export interface TeamMember {
  name: string;
  /** Position and workplace, as printed on the biên bản ("Phó Trưởng phòng GDĐT"). */
  title: string;
  role: TeamRole;
}

/** The external assessment team (đoàn đánh giá) and the day it assessed (local date yyyy-mm-dd). */
export interface ExternalTeam {
  date: string | null;
  /** The biên bản's number ("05/BB-ĐGN"), optional. */
  number?: string | null;
  members: TeamMember[];
  /** The conclusion printed on the biên bản (kết luận), optional. */
  conclusion?: string | null;
}

export const teamSchema = z.object({
  date: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, "Ngày đánh giá không hợp lệ.")
    .nullable(),
  number: z.string().trim().max(40, "Số biên bản dài quá 40 ký tự.").nullable().optional(),
  conclusion: z.string().trim().max(4000, "Kết luận dài quá 4.000 ký tự.").nullable().optional(),
  members: z
    .array(
      z.object({
        name: z.string().trim().min(1, "Vui lòng nhập họ tên thành viên.").max(120, "Họ tên dài quá 120 ký tự."),
        title: z.string().trim().max(160, "Chức vụ dài quá 160 ký tự.").default(""),
        role: z.enum(TEAM_ROLES, { errorMap: () => ({ message: "Vai trò không hợp lệ." }) }),
      }),
    )
    .max(15, "Đoàn có tối đa 15 thành viên.")
    .refine((m) => m.filter((x) => x.role === "truong_doan").length <= 1, "Đoàn chỉ có một trưởng đoàn."),
});

/** One item as the school sent it in a round. `p`: points (hundredths). */
export interface RoundItem {
  v: AnswerValue | null;
  n: string | null;
  p: number;
}

export interface RoundEvidence {
  id: number;
  title: string;
}

export interface RoundSnapshot {
  level: number;
  items: Record<string, RoundItem>;
  evidence: Record<string, RoundEvidence[]>;
}

export interface ItemDiff {
  code: string;
  before: RoundItem | null;
  after: RoundItem | null;
  valueChanged: boolean;
  noteChanged: boolean;
  pointsChanged: boolean;
  evidenceAdded: RoundEvidence[];
  evidenceRemoved: RoundEvidence[];
}

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/** What changed per item from round `prev` to round `cur`, items in `order` (edition order). */
export function diffRounds(prev: RoundSnapshot, cur: RoundSnapshot, order: readonly string[]): ItemDiff[] {
  const codes = new Set([...Object.keys(prev.items), ...Object.keys(cur.items), ...Object.keys(prev.evidence), ...Object.keys(cur.evidence)]);
  const pos = new Map(order.map((c, i) => [c, i]));
  const out: ItemDiff[] = [];
  for (const code of [...codes].sort((a, b) => (pos.get(a) ?? 1e9) - (pos.get(b) ?? 1e9) || a.localeCompare(b))) {
    const before = prev.items[code] ?? null;
    const after = cur.items[code] ?? null;
    const was = new Map((prev.evidence[code] ?? []).map((e) => [e.id, e]));
    const now = new Map((cur.evidence[code] ?? []).map((e) => [e.id, e]));
    const d: ItemDiff = {
      code,
      before,
      after,
      valueChanged: !same(before?.v, after?.v),
      noteChanged: (before?.n ?? "") !== (after?.n ?? ""),
      pointsChanged: (before?.p ?? 0) !== (after?.p ?? 0),
      evidenceAdded: [...now.values()].filter((e) => !was.has(e.id)),
      evidenceRemoved: [...was.values()].filter((e) => !now.has(e.id)),
    };
    if (d.valueChanged || d.noteChanged || d.pointsChanged || d.evidenceAdded.length || d.evidenceRemoved.length) out.push(d);
  }
  return out;
}

/** A request as the school and the office see it. */
export interface RequestView {
  id: number;
  itemCode: string | null;
  body: string;
  round: number;
  author: string | null;
  createdAt: number;
  reply: string | null;
  addressed: boolean;
  repliedAt: number | null;
  repliedBy: string | null;
  resolvedAt: number | null;
  resolvedBy: string | null;
}

/** A request still waiting for the school: open and neither answered nor marked done. */
export const isUnanswered = (r: Pick<RequestView, "resolvedAt" | "reply" | "addressed">) => r.resolvedAt == null && !r.addressed && !(r.reply ?? "").trim();

export const NOTIFICATION_KINDS = ["submitted", "resubmitted", "returned", "approved", "external-finished", "withdrawn", "assigned", "recognised", "recognition-revoked"] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];
