/**
 * Kestra's truthiness, shared by runIf, If, Fail, Assert and the planner. Kestra compares the
 * rendered text against "false", "0", "-0" and ""; typed rendering gives us the value itself,
 * so the same rule is stated for values: false, 0 (and -0, NaN), null/undefined, '' and the
 * strings 'false', '0', '-0' (trimmed, any case) are false; everything else is true, empty
 * lists and maps included (Kestra renders those to "[]" and "{}", which are true).
 */
const FALSE_TEXT = new Set(['false', '0', '-0', '']);

export function isTruthy(value: unknown): boolean {
  if (value === null || value === undefined || value === false) return false;
  if (typeof value === 'number') return value !== 0 && !Number.isNaN(value);
  if (typeof value === 'bigint') return value !== 0n;
  if (typeof value === 'string') return !FALSE_TEXT.has(value.trim().toLowerCase());
  return true;
}
