import type { TaskNode } from '../../tasks/types.js';
import { lookupTask } from '../../tasks/registry.js';
import type { TaskDefinition } from '../../tasks/types.js';
import type { PlanAction, TaskRunRecord, TaskRunState } from '../model.js';
import type { Planner } from './working.js';

/** What the planner needs from outside: typed rendering and ids. Nothing else (no clock, no I/O). */
export interface PlannerDeps {
  /** Renders one template (`renderTyped` with the execution's RenderScope): a single `{{ }}` keeps its type. */
  render(template: string, context: Record<string, unknown>): unknown;
  newId(): string;
}

/** A finished list, branch or flowable: its state, and for flowables what to record on the run. */
export interface Settled {
  state: 'SUCCESS' | 'WARNING' | 'FAILED' | 'KILLED';
  error?: string | null;
  outputs?: Record<string, unknown> | null;
  flowable?: Record<string, unknown> | null;
  /** The whole execution stops after this run ends (Pause CANCEL, Approval CANCEL/KILL/SUCCEED). */
  halt?: 'KILLED' | 'SUCCESS';
}

/** Still going: something is running, waiting, or was just created. */
export const ACTIVE = 'ACTIVE' as const;
export type Outcome = typeof ACTIVE | Settled;

/** What a new task run starts as, and the effects that need its id (timers, approvals, subflow). */
export interface Creation {
  state: TaskRunState;
  flowable?: Record<string, unknown> | null;
  outputs?: Record<string, unknown> | null;
  error?: string | null;
  effects?: (runId: string) => PlanAction[];
}

/**
 * One flowable task type. `create` renders the properties the type needs once (a render
 * error creates the run FAILED); `main` advances the type's own branches and says whether
 * they are done; the shared scope logic then runs `errors` and `finally`; `finish` may map
 * the final state (Approval's behaviors).
 */
export interface FlowableBehavior {
  create(planner: Planner, task: TaskNode, draft: TaskRunRecord): Creation;
  main(planner: Planner, run: TaskRunRecord, task: TaskNode): Outcome;
  finish?(planner: Planner, run: TaskRunRecord, task: TaskNode, outcome: Settled): Settled;
}

export const TaskTypes = {
  sequential: 'io.kestra.plugin.core.flow.Sequential',
  parallel: 'io.kestra.plugin.core.flow.Parallel',
  if: 'io.kestra.plugin.core.flow.If',
  switch: 'io.kestra.plugin.core.flow.Switch',
  forEach: 'io.kestra.plugin.core.flow.ForEach',
  subflow: 'io.kestra.plugin.core.flow.Subflow',
  sleep: 'io.kestra.plugin.core.flow.Sleep',
  pause: 'io.kestra.plugin.core.flow.Pause',
  humanTask: 'io.kestra.plugin.ee.flow.HumanTask',
  approval: 'io.kestra.plugin.core.flow.Approval',
} as const;

export function definitionOf(task: TaskNode | undefined): TaskDefinition | undefined {
  return task ? lookupTask(task.type) : undefined;
}

/** Kestra's full type name of a task, whichever alias the flow used. */
export function canonicalType(task: TaskNode | undefined): string | undefined {
  return definitionOf(task)?.types[0];
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
