import { sql } from 'drizzle-orm';
import type { Database, Drizzle } from '../db/database.js';
import type { RenderScope } from '../expr/define.js';
import { createScope } from '../expr/render.js';
import type { SecretLookup } from '../secrets.js';

/**
 * The RenderScope of one execution's renders. Rendering is synchronous, so `kv()` reads a
 * snapshot of the KV store taken just before (only when the flow uses `kv(` at all: KV
 * stores of ChatOps teams are small, and most flows never read one).
 */
export interface ScopeOptions {
  database: Database;
  tx?: Drizzle;
  namespace: string;
  flowSource: string;
  secrets: SecretLookup;
  now: Date;
  appLink?: () => string | undefined;
}

export async function buildRenderScope(options: ScopeOptions): Promise<RenderScope> {
  const entries = new Map<string, unknown>();
  if (options.flowSource.includes('kv(')) {
    const rows = await options.database.rows<{ namespace: string; key: string; value: unknown }>(
      sql`select namespace, key, value from kv where expires_at is null or expires_at > now()`,
      options.tx,
    );
    for (const row of rows) entries.set(`${row.namespace}\u0000${row.key}`, row.value);
  }
  const scope = createScope({
    namespace: options.namespace,
    secret: options.secrets,
    now: () => options.now,
    kv: (namespace, key) => {
      const id = `${namespace}\u0000${key}`;
      return entries.has(id) ? { found: true, value: entries.get(id) } : { found: false };
    },
  });
  if (options.appLink) scope.appLink = options.appLink;
  return scope;
}
