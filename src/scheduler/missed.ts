import { type CronOptions, firesBetween, previousFire } from './cron.js';

/**
 * Which fires to start for a trigger that was not watched for a while (every replica down,
 * or the one process stopped). Pure: the last fire recorded, now, Kestra's
 * `recoverMissedSchedules` and `lateMaximumDelay` in; fire times out.
 *
 * - Missed fires are those after the last recorded fire and at or before now. A trigger with
 *   no recorded fire (new, or its cron/zone changed) missed nothing: like Kestra, it starts
 *   from the current date.
 * - `lateMaximumDelay` first: a fire older than now − delay is skipped whatever the policy.
 * - Then the policy: ALL (Kestra's default when unset) starts every remaining one, oldest
 *   first; LAST only the latest; NONE none.
 */
export type RecoverPolicy = 'ALL' | 'LAST' | 'NONE';

/** At most this many missed fires are started by one recovery (ALL after a long outage of a frequent cron). */
export const MAX_RECOVERED = 1000;

export interface MissedInput {
  cron: string;
  options: CronOptions;
  lastFire: Date | undefined;
  now: Date;
  policy: RecoverPolicy;
  lateMaximumDelayMs?: number | undefined;
  limit?: number;
}

export interface MissedPlan {
  /** Fire times to start now, oldest first. */
  start: Date[];
  /** True when ALL found more than `limit` fires: `start` holds the latest `limit` of them. */
  truncated: boolean;
}

export function planMissed(input: MissedInput): MissedPlan {
  const { cron, options, lastFire, now, policy } = input;
  const limit = input.limit ?? MAX_RECOVERED;
  if (!lastFire || policy === 'NONE' || lastFire.getTime() >= now.getTime()) return { start: [], truncated: false };
  // Fires before `floor` are skipped: they are already in the past beyond lateMaximumDelay.
  const floor = input.lateMaximumDelayMs === undefined ? lastFire.getTime() : Math.max(lastFire.getTime(), now.getTime() - input.lateMaximumDelayMs - 1);
  if (policy === 'LAST') {
    const latest = previousFire(cron, options, new Date(now.getTime() + 1));
    return { start: latest && latest.getTime() > floor ? [latest] : [], truncated: false };
  }
  // ALL: walk back from now so a huge backlog costs `limit` steps, not the whole outage.
  const newest: Date[] = [];
  let cursor = new Date(now.getTime() + 1);
  while (newest.length <= limit) {
    const fire = previousFire(cron, options, cursor);
    if (!fire || fire.getTime() <= floor) break;
    newest.push(fire);
    cursor = fire;
  }
  const truncated = newest.length > limit;
  return { start: newest.slice(0, limit).reverse(), truncated };
}

/** The fires a backfill of [from, to] (both included) should have had, oldest first. */
export function backfillFires(cron: string, options: CronOptions, from: Date, to: Date, limit: number): Date[] {
  return firesBetween(cron, options, new Date(from.getTime() - 1), to, limit);
}
