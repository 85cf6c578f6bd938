import { describeCron, nextFire } from '../scheduler/cron.js';
import type { NextWindow, ScheduleInfo } from './types.js';
import { parseInstant } from './window.js';

/**
 * "What is coming next": the earliest next fire among the Schedule triggers of the flows the
 * report covers, with the cron in words, or the text a flow gave in `nextWindow`. Pure; the
 * cron math is the scheduler's (src/scheduler/cron.ts), so reports and schedules agree.
 */
export function nextWindowOf(schedules: readonly ScheduleInfo[], now: Date): NextWindow | null {
  let best: { at: Date; schedule: ScheduleInfo } | undefined;
  for (const schedule of schedules) {
    let at: Date | undefined;
    try {
      at = nextFire(schedule.cron, { timezone: schedule.timezone, withSeconds: schedule.withSeconds }, now);
    } catch {
      continue; // a cron the scheduler refuses does not fire, so it is no window either
    }
    if (at && (!best || at.getTime() < best.at.getTime())) best = { at, schedule };
  }
  if (!best) return null;
  const { schedule } = best;
  let description: string;
  try {
    description = describeCron(schedule.cron, { timezone: schedule.timezone, withSeconds: schedule.withSeconds });
  } catch {
    description = `cron ${schedule.cron}`;
  }
  return { at: best.at.toISOString(), description, flow: schedule.flow };
}

/** The `nextWindow` property: an instant (kept as such) or any text ("after the freeze, 2 Dec"). */
export function givenNextWindow(text: string, zone: string): NextWindow | null {
  const trimmed = text.trim();
  if (trimmed === '') return null;
  const at = parseInstant(trimmed, zone);
  return at ? { at: at.toISOString(), description: trimmed } : { at: null, description: trimmed };
}
