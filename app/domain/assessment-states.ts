/**
 * The assessment state machine (isomorphic, no I/O):
 *
 *   draft ──submit──▶ submitted ──approve──▶ approved ──finishExternal──▶ assessed ──recognise──▶ recognised
 *                      │   ▲  ▲                │   ▲                        │  │                       │
 *                 return   submit  └──withdraw─┘   └──────reopenExternal────┘  │                       │
 *                      ▼   │      └────────────────────withdraw───────────────┘                       │
 *                     returned                                              assessed ◀────revoke──────┘
 *
 * The school edits its answers in draft and returned, and answers the office's requests while
 * returned; the head submits (each submission is a round). The reviewing office returns it with
 * requests or approves it; approval opens the external assessment (đánh giá ngoài), which the
 * office finishes ("đã đánh giá ngoài") and may reopen; it withdraws an approval (thu hồi) with a
 * reason until recognition; recognition (công nhận) is of a finished external assessment and may
 * be revoked.
 */
export const STATES = ["draft", "submitted", "returned", "approved", "assessed", "recognised"] as const;
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
  | "respond"
  | "closeRequest"
  | "assign"
  | "approve"
  | "withdraw"
  | "externalSave"
  | "externalTeam"
  | "finishExternal"
  | "reopenExternal"
  | "recognise"
  | "revoke";

const EVERY_STATE = Object.fromEntries(STATES.map((s) => [s, s])) as Record<AssessmentState, AssessmentState>;

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
  /** The office sends the file back with requests (yêu cầu bổ sung). */
  return: { submitted: "returned" },
  /** The school answers a request (a reply, "đã bổ sung"). */
  respond: { returned: "returned" },
  /** The reviewer closes a request it is satisfied with (while checking, or before resubmission). */
  closeRequest: { submitted: "submitted", returned: "returned" },
  /** The office admin assigns the file to a reviewer of the office (any time before recognition). */
  assign: { ...EVERY_STATE, recognised: undefined } as Partial<Record<AssessmentState, AssessmentState>>,
  approve: { submitted: "approved" },
  /** Withdrawing an approval (thu hồi), with a reason, until recognition: back to checking. */
  withdraw: { approved: "submitted", assessed: "submitted" },
  /** The office's external answers (phase external) and the assessment team, while it assesses. */
  externalSave: { approved: "approved" },
  externalTeam: { approved: "approved" },
  finishExternal: { approved: "assessed" },
  reopenExternal: { assessed: "approved" },
  recognise: { assessed: "recognised" },
  /** Revoking a recognition (the certificate's thu hồi). */
  revoke: { recognised: "assessed" },
};

export function nextState(from: AssessmentState, t: TransitionName): AssessmentState | null {
  return TRANSITIONS[t][from] ?? null;
}

/** May transition `t` happen from state `s`? */
export const allows = (s: AssessmentState, t: TransitionName): boolean => nextState(s, t) !== null;

/**
 * A closed cycle is the record of its year: nothing in it changes, except that a recognition found
 * wrong can still be revoked (a certificate stays verifiable for years).
 */
export const CLOSED_CYCLE_TRANSITIONS: ReadonlySet<TransitionName> = new Set(["revoke"]);

/** The school may change answers and evidence only where the table allows a save. */
export function isEditableBySchool(s: AssessmentState): boolean {
  return allows(s, "save");
}

/** States in which the office's external result is final and the school may see it. */
export function externalVisibleToSchool(s: AssessmentState): boolean {
  return s === "assessed" || s === "recognised";
}

export const STATE_LABELS: Record<AssessmentState, { vi: string; next: string }> = {
  draft: { vi: "Đang soạn", next: "Nhà trường nhập thông tin, đính kèm minh chứng; Hiệu trưởng gửi trước hạn." },
  submitted: { vi: "Đã gửi, chờ kiểm tra", next: "Đơn vị đánh giá kiểm tra hồ sơ: duyệt, hoặc trả lại kèm yêu cầu bổ sung." },
  returned: { vi: "Bị trả lại, cần bổ sung", next: "Nhà trường trả lời từng yêu cầu, bổ sung thông tin, minh chứng rồi gửi lại." },
  approved: { vi: "Đã duyệt, đang đánh giá ngoài", next: "Đơn vị đánh giá thực hiện đánh giá ngoài rồi hoàn thành." },
  assessed: { vi: "Đã đánh giá ngoài", next: "Kết quả đánh giá ngoài đã có; chờ đơn vị đánh giá ra quyết định công nhận." },
  recognised: { vi: "Đã công nhận", next: "Kết quả đã được công nhận." },
};
