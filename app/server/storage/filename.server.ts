/**
 * Display names of uploaded files. The stored path is always the sha256 alone; the name is only shown
 * and offered back in Content-Disposition, so it is cleaned for that, keeping Vietnamese letters:
 *
 *  1. Unicode NFC (macOS and some phones send decomposed tone marks).
 *  2. Only the last path component: "../../etc/passwd.pdf" → "passwd.pdf", "C:\\x\\y.pdf" → "y.pdf".
 *  3. No control or invisible formatting characters (C0/C1 controls, bidi overrides such as U+202E that
 *     disguise "exe.pdf" as "fdp.exe", zero-width characters, BOM).
 *  4. Characters reserved on Windows or in headers (< > : " / \ | ? *) become spaces; whitespace collapses.
 *  5. No leading dots (hidden files) and no trailing dots or spaces (Windows strips them); a name that is
 *     only an extension (".pdf", ".htaccess") has no base.
 *  6. Windows device names (CON, NUL, COM1…) get a leading underscore.
 *  7. At most FILE_NAME_MAX characters, shortening the base and keeping the extension.
 *  8. The base must keep at least one letter or digit, otherwise the name is refused (null → 400).
 */
import type { AllowedType } from "~/domain/evidence";
import { ALLOWED_TYPES } from "~/domain/evidence";

export const FILE_NAME_MAX = 120;

const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;
const INVISIBLE = /[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb]/g;
const RESERVED = /[<>:"/\\|?*]/g;
const DEVICE = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])$/i;
const EXT = /\.([A-Za-z0-9]{1,10})$/;

function splitExt(name: string): { base: string; ext: string } {
  const m = EXT.exec(name);
  if (!m) return { base: name, ext: "" };
  return { base: name.slice(0, m.index), ext: m[1] };
}

/** A safe display name, or null when nothing meaningful is left. */
export function sanitizeFileName(raw: string | null | undefined): string | null {
  if (typeof raw !== "string") return null;
  let s = raw.normalize("NFC");
  s = s.replace(CONTROL, "").replace(INVISIBLE, "");
  const parts = s.split(/[/\\]/);
  s = parts[parts.length - 1] ?? "";
  s = s.replace(/^[A-Za-z]:/, "");
  s = s.replace(RESERVED, " ").replace(/\s+/g, " ").trim();
  const split = splitExt(s);
  const ext = split.ext;
  // No leading dots (".htaccess", "....pdf" keep nothing), no trailing dots or spaces.
  let base = split.base.replace(/^[.\s]+/, "").replace(/[.\s]+$/, "");
  if (!/[\p{L}\p{N}]/u.test(base)) return null;
  const firstSegment = base.split(".")[0];
  if (DEVICE.test(firstSegment)) base = `_${base}`;
  const extPart = ext ? `.${ext}` : "";
  const room = FILE_NAME_MAX - extPart.length;
  const chars = Array.from(base);
  if (chars.length > room) base = chars.slice(0, room).join("").replace(/[.\s]+$/, "");
  return base + extPart;
}

/**
 * Makes the extension match the detected type: "anh.pdf" holding a PNG becomes "anh.png",
 * "bao-cao" holding a PDF becomes "bao-cao.pdf". A matching extension is kept as typed.
 */
export function withTypeExtension(name: string, type: AllowedType): string {
  const { base, ext } = splitExt(name);
  if (ext && type.exts.includes(ext.toLowerCase())) return name;
  const known = ext && ALLOWED_TYPES.some((t) => t.exts.includes(ext.toLowerCase()));
  const stem = known ? base : name;
  const extPart = `.${type.ext}`;
  const chars = Array.from(stem);
  const room = FILE_NAME_MAX - extPart.length;
  return (chars.length > room ? chars.slice(0, room).join("") : stem) + extPart;
}

/** The file name without its extension: the default title of a file evidence. */
export function titleFromFileName(name: string): string {
  return splitExt(name).base || name;
}

/**
 * Content-Disposition with an ASCII fallback `filename` and the exact UTF-8 name in `filename*`
 * (RFC 6266 / RFC 5987), e.g. attachment; filename="Ke hoach CDS 2025.pdf";
 * filename*=UTF-8''K%E1%BA%BF%20ho%E1%BA%A1ch%20C%C4%90S%202025.pdf
 */
export function contentDisposition(kind: "attachment" | "inline", fileName: string): string {
  const ascii =
    fileName
      .normalize("NFD")
      .replace(/[\u0300-\u036f]/g, "")
      .replace(/đ/g, "d")
      .replace(/Đ/g, "D")
      .replace(/[^\x20-\x7e]/g, "_")
      .replace(/["\\%;]/g, "_")
      .trim() || "minh-chung";
  const encoded = encodeURIComponent(fileName).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
