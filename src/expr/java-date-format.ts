import { DateTime, Info } from 'luxon';
import { exprError } from './define.js';
import { tokenizePattern } from './java-date-pattern.js';
import { fieldsOf, offsetId, type JavaZone, type ZonedTime } from './java-time.js';

/**
 * Formats a `ZonedTime` with a `DateTimeFormatter.ofPattern` pattern or one of Kestra's named
 * formats. Text fields (month and day names, AM/PM, zone names) come from Intl/luxon for the
 * requested locale; Intl and Java both use CLDR data, but Intl has no abbreviation for many
 * zones and prints `GMT+2` where Java prints `CEST`. Week fields (`Y`, `w`) follow Java's
 * en-US rules (weeks start on Sunday, week 1 contains January 1).
 */
interface Context {
  local: DateTime;
  offsetMinutes: number;
  nano: number;
  zone: JavaZone;
  epochMs: number;
  locale: string;
}

const pad = (value: number, width: number): string =>
  value < 0 ? `-${String(-value).padStart(width, '0')}` : String(value).padStart(width, '0');

/** Java's year printing: `yy` keeps two digits, four or more letters pad and add `+` past the pad width. */
function year(value: number, count: number): string {
  if (count === 2) return pad(((value % 100) + 100) % 100, 2);
  const text = pad(value, count);
  return count >= 4 && value > 0 && String(value).length > count ? `+${text}` : text;
}

/** Java's `+HHMM`/`+HH:MM` offsets; `zero` is what an offset of 0 prints as. */
function offset(minutes: number, colon: boolean, optionalMinutes: boolean, zero: string): string {
  if (minutes === 0) return zero;
  const abs = Math.abs(minutes);
  const hours = pad(Math.floor(abs / 60), 2);
  const mins = abs % 60;
  const sign = minutes < 0 ? '-' : '+';
  if (optionalMinutes && mins === 0) return `${sign}${hours}`;
  return `${sign}${hours}${colon ? ':' : ''}${pad(mins, 2)}`;
}

function gmtOffset(minutes: number, long: boolean): string {
  if (minutes === 0) return 'GMT';
  const abs = Math.abs(minutes);
  const sign = minutes < 0 ? '-' : '+';
  const hours = long ? pad(Math.floor(abs / 60), 2) : String(Math.floor(abs / 60));
  return abs % 60 === 0 && !long ? `GMT${sign}${hours}` : `GMT${sign}${hours}:${pad(abs % 60, 2)}`;
}

/** The Intl zone to use for a Java zone; fixed offsets map to Etc/GMT∓h when they are whole hours. */
function intlZone(zone: JavaZone, offsetMinutes: number): string {
  if (!zone.fixed) return zone.id;
  if (offsetMinutes === 0) return 'UTC';
  if (offsetMinutes % 60 !== 0) throw exprError(`localized date styles need a region time zone, not the offset ${zone.id}`);
  return `Etc/GMT${offsetMinutes > 0 ? '-' : '+'}${Math.abs(offsetMinutes / 60)}`;
}

function zoneName(ctx: Context, long: boolean): string {
  if (ctx.zone.fixed) return ctx.zone.id;
  const parts = new Intl.DateTimeFormat(ctx.locale, { timeZone: ctx.zone.id, timeZoneName: long ? 'long' : 'short' }).formatToParts(ctx.epochMs);
  return parts.find((part) => part.type === 'timeZoneName')?.value ?? ctx.zone.id;
}

/** Week-based year and week number with Sunday-first weeks where week 1 holds January 1 (Java's en-US WeekFields). */
function usWeek(local: DateTime): { weekYear: number; week: number } {
  const sunday = local.startOf('day').minus({ days: local.weekday % 7 });
  const weekYear = sunday.plus({ days: 6 }).year;
  const jan1 = DateTime.utc(weekYear, 1, 1);
  const firstSunday = jan1.minus({ days: jan1.weekday % 7 });
  return { weekYear, week: Math.round(sunday.diff(firstSunday, 'days').days / 7) + 1 };
}

function text(count: number, short: string, long: string, narrow: string): string {
  return count === 4 ? long : count === 5 ? narrow : short;
}

function field(letter: string, count: number, ctx: Context): string {
  const { local, nano } = ctx;
  const names = { locale: ctx.locale };
  switch (letter) {
    case 'G':
      return text(count, local.year > 0 ? 'AD' : 'BC', local.year > 0 ? 'Anno Domini' : 'Before Christ', local.year > 0 ? 'A' : 'B');
    case 'u':
      return year(local.year, count);
    case 'y':
      return year(local.year > 0 ? local.year : 1 - local.year, count);
    case 'Y':
      return year(usWeek(local).weekYear, count);
    case 'w':
      return pad(usWeek(local).week, count);
    case 'Q':
    case 'q': {
      const quarter = Math.ceil(local.month / 3);
      if (count <= 2) return pad(quarter, count);
      return text(count, `Q${quarter}`, `${['1st', '2nd', '3rd', '4th'][quarter - 1]} quarter`, String(quarter));
    }
    case 'M':
    case 'L': {
      if (count <= 2) return pad(local.month, count);
      const length = count === 3 ? 'short' : count === 4 ? 'long' : 'narrow';
      const list = letter === 'M' ? Info.monthsFormat(length, names) : Info.months(length, names);
      return list[local.month - 1] as string;
    }
    case 'd':
      return pad(local.day, count);
    case 'D':
      return pad(local.ordinal, count);
    case 'E':
      return Info.weekdaysFormat(count === 4 ? 'long' : count === 5 ? 'narrow' : 'short', names)[local.weekday - 1] as string;
    case 'a':
      return Info.meridiems(names)[local.hour < 12 ? 0 : 1] as string;
    case 'h':
      return pad(local.hour % 12 === 0 ? 12 : local.hour % 12, count);
    case 'K':
      return pad(local.hour % 12, count);
    case 'k':
      return pad(local.hour === 0 ? 24 : local.hour, count);
    case 'H':
      return pad(local.hour, count);
    case 'm':
      return pad(local.minute, count);
    case 's':
      return pad(local.second, count);
    case 'S':
      return pad(nano, 9).slice(0, count);
    case 'n':
      return pad(nano, count);
    case 'A':
      return pad((local.hour * 3600 + local.minute * 60 + local.second) * 1000 + Math.floor(nano / 1e6), count);
    case 'N':
      return pad((local.hour * 3600 + local.minute * 60 + local.second) * 1e9 + nano, count);
    case 'V':
      return ctx.zone.id;
    case 'z':
      return zoneName(ctx, count === 4);
    case 'O':
      return gmtOffset(ctx.offsetMinutes, count === 4);
    case 'X':
    case 'x': {
      const zero = letter === 'X' ? 'Z' : count === 1 ? '+00' : count === 3 || count === 5 ? '+00:00' : '+0000';
      return offset(ctx.offsetMinutes, count === 3 || count === 5, count === 1, zero);
    }
    default: // 'Z'
      if (count === 4) return gmtOffset(ctx.offsetMinutes, true);
      return count === 5 ? offset(ctx.offsetMinutes, true, false, 'Z') : offset(ctx.offsetMinutes, false, false, '+0000');
  }
}

function formatPattern(owner: string, pattern: string, ctx: Context): string {
  return tokenizePattern(owner, pattern)
    .map((token) => (token.kind === 'field' ? field(token.letter, token.count, ctx) : token.kind === 'literal' ? token.text : ''))
    .join('');
}

/** ISO_LOCAL_DATE, ISO_LOCAL_TIME (fraction with as few digits as needed) and the offset id. */
const isoYear = (value: number): string => year(value, 4);
const isoDate = (ctx: Context): string => `${isoYear(ctx.local.year)}-${pad(ctx.local.month, 2)}-${pad(ctx.local.day, 2)}`;
function isoTime(ctx: Context): string {
  const fraction = ctx.nano === 0 ? '' : `.${pad(ctx.nano, 9).replace(/0+$/, '')}`;
  return `${pad(ctx.local.hour, 2)}:${pad(ctx.local.minute, 2)}:${pad(ctx.local.second, 2)}${fraction}`;
}
const isoOffset = (ctx: Context): string => offsetId(ctx.offsetMinutes);
const isoZoned = (ctx: Context): string => `${isoDate(ctx)}T${isoTime(ctx)}${isoOffset(ctx)}${ctx.zone.fixed ? '' : `[${ctx.zone.id}]`}`;

/** Kestra's named formats (AbstractDate.FORMATTERS and the localized styles). */
const NAMED: Record<string, string | ((ctx: Context) => string)> = {
  iso: "yyyy-MM-dd'T'HH:mm:ss.SSSSSSXXX",
  iso_sec: "yyyy-MM-dd'T'HH:mm:ssXXX",
  sql: 'yyyy-MM-dd HH:mm:ss.SSSSSS',
  sql_seq: 'yyyy-MM-dd HH:mm:ss',
  iso_date_time: isoZoned,
  iso_zoned_date_time: isoZoned,
  iso_date: (ctx) => `${isoDate(ctx)}${isoOffset(ctx)}`,
  iso_time: (ctx) => `${isoTime(ctx)}${isoOffset(ctx)}`,
  iso_offset_time: (ctx) => `${isoTime(ctx)}${isoOffset(ctx)}`,
  iso_local_date: isoDate,
  iso_local_time: isoTime,
  iso_local_date_time: (ctx) => `${isoDate(ctx)}T${isoTime(ctx)}`,
  iso_ordinal_date: (ctx) => `${isoYear(ctx.local.year)}-${pad(ctx.local.ordinal, 3)}${isoOffset(ctx)}`,
  iso_week_date: (ctx) => `${isoYear(ctx.local.weekYear)}-W${pad(ctx.local.weekNumber, 2)}-${ctx.local.weekday}${isoOffset(ctx)}`,
  iso_instant: (ctx) => {
    const utc = DateTime.fromMillis(ctx.epochMs, { zone: 'utc' });
    const digits = ctx.nano === 0 ? 0 : ctx.nano % 1_000_000 === 0 ? 3 : ctx.nano % 1000 === 0 ? 6 : 9;
    const fraction = digits === 0 ? '' : `.${pad(ctx.nano, 9).slice(0, digits)}`;
    return `${isoYear(utc.year)}-${pad(utc.month, 2)}-${pad(utc.day, 2)}T${pad(utc.hour, 2)}:${pad(utc.minute, 2)}:${pad(utc.second, 2)}${fraction}Z`;
  },
  // RFC 1123 always uses English names, an unpadded day and GMT for a zero offset.
  rfc_1123_date_time: (ctx) =>
    `${formatPattern('date', 'EEE, d MMM yyyy HH:mm:ss', { ...ctx, locale: 'en-US' })} ${offset(ctx.offsetMinutes, false, false, 'GMT')}`,
};

const STYLES = new Set(['full', 'long', 'medium', 'short']);

export const isNamedFormat = (format: string): boolean => Object.hasOwn(NAMED, format) || STYLES.has(format);

export function formatZoned(owner: string, time: ZonedTime, format: string, locale: string): string {
  const { local, offsetMinutes, nano } = fieldsOf(time);
  const ctx: Context = { local, offsetMinutes, nano, zone: time.zone, epochMs: time.epochSecond * 1000, locale };
  if (STYLES.has(format)) {
    const style = format as 'full' | 'long' | 'medium' | 'short';
    return new Intl.DateTimeFormat(locale, { dateStyle: style, timeStyle: style, timeZone: intlZone(time.zone, offsetMinutes) }).format(ctx.epochMs);
  }
  const named = Object.hasOwn(NAMED, format) ? (NAMED[format] as string | ((ctx: Context) => string)) : format;
  return typeof named === 'function' ? named(ctx) : formatPattern(owner, named, ctx);
}

/** The `ofPattern` pattern behind a named format, when it has one (used to parse with `existingFormat`). */
export function namedPattern(format: string): string | undefined {
  const named = Object.hasOwn(NAMED, format) ? NAMED[format] : undefined;
  return typeof named === 'string' ? named : undefined;
}
