/**
 * The parser of the guests' small shell. It covers what patch flows send (commands joined by
 * newlines, `;`, `&&`, `||`, quotes, `$VAR`, `VAR=value cmd`, `>/dev/null`, `2>&1`, `>&2`)
 * and refuses the rest (pipes, subshells, `$(…)`, `if`/`for`) with a clear message rather
 * than running something that only looks like what the author wrote.
 */

/** A piece of a word: literal text, or a variable expanded when the command runs. */
export type WordPart = { kind: 'text'; text: string } | { kind: 'var'; name: string };
export type Word = WordPart[];

/** `>file`, `2>>file`, `&>file` (target is a word) or `2>&1`, `>&2` (target is a descriptor). */
export interface Redirect {
  from: 1 | 2 | 'both';
  to: { word: Word; append: boolean } | { fd: 1 | 2 };
}

export interface SimpleCommand {
  words: Word[];
  redirects: Redirect[];
}

/** `a && b || c`: run `first`, then each of `rest` depending on the previous status. */
export interface AndOrList {
  first: SimpleCommand;
  rest: { op: '&&' | '||'; command: SimpleCommand }[];
}

export class ShellSyntaxError extends Error {
  override readonly name = 'ShellSyntaxError';
}

// Shell syntax a real bash would accept but this shell does not model.
const UNSUPPORTED_KEYWORDS = new Set(['if', 'then', 'else', 'elif', 'fi', 'for', 'while', 'until', 'do', 'done', 'case', 'esac', 'function', '{', '}', '[[']);

type Token = { kind: 'word'; word: Word } | { kind: 'op'; op: '&&' | '||' | ';' } | { kind: 'redirect'; redirect: Redirect };

/** Parses a whole script (the SSH task's commands joined by newlines) into and-or lists, in order. */
export function parseScript(text: string): AndOrList[] {
  const lists: AndOrList[] = [];
  let current: AndOrList | undefined;
  let pending: '&&' | '||' | undefined;
  let command: SimpleCommand = { words: [], redirects: [] };

  const endCommand = (): boolean => {
    if (command.words.length === 0 && command.redirects.length === 0) return false;
    if (command.words.length > 0 && command.redirects.length === 0) checkKeyword(command.words[0]!);
    if (current === undefined) current = { first: command, rest: [] };
    else current.rest.push({ op: pending!, command });
    pending = undefined;
    command = { words: [], redirects: [] };
    return true;
  };
  for (const token of tokenize(text)) {
    if (token.kind === 'word') command.words.push(token.word);
    else if (token.kind === 'redirect') command.redirects.push(token.redirect);
    else if (token.op === ';') {
      if (!endCommand() && pending !== undefined) throw new ShellSyntaxError(`syntax error: expected a command after \`${pending}'`);
      if (current !== undefined) lists.push(current);
      current = undefined;
    } else {
      if (!endCommand() || pending !== undefined) throw new ShellSyntaxError(`syntax error near unexpected token \`${token.op}'`);
      pending = token.op;
    }
  }
  endCommand();
  if (pending !== undefined) throw new ShellSyntaxError(`syntax error: expected a command after \`${pending}'`);
  if (current !== undefined) lists.push(current);
  return lists;
}

function checkKeyword(word: Word): void {
  const only = word.length === 1 && word[0]!.kind === 'text' ? word[0]!.text : undefined;
  if (only !== undefined && UNSUPPORTED_KEYWORDS.has(only)) {
    throw new ShellSyntaxError(`\`${only}' is not supported by the simulated guest shell (commands, ;, && and || only)`);
  }
}

/** Splits text into words, operators (newline counts as `;`) and redirections. */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const unsupported = (what: string): never => {
    throw new ShellSyntaxError(`${what} is not supported by the simulated guest shell (commands, ;, && and || only)`);
  };
  while (i < text.length) {
    const c = text[i]!;
    const two = text.slice(i, i + 2);
    if (c === ' ' || c === '\t' || c === '\r') i += 1;
    else if (two === '\\\n') i += 2;
    else if (c === '\n' || c === ';') {
      tokens.push({ kind: 'op', op: ';' });
      i += 1;
    } else if (c === '#') {
      while (i < text.length && text[i] !== '\n') i += 1;
    } else if (two === '&&' || two === '||') {
      tokens.push({ kind: 'op', op: two });
      i += 2;
    } else if (c === '|') unsupported('a pipe (|)');
    else if (c === '(' || c === ')') unsupported('a subshell ( … )');
    else if (c === '<') unsupported('input redirection (<)');
    else if (c === '>' || two === '&>' || (/[12]/.test(c) && text[i + 1] === '>')) {
      const [redirect, next] = readRedirect(text, i);
      tokens.push({ kind: 'redirect', redirect });
      i = next;
    } else if (c === '&') unsupported('running in the background (&)');
    else {
      const [word, next] = readWord(text, i);
      tokens.push({ kind: 'word', word });
      i = next;
    }
  }
  return tokens;
}

function readRedirect(text: string, start: number): [Redirect, number] {
  let i = start;
  let from: Redirect['from'] = 1;
  if (text[i] === '&') {
    from = 'both';
    i += 1;
  } else if (text[i] === '1' || text[i] === '2') {
    from = text[i] === '2' ? 2 : 1;
    i += 1;
  }
  i += 1; // the '>'
  const append = text[i] === '>';
  if (append) i += 1;
  if (text[i] === '&' && (text[i + 1] === '1' || text[i + 1] === '2') && from !== 'both') {
    return [{ from, to: { fd: text[i + 1] === '2' ? 2 : 1 } }, i + 2];
  }
  while (text[i] === ' ' || text[i] === '\t') i += 1;
  if (i >= text.length || /[\n;&|<>]/.test(text[i]!)) throw new ShellSyntaxError('syntax error: a redirection needs a file name');
  const [word, next] = readWord(text, i);
  return [{ from, to: { word, append } }, next];
}

/** One word with its quoting resolved; `$NAME`, `${NAME}` and `$?` stay variable parts. */
function readWord(text: string, start: number): [Word, number] {
  const parts: Word = [];
  const literal = (chunk: string) => {
    const last = parts[parts.length - 1];
    if (last?.kind === 'text') last.text += chunk;
    else parts.push({ kind: 'text', text: chunk });
  };
  let i = start;
  let quote: '"' | undefined;
  while (i < text.length) {
    const c = text[i]!;
    if (quote === undefined && /[\s;&|<>()]/.test(c)) break;
    if (c === '`' || text.startsWith('$(', i)) throw new ShellSyntaxError('command substitution is not supported by the simulated guest shell');
    if (quote === undefined && c === "'") {
      const end = text.indexOf("'", i + 1);
      if (end < 0) throw new ShellSyntaxError("unexpected end of file while looking for matching `''");
      literal(text.slice(i + 1, end));
      i = end + 1;
    } else if (c === '"') {
      quote = quote === undefined ? '"' : undefined;
      // An empty "" is still a word.
      if (quote === undefined && parts.length === 0) literal('');
      i += 1;
    } else if (c === '\\' && i + 1 < text.length) {
      const next = text[i + 1]!;
      // Inside double quotes a backslash only escapes what would otherwise be special there.
      literal(quote === undefined || /[$`"\\\n]/.test(next) ? (next === '\n' ? '' : next) : `\\${next}`);
      i += 2;
    } else if (c === '$') {
      const variable = /^\$(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*)|(\?))/.exec(text.slice(i));
      if (variable === null) {
        literal('$');
        i += 1;
      } else {
        parts.push({ kind: 'var', name: variable[1] ?? variable[2] ?? variable[3]! });
        i += variable[0].length;
      }
    } else {
      literal(c);
      i += 1;
    }
  }
  if (quote !== undefined) throw new ShellSyntaxError('unexpected end of file while looking for matching `"\'');
  return [parts, i];
}
