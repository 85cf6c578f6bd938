import { ErrorCode, PatchbayError } from '../../errors.js';
import type { Flow } from '../../flow/model.js';
import type { TaskNode } from '../../tasks/types.js';
import type { ExecutionRecord, ExecutionSnapshot, PlanAction, TaskRunRecord } from '../model.js';
import { isTerminalTaskRun } from '../model.js';
import { taskById } from '../task-index.js';
import { newTaskRunRecord, updatedExecutionRecord, updatedTaskRunRecord } from './apply.js';
import { buildRenderContext } from './context.js';
import type { FlowableBehavior, PlannerDeps } from './types.js';

type TaskRunPatch = Omit<Extract<PlanAction, { type: 'updateTaskRun' }>, 'type' | 'id'>;

/**
 * One planning round: a working copy of the snapshot plus the actions emitted so far. Every
 * action is applied to the copy as it is emitted, so a decision taken later in the round sees
 * the earlier ones (a FAILED run already turned RETRYING, a run already created).
 */
export class Planner {
  readonly actions: PlanAction[] = [];
  execution: ExecutionRecord;
  readonly now: string;
  /** Set when something ended or is killing the whole execution: the rest of the round stops. */
  haltRequested = false;
  private readonly runs = new Map<string, TaskRunRecord>();
  private readonly childIds = new Map<string | null, string[]>();
  /** `parent|task|value` → run id: a ForEach of a thousand values must not scan its children per lookup. */
  private readonly byKey = new Map<string, string>();
  private readonly tasks: ReadonlyMap<string, TaskNode>;

  constructor(
    readonly flow: Flow,
    snapshot: ExecutionSnapshot,
    readonly deps: PlannerDeps,
    readonly behaviors: ReadonlyMap<string, FlowableBehavior>,
  ) {
    this.execution = snapshot.execution;
    this.now = snapshot.now;
    this.tasks = taskById(flow);
    for (const run of snapshot.taskRuns) this.index(run);
  }

  private index(run: TaskRunRecord): void {
    this.runs.set(run.id, run);
    const siblings = this.childIds.get(run.parentTaskRunId) ?? [];
    siblings.push(run.id);
    this.childIds.set(run.parentTaskRunId, siblings);
    this.byKey.set(runKey(run.taskId, run.parentTaskRunId, run.value), run.id);
  }

  snapshot(): ExecutionSnapshot {
    return { execution: this.execution, taskRuns: [...this.runs.values()], now: this.now };
  }

  allRuns(): TaskRunRecord[] {
    return [...this.runs.values()];
  }

  get(id: string): TaskRunRecord {
    const run = this.runs.get(id);
    if (!run) throw new PatchbayError(ErrorCode.INTERNAL, `planner: no task run ${id}`);
    return run;
  }

  parentOf(run: TaskRunRecord): TaskRunRecord | undefined {
    return run.parentTaskRunId ? this.runs.get(run.parentTaskRunId) : undefined;
  }

  /** Children of a task run (null: the top level), in creation order. */
  children(parent: TaskRunRecord | null): TaskRunRecord[] {
    return (this.childIds.get(parent?.id ?? null) ?? []).map((id) => this.get(id));
  }

  /** The one run of a task under a parent for an iteration value: the guard against creating it twice. */
  find(taskId: string, parentId: string | null, value: string | null): TaskRunRecord | undefined {
    const id = this.byKey.get(runKey(taskId, parentId, value));
    return id === undefined ? undefined : this.get(id);
  }

  taskOf(run: TaskRunRecord): TaskNode | undefined {
    return this.tasks.get(run.taskId);
  }

  hasLiveChildren(run: TaskRunRecord): boolean {
    return this.children(run).some((child) => !isTerminalTaskRun(child.state));
  }

  isUnder(run: TaskRunRecord, predicate: (ancestor: TaskRunRecord) => boolean): boolean {
    for (let current = this.parentOf(run); current; current = this.parentOf(current)) if (predicate(current)) return true;
    return false;
  }

  emit(action: PlanAction): void {
    this.actions.push(action);
    if (action.type === 'createTaskRun') this.index(newTaskRunRecord(action.taskRun, this.now));
    else if (action.type === 'updateTaskRun') this.runs.set(action.id, updatedTaskRunRecord(this.get(action.id), action, this.now));
    else if (action.type === 'setExecutionState') this.execution = updatedExecutionRecord(this.execution, action, this.now);
  }

  /**
   * Changes a task run. Leaving PAUSED also disarms its timers (pause delay or timeout,
   * reminders): whatever released it, they must not fire afterwards.
   */
  update(run: TaskRunRecord, patch: TaskRunPatch): TaskRunRecord {
    const current = this.get(run.id);
    const changed = (Object.keys(patch) as (keyof TaskRunPatch)[]).some((key) => patch[key] !== undefined && !sameValue(patch[key], current[key]));
    if (!changed) return current;
    this.emit({ type: 'updateTaskRun', id: run.id, ...patch });
    if (current.state === 'PAUSED' && patch.state !== undefined && patch.state !== 'PAUSED') {
      this.emit({ type: 'disarmTimers', taskRunId: run.id });
    }
    return this.get(run.id);
  }

  /** Merges keys into a run's bookkeeping. */
  note(run: TaskRunRecord, entries: Record<string, unknown>, patch: TaskRunPatch = {}): TaskRunRecord {
    const current = this.get(run.id);
    return this.update(current, { ...patch, flowable: { ...(current.flowable ?? {}), ...entries } });
  }

  /** Ends the round and, for a kill, puts the execution in KILLING (the next rounds kill the rest). */
  requestHalt(target: 'KILLED' | 'SUCCESS'): void {
    this.haltRequested = true;
    if (target === 'KILLED' && this.execution.state !== 'KILLING') this.emit({ type: 'setExecutionState', state: 'KILLING' });
  }

  newId(): string {
    return this.deps.newId();
  }

  /** Renders a property value for a task run: strings through `deps.render`, lists and maps walked. Throws. */
  render(value: unknown, run?: TaskRunRecord): unknown {
    const context = buildRenderContext(this.flow, this.snapshot(), run);
    return this.renderIn(value, context);
  }

  private renderIn(value: unknown, context: Record<string, unknown>): unknown {
    if (typeof value === 'string') return this.deps.render(value, context);
    if (Array.isArray(value)) return value.map((item) => this.renderIn(item, context));
    if (value && typeof value === 'object') {
      const out: Record<string, unknown> = {};
      for (const [key, item] of Object.entries(value)) out[String(this.deps.render(key, context))] = this.renderIn(item, context);
      return out;
    }
    return value;
  }
}

const runKey = (taskId: string, parentId: string | null, value: string | null): string => JSON.stringify([parentId, taskId, value]);

/** Structural equality of JSON-like values (an unchanged update is not emitted: plans must settle). */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const keysA = Object.keys(a);
  const keysB = Object.keys(b);
  if (keysA.length !== keysB.length) return false;
  return keysA.every((key) => Object.hasOwn(b, key) && sameValue((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]));
}
