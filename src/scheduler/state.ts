import { sql } from 'drizzle-orm';
import type { Database } from '../db/database.js';
import type { FlowStore, StoredFlow } from '../engine/flow-store.js';
import { type ScheduleTrigger, scheduleActor } from './schedule-trigger.js';

/**
 * Reads of the scheduler's tables and of the flows it schedules. Every replica reads the
 * same rows, so what one replica fired the others see.
 */
export interface TriggerStateRow {
  revision: number;
  fingerprint: string;
  lastFire: Date | undefined;
  nextFire: Date | undefined;
  stoppedReason: string | undefined;
}

const toDate = (value: unknown): Date | undefined => (value === null || value === undefined ? undefined : new Date(String(value)));

/** The stored state of every trigger, keyed `namespace.flowId/triggerId`. */
export async function readTriggerStates(database: Database): Promise<Map<string, TriggerStateRow>> {
  const rows = await database.rows<Record<string, unknown>>(
    sql`select namespace, flow_id, trigger_id, revision, fingerprint, last_fire, next_fire, stopped_reason from trigger_state`,
  );
  return new Map(
    rows.map((row) => [
      `${String(row.namespace)}.${String(row.flow_id)}/${String(row.trigger_id)}`,
      {
        revision: Number(row.revision),
        fingerprint: String(row.fingerprint),
        lastFire: toDate(row.last_fire),
        nextFire: toDate(row.next_fire),
        stoppedReason: row.stopped_reason === null || row.stopped_reason === undefined ? undefined : String(row.stopped_reason),
      },
    ]),
  );
}

/** The current (latest) revision of every flow; flows that no longer parse are reported and left out. */
export async function latestFlows(database: Database, flows: FlowStore, onError: (error: unknown) => void): Promise<StoredFlow[]> {
  const rows = await database.rows<{ namespace: string; flowId: string; revision: number }>(
    sql`select distinct on (namespace, flow_id) namespace, flow_id as "flowId", revision
          from flow_revisions order by namespace, flow_id, revision desc`,
  );
  const out: StoredFlow[] = [];
  for (const row of rows) {
    try {
      out.push(await flows.get(row.namespace, row.flowId, Number(row.revision)));
    } catch (error) {
      onError(error);
    }
  }
  return out;
}

/**
 * `stopAfter`: the latest ended run of this trigger (at the current revision) ended in one of
 * the listed states → why the trigger is stopped; undefined while it may fire.
 */
export async function stopAfterReason(database: Database, trigger: ScheduleTrigger): Promise<string | undefined> {
  if (trigger.stopAfter.length === 0) return undefined;
  const [row] = await database.rows<{ id: string; state: string }>(
    sql`select id, state from executions
         where namespace = ${trigger.namespace} and flow_id = ${trigger.flowId} and revision = ${trigger.revision}
           and created_by = ${scheduleActor(trigger)} and ended_at is not null
         order by ended_at desc, id desc limit 1`,
  );
  if (!row || !trigger.stopAfter.includes(row.state)) return undefined;
  return `stopped after execution ${row.id} ended ${row.state} (stopAfter)`;
}

export async function markStopped(database: Database, trigger: ScheduleTrigger, reason: string): Promise<void> {
  await database.rows(
    sql`update trigger_state set stopped_reason = ${reason}, next_fire = null, updated_at = now()
         where namespace = ${trigger.namespace} and flow_id = ${trigger.flowId} and trigger_id = ${trigger.triggerId}`,
  );
}
