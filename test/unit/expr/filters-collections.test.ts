import { describe, expect, it } from 'vitest';
import type { ExprArgs, RenderScope } from '../../../src/expr/define.js';
import { collectionFilters } from '../../../src/expr/filters/collections.js';

const scope: RenderScope = { revealedSecrets: new Set() };

function apply(name: string, input: unknown, args: ExprArgs = {}): unknown {
  const filter = collectionFilters.find((candidate) => candidate.name === name);
  if (!filter) throw new Error(`no filter ${name}`);
  return filter.apply(input, args, scope);
}

type Case = [name: string, input: unknown, args: ExprArgs, expected: unknown];

describe('collection filters', () => {
  const cases: Case[] = [
    ['join', [1, 2, 3], { separator: ', ' }, '1, 2, 3'],
    ['join', ['a', null, true], { separator: '-' }, 'a-null-true'],
    ['join', ['a', 'b'], {}, 'ab'],
    ['join', [], { separator: ',' }, ''],
    ['join', [{ a: 1 }, [2]], { separator: ';' }, '{"a":1};[2]'],
    ['join', null, { separator: ',' }, null],
    ['first', ['apple', 'banana'], {}, 'apple'],
    ['first', 'Mitch', {}, 'M'],
    ['first', [], {}, null],
    ['first', null, {}, null],
    ['last', ['apple', 'banana'], {}, 'banana'],
    ['last', 'Mitch', {}, 'h'],
    ['last', [], {}, null],
    ['length', 'Mitch', {}, 5],
    ['length', [1, 2], {}, 2],
    ['length', { a: 1, b: 2 }, {}, 2],
    ['length', null, {}, 0],
    ['length', undefined, {}, 0],
    ['length', 42, {}, 0],
    // UTF-16 code units, as Java's String.length().
    ['length', '😀', {}, 2],
    ['default', undefined, { default: 'x' }, 'x'],
    ['default', null, { default: 'x' }, 'x'],
    ['default', '', { default: 'x' }, 'x'],
    ['default', '  \n', { default: 'x' }, 'x'],
    ['default', [], { default: 'x' }, 'x'],
    ['default', {}, { default: 'x' }, 'x'],
    ['default', 0, { default: 'x' }, 0],
    ['default', false, { default: 'x' }, false],
    ['default', 'a', { default: 'x' }, 'a'],
    ['default', [0], { default: 'x' }, [0]],
    ['default', undefined, {}, null],
    ['keys', { foo: 'bar', baz: 'qux' }, {}, ['foo', 'baz']],
    ['keys', ['a', 'b', 'c'], {}, [0, 1, 2]],
    ['keys', [], {}, []],
    ['keys', null, {}, null],
    ['values', { foo: 'bar', baz: 'qux' }, {}, ['bar', 'qux']],
    ['sort', [3, 1, 2], {}, [1, 2, 3]],
    ['sort', [10, 9, 100], {}, [9, 10, 100]],
    ['sort', ['b', 'a', 'C'], {}, ['C', 'a', 'b']],
    ['sort', [true, false], {}, [false, true]],
    ['rsort', [3, 1, 2], {}, [3, 2, 1]],
    ['rsort', ['a', 'c', 'b'], {}, ['c', 'b', 'a']],
    ['reverse', ['apple', 'banana'], {}, ['banana', 'apple']],
    ['reverse', 'abc😀', {}, '😀cba'],
    ['slice', ['apple', 'banana', 'cherry'], { fromIndex: 1, toIndex: 2 }, ['banana']],
    ['slice', 'Mitch', { fromIndex: 1, toIndex: 3 }, 'it'],
    ['slice', 'Mitch', { fromIndex: 2 }, 'tch'],
    ['slice', [1, 2, 3], {}, [1, 2, 3]],
    ['slice', 'abc', { fromIndex: 3 }, ''],
    ['slice', 'abc', { fromIndex: 1.9 }, 'bc'],
    ['merge', [1, 2], { items: [3, 4] }, [1, 2, 3, 4]],
    ['merge', { a: 1, b: 2 }, { items: { b: 3, c: 4 } }, { a: 1, b: 3, c: 4 }],
    ['merge', { a: 1 }, { items: ['x'] }, { a: 1, x: 'x' }],
    ['merge', null, { items: [1] }, [1]],
    ['merge', [1], { items: null }, [1]],
    ['distinct', ['1', '1', '2', '3'], {}, ['1', '2', '3']],
    ['distinct', [{ a: 1 }, { a: 1 }, [1], [1], 1], {}, [{ a: 1 }, [1], 1]],
    // Kestra's distinct turns null into the string "null".
    ['distinct', null, {}, 'null'],
    ['chunk', [1, 2, 3, 4, 5], { size: 2 }, [[1, 2], [3, 4], [5]]],
    ['chunk', [], { size: 3 }, []],
    ['chunk', null, { size: 3 }, null],
    ['flatten', [[1, 2], [3, [4]], 5], {}, [1, 2, 3, [4], 5]],
    ['flatten', null, {}, null],
  ];
  it.each(cases)('%s(%j, %j) = %j', (name, input, args, expected) => {
    expect(apply(name, input, args)).toEqual(expected);
  });

  it('never reorders its input in place', () => {
    const list = [3, 1, 2];
    apply('sort', list);
    apply('rsort', list);
    apply('reverse', list);
    expect(list).toEqual([3, 1, 2]);
  });

  const errors: Case[] = [
    ['join', 'abc', { separator: ',' }, '`join` expects a list, got string "abc"'],
    ['first', '', {}, '`first` cannot take a character of an empty string'],
    ['first', { a: 1 }, {}, '`first` expects a list, got map {"a":1}'],
    ['keys', 'abc', {}, '`keys` expects a list, got string "abc"'],
    ['values', [1], {}, '`values` can only be applied to a map, got list [1]'],
    ['slice', 'abc', { fromIndex: -1 }, 'fromIndex must be >= 0, got -1'],
    ['slice', 'abc', { fromIndex: 1, toIndex: 10 }, 'toIndex 10 is past the end of the input (length 3)'],
    ['slice', 'abc', { fromIndex: 2, toIndex: 2 }, 'toIndex (2) must be greater than fromIndex (2)'],
    ['slice', 'abc', { fromIndex: 'a' }, 'argument `fromIndex` must be a number, got string "a"'],
    ['slice', 'abc', { fromIndex: 5 }, 'fromIndex 5 is past the end'],
    ['slice', { a: 1 }, {}, 'got map {"a":1}'],
    ['merge', null, { items: null }, 'both values to merge are null'],
    ['merge', [1], { items: { a: 1 } }, 'only a list can be merged into a list, got map {"a":1}'],
    ['merge', 'str', { items: [1] }, 'can only be applied to a list or a map, got string "str"'],
    ['merge', { a: 1 }, { items: 'x' }, 'only a map or a list can be merged into a map, got string "x"'],
    ['distinct', 'abc', {}, '`distinct` expects a list, got string "abc"'],
    ['chunk', [1], { size: 0 }, 'must be greater than 0, got 0'],
    ['chunk', [1], {}, '`chunk` expects an integer argument `size`'],
    ['chunk', 'abc', { size: 2 }, '`chunk` expects a list, got string "abc"'],
    ['flatten', { a: 1 }, {}, '`flatten` expects a list, got map {"a":1}'],
  ];
  it.each(errors)('%s(%j, %j) fails with %j', (name, input, args, message) => {
    expect(() => apply(name, input, args)).toThrow(message as string);
  });

  it('refuses to order values of different kinds, naming them', () => {
    expect(() => apply('sort', [1, 'a'])).toThrow(/`sort` can only order .* of one kind, got (1 and "a"|"a" and 1)/);
    expect(() => apply('rsort', [null, 1])).toThrow(/`rsort` can only order .*, got (null and 1|1 and null)/);
  });
});
