/**
 * Safety check of an Office Open XML file (DOCX, XLSX, PPTX: ZIP packages), read from the staged file
 * with a bounded, streaming read, before the upload is accepted. Refused:
 *
 *  - a ZIP that cannot be read: no end-of-central-directory record, multi-disk, central directory or
 *    entries outside the file, entries that overlap (the "overlapping files" zip bomb), an entry count
 *    that does not match, encrypted entries, compression other than stored/deflate, an entry whose real
 *    inflated size differs from the size its header declares, a broken deflate stream ("damaged");
 *  - more than OFFICE_MAX_ENTRIES entries ("too-many-entries");
 *  - entry names that are absolute (/x, \x, C:x), contain a `..` segment, a NUL or a backslash-`..`,
 *    are duplicated, or name an executable or script (.exe .dll .bat .cmd .com .scr .js .vbs .ps1 .msi
 *    .jar and friends), or a VBA macro project (vbaProject.bin: a DOCX/XLSX/PPTX never holds macros,
 *    only the macro-enabled DOCM/XLSM/PPTM do, which we do not accept) ("unsafe-entry");
 *  - more than the uncompressed budget in total ("too-big-unzipped"). The bytes are COUNTED while each
 *    entry is really inflated (the sizes in the headers can lie), and inflation stops at the first byte
 *    over the budget: a 512 MB bomb costs ~100 MB of inflate work, never memory (nothing is kept).
 *
 * Defaults: 5000 entries, 100 MiB uncompressed in total (EVIDENCE_OFFICE_MAX_UNZIPPED_BYTES changes
 * it). Real documents are far below: a 20 MB DOCX full of photos inflates to ~21 MB (images are already
 * compressed); text-only XML compresses ~10×.
 * The work is bounded: the central directory is at most OFFICE_MAX_CD_BYTES, every compressed byte of
 * the file is read at most once (entries may not overlap), and inflation stops at the budget.
 *
 * ZIP64 records are understood (some writers always emit them). Names are decoded as UTF-8 when the
 * entry says so, else as Latin-1 (enough to see "/", "\", "." and extensions).
 */
import fs from "node:fs";
import fsp from "node:fs/promises";
import { pipeline } from "node:stream/promises";
import zlib from "node:zlib";

export const OFFICE_MAX_ENTRIES = 5000;
export const OFFICE_MAX_UNZIPPED_BYTES = 100 * 1024 * 1024;
/** The central directory of OFFICE_MAX_ENTRIES entries with long names fits easily. */
export const OFFICE_MAX_CD_BYTES = 8 * 1024 * 1024;

/** Executable or script content, by extension of the entry name (lower case). */
export const FORBIDDEN_ENTRY_EXTENSIONS = [
  "exe", "dll", "bat", "cmd", "com", "scr", "js", "jse", "vbs", "vbe", "wsf", "wsh", "ps1", "psm1",
  "msi", "msp", "jar", "hta", "cpl", "lnk", "sh", "pif", "reg",
] as const;
/** Macro projects: never part of a DOCX/XLSX/PPTX (only of macro-enabled DOCM/XLSM/PPTM). */
export const FORBIDDEN_ENTRY_NAMES = ["vbaproject.bin", "vbaprojectsignature.bin", "vbaprojectsignatureagile.bin"] as const;

export type OfficeRefusal = "damaged" | "too-many-entries" | "unsafe-entry" | "too-big-unzipped";

export type OfficeVerdict =
  | { ok: true; entries: number; uncompressedBytes: number }
  | { ok: false; reason: OfficeRefusal; entryName?: string };

export interface OfficeCheckOptions {
  maxEntries?: number;
  maxUnzippedBytes?: number;
}

/** The uncompressed budget: EVIDENCE_OFFICE_MAX_UNZIPPED_BYTES, read on every call, else the default. */
export function officeMaxUnzippedBytes(): number {
  const raw = process.env.EVIDENCE_OFFICE_MAX_UNZIPPED_BYTES;
  const n = raw ? Number(raw) : NaN;
  return Number.isFinite(n) && n > 0 ? Math.floor(n) : OFFICE_MAX_UNZIPPED_BYTES;
}

class Refused extends Error {
  constructor(
    readonly reason: OfficeRefusal,
    readonly entryName?: string,
  ) {
    super(reason);
  }
}

const damaged = (): never => {
  throw new Refused("damaged");
};

const SIG_EOCD = 0x06054b50;
const SIG_ZIP64_LOCATOR = 0x07064b50;
const SIG_ZIP64_EOCD = 0x06064b50;
const SIG_CENTRAL = 0x02014b50;
const SIG_LOCAL = 0x04034b50;

interface Entry {
  name: string;
  flags: number;
  method: number;
  compressedSize: number;
  uncompressedSize: number;
  localOffset: number;
}

/** Whether an entry name is refused in an Office package (absolute, `..`, executable, macros). */
export function unsafeEntryName(name: string): boolean {
  if (name.length === 0 || name.includes("\u0000")) return true;
  if (/^[/\\]/.test(name) || /^[A-Za-z]:/.test(name)) return true;
  const segments = name.split(/[/\\]/);
  if (segments.some((s) => s === "..")) return true;
  const base = (segments[segments.length - 1] ?? "").toLowerCase().replace(/[.\s]+$/, "");
  if ((FORBIDDEN_ENTRY_NAMES as readonly string[]).includes(base)) return true;
  const ext = /\.([a-z0-9]+)$/.exec(base)?.[1];
  return !!ext && (FORBIDDEN_ENTRY_EXTENSIONS as readonly string[]).includes(ext);
}

async function readAt(h: fsp.FileHandle, position: number, length: number): Promise<Buffer> {
  const buf = Buffer.alloc(length);
  let off = 0;
  while (off < length) {
    const { bytesRead } = await h.read(buf, off, length - off, position + off);
    if (bytesRead === 0) damaged();
    off += bytesRead;
  }
  return buf;
}

const u64 = (b: Buffer, at: number): number => {
  const v = b.readBigUInt64LE(at);
  if (v > BigInt(Number.MAX_SAFE_INTEGER)) damaged();
  return Number(v);
};

/** Reads the end records: where the central directory is and how many entries it declares. */
async function locateCentralDirectory(h: fsp.FileHandle, size: number): Promise<{ offset: number; size: number; entries: number; end: number }> {
  if (size < 22) damaged();
  const tailLen = Math.min(size, 22 + 0xffff);
  const tail = await readAt(h, size - tailLen, tailLen);
  let at = -1;
  for (let i = tail.length - 22; i >= 0; i--) {
    if (tail.readUInt32LE(i) === SIG_EOCD && i + 22 + tail.readUInt16LE(i + 20) <= tail.length) {
      at = i;
      break;
    }
  }
  if (at < 0) damaged();
  const eocdPos = size - tailLen + at;
  const disk = tail.readUInt16LE(at + 4);
  const cdDisk = tail.readUInt16LE(at + 6);
  let entriesOnDisk = tail.readUInt16LE(at + 8);
  let entries = tail.readUInt16LE(at + 10);
  let cdSize = tail.readUInt32LE(at + 12);
  let cdOffset = tail.readUInt32LE(at + 16);
  let end = eocdPos;
  if (entries === 0xffff || entriesOnDisk === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) {
    if (eocdPos < 20) damaged();
    const loc = await readAt(h, eocdPos - 20, 20);
    if (loc.readUInt32LE(0) !== SIG_ZIP64_LOCATOR) damaged();
    const recPos = u64(loc, 8);
    if (recPos + 56 > eocdPos - 20) damaged();
    const rec = await readAt(h, recPos, 56);
    if (rec.readUInt32LE(0) !== SIG_ZIP64_EOCD) damaged();
    if (rec.readUInt32LE(16) !== 0 || rec.readUInt32LE(20) !== 0) damaged();
    entriesOnDisk = u64(rec, 24);
    entries = u64(rec, 32);
    cdSize = u64(rec, 40);
    cdOffset = u64(rec, 48);
    end = recPos;
  } else if (disk !== 0 || cdDisk !== 0) {
    damaged();
  }
  if (entriesOnDisk !== entries) damaged();
  if (cdOffset + cdSize > end) damaged();
  return { offset: cdOffset, size: cdSize, entries, end };
}

function parseCentralDirectory(cd: Buffer, declared: number, maxEntries: number): Entry[] {
  const entries: Entry[] = [];
  const seen = new Set<string>();
  let p = 0;
  while (p < cd.length) {
    if (entries.length >= maxEntries) throw new Refused("too-many-entries");
    if (p + 46 > cd.length || cd.readUInt32LE(p) !== SIG_CENTRAL) damaged();
    const flags = cd.readUInt16LE(p + 8);
    const method = cd.readUInt16LE(p + 10);
    let compressedSize = cd.readUInt32LE(p + 20);
    let uncompressedSize = cd.readUInt32LE(p + 24);
    const nameLen = cd.readUInt16LE(p + 28);
    const extraLen = cd.readUInt16LE(p + 30);
    const commentLen = cd.readUInt16LE(p + 32);
    const diskStart = cd.readUInt16LE(p + 34);
    let localOffset = cd.readUInt32LE(p + 42);
    const next = p + 46 + nameLen + extraLen + commentLen;
    if (next > cd.length) damaged();
    const rawName = cd.subarray(p + 46, p + 46 + nameLen);
    const name = rawName.toString(flags & 0x800 ? "utf8" : "latin1");
    // ZIP64 extended information: the 0xFFFFFFFF fields, in this order.
    const extra = cd.subarray(p + 46 + nameLen, p + 46 + nameLen + extraLen);
    for (let e = 0; e + 4 <= extra.length; ) {
      const id = extra.readUInt16LE(e);
      const len = extra.readUInt16LE(e + 2);
      if (e + 4 + len > extra.length) damaged();
      if (id === 0x0001) {
        let q = e + 4;
        const take = () => {
          if (q + 8 > e + 4 + len) damaged();
          const v = u64(extra, q);
          q += 8;
          return v;
        };
        if (uncompressedSize === 0xffffffff) uncompressedSize = take();
        if (compressedSize === 0xffffffff) compressedSize = take();
        if (localOffset === 0xffffffff) localOffset = take();
      }
      e += 4 + len;
    }
    if (diskStart !== 0 && diskStart !== 0xffff) damaged();
    if (unsafeEntryName(name)) throw new Refused("unsafe-entry", name);
    const key = name.toLowerCase();
    if (seen.has(key)) throw new Refused("unsafe-entry", name);
    seen.add(key);
    if (flags & 0x1) damaged(); // encrypted
    if (method !== 0 && method !== 8) damaged();
    entries.push({ name, flags, method, compressedSize, uncompressedSize, localOffset });
    p = next;
  }
  if (entries.length !== declared) damaged();
  return entries;
}

/**
 * Checks the ZIP package at `file` (the staged upload). Never throws for a bad file: the verdict says
 * why it is refused. Errors opening the file itself are thrown.
 */
export async function inspectOfficeFile(file: string, opts: OfficeCheckOptions = {}): Promise<OfficeVerdict> {
  const maxEntries = opts.maxEntries ?? OFFICE_MAX_ENTRIES;
  const maxUnzipped = opts.maxUnzippedBytes ?? officeMaxUnzippedBytes();
  const h = await fsp.open(file, "r");
  try {
    const { size } = await h.stat();
    const loc = await locateCentralDirectory(h, size);
    if (loc.entries > maxEntries) return { ok: false, reason: "too-many-entries" };
    if (loc.size > OFFICE_MAX_CD_BYTES) return { ok: false, reason: "too-many-entries" };
    const entries = parseCentralDirectory(await readAt(h, loc.offset, loc.size), loc.entries, maxEntries);

    // Where each entry's data lies, from its local header; entries may not overlap.
    const spans: { entry: Entry; start: number; end: number }[] = [];
    for (const entry of entries) {
      if (entry.localOffset + 30 > loc.offset) damaged();
      const lh = await readAt(h, entry.localOffset, 30);
      if (lh.readUInt32LE(0) !== SIG_LOCAL) damaged();
      const start = entry.localOffset + 30 + lh.readUInt16LE(26) + lh.readUInt16LE(28);
      const end = start + entry.compressedSize;
      if (end > loc.offset) damaged();
      spans.push({ entry, start, end });
    }
    spans.sort((a, b) => a.entry.localOffset - b.entry.localOffset);
    for (let i = 1; i < spans.length; i++) if (spans[i].entry.localOffset < spans[i - 1].end) damaged();

    let total = 0;
    const over = (entryName: string) => new Refused("too-big-unzipped", entryName);
    for (const { entry, start, end } of spans) {
      let produced = 0;
      if (entry.method === 0) {
        produced = entry.compressedSize;
        total += produced;
        if (total > maxUnzipped) throw over(entry.name);
      } else if (end > start) {
        // Kept aside: pipeline may report the teardown (premature close) instead of our own error.
        let overflow: Refused | null = null;
        try {
          await pipeline(fs.createReadStream(file, { start, end: end - 1, highWaterMark: 64 * 1024 }), zlib.createInflateRaw({ chunkSize: 64 * 1024 }), async (inflated: AsyncIterable<Buffer>) => {
            for await (const chunk of inflated) {
              produced += chunk.length;
              total += chunk.length;
              if (total > maxUnzipped) throw (overflow = over(entry.name));
            }
          });
        } catch (e) {
          if (overflow) throw overflow;
          if (e instanceof Refused) throw e;
          damaged();
        }
      }
      // (A deflated entry with no data at all is accepted only as an empty entry: checked below.)
      if (produced !== entry.uncompressedSize) damaged();
    }
    return { ok: true, entries: entries.length, uncompressedBytes: total };
  } catch (e) {
    if (e instanceof Refused) return { ok: false, reason: e.reason, ...(e.entryName !== undefined ? { entryName: e.entryName } : {}) };
    throw e;
  } finally {
    await h.close();
  }
}
