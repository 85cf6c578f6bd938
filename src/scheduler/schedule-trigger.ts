import { DateTime, Duration } from 'luxon';
import type { Flow, TriggerNode } from '../flow/model.js';
import { DEFAULT_TIMEZONE, type CronOptions, nextFire, previousFire } from './cron.js';
import type { RecoverPolicy } from './missed.js';

/**
 * A flow's Schedule triggers as the scheduler works with them: the Kestra properties read
 * once, with their defaults (UTC, recoverMissedSchedules ALL), and the values a fire passes
 * to its execution. Pure.
 */
export const SCHEDULE_TYPES: ReadonlySet<string> = new Set([
  'io.kestra.plugin.core.trigger.Schedule',
  'io.kestra.core.models.triggers.types.Schedule',
]);

export interface ScheduleTrigger {
  namespace: string;
  flowId: string;
  revision: number;
  flow: Flow;
  triggerId: string;
  cron: string;
  options: Required<Pick<CronOptions, 'withSeconds'>> & { timezone: string };
  inputs: Record<string, unknown>;
  recover: RecoverPolicy;
  /** lateMaximumDelay in milliseconds. */
  lateMaximumDelayMs: number | undefined;
  /** The trigger's or the flow's `disabled`. */
  disabled: boolean;
  stopAfter: readonly string[];
  /** The timing (cron, seconds, zone): a change means the recorded last fire no longer applies. */
  fingerprint: string;
}

/** Who scheduled runs are created by: `schedule:<flowId>/<triggerId>`. */
export const scheduleActor = (trigger: Pick<ScheduleTrigger, 'flowId' | 'triggerId'>): string => `schedule:${trigger.flowId}/${trigger.triggerId}`;

export const triggerKey = (trigger: Pick<ScheduleTrigger, 'namespace' | 'flowId' | 'triggerId'>): string =>
  `${trigger.namespace}.${trigger.flowId}/${trigger.triggerId}`;

function scheduleOf(flow: Flow, revision: number, node: TriggerNode): ScheduleTrigger {
  const withSeconds = node.withSeconds === true;
  const timezone = typeof node.timezone === 'string' ? node.timezone : DEFAULT_TIMEZONE;
  const cron = String(node.cron);
  const late = typeof node.lateMaximumDelay === 'string' ? Duration.fromISO(node.lateMaximumDelay.replace(',', '.')) : undefined;
  return {
    namespace: flow.namespace,
    flowId: flow.id,
    revision,
    flow,
    triggerId: node.id,
    cron,
    options: { withSeconds, timezone },
    inputs: (node.inputs as Record<string, unknown> | undefined) ?? {},
    recover: (node.recoverMissedSchedules as RecoverPolicy | undefined) ?? 'ALL',
    lateMaximumDelayMs: late?.isValid ? late.toMillis() : undefined,
    disabled: node.disabled === true || flow.disabled,
    stopAfter: Array.isArray(node.stopAfter) ? (node.stopAfter as string[]) : [],
    fingerprint: `${withSeconds ? 6 : 5}|${cron}|${timezone}`,
  };
}

/** The Schedule triggers of one flow revision, in declaration order. */
export function scheduleTriggersOf(flow: Flow, revision: number): ScheduleTrigger[] {
  return flow.triggers.filter((node) => SCHEDULE_TYPES.has(node.type)).map((node) => scheduleOf(flow, revision, node));
}

/** An instant as ISO-8601 in the trigger's zone, to the second (`2025-06-07T02:00:00+02:00`), as Kestra shows it. */
export function zonedIso(instant: Date, timezone: string): string {
  return DateTime.fromJSDate(instant, { zone: timezone }).toISO({ suppressMilliseconds: true }) ?? instant.toISOString();
}

/**
 * `execution.trigger` of a scheduled run, read in expressions as `trigger.*`: `date` (this
 * fire), `next` and `previous` (the cron's neighbouring fire times, as Kestra computes them).
 */
export function triggerVariables(trigger: ScheduleTrigger, fire: Date): Record<string, unknown> {
  const zone = trigger.options.timezone;
  const next = nextFire(trigger.cron, trigger.options, fire);
  const previous = previousFire(trigger.cron, trigger.options, fire);
  return {
    type: 'schedule',
    id: trigger.triggerId,
    date: zonedIso(fire, zone),
    ...(next ? { next: zonedIso(next, zone) } : {}),
    ...(previous ? { previous: zonedIso(previous, zone) } : {}),
    timezone: zone,
  };
}
