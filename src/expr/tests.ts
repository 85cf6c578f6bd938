/**
 * Pebble's `is` tests (Kestra docs, "Test"): defined, empty, even, odd, iterable, json, map,
 * null. `none` and `undefined` are kept for authors coming from Jinja/nunjucks.
 */
export type ExprTest = (value: unknown) => boolean;

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const asInteger = (value: unknown): number | undefined => {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  return typeof n === 'number' && Number.isInteger(n) ? n : undefined;
};

export const exprTests: Record<string, ExprTest> = {
  defined: (value) => value !== undefined,
  undefined: (value) => value === undefined,
  null: (value) => value === null || value === undefined,
  none: (value) => value === null || value === undefined,
  empty: (value) => {
    if (value === null || value === undefined) return true;
    if (typeof value === 'string' || Array.isArray(value)) return value.length === 0;
    if (isPlainObject(value)) return Object.keys(value).length === 0;
    return false;
  },
  even: (value) => {
    const n = asInteger(value);
    return n !== undefined && n % 2 === 0;
  },
  odd: (value) => {
    const n = asInteger(value);
    return n !== undefined && Math.abs(n % 2) === 1;
  },
  iterable: (value) => Array.isArray(value),
  map: (value) => isPlainObject(value),
  json: (value) => {
    if (typeof value !== 'string') return false;
    try {
      JSON.parse(value);
      return true;
    } catch {
      return false;
    }
  },
};
