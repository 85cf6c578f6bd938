import type { Drizzle } from '../db/database.js';
import { lookupAssets } from './queries.js';
import { assetsError, describeQuery, queryKey } from './query.js';
import type { AssetQuery, AssetSummary } from './types.js';

/**
 * The per-render cache that answers `assets(…)`. Rendering is synchronous (nunjucks) and the
 * inventory may hold a million assets, so nothing is preloaded wholesale: exactly the lookups
 * a render makes are fetched before it, in one statement (engine/render-scope.ts: two passes).
 */

/** A lookup that matches more is a flow bug (or a dropdown nobody can scroll): it fails, it is not cut. */
export const MAX_LOOKUP_RESULTS = 1000;

export class AssetLookup {
  private readonly results = new Map<string, AssetSummary[]>();
  private readonly missing = new Map<string, AssetQuery>();
  /** While recording, an unknown lookup is noted and answered with []: the render is a dry run. */
  recording = false;

  constructor(private readonly tx: Drizzle) {}

  /** Synchronous answer from what was fetched. */
  find(query: AssetQuery): AssetSummary[] {
    const key = queryKey(query);
    const found = this.results.get(key);
    if (found) {
      if (found.length > MAX_LOOKUP_RESULTS) {
        throw assetsError(`${describeQuery(query)} matches more than ${MAX_LOOKUP_RESULTS} assets; narrow it with id, type, namespace or metadata`);
      }
      // A copy: a template cannot change what the next call sees.
      return structuredClone(found);
    }
    if (this.recording) {
      this.missing.set(key, query);
      return [];
    }
    throw assetsError(`${describeQuery(query)} was not fetched before rendering: its arguments are computed while rendering, which needs the two-pass render (renderWithAssets)`);
  }

  /** The lookups a recording pass asked for and that are not fetched yet. */
  takeMissing(): AssetQuery[] {
    const queries = [...this.missing.values()];
    this.missing.clear();
    return queries;
  }

  /** Fetches lookups not cached yet, all in one statement. */
  async load(queries: readonly AssetQuery[]): Promise<void> {
    const unique = new Map<string, AssetQuery>();
    for (const query of queries) {
      const key = queryKey(query);
      if (!this.results.has(key)) unique.set(key, query);
    }
    if (unique.size === 0) return;
    const answers = await lookupAssets(this.tx, [...unique.values()], MAX_LOOKUP_RESULTS + 1);
    [...unique.keys()].forEach((key, index) => this.results.set(key, answers[index] ?? []));
  }
}
