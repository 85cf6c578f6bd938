import type { Database } from '../db/database.js';
import type { FlowStore } from '../engine/flow-store.js';
import type { Flow } from '../flow/model.js';
import { ScheduleTrigger, lookupTrigger } from '../flow/triggers.js';
import type { PatchReportSource } from './ports.js';
import { executionTrigger, flowsInScope, readPatchRuns } from './queries.js';
import type { PatchRunFilter, ScheduleInfo } from './types.js';

/**
 * The database-backed PatchReportSource the service hands to every engine (TaskIntegrations
 * `reports`) and uses for `/flow report`. Flow definitions come through the FlowStore, whose
 * parsed revisions are cached, so reading the schedules of many flows stays cheap.
 */
export class DatabaseReportSource implements PatchReportSource {
  constructor(
    private readonly database: Database,
    private readonly flows: FlowStore,
  ) {}

  runs(filter: PatchRunFilter, limit?: number) {
    return readPatchRuns(this.database, filter, limit);
  }

  async schedules(filter: Pick<PatchRunFilter, 'flows' | 'namespace'>): Promise<ScheduleInfo[]> {
    const explicit = (filter.flows ?? []).length > 0;
    const out: ScheduleInfo[] = [];
    for (const ref of await flowsInScope(this.database, filter)) {
      // A stored revision that no longer parses is left out of the schedule, not fatal to the report.
      const stored = await this.flows.get(ref.namespace, ref.flowId, ref.revision).catch(() => undefined);
      if (!stored || stored.flow.disabled) continue;
      // Without a `flows` filter only patch flows (they name a VM) give the next window; the
      // report's own schedule must not count as the next patch window.
      if (!explicit && !namesVm(stored.flow)) continue;
      out.push(...schedulesOf(stored.flow));
    }
    return out;
  }

  triggerOf(executionId: string) {
    return executionTrigger(this.database, executionId);
  }
}

/** The flow declares a `vm` input or a `vm` output (the patch-flow convention). */
export function namesVm(flow: Flow): boolean {
  return flow.inputs.some((input) => input.id === 'vm') || flow.outputs.some((output) => output.id === 'vm');
}

/** Enabled Schedule triggers of a flow, in the shape the next-window math needs. */
export function schedulesOf(flow: Flow): ScheduleInfo[] {
  const out: ScheduleInfo[] = [];
  for (const trigger of flow.triggers) {
    if (lookupTrigger(trigger.type) !== ScheduleTrigger || trigger.disabled === true || typeof trigger.cron !== 'string') continue;
    const info: ScheduleInfo = { flow: `${flow.namespace}.${flow.id}`, triggerId: trigger.id, cron: trigger.cron };
    if (typeof trigger.timezone === 'string') info.timezone = trigger.timezone;
    if (trigger.withSeconds === true) info.withSeconds = true;
    out.push(info);
  }
  return out;
}
