import cronstrue from 'cronstrue';
import { IANAZone } from 'luxon';
import { type CronSpec, parseCron } from './cron-spec.js';
import { rawNext, rawPrevious, suppressedRepeat, zoneInfo } from './cron-walk.js';

/**
 * The schedule math the scheduler, the commands and the reports share: when a cron fires in a
 * time zone, and what it says in words. Pure (no clock): every function takes its instants.
 * DST follows Kestra (see cron-walk.ts and src/scheduler/README.md).
 */

export { CronSyntaxError, type CronSpec, parseCron } from './cron-spec.js';

export interface CronOptions {
  /** IANA zone the cron's fields are read in; UTC when absent (Kestra's documented default). */
  timezone?: string | undefined;
  /** The expression has a leading seconds field (6 fields). */
  withSeconds?: boolean | undefined;
}

export const DEFAULT_TIMEZONE = 'UTC';

/** How many fires `firesBetween` returns at most unless told otherwise. */
export const MAX_FIRES = 10_000;

const specs = new Map<string, CronSpec>();

/** Parses (and caches) a cron; throws CronSyntaxError with the field at fault. */
export function cronSpec(cron: string, withSeconds = false): CronSpec {
  const key = `${withSeconds ? 6 : 5}|${cron}`;
  let spec = specs.get(key);
  if (!spec) {
    spec = parseCron(cron, withSeconds);
    if (specs.size > 1000) specs.clear();
    specs.set(key, spec);
  }
  return spec;
}

/** Whether the name is a time zone luxon (and so Intl) knows: `Europe/Paris`, `UTC`, `Etc/GMT+2`. */
export function isValidTimezone(timezone: string): boolean {
  return timezone.trim() !== '' && IANAZone.isValidZone(timezone);
}

function resolve(cron: string, options: CronOptions) {
  const timezone = options.timezone ?? DEFAULT_TIMEZONE;
  if (!isValidTimezone(timezone)) throw new RangeError(`unknown time zone \`${timezone}\` (use an IANA name such as Europe/Paris)`);
  return { spec: cronSpec(cron, options.withSeconds ?? false), zone: zoneInfo(timezone) };
}

/** The first fire strictly after `after`, or undefined when the cron never fires again (e.g. `0 0 30 2 *`). */
export function nextFire(cron: string, options: CronOptions, after: Date): Date | undefined {
  const { spec, zone } = resolve(cron, options);
  let fire = rawNext(spec, zone, after.getTime());
  while (fire !== undefined && suppressedRepeat(spec, zone, fire)) fire = rawNext(spec, zone, fire);
  return fire === undefined ? undefined : new Date(fire);
}

/** The last fire strictly before `before`, or undefined. */
export function previousFire(cron: string, options: CronOptions, before: Date): Date | undefined {
  const { spec, zone } = resolve(cron, options);
  let fire = rawPrevious(spec, zone, before.getTime());
  while (fire !== undefined && suppressedRepeat(spec, zone, fire)) fire = rawPrevious(spec, zone, fire);
  return fire === undefined ? undefined : new Date(fire);
}

/**
 * The fires `f` with `after < f <= until`, oldest first, at most `limit` of them (the oldest).
 * Callers that need to know whether it was cut check `length === limit`.
 */
export function firesBetween(cron: string, options: CronOptions, after: Date, until: Date, limit = MAX_FIRES): Date[] {
  const out: Date[] = [];
  let cursor = after;
  while (out.length < limit) {
    const fire = nextFire(cron, options, cursor);
    if (!fire || fire.getTime() > until.getTime()) break;
    out.push(fire);
    cursor = fire;
  }
  return out;
}

/**
 * The cron in words with its zone: `At 02:00 on Saturday, Europe/Paris`. Nicknames are
 * expanded first; the wording is cronstrue's (24-hour clock), lightly tightened.
 */
export function describeCron(cron: string, options: CronOptions = {}): string {
  const spec = cronSpec(cron, options.withSeconds ?? false);
  let words: string;
  try {
    words = cronstrue.toString(spec.fields.join(' '), { use24HourTimeFormat: true, throwExceptionOnParseError: true });
  } catch {
    // cronstrue refuses a few forms cron-utils accepts; the expression itself still says it.
    words = `cron ${spec.source}`;
  }
  words = words.replace(/, only on /g, ' on ').replace(/, only in /g, ' in ');
  return `${words}, ${options.timezone ?? DEFAULT_TIMEZONE}`;
}
