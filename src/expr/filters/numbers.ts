import { defineFilter, exprError, type ExprFilter } from '../define.js';
import { formatDecimal } from './decimal-format.js';
import { intArg, isNullish, kindOf, show, stringArg, stringInput } from './values.js';

/**
 * Number filters. Patchbay expressions have one number type (IEEE double), so Kestra's
 * `number('LONG')` and friends validate the text against the Java type's syntax and range and
 * then return a plain number; integers beyond 2^53 are refused rather than silently rounded.
 */
const NUMBER_TYPES = ['INT', 'LONG', 'FLOAT', 'DOUBLE', 'BIGDECIMAL', 'BIGINTEGER'] as const;
type NumberType = (typeof NUMBER_TYPES)[number];

/** Java's `Integer.decode`/`Long.decode` syntax: decimal, `0x`/`#` hex, or a leading `0` for octal. */
const DECODE = /^([+-]?)(?:(?:0[xX]|#)([0-9a-fA-F]+)|0([0-7]+)|([1-9][0-9]*|0))$/;
/** `Float.valueOf`/`Double.valueOf` syntax (after Java's trim), without hexadecimal floats. */
const JAVA_FLOAT = /^[+-]?(?:NaN|Infinity|(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?[fFdD]?)$/;
/** `new BigDecimal(String)` syntax. */
const BIG_DECIMAL = /^[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$/;

const INT_MAX = 2 ** 31 - 1;
const INT_MIN = -(2 ** 31);

function invalid(text: string, type: string): never {
  throw exprError(`\`number\`: ${show(text)} is not a valid ${type}`);
}

function decodeInteger(text: string, type: string): number {
  const match = DECODE.exec(text);
  if (!match) invalid(text, type);
  const [, sign, hex, octal, decimal] = match;
  const magnitude = hex !== undefined ? BigInt(`0x${hex}`) : octal !== undefined ? BigInt(`0o${octal}`) : BigInt(decimal as string);
  const value = sign === '-' ? -magnitude : magnitude;
  if (type === 'INT' && (value > BigInt(INT_MAX) || value < BigInt(INT_MIN))) invalid(text, type);
  if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER)) {
    throw exprError(`\`number\`: ${show(text)} is too large for Patchbay's numbers (integers are exact up to 2^53)`);
  }
  return Number(value);
}

/** Apache Commons `NumberUtils.createNumber`, which `number` uses when no type is given. */
function createNumber(text: string): number {
  if (text.trim() === '') throw exprError('`number`: a blank string is not a number');
  if (/^[+-]?(0[xX]|#)/.test(text)) return decodeInteger(text, 'number');
  const qualifier = /[lLfFdD]$/.test(text) ? (text.at(-1) as string) : '';
  const body = qualifier ? text.slice(0, -1) : text;
  if (qualifier === 'l' || qualifier === 'L') return decodeInteger(body, 'number');
  if (qualifier !== '' || /[.eE]/.test(body)) {
    if (!BIG_DECIMAL.test(body)) invalid(text, 'number');
    return Number(body);
  }
  return decodeInteger(body, 'number');
}

function parseNumber(text: string, type: NumberType | undefined): number {
  switch (type) {
    case undefined:
      return createNumber(text);
    case 'INT':
    case 'LONG':
    case 'BIGINTEGER':
      return decodeInteger(text, type);
    case 'FLOAT':
    case 'DOUBLE': {
      // Java's Float.valueOf trims control characters and spaces first.
      const trimmed = text.replace(/^[\u0000-\u0020]+|[\u0000-\u0020]+$/g, '');
      if (!JAVA_FLOAT.test(trimmed)) invalid(text, type);
      return Number(trimmed.replace(/[fFdD]$/, ''));
    }
    case 'BIGDECIMAL':
      if (!BIG_DECIMAL.test(text)) invalid(text, type);
      return Number(text);
  }
}

/** Moves the decimal point through the exponent so that rounding to `precision` places is exact in decimal. */
function shift(value: number, places: number): number {
  const [mantissa, exponent = '0'] = String(value).split('e');
  return Number(`${mantissa}e${Number(exponent) + places}`);
}

const ROUNDERS: Record<string, (value: number) => number> = {
  common: (value) => Math.sign(value) * Math.round(Math.abs(value)),
  ceil: Math.ceil,
  floor: Math.floor,
};

export const numberFilters: ExprFilter[] = [
  defineFilter({
    name: 'abs',
    params: [],
    apply(input) {
      if (isNullish(input)) throw exprError('`abs` cannot be applied to null');
      if (typeof input !== 'number') throw exprError(`\`abs\` expects a number, got ${kindOf(input)} ${show(input)}`);
      return Math.abs(input);
    },
  }),
  defineFilter({
    name: 'number',
    params: ['type'],
    apply(input, args) {
      if (isNullish(input)) return null;
      const text = stringInput('number', input);
      let type: NumberType | undefined;
      if (!isNullish(args.type) && args.type !== '') {
        const name = stringArg('number', 'type', args.type);
        if (!(NUMBER_TYPES as readonly string[]).includes(name)) {
          throw exprError(`\`number\`: unknown type ${show(name)}; expected one of ${NUMBER_TYPES.join(', ')}`);
        }
        type = name as NumberType;
      }
      return parseNumber(text, type);
    },
  }),
  defineFilter({
    // Not a Pebble/Kestra filter: nunjucks' and Twig's `round`, kept for flows written for them.
    name: 'round',
    params: ['precision', 'method'],
    apply(input, args) {
      if (isNullish(input)) return null;
      if (typeof input !== 'number') throw exprError(`\`round\` expects a number, got ${kindOf(input)} ${show(input)}`);
      const precision = args.precision === undefined ? 0 : intArg('round', 'precision', args.precision);
      const method = args.method === undefined ? 'common' : stringArg('round', 'method', args.method);
      const rounder = ROUNDERS[method];
      if (!rounder) throw exprError(`\`round\`: unknown method ${show(method)}; expected common, ceil or floor`);
      if (!Number.isFinite(input)) return input;
      // `+ 0` turns the -0 that rounding a small negative number gives into 0.
      return shift(rounder(shift(input, precision)), -precision) + 0;
    },
  }),
  ...['numberformat', 'numberFormat'].map((name) =>
    // Pebble registers `numberformat`; Kestra's documentation spells it `numberFormat`.
    defineFilter({
      name,
      params: ['format'],
      apply(input, args) {
        if (isNullish(input)) return null;
        if (typeof input !== 'number') throw exprError(`\`${name}\` expects a number, got ${kindOf(input)} ${show(input)}`);
        return formatDecimal(input, isNullish(args.format) ? undefined : stringArg(name, 'format', args.format));
      },
    }),
  ),
];
