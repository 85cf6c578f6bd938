import { describe, expect, it } from 'vitest';
import { CommandLineError, parseCommandLine, quoteWord, restAfter, tokenize } from '../../../src/chat/command-line.js';

/** The tokenizer is what every chat command goes through: quoting mistakes must be named precisely. */
describe('tokenize', () => {
  const words = (line: string) => tokenize(line).map((t) => t.text);

  it.each([
    ['run flow', ['run', 'flow']],
    ['  spaced   out\twords  ', ['spaced', 'out', 'words']],
    ['note="two words"', ['note=two words']],
    ["'x=y z'", ['x=y z']],
    ['a="" b', ['a=', 'b']],
    ['"say \\"hi\\""', ['say "hi"']],
    ["'it\\'s'", ["it's"]],
    ['back\\ slash\\ space', ['back slash space']],
    ['C:\\temp\\x', ['C:\\temp\\x']], // a backslash before an ordinary character stays
    ['"a\\\\b"', ['a\\b']],
    ['half"quoted part"s', ['halfquoted parts']],
    ['note=\u201Csmart quotes\u201D', ['note=smart quotes']], // Slack clients may substitute these
    ['\u2018single smart\u2019', ['single smart']],
    ['{{ 7*7 }}', ['{{', '7*7', '}}']], // templates are just words here
    ['', []],
  ])('%s', (line, expected) => {
    expect(words(line)).toEqual(expected);
  });

  it('keeps offsets of each word as typed, for free text after a word', () => {
    const line = 'approve ABC   looks "fine" to me';
    const [verb, id] = tokenize(line);
    expect(line.slice(verb!.start, verb!.end)).toBe('approve');
    expect(restAfter(line, id)).toBe('looks "fine" to me');
  });

  it('marks a quoted empty word as a word', () => {
    expect(tokenize('""')).toEqual([{ text: '', start: 0, end: 2, quoted: true }]);
  });

  it.each([
    ['run f note="open', 'unterminated " quote at column 12'],
    ["x 'abc", "unterminated ' quote at column 3"],
    ['"esc\\"', 'unterminated " quote at column 1'],
    ['\u201Cno end', 'unterminated \u201C quote at column 1'],
  ])('reports %s', (line, message) => {
    expect(() => tokenize(line)).toThrow(message);
    try {
      tokenize(line);
    } catch (error) {
      expect(error).toBeInstanceOf(CommandLineError);
      expect((error as CommandLineError).code).toBe('USAGE');
    }
  });
});

describe('parseCommandLine', () => {
  it('separates positionals from key=value pairs', () => {
    const parsed = parseCommandLine(`run ops.patch vm=web-01 note="two words" 'x=y z' extra`);
    expect(parsed.positionals).toEqual(['run', 'ops.patch', 'extra']);
    expect(parsed.pairs).toEqual({ vm: 'web-01', note: 'two words', x: 'y z' });
  });

  it('keeps everything after the first = in the value', () => {
    expect(parseCommandLine('q=a=b url=https://x/?a=1').pairs).toEqual({ q: 'a=b', url: 'https://x/?a=1' });
  });

  it('treats words whose key is not an input id as positional', () => {
    // `__proto__` cannot be an input id, and `=x` has no key: neither may become a pair.
    expect(parseCommandLine('__proto__=x =y https://h/?a=b').positionals).toEqual(['__proto__=x', '=y', 'https://h/?a=b']);
  });

  it('stores keys as own properties, whatever they are called', () => {
    const { pairs } = parseCommandLine('constructor=1 toString=2');
    expect(Object.keys(pairs)).toEqual(['constructor', 'toString']);
    expect(pairs.constructor).toBe('1');
  });

  it('refuses a key given twice, naming both columns', () => {
    expect(() => parseCommandLine('run f a=1 b=2 a=3')).toThrow('`a` is given twice (first at column 7) at column 15');
  });
});

describe('quoteWord', () => {
  it.each(['plain', 'two words', 'say "hi"', 'C:\\temp', '', "it's"])('round-trips %j', (value) => {
    expect(tokenize(quoteWord(value)).map((t) => t.text)).toEqual([value]);
  });
});
