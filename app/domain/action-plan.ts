/**
 * The school's action plan (kế hoạch cải thiện): statuses with their Vietnamese labels and the
 * zod schemas of its inputs (isomorphic: the plan page's forms and the service both parse with
 * them). Dates are local calendar dates 'YYYY-MM-DD' (typed dd/mm/yyyy or yyyy-mm-dd).
 */
import { z } from "zod";
import { parseLocalDate } from "~/utils/time";

export const ACTION_STATUSES = ["todo", "doing", "done"] as const;
export type ActionStatus = (typeof ACTION_STATUSES)[number];

export const ACTION_STATUS_LABELS: Record<ActionStatus, string> = {
  todo: "Chưa thực hiện",
  doing: "Đang thực hiện",
  done: "Đã hoàn thành",
};

export const isActionStatus = (s: unknown): s is ActionStatus => typeof s === "string" && (ACTION_STATUSES as readonly string[]).includes(s);

/** An action is open until it is done. */
export const isOpenStatus = (s: ActionStatus): boolean => s !== "done";

export const ACTION_TITLE_MAX = 500;
export const ACTION_NOTES_MAX = 2000;
/** Evidence links of one action. */
export const ACTION_EVIDENCE_MAX = 50;

export type ActionKind = "gap" | "own";

/** Field messages (Vietnamese); kept here so the schemas and the page say the same thing. */
export const ACTION_FIELD_MESSAGES = {
  titleRequired: "Nhập nội dung hành động.",
  titleTooLong: `Nội dung tối đa ${ACTION_TITLE_MAX} ký tự.`,
  notesTooLong: `Ghi chú tối đa ${ACTION_NOTES_MAX.toLocaleString("vi-VN")} ký tự.`,
  dueDate: "Thời hạn không hợp lệ: nhập theo dạng ngày/tháng/năm, ví dụ 31/12/2026.",
  status: "Chọn một trạng thái: chưa thực hiện, đang thực hiện hoặc đã hoàn thành.",
  owner: "Người phụ trách phải là một người dùng của nhà trường.",
  evidence: "Minh chứng phải chọn trong thư viện minh chứng của nhà trường.",
  tooManyEvidence: `Chọn tối đa ${ACTION_EVIDENCE_MAX} minh chứng cho một hành động.`,
  version: "Thiếu phiên bản của hành động: tải lại trang rồi thử lại.",
  itemCode: "Tiêu chí không có trong bộ chỉ số của hồ sơ này.",
} as const;

const m = ACTION_FIELD_MESSAGES;

const positiveId = (message: string) =>
  z
    .string()
    .trim()
    .regex(/^[1-9]\d{0,15}$/, message)
    .transform(Number)
    .pipe(z.number().int().positive().max(Number.MAX_SAFE_INTEGER, message));

/** "" → null; otherwise a real date, stored as 'YYYY-MM-DD'. */
export const dueDateSchema = z
  .string()
  .trim()
  .transform((s, ctx) => {
    if (s === "") return null;
    const d = parseLocalDate(s);
    if (!d || d < "2000-01-01" || d > "2100-12-31") {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: m.dueDate });
      return z.NEVER;
    }
    return d;
  });

/** "" → null (nobody yet); otherwise a user id (the service checks it is one of the school's users). */
export const ownerSchema = z
  .string()
  .trim()
  .transform((s, ctx) => {
    if (s === "") return null;
    if (!/^[1-9]\d{0,15}$/.test(s)) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: m.owner });
      return z.NEVER;
    }
    return Number(s);
  });

export const titleSchema = z.string().trim().min(1, m.titleRequired).max(ACTION_TITLE_MAX, m.titleTooLong);
export const notesSchema = z
  .string()
  .max(ACTION_NOTES_MAX, m.notesTooLong)
  .transform((s) => (s.trim() === "" ? null : s.replace(/\r\n?/g, "\n")));

export const statusSchema = z.enum(ACTION_STATUSES, { errorMap: () => ({ message: m.status }) });

export const evidenceIdsSchema = z.array(positiveId(m.evidence)).max(ACTION_EVIDENCE_MAX, m.tooManyEvidence);

/** The editable fields of an action (both the school's own and the generated ones). */
export const actionFieldsSchema = z.object({
  title: titleSchema,
  ownerId: ownerSchema,
  dueDate: dueDateSchema,
  status: statusSchema,
  notes: notesSchema,
  evidenceIds: evidenceIdsSchema,
});

export type ActionFields = z.infer<typeof actionFieldsSchema>;

/** An edit: the fields and the version the editor saw. */
export const actionUpdateSchema = actionFieldsSchema.extend({
  actionId: positiveId(m.version),
  version: positiveId(m.version),
});

export const actionDeleteSchema = z.object({
  actionId: positiveId(m.version),
  version: positiveId(m.version),
});

/** The school's own action: an optional item code, and the fields. */
export const actionCreateSchema = actionFieldsSchema.extend({
  itemCode: z
    .string()
    .trim()
    .max(20, m.itemCode)
    .regex(/^$|^\d+(\.\d+){0,3}$/, m.itemCode)
    .transform((s) => (s === "" ? null : s)),
});

export type ActionFieldName = "title" | "ownerId" | "dueDate" | "status" | "notes" | "evidenceIds" | "itemCode" | "form";

/** The office summary's status filter: open (not done, the default), one status, or all. */
export const SUMMARY_FILTERS = ["open", "todo", "doing", "done", "all"] as const;
export type SummaryFilter = (typeof SUMMARY_FILTERS)[number];
