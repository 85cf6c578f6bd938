import { eq, sql } from 'drizzle-orm';
import { type Database, type Drizzle, notify } from '../db/database.js';
import { executions, taskRuns } from '../db/schema.js';
import { ErrorCode, PatchbayError } from '../errors.js';
import { renderTyped } from '../expr/render.js';
import { newId } from '../ids.js';
import type { SecretLookup } from '../secrets.js';
import type { FlowStore } from './flow-store.js';
import { type ExecutionSnapshot, type PlanAction, isTerminalExecution } from './model.js';
import { applyActions, planUntilStable } from './planner/index.js';
import { buildRenderScope } from './render-scope.js';
import { maskDeep } from './masking.js';
import { type Persisted, closeStaleApprovals, persistTransition } from './store/persist.js';
import { toExecutionRecord, toTaskRunRecord } from './store/rows.js';

/**
 * One state change of one execution, as one short transaction: lock the execution row,
 * read its task runs, apply the event (a worker's result, a timer, a person's decision, a
 * kill), let the planner run to a fixpoint, write the difference, NOTIFY. Holding the row
 * lock serialises every change of an execution across replicas; the planner never sees a
 * half-applied state.
 */
export interface EngineContext {
  database: Database;
  flows: FlowStore;
  secrets: SecretLookup;
  clock: () => Date;
}

export const Channels = {
  work: 'patchbay_work',
  timer: 'patchbay_timer',
  cancel: 'patchbay_cancel',
  execution: 'patchbay_execution',
} as const;

/**
 * Applies an event to a working copy of the locked snapshot: it may change records in place
 * and/or return actions. Returning null means "nothing to do" (a lost race): nothing is written.
 */
export type EventFn = (working: ExecutionSnapshot, tx: Drizzle, locked: LockedState) => Promise<PlanAction[] | null> | PlanAction[] | null;

/** What the locked read knows beyond the planner's records: who holds each task run's lease. */
export interface LockedState {
  leaseOwners: ReadonlyMap<string, string | null>;
  /** Statements the event adds (log lines); issued with the transition's own writes. */
  writes: PromiseLike<unknown>[];
}

export interface TransitionOutcome {
  applied: boolean;
  snapshot: ExecutionSnapshot;
  persisted: Persisted | null;
}

export async function loadSnapshot(tx: Drizzle, executionId: string, now: Date, lock: boolean): Promise<ExecutionSnapshot & LockedState> {
  const query = tx.select().from(executions).where(eq(executions.id, executionId));
  // Issued together so postgres.js pipelines them (one round trip); the lock is taken first.
  const [[row], runs] = await Promise.all([lock ? query.for('update') : query, tx.select().from(taskRuns).where(eq(taskRuns.executionId, executionId))]);
  if (!row) throw new PatchbayError(ErrorCode.NOT_FOUND, `no execution ${executionId}`);
  return {
    execution: toExecutionRecord(row),
    taskRuns: runs.map(toTaskRunRecord),
    now: now.toISOString(),
    leaseOwners: new Map(runs.map((run) => [run.id, run.leaseOwner])),
    writes: [],
  };
}

export async function transition(engine: EngineContext, executionId: string, event: EventFn): Promise<TransitionOutcome> {
  const outcome = await engine.database.db.transaction(async (tx) => {
    const now = engine.clock();
    const { leaseOwners, writes, ...before } = await loadSnapshot(tx, executionId, now, true);
    const working = structuredClone(before);
    const events = await event(working, tx, { leaseOwners, writes });
    if (events === null) return { applied: false, snapshot: before, persisted: null };
    const stored = await engine.flows.get(before.execution.namespace, before.execution.flowId, before.execution.revision, tx);
    const scope = await buildRenderScope({
      database: engine.database,
      tx,
      namespace: before.execution.namespace,
      flowSource: stored.source,
      secrets: engine.secrets,
      now,
    });
    const deps = { render: (template: string, context: Record<string, unknown>) => renderTyped(template, context, scope), newId };
    const afterEvent = applyActions(working, events);
    const planned = isTerminalExecution(afterEvent.execution.state)
      ? { snapshot: afterEvent, actions: [] as PlanAction[] }
      : planUntilStable(stored.flow, afterEvent, deps);
    const after = planned.snapshot;
    if (after.execution.outputs && scope.revealedSecrets.size > 0) {
      after.execution.outputs = maskDeep(after.execution.outputs, scope.revealedSecrets) as Record<string, unknown>;
    }
    const persisted = await persistTransition(tx, stored.flow, before, after, [...events, ...planned.actions], writes);
    if (scope.revealedSecrets.size > 0) {
      await tx.execute(sql`update executions set secrets = (
        select coalesce(jsonb_agg(distinct value), '[]'::jsonb) from jsonb_array_elements_text(secrets || ${JSON.stringify([...scope.revealedSecrets])}::jsonb) as value
      ) where id = ${executionId}`);
    }
    const notices: [string, string][] = [];
    if (persisted.newWork) notices.push([Channels.work, '']);
    if (persisted.earliestTimer) notices.push([Channels.timer, persisted.earliestTimer]);
    if (persisted.cancelled.length > 0) notices.push([Channels.cancel, persisted.cancelled.join(',')]);
    if (persisted.ended || after.execution.state !== before.execution.state) notices.push([Channels.execution, `${executionId}:${after.execution.state}`]);
    if (notices.length > 0) await tx.execute(notify(notices));
    if (persisted.leftPaused || persisted.ended) await tx.execute(closeStaleApprovals(executionId));
    return { applied: true, snapshot: after, persisted };
  });
  return outcome;
}
