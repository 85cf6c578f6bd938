import {
  type ExecutionRecord,
  type ExecutionSnapshot,
  type NewTaskRun,
  type PlanAction,
  type TaskRunRecord,
  type TaskRunState,
  isTerminalExecution,
  isTerminalTaskRun,
} from '../model.js';

/**
 * What a plan action does to the execution's records, as pure functions. The planner applies
 * its own actions to an in-memory copy as it emits them (so later decisions of the same round
 * see earlier ones) and the engine uses `applyActions` to iterate to a fixpoint before
 * persisting. Timers, approvals, subflow starts, cancellations and child kills are effects
 * outside this execution's records: they leave the snapshot unchanged.
 *
 * Dates: a task run gets `startedAt` when it first leaves CREATED/RETRYING (kept across
 * retries) and `endedAt` when it becomes terminal (cleared if it leaves a terminal state,
 * which only a restart would do). `updateTaskRun.flowable` replaces the whole object: the
 * planner always writes the merged bookkeeping.
 */
const WAITING_TO_START: readonly TaskRunState[] = ['CREATED', 'RETRYING'];

export function newTaskRunRecord(taskRun: NewTaskRun, now: string): TaskRunRecord {
  const started = !WAITING_TO_START.includes(taskRun.state);
  return {
    id: taskRun.id,
    taskId: taskRun.taskId,
    parentTaskRunId: taskRun.parentTaskRunId,
    branch: taskRun.branch,
    value: taskRun.value,
    position: taskRun.position,
    state: taskRun.state,
    attempts: [],
    outputs: taskRun.outputs ?? null,
    error: taskRun.error ?? null,
    createdAt: now,
    startedAt: started ? now : null,
    endedAt: isTerminalTaskRun(taskRun.state) ? now : null,
    flowable: taskRun.flowable ?? null,
  };
}

type TaskRunUpdate = Extract<PlanAction, { type: 'updateTaskRun' }>;

export function updatedTaskRunRecord(record: TaskRunRecord, update: TaskRunUpdate, now: string): TaskRunRecord {
  const next: TaskRunRecord = { ...record };
  if (update.outputs !== undefined) next.outputs = update.outputs;
  if (update.error !== undefined) next.error = update.error;
  if (update.flowable !== undefined) next.flowable = update.flowable;
  if (update.state !== undefined && update.state !== record.state) {
    next.state = update.state;
    if (!WAITING_TO_START.includes(update.state)) next.startedAt = record.startedAt ?? now;
    next.endedAt = isTerminalTaskRun(update.state) ? now : null;
  }
  return next;
}

type ExecutionUpdate = Extract<PlanAction, { type: 'setExecutionState' }>;

export function updatedExecutionRecord(execution: ExecutionRecord, update: ExecutionUpdate, now: string): ExecutionRecord {
  const next: ExecutionRecord = { ...execution, state: update.state };
  if (update.outputs !== undefined) next.outputs = update.outputs;
  if (update.error !== undefined) next.error = update.error;
  next.endedAt = isTerminalExecution(update.state) ? (execution.endedAt ?? now) : null;
  return next;
}

/** Applies actions to a snapshot without touching it; unknown task run ids are ignored. */
export function applyActions(snapshot: ExecutionSnapshot, actions: readonly PlanAction[]): ExecutionSnapshot {
  let execution = snapshot.execution;
  const runs = new Map(snapshot.taskRuns.map((run) => [run.id, run]));
  for (const action of actions) {
    if (action.type === 'createTaskRun') {
      if (!runs.has(action.taskRun.id)) runs.set(action.taskRun.id, newTaskRunRecord(action.taskRun, snapshot.now));
    } else if (action.type === 'updateTaskRun') {
      const record = runs.get(action.id);
      if (record) runs.set(action.id, updatedTaskRunRecord(record, action, snapshot.now));
    } else if (action.type === 'setExecutionState') {
      execution = updatedExecutionRecord(execution, action, snapshot.now);
    }
  }
  return { execution, taskRuns: [...runs.values()], now: snapshot.now };
}
