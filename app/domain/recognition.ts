/**
 * Recognition (công nhận): the contracts shared by the service, the pages and the documents.
 * A decision (quyết định công nhận) of the issuing office recognises a selection of files whose
 * external assessment is finished; each recognised file gets a certificate (giấy công nhận) with
 * a serial number and a public verification token.
 */
import { z } from "zod";

export const DECISION_STATUSES = ["draft", "issued", "revoked"] as const;
export type DecisionStatus = (typeof DECISION_STATUSES)[number];

export const DECISION_STATUS_LABELS: Record<DecisionStatus, string> = {
  draft: "Dự thảo",
  issued: "Đã ban hành",
  revoked: "Đã thu hồi",
};

/** A decision's batches: every valid certificate in one ZIP, or one PDF for printing. */
export const BATCH_KINDS = ["certificates-zip", "certificates-book"] as const;
export type BatchKind = (typeof BATCH_KINDS)[number];

export const NUMBER_MAX = 50;
export const NAME_MAX = 120;
export const PLACE_MAX = 80;
export const BASIS_MAX = 600;
export const BASES_MAX = 10;
export const REVOKE_REASON_MAX = 1000;
/** A decision recognises at most this many files (a province has ~1,500 schools). */
export const DECISION_FILES_MAX = 5000;
/** Random bytes of a verification token: 144 bits, 24 base64url characters. */
export const TOKEN_BYTES = 18;
export const TOKEN_PATTERN = /^[A-Za-z0-9_-]{24}$/;

/** The "Căn cứ …" lines a new decision starts with; the office edits them. */
export function defaultBases(office: string): string[] {
  return [
    "Căn cứ Quyết định số 4725/QĐ-BGDĐT ngày 30/12/2022 của Bộ trưởng Bộ Giáo dục và Đào tạo ban hành Bộ chỉ số, tiêu chí đánh giá mức độ chuyển đổi số của cơ sở giáo dục phổ thông và giáo dục thường xuyên;",
    `Căn cứ chức năng, nhiệm vụ, quyền hạn của ${office};`,
    "Căn cứ kết quả tự đánh giá và đánh giá ngoài mức độ chuyển đổi số của các cơ sở giáo dục;",
    "Theo đề nghị của Trưởng đoàn đánh giá ngoài.",
  ];
}

const trimmed = (max: number, tooLong: string) => z.string().trim().max(max, tooLong);

/** The fields of a decision the office edits while it is a draft (all may still be empty). */
export const decisionDraftSchema = z.object({
  number: trimmed(NUMBER_MAX, `Số quyết định dài quá ${NUMBER_MAX} ký tự.`).refine((v) => v === "" || /^[0-9]{1,6}\/[^\s/]{1,40}$/u.test(v), {
    message: "Số quyết định có dạng 123/QĐ-SGDĐT.",
  }),
  decidedOn: z.string().trim().refine((v) => v === "" || /^\d{4}-\d{2}-\d{2}$/.test(v), { message: "Ngày quyết định không hợp lệ." }),
  place: trimmed(PLACE_MAX, `Địa danh dài quá ${PLACE_MAX} ký tự.`),
  signerName: trimmed(NAME_MAX, `Họ tên người ký dài quá ${NAME_MAX} ký tự.`),
  signerTitle: trimmed(NAME_MAX, `Chức vụ người ký dài quá ${NAME_MAX} ký tự.`),
  bases: z
    .array(trimmed(BASIS_MAX, `Mỗi dòng căn cứ tối đa ${BASIS_MAX} ký tự.`))
    .max(BASES_MAX, `Tối đa ${BASES_MAX} dòng căn cứ.`)
    .transform((lines) => lines.filter((l) => l !== ""))
    .optional(),
});
export type DecisionDraftInput = z.input<typeof decisionDraftSchema>;
export type DecisionDraft = z.output<typeof decisionDraftSchema>;

/** "SGD-2026-0007": the office's code, the decision's calendar year, the running number. */
export function formatSerial(unitCode: string, year: number, no: number): string {
  return `${unitCode}-${year}-${String(no).padStart(4, "0")}`;
}

/** "Mức 2 – Mức đáp ứng cơ bản" from the edition's level names. */
export function levelTitle(level: number, names: { level: number; name: string }[]): string {
  const name = names.find((n) => n.level === level)?.name;
  return name ? `Mức ${level} – ${name}` : `Mức ${level}`;
}

/** What the public verification shows (the page, its JSON and nothing personal beyond the signer). */
export interface VerificationFacts {
  serial: string;
  school: string;
  schoolCode: string;
  level: number;
  levelTitle: string;
  schoolYear: string;
  issuingOffice: string;
  decisionNumber: string;
  /** Local date YYYY-MM-DD. */
  decisionDate: string;
  signerName: string;
  signerTitle: string;
  status: "valid" | "revoked";
  /** Local date YYYY-MM-DD, when revoked. */
  revokedOn: string | null;
  revokeReason: string | null;
}
