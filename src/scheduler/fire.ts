import { sql } from 'drizzle-orm';
import type { Database, Drizzle } from '../db/database.js';
import type { CreatedExecution, Engine } from '../engine/engine.js';
import { buildRenderScope, renderWithAssets } from '../engine/render-scope.js';
import { renderDeep } from '../expr/render.js';
import { newId } from '../ids.js';
import { nextFire } from './cron.js';
import { type ScheduleTrigger, scheduleActor, triggerVariables } from './schedule-trigger.js';

/**
 * One fire of one trigger, exactly once across replicas: in ONE transaction the
 * (flow, trigger, fire time) row is inserted with ON CONFLICT DO NOTHING and, only if this
 * replica's insert won, the execution is written (its first state decided by concurrency)
 * and the trigger state moves on. The execution is planned after commit. A replica that
 * lost the race, a restart that fires again, or a backfill over the same range writes nothing.
 */
export type FireSource = 'schedule' | 'recovery' | 'backfill';

export interface FireDeps {
  database: Database;
  engine: Engine;
  /** The revision source of the flow (for the render scope's kv()/assets() prefetch). */
  flowSource: string;
}

export interface FireOutcome {
  fireTime: Date;
  /** The execution this call created; undefined when the fire was already taken. */
  created: CreatedExecution | undefined;
}

/** Renders the trigger's `inputs` (flow author's templates) and resolves them against the flow's declarations. */
async function scheduledInputs(deps: FireDeps, trigger: ScheduleTrigger, variables: Record<string, unknown>): Promise<Record<string, unknown>> {
  const { engine } = deps;
  const scope = await buildRenderScope({
    database: deps.database,
    namespace: trigger.namespace,
    flowSource: deps.flowSource,
    secrets: engine.context.secrets,
    now: engine.context.clock(),
  });
  const context = {
    flow: { id: trigger.flowId, namespace: trigger.namespace, revision: trigger.revision },
    vars: trigger.flow.variables,
    labels: trigger.flow.labels,
    trigger: variables,
  };
  const rendered = await renderWithAssets(scope, () => renderDeep(trigger.inputs, context, scope));
  return engine.resolve(trigger.flow, rendered as Record<string, unknown>);
}

/**
 * Records the trigger's revision, timing, last fire (only ever moves forward, and is
 * forgotten when the timing changed) and next fire after `now`. A new revision re-enables a
 * trigger that `stopAfter` stopped.
 */
export async function recordTriggerState(database: Database, tx: Drizzle | undefined, trigger: ScheduleTrigger, lastFire: Date | undefined, now: Date): Promise<void> {
  const from = lastFire && lastFire.getTime() > now.getTime() ? lastFire : now;
  const next = trigger.disabled ? undefined : nextFire(trigger.cron, trigger.options, from);
  const last = lastFire ? lastFire.toISOString() : null;
  await database.rows(
    sql`insert into trigger_state (namespace, flow_id, trigger_id, revision, fingerprint, last_fire, next_fire, updated_at)
        values (${trigger.namespace}, ${trigger.flowId}, ${trigger.triggerId}, ${trigger.revision}, ${trigger.fingerprint},
                ${last}::timestamptz, ${next ? next.toISOString() : null}::timestamptz, now())
        on conflict (namespace, flow_id, trigger_id) do update set
          last_fire = case when trigger_state.fingerprint = excluded.fingerprint
                           then greatest(trigger_state.last_fire, excluded.last_fire) else excluded.last_fire end,
          next_fire = excluded.next_fire,
          stopped_reason = case when trigger_state.revision = excluded.revision then trigger_state.stopped_reason end,
          revision = excluded.revision,
          fingerprint = excluded.fingerprint,
          updated_at = now()`,
    tx,
  );
}

export async function fire(deps: FireDeps, trigger: ScheduleTrigger, fireTime: Date, source: FireSource): Promise<FireOutcome> {
  const { database, engine } = deps;
  const variables = triggerVariables(trigger, fireTime);
  let inputs: Record<string, unknown> = {};
  let failed: string | undefined;
  try {
    inputs = await scheduledInputs(deps, trigger, variables);
  } catch (error) {
    // Recorded as a FAILED execution, so the problem is seen where runs are looked at.
    failed = `schedule ${trigger.triggerId} could not start ${trigger.namespace}.${trigger.flowId}: ${error instanceof Error ? error.message : String(error)}`;
  }
  const id = newId();
  const created = await database.db.transaction(async (tx) => {
    const claimed = await database.rows(
      sql`insert into trigger_fires (namespace, flow_id, trigger_id, fire_time, execution_id, source)
          values (${trigger.namespace}, ${trigger.flowId}, ${trigger.triggerId}, ${fireTime.toISOString()}::timestamptz, ${id}, ${source})
          on conflict do nothing returning execution_id`,
      tx,
    );
    if (claimed.length === 0) return undefined;
    const execution = await engine.insertExecution(tx, {
      id,
      flow: trigger.flow,
      revision: trigger.revision,
      inputs,
      createdBy: scheduleActor(trigger),
      trigger: variables,
      ...(failed ? { failed } : {}),
    });
    await recordTriggerState(database, tx, trigger, fireTime, engine.context.clock());
    return execution;
  });
  if (created) await engine.begin(created);
  return { fireTime, created };
}
