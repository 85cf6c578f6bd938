import { describe, expect, it } from 'vitest';
import type { ExprArgs, RenderScope } from '../../../src/expr/define.js';
import { encodingFilters } from '../../../src/expr/filters/encoding.js';

const scope: RenderScope = { revealedSecrets: new Set() };

function apply(name: string, input: unknown, args: ExprArgs = {}): unknown {
  const filter = encodingFilters.find((candidate) => candidate.name === name);
  if (!filter) throw new Error(`no filter ${name}`);
  return filter.apply(input, args, scope);
}

type Case = [name: string, input: unknown, expected: unknown];

describe('encoding filters', () => {
  const cases: Case[] = [
    ['urlencode', 'The string ü@foo-bar', 'The+string+%C3%BC%40foo-bar'],
    // Java's URLEncoder keeps only letters, digits and .-*_ unescaped.
    ['urlencode', "a*b.c-d_e~f!g'h(i)", 'a*b.c-d_e%7Ef%21g%27h%28i%29'],
    ['urlencode', 'a&b=c/d?e', 'a%26b%3Dc%2Fd%3Fe'],
    ['urlencode', '😀', '%F0%9F%98%80'],
    ['urlencode', '\uD800x', '%3Fx'],
    ['urlencode', null, null],
    ['urldecode', 'The+string+%C3%BC%40foo-bar', 'The string ü@foo-bar'],
    ['urldecode', '%e2%82%ac', '€'],
    ['urldecode', '%FF', '\uFFFD'],
    ['urldecode', 'plain', 'plain'],
    ['base64encode', 'test', 'dGVzdA=='],
    ['base64encode', 'é', 'w6k='],
    ['base64decode', 'dGVzdA==', 'test'],
    ['base64decode', 'dGVzdA', 'test'],
    ['base64decode', '', ''],
    ['md5', 'abc', '900150983cd24fb0d6963f7d28e17f72'],
    ['sha1', 'abc', 'a9993e364706816aba3e25717850c26c9cd0d89d'],
    ['sha256', 'abc', 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'],
    ['sha256', 'test', '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08'],
    ['sha256', '', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
    [
      'sha512',
      'abc',
      'ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f',
    ],
    ['sha256', null, null],
    ['toJson', [1, 2, 3], '[1,2,3]'],
    ['toJson', true, 'true'],
    ['toJson', 'foo', '"foo"'],
    ['toJson', null, 'null'],
    ['toJson', undefined, 'null'],
    ['toJson', { a: { b: [1, null] } }, '{"a":{"b":[1,null]}}'],
    ['toJson', new Date(0), '"1970-01-01T00:00:00.000Z"'],
    ['json', { k: 'v' }, '{"k":"v"}'],
    ['yaml', { key: 'value', list: [1, 'two'], nested: { a: true } }, 'key: value\nlist:\n  - 1\n  - two\nnested:\n  a: true\n'],
    // Strings a YAML 1.1 reader would take for booleans or numbers stay quoted.
    ['yaml', { answer: 'yes', port: '8080' }, 'answer: "yes"\nport: "8080"\n'],
    ['yaml', 'foo: bar', '"foo: bar"\n'],
    ['yaml', null, 'null'],
  ];
  it.each(cases)('%s(%j) = %j', (name, input, expected) => {
    expect(apply(name, input)).toEqual(expected);
  });

  const errors: Case[] = [
    ['urlencode', 12, '`urlencode` expects a string, got number 12'],
    ['urldecode', '100%', 'illegal escape "%" in "100%"'],
    ['urldecode', '%zz', 'illegal escape "%zz"'],
    ['base64decode', 'not base64!', '"not base64!" is not valid Base64'],
    ['base64decode', 'dGVzdA=', '"dGVzdA=" is not valid Base64'],
    ['base64encode', { a: 1 }, '`base64encode` expects a string, got map {"a":1}'],
    ['sha256', 12, '`sha256` expects a string, got number 12'],
    ['md5', ['x'], '`md5` expects a string, got list ["x"]'],
  ];
  it.each(errors)('%s(%j) fails with %j', (name, input, message) => {
    expect(() => apply(name, input)).toThrow(message as string);
  });
});
