import { taskList } from '../../tasks/types.js';
import { type TaskRunRecord, isTerminalTaskRun } from '../model.js';
import { haltRun } from './halt.js';
import { allowances } from './props.js';
import { advanceScope, runSequence } from './scopes.js';
import { ACTIVE, type Outcome, canonicalType, definitionOf } from './types.js';
import type { Planner } from './working.js';

/**
 * One pass over the tree of task runs, children before parents, so a parent decides on its
 * children's settled states in the same round. Runnable runs belong to workers and timers;
 * only flowable runs are advanced here.
 */
export function advanceRun(planner: Planner, run: TaskRunRecord): void {
  if (planner.haltRequested || isTerminalTaskRun(run.state)) return;
  const task = planner.taskOf(run);
  if (definitionOf(task)?.kind !== 'flowable') return;
  if (run.state === 'KILLING') {
    haltRun(planner, run, 'KILLED');
    return;
  }
  for (const child of planner.children(run)) advanceRun(planner, planner.get(child.id));
  advanceFlowable(planner, planner.get(run.id));
}

function advanceFlowable(planner: Planner, run: TaskRunRecord): void {
  if (planner.haltRequested || isTerminalTaskRun(run.state)) return;
  const task = planner.taskOf(run)!;
  const behavior = planner.behaviors.get(canonicalType(task) ?? '');
  if (!behavior) return;
  const outcome = advanceScope(planner, {
    parent: run,
    value: run.value,
    main: () => behavior.main(planner, planner.get(run.id), task),
    errors: taskList(task.errors),
    finally: taskList(task.finally),
    // errors/finally run with the flowable RUNNING, not PAUSED (a rejected HumanTask).
    onMainSettled: () => {
      if (planner.get(run.id).state === 'PAUSED') planner.update(run, { state: 'RUNNING' });
    },
  });
  if (outcome === ACTIVE) return;
  const current = planner.get(run.id);
  const final = behavior.finish ? behavior.finish(planner, current, task, outcome) : outcome;
  planner.update(current, {
    state: allowances(planner, task, current, final.state),
    ...(final.error ? { error: final.error } : {}),
    ...(final.outputs !== undefined ? { outputs: final.outputs } : {}),
    ...(final.flowable !== undefined ? { flowable: final.flowable } : {}),
  });
  if (final.halt) planner.requestHalt(final.halt);
}

/** The flow itself is the outermost scope: `tasks`, then `errors` on failure, then `finally`. */
export function advanceRoot(planner: Planner): Outcome {
  for (const run of planner.children(null)) advanceRun(planner, planner.get(run.id));
  if (planner.haltRequested) return ACTIVE;
  const { flow } = planner;
  return advanceScope(planner, {
    parent: null,
    value: null,
    main: () => runSequence(planner, null, 'tasks', flow.tasks, null),
    errors: flow.errors,
    finally: flow.finally,
  });
}
