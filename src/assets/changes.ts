import type { DeclaredOutput } from './types.js';

/**
 * What an update changes, as stored in an UPDATED event: `{metadata: {key: {from, to}},
 * fields: {type: {from, to}, …}}`. Metadata is merged shallowly (a declared key replaces the
 * stored one, keys not declared stay), so a flow that only knows the certificate's expiry
 * does not erase its issuer. A key absent before has no `from`; nothing is ever removed.
 */
export interface Change {
  from?: unknown;
  to?: unknown;
}

export interface AssetChanges {
  metadata: Record<string, Change>;
  fields: Record<string, Change>;
}

/** The stored columns an update may change. */
export interface StoredAsset {
  id: string;
  type: string;
  namespace: string | null;
  displayName: string | null;
  description: string | null;
  metadata: Record<string, unknown>;
  deleted: boolean;
}

/** Deep equality of JSON values (metadata comes from jsonb and from templates). */
function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((item, index) => sameJson(item, b[index]));
  const left = a as Record<string, unknown>;
  const right = b as Record<string, unknown>;
  const keys = Object.keys(left);
  return keys.length === Object.keys(right).length && keys.every((key) => Object.hasOwn(right, key) && sameJson(left[key], right[key]));
}

export function mergeMetadata(stored: Record<string, unknown>, declared: Record<string, unknown> | undefined): Record<string, unknown> {
  return declared ? { ...stored, ...declared } : stored;
}

/** The difference an output declaration makes to a stored asset (empty maps: nothing changed). */
export function diffAsset(stored: StoredAsset, declared: DeclaredOutput): AssetChanges {
  const metadata: Record<string, Change> = {};
  for (const [key, value] of Object.entries(declared.metadata ?? {})) {
    if (!Object.hasOwn(stored.metadata, key)) metadata[key] = { to: value };
    else if (!sameJson(stored.metadata[key], value)) metadata[key] = { from: stored.metadata[key], to: value };
  }
  const fields: Record<string, Change> = {};
  for (const key of ['type', 'namespace', 'displayName', 'description'] as const) {
    const value = declared[key];
    if (value !== undefined && value !== stored[key]) fields[key] = { from: stored[key], to: value };
  }
  return { metadata, fields };
}

export const hasChanges = (changes: AssetChanges): boolean =>
  Object.keys(changes.metadata).length > 0 || Object.keys(changes.fields).length > 0;

/** One line per change, for the CLI and Slack history: `valid_until 2026-05-01 → 2027-05-01`. */
export function describeChanges(changes: Partial<AssetChanges> | undefined): string[] {
  const show = (value: unknown) => (typeof value === 'string' ? value : JSON.stringify(value));
  const lines: string[] = [];
  for (const [name, change] of [...Object.entries(changes?.fields ?? {}), ...Object.entries(changes?.metadata ?? {})]) {
    lines.push('from' in change ? `${name} ${show(change.from)} → ${show(change.to)}` : `${name} = ${show(change.to)}`);
  }
  return lines;
}
