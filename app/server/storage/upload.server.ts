/**
 * Streaming multipart parsing for evidence uploads. Never holds a whole file in memory:
 * unstable_parseMultipartFormData hands each part's bytes to our handler as they arrive, and the
 * file part is piped through a type sniffer and a size counter into EvidenceStorage.putStream.
 *
 * Order of checks for the file part:
 *   1. CSRF: the `x-csrf-token` header, or the `_csrf` field that must come BEFORE the file part
 *      (forms put the hidden input first). Checked when the file part arrives, before a byte is stored.
 *   2. a file was chosen and its name can be sanitised (400);
 *   3. the first bytes are an allowed type (415), checked before anything is written;
 *   4. the running size never exceeds maxBytes (413): reading stops at the first byte too many;
 *   5. an Office file (DOCX, XLSX, PPTX) is checked inside once staged (office-zip.server.ts): its ZIP
 *      entries (count, names: no absolute paths, `..`, executables, macros) and its real uncompressed
 *      size, inflated through a counter that stops at the budget (415 at the file field).
 * Any refusal throws UploadError; whatever was staged is removed. The caller receives the staged,
 * uncommitted blob and decides (quota, duplicates) whether to commit or discard it.
 *
 * A part the handler does not consume would be buffered by the multipart parser, so every part is
 * either read (text fields, capped) or refused by throwing, which stops the parse.
 */
import { unstable_parseMultipartFormData, type UploadHandler } from "@remix-run/node";
import type { AllowedType } from "~/domain/evidence";
import { pick } from "~/i18n";
import { evidence as strings } from "~/i18n/evidence";
import { detectEvidenceType, SNIFF_BYTES } from "./file-types.server";
import { inspectOfficeFile, OFFICE_MAX_ENTRIES, officeMaxUnzippedBytes, type OfficeCheckOptions, type OfficeVerdict } from "./office-zip.server";
import { sanitizeFileName, withTypeExtension } from "./filename.server";
import { BlobTooLargeError, type EvidenceStorage, type StagedBlob } from "./storage.server";

const t = pick(strings).errors;

export type UploadErrorStatus = 400 | 403 | 404 | 409 | 413 | 415;

export class UploadError extends Error {
  constructor(
    readonly status: UploadErrorStatus,
    readonly field: "file" | "form",
    message: string,
    readonly code: string,
  ) {
    super(message);
    this.name = "UploadError";
  }
}

class StorageFailure extends Error {
  constructor(override readonly cause: unknown) {
    super("storage failure");
  }
}

/** The multipart parser's own complaint about a body that ended too early (client went away). */
const isTruncation = (e: unknown) => e instanceof Error && /malformed multipart|unexpected end/i.test(e.message);

export interface UploadedFile {
  staged: StagedBlob;
  /** Sanitised display name whose extension matches the detected type. */
  fileName: string;
  type: AllowedType;
}

export interface ParsedUpload {
  /** The text fields, in the order received. */
  formData: FormData;
  file: UploadedFile | null;
}

export interface ParseUploadOptions {
  storage: EvidenceStorage;
  maxBytes: number;
  /** Checked once, when the file part arrives, with the text fields received so far. */
  verifyCsrf: (fieldsSoFar: FormData) => Promise<boolean>;
  /** The name of the file field (default "file"). */
  fileField?: string;
  /** Cap on one text field (default 16 KiB). */
  maxFieldBytes?: number;
  /** Cap on the number of parts (default 40). */
  maxParts?: number;
  /** Limits of the Office check (defaults: office-zip.server). */
  office?: OfficeCheckOptions;
}

/** The Office types whose ZIP content is checked. */
const OFFICE_EXTS = new Set(["docx", "xlsx", "pptx"]);

function officeRefusal(type: AllowedType, v: Extract<OfficeVerdict, { ok: false }>, opts: OfficeCheckOptions): UploadError {
  const label = type.ext.toUpperCase();
  switch (v.reason) {
    case "unsafe-entry":
      return new UploadError(415, "file", t.officeUnsafeEntry(label, v.entryName ?? ""), "office-unsafe-entry");
    case "too-many-entries":
      return new UploadError(415, "file", t.officeTooManyEntries(label, opts.maxEntries ?? OFFICE_MAX_ENTRIES), "office-too-many-entries");
    case "too-big-unzipped":
      return new UploadError(415, "file", t.officeTooBigUnzipped(label, opts.maxUnzippedBytes ?? officeMaxUnzippedBytes()), "office-too-big-unzipped");
    default:
      return new UploadError(415, "file", t.officeDamaged(label), "office-damaged");
  }
}

/** Runs the Office check on a staged file; refuses (and discards it) when it fails. */
async function checkOffice(staged: StagedBlob, type: AllowedType, opts: OfficeCheckOptions): Promise<void> {
  if (!OFFICE_EXTS.has(type.ext)) return;
  let verdict: OfficeVerdict;
  try {
    // A storage without a local staging file cannot be checked: refused rather than let through.
    if (!staged.tempPath) throw new Error("office check needs a local staging file");
    verdict = await inspectOfficeFile(staged.tempPath, opts);
  } catch (e) {
    await staged.discard().catch(() => undefined);
    throw new StorageFailure(e);
  }
  if (!verdict.ok) {
    await staged.discard().catch(() => undefined);
    throw officeRefusal(type, verdict, opts);
  }
}

async function readText(data: AsyncIterable<Uint8Array>, max: number): Promise<string> {
  const chunks: Buffer[] = [];
  let n = 0;
  for await (const c of data) {
    n += c.byteLength;
    if (n > max) throw new UploadError(400, "form", t.fieldTooLong, "field-too-long");
    chunks.push(Buffer.from(c));
  }
  return Buffer.concat(chunks).toString("utf8");
}

/**
 * Yields the same bytes, but first holds back the leading `headBytes` (or the whole file if shorter)
 * and asks `onHead` about them; counts bytes and throws 413 past maxBytes.
 */
async function* inspected(
  data: AsyncIterable<Uint8Array>,
  maxBytes: number,
  onHead: (head: Uint8Array) => Promise<void>,
  headBytes = SNIFF_BYTES,
): AsyncGenerator<Uint8Array> {
  let held: Buffer[] = [];
  let heldBytes = 0;
  let released = false;
  let total = 0;
  for await (const chunk of data) {
    total += chunk.byteLength;
    if (total > maxBytes) throw new UploadError(413, "file", t.tooBig(maxBytes), "too-big");
    if (released) {
      yield chunk;
      continue;
    }
    held.push(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
    heldBytes += chunk.byteLength;
    if (heldBytes >= headBytes) {
      const head = Buffer.concat(held);
      held = [];
      await onHead(head);
      released = true;
      yield head;
    }
  }
  if (!released) {
    const head = Buffer.concat(held);
    await onHead(head);
    if (head.byteLength) yield head;
  }
}

export async function parseEvidenceUpload(request: Request, opts: ParseUploadOptions): Promise<ParsedUpload> {
  const fileField = opts.fileField ?? "file";
  const maxFieldBytes = opts.maxFieldBytes ?? 16 * 1024;
  const maxParts = opts.maxParts ?? 40;
  const seen = new FormData();
  let parts = 0;
  let file: UploadedFile | null = null;
  let csrfChecked = false;

  const handler: UploadHandler = async (part) => {
    if (++parts > maxParts) throw new UploadError(400, "form", t.malformed, "too-many-parts");
    if (typeof part.filename !== "string") {
      const value = await readText(part.data, maxFieldBytes);
      seen.append(part.name, value);
      return value;
    }
    // A file part.
    if (!csrfChecked) {
      if (!(await opts.verifyCsrf(seen))) throw new UploadError(403, "form", t.csrf, "csrf");
      csrfChecked = true;
    }
    if (part.name !== fileField) throw new UploadError(400, "form", t.malformed, "unexpected-file");
    if (file) throw new UploadError(400, "file", t.oneFile, "one-file");
    if (part.filename === "") throw new UploadError(400, "file", t.noFile, "no-file");
    const name = sanitizeFileName(part.filename);
    if (!name) throw new UploadError(400, "file", t.badName, "bad-name");

    let type: AllowedType | null = null;
    const source = inspected(part.data, opts.maxBytes, async (head) => {
      if (head.byteLength === 0) throw new UploadError(400, "file", t.emptyFile, "empty");
      type = await detectEvidenceType(head);
      if (!type) throw new UploadError(415, "file", t.badType, "bad-type");
    });
    let staged: StagedBlob;
    try {
      staged = await opts.storage.putStream(source, { maxBytes: opts.maxBytes });
    } catch (e) {
      if (e instanceof BlobTooLargeError) throw new UploadError(413, "file", t.tooBig(opts.maxBytes), "too-big");
      if (e instanceof UploadError) throw e;
      // A storage failure (disk full, permissions) or a broken request stream: not the form's fault.
      throw new StorageFailure(e);
    }
    const detected = type as AllowedType | null;
    if (!detected) {
      await staged.discard();
      throw new UploadError(415, "file", t.badType, "bad-type");
    }
    await checkOffice(staged, detected, opts.office ?? {});
    file = { staged, fileName: withTypeExtension(name, detected), type: detected };
    return null;
  };

  try {
    const formData = await unstable_parseMultipartFormData(request, handler);
    return { formData, file };
  } catch (e) {
    const staged = file as UploadedFile | null;
    if (staged) await staged.staged.discard().catch(() => undefined);
    if (e instanceof UploadError) throw e;
    if (e instanceof StorageFailure) {
      if (request.signal.aborted || isTruncation(e.cause)) throw new UploadError(400, "form", t.malformed, "aborted");
      throw e.cause;
    }
    // Malformed bodies (bad boundary, truncated stream) come from the parser as plain Errors.
    throw new UploadError(400, "form", t.malformed, "malformed");
  }
}
