/**
 * The assessment state machine (isomorphic, no I/O):
 *
 *   draft ──submit──▶ submitted ──approve──▶ approved ──recognise──▶ recognised
 *     ▲                 │    ▲                  │                       │
 *     └──── (edit) ◀─ returned ◀──return─┘   └──revoke──▶ submitted    └──revoke──▶ approved
 *
 * The school edits its answers in draft and returned; the head submits; the reviewing office
 * returns (yêu cầu bổ sung) or approves, re-scores (external phase) while approved, recognises,
 * and may withdraw (thu hồi) an approval or a recognition while the cycle is open.
 */
export const STATES = ["draft", "submitted", "returned", "approved", "recognised"] as const;
export type AssessmentState = (typeof STATES)[number];

/**
 * Every change to an assessment is one of these transitions, and the table below is the only
 * place that says from which states it may happen. The service's door (applyTransition in
 * assessments.server) refuses anything the table does not allow; the UI asks `allows` too.
 */
export type TransitionName =
  | "save"
  | "reportSave"
  | "evidence"
  | "extendDeadline"
  | "submit"
  | "return"
  | "approve"
  | "externalSave"
  | "recognise"
  | "revoke";

export const TRANSITIONS: Record<TransitionName, Partial<Record<AssessmentState, AssessmentState>>> = {
  /** The school's answers and notes (self-assessment phase). */
  save: { draft: "draft", returned: "returned" },
  /** The free-text sections of the self-assessment report. */
  reportSave: { draft: "draft", returned: "returned" },
  /** Evidence attached to or detached from the assessment's items. */
  evidence: { draft: "draft", returned: "returned" },
  /** A per-school extension of the self-assessment deadline (only while the school can still submit). */
  extendDeadline: { draft: "draft", returned: "returned" },
  submit: { draft: "submitted", returned: "submitted" },
  return: { submitted: "returned" },
  approve: { submitted: "approved" },
  externalSave: { approved: "approved" },
  recognise: { approved: "recognised" },
  revoke: { approved: "submitted", recognised: "approved" },
};

export function nextState(from: AssessmentState, t: TransitionName): AssessmentState | null {
  return TRANSITIONS[t][from] ?? null;
}

/** May transition `t` happen from state `s`? */
export const allows = (s: AssessmentState, t: TransitionName): boolean => nextState(s, t) !== null;

/** The school may change answers and evidence only where the table allows a save. */
export function isEditableBySchool(s: AssessmentState): boolean {
  return allows(s, "save");
}

export const STATE_LABELS: Record<AssessmentState, { vi: string; next: string }> = {
  draft: { vi: "Đang soạn", next: "Nhà trường nhập thông tin, đính kèm minh chứng; Hiệu trưởng gửi trước hạn." },
  submitted: { vi: "Đã gửi, chờ kiểm tra", next: "Đơn vị đánh giá kiểm tra hồ sơ: duyệt, hoặc trả lại kèm yêu cầu bổ sung." },
  returned: { vi: "Bị trả lại, cần bổ sung", next: "Nhà trường bổ sung theo yêu cầu của đơn vị đánh giá rồi gửi lại." },
  approved: { vi: "Đã duyệt", next: "Đơn vị đánh giá thực hiện đánh giá ngoài và công nhận mức độ." },
  recognised: { vi: "Đã công nhận", next: "Kết quả đã được công nhận; giấy công nhận có thể tải về." },
};
