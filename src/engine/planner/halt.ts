import { assertNever } from '../../errors.js';
import { type TaskRunRecord, isTerminalTaskRun } from '../model.js';
import { TaskTypes, canonicalType, definitionOf } from './types.js';
import type { Planner } from './working.js';

/**
 * Stopping task runs: a kill of the execution, a Parallel's failFast, or an Approval/Pause
 * behavior that ends the execution. Children are stopped before their parent:
 * - CREATED and RETRYING runs become KILLED at once (a worker has not taken them);
 * - a RUNNING runnable gets one cancelTaskRun (`flowable.cancelRequested` remembers it) and
 *   stays RUNNING until its worker writes KILLED (or its result, if it finished first);
 * - Sleep and PAUSED runs become KILLED and their timers are disarmed;
 * - a waiting Subflow kills its child execution and becomes KILLED;
 * - other flowable runs end once none of their children is running: KILLED, or SUCCESS for
 *   the ancestors of the Approval whose behavior ended the execution successfully.
 * A flowable run being stopped while children still run is marked KILLING (failFast uses this
 * state to remember that the subtree is being stopped).
 */
export type HaltTarget = 'KILLED' | 'SUCCESS';

export function haltRun(planner: Planner, run: TaskRunRecord, target: HaltTarget, survivors: ReadonlySet<string> = new Set()): void {
  if (isTerminalTaskRun(run.state)) return;
  for (const child of planner.children(run)) haltRun(planner, child, target, survivors);
  const current = planner.get(run.id);
  const task = planner.taskOf(current);
  const type = canonicalType(task);
  if (type === TaskTypes.sleep) {
    planner.update(current, { state: 'KILLED' });
    planner.emit({ type: 'disarmTimers', taskRunId: current.id });
    return;
  }
  if (definitionOf(task)?.kind !== 'flowable') {
    haltRunnable(planner, current);
    return;
  }
  if (type === TaskTypes.subflow) {
    const executionId = current.flowable?.executionId;
    if (typeof executionId === 'string' && current.flowable?.childState == null) planner.emit({ type: 'killExecution', executionId });
    planner.update(current, { state: 'KILLED' });
    return;
  }
  if (planner.hasLiveChildren(current)) {
    if (current.state !== 'KILLING') planner.update(current, { state: 'KILLING' });
    return;
  }
  planner.update(current, { state: target === 'SUCCESS' && survivors.has(current.id) ? 'SUCCESS' : 'KILLED' });
}

function haltRunnable(planner: Planner, run: TaskRunRecord): void {
  switch (run.state) {
    case 'CREATED':
      planner.update(run, { state: 'KILLED' });
      return;
    case 'RETRYING':
    case 'PAUSED':
      planner.update(run, { state: 'KILLED' });
      planner.emit({ type: 'disarmTimers', taskRunId: run.id });
      return;
    case 'RUNNING':
    case 'KILLING':
      if (run.flowable?.cancelRequested !== true) {
        planner.emit({ type: 'cancelTaskRun', id: run.id });
        planner.note(run, { cancelRequested: true });
      }
      return;
    case 'SUCCESS':
    case 'WARNING':
    case 'FAILED':
    case 'KILLED':
    case 'SKIPPED':
      return;
    default:
      assertNever(run.state, 'task run state');
  }
}

/** What the execution is being stopped for, read from the snapshot (so every round agrees). */
export function haltTarget(planner: Planner): { target: HaltTarget; requester?: TaskRunRecord } | null {
  const { execution } = planner;
  if (execution.killRequested || execution.state === 'KILLING') return { target: 'KILLED' };
  const requester = planner.allRuns().find((run) => run.flowable?.endExecution === 'SUCCESS');
  return requester ? { target: 'SUCCESS', requester } : null;
}

/** One round of stopping the whole execution; true once nothing is left running. */
export function haltExecution(planner: Planner, target: HaltTarget, requester?: TaskRunRecord): boolean {
  if (target === 'KILLED' && planner.execution.state !== 'KILLING' && planner.allRuns().some((run) => !isTerminalTaskRun(run.state))) {
    planner.emit({ type: 'setExecutionState', state: 'KILLING' });
  }
  const survivors = new Set<string>();
  for (let current = requester ? planner.parentOf(requester) : undefined; current; current = planner.parentOf(current)) survivors.add(current.id);
  for (const run of planner.children(null)) haltRun(planner, run, target, survivors);
  return planner.allRuns().every((run) => isTerminalTaskRun(run.state));
}
