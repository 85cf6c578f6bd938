import { createScope, renderTyped } from '../../../../src/expr/render.js';
import type { Flow } from '../../../../src/flow/model.js';
import { parseFlowSource } from '../../../../src/flow/loader.js';
import {
  type ExecutionSnapshot,
  type PlanAction,
  type TaskRunRecord,
  type TaskRunState,
  type TimerKind,
  isTerminalExecution,
} from '../../../../src/engine/model.js';
import { plan, planUntilStable } from '../../../../src/engine/planner/index.js';
import type { PlannerDeps } from '../../../../src/engine/planner/types.js';
import { taskById } from '../../../../src/engine/task-index.js';
import { lookupTask } from '../../../../src/tasks/registry.js';

/**
 * A tiny, pure stand-in for the worker and the engine around the planner: it claims CREATED
 * runnable runs (RUNNING, one attempt), ends them as a script says, fires timers in due
 * order, and applies people's decisions and kills the way the engine does, calling the
 * planner to a fixpoint after each event. Time only moves when the simulator moves it.
 */
export type Result =
  | 'SUCCESS'
  | 'FAILED'
  | 'WARNING'
  /** Keep running until cancelled (kill tests). */
  | 'HOLD'
  | { state: 'SUCCESS' | 'FAILED' | 'WARNING'; outputs?: Record<string, unknown>; error?: string; retryable?: boolean };

/** Per task id: one result, one per attempt (the last repeats), or a function of the run. */
export type Script = Record<string, Result | Result[] | ((run: TaskRunRecord, attempt: number) => Result)>;

export interface Timer {
  taskRunId: string;
  kind: TimerKind;
  dueAt: string;
}

export const START = '2026-03-02T08:00:00.000Z';

export function loadFlow(yaml: string): Flow {
  const parsed = parseFlowSource(yaml, 'test.yaml');
  if (parsed.diagnostics.length > 0 || parsed.flows.length !== 1) {
    throw new Error(`invalid test flow:\n${parsed.diagnostics.map((d) => `${d.line}:${d.col} ${d.message}`).join('\n')}`);
  }
  return parsed.flows[0]!.flow;
}

export function counterDeps(clock: () => string, prefix = 'id'): PlannerDeps {
  let next = 0;
  return {
    render: (template, context) => renderTyped(template, context, createScope({ now: () => new Date(clock()) })),
    newId: () => `${prefix}-${++next}`,
  };
}

const plusMs = (iso: string, ms: number) => new Date(Date.parse(iso) + ms).toISOString();

export class Sim {
  readonly flow: Flow;
  snapshot: ExecutionSnapshot;
  readonly actions: PlanAction[] = [];
  timers: Timer[] = [];
  readonly firedTimers: Timer[] = [];
  /** Each claim: the runnable runs a worker took together (`taskId` or `taskId[value]`). */
  readonly batches: string[][] = [];
  readonly deps: PlannerDeps;

  constructor(
    yaml: string,
    readonly script: Script = {},
    options: { inputs?: Record<string, unknown>; labels?: Record<string, string> } = {},
  ) {
    this.flow = loadFlow(yaml);
    this.snapshot = {
      execution: {
        id: 'exec-1',
        namespace: this.flow.namespace,
        flowId: this.flow.id,
        revision: 3,
        state: 'CREATED',
        inputs: options.inputs ?? {},
        labels: options.labels ?? this.flow.labels,
        outputs: null,
        createdBy: 'U_STARTER',
        parentExecutionId: null,
        parentTaskRunId: null,
        trigger: null,
        killRequested: false,
        error: null,
        createdAt: START,
        endedAt: null,
      },
      taskRuns: [],
      now: START,
    };
    this.deps = counterDeps(() => this.snapshot.now);
  }

  // ── reading ──────────────────────────────────────────────────────────────────────────
  get state() {
    return this.snapshot.execution.state;
  }

  runs(taskId: string): TaskRunRecord[] {
    return this.snapshot.taskRuns.filter((run) => run.taskId === taskId);
  }

  run(taskId: string, value: string | null = null): TaskRunRecord {
    const found = this.snapshot.taskRuns.filter((run) => run.taskId === taskId && (value === null || run.value === value));
    if (found.length !== 1) throw new Error(`expected one run of ${taskId}${value ? `[${value}]` : ''}, found ${found.length}`);
    return found[0]!;
  }

  has(taskId: string): boolean {
    return this.snapshot.taskRuns.some((run) => run.taskId === taskId);
  }

  /** `taskId` or `taskId[value]` with its state, in creation order. */
  trace(): string[] {
    return this.snapshot.taskRuns.map((run) => `${label(run)}:${run.state}`);
  }

  /** Task ids in creation order (one entry per run). */
  created(): string[] {
    return this.snapshot.taskRuns.map(label);
  }

  of<T extends PlanAction['type']>(type: T): Extract<PlanAction, { type: T }>[] {
    return this.actions.filter((action): action is Extract<PlanAction, { type: T }> => action.type === type);
  }

  // ── the planner ──────────────────────────────────────────────────────────────────────
  plan(): PlanAction[] {
    const { snapshot, actions } = planUntilStable(this.flow, this.snapshot, this.deps);
    this.snapshot = snapshot;
    this.actions.push(...actions);
    for (const action of actions) {
      if (action.type === 'armTimer') this.timers.push({ taskRunId: action.taskRunId, kind: action.kind, dueAt: action.dueAt });
      if (action.type === 'disarmTimers') this.timers = this.timers.filter((timer) => timer.taskRunId !== action.taskRunId);
    }
    this.checkInvariants();
    return actions;
  }

  private checkInvariants(): void {
    const keys = this.snapshot.taskRuns.map((run) => `${run.taskId}|${run.parentTaskRunId}|${run.value}`);
    if (new Set(keys).size !== keys.length) throw new Error(`a task run was created twice: ${keys.join(', ')}`);
    if (plan(this.flow, this.snapshot, this.deps).length !== 0) throw new Error('the planner is not idempotent: a settled snapshot produced actions');
  }

  // ── the engine's and the worker's part ──────────────────────────────────────────────
  private edit(id: string, change: (run: TaskRunRecord) => TaskRunRecord): void {
    this.snapshot = { ...this.snapshot, taskRuns: this.snapshot.taskRuns.map((run) => (run.id === id ? change(structuredClone(run)) : run)) };
  }

  private tick(ms = 1000): void {
    this.snapshot = { ...this.snapshot, now: plusMs(this.snapshot.now, ms) };
  }

  private isRunnable(run: TaskRunRecord): boolean {
    return lookupTask(String(taskById(this.flow).get(run.taskId)?.type))?.kind === 'runnable';
  }

  private resultFor(run: TaskRunRecord): Result {
    const entry = this.script[run.taskId];
    const attempt = run.attempts.length;
    if (entry === undefined) return 'SUCCESS';
    if (typeof entry === 'function') return entry(run, attempt);
    if (Array.isArray(entry)) return entry[Math.min(attempt, entry.length) - 1]!;
    return entry;
  }

  /** A worker takes every CREATED runnable run, then ends them (HOLD keeps running). */
  work(): boolean {
    const claimed = this.snapshot.taskRuns.filter((run) => run.state === 'CREATED' && this.isRunnable(run));
    const cancelled = this.snapshot.taskRuns.filter((run) => run.state === 'RUNNING' && run.flowable?.cancelRequested === true);
    if (claimed.length === 0 && cancelled.length === 0) return false;
    if (claimed.length > 0) this.batches.push(claimed.map(label));
    const now = this.snapshot.now;
    for (const run of claimed) {
      this.edit(run.id, (r) => ({ ...r, state: 'RUNNING', startedAt: r.startedAt ?? now, attempts: [...r.attempts, { state: 'RUNNING', startedAt: now }] }));
    }
    this.plan();
    this.tick();
    const end = this.snapshot.now;
    for (const run of cancelled) this.finish(run.id, 'KILLED', end);
    for (const { id } of claimed) {
      const run = this.snapshot.taskRuns.find((candidate) => candidate.id === id)!;
      if (run.state !== 'RUNNING') continue;
      if (run.flowable?.cancelRequested === true) {
        this.finish(id, 'KILLED', end);
        continue;
      }
      const result = this.resultFor(run);
      if (result === 'HOLD') continue;
      const { state, outputs, error, retryable } = typeof result === 'string' ? { state: result } : result;
      this.finish(id, state, end, outputs, error ?? (state === 'FAILED' ? `${run.taskId} failed` : undefined), retryable);
    }
    this.plan();
    return true;
  }

  private finish(id: string, state: TaskRunState, at: string, outputs?: Record<string, unknown>, error?: string, retryable?: boolean): void {
    this.edit(id, (run) => {
      const attempts = [...run.attempts];
      const last = attempts[attempts.length - 1];
      if (last) attempts[attempts.length - 1] = { ...last, state, endedAt: at, ...(error ? { error } : {}), ...(retryable === false ? { retryable } : {}) };
      return { ...run, state, attempts, outputs: outputs ?? run.outputs, error: error ?? null, endedAt: at };
    });
  }

  /** Fires the earliest timer (optionally of one kind), moving the clock to its due time. */
  fire(kind?: TimerKind): Timer | undefined {
    const timer = [...this.timers].filter((t) => !kind || t.kind === kind).sort((a, b) => a.dueAt.localeCompare(b.dueAt))[0];
    if (!timer) return undefined;
    this.timers = this.timers.filter((t) => t !== timer);
    this.firedTimers.push(timer);
    if (timer.dueAt > this.snapshot.now) this.snapshot = { ...this.snapshot, now: timer.dueAt };
    const run = this.snapshot.taskRuns.find((candidate) => candidate.id === timer.taskRunId)!;
    switch (timer.kind) {
      case 'RETRY':
        if (run.state === 'RETRYING') this.edit(run.id, (r) => ({ ...r, state: 'CREATED' }));
        break;
      case 'SLEEP':
      case 'PAUSE_DELAY':
        if (run.state === 'RUNNING' || run.state === 'PAUSED') this.edit(run.id, (r) => ({ ...r, state: 'SUCCESS', endedAt: timer.dueAt }));
        break;
      case 'PAUSE_TIMEOUT':
        if (run.state === 'PAUSED') this.edit(run.id, (r) => ({ ...r, flowable: { ...(r.flowable ?? {}), expired: true } }));
        break;
      case 'REMINDER':
        break;
    }
    this.plan();
    return timer;
  }

  /**
   * Runs workers and timers until the execution ends or waits for someone. Retry, sleep and
   * pause-delay timers fire as they come due; expiries (PAUSE_TIMEOUT) only with `expire`,
   * so a test can look at a waiting execution; reminders never.
   */
  drive(options: { expire?: boolean } = {}, limit = 500): this {
    const automatic = (timer: Timer) => timer.kind !== 'REMINDER' && (options.expire === true || timer.kind !== 'PAUSE_TIMEOUT');
    this.plan();
    for (let i = 0; i < limit; i++) {
      if (isTerminalExecution(this.state)) return this;
      if (this.work()) continue;
      const next = [...this.timers].filter(automatic).sort((a, b) => a.dueAt.localeCompare(b.dueAt))[0];
      if (next && this.fire(next.kind)) continue;
      return this;
    }
    throw new Error('the simulation did not end');
  }

  // ── people and the engine ──────────────────────────────────────────────────────────
  resume(taskId: string, by = 'U_BOB', inputs: Record<string, unknown> = {}): this {
    const run = this.waiting(taskId);
    this.edit(run.id, (r) => ({ ...r, flowable: { ...(r.flowable ?? {}), resumed: { by, at: this.snapshot.now, inputs } } }));
    return this.drive();
  }

  decide(taskId: string, approved: boolean, by = 'U_BOB', reason: string | null = null, inputs: Record<string, unknown> = {}): this {
    const run = this.waiting(taskId);
    const at = this.snapshot.now;
    this.edit(run.id, (r) => ({
      ...r,
      flowable: { ...(r.flowable ?? {}), ...(approved ? { resumed: { by, at, inputs } } : {}), decision: { approved, by, at, reason, approvers: [by], inputs } },
    }));
    return this.drive();
  }

  kill(): this {
    this.snapshot = { ...this.snapshot, execution: { ...this.snapshot.execution, killRequested: true } };
    return this.drive();
  }

  /** The engine reports the end of a Subflow's child execution. */
  childEnded(taskId: string, state: string, outputs: Record<string, unknown> = {}): this {
    const run = this.run(taskId);
    this.edit(run.id, (r) => ({ ...r, flowable: { ...(r.flowable ?? {}), childState: state, childOutputs: outputs } }));
    return this.drive();
  }

  private waiting(taskId: string): TaskRunRecord {
    const run = this.runs(taskId).find((candidate) => candidate.state === 'PAUSED');
    if (!run) throw new Error(`${taskId} is not PAUSED (${this.trace().join(', ')})`);
    return run;
  }
}

function label(run: TaskRunRecord): string {
  return run.value === null ? run.taskId : `${run.taskId}[${run.value}]`;
}
