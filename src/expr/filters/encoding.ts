import { createHash } from 'node:crypto';
import { stringify as toYaml } from 'yaml';
import { defineFilter, exprError, type ExprFilter } from '../define.js';
import { isNullish, kindOf, show, stringInput } from './values.js';

/** Encoding, hashing and serialisation filters, with Java's encoders' exact output. */

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * Java's `URLEncoder.encode(s, UTF-8)` (form encoding): letters, digits and `.-*_` stay, a space
 * becomes `+`, everything else is %-encoded UTF-8 with upper-case hex. Java encodes a lone
 * surrogate as `?`, which `encodeURIComponent` would reject.
 */
function urlEncode(text: string): string {
  return encodeURIComponent(text.replace(LONE_SURROGATE, '?'))
    .replace(/[!'()~]/g, (char) => `%${(char.codePointAt(0) as number).toString(16).toUpperCase()}`)
    .replace(/%20/g, '+');
}

/** Java's `URLDecoder.decode(s, UTF-8)`: `+` is a space, malformed `%` escapes are errors, bad UTF-8 becomes U+FFFD. */
function urlDecode(text: string): string {
  const decoder = new TextDecoder('utf-8');
  return text.replace(/\+/g, ' ').replace(/(?:%[\s\S]{0,2})+/g, (run) => {
    const bytes: number[] = [];
    for (let i = 0; i < run.length; i += 3) {
      const hex = run.slice(i + 1, i + 3);
      if (!/^[0-9a-fA-F]{2}$/.test(hex)) throw exprError(`\`urldecode\`: illegal escape ${show(run.slice(i, i + 3))} in ${show(text)}`);
      bytes.push(parseInt(hex, 16));
    }
    return decoder.decode(new Uint8Array(bytes));
  });
}

/** Java's basic Base64 decoder: the standard alphabet, padding optional, nothing else allowed. */
function base64Decode(text: string): string {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.replace(/=+$/, '').length % 4 === 1 || (text.includes('=') && text.length % 4 !== 0)) {
    throw exprError(`\`base64decode\`: ${show(text)} is not valid Base64`);
  }
  return Buffer.from(text, 'base64').toString('utf8');
}

function hashFilter(name: string, algorithm: string): ExprFilter {
  return defineFilter({
    name,
    params: [],
    apply(input) {
      if (isNullish(input)) return null;
      return createHash(algorithm).update(stringInput(name, input), 'utf8').digest('hex');
    },
  });
}

/** Compact JSON as Kestra's Jackson mapper writes it; null (and an absent value) is the text `null`. */
function toJson(name: string, input: unknown): string {
  if (isNullish(input)) return 'null';
  if (typeof input === 'function' || typeof input === 'symbol') throw exprError(`\`${name}\` cannot serialise ${kindOf(input)}`);
  try {
    return JSON.stringify(input) ?? 'null';
  } catch (error) {
    throw exprError(`\`${name}\` cannot serialise ${show(input)}: ${(error as Error).message}`);
  }
}

export const encodingFilters: ExprFilter[] = [
  defineFilter({
    name: 'urlencode',
    params: [],
    apply: (input) => (isNullish(input) ? null : urlEncode(stringInput('urlencode', input))),
  }),
  defineFilter({
    name: 'urldecode',
    params: [],
    apply: (input) => (isNullish(input) ? null : urlDecode(stringInput('urldecode', input))),
  }),
  defineFilter({
    name: 'base64encode',
    params: [],
    apply: (input) => (isNullish(input) ? null : Buffer.from(stringInput('base64encode', input), 'utf8').toString('base64')),
  }),
  defineFilter({
    name: 'base64decode',
    params: [],
    apply: (input) => (isNullish(input) ? null : base64Decode(stringInput('base64decode', input))),
  }),
  hashFilter('md5', 'md5'),
  hashFilter('sha1', 'sha1'),
  hashFilter('sha256', 'sha256'),
  hashFilter('sha512', 'sha512'),
  defineFilter({ name: 'toJson', params: [], apply: (input) => toJson('toJson', input) }),
  // `json` is the name the filter had before Kestra 0.18; Kestra still accepts it.
  defineFilter({ name: 'json', params: [], apply: (input) => toJson('json', input) }),
  defineFilter({
    name: 'yaml',
    params: [],
    // Kestra's `yaml` filter serialises a value to YAML (the `yaml()` function parses), without line folding.
    // YAML 1.1 quoting, because Kestra's own YAML reader (SnakeYAML) would read a bare `yes` as true.
    apply(input) {
      if (isNullish(input)) return 'null';
      if (typeof input === 'function' || typeof input === 'symbol') throw exprError(`\`yaml\` cannot serialise ${kindOf(input)}`);
      return toYaml(input, { lineWidth: 0, version: '1.1' });
    },
  }),
];
