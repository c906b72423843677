/**
 * Rendered official documents, kept on disk so that the same document is drawn once
 * (issue 12, finding 4: a submitted file does not change).
 *
 * Key: sha256 of (kind, RENDERER_VERSION, the JSON of the document's data, and for a signed document
 * the sha256 of the signing certificate's PKCS#12). Any change of the data
 * (a new answer, hence a new assessment version; a school renamed; a new head) or of the renderer
 * makes a new key, and so does a new certificate (or signing where it was unsigned). The key is also
 * the route's ETag.
 *
 * Layout: <DOCUMENT_CACHE_DIR, or <dir of DATABASE_PATH>/cache/documents>/<kind>/<owner id>/<key>.pdf.
 * One directory per (kind, owner) — the owner is the assessment for the report — holding only the
 * newest file: writing one removes the others there. Files are written to a temporary name in the
 * same directory and renamed, so no process ever reads half a file; a reader opens the file first
 * (an unlink by a writer afterwards does not cut the bytes it streams).
 *
 * Authorization is the caller's: nothing here may run before the route's policy check.
 */
import { createHash, randomBytes } from "node:crypto";
import fsp from "node:fs/promises";
import path from "node:path";
import type { Readable } from "node:stream";
import { databasePath } from "../db/client.server";
import { RENDERER_VERSION, type DocumentKind } from "./renderers.server";
import { renderDocumentJson, type SignWith } from "./pool.server";

export function documentCacheDir(): string {
  const set = process.env.DOCUMENT_CACHE_DIR;
  return set && set.trim() ? path.resolve(set) : path.join(path.dirname(databasePath()), "cache", "documents");
}

/** Hex sha256 of the PKCS#12 bytes a document is signed with. */
export function signFingerprint(sign: SignWith): string {
  return createHash("sha256").update(Buffer.from(sign.p12, "base64")).digest("hex");
}

/**
 * The cache key (and ETag) of a document: hex sha256 of kind, renderer version and data JSON,
 * plus the certificate's fingerprint when it is signed. Unsigned keys are what they always were.
 */
export function documentKey(kind: DocumentKind, json: string, sign?: SignWith): string {
  const h = createHash("sha256").update(`${kind}\n${RENDERER_VERSION}\n`).update(json);
  if (sign) h.update(`\nsigned:${signFingerprint(sign)}`);
  return h.digest("hex");
}

function ownerDir(kind: DocumentKind, ownerId: number): string {
  if (!Number.isSafeInteger(ownerId) || ownerId < 0) throw new Error(`bad document owner id: ${ownerId}`);
  return path.join(documentCacheDir(), kind, String(ownerId));
}

function fileOf(kind: DocumentKind, ownerId: number, key: string): string {
  if (!/^[0-9a-f]{64}$/.test(key)) throw new Error("bad document key");
  return path.join(ownerDir(kind, ownerId), `${key}.pdf`);
}

const counters = { hits: 0, misses: 0, writes: 0, writeErrors: 0 };

/** Cache counters since the process started (hits/misses of openCachedDocument, files written). */
export function documentCacheStats() {
  return { ...counters };
}

/** The cached file of this key as an open stream with its size, or null when there is none. */
export async function openCachedDocument(kind: DocumentKind, ownerId: number, key: string): Promise<{ stream: Readable; size: number } | null> {
  let fh: fsp.FileHandle;
  try {
    fh = await fsp.open(fileOf(kind, ownerId, key), "r");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT" || (e as NodeJS.ErrnoException).code === "ENOTDIR") {
      counters.misses++;
      return null;
    }
    throw e;
  }
  try {
    const { size } = await fh.stat();
    counters.hits++;
    return { stream: fh.createReadStream({ autoClose: true }), size };
  } catch (e) {
    await fh.close().catch(() => {});
    throw e;
  }
}

const STALE_TMP_MS = 60 * 60_000;

/** Stores the document under its key (atomically) and removes the older files of the same owner. */
export async function storeDocument(kind: DocumentKind, ownerId: number, key: string, pdf: Buffer): Promise<void> {
  const dir = ownerDir(kind, ownerId);
  const file = fileOf(kind, ownerId, key);
  await fsp.mkdir(dir, { recursive: true });
  const tmp = path.join(dir, `.${key}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
  try {
    await fsp.writeFile(tmp, pdf, { flag: "wx" });
    await fsp.rename(tmp, file);
  } catch (e) {
    await fsp.rm(tmp, { force: true }).catch(() => {});
    throw e;
  }
  counters.writes++;
  // Only the newest document of this owner is kept (a request for an older version renders again).
  const now = Date.now();
  for (const name of await fsp.readdir(dir)) {
    if (name === `${key}.pdf`) continue;
    const p = path.join(dir, name);
    if (name.endsWith(".pdf")) {
      await fsp.rm(p, { force: true }).catch(() => {});
    } else if (name.endsWith(".tmp")) {
      // Another writer's file in flight is left alone; one left by a crashed process is removed.
      const st = await fsp.stat(p).catch(() => null);
      if (st && now - st.mtimeMs > STALE_TMP_MS) await fsp.rm(p, { force: true }).catch(() => {});
    }
  }
}

export type CachedRender = { source: "cache"; key: string; stream: Readable; size: number } | { source: "render"; key: string; pdf: Buffer };

/**
 * The document from the cache, else drawn by the pool (renderDocumentJson) and stored. The JSON
 * must be that of the data (the key is computed from it). A failure to store is logged, not thrown:
 * the document drawn is still sent. Render errors (DocumentBusy, DocumentRenderError) propagate.
 * With `sign` the document is signed in the worker; a `key` given must then be documentKey(kind, json, sign).
 */
export async function cachedDocument(kind: DocumentKind, ownerId: number, json: string, key?: string, sign?: SignWith): Promise<CachedRender> {
  key ??= documentKey(kind, json, sign);
  const hit = await openCachedDocument(kind, ownerId, key).catch((e) => {
    console.error("document cache read", kind, ownerId, e);
    return null;
  });
  if (hit) return { source: "cache", key, ...hit };
  const pdf = await renderDocumentJson(kind, json, sign);
  await storeDocument(kind, ownerId, key, pdf).catch((e) => {
    counters.writeErrors++;
    console.error("document cache write", kind, ownerId, e);
  });
  return { source: "render", key, pdf };
}
