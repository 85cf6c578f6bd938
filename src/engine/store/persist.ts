import { type SQL, and, eq, inArray, sql } from 'drizzle-orm';
import type { Drizzle } from '../../db/database.js';
import type { PipelinedTransaction } from '../../db/pipeline.js';
import { approvals, executions, taskRuns, timers } from '../../db/schema.js';
import type { Flow } from '../../flow/model.js';
import { newId } from '../../ids.js';
import { lookupTask } from '../../tasks/registry.js';
import { type ExecutionSnapshot, type PlanAction, type TaskRunRecord, isTerminalExecution } from '../model.js';
import type { LogRow } from '../logs.js';
import { taskById } from '../task-index.js';
import {
  type ExecutionUpdateRow,
  type TaskRunInsertRow,
  type TaskRunUpdateRow,
  anyId,
  insertLogs,
  insertTaskRuns,
  updateExecutions,
  updateTaskRuns,
} from './batch-sql.js';

/**
 * Writes the outcome of transitions. Task runs and the execution are persisted by comparing
 * the snapshot before and after (so a run touched by several actions is written once); side
 * effects that are not state (timers, approvals, subflows, cancellations) come from the
 * actions themselves.
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

/** A worker that may take the runs a batch creates, up to `remaining` of them (eager dispatch). */
export interface ClaimBudget {
  workerId: string;
  remaining: number;
  /** Filled in: the runs claimed, by execution. */
  claimed: { executionId: string; taskRunId: string }[];
}

/**
 * The writes of a batch of transitions, collected execution by execution and flushed as a
 * handful of statements (see batch-sql.ts). Side effects that are not state (timers,
 * approvals, subflows, cancellations) are rare and keep their own statements.
 */
export class TransitionWrites {
  private readonly inserts: TaskRunInsertRow[] = [];
  private readonly updates: TaskRunUpdateRow[] = [];
  private readonly executionRows: ExecutionUpdateRow[] = [];
  private readonly ended: string[] = [];
  private readonly stale: string[] = [];
  private readonly effects: Effect[] = [];
  readonly logs: LogRow[] = [];

  /**
   * Adds one execution's transition. `leaseOwners` (a copy of the locked read's) is updated to
   * what the writes leave, and `version` is the execution's new version (written in any case).
   */
  collect(
    flow: Flow,
    before: ExecutionSnapshot,
    after: ExecutionSnapshot,
    actions: readonly PlanAction[],
    state: { leaseOwners: Map<string, string | null>; version: number },
    claim?: ClaimBudget,
  ): Persisted {
    const result: Persisted = { newWork: false, earliestTimer: null, cancelled: [], startedSubflows: [], killed: [], ended: false, leftPaused: false };
    const previous = new Map(before.taskRuns.map((run) => [run.id, run]));
    const tasks = taskById(flow);
    const executionId = after.execution.id;
    for (const run of after.taskRuns) {
      const old = previous.get(run.id);
      if (!old) {
        const type = tasks.get(run.taskId)?.type ?? 'unknown';
        const runnable = lookupTask(type)?.kind === 'runnable';
        let leaseOwner: string | null = null;
        if (runnable && run.state === 'CREATED') {
          // Nobody else can see a row this transaction inserts, so taking it here is race-free.
          if (claim && claim.remaining > 0) {
            claim.remaining -= 1;
            claim.claimed.push({ executionId, taskRunId: run.id });
            leaseOwner = claim.workerId;
            run.state = 'RUNNING';
            run.startedAt ??= after.now;
            run.attempts = [...run.attempts, { state: 'RUNNING', startedAt: after.now, worker: claim.workerId }];
          } else {
            result.newWork = true;
          }
        }
        state.leaseOwners.set(run.id, leaseOwner);
        this.inserts.push({
          id: run.id,
          execution_id: executionId,
          task_id: run.taskId,
          type,
          runnable,
          parent_task_run_id: run.parentTaskRunId,
          branch: run.branch,
          value: run.value,
          position: run.position,
          state: run.state,
          attempts: run.attempts,
          outputs: run.outputs,
          error: run.error,
          flowable: run.flowable,
          lease_owner: leaseOwner,
          created_at: run.createdAt,
          started_at: run.startedAt,
          ended_at: run.endedAt,
        });
      } else if (changed(old, run)) {
        if (run.state === 'CREATED' && old.state !== 'CREATED') result.newWork = true;
        if (old.state === 'PAUSED' && run.state !== 'PAUSED') result.leftPaused = true;
        const release = (old.state === 'RUNNING' && run.state !== 'RUNNING') || run.state === 'CREATED';
        if (release) state.leaseOwners.set(run.id, null);
        this.updates.push({
          id: run.id,
          state: run.state,
          attempts: run.attempts,
          outputs: run.outputs,
          error: run.error,
          flowable: run.flowable,
          started_at: run.startedAt,
          ended_at: run.endedAt,
          release,
        });
      }
    }
    for (const action of actions) this.sideEffect(after, action, result);

    const execution = after.execution;
    const old = before.execution;
    const executionChanged =
      execution.state !== old.state ||
      execution.killRequested !== old.killRequested ||
      execution.error !== old.error ||
      JSON.stringify(execution.outputs) !== JSON.stringify(old.outputs);
    result.ended = executionChanged && isTerminalExecution(execution.state) && !isTerminalExecution(old.state);
    // Written even when only task runs changed: the version bump is what invalidates other replicas' caches.
    this.executionRows.push({
      id: executionId,
      version: state.version,
      state: execution.state,
      kill_requested: execution.killRequested,
      outputs: execution.outputs,
      error: execution.error,
      updated_at: executionChanged ? after.now : null,
      ended_at: result.ended ? after.now : execution.endedAt,
    });
    if (result.ended) this.ended.push(executionId);
    if (result.leftPaused || result.ended) this.stale.push(executionId);
    return result;
  }

  /**
   * Sends every statement now, in this order, without waiting: they travel together and
   * their outcome is known at COMMIT (see PipelinedTransaction).
   */
  send(p: PipelinedTransaction, leaseMs: number): void {
    if (this.updates.length > 0) void p.send(updateTaskRuns(this.updates));
    if (this.inserts.length > 0) void p.send(insertTaskRuns(this.inserts, leaseMs / 1000));
    if (this.executionRows.length > 0) void p.send(updateExecutions(this.executionRows));
    if (this.ended.length > 0) void p.send(sql`delete from timers where execution_id = ${anyId(this.ended)}`);
    for (const effect of this.effects) void p.send(effect(p.tx));
    if (this.logs.length > 0) void p.send(insertLogs(this.logs));
    // After the task-run updates above: approvals of runs that stopped waiting are closed.
    if (this.stale.length > 0) void p.send(closeStaleApprovals(this.stale));
  }

  private sideEffect(after: ExecutionSnapshot, action: PlanAction, result: Persisted): void {
    const effect = sideEffectOf(after, action, result);
    if (effect) this.effects.push(effect);
  }
}

/** A statement built on the transaction's drizzle (sent, not awaited). */
type Effect = (tx: Drizzle) => SQL | { toSQL(): { sql: string; params: unknown[] } };

function sideEffectOf(after: ExecutionSnapshot, action: PlanAction, result: Persisted): Effect | null {
  const executionId = after.execution.id;
  switch (action.type) {
    case 'createTaskRun':
    case 'updateTaskRun':
    case 'setExecutionState':
      return null; // state, written from the snapshot difference
    case 'armTimer':
      if (!result.earliestTimer || action.dueAt < result.earliestTimer) result.earliestTimer = action.dueAt;
      return (tx) => tx.insert(timers).values({ executionId, taskRunId: action.taskRunId, kind: action.kind, dueAt: action.dueAt });
    case 'disarmTimers':
      return (tx) => tx.delete(timers).where(eq(timers.taskRunId, action.taskRunId));
    case 'cancelTaskRun':
      result.cancelled.push(action.id);
      return (tx) => tx.update(taskRuns).set({ cancelRequested: true }).where(and(eq(taskRuns.id, action.id), inArray(taskRuns.state, ['RUNNING', 'KILLING'])));
    case 'openApproval':
      return (tx) => tx
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
    case 'startSubflow':
      result.startedSubflows.push(action.executionId);
      return (tx) => tx.insert(executions).values({
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
    case 'killExecution':
      result.killed.push(action.executionId);
      return (tx) => tx.update(executions).set({ killRequested: true, version: sql`${executions.version} + 1` }).where(eq(executions.id, action.executionId));
    default: {
      const never: never = action;
      throw new Error(`unknown plan action ${JSON.stringify(never)}`);
    }
  }
}

/** Marks approvals of task runs that are no longer waiting as closed (kill, expiry). */
function closeStaleApprovals(executionIds: readonly string[]) {
  return sql`update approvals a set state = 'CANCELLED', decided_at = now()
    from task_runs t
    where a.execution_id = ${anyId(executionIds)} and a.state = 'PENDING' and t.id = a.task_run_id and t.state <> 'PAUSED'`;
}
