/**
 * Source-level normalisation of Pebble syntax that nunjucks' lexer cannot tokenise.
 *
 * nunjucks' lexer does not treat `?` as a delimiter, so `a??b` would lex as one symbol.
 * Inside `{{ … }}` and `{% … %}` (never inside string literals, comments or verbatim
 * blocks) we surround `?`, `??` and `???` with spaces so each becomes its own symbol, and
 * turn Pebble's `equals` operator into `==`. The parser extensions in syntax.ts then give
 * those symbols their meaning. Text outside tags is left untouched byte for byte.
 */
const VERBATIM_OPEN = /^\{%-?\s*(verbatim|raw)\s*-?%\}/;

export function normalizePebble(source: string): string {
  if (!source.includes('?') && !source.includes('equals')) return source;
  let out = '';
  let i = 0;
  while (i < source.length) {
    const verbatim = VERBATIM_OPEN.exec(source.slice(i, i + 40));
    if (verbatim) {
      const closing = new RegExp(`\\{%-?\\s*end${verbatim[1]}\\s*-?%\\}`).exec(source.slice(i));
      const end = closing ? i + closing.index + closing[0].length : source.length;
      out += source.slice(i, end);
      i = end;
      continue;
    }
    const pair = source.slice(i, i + 2);
    if (pair === '{#') {
      const end = source.indexOf('#}', i + 2);
      const stop = end === -1 ? source.length : end + 2;
      out += source.slice(i, stop);
      i = stop;
      continue;
    }
    if (pair === '{{' || pair === '{%') {
      const closer = pair === '{{' ? '}}' : '%}';
      const [tag, next] = normalizeTag(source, i + 2, closer);
      out += pair + tag;
      i = next;
      continue;
    }
    out += source[i];
    i += 1;
  }
  return out;
}

/** Rewrites one tag body starting at `start`; returns it (with its closer) and the index after it. */
function normalizeTag(source: string, start: number, closer: string): [string, number] {
  let out = '';
  let quote: string | null = null;
  let i = start;
  while (i < source.length) {
    const ch = source[i] as string;
    if (quote) {
      out += ch;
      if (ch === '\\' && i + 1 < source.length) {
        out += source[i + 1];
        i += 2;
        continue;
      }
      if (ch === quote) quote = null;
      i += 1;
      continue;
    }
    if (source.startsWith(closer, i)) return [out + closer, i + closer.length];
    if (ch === '"' || ch === "'") {
      quote = ch;
      out += ch;
      i += 1;
      continue;
    }
    if (ch === '?') {
      let run = 0;
      while (source[i + run] === '?') run += 1;
      out += ` ${'?'.repeat(Math.min(run, 3))} `;
      i += run;
      continue;
    }
    if (source.startsWith('equals', i) && !isWordChar(source[i - 1]) && !isWordChar(source[i + 6])) {
      out += '==';
      i += 6;
      continue;
    }
    out += ch;
    i += 1;
  }
  return [out, i];
}

const isWordChar = (ch: string | undefined): boolean => ch !== undefined && /[A-Za-z0-9_.]/.test(ch);
