/**
 * The evidence contract (minh chứng), shared by client and server (no Node imports): the row shape the
 * assessment form and the EvidencePanel receive, the accepted file types, the input schemas (title, URL,
 * item codes) with their limits, the evidence codes (MC-<itemCode>-NN), and small formatting helpers.
 * Server code (storage/*, services/evidence.server) and components both import it from here.
 */
import { z } from "zod";
import { pick } from "~/i18n";
import { evidence as strings } from "~/i18n/evidence";
import { cleanText } from "~/utils/text";

const t = pick(strings).errors;

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
  | { ok: false; intent: string | null; field: EvidenceField; message: string };

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


/** The field an evidence refusal is shown at. */
export type EvidenceField = "file" | "url" | "title" | "itemCode" | "evidenceId" | "form";

// ───────────────────────────── input schemas ─────────────────────────────

export const TITLE_MAX = 200;
export const URL_MAX = 2000;
export const ITEMS_PER_CALL_MAX = 30;

/** Title: NFC, no control characters, collapsed whitespace, at most TITLE_MAX characters. */
export const titleSchema = z
  .string()
  .transform((s) => cleanText(s.replace(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, " ")))
  .pipe(z.string().max(TITLE_MAX, t.title));

/** http(s) only, no credentials, at most URL_MAX characters; stored normalised (URL.href). */
export const urlSchema = z
  .string({ required_error: t.urlRequired })
  .trim()
  .min(1, t.urlRequired)
  .max(URL_MAX, t.url)
  .transform((s, ctx) => {
    let u: URL;
    try {
      u = new URL(s);
    } catch {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: t.url });
      return z.NEVER;
    }
    if ((u.protocol !== "http:" && u.protocol !== "https:") || !u.hostname || u.username || u.password || /[\s\u0000-\u001f]/.test(s)) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: t.url });
      return z.NEVER;
    }
    if (u.href.length > URL_MAX) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: t.url });
      return z.NEVER;
    }
    return u.href;
  });

export const itemCodesSchema = z
  .array(z.string().trim().min(1, t.itemRequired).max(32, t.itemCode).regex(/^[0-9A-Za-z.]+$/, t.itemCode))
  .min(1, t.itemRequired)
  .max(ITEMS_PER_CALL_MAX, t.itemCode)
  .transform((codes) => [...new Set(codes)]);

// ───────────────────────────── evidence codes ─────────────────────────────

/**
 * Codes are per assessment and per item: MC-<itemCode>-NN (MC-1.3.1-01, MC-1.4-02), NN = 2 digits
 * (3 past 99). Numbers are never reused within an assessment (the service decides the next one).
 */
export function formatEvidenceCode(itemCode: string, n: number): string {
  return `MC-${itemCode}-${String(n).padStart(2, "0")}`;
}

/** The number of an evidence code ("MC-1.3.1-07" → 7), 0 when there is none. */
export function evidenceCodeNumber(code: string | null | undefined): number {
  const m = code ? /-(\d+)$/.exec(code) : null;
  return m ? Number(m[1]) : 0;
}
