/**
 * Evidence shared by client and server (no Node imports): the row shape the assessment form and the
 * EvidencePanel receive, the accepted file types, and small formatting helpers.
 */

/** One evidence attached to one item of an assessment (evidenceForAssessment returns these). */
export interface EvidenceEntry {
  /** The catalogue item code it is attached to, e.g. "1.3.1". */
  itemCode: string;
  /** Generated evidence code within the assessment: MC-<itemCode>-NN, e.g. "MC-1.3.1-01". */
  code: string;
  evidenceId: number;
  kind: "file" | "link";
  title: string;
  /** Sanitised original file name (Vietnamese kept), null for links. */
  fileName: string | null;
  /** Detected (magic bytes) content type, null for links. */
  mime: string | null;
  /** Bytes, null for links. */
  size: number | null;
  /** http(s) address, null for files. */
  url: string | null;
}

/** What POST /danh-gia/:id/minh-chung answers to fetch callers (and plain forms on refusal). */
export type EvidenceActionData =
  | { ok: true; intent: "upload" | "link" | "attach" | "detach"; itemCode: string; message: string; entries: EvidenceEntry[] }
  | { ok: false; intent: string | null; field: "file" | "url" | "title" | "itemCode" | "evidenceId" | "form"; message: string };

export interface AllowedType {
  ext: string;
  mime: string;
  /** Extensions a file of this type may carry in its name. */
  exts: string[];
  label: string;
}

/** The types accepted as evidence, recognised by their content (magic bytes), never by their name. */
export const ALLOWED_TYPES: AllowedType[] = [
  { ext: "pdf", mime: "application/pdf", exts: ["pdf"], label: "PDF" },
  { ext: "jpg", mime: "image/jpeg", exts: ["jpg", "jpeg"], label: "JPEG" },
  { ext: "png", mime: "image/png", exts: ["png"], label: "PNG" },
  { ext: "docx", mime: "application/vnd.openxmlformats-officedocument.wordprocessingml.document", exts: ["docx"], label: "Word (DOCX)" },
  { ext: "xlsx", mime: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", exts: ["xlsx"], label: "Excel (XLSX)" },
  { ext: "pptx", mime: "application/vnd.openxmlformats-officedocument.presentationml.presentation", exts: ["pptx"], label: "PowerPoint (PPTX)" },
  { ext: "mp4", mime: "video/mp4", exts: ["mp4"], label: "MP4" },
];

/** The `accept` attribute of the file input. */
export const ACCEPT_ATTRIBUTE = [...ALLOWED_TYPES.flatMap((t) => t.exts.map((e) => `.${e}`)), ...ALLOWED_TYPES.map((t) => t.mime)].join(",");

/** Default upper size of one file (EVIDENCE_MAX_BYTES may change it on the server). */
export const DEFAULT_MAX_BYTES = 20 * 1024 * 1024;

/** Only these open inline (?xem=1): the browser renders them without running anything of theirs. */
export function isPreviewable(mime: string | null | undefined): boolean {
  return mime === "application/pdf" || mime === "image/jpeg" || mime === "image/png";
}

export function downloadHref(evidenceId: number): string {
  return `/minh-chung/${evidenceId}`;
}

export function previewHref(evidenceId: number): string {
  return `/minh-chung/${evidenceId}?xem=1`;
}

/** Only ever render http(s) addresses as links (defence in depth; the server validates them too). */
export function safeHttpUrl(url: string | null | undefined): string | null {
  return typeof url === "string" && /^https?:\/\//i.test(url) ? url : null;
}

/** "1,5 MB", "820 KB", "12 B" (Vietnamese decimal comma). */
export function formatBytes(n: number | null | undefined): string {
  if (n == null) return "";
  if (n < 1024) return `${n} B`;
  const units = ["KB", "MB", "GB"];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  const s = v >= 100 ? Math.round(v).toString() : (Math.round(v * 10) / 10).toString();
  return `${s.replace(".", ",")} ${units[i]}`;
}

/** Entries grouped by item code, in the order given. */
export function groupByItem(entries: EvidenceEntry[]): Map<string, EvidenceEntry[]> {
  const out = new Map<string, EvidenceEntry[]>();
  for (const e of entries) {
    const list = out.get(e.itemCode);
    if (list) list.push(e);
    else out.set(e.itemCode, [e]);
  }
  return out;
}
