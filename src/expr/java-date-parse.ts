import { DateTime, Info } from 'luxon';
import { exprError } from './define.js';
import { isNamedFormat, namedPattern } from './java-date-format.js';
import { tokenizePattern } from './java-date-pattern.js';
import { fixedZone, localToZoned, parseOffset, resolveZone, type JavaZone, type LocalDateTime, type ZonedTime } from './java-time.js';

/**
 * Turns a filter input into a `ZonedTime` as Kestra's `AbstractDate.convert` does: dates are
 * instants seen from `zone`, integers are epoch SECONDS, and strings are parsed as a zoned
 * date-time, then a local date-time, then a local date (start of day), each local value being
 * placed in `zone`. With `existingFormat` the same three attempts use that pattern, which is
 * why a pattern without a time yields midnight and drops any parsed offset.
 */
export function toZonedTime(owner: string, input: unknown, zone: JavaZone, existingFormat: string | undefined, locale: string): ZonedTime {
  if (input instanceof Date) {
    const millis = input.getTime();
    if (Number.isNaN(millis)) throw exprError(`\`${owner}\`: the input is an invalid date`);
    const epochSecond = Math.floor(millis / 1000);
    return { epochSecond, nano: (millis - epochSecond * 1000) * 1_000_000, zone };
  }
  if (typeof input === 'number') {
    if (!Number.isInteger(input)) throw exprError(`\`${owner}\`: a number input must be whole epoch seconds, got ${input}`);
    return { epochSecond: input, nano: 0, zone };
  }
  if (typeof input === 'string') return parseDateText(owner, input, zone, existingFormat, locale);
  throw exprError(`\`${owner}\` expects a date, an ISO-8601 string or epoch seconds, got ${Array.isArray(input) ? 'a list' : typeof input}`);
}

interface Parsed {
  year?: number;
  month?: number;
  day?: number;
  dayOfYear?: number;
  hour?: number;
  hourOfAmPm?: number;
  pm?: boolean;
  minute?: number;
  second?: number;
  nano?: number;
  weekday?: number;
  offset?: number;
  zone?: JavaZone;
}

type Field = { regex: string; store: (parsed: Parsed, text: string) => void };

const escape = (text: string): string => text.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');
const alternatives = (names: string[]): string => [...names].sort((a, b) => b.length - a.length).map(escape).join('|');
const digits = (count: number, max = 2): string => (count >= max ? `\\d{${count}}` : `\\d{${count},${max}}`);
const storeNumber = (key: keyof Parsed) => (parsed: Parsed, text: string) => {
  (parsed as Record<string, number>)[key] = Number(text);
};

function offsetField(letter: string, count: number): string {
  const colon = letter === 'Z' ? count >= 4 : count === 3 || count === 5;
  let regex = colon ? '[+-]\\d{2}:\\d{2}' : count === 1 && letter !== 'Z' ? '[+-]\\d{2}(?:\\d{2})?' : '[+-]\\d{4}';
  if (letter === 'Z' && count === 4) regex = `GMT(?:${regex})?`;
  return letter === 'X' || (letter === 'Z' && count === 5) ? `Z|${regex}` : regex;
}

function fieldParser(owner: string, pattern: string, letter: string, count: number, locale: string): Field {
  const names = { locale };
  switch (letter) {
    case 'u':
    case 'y':
      if (count === 2) return { regex: '\\d{2}', store: (p, t) => (p.year = 2000 + Number(t)) };
      return { regex: `\\d{${count},9}`, store: storeNumber('year') };
    case 'M':
    case 'L': {
      if (count <= 2) return { regex: digits(count), store: storeNumber('month') };
      if (count > 4) break;
      const list = letter === 'M' ? Info.monthsFormat(count === 3 ? 'short' : 'long', names) : Info.months(count === 3 ? 'short' : 'long', names);
      return { regex: alternatives(list), store: (p, t) => (p.month = list.indexOf(t) + 1) };
    }
    case 'd':
      return { regex: digits(count), store: storeNumber('day') };
    case 'D':
      return { regex: digits(count, 3), store: storeNumber('dayOfYear') };
    case 'E': {
      if (count > 4) break;
      const list = Info.weekdaysFormat(count === 4 ? 'long' : 'short', names);
      return { regex: alternatives(list), store: (p, t) => (p.weekday = list.indexOf(t) + 1) };
    }
    case 'a': {
      const [am = 'AM', pm = 'PM'] = Info.meridiems(names);
      return { regex: alternatives([am, pm]), store: (p, t) => (p.pm = t === pm) };
    }
    case 'H':
      return { regex: digits(count), store: storeNumber('hour') };
    case 'k':
      return { regex: digits(count), store: (p, t) => (p.hour = Number(t) % 24) };
    case 'h':
      return { regex: digits(count), store: (p, t) => (p.hourOfAmPm = Number(t) % 12) };
    case 'K':
      return { regex: digits(count), store: storeNumber('hourOfAmPm') };
    case 'm':
      return { regex: digits(count), store: storeNumber('minute') };
    case 's':
      return { regex: digits(count), store: storeNumber('second') };
    case 'S':
      return { regex: `\\d{${count}}`, store: (p, t) => (p.nano = Number(t.padEnd(9, '0'))) };
    case 'n':
      return { regex: '\\d{1,9}', store: storeNumber('nano') };
    case 'X':
    case 'x':
    case 'Z':
      return {
        regex: offsetField(letter, count),
        store: (p, t) => (p.offset = t === 'Z' || t === 'GMT' ? 0 : (parseOffset(t.replace(/^GMT/, '')) ?? NaN)),
      };
    case 'V':
    case 'z':
      return { regex: '[A-Za-z][A-Za-z0-9_+\\-/:]*|[+-]\\d{2}:\\d{2}', store: (p, t) => (p.zone = resolveZone(owner, t)) };
  }
  throw exprError(`\`${owner}\`: '${letter.repeat(count)}' cannot be used to parse dates (date pattern ${JSON.stringify(pattern)})`);
}

function parseWithPattern(owner: string, text: string, pattern: string, locale: string): Parsed {
  const stores: Field['store'][] = [];
  const regex = tokenizePattern(owner, pattern)
    .map((token) => {
      if (token.kind === 'literal') return escape(token.text);
      if (token.kind === 'optionalStart') return '(?:';
      if (token.kind === 'optionalEnd') return ')?';
      const field = fieldParser(owner, pattern, token.letter, token.count, locale);
      stores.push(field.store);
      return `(${field.regex})`;
    })
    .join('');
  const match = new RegExp(`^${regex}$`).exec(text);
  if (!match) throw exprError(`\`${owner}\`: cannot parse ${JSON.stringify(text)} with the date format ${JSON.stringify(pattern)}`);
  const parsed: Parsed = {};
  stores.forEach((store, index) => {
    const value = match[index + 1];
    if (value !== undefined) store(parsed, value);
  });
  return parsed;
}

const ISO = /^([+-]?\d{4,9})-(\d{2})-(\d{2})(?:[Tt](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(?:([Zz]|[+-]\d{2}(?::?\d{2}(?::?\d{2})?)?)(?:\[([^\]]+)\])?)?)?$/;

/** ISO_ZONED_DATE_TIME, ISO_LOCAL_DATE_TIME and ISO_LOCAL_DATE, in that order. */
function parseIso(owner: string, text: string): Parsed {
  const match = ISO.exec(text);
  if (!match) throw exprError(`\`${owner}\`: cannot parse ${JSON.stringify(text)} as an ISO-8601 date (give existingFormat for other formats)`);
  const [, year, month, day, hour, minute, second, fraction, offset, zone] = match;
  const parsed: Parsed = { year: Number(year), month: Number(month), day: Number(day) };
  if (hour === undefined) return parsed;
  Object.assign(parsed, { hour: Number(hour), minute: Number(minute), second: Number(second ?? 0), nano: Number((fraction ?? '').padEnd(9, '0')) });
  if (offset !== undefined) parsed.offset = /^[Zz]$/.test(offset) ? 0 : (parseOffset(offset) ?? NaN);
  if (zone !== undefined) parsed.zone = resolveZone(owner, zone);
  return parsed;
}

const RFC_1123 = /^(?:(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), )?(\d{1,2}) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) (\d{4}) (\d{2}):(\d{2})(?::(\d{2}))? (GMT|[+-]\d{4})$/;

function parseRfc1123(owner: string, text: string): Parsed {
  const match = RFC_1123.exec(text);
  if (!match) throw exprError(`\`${owner}\`: cannot parse ${JSON.stringify(text)} as an RFC 1123 date`);
  const [, day, month, year, hour, minute, second, offset] = match;
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  return {
    year: Number(year), month: months.indexOf(month as string) + 1, day: Number(day),
    hour: Number(hour), minute: Number(minute), second: Number(second ?? 0),
    offset: offset === 'GMT' ? 0 : parseOffset(offset as string),
  };
}

function inRange(owner: string, text: string, name: string, value: number, min: number, max: number): number {
  if (!(value >= min && value <= max)) throw exprError(`\`${owner}\`: invalid ${name} ${value} in ${JSON.stringify(text)}`);
  return value;
}

/** Java's SMART resolution: day-of-month past the month's end is clamped; a pattern without a usable hour gives midnight. */
function resolve(owner: string, text: string, parsed: Parsed, zone: JavaZone, strict: boolean): ZonedTime {
  if (parsed.year === undefined) throw exprError(`\`${owner}\`: ${JSON.stringify(text)} has no year, cannot make a date of it`);
  let date: DateTime;
  if (parsed.dayOfYear !== undefined && parsed.month === undefined) {
    date = DateTime.utc(parsed.year, 1, 1).plus({ days: inRange(owner, text, 'day of year', parsed.dayOfYear, 1, 366) - 1 });
  } else {
    if (parsed.month === undefined || parsed.day === undefined) throw exprError(`\`${owner}\`: ${JSON.stringify(text)} has no month and day, cannot make a date of it`);
    const month = inRange(owner, text, 'month', parsed.month, 1, 12);
    const length = DateTime.utc(parsed.year, month, 1).daysInMonth as number;
    const day = inRange(owner, text, 'day', parsed.day, 1, strict ? length : 31);
    date = DateTime.utc(parsed.year, month, Math.min(day, length));
  }
  if (parsed.weekday !== undefined && parsed.weekday !== date.weekday) {
    throw exprError(`\`${owner}\`: ${JSON.stringify(text)} names the wrong day of the week for ${date.toISODate()}`);
  }
  let hour = parsed.hour;
  if (hour === undefined && parsed.hourOfAmPm !== undefined && parsed.pm !== undefined) hour = parsed.hourOfAmPm + (parsed.pm ? 12 : 0);
  const local: LocalDateTime = { year: date.year, month: date.month, day: date.day, hour: 0, minute: 0, second: 0, nano: 0 };
  if (hour === undefined) return localToZoned(local, zone);
  local.hour = inRange(owner, text, 'hour', hour, 0, 23);
  local.minute = inRange(owner, text, 'minute', parsed.minute ?? 0, 0, 59);
  local.second = inRange(owner, text, 'second', parsed.second ?? 0, 0, 59);
  local.nano = parsed.nano ?? 0;
  if (parsed.offset !== undefined) {
    if (Number.isNaN(parsed.offset)) throw exprError(`\`${owner}\`: invalid offset in ${JSON.stringify(text)}`);
    const instant = localToZoned(local, fixedZone(parsed.offset));
    return { ...instant, zone: parsed.zone ?? instant.zone };
  }
  return localToZoned(local, parsed.zone ?? zone);
}

function parseDateText(owner: string, text: string, zone: JavaZone, existingFormat: string | undefined, locale: string): ZonedTime {
  if (existingFormat === undefined) return resolve(owner, text, parseIso(owner, text), zone, true);
  const pattern = namedPattern(existingFormat);
  if (pattern !== undefined) return resolve(owner, text, parseWithPattern(owner, text, pattern, locale), zone, false);
  if (existingFormat === 'rfc_1123_date_time') return resolve(owner, text, parseRfc1123(owner, text), zone, true);
  if (existingFormat.startsWith('iso_') && isNamedFormat(existingFormat)) return resolve(owner, text, parseIso(owner, text), zone, true);
  if (isNamedFormat(existingFormat)) throw exprError(`\`${owner}\`: cannot parse dates with the localized style ${JSON.stringify(existingFormat)}`);
  return resolve(owner, text, parseWithPattern(owner, text, existingFormat, locale), zone, false);
}
