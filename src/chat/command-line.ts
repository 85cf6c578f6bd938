/**
 * The words of a chat command line, as a person types them in Slack or the shell:
 * `run flow a=b note="two words" 'x=y z'`. Quotes group words (double, single, and the
 * typographic ones Slack clients substitute when "smart quotes" are on); a backslash escapes
 * a quote, a backslash or a space. A word whose unquoted text reads `key=value` (key shaped
 * like an input id) is a pair; any other word is positional.
 *
 * Values are data: nothing here (or downstream) ever renders them as templates.
 */
import { ErrorCode, PatchbayError } from '../errors.js';

export interface Token {
  /** The word with quotes and escapes removed. */
  text: string;
  /** Offsets into the line: `line.slice(start, end)` is the word as typed. */
  start: number;
  end: number;
  /** Some part of the word was quoted (so `""` is an empty word, not nothing). */
  quoted: boolean;
}

export interface CommandLine {
  tokens: Token[];
  /** Words that are not `key=value`, in order. */
  positionals: string[];
  /** `key=value` pairs by key (own, enumerable properties only). */
  pairs: Record<string, string>;
}

/** A USAGE error whose `details.column` (1-based) points at the problem. */
export class CommandLineError extends PatchbayError {
  constructor(message: string, readonly column: number) {
    super(ErrorCode.USAGE, `${message} at column ${column}`, { details: { column } });
  }
}

/** Opening quote → closing quote. Straight quotes close themselves. */
const QUOTES = new Map<string, string>([
  ['"', '"'],
  ["'", "'"],
  ['\u201C', '\u201D'], // “ ”
  ['\u2018', '\u2019'], // ‘ ’
]);
const SPACE = /\s/;
/** Same shape as a flow input id (see flow/input-schema.ts), so `__proto__=x` is never a pair. */
const PAIR = /^([a-zA-Z0-9][.a-zA-Z0-9_-]*)=([\s\S]*)$/;

export function tokenize(line: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < line.length) {
    if (SPACE.test(line[i]!)) {
      i += 1;
      continue;
    }
    const start = i;
    let text = '';
    let quoted = false;
    while (i < line.length && !SPACE.test(line[i]!)) {
      const ch = line[i]!;
      const close = QUOTES.get(ch);
      if (close !== undefined) {
        quoted = true;
        const opened = i;
        i += 1;
        for (;;) {
          if (i >= line.length) throw new CommandLineError(`unterminated ${ch} quote`, opened + 1);
          const inner = line[i]!;
          if (inner === '\\' && (line[i + 1] === close || line[i + 1] === '\\')) {
            text += line[i + 1];
            i += 2;
          } else if (inner === close) {
            i += 1;
            break;
          } else {
            text += inner;
            i += 1;
          }
        }
      } else if (ch === '\\' && i + 1 < line.length && (QUOTES.has(line[i + 1]!) || line[i + 1] === '\\' || SPACE.test(line[i + 1]!))) {
        // Only these escapes: `C:\temp` keeps its backslash.
        text += line[i + 1];
        i += 2;
      } else {
        text += ch;
        i += 1;
      }
    }
    tokens.push({ text, start, end: i, quoted });
  }
  return tokens;
}

/** Splits a line into positionals and pairs; a key given twice is an error naming both places. */
export function parseCommandLine(line: string): CommandLine {
  const tokens = tokenize(line);
  const positionals: string[] = [];
  const pairs: Record<string, string> = {};
  const seenAt = new Map<string, number>();
  for (const token of tokens) {
    const match = PAIR.exec(token.text);
    if (!match) {
      positionals.push(token.text);
      continue;
    }
    const [, key, value] = match as unknown as [string, string, string];
    const first = seenAt.get(key);
    if (first !== undefined) throw new CommandLineError(`\`${key}\` is given twice (first at column ${first + 1})`, token.start + 1);
    seenAt.set(key, token.start);
    // Defined, not assigned: a key such as `constructor` must stay a plain own property.
    Object.defineProperty(pairs, key, { value, enumerable: true, writable: true, configurable: true });
  }
  return { tokens, positionals, pairs };
}

/** The rest of `line` after `token`, as typed (for free text such as a reason). */
export function restAfter(line: string, token: Token | undefined): string {
  return token ? line.slice(token.end).trim() : line.trim();
}

/** Quotes a value so that `tokenize` reads it back as one word (for `run` lines shown to people). */
export function quoteWord(value: string): string {
  if (value !== '' && !/[\s"'\\\u201C\u201D\u2018\u2019]/.test(value)) return value;
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}
