/**
 * Tokens of the OData `$filter` subset Prism Central accepts. Positions are 1-based character
 * offsets into the filter text, so error messages point where an operator would look.
 */

export class ODataError extends Error {
  constructor(
    /** The query option at fault: `$filter`, `$orderby`, `$select`, `$page`, `$limit`. */
    readonly option: string,
    message: string,
    readonly position?: number,
  ) {
    super(`${option}: ${message}`);
    this.name = 'ODataError';
  }
}

export type Token =
  | { type: 'string'; value: string; pos: number; enumType?: string }
  | { type: 'number'; value: number; pos: number; text: string }
  | { type: 'ident'; value: string; pos: number }
  | { type: '(' | ')' | ',' | ':' | '/'; pos: number }
  | { type: 'eof'; pos: number };

const IDENT_START = /[A-Za-z_$]/;
const IDENT_PART = /[A-Za-z0-9_$.]/;

export function describeToken(token: Token): string {
  switch (token.type) {
    case 'eof':
      return 'the end of the filter';
    case 'string':
      return `'${token.value}'`;
    case 'number':
      return token.text;
    case 'ident':
      return `'${token.value}'`;
    default:
      return `'${token.type}'`;
  }
}

export function tokenize(text: string, option = '$filter'): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const char = text[i]!;
    const pos = i + 1;
    if (/\s/.test(char)) {
      i += 1;
    } else if ('(),:/'.includes(char)) {
      tokens.push({ type: char as '(' | ')' | ',' | ':' | '/', pos });
      i += 1;
    } else if (char === "'") {
      const [value, end] = readString(text, i, option);
      tokens.push({ type: 'string', value, pos });
      i = end;
    } else if (/[0-9]/.test(char) || (char === '-' && /[0-9]/.test(text[i + 1] ?? ''))) {
      const match = /^-?\d+(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i))!;
      tokens.push({ type: 'number', value: Number(match[0]), pos, text: match[0] });
      i += match[0].length;
    } else if (IDENT_START.test(char)) {
      let end = i + 1;
      while (end < text.length && IDENT_PART.test(text[end]!)) end += 1;
      const word = text.slice(i, end);
      if (text[end] === "'") {
        // A typed enum literal such as Vmm.Ahv.Config.PowerState'ON' (what the SDKs send): its value is the string.
        const [value, after] = readString(text, end, option);
        tokens.push({ type: 'string', value, pos, enumType: word });
        i = after;
      } else {
        tokens.push({ type: 'ident', value: word, pos });
        i = end;
      }
    } else {
      throw new ODataError(option, `unexpected character '${char}' at position ${pos}`, pos);
    }
  }
  tokens.push({ type: 'eof', pos: text.length + 1 });
  return tokens;
}

/** A quoted string starting at `start` (the opening quote); `''` is an escaped quote. */
function readString(text: string, start: number, option: string): [string, number] {
  let value = '';
  let i = start + 1;
  for (;;) {
    if (i >= text.length) throw new ODataError(option, `unterminated string starting at position ${start + 1}`, start + 1);
    const char = text[i]!;
    if (char === "'") {
      if (text[i + 1] === "'") {
        value += "'";
        i += 2;
        continue;
      }
      return [value, i + 1];
    }
    value += char;
    i += 1;
  }
}
