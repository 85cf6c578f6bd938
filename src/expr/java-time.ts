import { DateTime, FixedOffsetZone, IANAZone, type Zone } from 'luxon';
import { exprError } from './define.js';

/**
 * The `java.time` model behind the date filters. Kestra's filters work on `ZonedDateTime`s:
 * an instant with nanosecond precision plus the zone it is seen from. Luxon gives time-zone
 * rules (millisecond precision), so the instant is kept as epoch seconds + nanos and luxon is
 * only asked for offsets and calendar arithmetic.
 */

/** A `java.time.ZoneId`: a fixed offset (`Z`, `+02:00`, `UTC+02:00`) or a region (`Europe/Paris`, `UTC`). */
export interface JavaZone {
  /** The id Java prints for this zone (`VV`, `[zone]` in ISO_ZONED_DATE_TIME). */
  id: string;
  zone: Zone;
  fixed: boolean;
}

export interface ZonedTime {
  epochSecond: number;
  /** Nano-of-second, 0..999 999 999. */
  nano: number;
  zone: JavaZone;
}

export interface LocalDateTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  nano: number;
}

/** `+HH:MM` (`Z` for zero), the form Java uses for offset ids. */
export function offsetId(minutes: number): string {
  if (minutes === 0) return 'Z';
  const abs = Math.abs(minutes);
  return `${minutes < 0 ? '-' : '+'}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

export function fixedZone(minutes: number, prefix = ''): JavaZone {
  const id = prefix && minutes === 0 ? prefix : `${prefix}${offsetId(minutes)}`;
  return { id, zone: minutes === 0 ? FixedOffsetZone.utcInstance : FixedOffsetZone.instance(minutes), fixed: true };
}

/** Java's offset syntax: `+h`, `+hh`, `+hh:mm`, `+hhmm` (seconds are accepted and must be zero here). */
export function parseOffset(text: string): number | undefined {
  const match = /^([+-])(\d{1,2})(?::?(\d{2})(?::?(\d{2}))?)?$/.exec(text);
  if (!match) return undefined;
  const [, sign, hours, minutes = '0', seconds = '0'] = match;
  if (Number(hours) > 18 || Number(minutes) > 59 || Number(seconds) !== 0) return undefined;
  return (sign === '-' ? -1 : 1) * (Number(hours) * 60 + Number(minutes));
}

/** `ZoneId.of(name)`. */
export function resolveZone(owner: string, name: string): JavaZone {
  if (name === 'Z') return fixedZone(0);
  const offset = parseOffset(name);
  if (offset !== undefined) return fixedZone(offset);
  const prefixed = /^(UTC|GMT|UT)([+-].*)$/.exec(name);
  if (prefixed) {
    const minutes = parseOffset(prefixed[2] as string);
    if (minutes !== undefined) return fixedZone(minutes, prefixed[1]);
  } else if (IANAZone.isValidZone(name)) {
    return { id: name, zone: IANAZone.create(name), fixed: false };
  }
  throw exprError(`\`${owner}\`: unknown time zone ${JSON.stringify(name)} (use an IANA name such as "Europe/Paris", or an offset such as "+02:00")`);
}

export const UTC: JavaZone = { id: 'UTC', zone: IANAZone.create('UTC'), fixed: false };

/** Wall-clock fields of an instant in its zone; `local` is a UTC DateTime holding the local date and time. */
export function fieldsOf(time: ZonedTime): { local: DateTime; offsetMinutes: number; nano: number } {
  const epochMs = time.epochSecond * 1000;
  const offsetMinutes = time.zone.zone.offset(epochMs);
  return { local: DateTime.fromMillis(epochMs + offsetMinutes * 60_000, { zone: 'utc' }), offsetMinutes, nano: time.nano };
}

function localMillis(local: LocalDateTime): number {
  // setUTCFullYear avoids Date.UTC's mapping of years 0-99 to 1900-1999.
  const date = new Date(0);
  date.setUTCFullYear(local.year, local.month - 1, local.day);
  date.setUTCHours(local.hour, local.minute, local.second, 0);
  return date.getTime();
}

/**
 * `ZonedDateTime.ofLocal(local, zone, preferredOffset)`: in an overlap the preferred offset wins
 * if valid, else the earlier (pre-transition) offset; in a gap the time moves forward by the gap.
 */
export function localToZoned(local: LocalDateTime, zone: JavaZone, preferredOffset?: number): ZonedTime {
  const wallMs = localMillis(local);
  const before = zone.zone.offset(wallMs - 86_400_000);
  const after = zone.zone.offset(wallMs + 86_400_000);
  const valid = [...new Set([before, after])].filter((offset) => zone.zone.offset(wallMs - offset * 60_000) === offset);
  let offset = before;
  if (preferredOffset !== undefined && valid.includes(preferredOffset)) offset = preferredOffset;
  else if (valid.length > 0) offset = Math.max(...valid);
  return { epochSecond: (wallMs - offset * 60_000) / 1000, nano: local.nano, zone };
}

const TIME_UNITS: Record<string, bigint> = {
  NANOS: 1n,
  MICROS: 1_000n,
  MILLIS: 1_000_000n,
  SECONDS: 1_000_000_000n,
  MINUTES: 60_000_000_000n,
  HOURS: 3_600_000_000_000n,
  HALF_DAYS: 43_200_000_000_000n,
};

const DATE_UNITS: Record<string, { unit: 'days' | 'weeks' | 'months' | 'years'; times: number }> = {
  DAYS: { unit: 'days', times: 1 },
  WEEKS: { unit: 'weeks', times: 1 },
  MONTHS: { unit: 'months', times: 1 },
  YEARS: { unit: 'years', times: 1 },
  DECADES: { unit: 'years', times: 10 },
  CENTURIES: { unit: 'years', times: 100 },
  MILLENNIA: { unit: 'years', times: 1000 },
};

export const CHRONO_UNITS = [...Object.keys(TIME_UNITS), ...Object.keys(DATE_UNITS)];

/**
 * `ZonedDateTime.plus(amount, ChronoUnit)`: time units move the instant (a day in a DST change
 * can be 23 or 25 hours of HOURS), date units move the wall clock and keep the offset if it is
 * still valid (the end of a month is clamped: Jan 31 + 1 MONTHS is Feb 28 or 29).
 */
export function plusUnit(owner: string, time: ZonedTime, amount: number, unit: string): ZonedTime {
  const nanos = TIME_UNITS[unit];
  if (nanos !== undefined) {
    const total = BigInt(time.epochSecond) * 1_000_000_000n + BigInt(time.nano) + BigInt(amount) * nanos;
    let seconds = total / 1_000_000_000n;
    let nano = total % 1_000_000_000n;
    if (nano < 0n) {
      nano += 1_000_000_000n;
      seconds -= 1n;
    }
    return { epochSecond: Number(seconds), nano: Number(nano), zone: time.zone };
  }
  const dateUnit = DATE_UNITS[unit];
  if (!dateUnit) throw exprError(`\`${owner}\`: unknown unit ${JSON.stringify(unit)}; expected one of ${CHRONO_UNITS.join(', ')}`);
  const { local, offsetMinutes, nano } = fieldsOf(time);
  const moved = local.plus({ [dateUnit.unit]: amount * dateUnit.times });
  const fields = { year: moved.year, month: moved.month, day: moved.day, hour: moved.hour, minute: moved.minute, second: moved.second, nano };
  return localToZoned(fields, time.zone, offsetMinutes);
}

/** Re-expresses an instant in another zone (what a formatter's `withZone` does). */
export const atZone = (time: ZonedTime, zone: JavaZone): ZonedTime => ({ ...time, zone });
