/**
 * The one table of request-body limits, enforced by the server (app/server/http/guards.server.ts)
 * before a route reads a byte: a declared Content-Length over the limit is refused at once, a body
 * that grows past it (chunked) is cut off at the first byte too many. Both answer 413.
 *
 * Every request not listed here gets DEFAULT_BODY_LIMIT; GET and HEAD carry no body at all.
 * The routes keep their own, finer checks (part sizes, field lengths, zod): this is the outer bound.
 *
 * Also the list of the only paths that accept a write without a session (the server refuses
 * every other write from an anonymous client before reading its body).
 */
import { evidenceLimits } from "../services/evidence.server";
import { MAX_IMPORT_BYTES } from "../services/school-import.server";

export const KB = 1024;
export const MB = 1024 * 1024;

/** Login, logout and every plain form (user, unit, school, cycle, submit, catalogue edition actions). */
export const DEFAULT_BODY_LIMIT = 16 * KB;

/**
 * Answer saves (/danh-gia/:id/luu): at most 200 changes, notes of at most 4,000 characters, sent as
 * multipart form data (JSON in one field, raw UTF-8). 200 × 4,000 Vietnamese characters × 3 bytes is
 * 2.4 MB; 3 MB covers that worst case and the values. A real autosave is a few KB.
 */
export const ANSWER_SAVE_LIMIT = 3 * MB;

/**
 * The check page's return (/danh-gia/:id/kiem-tra): a request of ≤ 2,000 characters on each of the
 * edition's items (≤ 80) and the overall comment, percent-encoded (≤ 9 bytes a character).
 */
export const REVIEW_FORM_LIMIT = 81 * 2000 * 9 + 16 * KB;

/** Report text (/danh-gia/:id/bao-cao): six sections of 20,000 characters, percent-encoded (≤ 9 bytes a character). */
export const REPORT_FORM_LIMIT = 1_200_000 + 16 * KB;

/**
 * School CSV import (/quan-tri/truong/nhap): one part of the file (MAX_IMPORT_BYTES) or of its
 * base64 re-post at the confirm step (4/3 of it), plus the small fields and the multipart framing.
 */
export const SCHOOL_IMPORT_LIMIT = Math.ceil((MAX_IMPORT_BYTES * 4) / 3) + 1024 + 64 * KB;

/** Catalogue upload (/quan-tri/chi-so): a JSON file and a JSON textarea of 2 MB each, plus framing. */
export const CATALOGUE_UPLOAD_LIMIT = 2 * 2 * MB + 64 * KB;

/**
 * Evidence uploads (/danh-gia/:id/minh-chung) stream to disk and count the file against
 * EVIDENCE_MAX_BYTES themselves; the server only adds a ceiling of that plus the text parts
 * (≤ 40 parts of ≤ 16 KiB) and the multipart framing.
 */
export const MULTIPART_OVERHEAD = 1 * MB;
export const evidenceUploadLimit = (): number => evidenceLimits().maxBytes + MULTIPART_OVERHEAD;

export interface BodyLimitRule {
  /** Matched against the decoded, lower-cased path without a trailing slash. */
  pattern: RegExp;
  /** The route, as the README shows it. */
  route: string;
  limit: () => number;
}

/** Per-route limits. The first matching rule wins; anything else gets DEFAULT_BODY_LIMIT. */
export const BODY_LIMITS: readonly BodyLimitRule[] = [
  { route: "/danh-gia/:id/luu", pattern: /^\/danh-gia\/[^/]+\/luu$/, limit: () => ANSWER_SAVE_LIMIT },
  { route: "/danh-gia/:id/danh-gia-ngoai/luu", pattern: /^\/danh-gia\/[^/]+\/danh-gia-ngoai\/luu$/, limit: () => ANSWER_SAVE_LIMIT },
  { route: "/danh-gia/:id/kiem-tra", pattern: /^\/danh-gia\/[^/]+\/kiem-tra$/, limit: () => REVIEW_FORM_LIMIT },
  { route: "/danh-gia/:id/bao-cao", pattern: /^\/danh-gia\/[^/]+\/bao-cao$/, limit: () => REPORT_FORM_LIMIT },
  { route: "/danh-gia/:id/minh-chung", pattern: /^\/danh-gia\/[^/]+\/minh-chung$/, limit: evidenceUploadLimit },
  { route: "/quan-tri/truong/nhap", pattern: /^\/quan-tri\/truong\/nhap$/, limit: () => SCHOOL_IMPORT_LIMIT },
  { route: "/quan-tri/chi-so", pattern: /^\/quan-tri\/chi-so$/, limit: () => CATALOGUE_UPLOAD_LIMIT },
];

/**
 * What a write may carry: the two encodings of an HTML form (multipart needs its boundary).
 * Anything else (no type, text/plain, JSON, multipart without a boundary) makes the routes'
 * request.formData() throw, which would be a 500; the server answers 415 instead.
 */
export function isFormContentType(contentType: string | undefined): boolean {
  if (!contentType) return false;
  const [type, ...params] = contentType.split(";").map((p) => p.trim().toLowerCase());
  if (type === "application/x-www-form-urlencoded") return true;
  if (type === "multipart/form-data") return params.some((p) => /^boundary=("?)[^"]+\1$/.test(p));
  return false;
}

/** Writes that need no session: signing in, and signing out (harmless without one). */
export const ANONYMOUS_WRITE_PATHS: ReadonlySet<string> = new Set(["/login", "/logout"]);

/**
 * Methods that carry no body and change nothing. Not OPTIONS: Remix runs a route's action for any
 * method but GET and HEAD, so OPTIONS is guarded (origin, session, body limit) like POST.
 */
export const SAFE_METHODS: ReadonlySet<string> = new Set(["GET", "HEAD"]);

/**
 * The path as the router matches it: each segment percent-decoded except for "/" (React Router's
 * decodePath), lower case (matching is case-insensitive), without trailing slashes. A segment that
 * does not decode stays as it is (the router cannot match it to a route either).
 */
export function routePath(pathname: string): string {
  const p = pathname
    .split("/")
    .map((seg) => {
      try {
        return decodeURIComponent(seg).replace(/\//g, "%2F");
      } catch {
        return seg;
      }
    })
    .join("/")
    .toLowerCase()
    .replace(/\/+$/, "");
  return p === "" ? "/" : p;
}

/** The largest body a request to `pathname` may carry. */
export function bodyLimitFor(method: string, pathname: string): number {
  if (SAFE_METHODS.has(method)) return 0;
  const p = routePath(pathname);
  for (const rule of BODY_LIMITS) if (rule.pattern.test(p)) return rule.limit();
  return DEFAULT_BODY_LIMIT;
}

/** Whether a write to `pathname` is allowed without a session. */
export function isAnonymousWrite(pathname: string): boolean {
  return ANONYMOUS_WRITE_PATHS.has(routePath(pathname));
}

/** The table as the README shows it (route, limit in bytes). */
export function describeBodyLimits(): { route: string; bytes: number }[] {
  return [
    ...BODY_LIMITS.map((r) => ({ route: r.route, bytes: r.limit() })),
    { route: "every other request (login, logout, plain forms)", bytes: DEFAULT_BODY_LIMIT },
  ];
}
