import { IANAZone } from 'luxon';
import { type CronSpec, dayMatches, firstTimeOfDay, lastTimeOfDay } from './cron-spec.js';

/**
 * Fire instants of a cron in a time zone. The cron matches wall-clock fields; a local day is
 * cut at its UTC-offset changes into segments where wall clock = instant + offset exactly,
 * so each segment is searched with plain arithmetic and segments are visited in real-time
 * order. That gives Kestra's DST behaviour (cron-utils walking a ZonedDateTime) directly:
 *
 * - spring forward: a wall-clock time inside the gap belongs to no segment, so it does not
 *   fire that day (`30 2 * * *` in Europe/Paris skips the last Sunday of March);
 * - fall back: the repeated hour belongs to two segments, so real time is followed — an
 *   hourly or more frequent cron fires in both passes — except that a repeated time of a
 *   cron whose next fire is two hours or more away fires once, on its first pass
 *   (`suppressedRepeat`, cron-utils' "avoid duplicate execution during DST overlap").
 */

/** How far `nextFire`/`previousFire` look before giving up (covers Feb 29 and weekday/day combinations). */
const SEARCH_YEARS = 10;
const DAY_MS = 86_400_000;
const SECOND_MS = 1000;

export interface ZoneInfo {
  /** UTC offset in milliseconds at an instant. */
  offset(instant: number): number;
}

export function zoneInfo(timezone: string): ZoneInfo {
  const zone = IANAZone.create(timezone);
  return { offset: (instant) => zone.offset(instant) * 60_000 };
}

interface Segment {
  start: number;
  end: number;
  offset: number;
}

/** The first whole second in (lo, hi] whose offset differs from lo's; offsets change on whole seconds. */
function changeAfter(zone: ZoneInfo, lo: number, hi: number): number {
  const offset = zone.offset(lo);
  while (hi - lo > SECOND_MS) {
    const mid = lo + Math.floor((hi - lo) / 2 / SECOND_MS) * SECOND_MS;
    if (zone.offset(mid) === offset) lo = mid;
    else hi = mid;
  }
  return Math.ceil(hi / SECOND_MS) * SECOND_MS;
}

/** Local midnight of a calendar day as an instant; when midnight is skipped, the day's first instant. */
function dayStart(zone: ZoneInfo, dayUtc: number): number {
  const before = zone.offset(dayUtc - DAY_MS);
  const after = zone.offset(dayUtc + DAY_MS);
  const exact = [dayUtc - before, dayUtc - after].filter((i) => i + zone.offset(i) === dayUtc);
  if (exact.length > 0) return Math.min(...exact);
  // Midnight falls in a spring-forward gap: the day starts at the change.
  return changeAfter(zone, dayUtc - after, dayUtc - before);
}

/** The day's constant-offset stretches, in real-time order (a fall back across midnight is treated as one day). */
function segments(zone: ZoneInfo, dayUtc: number): Segment[] {
  const out: Segment[] = [];
  let start = dayStart(zone, dayUtc);
  const end = dayStart(zone, dayUtc + DAY_MS);
  while (start < end) {
    const offset = zone.offset(start);
    const stop = zone.offset(end - 1) === offset ? end : Math.min(end, changeAfter(zone, start, end - 1));
    out.push({ start, end: stop, offset });
    start = stop;
  }
  return out;
}

const clampDay = (seconds: number): number => Math.min(86_400, Math.max(0, seconds));

/** The first instant after `after` (exclusive) whose wall clock in the zone matches, ignoring the repeat rule. */
export function rawNext(spec: CronSpec, zone: ZoneInfo, after: number): number | undefined {
  const lower = Math.floor(after / SECOND_MS) * SECOND_MS + SECOND_MS;
  const local = after + zone.offset(after);
  // Start a day early: a fall back across midnight can put later instants on the previous date.
  let dayUtc = Math.floor(local / DAY_MS) * DAY_MS - DAY_MS;
  const last = dayUtc + SEARCH_YEARS * 366 * DAY_MS;
  for (; dayUtc <= last; dayUtc += DAY_MS) {
    const date = new Date(dayUtc);
    if (!dayMatches(spec, date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate())) continue;
    for (const segment of segments(zone, dayUtc)) {
      const from = Math.max(segment.start, lower);
      if (from >= segment.end) continue;
      const t = firstTimeOfDay(
        spec,
        clampDay(Math.ceil((from + segment.offset - dayUtc) / SECOND_MS)),
        clampDay((segment.end + segment.offset - dayUtc) / SECOND_MS),
      );
      if (t !== undefined) return dayUtc + t * SECOND_MS - segment.offset;
    }
  }
  return undefined;
}

/** The last instant before `before` (exclusive) whose wall clock matches, ignoring the repeat rule. */
export function rawPrevious(spec: CronSpec, zone: ZoneInfo, before: number): number | undefined {
  const upper = Math.ceil(before / SECOND_MS) * SECOND_MS;
  const local = before + zone.offset(before);
  let dayUtc = Math.floor(local / DAY_MS) * DAY_MS + DAY_MS;
  const last = dayUtc - SEARCH_YEARS * 366 * DAY_MS;
  for (; dayUtc >= last; dayUtc -= DAY_MS) {
    const date = new Date(dayUtc);
    if (!dayMatches(spec, date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate())) continue;
    const parts = segments(zone, dayUtc).reverse();
    for (const segment of parts) {
      const to = Math.min(segment.end, upper);
      if (to <= segment.start) continue;
      const t = lastTimeOfDay(
        spec,
        clampDay((segment.start + segment.offset - dayUtc) / SECOND_MS),
        clampDay(Math.ceil((to + segment.offset - dayUtc) / SECOND_MS)),
      );
      if (t !== undefined) return dayUtc + t * SECOND_MS - segment.offset;
    }
  }
  return undefined;
}

const TWO_HOURS = 2 * 3_600_000;

/**
 * Whether a raw fire is the second pass of a repeated wall-clock time that fires only once:
 * its wall clock already occurred under a larger offset, the fire before it is on that
 * earlier side, and the cron's next fire is two hours or more away (so the cron is not
 * "hourly or more often"; cron-utils checks `Duration.toHours() > 1`).
 */
export function suppressedRepeat(spec: CronSpec, zone: ZoneInfo, fire: number): boolean {
  const offset = zone.offset(fire);
  const earlierOffset = zone.offset(fire - 6 * 3_600_000);
  if (earlierOffset <= offset) return false;
  const twin = fire - (earlierOffset - offset);
  if (zone.offset(twin) !== earlierOffset) return false;
  const previous = rawPrevious(spec, zone, fire);
  if (previous === undefined || zone.offset(previous) <= offset) return false;
  const following = rawNext(spec, zone, fire);
  return following === undefined || following - fire >= TWO_HOURS;
}
