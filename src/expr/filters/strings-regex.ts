import { defineFilter, exprError, type ExprFilter } from '../define.js';
import { javaRegex, javaReplacer } from './java-regex.js';
import { booleanArg, intArg, isMap, isNullish, kindOf, show, stringInput, toText, type ExprMap } from './values.js';

/**
 * `replace` and `split`, the two string filters whose arguments Kestra treats as Java regular
 * expressions (`split` always, `replace` with `regexp=true`).
 */

type Pairs = [string, string][];

function replaceString(text: string, pairs: Pairs, regexp: boolean): string {
  // Pairs apply one after the other, each on the previous result, as Kestra's loop does.
  return pairs.reduce((data, [search, replacement]) => {
    if (!regexp) return data.replaceAll(search, () => replacement);
    const regex = javaRegex('replace', search, true);
    return data.replace(regex, javaReplacer('replace', regex, replacement));
  }, text);
}

/** Kestra also replaces inside lists and maps, recursively, turning non-string leaves into strings. */
function replaceDeep(value: unknown, pairs: Pairs, regexp: boolean): unknown {
  if (Array.isArray(value)) return value.map((item) => replaceDeep(item, pairs, regexp));
  if (isMap(value)) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, replaceDeep(item, pairs, regexp)]));
  }
  return replaceString(toText(value), pairs, regexp);
}

/**
 * Java's `String.split(regex, limit)`: a zero-width match at the start yields no leading empty
 * string, a positive limit caps the number of parts (the last keeps the rest), zero drops
 * trailing empty strings and a negative limit keeps them; no match at all yields the input.
 */
function javaSplit(text: string, regex: RegExp, limit: number): string[] {
  const parts: string[] = [];
  let index = 0;
  for (const match of text.matchAll(regex)) {
    const start = match.index;
    const end = start + match[0].length;
    if (limit > 0 && parts.length >= limit - 1) break;
    if (index === 0 && start === 0 && end === 0) continue;
    parts.push(text.slice(index, start));
    index = end;
  }
  if (index === 0) return [text];
  parts.push(text.slice(index));
  if (limit === 0) while (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
  return parts;
}

export const regexStringFilters: ExprFilter[] = [
  defineFilter({
    name: 'replace',
    params: ['replace_pairs', 'regexp'],
    apply(input, args) {
      if (isNullish(input)) return null;
      const pairsArg = args.replace_pairs;
      let pairs: Pairs;
      let regexp = false;
      if (typeof pairsArg === 'string') {
        // The two-string form `replace('a', 'b')` that Twig and nunjucks users write.
        if (typeof args.regexp !== 'string') {
          throw exprError(`\`replace\`: with a search string ${show(pairsArg)} the second argument must be its replacement string, got ${show(args.regexp)}`);
        }
        pairs = [[pairsArg, args.regexp]];
      } else if (isMap(pairsArg)) {
        pairs = Object.entries(pairsArg as ExprMap).map(([search, replacement]) => [search, toText(replacement)]);
        regexp = args.regexp === undefined ? false : booleanArg('replace', 'regexp', args.regexp);
      } else if (isNullish(pairsArg)) {
        throw exprError("`replace` expects a map of replacements, e.g. replace({'old': 'new'})");
      } else {
        throw exprError(`\`replace\`: argument \`replace_pairs\` must be a map, got ${kindOf(pairsArg)} ${show(pairsArg)}`);
      }
      return replaceDeep(input, pairs, regexp);
    },
  }),
  defineFilter({
    name: 'split',
    params: ['delimiter', 'limit'],
    apply(input, args) {
      if (isNullish(input)) return null;
      const text = stringInput('split', input);
      if (typeof args.delimiter !== 'string') {
        throw exprError(`\`split\` expects a string argument \`delimiter\` (a Java regular expression), got ${show(args.delimiter)}`);
      }
      const limit = args.limit === undefined ? 0 : intArg('split', 'limit', args.limit);
      return javaSplit(text, javaRegex('split', args.delimiter, true), limit);
    },
  }),
];
