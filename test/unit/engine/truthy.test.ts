import { describe, expect, it } from 'vitest';
import { isTruthy } from '../../../src/engine/truthy.js';

describe('isTruthy', () => {
  it.each([false, 0, -0, Number.NaN, null, undefined, '', '  ', 'false', 'FALSE', ' False ', '0', ' 0 ', '-0'])('%j is false', (value) => {
    expect(isTruthy(value)).toBe(false);
  });

  it.each([true, 1, -1, 0.5, 'true', 'yes', 'no', 'off', 'null', '00', 'falsey', [], {}, [0]])('%j is true', (value) => {
    expect(isTruthy(value)).toBe(true);
  });

  it('reads bigints like numbers', () => {
    expect(isTruthy(0n)).toBe(false);
    expect(isTruthy(2n)).toBe(true);
  });
});
