/**
 * THE evidence service (minh chứng): a school's library of files and links, attached to items of its
 * assessments with generated codes. Authorization is the caller's job (routes ask policy.server first).
 *
 * Decisions:
 * - Codes are per assessment and per ITEM: MC-<itemCode>-NN (MC-1.3.1-01, MC-1.4-02), NN = 2 digits
 *   (3 past 99). Numbers are never reused within an assessment, even after a detach: the next number
 *   is 1 + the highest ever issued for that item, read from the links and the audit log ("evidence.attach"
 *   entries carry the code). Only item codes of the assessment's catalogue edition are accepted
 *   (indicator codes such as "1.3" are not items).
 * - Every change is refused unless the assessment is editable by the school (draft, returned): 409.
 * - Quota: the bytes of the DISTINCT blobs referenced by the school's non-deleted evidence. A file already
 *   in the school's library costs nothing more. Checked (again) inside the write transaction.
 * - Detach removes the link; an evidence left with no link anywhere is soft-deleted (deleted_at); when no
 *   live evidence refers to its blob any more, the blob row is deleted (dead rows let go of it) and the file
 *   removed. Invariant: a blob row exists ⇔ its file is stored.
 * - File first, rows second: the file is committed to storage before the transaction that records it, so
 *   a crash leaves at worst an unreferenced file, never a row without its file. An in-process lock per
 *   sha256 orders "store + record" against "forget + remove" of the same content (one server process;
 *   several processes would need a database-backed lease instead).
 * - Every upload, link, attach, detach and soft delete writes its audit entry in the same transaction.
 */
import { and, desc, eq, inArray, isNull, sql } from "drizzle-orm";
import {
  evidenceCodeNumber as codeNumber,
  formatEvidenceCode,
  itemCodesSchema,
  ITEMS_PER_CALL_MAX,
  TITLE_MAX,
  titleSchema,
  URL_MAX,
  urlSchema,
  type EvidenceEntry,
  type EvidenceField,
} from "~/domain/evidence";
import { allows, type AssessmentState } from "~/domain/assessment-states";
import type { Edition } from "~/domain/catalogue";
import { pick } from "~/i18n";
import { evidence as strings } from "~/i18n/evidence";
import { cleanText, foldVietnamese } from "~/utils/text";
import { getDb, prepared, sqliteOf, withWriteLock, type Db } from "../db/client.server";
import { withLease } from "../db/lease.server";
import { assessments, blobs, cycles, evidence, evidenceLinks, schools } from "../db/schema.server";
import { titleFromFileName } from "../storage/filename.server";
import { getEvidenceStorage, type EvidenceStorage, type StagedBlob } from "../storage/storage.server";
import { applyTransitionIn, editionOf, getAssessment, Refusal, type AssessmentRecord } from "./assessments.server";
import { writeAudit } from "./audit.server";

// The contract lives in the domain (app/domain/evidence.ts); re-exported for existing callers.
export type { EvidenceEntry, EvidenceField };
export { formatEvidenceCode, itemCodesSchema, ITEMS_PER_CALL_MAX, TITLE_MAX, titleSchema, URL_MAX, urlSchema };

type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];

const t = pick(strings).errors;

// ───────────────────────────── limits ─────────────────────────────

export const DEFAULT_EVIDENCE_MAX_BYTES = 20 * 1024 * 1024;
export const DEFAULT_SCHOOL_QUOTA_BYTES = 2 * 1024 * 1024 * 1024;

function envBytes(name: string, fallback: number): number {
  const raw = process.env[name];
  if (!raw) return fallback;
  const n = Number(raw);
  return Number.isFinite(n) && n > 0 ? Math.floor(n) : fallback;
}

/** Read on every call (tests and operators change them without a restart of the module). */
export function evidenceLimits(): { maxBytes: number; quotaBytes: number } {
  return {
    maxBytes: envBytes("EVIDENCE_MAX_BYTES", DEFAULT_EVIDENCE_MAX_BYTES),
    quotaBytes: envBytes("EVIDENCE_SCHOOL_QUOTA_BYTES", DEFAULT_SCHOOL_QUOTA_BYTES),
  };
}

// ───────────────────────────── results ─────────────────────────────

export interface EvidenceFailure {
  ok: false;
  status: 400 | 404 | 409 | 413 | 415;
  field: EvidenceField;
  message: string;
}

const fail = (status: EvidenceFailure["status"], field: EvidenceField, message: string): EvidenceFailure => ({ ok: false, status, field, message });

/** Thrown inside a transaction to roll it back and return the failure. */
class Abort extends Error {
  constructor(readonly failure: EvidenceFailure) {
    super(failure.message);
  }
}

export interface IssuedLink {
  itemCode: string;
  code: string;
}

export type CreateEvidenceResult = { ok: true; evidenceId: number; links: IssuedLink[]; deduplicated: boolean } | EvidenceFailure;
export type AttachResult = { ok: true; links: (IssuedLink & { created: boolean })[] } | EvidenceFailure;
export type DetachResult = { ok: true; softDeleted: boolean; blobRemoved: boolean } | EvidenceFailure;

// ───────────────────────────── validation ─────────────────────────────

/** Item codes of an edition, in catalogue order. */
export function itemCodesOf(edition: Edition): string[] {
  return edition.groups.flatMap((g) => g.indicators.flatMap((i) => i.items.map((it) => it.code)));
}

export interface ItemInfo {
  code: string;
  text: string;
  groupCode: string;
  indicatorCode: string;
  indicatorTitle: string;
  /** Typical evidence (hints). */
  hints: string[];
}

/** The items of an assessment's edition, in catalogue order (for lists and selects). */
export function assessmentItems(a: Pick<AssessmentRecord, "editionId">): ItemInfo[] {
  const ed = editionOf(a);
  return ed.groups.flatMap((g) =>
    g.indicators.flatMap((ind) =>
      ind.items.map((it) => ({ code: it.code, text: it.text, groupCode: g.code, indicatorCode: ind.code, indicatorTitle: ind.title, hints: it.evidence })),
    ),
  );
}

function checkItemCodes(a: AssessmentRecord, codes: string[]): EvidenceFailure | null {
  const valid = new Set(itemCodesOf(editionOf(a)));
  return codes.every((c) => valid.has(c)) ? null : fail(400, "itemCode", t.itemCode);
}

function editable(a: AssessmentRecord | null): EvidenceFailure | { ok: true; assessment: AssessmentRecord } {
  if (!a) return fail(404, "form", t.assessmentNotFound);
  if (!allows(a.status, "evidence")) return fail(409, "form", t.locked);
  return { ok: true, assessment: a };
}

/**
 * Every evidence change passes through the assessment service's one door (transition "evidence"):
 * the state table decides whether it is allowed now, the assessment's version moves on, and the
 * change's main audit entry is the door's, all in the caller's transaction. A refusal becomes the
 * evidence failure (409 locked, 404 unknown) and rolls the transaction back.
 */
function throughDoor<V>(
  tx: Tx,
  assessmentId: number,
  actorId: number,
  now: number,
  action: string,
  write: (a: AssessmentRecord) => { value: V; entityId?: number; details?: Record<string, unknown> },
): V {
  try {
    const done = applyTransitionIn<V>(tx, assessmentId, {
      name: "evidence",
      actorId,
      now,
      action,
      entity: { type: "evidence" },
      within: (_tx, a) => write(a),
    });
    return done.value as V;
  } catch (e) {
    if (e instanceof Refusal && !(e instanceof Abort)) throw new Abort(e.kind === "not-found" ? fail(404, "form", t.assessmentNotFound) : fail(409, "form", e.kind === "closed" ? e.message : t.locked));
    throw e;
  }
}

// ───────────────────────────── quota ─────────────────────────────

/** Bytes used by a school: distinct blobs referenced by its non-deleted evidence. */
export function schoolUsageBytes(schoolId: number, db: Db | Tx = getDb()): number {
  const row = db.get<{ used: number }>(sql`
    SELECT COALESCE(SUM(b.size), 0) AS used FROM blobs b
    WHERE b.sha256 IN (SELECT e.sha256 FROM evidence e WHERE e.school_id = ${schoolId} AND e.deleted_at IS NULL AND e.sha256 IS NOT NULL)`);
  return Number(row?.used ?? 0);
}

function schoolHasBlob(schoolId: number, sha256: string, db: Db | Tx): boolean {
  return !!db
    .select({ id: evidence.id })
    .from(evidence)
    .where(and(eq(evidence.schoolId, schoolId), eq(evidence.sha256, sha256), isNull(evidence.deletedAt)))
    .get();
}

function quotaFailure(schoolId: number, addBytes: number, db: Db | Tx): EvidenceFailure | null {
  const { quotaBytes } = evidenceLimits();
  const used = schoolUsageBytes(schoolId, db);
  return used + addBytes > quotaBytes ? fail(413, "file", t.quota(quotaBytes, used)) : null;
}

/**
 * Checks that can refuse an upload before its body is read: the assessment exists and is editable, and
 * the school has room left at all. (Whether the file fits is known only once it has been read.)
 */
export function uploadPrecheck(assessmentId: number): { ok: true; assessment: AssessmentRecord } | EvidenceFailure {
  const r = editable(getAssessment(assessmentId));
  if (!r.ok) return r;
  const { quotaBytes } = evidenceLimits();
  const used = schoolUsageBytes(r.assessment.schoolId);
  if (used >= quotaBytes) return fail(413, "file", t.quota(quotaBytes, used));
  return r;
}

// ───────────────────────────── locking ─────────────────────────────

const blobLocks = new Map<string, Promise<void>>();

/**
 * Runs fn after every earlier holder of `key` has finished: in this process (FIFO, in front) and in
 * every other server process on the same database (a lease row, app/server/db/lease.server.ts,
 * renewed while fn runs, released after). The in-process queue means a process never polls the
 * lease against itself; only the head of its queue contends with the other processes.
 */
async function withBlobLock<T>(key: string, fn: () => Promise<T>): Promise<T> {
  const prev = blobLocks.get(key) ?? Promise.resolve();
  let release!: () => void;
  const mine = new Promise<void>((r) => (release = r));
  const tail = prev.then(() => mine);
  blobLocks.set(key, tail);
  await prev;
  try {
    return await withLease(`blob:${key}`, fn);
  } finally {
    release();
    if (blobLocks.get(key) === tail) blobLocks.delete(key);
  }
}

// ───────────────────────────── codes ─────────────────────────────

/** 1 + the highest number ever issued for this assessment and item (links and audit log). */
function nextCodeNumber(tx: Tx, assessmentId: number, itemCode: string): number {
  return (highestCodeNumbers(tx, assessmentId, itemCode).get(itemCode) ?? 0) + 1;
}

/**
 * The highest evidence code number ever issued per item of an assessment: its links, and the
 * "evidence.attach" audit entries (so the number of a removed link is never issued again). For one
 * item, or (without `itemCode`) for all of them at once (carry forward links many items).
 */
export function highestCodeNumbers(tx: Tx, assessmentId: number, itemCode?: string): Map<string, number> {
  const rows = itemCode
    ? tx.all<{ itemCode: string | null; code: string | null }>(sql`
        SELECT item_code AS itemCode, code FROM evidence_links WHERE assessment_id = ${assessmentId} AND item_code = ${itemCode}
        UNION ALL
        SELECT json_extract(details, '$.itemCode') AS itemCode, json_extract(details, '$.code') AS code FROM audit_log
         WHERE assessment_id = ${assessmentId} AND action = 'evidence.attach' AND json_extract(details, '$.itemCode') = ${itemCode}`)
    : tx.all<{ itemCode: string | null; code: string | null }>(sql`
        SELECT item_code AS itemCode, code FROM evidence_links WHERE assessment_id = ${assessmentId}
        UNION ALL
        SELECT json_extract(details, '$.itemCode') AS itemCode, json_extract(details, '$.code') AS code FROM audit_log
         WHERE assessment_id = ${assessmentId} AND action = 'evidence.attach'`);
  const out = new Map<string, number>();
  for (const r of rows) if (r.itemCode) out.set(r.itemCode, Math.max(out.get(r.itemCode) ?? 0, codeNumber(r.code)));
  return out;
}

/** Links one evidence to items (skipping existing links) and audits each new link. */
function linkItems(tx: Tx, a: AssessmentRecord, evidenceId: number, itemCodes: string[], actorId: number, now: number): (IssuedLink & { created: boolean })[] {
  const out: (IssuedLink & { created: boolean })[] = [];
  for (const itemCode of itemCodes) {
    const existing = tx
      .select({ code: evidenceLinks.code })
      .from(evidenceLinks)
      .where(and(eq(evidenceLinks.assessmentId, a.id), eq(evidenceLinks.itemCode, itemCode), eq(evidenceLinks.evidenceId, evidenceId)))
      .get();
    if (existing) {
      out.push({ itemCode, code: existing.code, created: false });
      continue;
    }
    const code = formatEvidenceCode(itemCode, nextCodeNumber(tx, a.id, itemCode));
    tx.insert(evidenceLinks).values({ assessmentId: a.id, itemCode, evidenceId, code, createdAt: new Date(now) }).run();
    writeAudit(tx, { actorId, action: "evidence.attach", entityType: "evidence", entityId: evidenceId, schoolId: a.schoolId, assessmentId: a.id, details: { itemCode, code } }, now);
    out.push({ itemCode, code, created: true });
  }
  return out;
}

// ───────────────────────────── create ─────────────────────────────

export interface NewFileEvidence {
  assessmentId: number;
  itemCodes: string[];
  /** Optional; defaults to the file name without its extension. */
  title?: string | null;
  /** The staged (not yet committed) upload, with its sanitised name and detected type. */
  upload: { staged: StagedBlob; fileName: string; mime: string };
}

/**
 * Records an uploaded file in the school's library and attaches it to items of the assessment.
 * Commits the staged blob (stored once per content), or discards it on any refusal.
 */
export async function createFileEvidence(
  input: NewFileEvidence,
  actorId: number,
  opts: { now?: number; storage?: EvidenceStorage; db?: Db } = {},
): Promise<CreateEvidenceResult> {
  const db = opts.db ?? getDb();
  const storage = opts.storage ?? getEvidenceStorage();
  const now = opts.now ?? Date.now();
  const { staged, fileName, mime } = input.upload;
  const settle = async (f: EvidenceFailure) => {
    await staged.discard().catch(() => undefined);
    return f;
  };

  const codes = itemCodesSchema.safeParse(input.itemCodes);
  if (!codes.success) return settle(fail(400, "itemCode", codes.error.issues[0].message));
  const title = titleSchema.safeParse(input.title ?? "");
  if (!title.success) return settle(fail(400, "title", title.error.issues[0].message));
  const ed = editable(getAssessment(input.assessmentId, db));
  if (!ed.ok) return settle(ed);
  const bad = checkItemCodes(ed.assessment, codes.data);
  if (bad) return settle(bad);
  const finalTitle = title.data || cleanText(titleFromFileName(fileName)).slice(0, TITLE_MAX);
  const schoolId = ed.assessment.schoolId;
  const sha = staged.sha256;

  return withBlobLock(sha, async () => {
    const pre = schoolHasBlob(schoolId, sha, db) ? null : quotaFailure(schoolId, staged.size, db);
    if (pre) return settle(pre);
    const { created } = await staged.commit();
    try {
      return withWriteLock(db, () => db.transaction((tx) =>
        // The assessment may have been submitted while the file was being committed: the door checks again.
        throughDoor(tx, input.assessmentId, actorId, now, "evidence.upload", (a) => {
          const dedupInSchool = schoolHasBlob(schoolId, sha, tx);
          if (!dedupInSchool) {
            const q = quotaFailure(schoolId, staged.size, tx);
            if (q) throw new Abort(q);
          }
          const known = tx.select({ sha256: blobs.sha256 }).from(blobs).where(eq(blobs.sha256, sha)).get();
          if (!known) tx.insert(blobs).values({ sha256: sha, size: staged.size, mime, createdAt: new Date(now) }).run();
          const row = tx
            .insert(evidence)
            .values({ schoolId, kind: "file", title: finalTitle, fileName, sha256: sha, createdBy: actorId, createdAt: new Date(now) })
            .returning({ id: evidence.id })
            .get();
          const links = linkItems(tx, a, row.id, codes.data, actorId, now);
          return {
            entityId: row.id,
            details: { sha256: sha, size: staged.size, mime, fileName, title: finalTitle, stored: !known, itemCodes: codes.data },
            value: { ok: true as const, evidenceId: row.id, links: links.map(({ itemCode, code }) => ({ itemCode, code })), deduplicated: !!known },
          };
        }),
      { behavior: "immediate" }));
    } catch (e) {
      // Nothing was recorded: forget a file this call put in place, unless a blob row claims it.
      if (created && !db.select({ sha256: blobs.sha256 }).from(blobs).where(eq(blobs.sha256, sha)).get()) {
        await storage.remove(sha).catch(() => undefined);
      }
      if (e instanceof Abort) return e.failure;
      throw e;
    }
  });
}

export interface NewLinkEvidence {
  assessmentId: number;
  itemCodes: string[];
  url: string;
  title: string;
}

/** Records a link (URL + title) in the school's library and attaches it to items of the assessment. */
export function createLinkEvidence(input: NewLinkEvidence, actorId: number, now = Date.now(), db: Db = getDb()): CreateEvidenceResult {
  const url = urlSchema.safeParse(input.url);
  if (!url.success) return fail(400, "url", url.error.issues[0].message);
  const title = titleSchema.safeParse(input.title ?? "");
  if (!title.success) return fail(400, "title", title.error.issues[0].message);
  if (!title.data) return fail(400, "title", t.titleRequired);
  const codes = itemCodesSchema.safeParse(input.itemCodes);
  if (!codes.success) return fail(400, "itemCode", codes.error.issues[0].message);
  try {
    return withWriteLock(db, () => db.transaction((tx) =>
      throughDoor(tx, input.assessmentId, actorId, now, "evidence.link.create", (a) => {
        const bad = checkItemCodes(a, codes.data);
        if (bad) throw new Abort(bad);
        const row = tx
          .insert(evidence)
          .values({ schoolId: a.schoolId, kind: "link", title: title.data, url: url.data, createdBy: actorId, createdAt: new Date(now) })
          .returning({ id: evidence.id })
          .get();
        const links = linkItems(tx, a, row.id, codes.data, actorId, now);
        return {
          entityId: row.id,
          details: { url: url.data, title: title.data, itemCodes: codes.data },
          value: { ok: true as const, evidenceId: row.id, links: links.map(({ itemCode, code }) => ({ itemCode, code })), deduplicated: false },
        };
      }),
    { behavior: "immediate" }));
  } catch (e) {
    if (e instanceof Abort) return e.failure;
    throw e;
  }
}

// ───────────────────────────── attach / reuse ─────────────────────────────

/**
 * Attaches an existing library evidence (same school, not deleted) to items of an assessment: the
 * one-call "reuse" of a previous year's evidence. Already attached items keep their code.
 */
export function attachEvidence(input: { assessmentId: number; evidenceId: number; itemCodes: string[] }, actorId: number, now = Date.now(), db: Db = getDb()): AttachResult {
  const codes = itemCodesSchema.safeParse(input.itemCodes);
  if (!codes.success) return fail(400, "itemCode", codes.error.issues[0].message);
  try {
    return withWriteLock(db, () => db.transaction((tx) =>
      throughDoor(tx, input.assessmentId, actorId, now, "evidence.reuse", (a) => {
        const bad = checkItemCodes(a, codes.data);
        if (bad) throw new Abort(bad);
        const ev = tx.select({ schoolId: evidence.schoolId, deletedAt: evidence.deletedAt }).from(evidence).where(eq(evidence.id, input.evidenceId)).get();
        // Another school's evidence is reported as missing: its existence is not revealed.
        if (!ev || ev.schoolId !== a.schoolId) throw new Abort(fail(404, "evidenceId", t.notFound));
        if (ev.deletedAt) throw new Abort(fail(404, "evidenceId", t.deleted));
        const links = linkItems(tx, a, input.evidenceId, codes.data, actorId, now);
        return { entityId: input.evidenceId, details: { itemCodes: codes.data }, value: { ok: true as const, links } };
      }),
    { behavior: "immediate" }));
  } catch (e) {
    if (e instanceof Abort) return e.failure;
    throw e;
  }
}

// ───────────────────────────── detach / delete ─────────────────────────────

/** detachEvidence's statements, prepared once per connection (each was built by drizzle on every removal). */
function detachStatements(db: Db) {
  return prepared(db, "evidence.detach", () => {
    const c = sqliteOf(db);
    return {
      sha: c.prepare("SELECT sha256 FROM evidence WHERE id = ?"),
      link: c.prepare("SELECT code FROM evidence_links WHERE assessment_id = ? AND item_code = ? AND evidence_id = ?"),
      row: c.prepare("SELECT id, kind, title, sha256 FROM evidence WHERE id = ?"),
      unlink: c.prepare("DELETE FROM evidence_links WHERE assessment_id = ? AND item_code = ? AND evidence_id = ?"),
      remaining: c.prepare("SELECT count(*) AS n FROM evidence_links WHERE evidence_id = ?"),
      softDelete: c.prepare("UPDATE evidence SET deleted_at = ? WHERE id = ?"),
      live: c.prepare("SELECT id FROM evidence WHERE sha256 = ? AND deleted_at IS NULL LIMIT 1"),
      forgetBlob: c.prepare("UPDATE evidence SET sha256 = NULL WHERE sha256 = ?"),
      deleteBlob: c.prepare("DELETE FROM blobs WHERE sha256 = ?"),
    };
  });
}

/**
 * Removes one evidence from one item of an editable assessment. An evidence left without any link is
 * soft-deleted; a blob no live evidence refers to any more is forgotten and its file removed.
 */
export async function detachEvidence(
  input: { assessmentId: number; itemCode: string; evidenceId: number },
  actorId: number,
  opts: { now?: number; storage?: EvidenceStorage; db?: Db } = {},
): Promise<DetachResult> {
  const db = opts.db ?? getDb();
  const storage = opts.storage ?? getEvidenceStorage();
  const now = opts.now ?? Date.now();
  const st = detachStatements(db);
  const ev = st.sha.get(input.evidenceId) as { sha256: string | null } | undefined;
  const run = async (): Promise<DetachResult> => {
    let removeSha: string | null = null;
    let result: DetachResult;
    try {
      result = withWriteLock(db, () => db.transaction((tx) =>
        throughDoor(tx, input.assessmentId, actorId, now, "evidence.detach", (a): { value: DetachResult; entityId: number; details: Record<string, unknown> } => {
          const link = st.link.get(a.id, input.itemCode, input.evidenceId) as { code: string } | undefined;
          if (!link) throw new Abort(fail(404, "evidenceId", t.notLinked));
          const row = st.row.get(input.evidenceId) as { id: number; kind: string; title: string; sha256: string | null };
          st.unlink.run(a.id, input.itemCode, input.evidenceId);
          const detached = { entityId: row.id, details: { itemCode: input.itemCode, code: link.code } };

          const remaining = (st.remaining.get(row.id) as { n: number }).n;
          if (remaining > 0) return { ...detached, value: { ok: true as const, softDeleted: false, blobRemoved: false } };

          st.softDelete.run(now, row.id);
          let blobRemoved = false;
          if (row.sha256) {
            if (!st.live.get(row.sha256)) {
              // Dead rows keep their title and name for history; the audit entry keeps the hash.
              st.forgetBlob.run(row.sha256);
              st.deleteBlob.run(row.sha256);
              blobRemoved = true;
              removeSha = row.sha256;
            }
          }
          writeAudit(
            tx,
            { actorId, action: "evidence.delete", entityType: "evidence", entityId: row.id, schoolId: a.schoolId, assessmentId: a.id, details: { kind: row.kind, title: row.title, sha256: row.sha256, blobRemoved } },
            now,
          );
          return { ...detached, value: { ok: true as const, softDeleted: true, blobRemoved } };
        }),
      { behavior: "immediate" }));
    } catch (e) {
      if (e instanceof Abort) return e.failure;
      throw e;
    }
    if (removeSha) await storage.remove(removeSha);
    return result;
  };
  return ev?.sha256 ? withBlobLock(ev.sha256, run) : run();
}

// ───────────────────────────── reading ─────────────────────────────

/** The evidence of an assessment, by item in catalogue order, then by code. */
export function evidenceForAssessment(assessmentId: number, db: Db = getDb()): EvidenceEntry[] {
  const a = getAssessment(assessmentId, db);
  if (!a) return [];
  const rows = db
    .select({
      itemCode: evidenceLinks.itemCode,
      code: evidenceLinks.code,
      evidenceId: evidence.id,
      kind: evidence.kind,
      title: evidence.title,
      fileName: evidence.fileName,
      mime: blobs.mime,
      size: blobs.size,
      url: evidence.url,
    })
    .from(evidenceLinks)
    .innerJoin(evidence, eq(evidenceLinks.evidenceId, evidence.id))
    .leftJoin(blobs, eq(evidence.sha256, blobs.sha256))
    .where(eq(evidenceLinks.assessmentId, assessmentId))
    .all();
  const order = new Map(itemCodesOf(editionOf(a)).map((c, i) => [c, i]));
  return rows
    .map((r) => ({ ...r, mime: r.mime ?? null, size: r.size ?? null }))
    .sort((x, y) => (order.get(x.itemCode) ?? 1e9) - (order.get(y.itemCode) ?? 1e9) || x.itemCode.localeCompare(y.itemCode) || codeNumber(x.code) - codeNumber(y.code));
}

export interface EvidenceUse {
  assessmentId: number;
  schoolYear: string;
  status: AssessmentState;
  itemCode: string;
  code: string;
}

export interface LibraryEntry {
  evidenceId: number;
  kind: "file" | "link";
  title: string;
  fileName: string | null;
  mime: string | null;
  size: number | null;
  url: string | null;
  createdAt: number;
  /** Where it is used, newest school year first. */
  uses: EvidenceUse[];
}

/** A school's library (non-deleted evidence, newest first), optionally filtered by title or file name. */
export function schoolLibrary(schoolId: number, opts: { q?: string | null } = {}, db: Db = getDb()): LibraryEntry[] {
  const rows = db
    .select({
      evidenceId: evidence.id,
      kind: evidence.kind,
      title: evidence.title,
      fileName: evidence.fileName,
      mime: blobs.mime,
      size: blobs.size,
      url: evidence.url,
      createdAt: evidence.createdAt,
    })
    .from(evidence)
    .leftJoin(blobs, eq(evidence.sha256, blobs.sha256))
    .where(and(eq(evidence.schoolId, schoolId), isNull(evidence.deletedAt)))
    .orderBy(desc(evidence.createdAt), desc(evidence.id))
    .all();
  const q = opts.q ? foldVietnamese(opts.q) : "";
  const filtered = q ? rows.filter((r) => foldVietnamese(`${r.title} ${r.fileName ?? ""}`).includes(q)) : rows;
  if (filtered.length === 0) return [];
  const uses = db
    .select({
      evidenceId: evidenceLinks.evidenceId,
      assessmentId: evidenceLinks.assessmentId,
      itemCode: evidenceLinks.itemCode,
      code: evidenceLinks.code,
      schoolYear: cycles.schoolYear,
      status: assessments.status,
    })
    .from(evidenceLinks)
    .innerJoin(assessments, eq(evidenceLinks.assessmentId, assessments.id))
    .innerJoin(cycles, eq(assessments.cycleId, cycles.id))
    .where(and(eq(assessments.schoolId, schoolId), inArray(evidenceLinks.evidenceId, filtered.map((r) => r.evidenceId))))
    .all();
  const byEvidence = new Map<number, EvidenceUse[]>();
  for (const u of uses) {
    const list = byEvidence.get(u.evidenceId) ?? [];
    list.push({ assessmentId: u.assessmentId, schoolYear: u.schoolYear, status: u.status, itemCode: u.itemCode, code: u.code });
    byEvidence.set(u.evidenceId, list);
  }
  return filtered.map((r) => ({
    ...r,
    mime: r.mime ?? null,
    size: r.size ?? null,
    createdAt: r.createdAt.getTime(),
    uses: (byEvidence.get(r.evidenceId) ?? []).sort((x, y) => y.schoolYear.localeCompare(x.schoolYear) || x.code.localeCompare(y.code, "vi", { numeric: true })),
  }));
}

/** The school's assessment that evidence can be added to now: editable, in an open cycle, newest year. */
export function currentAssessmentFor(schoolId: number, db: Db = getDb()): AssessmentRecord | null {
  const row = db
    .select({ id: assessments.id })
    .from(assessments)
    .innerJoin(cycles, eq(assessments.cycleId, cycles.id))
    .where(and(eq(assessments.schoolId, schoolId), eq(cycles.status, "open"), inArray(assessments.status, ["draft", "returned"])))
    .orderBy(desc(cycles.schoolYear))
    .get();
  return row ? getAssessment(row.id, db) : null;
}

export interface StoredEvidence {
  id: number;
  schoolId: number;
  kind: "file" | "link";
  title: string;
  fileName: string | null;
  url: string | null;
  sha256: string | null;
  mime: string | null;
  size: number | null;
  deleted: boolean;
}

/** One evidence with its blob, for downloads. Authorization is the caller's. */
export function getStoredEvidence(evidenceId: number, db: Db = getDb()): StoredEvidence | null {
  const r = db
    .select({
      id: evidence.id,
      schoolId: evidence.schoolId,
      kind: evidence.kind,
      title: evidence.title,
      fileName: evidence.fileName,
      url: evidence.url,
      sha256: evidence.sha256,
      mime: blobs.mime,
      size: blobs.size,
      deletedAt: evidence.deletedAt,
    })
    .from(evidence)
    .leftJoin(blobs, eq(evidence.sha256, blobs.sha256))
    .where(eq(evidence.id, evidenceId))
    .get();
  if (!r) return null;
  const { deletedAt, ...rest } = r;
  return { ...rest, mime: rest.mime ?? null, size: rest.size ?? null, deleted: deletedAt != null };
}

/** Name and code of a school, for page titles. */
export function schoolLabel(schoolId: number, db: Db = getDb()): { name: string; code: string } | null {
  return db.select({ name: schools.name, code: schools.code }).from(schools).where(eq(schools.id, schoolId)).get() ?? null;
}

// ───────────────────────────── the panel's library ─────────────────────────────

/** Which list the evidence panel shows: recently used or added, or last year's (the previous assessment's). */
export const LIBRARY_SOURCES = ["gan-day", "nam-truoc"] as const;
export type LibrarySource = (typeof LIBRARY_SOURCES)[number];
export const LIBRARY_PAGE_SIZE = 8;

export interface LinkRef {
  itemCode: string;
  code: string;
}

export interface PanelLibraryEntry {
  evidenceId: number;
  kind: "file" | "link";
  title: string;
  fileName: string | null;
  mime: string | null;
  size: number | null;
  url: string | null;
  createdAt: number;
  /** Items of THIS assessment it is already linked to (with their codes). */
  here: LinkRef[];
  /** Its codes in the school's previous assessment (last year), if any. */
  previous: LinkRef[];
}

export interface PanelLibraryPage {
  source: LibrarySource;
  q: string;
  page: number;
  pages: number;
  total: number;
  entries: PanelLibraryEntry[];
  /** The school's previous assessment (an earlier school year), or null. */
  previousAssessment: { id: number; schoolYear: string } | null;
}

/** The school's assessment of the latest school year before this one's, or null. */
export function previousAssessmentOf(a: Pick<AssessmentRecord, "schoolId" | "schoolYear">, db: Db = getDb()): { id: number; schoolYear: string } | null {
  const row = db
    .select({ id: assessments.id, schoolYear: cycles.schoolYear })
    .from(assessments)
    .innerJoin(cycles, eq(assessments.cycleId, cycles.id))
    .where(and(eq(assessments.schoolId, a.schoolId), sql`${cycles.schoolYear} < ${a.schoolYear}`))
    .orderBy(desc(cycles.schoolYear), desc(assessments.id))
    .get();
  return row ?? null;
}

/**
 * The school's library as the evidence panel of an item shows it: only the assessment's own school's
 * live evidence, optionally filtered by a folded search (title, file name, address: "ke hoach" finds
 * "Kế hoạch"), either recently used first ("gan-day": the latest of its creation and its newest link)
 * or only what the previous assessment used ("nam-truoc", in that year's code order), paged.
 * Authorization is the caller's (evidence.read on the school).
 */
export function libraryForAssessment(
  a: Pick<AssessmentRecord, "id" | "schoolId" | "schoolYear">,
  opts: { source?: LibrarySource; q?: string | null; page?: number; pageSize?: number } = {},
  db: Db = getDb(),
): PanelLibraryPage {
  const source = opts.source ?? "gan-day";
  const pageSize = opts.pageSize ?? LIBRARY_PAGE_SIZE;
  const q = (opts.q ?? "").trim();
  const previousAssessment = previousAssessmentOf(a, db);
  const empty = (): PanelLibraryPage => ({ source, q, page: 1, pages: 1, total: 0, entries: [], previousAssessment });
  if (source === "nam-truoc" && !previousAssessment) return empty();

  type Row = { id: number; kind: "file" | "link"; title: string; fileName: string | null; url: string | null; createdAt: number; mime: string | null; size: number | null; lastUsed: number };
  const onlyPrevious = source === "nam-truoc" ? sql`AND e.id IN (SELECT l.evidence_id FROM evidence_links l WHERE l.assessment_id = ${previousAssessment!.id})` : sql``;
  const rows = db.all<Row>(sql`
    SELECT e.id AS id, e.kind AS kind, e.title AS title, e.file_name AS fileName, e.url AS url, e.created_at AS createdAt,
           b.mime AS mime, b.size AS size,
           MAX(e.created_at, COALESCE((SELECT MAX(l.created_at) FROM evidence_links l WHERE l.evidence_id = e.id), 0)) AS lastUsed
      FROM evidence e LEFT JOIN blobs b ON b.sha256 = e.sha256
     WHERE e.school_id = ${a.schoolId} AND e.deleted_at IS NULL ${onlyPrevious}
     ORDER BY lastUsed DESC, e.id DESC`);
  const needle = q ? foldVietnamese(q) : "";
  const matched = needle ? rows.filter((r) => foldVietnamese(`${r.title} ${r.fileName ?? ""} ${r.url ?? ""}`).includes(needle)) : rows;
  if (matched.length === 0) return empty();

  // Links in this assessment and the previous one, for all matches (the previous year's order needs them).
  const ids = matched.map((r) => r.id);
  const assessmentIds = previousAssessment ? [a.id, previousAssessment.id] : [a.id];
  const links = new Map<number, { here: LinkRef[]; previous: LinkRef[] }>();
  const collator = new Intl.Collator("vi", { numeric: true });
  for (let k = 0; k < ids.length; k += 500) {
    const chunk = ids.slice(k, k + 500);
    const found = db
      .select({ evidenceId: evidenceLinks.evidenceId, assessmentId: evidenceLinks.assessmentId, itemCode: evidenceLinks.itemCode, code: evidenceLinks.code })
      .from(evidenceLinks)
      .where(and(inArray(evidenceLinks.assessmentId, assessmentIds), inArray(evidenceLinks.evidenceId, chunk)))
      .all();
    for (const l of found) {
      const entry = links.get(l.evidenceId) ?? { here: [], previous: [] };
      (l.assessmentId === a.id ? entry.here : entry.previous).push({ itemCode: l.itemCode, code: l.code });
      links.set(l.evidenceId, entry);
    }
  }
  for (const v of links.values()) {
    v.here.sort((x, y) => collator.compare(x.code, y.code));
    v.previous.sort((x, y) => collator.compare(x.code, y.code));
  }
  const ordered =
    source === "nam-truoc"
      ? [...matched].sort((x, y) => collator.compare(links.get(x.id)?.previous[0]?.code ?? "", links.get(y.id)?.previous[0]?.code ?? "") || y.id - x.id)
      : matched;

  const pages = Math.max(1, Math.ceil(ordered.length / pageSize));
  const page = Math.min(Math.max(1, Math.floor(opts.page ?? 1)), pages);
  const entries = ordered.slice((page - 1) * pageSize, page * pageSize).map((r) => ({
    evidenceId: r.id,
    kind: r.kind,
    title: r.title,
    fileName: r.fileName,
    mime: r.mime ?? null,
    size: r.size ?? null,
    url: r.url,
    createdAt: Number(r.createdAt),
    here: links.get(r.id)?.here ?? [],
    previous: links.get(r.id)?.previous ?? [],
  }));
  return { source, q, page, pages, total: ordered.length, entries, previousAssessment };
}
