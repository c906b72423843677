import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { drizzle, type BetterSQLite3Database } from "drizzle-orm/better-sqlite3";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import { count, type SQL } from "drizzle-orm";
import type { SQLiteTable } from "drizzle-orm/sqlite-core";
import * as schema from "./schema.server";
import { BACKGROUND_AUTOCHECKPOINT_PAGES, BACKGROUND_CHECKPOINT_ENV } from "./checkpointer.server";

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
  sqlite.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  sqlite.pragma("synchronous = NORMAL");
  // A checkpointer thread does the checkpoints (checkpointer.server.ts): requests no longer do.
  if (process.env[BACKGROUND_CHECKPOINT_ENV] === "1") sqlite.pragma(`wal_autocheckpoint = ${BACKGROUND_AUTOCHECKPOINT_PAGES}`);
  const db = drizzle(sqlite, { schema }) as Db;
  // A server worker (WEB_CONCURRENCY > 1) opens the file its primary has just migrated and checked
  // (scripts/serve.mjs): the check reads every foreign key of the file, seconds on a national one.
  if (process.env[PREPARED_DATABASE_ENV] === path.resolve(file)) {
    sqlite.pragma("foreign_keys = ON");
    return db;
  }
  sqlite.pragma("foreign_keys = OFF");
  migrate(db, { migrationsFolder: migrationsDir() });
  const violations = sqlite.pragma("foreign_key_check") as unknown[];
  if (violations.length > 0) {
    sqlite.close();
    throw new Error(`Migration left ${violations.length} foreign key violation(s) in ${file}`);
  }
  sqlite.pragma("foreign_keys = ON");
  return db;
}

/** Set by the primary server process for its workers: the database file it migrated and checked. */
export const PREPARED_DATABASE_ENV = "CDS_PREPARED_DATABASE";

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
  const client: object = sqliteOf(db) ?? db;
  let m = preparedCache.get(client);
  if (!m) preparedCache.set(client, (m = new Map()));
  let q = m.get(key) as T | undefined;
  if (!q) m.set(key, (q = build()));
  return q;
}

/** The better-sqlite3 connection behind a database or a transaction object (for raw prepared statements). */
export function sqliteOf(db: object): Db["$client"] {
  const d = db as { $client?: unknown; session?: { client?: unknown } };
  return (d.$client ?? d.session?.client) as Db["$client"];
}

/** Default wait for another connection's write lock (PRAGMA busy_timeout set by openDatabase). */
export const BUSY_TIMEOUT_MS = 5000;
const pauseCell = new Int32Array(new SharedArrayBuffer(4));

/**
 * Runs `begin`, a function that opens an IMMEDIATE transaction (drizzle's
 * `db.transaction(fn, { behavior: "immediate" })`), so that waiting for another server
 * process's write lock (WEB_CONCURRENCY > 1) costs about the time that lock is really held.
 * SQLite's own busy handler sleeps 1, 2, 5, 10 … ms between tries, and better-sqlite3 waits on
 * the one Node thread: at a few hundred saves a second per process, every collision stalled the
 * whole process for milliseconds. Here busy_timeout is 0 while `begin` runs; SQLITE_BUSY (the
 * lock is taken: nothing was done, the transaction rolled back) is retried after 20 µs, doubling
 * to 1 ms, for at most `maxWaitMs`; then it is thrown as before. Inside the immediate transaction
 * no statement can meet another writer (WAL readers never wait), so 0 is safe there.
 * Nested calls (already in a transaction) just run `begin`.
 */
export function withWriteLock<T>(db: Db, begin: () => T, maxWaitMs = BUSY_TIMEOUT_MS): T {
  const c = db.$client;
  if (c.inTransaction) return begin();
  const st = prepared(db, "busy.timeout", () => ({ off: c.prepare("PRAGMA busy_timeout = 0"), on: c.prepare(`PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}`) }));
  st.off.run();
  try {
    const until = performance.now() + maxWaitMs;
    for (let wait = 0.02; ; wait = Math.min(wait * 2, 1)) {
      try {
        return begin();
      } catch (e) {
        if ((e as { code?: string }).code !== "SQLITE_BUSY" || c.inTransaction || performance.now() + wait > until) throw e;
        Atomics.wait(pauseCell, 0, 0, wait);
      }
    }
  } finally {
    st.on.run();
  }
}
