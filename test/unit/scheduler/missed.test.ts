import { describe, expect, it } from 'vitest';
import { backfillFires, planMissed } from '../../../src/scheduler/missed.js';

const at = (iso: string) => new Date(iso);
const isos = (dates: Date[]) => dates.map((d) => d.toISOString());
const hourly = { cron: '0 * * * *', options: { timezone: 'UTC' } };
// Last fire 06:00, now 09:30: 07:00, 08:00 and 09:00 were missed.
const base = { ...hourly, lastFire: at('2025-01-01T06:00:00Z'), now: at('2025-01-01T09:30:00Z') };

describe('planMissed', () => {
  it('ALL starts every missed fire, oldest first', () => {
    expect(isos(planMissed({ ...base, policy: 'ALL' }).start)).toEqual(['2025-01-01T07:00:00.000Z', '2025-01-01T08:00:00.000Z', '2025-01-01T09:00:00.000Z']);
  });

  it('LAST starts only the latest missed fire', () => {
    expect(isos(planMissed({ ...base, policy: 'LAST' }).start)).toEqual(['2025-01-01T09:00:00.000Z']);
  });

  it('NONE starts nothing', () => {
    expect(planMissed({ ...base, policy: 'NONE' }).start).toEqual([]);
  });

  it('counts a fire exactly at now as missed, and the last fire itself never', () => {
    expect(isos(planMissed({ ...base, now: at('2025-01-01T09:00:00Z'), policy: 'ALL' }).start)).toHaveLength(3);
    expect(planMissed({ ...base, now: at('2025-01-01T06:30:00Z'), policy: 'ALL' }).start).toEqual([]);
  });

  it('misses nothing without a recorded last fire (a new trigger starts from now)', () => {
    expect(planMissed({ ...base, lastFire: undefined, policy: 'ALL' }).start).toEqual([]);
  });

  it('lateMaximumDelay skips fires older than now − delay, for ALL and LAST', () => {
    const late = { ...base, lateMaximumDelayMs: 90 * 60_000 }; // 08:00 onwards is within 1 h 30
    expect(isos(planMissed({ ...late, policy: 'ALL' }).start)).toEqual(['2025-01-01T08:00:00.000Z', '2025-01-01T09:00:00.000Z']);
    expect(isos(planMissed({ ...late, policy: 'LAST' }).start)).toEqual(['2025-01-01T09:00:00.000Z']);
    const tooLate = { ...base, lateMaximumDelayMs: 10 * 60_000 }; // even 09:00 is 30 min late
    expect(planMissed({ ...tooLate, policy: 'ALL' }).start).toEqual([]);
    expect(planMissed({ ...tooLate, policy: 'LAST' }).start).toEqual([]);
  });

  it('caps ALL after a long outage at the latest `limit` fires and says so', () => {
    const plan = planMissed({ ...base, lastFire: at('2024-01-01T00:00:00Z'), policy: 'ALL', limit: 5 });
    expect(plan.truncated).toBe(true);
    expect(isos(plan.start)).toEqual(['2025-01-01T05:00:00.000Z', '2025-01-01T06:00:00.000Z', '2025-01-01T07:00:00.000Z', '2025-01-01T08:00:00.000Z', '2025-01-01T09:00:00.000Z']);
    expect(planMissed({ ...base, policy: 'ALL', limit: 3 }).truncated).toBe(false);
  });

  it('follows the trigger time zone and seconds', () => {
    const plan = planMissed({ cron: '*/1 * * * * *', options: { withSeconds: true }, lastFire: at('2025-01-01T00:00:10Z'), now: at('2025-01-01T00:00:13.400Z'), policy: 'ALL' });
    expect(isos(plan.start)).toEqual(['2025-01-01T00:00:11.000Z', '2025-01-01T00:00:12.000Z', '2025-01-01T00:00:13.000Z']);
    const paris = planMissed({ cron: '0 2 * * *', options: { timezone: 'Europe/Paris' }, lastFire: at('2025-06-01T00:00:00Z'), now: at('2025-06-03T12:00:00Z'), policy: 'ALL' });
    expect(isos(paris.start)).toEqual(['2025-06-02T00:00:00.000Z', '2025-06-03T00:00:00.000Z']);
  });
});

describe('backfillFires', () => {
  it('includes both ends of the range', () => {
    expect(isos(backfillFires('0 0 * * *', {}, at('2025-01-01T00:00:00Z'), at('2025-01-03T00:00:00Z'), 100))).toEqual([
      '2025-01-01T00:00:00.000Z', '2025-01-02T00:00:00.000Z', '2025-01-03T00:00:00.000Z',
    ]);
  });
});
