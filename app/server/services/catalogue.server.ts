/**
 * Catalogue editions in the database: versioned data, validated at load, immutable once
 * published (the database refuses changes to a published row; see drizzle/0001_*).
 * Cycles pin one published edition by id; the content hash identifies its exact content.
 */
import { and, desc, eq, sql } from "drizzle-orm";
import { parseEdition, selectDefaultEdition, type CatalogueError, type Edition } from "~/domain/catalogue";
import { getDb, prepared, type Db } from "../db/client.server";
import { catalogueEditions } from "../db/schema.server";
import { writeAudit } from "./audit.server";
import { hashEdition } from "./catalogue-seed.server";
import { localDateOf } from "~/utils/time";

export type EditionRow = typeof catalogueEditions.$inferSelect;

export interface EditionSummary {
  id: string;
  title: string;
  status: "draft" | "published";
  contentHash: string;
  createdAt: number;
  publishedAt: number | null;
}

const summary = (r: EditionRow): EditionSummary => ({
  id: r.id,
  title: r.title,
  status: r.status,
  contentHash: r.contentHash,
  createdAt: r.createdAt.getTime(),
  publishedAt: r.publishedAt ? r.publishedAt.getTime() : null,
});

/** Editions, newest first. Drafts only when asked (system admins). */
export function listEditions(opts: { includeDrafts?: boolean } = {}, db: Db = getDb()): EditionSummary[] {
  const rows = db
    .select()
    .from(catalogueEditions)
    .where(opts.includeDrafts ? undefined : eq(catalogueEditions.status, "published"))
    .orderBy(desc(catalogueEditions.publishedAt), desc(catalogueEditions.createdAt))
    .all();
  return rows.map(summary);
}

const cache = new Map<string, Edition>();

/**
 * A stored edition, parsed and validated. Parsed editions are cached by content hash, so the
 * (large) content column is read and parsed only once per edition version.
 */
/**
 * Published editions by id, per database connection: a published row cannot change (the database
 * refuses it), so every save of its cycles' assessments skips the header query. Drafts are read
 * each time (they can be replaced and published).
 */
const publishedById = new WeakMap<object, Map<string, { row: EditionSummary; edition: Edition }>>();

export function getEdition(id: string, db: Db = getDb()): { row: EditionSummary; edition: Edition } | null {
  const client = (db as { $client?: object }).$client ?? db;
  let known = publishedById.get(client);
  if (!known) publishedById.set(client, (known = new Map()));
  const hit = known.get(id);
  if (hit) return { row: { ...hit.row }, edition: hit.edition };
  const head = prepared(db, "edition.head", () =>
    db
      .select({
        id: catalogueEditions.id,
        title: catalogueEditions.title,
        status: catalogueEditions.status,
        contentHash: catalogueEditions.contentHash,
        createdAt: catalogueEditions.createdAt,
        publishedAt: catalogueEditions.publishedAt,
      })
      .from(catalogueEditions)
      .where(eq(catalogueEditions.id, sql.placeholder("id")))
      .prepare(),
  ).get({ id });
  if (!head) return null;
  const row = summary(head as EditionRow);
  let edition = cache.get(head.contentHash);
  if (!edition) {
    const content = db.select({ content: catalogueEditions.content }).from(catalogueEditions).where(eq(catalogueEditions.id, id)).get()?.content;
    const parsed = parseEdition(content);
    if (!parsed.ok) throw new Error(`Stored edition ${id} is invalid: ${parsed.errors.map((e) => e.en).join("; ")}`);
    edition = parsed.edition;
    cache.set(head.contentHash, edition);
  }
  if (row.status === "published") known.set(id, { row: { ...row }, edition });
  return { row, edition };
}

/** The newest published edition: the default for new cycles and the public catalogue page. */
export function newestPublished(db: Db = getDb()): { row: EditionSummary; edition: Edition } | null {
  const rows = db
    .select({ id: catalogueEditions.id, status: catalogueEditions.status, content: catalogueEditions.content })
    .from(catalogueEditions)
    .where(eq(catalogueEditions.status, "published"))
    .all()
    .map((r) => ({ id: r.id, status: "published" as const, publishedAt: (r.content as { publishedAt?: string }).publishedAt ?? "" }));
  const chosen = selectDefaultEdition(rows);
  return chosen ? getEdition(chosen.id, db) : null;
}

export type DraftResult = { ok: true; id: string; replaced: boolean } | { ok: false; errors: CatalogueError[] };

/** Validates an uploaded edition without storing it. */
export function checkEdition(input: unknown): { ok: true; edition: Edition } | { ok: false; errors: CatalogueError[] } {
  return parseEdition(input);
}

/**
 * Stores an uploaded edition as a draft. A draft with the same id is replaced; a published
 * edition with that id is never touched (a correction needs a new id).
 */
export function saveDraft(input: unknown, actorId: number, db: Db = getDb()): DraftResult {
  const parsed = parseEdition(input);
  if (!parsed.ok) return parsed;
  const content = { ...parsed.edition, status: "draft" as const };
  const existing = db.select().from(catalogueEditions).where(eq(catalogueEditions.id, content.id)).get();
  if (existing?.status === "published") {
    return {
      ok: false,
      errors: [
        {
          kind: "edition-id",
          code: content.id,
          vi: `Phiên bản "${content.id}" đã được công bố và không thể thay đổi. Hãy đặt mã phiên bản mới cho bản hiệu chỉnh.`,
          en: `Edition "${content.id}" is published and cannot change. Give the corrected edition a new id.`,
        },
      ],
    };
  }
  db.transaction((tx) => {
    const values = { title: content.title, status: "draft" as const, content: content as never, contentHash: hashEdition(content), createdBy: actorId };
    if (existing) tx.update(catalogueEditions).set(values).where(and(eq(catalogueEditions.id, content.id), eq(catalogueEditions.status, "draft"))).run();
    else tx.insert(catalogueEditions).values({ id: content.id, ...values }).run();
    writeAudit(tx, { actorId, action: existing ? "edition.draft.replace" : "edition.draft.create", entityType: "edition", entityId: content.id, details: { hash: values.contentHash } });
  });
  return { ok: true, id: content.id, replaced: !!existing };
}

export type PublishResult = { ok: true } | { ok: false; reason: "not-found" | "already-published" };

/** Publishes a draft: from now on its content can never change. */
export function publishEdition(id: string, actorId: number, now = Date.now(), db: Db = getDb()): PublishResult {
  const row = db.select().from(catalogueEditions).where(eq(catalogueEditions.id, id)).get();
  if (!row) return { ok: false, reason: "not-found" };
  if (row.status === "published") return { ok: false, reason: "already-published" };
  const content = { ...(row.content as Edition), status: "published" as const, publishedAt: localDateOf(now) };
  db.transaction((tx) => {
    tx.update(catalogueEditions)
      .set({ status: "published", content: content as never, contentHash: hashEdition(content), publishedAt: new Date(now) })
      .where(and(eq(catalogueEditions.id, id), eq(catalogueEditions.status, "draft")))
      .run();
    writeAudit(tx, { actorId, action: "edition.publish", entityType: "edition", entityId: id, details: { hash: hashEdition(content) } }, now);
  });
  return { ok: true };
}

/** Deletes a draft (published editions cannot be deleted). */
export function deleteDraft(id: string, actorId: number, db: Db = getDb()): boolean {
  return db.transaction((tx) => {
    const res = tx.delete(catalogueEditions).where(and(eq(catalogueEditions.id, id), eq(catalogueEditions.status, "draft"))).run();
    if (res.changes > 0) writeAudit(tx, { actorId, action: "edition.draft.delete", entityType: "edition", entityId: id });
    return res.changes > 0;
  });
}
