import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { drizzle, type BetterSQLite3Database } from "drizzle-orm/better-sqlite3";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import { count, type SQL } from "drizzle-orm";
import type { SQLiteTable } from "drizzle-orm/sqlite-core";
import * as schema from "./schema.server";

export type Db = BetterSQLite3Database<typeof schema> & { $client: Database.Database };

export const DEFAULT_DATABASE_PATH = "data/cds4725.sqlite";

export function databasePath(): string {
  return path.resolve(process.env.DATABASE_PATH || DEFAULT_DATABASE_PATH);
}

export function migrationsDir(): string {
  return path.resolve(process.env.MIGRATIONS_DIR || path.join(process.cwd(), "drizzle"));
}

/**
 * Opens (creating if needed) the SQLite file, sets WAL and foreign keys, and applies migrations.
 *
 * drizzle-kit rebuilds of parent tables issue PRAGMA foreign_keys=OFF inside the migrator's
 * transaction, where it has no effect, so cascades could silently delete child rows.
 * We turn foreign keys off before migrate(), check integrity after, then turn them back on.
 */
export function openDatabase(file = databasePath()): Db {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const sqlite = new Database(file);
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("busy_timeout = 5000");
  sqlite.pragma("synchronous = NORMAL");
  sqlite.pragma("foreign_keys = OFF");
  const db = drizzle(sqlite, { schema }) as Db;
  migrate(db, { migrationsFolder: migrationsDir() });
  const violations = sqlite.pragma("foreign_key_check") as unknown[];
  if (violations.length > 0) {
    sqlite.close();
    throw new Error(`Migration left ${violations.length} foreign key violation(s) in ${file}`);
  }
  sqlite.pragma("foreign_keys = ON");
  return db;
}

type Initialiser = (db: Db) => void;
const initialisers: Initialiser[] = [];

/** Work that must run once when the database is first opened (e.g. seeding the working catalogue). */
export function onDatabaseOpen(fn: Initialiser): void {
  initialisers.push(fn);
}

const globalForDb = globalThis as unknown as { __cds4725Db?: { file: string; db: Db } };

/** The process-wide database, opened lazily from DATABASE_PATH (default data/cds4725.sqlite). */
export function getDb(): Db {
  const file = databasePath();
  const cached = globalForDb.__cds4725Db;
  if (cached && cached.file === file) return cached.db;
  if (cached) cached.db.$client.close();
  const db = openDatabase(file);
  globalForDb.__cds4725Db = { file, db };
  for (const init of initialisers) init(db);
  return db;
}

/** Closes the process-wide database (tests, shutdown). */
export function closeDb(): void {
  const cached = globalForDb.__cds4725Db;
  if (cached) {
    cached.db.$client.close();
    delete globalForDb.__cds4725Db;
  }
}

/** Number of rows of a table matching an optional condition (synchronous). */
export function countRows(table: SQLiteTable, where?: SQL, db: Db = getDb()): number {
  return db.select({ n: count() }).from(table).where(where).get()?.n ?? 0;
}

const preparedCache = new WeakMap<object, Map<string, unknown>>();

/**
 * A drizzle prepared query built once per database connection and reused: for queries on the
 * hot path of every request (sessions, the assessment being saved), where building the SQL
 * each time costs more than running it.
 */
export function prepared<T>(db: object, key: string, build: () => T): T {
  // Keyed by the SQLite connection: a transaction object shares its database's connection.
  const d = db as { $client?: object; session?: { client?: object } };
  const client = d.$client ?? d.session?.client ?? db;
  let m = preparedCache.get(client);
  if (!m) preparedCache.set(client, (m = new Map()));
  let q = m.get(key) as T | undefined;
  if (!q) m.set(key, (q = build()));
  return q;
}
