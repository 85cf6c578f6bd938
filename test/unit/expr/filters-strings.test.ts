import { describe, expect, it } from 'vitest';
import type { ExprArgs, RenderScope } from '../../../src/expr/define.js';
import { regexStringFilters } from '../../../src/expr/filters/strings-regex.js';
import { stringFilters } from '../../../src/expr/filters/strings.js';

const scope: RenderScope = { revealedSecrets: new Set() };
const filters = [...stringFilters, ...regexStringFilters];

function apply(name: string, input: unknown, args: ExprArgs = {}): unknown {
  const filter = filters.find((candidate) => candidate.name === name);
  if (!filter) throw new Error(`no filter ${name}`);
  return filter.apply(input, args, scope);
}

type Case = [name: string, input: unknown, args: ExprArgs, expected: unknown];

describe('string filters', () => {
  const cases: Case[] = [
    ['slugify', 'Hello World!', {}, 'hello-world'],
    ['slugify', 'Test\t\t\ntest*', {}, 'test-test'],
    ['slugify', 'Crème Brûlée', {}, 'creme-brulee'],
    // Kestra removes punctuation instead of turning it into a dash.
    ['slugify', 'a.b_c--d', {}, 'ab-c-d'],
    ['slugify', '  leading and trailing  ', {}, 'leading-and-trailing'],
    ['slugify', 'Ünïcödé ß 東京', {}, 'unicode'],
    ['slugify', 42, {}, '42'],
    ['slugify', null, {}, null],
    ['upper', 'Straße', {}, 'STRASSE'],
    ['upper', 12, {}, '12'],
    ['lower', 'LOUD TEXT', {}, 'loud text'],
    ['lower', undefined, {}, null],
    ['title', 'article title', {}, 'Article Title'],
    ['title', 'hello\tworld  foo', {}, 'Hello\tWorld  Foo'],
    ['title', "o'neil mcDonald", {}, "O'neil McDonald"],
    ['title', '', {}, ''],
    ['capitalize', 'article title', {}, 'Article title'],
    ['capitalize', '  hello World', {}, '  Hello World'],
    ['capitalize', 'éCLAIR', {}, 'ÉCLAIR'],
    ['capitalize', '', {}, ''],
    ['trim', '  padded text \n', {}, 'padded text'],
    // Java's String.trim strips control characters but not no-break spaces.
    ['trim', '\u00A0x\u00A0', {}, '\u00A0x\u00A0'],
    ['trim', '\u0001x\u0007', {}, 'x'],
    ['abbreviate', 'this is a long sentence.', { length: 7 }, 'this...'],
    ['abbreviate', 'short', { length: 10 }, 'short'],
    // Pebble abbreviates a string exactly `length` long.
    ['abbreviate', 'exactly', { length: 7 }, 'exac...'],
    ['abbreviate', 'abcdef', { length: 2 }, 'ab'],
    ['abbreviate', 'abc', { length: 1 }, 'abc'],
    ['substringBefore', 'a.b.c', { separator: '.' }, 'a'],
    ['substringAfter', 'a.b.c', { separator: '.' }, 'b.c'],
    ['substringBeforeLast', 'a.b.c', { separator: '.' }, 'a.b'],
    ['substringAfterLast', 'a.b.c', { separator: '.' }, 'c'],
    ['substringBefore', 'abc', { separator: 'x' }, 'abc'],
    ['substringAfter', 'abc', { separator: 'x' }, ''],
    ['substringBeforeLast', 'abc', { separator: 'x' }, 'abc'],
    ['substringAfterLast', 'abc', { separator: 'x' }, ''],
    ['substringBefore', 'abc', { separator: '' }, ''],
    ['substringAfter', 'abc', { separator: '' }, 'abc'],
    ['substringBeforeLast', 'abc', { separator: '' }, 'abc'],
    ['substringAfterLast', 'abc', { separator: '' }, ''],
    ['substringAfter', 'k=v=w', { separator: '=' }, 'v=w'],
    ['startsWith', 'hello world', { value: 'hello' }, true],
    ['startsWith', 'hello world', { value: 'world' }, false],
    ['endsWith', 'hello world', { value: 'world' }, true],
    ['startsWith', 123, { value: '12' }, true],
    ['string', 12.3, {}, '12.3'],
    ['string', { field: 'hello' }, {}, '{"field":"hello"}'],
    ['string', true, {}, 'true'],
    ['string', 'x', {}, 'x'],
    ['string', null, {}, null],
    // A single line has no following line to indent.
    ['indent', 'key: value', { amount: 2 }, 'key: value'],
    ['indent', 'a\nb\nc', { amount: 2 }, 'a\n  b\n  c'],
    ['indent', 'a\nb', { amount: 2, prefix: '-' }, 'a\n--b'],
    ['indent', 'a\r\nb', { amount: 1 }, 'a\r\n b'],
    ['indent', '', { amount: 4 }, ''],
    ['nindent', 'a\nb', { amount: 2 }, '\n  a\n  b'],
    ['nindent', 'key: value', { amount: 4 }, '\n    key: value'],
  ];
  it.each(cases)('%s(%j, %j) = %j', (name, input, args, expected) => {
    expect(apply(name, input, args)).toEqual(expected);
  });

  const errors: Case[] = [
    ['title', 5, {}, '`title` expects a string, got number 5'],
    ['trim', ['x'], {}, 'got list ["x"]'],
    ['abbreviate', 'text', { length: -1 }, 'must be >= 0, got -1'],
    ['abbreviate', 'text', { length: 'x' }, 'must be an integer, got string "x"'],
    ['abbreviate', 'text', {}, 'expects an integer argument `length`'],
    ['substringBefore', 'a.b', {}, 'expects an argument `separator`'],
    ['startsWith', null, { value: 'a' }, '`startsWith` cannot be applied to null'],
    ['indent', 'a\nb', {}, '`indent` expects an integer argument `amount`'],
    ['nindent', 'a\nb', { amount: -2 }, 'must be >= 0, got -2'],
  ];
  it.each(errors)('%s(%j, %j) fails with %j', (name, input, args, message) => {
    expect(() => apply(name, input, args)).toThrow(message as string);
  });
});

describe('replace', () => {
  const cases: Case[] = [
    ['replace', 'I like %this% and %that%.', { replace_pairs: { '%this%': 'foo', '%that%': 'bar' } }, 'I like foo and bar.'],
    // Pairs apply in order, each on the previous result.
    ['replace', 'abc', { replace_pairs: { a: 'b', b: 'c' } }, 'ccc'],
    ['replace', 'hello world', { replace_pairs: 'o', regexp: '0' }, 'hell0 w0rld'],
    ['replace', 'a.b.c', { replace_pairs: { '.': '$' } }, 'a$b$c'],
    ['replace', 'abc', { replace_pairs: { '': '-' } }, '-a-b-c-'],
    ['replace', 'v1', { replace_pairs: { v: 2 } }, '21'],
    ['replace', 'file-2024-01.txt', { replace_pairs: { '\\d+': 'N' }, regexp: true }, 'file-N-N.txt'],
    ['replace', 'John Smith', { replace_pairs: { '(\\w+) (\\w+)': '$2, $1' }, regexp: true }, 'Smith, John'],
    ['replace', 'x', { replace_pairs: { x: '\\$5' }, regexp: true }, '$5'],
    ['replace', 'ab', { replace_pairs: { '(?<first>a)': '${first}${first}' }, regexp: true }, 'aab'],
    ['replace', 'Hello HELLO', { replace_pairs: { '(?i)hello': 'bye' }, regexp: true }, 'bye bye'],
    ['replace', 'a+b', { replace_pairs: { '\\Q+\\E': ' plus ' }, regexp: true }, 'a plus b'],
    ['replace', { a: 'x-1', b: ['y-2', 3] }, { replace_pairs: { '-': '_' } }, { a: 'x_1', b: ['y_2', '3'] }],
    ['replace', null, { replace_pairs: { a: 'b' } }, null],
  ];
  it.each(cases)('%s(%j, %j) = %j', (name, input, args, expected) => {
    expect(apply(name, input, args)).toEqual(expected);
  });

  const errors: Case[] = [
    ['replace', 'abc', {}, 'expects a map of replacements'],
    ['replace', 'abc', { replace_pairs: ['a'] }, 'must be a map, got list ["a"]'],
    ['replace', 'abc', { replace_pairs: 'a' }, 'the second argument must be its replacement string, got undefined'],
    ['replace', 'abc', { replace_pairs: { '(': 'x' }, regexp: true }, 'invalid regular expression "("'],
    ['replace', 'abc', { replace_pairs: { a: '$' }, regexp: true }, 'illegal group reference in replacement "$"'],
    ['replace', 'abc', { replace_pairs: { '(a)': '$2' }, regexp: true }, 'refers to group 2, the expression has 1'],
    ['replace', 'abc', { replace_pairs: { a: 'b' }, regexp: 'yes' }, 'must be true or false, got string "yes"'],
  ];
  it.each(errors)('%s(%j, %j) fails with %j', (name, input, args, message) => {
    expect(() => apply(name, input, args)).toThrow(message as string);
  });
});

describe('split (Java String.split with a regular expression)', () => {
  const cases: Case[] = [
    ['split', 'apple,banana,cherry', { delimiter: ',' }, ['apple', 'banana', 'cherry']],
    ['split', 'a,b,,c,,', { delimiter: ',' }, ['a', 'b', '', 'c']],
    ['split', 'a,b,,c,,', { delimiter: ',', limit: -1 }, ['a', 'b', '', 'c', '', '']],
    ['split', 'apple,banana,cherry,grape', { delimiter: ',', limit: 2 }, ['apple', 'banana,cherry,grape']],
    ['split', 'a,b', { delimiter: ',', limit: 1 }, ['a,b']],
    // The delimiter is a regex: an unescaped dot matches everything, leaving only empty strings.
    ['split', 'a.b.c', { delimiter: '.' }, []],
    ['split', 'a.b.c', { delimiter: '\\.' }, ['a', 'b', 'c']],
    ['split', 'abc', { delimiter: '' }, ['a', 'b', 'c']],
    // A match at the very start gives a leading empty string (only zero-width matches do not).
    ['split', ',a', { delimiter: ',' }, ['', 'a']],
    ['split', '', { delimiter: ',' }, ['']],
    ['split', 'no-match', { delimiter: ',' }, ['no-match']],
    ['split', 'a1b22c', { delimiter: '\\d+' }, ['a', 'b', 'c']],
    ['split', null, { delimiter: ',' }, null],
  ];
  it.each(cases)('%s(%j, %j) = %j', (name, input, args, expected) => {
    expect(apply(name, input, args)).toEqual(expected);
  });

  it('fails clearly on a missing delimiter or a non-string input', () => {
    expect(() => apply('split', 'a,b', {})).toThrow('expects a string argument `delimiter`');
    expect(() => apply('split', [1, 2], { delimiter: ',' })).toThrow('`split` expects a string, got list [1,2]');
    expect(() => apply('split', 'a', { delimiter: '[' })).toThrow('invalid regular expression "["');
  });
});
