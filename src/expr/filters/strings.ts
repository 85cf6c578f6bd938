import { defineFilter, exprError, type ExprFilter } from '../define.js';
import { intArg, isNullish, kindOf, show, stringArg, stringInput, toText } from './values.js';

/**
 * String filters with Pebble's and Kestra's semantics, which differ from nunjucks' built-ins
 * of the same name (e.g. `capitalize` leaves the rest of the string alone, `trim` strips only
 * ASCII control characters and spaces as Java's `String.trim` does).
 */

/** Java's `Character.isWhitespace`: Unicode spaces except the no-break ones, plus ASCII separators. */
const JAVA_WHITESPACE = /[\t\n\u000B\f\r\u001C-\u001F \u1680\u2000-\u2006\u2008-\u200A\u2028\u2029\u205F\u3000]/;

/** Java's `Character.toTitleCase` for one UTF-16 unit: a case mapping that would change the length is skipped. */
function titleCase(char: string): string {
  const upper = char.toUpperCase();
  return upper.length === 1 ? upper : char;
}

/** Kestra's `Slugify.of`: whitespace becomes `-`, accents are dropped, anything else outside [A-Za-z0-9_-] is removed. */
function slugify(text: string): string {
  let slug = text
    .replace(/[ \t\n\u000B\f\r]/g, '-')
    .normalize('NFD')
    .replace(/[^A-Za-z0-9_-]/g, '')
    .replace(/_/g, '-');
  while (slug.includes('--')) slug = slug.replace(/--/g, '-');
  if (slug.startsWith('-')) slug = slug.slice(1);
  if (slug.endsWith('-')) slug = slug.slice(0, -1);
  return slug.toLowerCase();
}

/** Pebble's abbreviate, including its quirk that a string exactly `length` long is still abbreviated. */
function abbreviate(text: string, maxWidth: number): string {
  if (text.length < maxWidth || text.length <= 3) return text;
  if (maxWidth <= 3) return text.slice(0, maxWidth);
  return `${text.slice(0, maxWidth - 3)}...`;
}

/** Kestra's indent filters detect the input's own line separator, defaulting to LF. */
function lineSeparator(text: string): string {
  for (const separator of ['\r\n', '\n\r', '\n', '\r']) if (text.includes(separator)) return separator;
  return '\n';
}

function indentFilter(name: 'indent' | 'nindent'): ExprFilter {
  return defineFilter({
    name,
    params: ['amount', 'prefix'],
    apply(input, args) {
      if (isNullish(input)) return null;
      const text = toText(input);
      if (text === '') return text;
      if (args.amount === undefined) throw exprError(`\`${name}\` expects an integer argument \`amount\``);
      const amount = intArg(name, 'amount', args.amount);
      if (amount < 0) throw exprError(`\`${name}\`: argument \`amount\` must be >= 0, got ${amount}`);
      const prefix = args.prefix === undefined ? ' ' : stringArg(name, 'prefix', args.prefix);
      const newLine = lineSeparator(text);
      const source = name === 'nindent' ? newLine + text : text;
      return source.split(newLine).join(newLine + prefix.repeat(amount));
    },
  });
}

type Substring = (text: string, separator: string | null) => string;

/** The four Apache Commons `StringUtils.substring*` helpers Kestra exposes, with their edge cases. */
const SUBSTRINGS: Record<string, Substring> = {
  substringBefore: (text, separator) => {
    if (text === '' || separator === null) return text;
    const index = text.indexOf(separator);
    return index === -1 ? text : text.slice(0, index);
  },
  substringAfter: (text, separator) => {
    if (text === '') return text;
    if (separator === null) return '';
    const index = text.indexOf(separator);
    return index === -1 ? '' : text.slice(index + separator.length);
  },
  substringBeforeLast: (text, separator) => {
    if (text === '' || !separator) return text;
    const index = text.lastIndexOf(separator);
    return index === -1 ? text : text.slice(0, index);
  },
  substringAfterLast: (text, separator) => {
    if (text === '') return text;
    if (!separator) return '';
    const index = text.lastIndexOf(separator);
    return index === -1 ? '' : text.slice(index + separator.length);
  },
};

const substringFilters = Object.entries(SUBSTRINGS).map(([name, substring]) =>
  defineFilter({
    name,
    params: ['separator'],
    apply(input, args) {
      if (isNullish(input)) return null;
      if (args.separator === undefined) throw exprError(`\`${name}\` expects an argument \`separator\``);
      const separator = args.separator === null ? null : stringArg(name, 'separator', args.separator);
      return substring(toText(input), separator);
    },
  }),
);

function affixFilter(name: 'startsWith' | 'endsWith'): ExprFilter {
  return defineFilter({
    name,
    params: ['value'],
    apply(input, args) {
      if (isNullish(input)) throw exprError(`\`${name}\` cannot be applied to null`);
      if (isNullish(args.value)) throw exprError(`\`${name}\` expects an argument \`value\``);
      const text = toText(input);
      const affix = toText(args.value);
      return name === 'startsWith' ? text.startsWith(affix) : text.endsWith(affix);
    },
  });
}

export const stringFilters: ExprFilter[] = [
  defineFilter({
    name: 'slugify',
    params: [],
    apply: (input) => (isNullish(input) ? null : slugify(toText(input))),
  }),
  defineFilter({
    name: 'upper',
    params: [],
    apply: (input) => (isNullish(input) ? null : toText(input).toUpperCase()),
  }),
  defineFilter({
    name: 'lower',
    params: [],
    apply: (input) => (isNullish(input) ? null : toText(input).toLowerCase()),
  }),
  defineFilter({
    name: 'title',
    params: [],
    apply(input) {
      if (isNullish(input)) return null;
      let capitalizeNext = true;
      return [...stringInput('title', input)]
        .map((char) => {
          if (JAVA_WHITESPACE.test(char)) {
            capitalizeNext = true;
            return char;
          }
          if (!capitalizeNext) return char;
          capitalizeNext = false;
          return titleCase(char);
        })
        .join('');
    },
  }),
  defineFilter({
    name: 'capitalize',
    params: [],
    apply(input) {
      if (isNullish(input)) return null;
      const text = stringInput('capitalize', input);
      const index = [...text].findIndex((char) => !JAVA_WHITESPACE.test(char));
      if (index === -1) return text;
      const chars = [...text];
      chars[index] = titleCase(chars[index] as string);
      return chars.join('');
    },
  }),
  defineFilter({
    name: 'trim',
    params: [],
    apply: (input) => (isNullish(input) ? null : stringInput('trim', input).replace(/^[\u0000-\u0020]+|[\u0000-\u0020]+$/g, '')),
  }),
  defineFilter({
    name: 'abbreviate',
    params: ['length'],
    apply(input, args) {
      if (isNullish(input)) return null;
      const text = stringInput('abbreviate', input);
      if (args.length === undefined) throw exprError('`abbreviate` expects an integer argument `length`');
      const length = intArg('abbreviate', 'length', args.length);
      if (length < 0) throw exprError(`\`abbreviate\`: argument \`length\` must be >= 0, got ${length}`);
      return abbreviate(text, length);
    },
  }),
  ...substringFilters,
  affixFilter('startsWith'),
  affixFilter('endsWith'),
  defineFilter({
    name: 'string',
    params: [],
    apply(input) {
      if (isNullish(input)) return null;
      if (typeof input === 'function') throw exprError(`\`string\` cannot convert ${kindOf(input)} ${show(input)}`);
      return toText(input);
    },
  }),
  indentFilter('indent'),
  indentFilter('nindent'),
];
