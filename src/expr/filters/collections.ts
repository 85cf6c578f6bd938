import { defineFilter, exprError, type ExprFilter } from '../define.js';
import { deepEqual, intArg, isMap, isNullish, kindOf, listInput, show, stringArg, toText } from './values.js';

/**
 * Collection filters with Pebble's and Kestra's semantics. Unlike Pebble, none of them
 * mutates its input (Pebble's `sort` and `reverse` reorder the list in place).
 */

/** Pebble's `empty` test, which `default` relies on: null, blank strings, empty lists and maps. */
export function isPebbleEmpty(value: unknown): boolean {
  if (isNullish(value)) return true;
  if (typeof value === 'string') return value.trim() === '';
  if (Array.isArray(value)) return value.length === 0;
  if (isMap(value)) return Object.keys(value).length === 0;
  return false;
}

/** Java's natural ordering, which only compares values of the same kind. */
function compareNatural(name: string, a: unknown, b: unknown): number {
  const kind = kindOf(a);
  if (kind !== kindOf(b) || !['number', 'string', 'boolean', 'date'].includes(kind)) {
    throw exprError(`\`${name}\` can only order numbers, strings, booleans or dates of one kind, got ${show(a)} and ${show(b)}`);
  }
  const left = a instanceof Date ? a.getTime() : (a as number | string | boolean);
  const right = b instanceof Date ? b.getTime() : (b as number | string | boolean);
  return left < right ? -1 : left > right ? 1 : 0;
}

function sortedCopy(name: string, input: unknown, direction: 1 | -1): unknown {
  if (isNullish(input)) return null;
  return [...listInput(name, input)].sort((a, b) => direction * compareNatural(name, a, b));
}

function sliceIndex(name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw exprError(`\`slice\`: argument \`${name}\` must be a number, got ${kindOf(value)} ${show(value)}`);
  }
  return Math.trunc(value);
}

/** Pebble's slice: `toIndex` is exclusive, may not pass the end and must be greater than `fromIndex`. */
function slice(input: unknown, fromArg: unknown, toArg: unknown): unknown {
  if (isNullish(input)) return null;
  if (typeof input !== 'string' && !Array.isArray(input)) {
    throw exprError(`\`slice\` can only be applied to a string or a list, got ${kindOf(input)} ${show(input)}`);
  }
  const from = isNullish(fromArg) ? 0 : sliceIndex('fromIndex', fromArg);
  if (from < 0) throw exprError(`\`slice\`: fromIndex must be >= 0, got ${from}`);
  let to = input.length;
  if (!isNullish(toArg)) {
    to = sliceIndex('toIndex', toArg);
    if (to > input.length) throw exprError(`\`slice\`: toIndex ${to} is past the end of the input (length ${input.length})`);
    if (from >= to) throw exprError(`\`slice\`: toIndex (${to}) must be greater than fromIndex (${from})`);
  } else if (from > input.length) {
    throw exprError(`\`slice\`: fromIndex ${from} is past the end of the input (length ${input.length})`);
  }
  return input.slice(from, to);
}

/** Pebble's merge: the left-hand side decides the result type; a list merged into a map adds item→item entries. */
function merge(input: unknown, items: unknown): unknown {
  if (isNullish(input)) {
    if (isNullish(items)) throw exprError('`merge`: both values to merge are null');
    return items;
  }
  if (isNullish(items)) return input;
  if (isMap(input)) {
    if (isMap(items)) return { ...input, ...items };
    if (Array.isArray(items)) return { ...input, ...Object.fromEntries(items.map((item) => [toText(item), item])) };
  } else if (Array.isArray(input)) {
    if (Array.isArray(items)) return [...input, ...items];
    throw exprError(`\`merge\`: only a list can be merged into a list, got ${kindOf(items)} ${show(items)}`);
  } else {
    throw exprError(`\`merge\` can only be applied to a list or a map, got ${kindOf(input)} ${show(input)}`);
  }
  throw exprError(`\`merge\`: only a map or a list can be merged into a map, got ${kindOf(items)} ${show(items)}`);
}

/** `first` and `last` take a character of a string or an element of a list (null when empty). */
function endFilter(name: 'first' | 'last'): ExprFilter {
  return defineFilter({
    name,
    params: [],
    apply(input) {
      if (isNullish(input)) return null;
      if (typeof input === 'string') {
        if (input === '') throw exprError(`\`${name}\` cannot take a character of an empty string`);
        return name === 'first' ? input[0] : input[input.length - 1];
      }
      const list = listInput(name, input);
      if (list.length === 0) return null;
      return name === 'first' ? list[0] : list[list.length - 1];
    },
  });
}

export const collectionFilters: ExprFilter[] = [
  defineFilter({
    name: 'join',
    params: ['separator'],
    apply(input, args) {
      if (isNullish(input)) return null;
      const separator = isNullish(args.separator) ? '' : stringArg('join', 'separator', args.separator);
      return listInput('join', input).map(toText).join(separator);
    },
  }),
  endFilter('first'),
  endFilter('last'),
  defineFilter({
    name: 'length',
    params: [],
    // Pebble counts strings, lists and maps; anything else (including null) has length 0.
    apply(input) {
      if (typeof input === 'string' || Array.isArray(input)) return input.length;
      if (isMap(input)) return Object.keys(input).length;
      return 0;
    },
  }),
  defineFilter({
    name: 'default',
    params: ['default'],
    apply: (input, args) => (isPebbleEmpty(input) ? (args.default ?? null) : input),
  }),
  defineFilter({
    name: 'keys',
    params: [],
    apply(input) {
      if (isNullish(input)) return null;
      if (isMap(input)) return Object.keys(input);
      return listInput('keys', input).map((_, index) => index);
    },
  }),
  defineFilter({
    name: 'values',
    params: [],
    apply(input) {
      if (isNullish(input)) return null;
      if (!isMap(input)) throw exprError(`\`values\` can only be applied to a map, got ${kindOf(input)} ${show(input)}`);
      return Object.values(input);
    },
  }),
  defineFilter({ name: 'sort', params: [], apply: (input) => sortedCopy('sort', input, 1) }),
  defineFilter({ name: 'rsort', params: [], apply: (input) => sortedCopy('rsort', input, -1) }),
  defineFilter({
    name: 'reverse',
    params: [],
    apply(input) {
      if (isNullish(input)) return null;
      // Strings are reversed by code point so that surrogate pairs (emoji) stay intact.
      if (typeof input === 'string') return [...input].reverse().join('');
      return [...listInput('reverse', input)].reverse();
    },
  }),
  defineFilter({
    name: 'slice',
    params: ['fromIndex', 'toIndex'],
    apply: (input, args) => slice(input, args.fromIndex, args.toIndex),
  }),
  defineFilter({
    name: 'merge',
    params: ['items'],
    apply: (input, args) => merge(input, args.items),
  }),
  defineFilter({
    name: 'distinct',
    params: [],
    apply(input) {
      // Kestra returns the string "null" for a null input.
      if (isNullish(input)) return 'null';
      return listInput('distinct', input).filter((item, index, list) => list.findIndex((other) => deepEqual(item, other)) === index);
    },
  }),
  defineFilter({
    name: 'chunk',
    params: ['size'],
    apply(input, args) {
      if (isNullish(input)) return null;
      if (args.size === undefined) throw exprError('`chunk` expects an integer argument `size`');
      const size = intArg('chunk', 'size', args.size);
      if (size <= 0) throw exprError(`\`chunk\`: argument \`size\` must be greater than 0, got ${size}`);
      const list = listInput('chunk', input);
      const chunks: unknown[][] = [];
      for (let start = 0; start < list.length; start += size) chunks.push(list.slice(start, start + size));
      return chunks;
    },
  }),
  defineFilter({
    name: 'flatten',
    params: [],
    apply(input) {
      if (isNullish(input)) return null;
      // One level only, as Kestra's flatten.
      return listInput('flatten', input).flatMap((item) => (Array.isArray(item) ? item : [item]));
    },
  }),
];
