/**
 * The engine's state model, shared by the pure planner, the worker and the storage layer.
 * Names follow Kestra's so a Kestra user reads the same states in Patchbay.
 *
 * Ownership of transitions (who may write what):
 * - the planner (pure) decides: which task runs to create, flowable task runs' states,
 *   timers to arm, approvals to open, subflows to start, the execution's state;
 * - a worker writes a runnable task run's RUNNING → SUCCESS / WARNING / FAILED (one attempt);
 * - timers and people (resume / approve / reject / kill) write through the service, each as
 *   one compare-and-set, and then the planner runs again.
 */
export const ExecutionState = {
  CREATED: 'CREATED',
  RUNNING: 'RUNNING',
  PAUSED: 'PAUSED',
  SUCCESS: 'SUCCESS',
  WARNING: 'WARNING',
  FAILED: 'FAILED',
  KILLING: 'KILLING',
  KILLED: 'KILLED',
  /** Waiting for a slot of the flow's `concurrency` (or its trigger's): not planned until admitted. */
  QUEUED: 'QUEUED',
  /** Refused by `concurrency.behavior: CANCEL`: never ran. */
  CANCELLED: 'CANCELLED',
} as const;
export type ExecutionState = (typeof ExecutionState)[keyof typeof ExecutionState];

export const TaskRunState = {
  CREATED: 'CREATED',
  RUNNING: 'RUNNING',
  PAUSED: 'PAUSED',
  RETRYING: 'RETRYING',
  SUCCESS: 'SUCCESS',
  WARNING: 'WARNING',
  FAILED: 'FAILED',
  KILLING: 'KILLING',
  KILLED: 'KILLED',
  SKIPPED: 'SKIPPED',
} as const;
export type TaskRunState = (typeof TaskRunState)[keyof typeof TaskRunState];

export const TERMINAL_EXECUTION_STATES: readonly ExecutionState[] = ['SUCCESS', 'WARNING', 'FAILED', 'KILLED', 'CANCELLED'];
export const TERMINAL_TASK_RUN_STATES: readonly TaskRunState[] = ['SUCCESS', 'WARNING', 'FAILED', 'KILLED', 'SKIPPED'];

export const isTerminalExecution = (state: ExecutionState): boolean => TERMINAL_EXECUTION_STATES.includes(state);
export const isTerminalTaskRun = (state: TaskRunState): boolean => TERMINAL_TASK_RUN_STATES.includes(state);

/** One attempt of a runnable task run (retries add attempts to the same task run). */
export interface Attempt {
  state: TaskRunState;
  startedAt: string;
  endedAt?: string;
  error?: string;
  /**
   * False when the attempt failed with an error a retry cannot fix (a PatchbayError with
   * `retryable: false`, or "worker lost" on a task that is unsafe to repeat): the planner
   * then skips the task's `retry` policy. Absent means retryable.
   */
  retryable?: boolean;
  /** The worker that ran it (diagnostics: which replica ran which attempt). */
  worker?: string;
}

export interface TaskRunRecord {
  id: string;
  taskId: string;
  /** The flowable task run this one was created under; null at the top level. */
  parentTaskRunId: string | null;
  /**
   * Where it sits under its parent (or at the top level): the branch name a TaskDefinition's
   * `branches()` returns (`tasks`, `then`, `else`, `errors`, `finally`, `case:<key>`,
   * `defaults`, `onWait`, `onApprove`, `onDeny`, `onPause`) or, at the top level, `tasks`,
   * `errors`, `finally`.
   */
  branch: string;
  /** ForEach iteration value (as a string, Kestra's `taskrun.value`); inherited by nested runs of that iteration. */
  value: string | null;
  /** Order among the runs of the same parent and branch (iteration index × list position for ForEach). */
  position: number;
  state: TaskRunState;
  /** Attempts made so far (runnable tasks); empty for flowable ones. */
  attempts: Attempt[];
  outputs: Record<string, unknown> | null;
  error: string | null;
  createdAt: string;
  startedAt: string | null;
  endedAt: string | null;
  /**
   * Bookkeeping of flowable task runs, written by the planner only: e.g. If's evaluated
   * condition, ForEach's rendered values, Switch's chosen case, Pause's resume data,
   * Subflow's child execution id, an Approval's decision.
   */
  flowable: Record<string, unknown> | null;
}

export interface ExecutionRecord {
  id: string;
  namespace: string;
  flowId: string;
  revision: number;
  state: ExecutionState;
  inputs: Record<string, unknown>;
  labels: Record<string, string>;
  outputs: Record<string, unknown> | null;
  /** Who started it: a Slack user id, a CLI user (`--as`), `schedule:<trigger>`, `subflow:<parent id>`. */
  createdBy: string;
  parentExecutionId: string | null;
  parentTaskRunId: string | null;
  trigger: Record<string, unknown> | null;
  killRequested: boolean;
  error: string | null;
  createdAt: string;
  endedAt: string | null;
}

/** Everything the planner may look at: one execution and all its task runs, at `now`. */
export interface ExecutionSnapshot {
  execution: ExecutionRecord;
  taskRuns: TaskRunRecord[];
  /** ISO timestamp; the planner never reads the clock itself. */
  now: string;
}

/** A task run the planner wants created. Runnable ones in CREATED are what workers claim. */
export interface NewTaskRun {
  id: string;
  taskId: string;
  parentTaskRunId: string | null;
  branch: string;
  value: string | null;
  position: number;
  state: TaskRunState;
  outputs?: Record<string, unknown> | null;
  error?: string | null;
  flowable?: Record<string, unknown> | null;
}

export type TimerKind = 'RETRY' | 'PAUSE_DELAY' | 'PAUSE_TIMEOUT' | 'SLEEP' | 'REMINDER';

export type PlanAction =
  | { type: 'createTaskRun'; taskRun: NewTaskRun }
  | {
      type: 'updateTaskRun';
      id: string;
      state?: TaskRunState;
      outputs?: Record<string, unknown> | null;
      error?: string | null;
      flowable?: Record<string, unknown> | null;
    }
  /** A runnable task run that is RUNNING must stop (kill, failFast): the worker aborts it. */
  | { type: 'cancelTaskRun'; id: string }
  | { type: 'armTimer'; taskRunId: string; kind: TimerKind; dueAt: string }
  | { type: 'disarmTimers'; taskRunId: string }
  /** A Pause / HumanTask / Approval is now waiting for a person. */
  | {
      type: 'openApproval';
      taskRunId: string;
      users: string[];
      groups: string[];
      minApprovals: number;
      allowSelfApproval: boolean;
      expiresAt: string | null;
      description: string | null;
    }
  | {
      type: 'startSubflow';
      taskRunId: string;
      executionId: string;
      namespace: string;
      flowId: string;
      revision: number | null;
      inputs: Record<string, unknown>;
      labels: Record<string, string>;
      /** Subflow's `scheduleDate`: start the child at this ISO date-time instead of now. */
      scheduleDate?: string | null;
    }
  | { type: 'killExecution'; executionId: string }
  | { type: 'setExecutionState'; state: ExecutionState; outputs?: Record<string, unknown> | null; error?: string | null };
