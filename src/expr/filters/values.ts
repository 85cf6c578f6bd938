import { exprError } from '../define.js';

/**
 * Value helpers shared by the filter and function library. Expression values are the JSON
 * model (null, boolean, number, string, list, map) plus JS Dates; `undefined` is what an
 * absent variable or argument looks like and is treated as Pebble's null.
 */
export type ExprMap = Record<string, unknown>;

export const isMap = (value: unknown): value is ExprMap =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);

export const isNullish = (value: unknown): value is null | undefined => value === null || value === undefined;

/** A short, printable rendering of a value for error messages (never the whole payload). */
export function show(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  if (typeof value === 'function') return 'a function';
  let text: string;
  try {
    text = value instanceof Date ? value.toISOString() : (JSON.stringify(value) ?? String(value));
  } catch {
    text = String(value);
  }
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** The kind of a value, named as flow authors think of it. */
export function kindOf(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return 'list';
  if (value instanceof Date) return 'date';
  if (typeof value === 'object') return 'map';
  return typeof value;
}

/**
 * String conversion used where Pebble calls `toString()` or `String.valueOf()` on a value:
 * null prints as `null` (as Java does), lists and maps print as compact JSON, which is also
 * how the rest of Patchbay renders structured values.
 */
export function toText(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return value;
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** The input of a filter that only accepts strings, as Pebble's `(String) input` casts do. */
export function stringInput(owner: string, input: unknown): string {
  if (typeof input !== 'string') {
    throw exprError(`\`${owner}\` expects a string, got ${kindOf(input)} ${show(input)}`);
  }
  return input;
}

export function listInput(owner: string, input: unknown): unknown[] {
  if (!Array.isArray(input)) {
    throw exprError(`\`${owner}\` expects a list, got ${kindOf(input)} ${show(input)}`);
  }
  return input;
}

export function stringArg(owner: string, name: string, value: unknown): string {
  if (typeof value !== 'string') {
    throw exprError(`\`${owner}\`: argument \`${name}\` must be a string, got ${kindOf(value)} ${show(value)}`);
  }
  return value;
}

/** An integer argument; Pebble passes integer literals as Long and casts them, so fractions are refused. */
export function intArg(owner: string, name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw exprError(`\`${owner}\`: argument \`${name}\` must be an integer, got ${kindOf(value)} ${show(value)}`);
  }
  return value;
}

export function booleanArg(owner: string, name: string, value: unknown): boolean {
  if (typeof value !== 'boolean') {
    throw exprError(`\`${owner}\`: argument \`${name}\` must be true or false, got ${kindOf(value)} ${show(value)}`);
  }
  return value;
}

/** Structural equality as Java's `equals` on lists and maps (used by `distinct`). */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (Object.is(a, b) || (a === 0 && b === 0)) return true;
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((item, index) => deepEqual(item, b[index]));
  }
  if (isMap(a) && isMap(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((key) => Object.hasOwn(b, key) && deepEqual(a[key], b[key]));
  }
  return false;
}
