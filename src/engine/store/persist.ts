import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Drizzle } from '../../db/database.js';
import { approvals, executions, taskRuns, timers } from '../../db/schema.js';
import type { Flow } from '../../flow/model.js';
import { newId } from '../../ids.js';
import { lookupTask } from '../../tasks/registry.js';
import { type ExecutionSnapshot, type PlanAction, type TaskRunRecord, isTerminalExecution } from '../model.js';
import { taskById } from '../task-index.js';

/**
 * Writes the outcome of one transition. Task runs and the execution are persisted by
 * comparing the snapshot before and after (so a run touched by several actions is written
 * once); side effects that are not state (timers, approvals, subflows, cancellations) come
 * from the actions themselves.
 */
export interface Persisted {
  /** New runnable work in CREATED: wake the workers. */
  newWork: boolean;
  /** Earliest timer armed, to wake the timer loop if it sleeps longer. */
  earliestTimer: string | null;
  /** Task runs a worker must abort. */
  cancelled: string[];
  /** Child executions created (to be planned after commit) and executions to kill. */
  startedSubflows: string[];
  killed: string[];
  /** Set when this transition ended the execution. */
  ended: boolean;
  /** A task run stopped waiting: its approval (if any) must be closed. */
  leftPaused: boolean;
}

function changed(before: TaskRunRecord, after: TaskRunRecord): boolean {
  return (
    before.state !== after.state ||
    before.error !== after.error ||
    before.endedAt !== after.endedAt ||
    before.startedAt !== after.startedAt ||
    JSON.stringify(before.outputs) !== JSON.stringify(after.outputs) ||
    JSON.stringify(before.flowable) !== JSON.stringify(after.flowable) ||
    JSON.stringify(before.attempts) !== JSON.stringify(after.attempts)
  );
}

export async function persistTransition(
  tx: Drizzle,
  flow: Flow,
  before: ExecutionSnapshot,
  after: ExecutionSnapshot,
  actions: readonly PlanAction[],
  extraWrites: readonly PromiseLike<unknown>[] = [],
): Promise<Persisted> {
  const result: Persisted = { newWork: false, earliestTimer: null, cancelled: [], startedSubflows: [], killed: [], ended: false, leftPaused: false };
  // Independent statements are issued together: postgres.js pipelines them in one round trip.
  const writes: PromiseLike<unknown>[] = [...extraWrites];
  const previous = new Map(before.taskRuns.map((run) => [run.id, run]));
  const tasks = taskById(flow);
  const inserts = [];
  for (const run of after.taskRuns) {
    const old = previous.get(run.id);
    if (!old) {
      const type = tasks.get(run.taskId)?.type ?? 'unknown';
      const runnable = lookupTask(type)?.kind === 'runnable';
      if (runnable && run.state === 'CREATED') result.newWork = true;
      inserts.push({
        id: run.id,
        executionId: after.execution.id,
        taskId: run.taskId,
        type,
        runnable,
        parentTaskRunId: run.parentTaskRunId,
        branch: run.branch,
        value: run.value,
        position: run.position,
        state: run.state,
        attempts: run.attempts,
        outputs: run.outputs,
        error: run.error,
        flowable: run.flowable,
        createdAt: run.createdAt,
        startedAt: run.startedAt,
        endedAt: run.endedAt,
      });
    } else if (changed(old, run)) {
      if (run.state === 'CREATED' && old.state !== 'CREATED') result.newWork = true;
      if (old.state === 'PAUSED' && run.state !== 'PAUSED') result.leftPaused = true;
      const released = old.state === 'RUNNING' && run.state !== 'RUNNING';
      writes.push(tx
        .update(taskRuns)
        .set({
          state: run.state,
          attempts: run.attempts,
          outputs: run.outputs,
          error: run.error,
          flowable: run.flowable,
          startedAt: run.startedAt,
          endedAt: run.endedAt,
          // A run that stopped running (or was handed back for a retry) holds no lease.
          ...(released || run.state === 'CREATED' ? { leaseOwner: null, leaseExpiresAt: null, cancelRequested: false } : {}),
        })
        .where(eq(taskRuns.id, run.id)));
    }
  }
  if (inserts.length > 0) writes.push(tx.insert(taskRuns).values(inserts));
  for (const action of actions) writes.push(applySideEffect(tx, after, action, result));

  const execution = after.execution;
  const old = before.execution;
  const executionChanged =
    execution.state !== old.state ||
    execution.killRequested !== old.killRequested ||
    execution.error !== old.error ||
    JSON.stringify(execution.outputs) !== JSON.stringify(old.outputs);
  if (executionChanged) {
    result.ended = isTerminalExecution(execution.state) && !isTerminalExecution(old.state);
    writes.push(tx
      .update(executions)
      .set({
        state: execution.state,
        killRequested: execution.killRequested,
        outputs: execution.outputs,
        error: execution.error,
        updatedAt: after.now,
        endedAt: result.ended ? after.now : execution.endedAt,
      })
      .where(eq(executions.id, execution.id)));
    if (result.ended) writes.push(tx.delete(timers).where(eq(timers.executionId, execution.id)));
  }
  await Promise.all(writes);
  return result;
}

async function applySideEffect(tx: Drizzle, after: ExecutionSnapshot, action: PlanAction, result: Persisted): Promise<void> {
  const executionId = after.execution.id;
  switch (action.type) {
    case 'createTaskRun':
    case 'updateTaskRun':
    case 'setExecutionState':
      return; // state, written from the snapshot difference
    case 'armTimer':
      await tx.insert(timers).values({ executionId, taskRunId: action.taskRunId, kind: action.kind, dueAt: action.dueAt });
      if (!result.earliestTimer || action.dueAt < result.earliestTimer) result.earliestTimer = action.dueAt;
      return;
    case 'disarmTimers':
      await tx.delete(timers).where(eq(timers.taskRunId, action.taskRunId));
      return;
    case 'cancelTaskRun':
      await tx.update(taskRuns).set({ cancelRequested: true }).where(and(eq(taskRuns.id, action.id), inArray(taskRuns.state, ['RUNNING', 'KILLING'])));
      result.cancelled.push(action.id);
      return;
    case 'openApproval':
      await tx
        .insert(approvals)
        .values({
          id: newId(),
          executionId,
          taskRunId: action.taskRunId,
          state: 'PENDING',
          users: action.users,
          groups: action.groups,
          minApprovals: action.minApprovals,
          allowSelfApproval: action.allowSelfApproval,
          requestedBy: after.execution.createdBy,
          description: action.description,
          expiresAt: action.expiresAt,
        })
        .onConflictDoNothing();
      return;
    case 'startSubflow':
      await tx.insert(executions).values({
        id: action.executionId,
        namespace: action.namespace,
        flowId: action.flowId,
        // Resolved to the flow's latest revision when the child is started (after commit).
        revision: action.revision ?? 0,
        state: 'CREATED',
        inputs: action.inputs,
        labels: action.labels,
        createdBy: after.execution.createdBy,
        parentExecutionId: executionId,
        parentTaskRunId: action.taskRunId,
        createdAt: after.now,
        updatedAt: after.now,
      });
      result.startedSubflows.push(action.executionId);
      return;
    case 'killExecution':
      await tx.update(executions).set({ killRequested: true }).where(eq(executions.id, action.executionId));
      result.killed.push(action.executionId);
      return;
    default: {
      const never: never = action;
      throw new Error(`unknown plan action ${JSON.stringify(never)}`);
    }
  }
}

/** Marks approvals of task runs that are no longer waiting as closed (kill, expiry). */
export function closeStaleApprovals(executionId: string) {
  return sql`update approvals set state = 'CANCELLED', decided_at = now()
    where execution_id = ${executionId} and state = 'PENDING'
      and task_run_id in (select id from task_runs where execution_id = ${executionId} and state <> 'PAUSED')`;
}
