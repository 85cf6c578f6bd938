import type { TaskNode } from '../../tasks/types.js';
import type { TaskRunRecord } from '../model.js';
import { isTruthy } from '../truthy.js';
import { createSleep } from './flowables/sleep.js';
import { allowances } from './props.js';
import { type Creation, TaskTypes, canonicalType, definitionOf, errorMessage } from './types.js';
import type { Planner } from './working.js';

/** Where a new task run goes. */
export interface Placement {
  parent: TaskRunRecord | null;
  branch: string;
  value: string | null;
  position: number;
}

/**
 * Creates the task run of `task` at `placement`. `runIf` is rendered first: falsy → the run is
 * created SKIPPED (it counts as done); a render error → FAILED. Runnable tasks start CREATED
 * for a worker to claim; Sleep becomes a timer; flowable types render what they need now.
 */
export function createTaskRun(planner: Planner, task: TaskNode, placement: Placement): TaskRunRecord {
  const id = planner.newId();
  const draft: TaskRunRecord = {
    id,
    taskId: task.id,
    parentTaskRunId: placement.parent?.id ?? null,
    branch: placement.branch,
    value: placement.value,
    position: placement.position,
    state: 'CREATED',
    attempts: [],
    outputs: null,
    error: null,
    createdAt: planner.now,
    startedAt: null,
    endedAt: null,
    flowable: null,
  };
  const creation = decide(planner, task, draft);
  // A flowable created FAILED never reaches the scope logic that applies allowFailure.
  const state = creation.state === 'FAILED' && definitionOf(task)?.kind === 'flowable' ? allowances(planner, task, draft, 'FAILED') : creation.state;
  planner.emit({
    type: 'createTaskRun',
    taskRun: {
      id,
      taskId: task.id,
      parentTaskRunId: draft.parentTaskRunId,
      branch: placement.branch,
      value: placement.value,
      position: placement.position,
      state,
      outputs: creation.outputs ?? null,
      error: creation.error ?? null,
      flowable: creation.flowable ?? null,
    },
  });
  for (const effect of creation.effects?.(id) ?? []) planner.emit(effect);
  return planner.get(id);
}

function decide(planner: Planner, task: TaskNode, draft: TaskRunRecord): Creation {
  if (task.runIf !== undefined) {
    let condition: unknown;
    try {
      condition = planner.render(task.runIf, draft);
    } catch (error) {
      return { state: 'FAILED', error: `runIf: ${errorMessage(error)}` };
    }
    if (!isTruthy(condition)) return { state: 'SKIPPED' };
  }
  const definition = definitionOf(task);
  if (!definition) return { state: 'FAILED', error: `unknown task type \`${task.type}\`` };
  const type = canonicalType(task)!;
  if (type === TaskTypes.sleep) return createSleep(planner, task, draft);
  if (definition.kind === 'runnable') return { state: 'CREATED' };
  const behavior = planner.behaviors.get(type);
  if (!behavior) return { state: 'FAILED', error: `the planner has no behaviour for flowable task type \`${type}\`` };
  try {
    return behavior.create(planner, task, draft);
  } catch (error) {
    return { state: 'FAILED', error: errorMessage(error) };
  }
}
