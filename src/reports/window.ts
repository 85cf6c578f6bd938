import { DateTime, Duration, IANAZone } from 'luxon';
import { ErrorCode, PatchbayError } from '../errors.js';
import type { ReportWindow } from './types.js';

/**
 * The report's window, from what a person or a flow wrote: `since` and `until` are ISO-8601
 * instants (`2026-11-14T02:00:00+01:00`, or a date, read in the report's time zone) or
 * durations back from `until` (`P7D`, `PT12H`). Without `since`, the previous fire of the
 * schedule that started the run, else the last seven days. Pure: `now` is passed in.
 */
export const DEFAULT_LOOKBACK = 'P7D';

export interface WindowInput {
  since?: string | undefined;
  until?: string | undefined;
  /** `trigger.previous` of a scheduled run. */
  previousFire?: string | undefined;
  timezone?: string | undefined;
}

const invalid = (message: string): PatchbayError => new PatchbayError(ErrorCode.USAGE, message);

/** A time zone name luxon knows, or a USAGE error naming the field. */
export function checkTimezone(zone: string, field = 'timezone'): string {
  if (!IANAZone.isValidZone(zone)) throw invalid(`\`${field}\`: "${zone}" is not an IANA time zone such as Europe/Paris`);
  return zone;
}

function parseDuration(text: string): Duration | undefined {
  if (!/^P/i.test(text)) return undefined;
  const duration = Duration.fromISO(text.toUpperCase().replace(',', '.'));
  return duration.isValid ? duration : undefined;
}

/** An instant (ISO date-time or date), or undefined when `text` is not one. */
export function parseInstant(text: string, zone = 'UTC'): Date | undefined {
  const parsed = DateTime.fromISO(text.trim(), { zone, setZone: true });
  return parsed.isValid ? parsed.toJSDate() : undefined;
}

function point(field: string, text: string, anchor: Date, zone: string): Date {
  const trimmed = text.trim();
  const duration = parseDuration(trimmed);
  if (duration) {
    if (duration.toMillis() < 0) throw invalid(`\`${field}\`: "${text}" is a negative duration; write how far back, e.g. P7D`);
    return new Date(anchor.getTime() - duration.toMillis());
  }
  const instant = parseInstant(trimmed, zone);
  if (!instant) throw invalid(`\`${field}\`: "${text}" is neither an ISO-8601 instant (2026-11-14T02:00:00Z) nor a duration (P7D)`);
  return instant;
}

const given = (value: string | undefined): value is string => value !== undefined && value.trim() !== '';

export function resolveWindow(input: WindowInput, now: Date): ReportWindow {
  const zone = input.timezone ?? 'UTC';
  const until = given(input.until) ? point('until', input.until, now, zone) : now;
  let since: Date;
  let sinceSource: ReportWindow['sinceSource'];
  if (given(input.since)) {
    since = point('since', input.since, until, zone);
    sinceSource = 'given';
  } else if (given(input.previousFire) && parseInstant(input.previousFire, zone)) {
    since = parseInstant(input.previousFire, zone) as Date;
    sinceSource = 'trigger';
  } else {
    since = point('since', DEFAULT_LOOKBACK, until, zone);
    sinceSource = 'default';
  }
  if (since.getTime() >= until.getTime()) {
    throw invalid(`\`since\` (${since.toISOString()}) must be before \`until\` (${until.toISOString()})`);
  }
  return { since: since.toISOString(), until: until.toISOString(), sinceSource };
}

/** yyyy-MM-dd of an instant in `zone` (the chart's day buckets). */
export function dayOf(iso: string, zone: string): string {
  return DateTime.fromISO(iso, { zone: 'utc' }).setZone(zone).toISODate() ?? iso.slice(0, 10);
}

/**
 * Every day from the window's first to its last, in `zone` (days without runs still get a bar
 * slot); past `max` days only the latest `max`, so a long window keeps a readable chart.
 */
export function daysOf(window: Pick<ReportWindow, 'since' | 'until'>, zone: string, max = 62): string[] {
  const first = DateTime.fromISO(window.since, { zone: 'utc' }).setZone(zone).startOf('day');
  // `until` is exclusive: a window ending at midnight does not add the next day.
  const last = DateTime.fromISO(window.until, { zone: 'utc' }).minus({ milliseconds: 1 }).setZone(zone).startOf('day');
  const days: string[] = [];
  const start = DateTime.max(first, last.minus({ days: max - 1 }));
  for (let day = start; day <= last; day = day.plus({ days: 1 })) days.push(day.toISODate() as string);
  return days;
}

/** `14 Nov 2026 02:00` in `zone` (`Sat 14 Nov 2026 02:00` with the weekday). */
export function zonedText(iso: string, zone: string, weekday = false): string {
  return DateTime.fromISO(iso, { zone: 'utc' }).setZone(zone).toFormat(weekday ? 'ccc d LLL yyyy HH:mm' : 'd LLL yyyy HH:mm');
}

/** "14 Nov 2026 02:00 → 21 Nov 2026 06:00 (Europe/Paris)": the window as a person reads it. */
export function windowText(window: Pick<ReportWindow, 'since' | 'until'>, zone: string): string {
  return `${zonedText(window.since, zone)} → ${zonedText(window.until, zone)} (${zone})`;
}
