import { sql } from 'drizzle-orm';
import { AssetLookup } from '../assets/lookup.js';
import { assetCallsInSource } from '../assets/template-calls.js';
import type { Database, Drizzle } from '../db/database.js';
import type { RenderScope } from '../expr/define.js';
import { createScope } from '../expr/render.js';
import type { SecretLookup } from '../secrets.js';

/**
 * The RenderScope of one execution's renders. Rendering is synchronous, so `kv()` reads a
 * snapshot of the KV store taken just before (only when the flow uses `kv(` at all: KV
 * stores of ChatOps teams are small, and most flows never read one).
 *
 * `assets()` cannot work that way: the inventory may hold a million assets. Instead exactly
 * the lookups a render makes are fetched, in one statement each time:
 * - calls with constant arguments (`assets(type='…VM.IP')`, the usual case) are read from the
 *   flow's templates (assets/template-calls.ts) and fetched here, before any render;
 * - calls whose arguments come from the context (`assets(id=inputs.vm)`) are discovered by
 *   `renderWithAssets`: a recording pass answers them with [] and notes them, they are
 *   fetched, and the render runs again. Renders are pure (apart from the set of revealed
 *   secrets), so the dry run leaves nothing behind.
 */
export interface ScopeOptions {
  database: Database;
  tx?: Drizzle;
  namespace: string;
  flowSource: string;
  secrets: SecretLookup;
  now: Date;
  appLink?: () => string | undefined;
  /** Where a person follows the execution (the Slack status message's permalink): read only when the flow calls `appLink(`. */
  appLinks?: ((executionId: string, tx?: Drizzle) => Promise<string | undefined>) | undefined;
  executionId?: string;
}

const assetLookups = new WeakMap<RenderScope, AssetLookup>();

export async function buildRenderScope(options: ScopeOptions): Promise<RenderScope> {
  const entries = new Map<string, unknown>();
  if (options.flowSource.includes('kv(')) {
    const rows = await options.database.rows<{ namespace: string; key: string; value: unknown }>(
      sql`select namespace, key, value from kv where expires_at is null or expires_at > now()`,
      options.tx,
    );
    for (const row of rows) entries.set(`${row.namespace}\u0000${row.key}`, row.value);
  }
  // Inside a transition every read goes through its transaction (PGlite has one connection).
  const assets = new AssetLookup(options.tx ?? options.database.db);
  const calls = assetCallsInSource(options.flowSource);
  if (calls.constant.length > 0) await assets.load(calls.constant);
  const scope = createScope({
    namespace: options.namespace,
    secret: options.secrets,
    now: () => options.now,
    kv: (namespace, key) => {
      const id = `${namespace}\u0000${key}`;
      return entries.has(id) ? { found: true, value: entries.get(id) } : { found: false };
    },
    assets: (query) => assets.find(query),
  });
  if (options.appLink) scope.appLink = options.appLink;
  if (!options.appLink && options.appLinks && options.executionId && options.flowSource.includes('appLink(')) {
    const link = await options.appLinks(options.executionId, options.tx);
    scope.appLink = () => link;
  }
  assetLookups.set(scope, assets);
  return scope;
}

/** Recording passes before the strict one: a lookup whose arguments come from another lookup needs a second. */
const RECORDING_PASSES = 3;

/**
 * Runs `render` (any synchronous work that renders with `scope`: renderDeep of a task's
 * properties, renderTaskAssets, a planner round) until every `assets()` lookup it makes has
 * been fetched, and returns its result. One render when nothing is missing (the usual case).
 * Errors of a recording pass are not final: they may come from the [] stand-ins.
 */
export async function renderWithAssets<T>(scope: RenderScope, render: () => T): Promise<T> {
  const lookup = assetLookups.get(scope);
  if (!lookup) return render();
  for (let pass = 0; ; pass += 1) {
    lookup.recording = pass < RECORDING_PASSES;
    let outcome: { ok: true; value: T } | { ok: false; error: unknown };
    try {
      outcome = { ok: true, value: render() };
    } catch (error) {
      outcome = { ok: false, error };
    } finally {
      lookup.recording = false;
    }
    const missing = lookup.takeMissing();
    if (missing.length === 0) {
      if (outcome.ok) return outcome.value;
      throw outcome.error;
    }
    await lookup.load(missing);
  }
}
