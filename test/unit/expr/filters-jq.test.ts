import { describe, expect, it } from 'vitest';
import type { ExprArgs, RenderScope } from '../../../src/expr/define.js';
import { jqFilters } from '../../../src/expr/filters/jq.js';

const scope: RenderScope = { revealedSecrets: new Set() };
const [jq] = jqFilters;

function apply(input: unknown, args: ExprArgs): unknown {
  if (!jq) throw new Error('no jq filter');
  return jq.apply(input, args, scope);
}

const scores = { English: 72, Maths: 88, French: 95, Spanish: 85, Science: 91 };
const typed = { string: 'string', int: 1, float: 1.123, bool: true, null: null, map: { k: 'v' } };

describe('jq', () => {
  const cases: [input: unknown, expression: string, expected: unknown][] = [
    [[1, 2, 3], '.', [[1, 2, 3]]],
    [[1, 2, 3], '.[0]', [1]],
    [{ test: [1, 2, 3] }, '.test[0]', [1]],
    // Every output is collected, so a stream gives a list.
    [{ second: [1, 2, 3] }, '.second[]', [1, 2, 3]],
    [typed, '.string', ['string']],
    [typed, '.float', [1.123]],
    [typed, '.bool', [true]],
    [typed, '.null', [null]],
    [typed, '.map', [{ k: 'v' }]],
    [typed, '.missing', [null]],
    [typed, 'empty', []],
    [scores, '[.[]] | add', [431]],
    [scores, 'reduce .[] as $num (0; .+$num)', [431]],
    [scores, 'to_entries | map(select(.value > 90) | .key)', [['French', 'Science']]],
    // A string input is read as JSON text, as Kestra does.
    ['{"a": 1}', '.a', [1]],
    ['"text"', 'ascii_upcase', ['TEXT']],
    [new Date(0), '.', ['1970-01-01T00:00:00.000Z']],
    [null, '.', null],
  ];
  it.each(cases)('%j | jq(%j) = %j', (input, expression, expected) => {
    expect(apply(input, { expression })).toEqual(expected);
  });

  it('reports compile errors with jq message and the expression', () => {
    expect(() => apply({ a: 1 }, { expression: '.[' })).toThrow(/`jq`: "\.\[" failed: jq: error: syntax error/);
  });

  it('reports run-time errors and keeps working after them', () => {
    expect(() => apply({ a: 1 }, { expression: '.a.b' })).toThrow('Cannot index number with string "b"');
    expect(() => apply({ a: 1 }, { expression: 'error("boom")' })).toThrow('boom');
    expect(apply({ a: 1 }, { expression: '.a' })).toEqual([1]);
  });

  it('refuses a string that is not JSON and a missing expression', () => {
    expect(() => apply('not json', { expression: '.' })).toThrow('the input string is not JSON');
    expect(() => apply({ a: 1 }, {})).toThrow('`jq` expects an argument `expression`');
    expect(() => apply({ a: 1 }, { expression: 3 })).toThrow('argument `expression` must be a string, got number 3');
  });
});
