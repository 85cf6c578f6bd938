import { and, eq, lt, sql } from 'drizzle-orm';
import { type Drizzle, notify } from '../db/database.js';
import { taskRuns, timers } from '../db/schema.js';
import type { DeclaredAssets } from '../assets/types.js';
import type { LogRow } from './logs.js';
import { lookupTask } from '../tasks/registry.js';
import type { Attempt, ExecutionSnapshot, PlanAction, TaskRunRecord, TaskRunState } from './model.js';
import { Channels, type EventFn } from './transition.js';

/**
 * The events that move an execution besides people's decisions: a worker's result, a timer,
 * a lost lease, a kill. Each guards itself with a compare-and-set inside the execution's
 * transaction, so a late or duplicate event changes nothing.
 */
function runOf(snapshot: ExecutionSnapshot, id: string): TaskRunRecord | undefined {
  return snapshot.taskRuns.find((run) => run.id === id);
}

export interface AttemptResult {
  state: Extract<TaskRunState, 'SUCCESS' | 'WARNING' | 'FAILED' | 'KILLED'>;
  outputs?: Record<string, unknown>;
  error?: string;
  /** False when a retry cannot help (the planner then does not retry). */
  retryable?: boolean;
  /** The attempt's last log lines, written with the result. */
  logs?: LogRow[];
  /** The task's `assets` as rendered when it succeeded: recorded with the result. */
  assets?: DeclaredAssets;
}

/** A worker finished an attempt. Dropped if the worker no longer holds the lease. */
export function attemptFinished(taskRunId: string, workerId: string, result: AttemptResult): EventFn {
  return (working, _tx, locked) => {
    // Read under the execution's lock, which every lease change (reaping included) also takes.
    const run = runOf(working, taskRunId);
    if (!run || run.state !== 'RUNNING' || locked.leaseOwners.get(taskRunId) !== workerId) return null;
    if (result.logs?.length) locked.logs.push(...result.logs);
    if (result.assets && (result.state === 'SUCCESS' || result.state === 'WARNING')) {
      const execution = working.execution;
      const origin = { executionId: execution.id, namespace: execution.namespace, flowId: execution.flowId, taskId: run.taskId, taskRunId: run.id, actor: execution.createdBy, at: working.now };
      locked.assets.push({ origin, declared: result.assets });
    }
    const last = run.attempts[run.attempts.length - 1] as Attempt | undefined;
    const attempt: Attempt = { ...last, state: result.state, startedAt: last?.startedAt ?? working.now, endedAt: working.now };
    if (result.error) attempt.error = result.error;
    if (result.retryable === false) attempt.retryable = false;
    run.attempts = [...run.attempts.slice(0, -1), attempt];
    run.state = result.state;
    run.outputs = result.outputs ?? run.outputs;
    run.error = result.error ?? null;
    run.endedAt = working.now;
    return [];
  };
}

/** A timer came due. Deleting its row is the compare-and-set: only one replica applies it. */
export function timerFired(timerId: number): EventFn {
  return async (working, tx) => {
    const [timer] = await tx.delete(timers).where(eq(timers.id, timerId)).returning();
    if (!timer) return null;
    const run = runOf(working, timer.taskRunId);
    if (!run) return [];
    switch (timer.kind) {
      case 'RETRY':
        return run.state === 'RETRYING' ? [{ type: 'updateTaskRun', id: run.id, state: 'CREATED' }] : [];
      case 'PAUSE_DELAY':
      case 'SLEEP':
        return run.state === 'PAUSED' || run.state === 'RUNNING' ? [{ type: 'updateTaskRun', id: run.id, state: 'SUCCESS' }] : [];
      case 'PAUSE_TIMEOUT':
        return run.state === 'PAUSED' ? [{ type: 'updateTaskRun', id: run.id, flowable: { ...(run.flowable ?? {}), expired: true } }] : [];
      case 'REMINDER':
        return run.state === 'PAUSED' ? reminderDue(working, run, timer.id, tx) : [];
      default:
        return [];
    }
  };
}

/**
 * A REMINDER changes no state: a NOTIFY (delivered only if this transaction commits, so at
 * most once per timer row) tells the chat surfaces to nudge the assignees; the timer id lets
 * them post it once across replicas. The next reminder is armed from `remindEveryMs` noted on
 * the waiting run, unless it would come after the request expires.
 */
async function reminderDue(working: ExecutionSnapshot, run: TaskRunRecord, timerId: number, tx: Drizzle): Promise<PlanAction[]> {
  await tx.execute(notify([[Channels.reminder, `${working.execution.id}:${run.id}:${timerId}`]]));
  const every = run.flowable?.remindEveryMs;
  if (typeof every !== 'number' || every <= 0) return [];
  const next = new Date(Date.parse(working.now) + every).toISOString();
  const expiry = run.flowable?.dueAt ?? run.flowable?.due;
  if (typeof expiry === 'string' && Date.parse(next) >= Date.parse(expiry)) return [];
  return [{ type: 'armTimer', taskRunId: run.id, kind: 'REMINDER', dueAt: next }];
}

/**
 * The worker holding a task run stopped renewing its lease (it died). A task that may run
 * twice goes back to CREATED and keeps its attempt number (so its idempotency key is the
 * same); one marked unsafe to repeat fails with "worker lost" and the flow's errors decide.
 */
export function leaseExpired(taskRunId: string, type: string): EventFn {
  return async (working, tx) => {
    const taken = await tx
      .update(taskRuns)
      .set({ leaseOwner: null, leaseExpiresAt: null })
      .where(and(eq(taskRuns.id, taskRunId), eq(taskRuns.state, 'RUNNING'), lt(taskRuns.leaseExpiresAt, sql`now()`)))
      .returning({ id: taskRuns.id });
    const run = runOf(working, taskRunId);
    if (taken.length === 0 || !run) return null;
    if (lookupTask(type)?.unsafeToRepeat) {
      const error = 'worker lost while the task was running; it is not safe to repeat, so it was not run again';
      const last = run.attempts[run.attempts.length - 1] as Attempt | undefined;
      run.attempts = [...run.attempts.slice(0, -1), { ...last, state: 'FAILED', startedAt: last?.startedAt ?? working.now, endedAt: working.now, error, retryable: false }];
      run.state = 'FAILED';
      run.error = error;
      run.endedAt = working.now;
      return [];
    }
    run.attempts = run.attempts.slice(0, -1);
    run.state = 'CREATED';
    return [];
  };
}

/** Kill requested by a person or a parent execution. */
export function killRequested(): EventFn {
  return (working) => {
    if (working.execution.killRequested) return null;
    working.execution.killRequested = true;
    return [];
  };
}
