import { describe, expect, it } from 'vitest';
import type { ExprArgs, RenderScope } from '../../../src/expr/define.js';
import { dateFilters } from '../../../src/expr/filters/dates.js';

const scope: RenderScope = { revealedSecrets: new Set() };

function apply(name: string, input: unknown, args: ExprArgs = {}): unknown {
  const filter = dateFilters.find((candidate) => candidate.name === name);
  if (!filter) throw new Error(`no filter ${name}`);
  return filter.apply(input, args, scope);
}

/** Kestra's own test instant: Sunday 2013-09-08 15:19:12.123456 UTC, summer time in Paris. */
const ZONED = '2013-09-08T16:19:12.123456+01:00';
const PARIS = { timeZone: 'Europe/Paris' };

type Case = [input: unknown, args: ExprArgs, expected: unknown];

describe('date: inputs and zones (Kestra DateFilterTest)', () => {
  const cases: Case[] = [
    [ZONED, { format: 'iso', ...PARIS }, '2013-09-08T17:19:12.123456+02:00'],
    [ZONED, { format: 'iso_sec', ...PARIS }, '2013-09-08T17:19:12+02:00'],
    [new Date('2013-09-08T15:19:12.123Z'), { format: 'iso', ...PARIS }, '2013-09-08T17:19:12.123000+02:00'],
    ['2013-09-08T16:19:12.123456', { format: 'yyyy-MM-dd HH:mm:ss.SSSSSSXXX', ...PARIS }, '2013-09-08 16:19:12.123456+02:00'],
    ['2013-09-08T16:19:12.123456', { format: 'yyyy-MM-dd HH:mm:ss.SSSSSSXXX', timeZone: 'UTC' }, '2013-09-08 16:19:12.123456Z'],
    ['July 24, 2001', { format: 'yyyy-MM-dd', existingFormat: 'MMMM dd, yyyy' }, '2001-07-24'],
    ['2013-09-08T17:19:12+02:00', PARIS, '2013-09-08T17:19:12.000000+02:00'],
    ['2013-09-08T17:19:12', PARIS, '2013-09-08T17:19:12.000000+02:00'],
    ['2013-09-08', PARIS, '2013-09-08T00:00:00.000000+02:00'],
    ['Tue, 08 Feb 2022 19:38:26 GMT', { existingFormat: 'rfc_1123_date_time', ...PARIS }, '2022-02-08T20:38:26.000000+01:00'],
    // Without timeZone the result is shown in UTC, whatever offset the input had.
    ['2013-09-08T17:19:12+02:00', {}, '2013-09-08T15:19:12.000000Z'],
    ['2013-09-08T17:19:12.5+02:00[Europe/Paris]', {}, '2013-09-08T15:19:12.500000Z'],
    // Numbers are epoch seconds.
    [0, {}, '1970-01-01T00:00:00.000000Z'],
    [1378653552, { format: 'yyyy-MM-dd HH:mm', ...PARIS }, '2013-09-08 17:19'],
    [null, {}, null],
  ];
  it.each(cases)('date(%j, %j) = %j', (input, args, expected) => {
    expect(apply('date', input, args)).toBe(expected);
  });
});

describe('date: Europe/Paris across DST', () => {
  const cases: Case[] = [
    ['2024-03-31T00:30:00Z', { format: 'yyyy-MM-dd HH:mm XXX', ...PARIS }, '2024-03-31 01:30 +01:00'],
    ['2024-03-31T01:30:00Z', { format: 'yyyy-MM-dd HH:mm XXX', ...PARIS }, '2024-03-31 03:30 +02:00'],
    ['2024-10-27T00:30:00Z', { format: 'HH:mm XXX', ...PARIS }, '02:30 +02:00'],
    ['2024-10-27T01:30:00Z', { format: 'HH:mm XXX', ...PARIS }, '02:30 +01:00'],
    // 02:30 does not exist on 31 March: it moves forward by the gap, as ZonedDateTime.ofLocal does.
    ['2024-03-31T02:30:00', PARIS, '2024-03-31T03:30:00.000000+02:00'],
    // 02:30 happens twice on 27 October: the earlier offset wins.
    ['2024-10-27T02:30:00', PARIS, '2024-10-27T02:30:00.000000+02:00'],
    ['2024-01-15T12:00:00Z', { format: 'zzzz', ...PARIS }, 'Central European Standard Time'],
    ['2024-07-15T12:00:00Z', { format: 'zzzz', ...PARIS }, 'Central European Summer Time'],
  ];
  it.each(cases)('date(%j, %j) = %j', (input, args, expected) => {
    expect(apply('date', input, args)).toBe(expected);
  });
});

describe('date: Java pattern letters', () => {
  const cases: [format: string, expected: string][] = [
    ['yyyy-MM-dd', '2013-09-08'],
    ['yy', '13'],
    ['u', '2013'],
    ['M MM MMM MMMM MMMMM', '9 09 Sep September S'],
    ['d dd D DDD', '8 08 251 251'],
    ['H HH h hh K k a', '17 17 5 05 5 17 PM'],
    ['mm ss', '19 12'],
    ['S SSS SSSSSS SSSSSSSSS', '1 123 123456 123456000'],
    ['E EEE EEEE', 'Sun Sun Sunday'],
    ['X XX XXX Z ZZZZ ZZZZZ', '+02 +0200 +02:00 +0200 GMT+02:00 +02:00'],
    ['x xx xxx O OOOO', '+02 +0200 +02:00 GMT+2 GMT+02:00'],
    ['VV', 'Europe/Paris'],
    ['G Q QQQ QQQQ', 'AD 3 Q3 3rd quarter'],
    // Week fields follow en-US: Sunday starts the week, week 1 holds January 1.
    ["'week' w 'of' Y", 'week 37 of 2013'],
    ["yyyy-MM-dd'T'HH:mm:ss", '2013-09-08T17:19:12'],
    ["'o''clock' h", "o'clock 5"],
    ["''", "'"],
    ['[yyyy]', '2013'],
  ];
  it.each(cases)('date(format=%j) = %j', (format, expected) => {
    expect(apply('date', ZONED, { format, ...PARIS })).toBe(expected);
  });

  it('prints Z or +00:00 for a zero offset, as each letter says', () => {
    expect(apply('date', ZONED, { format: 'XXX xxx Z', timeZone: 'UTC' })).toBe('Z +00:00 +0000');
  });

  it('uses the locale for names', () => {
    expect(apply('date', ZONED, { format: 'EEEE d MMMM yyyy', locale: 'fr_FR', ...PARIS })).toBe('dimanche 8 septembre 2013');
  });
});

describe('date: named formats', () => {
  const cases: [format: string, expected: string][] = [
    ['iso', '2013-09-08T17:19:12.123456+02:00'],
    ['sql', '2013-09-08 17:19:12.123456'],
    ['sql_seq', '2013-09-08 17:19:12'],
    ['iso_date_time', '2013-09-08T17:19:12.123456+02:00[Europe/Paris]'],
    ['iso_zoned_date_time', '2013-09-08T17:19:12.123456+02:00[Europe/Paris]'],
    ['iso_date', '2013-09-08+02:00'],
    ['iso_time', '17:19:12.123456+02:00'],
    ['iso_offset_time', '17:19:12.123456+02:00'],
    ['iso_local_date', '2013-09-08'],
    ['iso_local_time', '17:19:12.123456'],
    ['iso_local_date_time', '2013-09-08T17:19:12.123456'],
    ['iso_instant', '2013-09-08T15:19:12.123456Z'],
    ['iso_ordinal_date', '2013-251+02:00'],
    ['iso_week_date', '2013-W36-7+02:00'],
    ['rfc_1123_date_time', 'Sun, 8 Sep 2013 17:19:12 +0200'],
  ];
  it.each(cases)('date(format=%j) = %j', (format, expected) => {
    expect(apply('date', ZONED, { format, ...PARIS })).toBe(expected);
  });

  it('prints a region zone in brackets and an offset zone without', () => {
    expect(apply('date', ZONED, { format: 'iso_date_time', timeZone: 'UTC' })).toBe('2013-09-08T15:19:12.123456Z[UTC]');
    expect(apply('date', ZONED, { format: 'iso_date_time', timeZone: '+05:30' })).toBe('2013-09-08T20:49:12.123456+05:30');
    expect(apply('date', '2013-09-08T15:19:12Z', { format: 'iso_date_time', timeZone: 'Z' })).toBe('2013-09-08T15:19:12Z');
  });

  it('formats localized styles through Intl', () => {
    expect(apply('date', ZONED, { format: 'medium', ...PARIS })).toMatch(/^Sep 8, 2013, 5:19:12\sPM$/);
  });
});

describe('date: parsing with existingFormat', () => {
  const cases: Case[] = [
    ['08/09/2013 17:19', { existingFormat: 'dd/MM/yyyy HH:mm', ...PARIS }, '2013-09-08T17:19:00.000000+02:00'],
    ['2013-09-08 05:19 PM', { existingFormat: 'yyyy-MM-dd hh:mm a' }, '2013-09-08T17:19:00.000000Z'],
    ['2013-09-08 12:05 AM', { existingFormat: 'yyyy-MM-dd hh:mm a' }, '2013-09-08T00:05:00.000000Z'],
    ['20130908', { existingFormat: 'yyyyMMdd' }, '2013-09-08T00:00:00.000000Z'],
    ['08.09.13', { existingFormat: 'dd.MM.yy' }, '2013-09-08T00:00:00.000000Z'],
    ['2013-09-08 17:19:12 +0200', { existingFormat: 'yyyy-MM-dd HH:mm:ss Z' }, '2013-09-08T15:19:12.000000Z'],
    ['2013-09-08 17:19 Europe/Paris', { existingFormat: 'yyyy-MM-dd HH:mm VV' }, '2013-09-08T15:19:00.000000Z'],
    ['Sun, 08 Sep 2013', { existingFormat: 'EEE, dd MMM yyyy' }, '2013-09-08T00:00:00.000000Z'],
    ['2013-09-08T17:19:12.123456+02:00', { existingFormat: 'iso', ...PARIS }, '2013-09-08T17:19:12.123456+02:00'],
    ['2013-09-08 17:19:12.123456', { existingFormat: 'sql', ...PARIS }, '2013-09-08T17:19:12.123456+02:00'],
    ['2013-251', { existingFormat: 'yyyy-DDD' }, '2013-09-08T00:00:00.000000Z'],
    // Java's SMART resolver clamps the day to the end of the month for ofPattern formats.
    ['2013-02-31', { existingFormat: 'yyyy-MM-dd' }, '2013-02-28T00:00:00.000000Z'],
    // Without a time Kestra falls back to LocalDate, dropping the parsed offset.
    ['2013-09-08+05:00', { existingFormat: 'yyyy-MM-ddXXX' }, '2013-09-08T00:00:00.000000Z'],
  ];
  it.each(cases)('date(%j, %j) = %j', (input, args, expected) => {
    expect(apply('date', input, args)).toBe(expected);
  });
});

describe('date: errors name the bad value', () => {
  const errors: Case[] = [
    ['not a date', {}, 'cannot parse "not a date" as an ISO-8601 date'],
    ['2013-02-31', {}, 'invalid day 31 in "2013-02-31"'],
    ['July 24', { existingFormat: 'MMMM dd, yyyy' }, 'cannot parse "July 24" with the date format "MMMM dd, yyyy"'],
    ['Mon, 08 Sep 2013', { existingFormat: 'EEE, dd MMM yyyy' }, '"Mon, 08 Sep 2013" names the wrong day of the week for 2013-09-08'],
    ['09-08', { existingFormat: 'MM-dd' }, '"09-08" has no year'],
    [ZONED, { format: 'yyyy-bb' }, "'b' is not a pattern letter in date pattern \"yyyy-bb\""],
    [ZONED, { format: 'W' }, "'W' is not supported in date pattern"],
    [ZONED, { format: 'HHH' }, "invalid number of 'H' letters (3)"],
    [ZONED, { format: "'open" }, 'unterminated quote in date pattern'],
    [ZONED, { timeZone: 'Mars/Olympus' }, 'unknown time zone "Mars/Olympus"'],
    [ZONED, { locale: 'not a locale!!' }, 'invalid locale "not a locale!!"'],
    [ZONED, { format: 12 }, 'argument `format` must be a string, got number 12'],
    [1.5, {}, 'a number input must be whole epoch seconds, got 1.5'],
    [[1], {}, '`date` expects a date, an ISO-8601 string or epoch seconds, got a list'],
    ['2013-09-08', { existingFormat: 'medium' }, 'cannot parse dates with the localized style "medium"'],
  ];
  it.each(errors)('date(%j, %j) fails with %j', (input, args, message) => {
    expect(() => apply('date', input, args)).toThrow(message as string);
  });
});

describe('dateAdd', () => {
  const cases: Case[] = [
    [ZONED, { amount: -1, unit: 'DAYS', ...PARIS }, '2013-09-07T17:19:12.123456+02:00'],
    // A calendar day across the spring change is 23 hours: the wall clock stays at noon.
    ['2024-03-30T12:00:00', { amount: 1, unit: 'DAYS', ...PARIS }, '2024-03-31T12:00:00.000000+02:00'],
    ['2024-03-30T12:00:00', { amount: 24, unit: 'HOURS', ...PARIS }, '2024-03-31T13:00:00.000000+02:00'],
    // Date units keep the offset when it is still valid in an overlap; time units move the instant.
    ['2024-10-26T02:30:00', { amount: 1, unit: 'DAYS', ...PARIS }, '2024-10-27T02:30:00.000000+02:00'],
    ['2024-10-27T02:30:00', { amount: 1, unit: 'HOURS', ...PARIS }, '2024-10-27T02:30:00.000000+01:00'],
    // Arithmetic happens in the input's own zone (here UTC), then the result is shown in timeZone.
    ['2024-03-30T12:00:00Z', { amount: 1, unit: 'DAYS', ...PARIS }, '2024-03-31T14:00:00.000000+02:00'],
    ['2024-01-31T10:00:00Z', { amount: 1, unit: 'MONTHS' }, '2024-02-29T10:00:00.000000Z'],
    ['2024-02-29', { amount: 1, unit: 'YEARS' }, '2025-02-28T00:00:00.000000Z'],
    ['2024-01-01T00:00:00Z', { amount: 2, unit: 'WEEKS' }, '2024-01-15T00:00:00.000000Z'],
    ['2024-01-01T00:00:00Z', { amount: 1, unit: 'HALF_DAYS' }, '2024-01-01T12:00:00.000000Z'],
    ['2024-01-01T00:00:00Z', { amount: -1, unit: 'DECADES' }, '2014-01-01T00:00:00.000000Z'],
    ['2024-01-01T00:00:00Z', { amount: 90, unit: 'MINUTES' }, '2024-01-01T01:30:00.000000Z'],
    ['2024-01-01T00:00:00.999999999Z', { amount: 1, unit: 'NANOS', format: 'iso_instant' }, '2024-01-01T00:00:01Z'],
    ['2024-01-01T00:00:00Z', { amount: -1, unit: 'NANOS', format: "yyyy-MM-dd'T'HH:mm:ss.SSSSSSSSS" }, '2023-12-31T23:59:59.999999999'],
    ['2024-01-01T00:00:00Z', { amount: 1500, unit: 'MILLIS', format: 'iso_instant' }, '2024-01-01T00:00:01.500Z'],
    ['2024-01-01T00:00:00Z', { amount: 7, unit: 'MICROS', format: 'iso_instant' }, '2024-01-01T00:00:00.000007Z'],
    [null, { amount: 1, unit: 'DAYS' }, null],
  ];
  it.each(cases)('dateAdd(%j, %j) = %j', (input, args, expected) => {
    expect(apply('dateAdd', input, args)).toBe(expected);
  });

  const errors: Case[] = [
    [ZONED, { amount: 1, unit: 'days' }, 'unknown unit "days"; expected one of NANOS'],
    [ZONED, { amount: 1, unit: 'FOREVER' }, 'unknown unit "FOREVER"'],
    [ZONED, { unit: 'DAYS' }, '`dateAdd` expects an integer argument `amount`'],
    [ZONED, { amount: 1.5, unit: 'DAYS' }, 'argument `amount` must be an integer, got number 1.5'],
    [ZONED, { amount: 1 }, '`dateAdd` expects an argument `unit`'],
  ];
  it.each(errors)('dateAdd(%j, %j) fails with %j', (input, args, message) => {
    expect(() => apply('dateAdd', input, args)).toThrow(message as string);
  });
});

describe('timestamps', () => {
  const cases: [name: string, input: unknown, args: ExprArgs, expected: unknown][] = [
    ['timestamp', ZONED, PARIS, 1378653552],
    ['timestampMilli', ZONED, PARIS, 1378653552123],
    ['timestampMicro', ZONED, PARIS, '1378653552123456'],
    ['timestampNano', ZONED, PARIS, '1378653552123456000'],
    // A local date-time is placed in timeZone before counting.
    ['timestamp', '2013-09-08T17:19:12', PARIS, 1378653552],
    ['timestamp', '2013-09-08T17:19:12', {}, 1378660752],
    ['timestamp', '2024-10-27T02:30:00', PARIS, 1729989000],
    ['timestampMilli', new Date(1700000000123), {}, 1700000000123],
    ['timestamp', '08/09/2013', { existingFormat: 'dd/MM/yyyy', ...PARIS }, 1378591200],
    ['timestampNano', null, {}, null],
  ];
  it.each(cases)('%s(%j, %j) = %j', (name, input, args, expected) => {
    expect(apply(name, input, args)).toBe(expected);
  });

  it('fails on a bad time zone', () => {
    expect(() => apply('timestamp', ZONED, { timeZone: 'Nowhere' })).toThrow('`timestamp`: unknown time zone "Nowhere"');
  });
});
