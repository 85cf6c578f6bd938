import { and, eq, gt, isNull, or, sql } from 'drizzle-orm';
import type { Database } from '../db/database.js';
import { kv } from '../db/schema.js';
import { ErrorCode, PatchbayError } from '../errors.js';
import type { KvStore } from '../tasks/types.js';

/** Kestra's KV store on the database: namespace-scoped entries with an optional expiry. */
export class DatabaseKvStore implements KvStore {
  constructor(private readonly database: Database) {}

  async get(namespace: string, key: string): Promise<{ found: boolean; value?: unknown }> {
    const [row] = await this.database.db
      .select({ value: kv.value })
      .from(kv)
      .where(and(eq(kv.namespace, namespace), eq(kv.key, key), or(isNull(kv.expiresAt), gt(kv.expiresAt, sql`now()`))));
    return row ? { found: true, value: row.value } : { found: false };
  }

  async set(namespace: string, key: string, value: unknown, options: { ttlSeconds?: number; overwrite?: boolean } = {}): Promise<void> {
    const expiresAt = options.ttlSeconds === undefined ? null : sql`now() + make_interval(secs => ${options.ttlSeconds})`;
    const values = { namespace, key, value: value ?? null, expiresAt, updatedAt: sql`now()` } as never;
    if (options.overwrite === false) {
      // An expired entry does not count as existing.
      await this.database.db.delete(kv).where(and(eq(kv.namespace, namespace), eq(kv.key, key), gt(sql`now()`, kv.expiresAt)));
      const inserted = await this.database.db.insert(kv).values(values).onConflictDoNothing().returning({ key: kv.key });
      if (inserted.length === 0) {
        throw new PatchbayError(ErrorCode.CONFLICT, `KV key \`${key}\` already exists in namespace ${namespace} and overwrite is false`);
      }
      return;
    }
    await this.database.db
      .insert(kv)
      .values(values)
      .onConflictDoUpdate({ target: [kv.namespace, kv.key], set: { value: sql`excluded.value`, expiresAt: sql`excluded.expires_at`, updatedAt: sql`now()` } });
  }

  async delete(namespace: string, key: string): Promise<boolean> {
    const deleted = await this.database.db.delete(kv).where(and(eq(kv.namespace, namespace), eq(kv.key, key))).returning({ key: kv.key });
    return deleted.length > 0;
  }
}
