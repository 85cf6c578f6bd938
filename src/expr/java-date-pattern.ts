import { exprError } from './define.js';

/**
 * Tokenizer for `java.time.format.DateTimeFormatter.ofPattern` patterns, shared by the
 * formatter and the parser. Letters are fields (`yyyy`, `MMM`), `'text'` is a literal (`''`
 * is a quote), `[` `]` delimit optional sections, and any other character is itself.
 */
export type PatternToken =
  | { kind: 'field'; letter: string; count: number }
  | { kind: 'literal'; text: string }
  | { kind: 'optionalStart' }
  | { kind: 'optionalEnd' };

/** The most letters Java accepts for each supported field; `V` must be exactly `VV`. */
const MAX_COUNT: Record<string, number> = {
  G: 5, u: 19, y: 19, Y: 19, Q: 5, q: 5, M: 5, L: 5, w: 2, d: 2, D: 3, E: 5, a: 1,
  h: 2, K: 2, k: 2, H: 2, m: 2, s: 2, S: 9, n: 19, A: 19, N: 19, V: 2, z: 4, O: 4, X: 5, x: 5, Z: 5,
};

/** Letters Java knows but Patchbay's formatter does not implement. */
const UNSUPPORTED = new Set(['B', 'c', 'e', 'F', 'g', 'v', 'W', 'p']);

function checkField(owner: string, pattern: string, letter: string, count: number): void {
  const max = MAX_COUNT[letter];
  if (max === undefined) {
    const reason = UNSUPPORTED.has(letter) ? 'is not supported' : 'is not a pattern letter';
    throw exprError(`\`${owner}\`: '${letter}' ${reason} in date pattern ${JSON.stringify(pattern)} (quote literal text: 'T')`);
  }
  const invalid = count > max || (letter === 'V' && count !== 2) || (letter === 'O' && count !== 1 && count !== 4);
  if (invalid) throw exprError(`\`${owner}\`: invalid number of '${letter}' letters (${count}) in date pattern ${JSON.stringify(pattern)}`);
}

export function tokenizePattern(owner: string, pattern: string): PatternToken[] {
  const tokens: PatternToken[] = [];
  let depth = 0;
  const literal = (text: string): void => {
    const last = tokens[tokens.length - 1];
    if (last?.kind === 'literal') last.text += text;
    else tokens.push({ kind: 'literal', text });
  };
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern[i] as string;
    if (/[A-Za-z]/.test(char)) {
      let count = 1;
      while (pattern[i + count] === char) count++;
      checkField(owner, pattern, char, count);
      tokens.push({ kind: 'field', letter: char, count });
      i += count - 1;
    } else if (char === "'") {
      let text = '';
      let j = i + 1;
      for (; j < pattern.length; j++) {
        if (pattern[j] !== "'") text += pattern[j];
        else if (pattern[j + 1] === "'") text += pattern[++j];
        else break;
      }
      if (j >= pattern.length) throw exprError(`\`${owner}\`: unterminated quote in date pattern ${JSON.stringify(pattern)}`);
      literal(j === i + 1 ? "'" : text);
      i = j;
    } else if (char === '[') {
      depth++;
      tokens.push({ kind: 'optionalStart' });
    } else if (char === ']') {
      if (depth === 0) throw exprError(`\`${owner}\`: ']' without '[' in date pattern ${JSON.stringify(pattern)}`);
      depth--;
      tokens.push({ kind: 'optionalEnd' });
    } else if ('{}#'.includes(char)) {
      throw exprError(`\`${owner}\`: '${char}' is reserved in date pattern ${JSON.stringify(pattern)}`);
    } else {
      literal(char);
    }
  }
  for (; depth > 0; depth--) tokens.push({ kind: 'optionalEnd' });
  return tokens;
}
