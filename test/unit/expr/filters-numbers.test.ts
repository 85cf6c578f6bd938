import { describe, expect, it } from 'vitest';
import type { ExprArgs, RenderScope } from '../../../src/expr/define.js';
import { numberFilters } from '../../../src/expr/filters/numbers.js';

const scope: RenderScope = { revealedSecrets: new Set() };

function apply(name: string, input: unknown, args: ExprArgs = {}): unknown {
  const filter = numberFilters.find((candidate) => candidate.name === name);
  if (!filter) throw new Error(`no filter ${name}`);
  return filter.apply(input, args, scope);
}

type Case = [name: string, input: unknown, args: ExprArgs, expected: unknown];

describe('abs and number', () => {
  const cases: Case[] = [
    ['abs', -7, {}, 7],
    ['abs', 3.5, {}, 3.5],
    ['number', '12.3', {}, 12.3],
    ['number', '12', {}, 12],
    ['number', '-0x1F', {}, -31],
    ['number', '#ff', {}, 255],
    // NumberUtils.createNumber decodes a leading zero as octal, as Integer.decode does.
    ['number', '010', {}, 8],
    ['number', '12L', {}, 12],
    ['number', '1.5f', {}, 1.5],
    ['number', '1e3', {}, 1000],
    ['number', '12', { type: 'INT' }, 12],
    ['number', '+12', { type: 'INT' }, 12],
    ['number', '-12', { type: 'LONG' }, -12],
    ['number', '9007199254740991', { type: 'BIGINTEGER' }, 9007199254740991],
    ['number', '  12.5  ', { type: 'DOUBLE' }, 12.5],
    ['number', '1.5d', { type: 'DOUBLE' }, 1.5],
    ['number', '1.25', { type: 'FLOAT' }, 1.25],
    ['number', '12.30', { type: 'BIGDECIMAL' }, 12.3],
    ['number', null, {}, null],
  ];
  it.each(cases)('%s(%j, %j) = %j', (name, input, args, expected) => {
    expect(apply(name, input, args)).toEqual(expected);
  });

  it('parses NaN as Java does for DOUBLE', () => {
    expect(apply('number', 'NaN', { type: 'DOUBLE' })).toBeNaN();
  });

  const errors: Case[] = [
    ['abs', null, {}, '`abs` cannot be applied to null'],
    ['abs', '-3', {}, '`abs` expects a number, got string "-3"'],
    ['number', 'abc', {}, '`number`: "abc" is not a valid number'],
    ['number', '08', {}, '"08" is not a valid number'],
    ['number', '', {}, 'a blank string is not a number'],
    ['number', '12.3', { type: 'INT' }, '"12.3" is not a valid INT'],
    ['number', '2147483648', { type: 'INT' }, '"2147483648" is not a valid INT'],
    ['number', '9007199254740993', { type: 'LONG' }, '"9007199254740993" is too large'],
    ['number', '1.5', { type: 'BIGINTEGER' }, '"1.5" is not a valid BIGINTEGER'],
    ['number', '1.5f', { type: 'BIGDECIMAL' }, '"1.5f" is not a valid BIGDECIMAL'],
    ['number', 'x1', { type: 'DOUBLE' }, '"x1" is not a valid DOUBLE'],
    ['number', '1', { type: 'SHORT' }, 'unknown type "SHORT"; expected one of INT, LONG'],
    ['number', 12, {}, '`number` expects a string, got number 12'],
  ];
  it.each(errors)('%s(%j, %j) fails with %j', (name, input, args, message) => {
    expect(() => apply(name, input, args)).toThrow(message as string);
  });
});

describe('round', () => {
  const cases: Case[] = [
    ['round', 2.5, {}, 3],
    ['round', -2.5, {}, -3],
    ['round', 2.4, {}, 2],
    // Rounding happens in decimal: 1.005 is stored as 1.00499999999999989… yet rounds to 1.01.
    ['round', 1.005, { precision: 2 }, 1.01],
    ['round', 1.234, { precision: 1, method: 'ceil' }, 1.3],
    ['round', -1.234, { precision: 1, method: 'floor' }, -1.3],
    ['round', 1.29, { precision: 1, method: 'floor' }, 1.2],
    ['round', 1234, { precision: -2 }, 1200],
    ['round', 1e21, {}, 1e21],
    ['round', null, {}, null],
  ];
  it.each(cases)('%s(%j, %j) = %j', (name, input, args, expected) => {
    expect(apply(name, input, args)).toEqual(expected);
  });

  it('does not return negative zero', () => {
    expect(Object.is(apply('round', -0.4), 0)).toBe(true);
  });

  const errors: Case[] = [
    ['round', '2.5', {}, '`round` expects a number, got string "2.5"'],
    ['round', 2.5, { method: 'up' }, 'unknown method "up"'],
    ['round', 2.5, { precision: 1.5 }, 'argument `precision` must be an integer, got number 1.5'],
  ];
  it.each(errors)('%s(%j, %j) fails with %j', (name, input, args, message) => {
    expect(() => apply(name, input, args)).toThrow(message as string);
  });
});

describe('numberformat (java.text.DecimalFormat)', () => {
  const cases: Case[] = [
    ['numberformat', 3.141592653, { format: '#.##' }, '3.14'],
    // DecimalFormat rounds HALF_EVEN on the exact binary value.
    ['numberformat', 0.125, { format: '#.##' }, '0.12'],
    ['numberformat', 0.375, { format: '#.##' }, '0.38'],
    ['numberformat', 0.5, { format: '#.##' }, '0.5'],
    ['numberformat', 0.4, { format: '#' }, '0'],
    ['numberformat', 2.675, { format: '#.##' }, '2.67'],
    ['numberformat', 12.5, { format: '#' }, '12'],
    ['numberformat', 13.5, { format: '#' }, '14'],
    ['numberformat', 1234567.891, {}, '1,234,567.891'],
    ['numberformat', 1234.5, { format: '#,##0.00' }, '1,234.50'],
    ['numberformat', 0.5, { format: '#.00' }, '.50'],
    ['numberformat', 0.001, { format: '#.##' }, '0'],
    ['numberformat', 42, { format: '000000' }, '000042'],
    ['numberformat', 0.256, { format: '#%' }, '26%'],
    ['numberformat', -1234.5, { format: '#,##0.0' }, '-1,234.5'],
    ['numberformat', -1.5, { format: '0.0;(0.0)' }, '(1.5)'],
    ['numberformat', -0.001, { format: '#.##' }, '-0'],
    ['numberformat', 12, { format: "'#'#" }, '#12'],
    ['numberformat', 7, { format: "0 'units'" }, '7 units'],
    ['numberformat', 1e21, { format: '#,##0' }, '1,000,000,000,000,000,000,000'],
    ['numberFormat', 3.14159, { format: '0.000' }, '3.142'],
    ['numberformat', null, { format: '#' }, null],
  ];
  it.each(cases)('%s(%j, %j) = %j', (name, input, args, expected) => {
    expect(apply(name, input, args)).toEqual(expected);
  });

  const errors: Case[] = [
    ['numberformat', '3.14', { format: '#.#' }, '`numberformat` expects a number, got string "3.14"'],
    ['numberformat', 1, { format: '0.0E0' }, 'pattern "0.0E0" uses the unsupported symbol E'],
    ['numberformat', 1, { format: 'abc' }, 'malformed pattern "abc"'],
    ['numberformat', 1, { format: "'open" }, 'unterminated quote in pattern'],
  ];
  it.each(errors)('%s(%j, %j) fails with %j', (name, input, args, message) => {
    expect(() => apply(name, input, args)).toThrow(message as string);
  });
});
