import type { Database } from '../db/database.js';
import type { Engine } from '../engine/engine.js';
import type { FlowStore } from '../engine/flow-store.js';
import { ErrorCode, PatchbayError } from '../errors.js';
import { describeCron, nextFire } from '../scheduler/cron.js';
import { fire } from '../scheduler/fire.js';
import { backfillFires } from '../scheduler/missed.js';
import { scheduleTriggersOf, triggerKey, zonedIso } from '../scheduler/schedule-trigger.js';
import { latestFlows, readTriggerStates } from '../scheduler/state.js';

/**
 * Schedule queries and commands behind `patchbay schedules` and `/flow schedules`: the
 * upcoming fires of every Schedule trigger, and backfills that start the runs a range should
 * have had (once each: the fire rows make a repeated backfill start nothing new).
 */
export interface ScheduleView {
  namespace: string;
  flowId: string;
  triggerId: string;
  cron: string;
  timezone: string;
  /** The cron in words with its zone: "At 02:00 on Saturday, Europe/Paris". */
  description: string;
  /** Next fire (undefined when disabled, stopped or never again), as an instant and in the trigger's zone. */
  nextFire: Date | undefined;
  nextFireLocal: string | undefined;
  lastFire: Date | undefined;
  disabled: boolean;
  /** Why stopAfter stopped it. */
  stopped: string | undefined;
}

export async function listSchedules(database: Database, flows: FlowStore, now: Date): Promise<ScheduleView[]> {
  const states = await readTriggerStates(database);
  const views: ScheduleView[] = [];
  for (const stored of await latestFlows(database, flows, () => undefined)) {
    for (const trigger of scheduleTriggersOf(stored.flow, stored.revision)) {
      const state = states.get(triggerKey(trigger));
      const sameTiming = state?.fingerprint === trigger.fingerprint;
      const stopped = sameTiming && state?.revision === trigger.revision ? state.stoppedReason : undefined;
      const next = trigger.disabled || stopped ? undefined : nextFire(trigger.cron, trigger.options, now);
      views.push({
        namespace: trigger.namespace,
        flowId: trigger.flowId,
        triggerId: trigger.triggerId,
        cron: trigger.cron,
        timezone: trigger.options.timezone,
        description: describeCron(trigger.cron, trigger.options),
        nextFire: next,
        nextFireLocal: next ? zonedIso(next, trigger.options.timezone) : undefined,
        lastFire: sameTiming ? state?.lastFire : undefined,
        disabled: trigger.disabled,
        stopped,
      });
    }
  }
  return views.sort((a, b) => (a.nextFire?.getTime() ?? Infinity) - (b.nextFire?.getTime() ?? Infinity) || triggerKey(a).localeCompare(triggerKey(b)));
}

export interface BackfillRequest {
  /** `namespace.flowId` or a unique flow id. */
  flow: string;
  /** The Schedule trigger; may be left out when the flow has exactly one. */
  triggerId?: string | undefined;
  from: Date;
  to: Date;
}

export interface BackfillResult {
  namespace: string;
  flowId: string;
  triggerId: string;
  started: { fireTime: Date; executionId: string; state: string }[];
  /** Fire times that already had their run (a previous backfill, the schedule itself). */
  alreadyDone: Date[];
}

/** A backfill larger than this is refused: ask for a narrower range. */
export const MAX_BACKFILL = 500;

export async function backfill(database: Database, engine: Engine, flows: FlowStore, request: BackfillRequest): Promise<BackfillResult> {
  const stored = await flows.resolve(request.flow);
  const triggers = scheduleTriggersOf(stored.flow, stored.revision);
  const name = `${stored.flow.namespace}.${stored.flow.id}`;
  if (triggers.length === 0) throw new PatchbayError(ErrorCode.USAGE, `flow ${name} has no Schedule trigger`);
  const ids = triggers.map((t) => t.triggerId).join(', ');
  if (!request.triggerId && triggers.length > 1) throw new PatchbayError(ErrorCode.USAGE, `flow ${name} has several Schedule triggers (${ids}); say which with --trigger`);
  const trigger = request.triggerId ? triggers.find((t) => t.triggerId === request.triggerId) : triggers[0];
  if (!trigger) throw new PatchbayError(ErrorCode.USAGE, `flow ${name} has no Schedule trigger \`${request.triggerId}\` (its Schedule triggers: ${ids})`);
  if (request.from.getTime() > request.to.getTime()) {
    throw new PatchbayError(ErrorCode.USAGE, `backfill: --from ${request.from.toISOString()} is after --to ${request.to.toISOString()}`);
  }
  if (request.to.getTime() > engine.context.clock().getTime()) {
    throw new PatchbayError(ErrorCode.USAGE, `backfill: --to ${request.to.toISOString()} is in the future; the schedule itself starts those runs`);
  }
  const fires = backfillFires(trigger.cron, trigger.options, request.from, request.to, MAX_BACKFILL + 1);
  if (fires.length > MAX_BACKFILL) {
    throw new PatchbayError(ErrorCode.USAGE, `backfill: ${trigger.triggerId} (${trigger.cron}) fires more than ${MAX_BACKFILL} times between --from and --to; use a narrower range`);
  }
  const result: BackfillResult = { namespace: trigger.namespace, flowId: trigger.flowId, triggerId: trigger.triggerId, started: [], alreadyDone: [] };
  for (const fireTime of fires) {
    const outcome = await fire({ database, engine, flowSource: stored.source }, trigger, fireTime, 'backfill');
    if (outcome.created) result.started.push({ fireTime, executionId: outcome.created.id, state: outcome.created.state });
    else result.alreadyDone.push(fireTime);
  }
  return result;
}
