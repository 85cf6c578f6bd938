import { assertNever } from '../../errors.js';
import type { TaskNode } from '../../tasks/types.js';
import { taskList } from '../../tasks/types.js';
import { type TaskRunRecord, type TaskRunState, isTerminalTaskRun } from '../model.js';
import { createTaskRun } from './create.js';
import { ACTIVE, type Outcome, type Settled } from './types.js';
import type { Planner } from './working.js';

/**
 * Lists of tasks and the scopes around them. A list runs in order: a task run is created once
 * the previous one ended well (SUCCESS, WARNING, SKIPPED); a FAILED or KILLED one stops the
 * list. A scope (the flow itself, or a flowable task run) is its main part, then its `errors`
 * when the main part failed, then its `finally` whatever happened (except after a kill). The
 * scope FAILED when its main part failed, even if `errors` succeeded (as in Kestra).
 */
const RANK: Record<Settled['state'], number> = { SUCCESS: 0, WARNING: 1, KILLED: 2, FAILED: 3 };

/** The worst of finished states; a genuine failure outranks the kills it caused (failFast). */
export function worst(states: readonly TaskRunState[]): Settled['state'] {
  let out: Settled['state'] = 'SUCCESS';
  for (const state of states) {
    const mapped: Settled['state'] = state === 'SKIPPED' ? 'SUCCESS' : state === 'SUCCESS' || state === 'WARNING' || state === 'FAILED' || state === 'KILLED' ? state : 'SUCCESS';
    if (RANK[mapped] > RANK[out]) out = mapped;
  }
  return out;
}

export const enabledTasks = (tasks: unknown): TaskNode[] => taskList(tasks).filter((task) => task.disabled !== true);

export type SequenceState =
  | { status: 'idle'; next: TaskNode; index: number }
  | { status: 'running' }
  | { status: 'ready'; next: TaskNode; index: number }
  | { status: 'done'; outcome: Settled };

/**
 * Where a list stands, without changing anything: not started, something running, the next
 * task ready to be created, or finished. Disabled tasks are not part of the list at all.
 */
export function inspectSequence(planner: Planner, parent: TaskRunRecord | null, tasks: readonly TaskNode[], value: string | null): SequenceState {
  const states: TaskRunState[] = [];
  let started = false;
  for (const [index, task] of tasks.entries()) {
    if (task.disabled === true) continue;
    const run = planner.find(task.id, parent?.id ?? null, value);
    if (!run) return { status: started ? 'ready' : 'idle', next: task, index };
    started = true;
    if (!isTerminalTaskRun(run.state)) return { status: 'running' };
    states.push(run.state);
    if (run.state === 'FAILED' || run.state === 'KILLED') return { status: 'done', outcome: { state: run.state } };
  }
  return { status: 'done', outcome: { state: worst(states) } };
}

/** Advances a list by at most one task run; `positionBase` offsets positions (ForEach iterations). */
export function runSequence(
  planner: Planner,
  parent: TaskRunRecord | null,
  branch: string,
  tasks: readonly TaskNode[],
  value: string | null,
  positionBase = 0,
): Outcome {
  const state = inspectSequence(planner, parent, tasks, value);
  switch (state.status) {
    case 'running':
      return ACTIVE;
    case 'done':
      return state.outcome;
    case 'idle':
    case 'ready':
      createTaskRun(planner, state.next, { parent, branch, value, position: positionBase + state.index });
      return ACTIVE;
    default:
      return assertNever(state, 'sequence state');
  }
}

export interface ScopeSpec {
  parent: TaskRunRecord | null;
  /** Iteration value inherited by the scope's errors and finally runs. */
  value: string | null;
  main: () => Outcome;
  errors: readonly TaskNode[];
  finally: readonly TaskNode[];
  /** Called each round once the main part is over and errors/finally are (or may be) running. */
  onMainSettled?: () => void;
}

export function advanceScope(planner: Planner, spec: ScopeSpec): Outcome {
  const main = spec.main();
  if (main === ACTIVE || planner.haltRequested) return ACTIVE;
  // A kill ends the scope where it stands: no errors, no finally.
  if (main.state === 'KILLED') return main;
  spec.onMainSettled?.();
  if (main.state === 'FAILED' && enabledTasks(spec.errors).length > 0) {
    const errors = runSequence(planner, spec.parent, 'errors', spec.errors, spec.value);
    if (errors === ACTIVE) return ACTIVE;
  }
  if (enabledTasks(spec.finally).length === 0) return main;
  const after = runSequence(planner, spec.parent, 'finally', spec.finally, spec.value);
  if (after === ACTIVE) return ACTIVE;
  if (main.state === 'FAILED' || after.state === 'FAILED' || after.state === 'KILLED') return { ...main, state: 'FAILED' };
  return { ...main, state: worst([main.state, after.state]) };
}
