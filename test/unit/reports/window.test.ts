import { describe, expect, it } from 'vitest';
import { isPatchbayError } from '../../../src/errors.js';
import { givenNextWindow, nextWindowOf } from '../../../src/reports/next-window.js';
import { daysOf, resolveWindow } from '../../../src/reports/window.js';

const NOW = new Date('2026-11-21T05:00:00.000Z');

function usageError(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (isPatchbayError(error) && error.code === 'USAGE') return error.message;
    throw error;
  }
  throw new Error('expected a USAGE error');
}

describe('resolveWindow', () => {
  it('defaults to the last 7 days up to now', () => {
    expect(resolveWindow({}, NOW)).toEqual({ since: '2026-11-14T05:00:00.000Z', until: '2026-11-21T05:00:00.000Z', sinceSource: 'default' });
  });

  it('uses the previous fire of the schedule when since is not given', () => {
    expect(resolveWindow({ previousFire: '2026-11-14T06:00:00+01:00' }, NOW)).toMatchObject({ since: '2026-11-14T05:00:00.000Z', sinceSource: 'trigger' });
    // An explicit since wins over the trigger.
    expect(resolveWindow({ since: 'P1D', previousFire: '2026-11-14T06:00:00+01:00' }, NOW)).toMatchObject({ since: '2026-11-20T05:00:00.000Z', sinceSource: 'given' });
  });

  it('reads durations back from until, instants with their offset, dates in the report zone', () => {
    expect(resolveWindow({ since: 'PT12H', until: '2026-11-20T00:00:00Z' }, NOW)).toMatchObject({ since: '2026-11-19T12:00:00.000Z', until: '2026-11-20T00:00:00.000Z' });
    expect(resolveWindow({ since: '2026-11-14', timezone: 'Europe/Paris' }, NOW).since).toBe('2026-11-13T23:00:00.000Z');
    expect(resolveWindow({ since: 'p2d' }, NOW).since).toBe('2026-11-19T05:00:00.000Z');
    expect(resolveWindow({ until: 'P1D' }, NOW)).toMatchObject({ since: '2026-11-13T05:00:00.000Z', until: '2026-11-20T05:00:00.000Z' });
  });

  it('refuses what it cannot read, naming the field and the value', () => {
    expect(usageError(() => resolveWindow({ since: 'last week' }, NOW))).toBe('`since`: "last week" is neither an ISO-8601 instant (2026-11-14T02:00:00Z) nor a duration (P7D)');
    expect(usageError(() => resolveWindow({ until: 'tomorrow' }, NOW))).toContain('`until`: "tomorrow"');
    expect(usageError(() => resolveWindow({ since: '2026-11-22T00:00:00Z' }, NOW))).toBe('`since` (2026-11-22T00:00:00.000Z) must be before `until` (2026-11-21T05:00:00.000Z)');
  });
});

describe('daysOf', () => {
  it('lists the days of the window in the zone, until exclusive, the latest ones when too many', () => {
    expect(daysOf({ since: '2026-11-19T23:30:00Z', until: '2026-11-21T00:00:00Z' }, 'UTC')).toEqual(['2026-11-19', '2026-11-20']);
    expect(daysOf({ since: '2026-11-19T23:30:00Z', until: '2026-11-21T00:00:00Z' }, 'Europe/Paris')).toEqual(['2026-11-20', '2026-11-21']);
    const many = daysOf({ since: '2026-01-01T00:00:00Z', until: '2026-12-31T00:00:00Z' }, 'UTC', 10);
    expect(many).toHaveLength(10);
    expect(many.at(-1)).toBe('2026-12-30');
  });
});

describe('next window', () => {
  it('is the earliest next fire of the schedules, with the cron in words', () => {
    const next = nextWindowOf([
      { flow: 'company.ops.monthly', triggerId: 'm', cron: '0 2 1 * *', timezone: 'Europe/Paris' },
      { flow: 'company.ops.safe-patch', triggerId: 'w', cron: '0 2 * * 6', timezone: 'Europe/Paris' },
      { flow: 'company.ops.broken', triggerId: 'b', cron: 'not a cron' },
    ], NOW);
    // Saturday 28 Nov 2026 02:00 in Paris (UTC+1).
    expect(next).toEqual({ at: '2026-11-28T01:00:00.000Z', description: 'At 02:00 on Saturday, Europe/Paris', flow: 'company.ops.safe-patch' });
    expect(nextWindowOf([], NOW)).toBeNull();
  });

  it('takes a given instant or text as it is', () => {
    expect(givenNextWindow('2026-12-05T02:00:00+01:00', 'UTC')).toEqual({ at: '2026-12-05T01:00:00.000Z', description: '2026-12-05T02:00:00+01:00' });
    expect(givenNextWindow('after the change freeze', 'UTC')).toEqual({ at: null, description: 'after the change freeze' });
    expect(givenNextWindow('  ', 'UTC')).toBeNull();
  });
});
