import { describe, expect, it } from 'vitest';
import { CronSyntaxError, describeCron, firesBetween, isValidTimezone, nextFire, parseCron, previousFire } from '../../../src/scheduler/cron.js';

const at = (iso: string) => new Date(iso);
const iso = (d: Date | undefined) => d?.toISOString();
const between = (cron: string, timezone: string, from: string, to: string) => firesBetween(cron, { timezone }, at(from), at(to)).map(iso);

describe('cron parsing', () => {
  it('reads ranges, steps, lists, names, 7 as Sunday and nicknames', () => {
    const spec = parseCron('*/20 9-17/4 1,15 JAN-MAR mon-fri');
    expect(spec.minutes).toEqual([0, 20, 40]);
    expect(spec.hours).toEqual([9, 13, 17]);
    expect([...spec.daysOfMonth]).toEqual([1, 15]);
    expect([...spec.months]).toEqual([1, 2, 3]);
    expect([...spec.daysOfWeek]).toEqual([1, 2, 3, 4, 5]);
    expect([...parseCron('0 0 * * 7').daysOfWeek]).toEqual([0]);
    expect(parseCron('5/15 * * * *').minutes).toEqual([5, 20, 35, 50]);
    for (const [nick, fields] of [['@yearly', '0 0 1 1 *'], ['@annually', '0 0 1 1 *'], ['@monthly', '0 0 1 * *'], ['@weekly', '0 0 * * 0'], ['@daily', '0 0 * * *'], ['@midnight', '0 0 * * *'], ['@hourly', '0 * * * *']]) {
      expect(parseCron(nick as string).fields.join(' ')).toBe(fields);
    }
    expect(parseCron('@hourly', true).fields.join(' ')).toBe('0 0 * * * *');
  });

  it('names the field and the value at fault', () => {
    expect(() => parseCron('0 24 * * *')).toThrow(/hour field: 24 is out of range 0-23/);
    expect(() => parseCron('0 0 * * 8')).toThrow(/day-of-week field: 8 is out of range 0-7/);
    expect(() => parseCron('0 0 * FOO *')).toThrow(/month field: `FOO` is not a valid value/);
    expect(() => parseCron('*/0 * * * *')).toThrow(/minute field: step `0`/);
    expect(() => parseCron('0 5-2 * * *')).toThrow(/range `5-2` runs backwards/);
    expect(() => parseCron('* * * * * *')).toThrow(/set withSeconds: true/);
    expect(() => parseCron('* * * * *', true)).toThrow(/withSeconds is true, so 6 fields/);
    expect(() => parseCron('@sometimes')).toThrow(CronSyntaxError);
  });
});

describe('next and previous fire', () => {
  it('walks 5-field crons with day-of-month OR day-of-week (Vixie cron), Feb 29, and never-firing crons', () => {
    expect(iso(nextFire('0 2 * * 6', { timezone: 'Europe/Paris' }, at('2025-06-01T00:00:00Z')))).toBe('2025-06-07T00:00:00.000Z');
    // The 13th or any Friday.
    expect(between('0 0 13 * 5', 'UTC', '2025-06-01T00:00:00Z', '2025-06-14T00:00:00Z')).toEqual(['2025-06-06T00:00:00.000Z', '2025-06-13T00:00:00.000Z']);
    expect(iso(nextFire('0 0 29 2 *', {}, at('2025-01-01T00:00:00Z')))).toBe('2028-02-29T00:00:00.000Z');
    expect(nextFire('0 0 30 2 *', {}, at('2025-01-01T00:00:00Z'))).toBeUndefined();
  });

  it('fires strictly after `after` and strictly before `before`', () => {
    expect(iso(nextFire('0 * * * *', {}, at('2025-01-01T10:00:00Z')))).toBe('2025-01-01T11:00:00.000Z');
    expect(iso(nextFire('0 * * * *', {}, at('2025-01-01T09:59:59.999Z')))).toBe('2025-01-01T10:00:00.000Z');
    expect(iso(previousFire('0 * * * *', {}, at('2025-01-01T10:00:00Z')))).toBe('2025-01-01T09:00:00.000Z');
    expect(iso(previousFire('0 * * * *', {}, at('2025-01-01T10:00:00.001Z')))).toBe('2025-01-01T10:00:00.000Z');
  });

  it('reads a 6-field cron as seconds first when withSeconds is set', () => {
    const fires = firesBetween('*/15 * * * * *', { withSeconds: true }, at('2025-01-01T00:00:00.500Z'), at('2025-01-01T00:01:00Z'));
    expect(fires.map(iso)).toEqual(['2025-01-01T00:00:15.000Z', '2025-01-01T00:00:30.000Z', '2025-01-01T00:00:45.000Z', '2025-01-01T00:01:00.000Z']);
    expect(iso(nextFire('30 0 12 * * *', { withSeconds: true, timezone: 'America/New_York' }, at('2025-01-01T00:00:00Z')))).toBe('2025-01-01T17:00:30.000Z');
  });
});

describe('daylight saving time (Kestra / cron-utils rule)', () => {
  it('Europe/Paris spring forward (2025-03-30, 02:00 → 03:00): a 02:30 fire is skipped that day', () => {
    expect(between('30 2 * * *', 'Europe/Paris', '2025-03-29T00:00:00Z', '2025-04-01T00:00:00Z')).toEqual([
      '2025-03-29T01:30:00.000Z', // 02:30 CET
      '2025-03-31T00:30:00.000Z', // 02:30 CEST, the 30th has none
    ]);
    expect(iso(previousFire('30 2 * * *', { timezone: 'Europe/Paris' }, at('2025-03-31T00:00:00Z')))).toBe('2025-03-29T01:30:00.000Z');
    // Hourly follows real time: 01:00 CET, then 03:00 CEST one hour later.
    expect(between('0 * * * *', 'Europe/Paris', '2025-03-29T23:30:00Z', '2025-03-30T02:00:00Z')).toEqual([
      '2025-03-30T00:00:00.000Z', '2025-03-30T01:00:00.000Z', '2025-03-30T02:00:00.000Z',
    ]);
  });

  it('Europe/Paris fall back (2025-10-26, 03:00 → 02:00): a daily 02:30 fires once, on the first pass', () => {
    expect(between('30 2 * * *', 'Europe/Paris', '2025-10-25T12:00:00Z', '2025-10-27T12:00:00Z')).toEqual([
      '2025-10-26T00:30:00.000Z', // 02:30 CEST
      '2025-10-27T01:30:00.000Z', // 02:30 CET the next day; 02:30 CET on the 26th (01:30Z) is not a fire
    ]);
    expect(iso(previousFire('30 2 * * *', { timezone: 'Europe/Paris' }, at('2025-10-26T12:00:00Z')))).toBe('2025-10-26T00:30:00.000Z');
  });

  it('America/New_York spring forward (2025-03-09) and fall back (2025-11-02)', () => {
    expect(iso(nextFire('30 2 * * *', { timezone: 'America/New_York' }, at('2025-03-08T17:00:00Z')))).toBe('2025-03-10T06:30:00.000Z');
    expect(between('30 1 * * *', 'America/New_York', '2025-11-01T00:00:00Z', '2025-11-04T00:00:00Z')).toEqual([
      '2025-11-01T05:30:00.000Z', '2025-11-02T05:30:00.000Z', '2025-11-03T06:30:00.000Z',
    ]);
    // Hourly (and more frequent) crons fire in both passes of the repeated hour: 01:00 EDT and 01:00 EST.
    expect(between('0 * * * *', 'America/New_York', '2025-11-02T04:30:00Z', '2025-11-02T07:30:00Z')).toEqual([
      '2025-11-02T05:00:00.000Z', '2025-11-02T06:00:00.000Z', '2025-11-02T07:00:00.000Z',
    ]);
    expect(between('0,30 1 * * *', 'America/New_York', '2025-11-02T00:00:00Z', '2025-11-02T12:00:00Z')).toEqual([
      '2025-11-02T05:00:00.000Z', '2025-11-02T05:30:00.000Z', '2025-11-02T06:00:00.000Z', '2025-11-02T06:30:00.000Z',
    ]);
    // Asked from inside the second pass, the daily fire is still not repeated.
    expect(iso(nextFire('30 1 * * *', { timezone: 'America/New_York' }, at('2025-11-02T06:10:00Z')))).toBe('2025-11-03T06:30:00.000Z');
  });
});

describe('describeCron and time zones', () => {
  it('says the cron in words with its zone', () => {
    expect(describeCron('0 2 * * 6', { timezone: 'Europe/Paris' })).toBe('At 02:00 on Saturday, Europe/Paris');
    expect(describeCron('@daily')).toBe('At 00:00, UTC');
    expect(describeCron('*/15 * * * *', { timezone: 'America/New_York' })).toBe('Every 15 minutes, America/New_York');
    expect(describeCron('*/5 * * * * *', { withSeconds: true })).toBe('Every 5 seconds, UTC');
  });

  it('knows IANA zones and refuses others', () => {
    expect(isValidTimezone('Europe/Paris')).toBe(true);
    expect(isValidTimezone('UTC')).toBe(true);
    expect(isValidTimezone('Europe/Pariss')).toBe(false);
    expect(() => nextFire('* * * * *', { timezone: 'Mars/Olympus' }, new Date())).toThrow(/unknown time zone `Mars\/Olympus`/);
  });
});
