/**
 * Seeds the catalogue editions shipped in indicators/<id>/edition.json into the database the
 * first time it is opened (and any shipped edition added later). Editions already stored are
 * never touched: published editions are immutable.
 */
import fs from "node:fs";
import path from "node:path";
import { createHash } from "node:crypto";
import { eq } from "drizzle-orm";
import { canonicalJson, parseEdition } from "~/domain/catalogue";
import { onDatabaseOpen, type Db } from "../db/client.server";
import { catalogueEditions } from "../db/schema.server";

export function indicatorsDir(): string {
  return path.resolve(process.env.INDICATORS_DIR || path.join(process.cwd(), "indicators"));
}

export function hashEdition(content: unknown): string {
  return createHash("sha256").update(canonicalJson(content)).digest("hex");
}

export function seedShippedEditions(db: Db): string[] {
  const dir = indicatorsDir();
  if (!fs.existsSync(dir)) return [];
  const seeded: string[] = [];
  for (const name of fs.readdirSync(dir).sort()) {
    const file = path.join(dir, name, "edition.json");
    if (!fs.existsSync(file)) continue;
    const parsed = parseEdition(JSON.parse(fs.readFileSync(file, "utf8")));
    if (!parsed.ok) throw new Error(`Bộ chỉ số ${file} không hợp lệ: ${parsed.errors.map((e) => e.vi).join("; ")}`);
    const ed = parsed.edition;
    if (db.select({ id: catalogueEditions.id }).from(catalogueEditions).where(eq(catalogueEditions.id, ed.id)).get()) continue;
    const published = ed.status === "published";
    db.insert(catalogueEditions)
      .values({
        id: ed.id,
        title: ed.title,
        status: published ? "published" : "draft",
        content: ed as never,
        contentHash: hashEdition(ed),
        publishedAt: published ? new Date(ed.publishedAt ? `${ed.publishedAt}T00:00:00+07:00` : Date.now()) : null,
      })
      .run();
    seeded.push(ed.id);
  }
  return seeded;
}

onDatabaseOpen((db) => {
  seedShippedEditions(db);
});
