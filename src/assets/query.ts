import { ErrorCode, PatchbayError } from '../errors.js';
import type { AssetQuery } from './types.js';

/**
 * The arguments of `assets(id=…, type=…, namespace=…, metadata={…})`, checked, and their
 * canonical form. Pure (no database): the expression layer and the static call finder
 * (template-calls.ts) use it, so both agree on what a call asks for.
 */
export const ASSET_QUERY_PARAMS = ['id', 'type', 'namespace', 'metadata'] as const;

export function assetsError(message: string): PatchbayError {
  return new PatchbayError(ErrorCode.EXPRESSION_EVAL, `\`assets\`: ${message}`);
}

function kind(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'a map' : `${typeof value} ${JSON.stringify(value)}`;
}

/** Checks the arguments of one call; null/undefined arguments mean "any". */
export function parseAssetQuery(args: Record<string, unknown>): AssetQuery {
  const query: AssetQuery = {};
  for (const name of ['id', 'type', 'namespace'] as const) {
    const value = args[name];
    if (value === undefined || value === null) continue;
    if (typeof value !== 'string' && typeof value !== 'number') throw assetsError(`\`${name}\` must be text, got ${kind(value)}`);
    query[name] = String(value);
  }
  const metadata = args.metadata;
  if (metadata !== undefined && metadata !== null) {
    if (typeof metadata !== 'object' || Array.isArray(metadata)) throw assetsError(`\`metadata\` must be a map such as {'vm': 'web-01'}, got ${kind(metadata)}`);
    if (Object.keys(metadata).length > 0) query.metadata = { ...(metadata as Record<string, unknown>) };
  }
  return query;
}

/** Canonical text of a query (keys sorted at every level): the cache key. */
export function queryKey(query: AssetQuery): string {
  const sorted = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(sorted);
    if (value && typeof value === 'object') {
      return Object.fromEntries(Object.keys(value).sort().map((key) => [key, sorted((value as Record<string, unknown>)[key])]));
    }
    return value;
  };
  return JSON.stringify(sorted(query));
}

export function describeQuery(query: AssetQuery): string {
  const parts = Object.entries(query).map(([key, value]) => `${key}=${typeof value === 'string' ? `'${value}'` : JSON.stringify(value)}`);
  return `assets(${parts.join(', ')})`;
}
