/**
 * What a file is, from its first bytes (never from its name or the browser's Content-Type).
 * file-type recognises PDF, JPEG, PNG, MP4 and tells DOCX/XLSX/PPTX apart from a plain ZIP by
 * reading [Content_Types].xml; when it can only say "zip" (e.g. [Content_Types].xml is not the first
 * entry, or lies beyond the sniffed bytes) we look at the local file headers we have for word/, xl/
 * or ppt/ entries next to a [Content_Types].xml.
 */
import { fileTypeFromBuffer } from "file-type";
import { ALLOWED_TYPES, type AllowedType } from "~/domain/evidence";

/** How many leading bytes are inspected (file-type needs at least 4100; ZIP fallback likes more). */
export const SNIFF_BYTES = 64 * 1024;

const byExt = new Map(ALLOWED_TYPES.map((t) => [t.ext, t]));

/** Names of the ZIP entries whose local headers lie within `head`. */
export function zipEntryNames(head: Uint8Array): string[] {
  const names: string[] = [];
  const b = Buffer.from(head.buffer, head.byteOffset, head.byteLength);
  let i = 0;
  while (i + 30 <= b.length) {
    const at = b.indexOf("PK\x03\x04", i, "latin1");
    if (at < 0 || at + 30 > b.length) break;
    const nameLen = b.readUInt16LE(at + 26);
    if (at + 30 + nameLen > b.length) break;
    names.push(b.toString("utf8", at + 30, at + 30 + nameLen));
    i = at + 30 + nameLen;
  }
  return names;
}

function officeFromZipEntries(head: Uint8Array): AllowedType | null {
  const names = zipEntryNames(head);
  if (!names.includes("[Content_Types].xml") && !names.some((n) => /^(word|xl|ppt)\//.test(n))) return null;
  if (names.some((n) => n.startsWith("word/"))) return byExt.get("docx")!;
  if (names.some((n) => n.startsWith("xl/"))) return byExt.get("xlsx")!;
  if (names.some((n) => n.startsWith("ppt/"))) return byExt.get("pptx")!;
  return null;
}

/** The allowed type of a file from its first bytes, or null when it is not one we accept. */
export async function detectEvidenceType(head: Uint8Array): Promise<AllowedType | null> {
  if (head.byteLength === 0) return null;
  const found = await fileTypeFromBuffer(head.subarray(0, SNIFF_BYTES));
  if (!found) return null;
  if (found.ext === "zip") return officeFromZipEntries(head);
  const t = byExt.get(found.ext);
  // file-type reports by extension; make sure the MIME agrees too (e.g. jpg vs. jpx variants).
  return t && t.mime === found.mime ? t : null;
}
