import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { type SQL, sql } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import { type DataDirLock, lockDataDir } from './data-dir-lock.js';
import { type PipelinedTransaction, pipelinedPglite, pipelinedPostgres } from './pipeline.js';
import * as schema from './schema.js';

/**
 * One interface over the two databases Patchbay runs on: PostgreSQL through postgres.js
 * (several replicas share it) and embedded PGlite (one process, no setup). Same schema, same
 * drizzle queries, same LISTEN/NOTIFY; only connection handling differs.
 */
export type Drizzle = PgDatabase<PgQueryResultHKT, typeof schema>;

export interface Database {
  readonly kind: 'pglite' | 'postgres';
  /** Human description for the start-up banner, without credentials. */
  readonly description: string;
  readonly db: Drizzle;
  /** Runs raw SQL and returns its rows (drivers disagree on the result shape; this does not). */
  rows<T = Record<string, unknown>>(query: SQL, tx?: Drizzle): Promise<T[]>;
  /** A transaction with BEGIN and COMMIT pipelined with its statements (see pipeline.ts). */
  pipelined<T>(body: (p: PipelinedTransaction) => Promise<T>): Promise<T>;
  /** Subscribes to a NOTIFY channel; resolves once listening. Returns the unsubscribe function. */
  listen(channel: string, onMessage: (payload: string) => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

const MIGRATIONS = fileURLToPath(new URL('../../drizzle', import.meta.url));
/** Arbitrary constant: the advisory lock that serialises migrations between replicas. */
const MIGRATION_LOCK = 727_274_001;

function normaliseRows<T>(result: unknown): T[] {
  if (Array.isArray(result)) return result as T[];
  return ((result as { rows?: T[] }).rows ?? []) as T[];
}

export interface OpenOptions {
  /** postgres://… : PostgreSQL. Absent: embedded PGlite. */
  url?: string;
  /** PGlite data folder; absent (with no url) means an in-memory database (tests). */
  dataDir?: string;
  /** postgres.js pool size. */
  maxConnections?: number;
}

export async function openDatabase(options: OpenOptions): Promise<Database> {
  // At least two connections: migrations hold one (the advisory lock) while running on another.
  const database = options.url ? await openPostgres(options.url, Math.max(2, options.maxConnections ?? 10)) : await openPglite(options.dataDir);
  return database;
}

async function openPglite(dataDir: string | undefined): Promise<Database> {
  let lock: DataDirLock | undefined;
  if (dataDir) lock = await lockDataDir(dataDir);
  let client: PGlite;
  try {
    client = dataDir ? await PGlite.create(dataDir) : await PGlite.create();
    const db = drizzlePglite({ client, schema }) as unknown as Drizzle;
    await migratePglite(db as never, { migrationsFolder: MIGRATIONS });
    return {
      kind: 'pglite',
      description: dataDir ? `embedded PGlite in ${dataDir}` : 'embedded PGlite (in memory)',
      db,
      rows: async (query, tx) => normaliseRows(await (tx ?? db).execute(query)),
      pipelined: (body) => pipelinedPglite(db, body),
      listen: async (channel, onMessage) => {
        const unsubscribe = await client.listen(channel, onMessage);
        return async () => unsubscribe();
      },
      close: async () => {
        await client.close();
        await lock?.release();
      },
    };
  } catch (error) {
    await lock?.release();
    throw error;
  }
}

async function openPostgres(url: string, max: number): Promise<Database> {
  const client = postgres(url, { max, onnotice: () => undefined, idle_timeout: 30 });
  const db = drizzlePostgres({ client, schema }) as unknown as Drizzle;
  // Replicas starting together: one migrates, the others wait, then find nothing to do.
  const reserved = await client.reserve();
  try {
    await reserved`select pg_advisory_lock(${MIGRATION_LOCK})`;
    try {
      await migratePostgres(db as never, { migrationsFolder: MIGRATIONS });
    } finally {
      await reserved`select pg_advisory_unlock(${MIGRATION_LOCK})`;
    }
  } catch (error) {
    reserved.release();
    await client.end({ timeout: 1 });
    throw error;
  }
  reserved.release();
  const parsed = new URL(url);
  return {
    kind: 'postgres',
    description: `PostgreSQL at ${parsed.hostname}:${parsed.port || 5432}${parsed.pathname}`,
    db,
    rows: async (query, tx) => normaliseRows(await (tx ?? db).execute(query)),
    pipelined: (body) => pipelinedPostgres(client, body),
    listen: async (channel, onMessage) => {
      const subscription = await client.listen(channel, (payload) => onMessage(payload));
      return async () => subscription.unlisten();
    },
    close: async () => {
      await client.end({ timeout: 5 });
    },
  };
}

/** NOTIFY (several channels in one statement) inside the caller's transaction: delivered when, and only if, it commits. */
export function notify(notices: readonly (readonly [channel: string, payload: string])[]): SQL {
  return sql`select ${sql.join(notices.map(([channel, payload]) => sql`pg_notify(${channel}, ${payload})`), sql`, `)}`;
}
