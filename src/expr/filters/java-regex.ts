import { exprError } from '../define.js';
import { show } from './values.js';

/**
 * Kestra flows pass Java regular expressions to `split` and `replace(..., regexp=true)`.
 * JS regular expressions share the common syntax; this module translates the Java-only
 * constructs flow authors actually write (leading inline flags, `\Q…\E` quoting, `\A`/`\z`
 * anchors) and reports anything JS cannot compile as an expression error.
 */
const INLINE_FLAGS: Record<string, string> = { i: 'i', m: 'm', s: 's', u: '', d: '' };

function escapeLiteral(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');
}

export function javaRegex(owner: string, pattern: string, global: boolean): RegExp {
  let flags = global ? 'g' : '';
  let rest = pattern;
  const inline = /^\(\?([a-zA-Z]+)\)/.exec(rest);
  if (inline) {
    for (const flag of inline[1] as string) {
      const js = INLINE_FLAGS[flag];
      if (js === undefined) throw exprError(`\`${owner}\`: unsupported regular expression flag (?${flag}) in ${show(pattern)}`);
      if (!flags.includes(js)) flags += js;
    }
    rest = rest.slice(inline[0].length);
  }
  let source = '';
  for (let i = 0; i < rest.length; i++) {
    const char = rest[i] as string;
    if (char !== '\\') {
      source += char;
      continue;
    }
    const next = rest[i + 1];
    if (next === 'Q') {
      const end = rest.indexOf('\\E', i + 2);
      source += escapeLiteral(rest.slice(i + 2, end === -1 ? undefined : end));
      i = end === -1 ? rest.length : end + 1;
    } else if (next === 'A') {
      source += '^';
      i++;
    } else if (next === 'z') {
      source += '$';
      i++;
    } else if (next === 'Z') {
      source += '(?=\\n?$)';
      i++;
    } else {
      source += char + (next ?? '');
      i++;
    }
  }
  try {
    return new RegExp(source, flags);
  } catch (error) {
    throw exprError(`\`${owner}\`: invalid regular expression ${show(pattern)}: ${(error as Error).message}`);
  }
}

type Part = string | { group: number } | { name: string };

function groupCount(regex: RegExp): number {
  return (new RegExp(`${regex.source}|`, regex.flags.replace('g', '')).exec('') as RegExpExecArray).length - 1;
}

/**
 * Expands a replacement string as Java's `Matcher.replaceAll` does: `$n` and `${name}` insert
 * groups (a multi-digit reference stops before it would name a missing group), `\` escapes
 * the next character, and a group that did not participate inserts nothing.
 */
export function javaReplacer(owner: string, regex: RegExp, replacement: string): (match: string, ...rest: unknown[]) => string {
  const count = groupCount(regex);
  const parts: Part[] = [];
  let literal = '';
  for (let i = 0; i < replacement.length; i++) {
    const char = replacement[i] as string;
    if (char === '\\') {
      if (i + 1 >= replacement.length) throw exprError(`\`${owner}\`: replacement ${show(replacement)} ends with a lone backslash`);
      literal += replacement[++i];
    } else if (char === '$') {
      if (literal) parts.push(literal);
      literal = '';
      if (replacement[i + 1] === '{') {
        const end = replacement.indexOf('}', i + 2);
        if (end === -1) throw exprError(`\`${owner}\`: unclosed group name in replacement ${show(replacement)}`);
        parts.push({ name: replacement.slice(i + 2, end) });
        i = end;
        continue;
      }
      if (!/[0-9]/.test(replacement[i + 1] ?? '')) {
        throw exprError(`\`${owner}\`: illegal group reference in replacement ${show(replacement)} (write \\$ for a literal $)`);
      }
      let group = Number(replacement[++i]);
      while (/[0-9]/.test(replacement[i + 1] ?? '') && group * 10 + Number(replacement[i + 1]) <= count) {
        group = group * 10 + Number(replacement[++i]);
      }
      if (group > count) throw exprError(`\`${owner}\`: replacement ${show(replacement)} refers to group ${group}, the expression has ${count}`);
      parts.push({ group });
    } else {
      literal += char;
    }
  }
  if (literal) parts.push(literal);
  return (match, ...rest) => {
    const groups = rest.slice(0, count) as (string | undefined)[];
    const named = rest[rest.length - 1];
    return parts
      .map((part) => {
        if (typeof part === 'string') return part;
        if ('group' in part) return part.group === 0 ? match : (groups[part.group - 1] ?? '');
        const value = typeof named === 'object' && named !== null ? (named as Record<string, string | undefined>)[part.name] : undefined;
        if (value === undefined && !(typeof named === 'object' && named !== null && part.name in named)) {
          throw exprError(`\`${owner}\`: replacement ${show(replacement)} refers to unknown group \`${part.name}\``);
        }
        return value ?? '';
      })
      .join('');
  };
}
