import { maskSecrets } from '../secrets.js';

/**
 * Masks secret values in every string of a JSON-like value (outputs, flowable data) so a
 * secret revealed while rendering is never stored or shown in clear.
 */
export function maskDeep(value: unknown, secrets: ReadonlySet<string> | readonly string[]): unknown {
  const list = [...secrets];
  if (list.length === 0) return value;
  const walk = (item: unknown): unknown => {
    if (typeof item === 'string') return maskSecrets(item, list);
    if (Array.isArray(item)) return item.map(walk);
    if (item && typeof item === 'object') {
      return Object.fromEntries(Object.entries(item).map(([key, entry]) => [maskSecrets(key, list), walk(entry)]));
    }
    return item;
  };
  return walk(value);
}
