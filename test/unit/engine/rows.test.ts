import { describe, expect, it } from 'vitest';
import { iso } from '../../../src/engine/store/rows.js';

describe('timestamps from the database', () => {
  it.each([
    ['2026-11-21 15:31:52.698+00', '2026-11-21T15:31:52.698Z'],
    ['2026-11-21 17:31:52+02', '2026-11-21T15:31:52.000Z'],
    ['2026-11-21 10:01:52.5-05:30', '2026-11-21T15:31:52.500Z'],
    ['2026-11-21T15:31:52.698Z', '2026-11-21T15:31:52.698Z'],
  ])('%s → %s', (text, expected) => expect(iso(text)).toBe(expected));

  it('keeps Dates and nulls', () => {
    expect(iso(new Date('2026-01-02T03:04:05Z'))).toBe('2026-01-02T03:04:05.000Z');
    expect(iso(null)).toBeNull();
  });
});
