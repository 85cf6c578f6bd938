import { assertNever } from '../../../errors.js';
import type { TaskNode } from '../../../tasks/types.js';
import { taskList } from '../../../tasks/types.js';
import { PAUSE_BEHAVIORS } from '../../../tasks/core/Pause.js';
import type { PlanAction, TaskRunRecord } from '../../model.js';
import { addMs, propDuration, propEnum } from '../props.js';
import { enabledTasks, runSequence, worst } from '../scopes.js';
import { ACTIVE, type Creation, type FlowableBehavior, type Outcome, type Settled } from '../types.js';
import type { Planner } from '../working.js';
import { type Decision, OPEN_REQUEST, askPeople, decisionOf, readApprovalRequest, rejectedMessage } from './waiting.js';

/**
 * Pause and HumanTask. The run is created PAUSED; `onPause` (one runnable task) runs at once.
 * - `pauseDuration` (or the older `delay`): it ends by itself after that long, applying
 *   `behavior`: RESUME → SUCCESS, WARN → WARNING, FAIL → FAILED, CANCEL → KILLED and the
 *   execution is killed. A plain Pause that resumes (RESUME, no nested task of any kind)
 *   gets a PAUSE_DELAY timer, which the engine turns into SUCCESS itself; the others get
 *   PAUSE_TIMEOUT, and the planner applies the behavior when `flowable.expired` appears.
 * - no pauseDuration: it waits for a person (openApproval: anyone for Pause; the assignment
 *   for HumanTask). With the common `timeout`, PAUSE_TIMEOUT ends it when it expires: FAILED
 *   (Kestra's rule, so an approval gate never resumes by itself by default), or the
 *   `behavior` the flow sets explicitly.
 * - a HumanTask always waits for its assignees; its pauseDuration is when the request
 *   expires, with `behavior` (default FAIL).
 * Resumed or approved → SUCCESS with `{onResume: inputs, resumed: {by, at}}` (HumanTask adds
 * `approvedBy`, `approvers`, `reason`), after the deprecated `tasks` if any. Rejected →
 * FAILED "rejected by <user>: <reason>", so errors and finally run. A failed onPause fails it.
 */
function createWaiting(planner: Planner, task: TaskNode, draft: TaskRunRecord, human: boolean): Creation {
  const pauseDuration = propDuration(planner, task, task.pauseDuration !== undefined ? 'pauseDuration' : 'delay', draft);
  const timeout = propDuration(planner, task, 'timeout', draft);
  const behavior = propEnum(planner, task, 'behavior', draft, PAUSE_BEHAVIORS, human ? 'FAIL' : 'RESUME');
  const request = human ? readApprovalRequest(planner, task, draft) : OPEN_REQUEST;
  const limit = pauseDuration ?? timeout;
  const dueAt = limit ? addMs(planner.now, limit.ms) : null;
  // The engine's PAUSE_DELAY shortcut (straight to SUCCESS) is only right when nothing is
  // left for the planner to do around the pause: no deprecated tasks, errors, finally, onPause.
  const nested = ['tasks', 'errors', 'finally'].some((name) => enabledTasks(task[name]).length > 0) || task.onPause !== undefined;
  const selfResuming = !human && pauseDuration !== undefined && behavior === 'RESUME' && !nested;
  return {
    state: 'PAUSED',
    flowable: {
      behavior,
      // What `flowable.expired` means: apply `behavior`, or fail. A pauseDuration applies the
      // behavior; a timeout only when the flow names one (by default it fails, as in Kestra).
      onExpiry: pauseDuration || (timeout && task.behavior !== undefined) ? 'behavior' : timeout ? 'fail' : null,
      limit: limit?.text ?? null,
      dueAt,
      // Read by the engine when a REMINDER fires, to arm the next one.
      remindEveryMs: request.remindEveryMs,
    },
    effects: (id) => {
      const actions: PlanAction[] = [];
      if (dueAt) actions.push({ type: 'armTimer', taskRunId: id, kind: selfResuming ? 'PAUSE_DELAY' : 'PAUSE_TIMEOUT', dueAt });
      if (human || !pauseDuration) actions.push(...askPeople(planner, task, id, request, dueAt));
      return actions;
    },
  };
}

function resumedOutputs(decision: Decision, human: boolean): Record<string, unknown> {
  const outputs: Record<string, unknown> = { onResume: decision.inputs, resumed: { by: decision.by, at: decision.at } };
  if (human && decision.type === 'APPROVED') {
    outputs.approvedBy = decision.by;
    outputs.approvers = decision.approvers;
    outputs.reason = decision.reason;
  }
  return outputs;
}

/** Goes on after the pause: the deprecated `tasks` first, if any (the run is RUNNING meanwhile). */
function goOn(planner: Planner, run: TaskRunRecord, task: TaskNode, state: Settled['state'], outputs: Record<string, unknown>): Outcome {
  const legacy = taskList(task.tasks);
  if (enabledTasks(legacy).length === 0) return { state, outputs };
  const current = planner.update(run, { state: 'RUNNING', outputs });
  const after = runSequence(planner, current, 'tasks', legacy, current.value);
  if (after === ACTIVE) return ACTIVE;
  return { state: worst([state, after.state]), outputs };
}

function mainWaiting(planner: Planner, run: TaskRunRecord, task: TaskNode, human: boolean): Outcome {
  const onPause = task.onPause ? [task.onPause as TaskNode] : [];
  const side: Outcome = enabledTasks(onPause).length > 0 ? runSequence(planner, run, 'onPause', onPause, run.value) : { state: 'SUCCESS' };
  if (side !== ACTIVE && (side.state === 'FAILED' || side.state === 'KILLED')) {
    return { state: 'FAILED', error: `onPause task \`${onPause[0]!.id}\` failed` };
  }
  const decision = decisionOf(run);
  if (!decision || side === ACTIVE) return ACTIVE;
  const bookkeeping = run.flowable ?? {};
  const limit = String(bookkeeping.limit ?? '');
  switch (decision.type) {
    case 'APPROVED':
      return goOn(planner, run, task, 'SUCCESS', resumedOutputs(decision, human));
    case 'DENIED':
      return { state: 'FAILED', error: rejectedMessage(decision) };
    case 'EXPIRED': {
      const timedOut = `paused task timed out after ${limit}`;
      if (bookkeeping.onExpiry !== 'behavior') return { state: 'FAILED', error: timedOut };
      const outputs = { onResume: {}, resumed: null };
      switch (bookkeeping.behavior) {
        case 'WARN':
          return goOn(planner, run, task, 'WARNING', outputs);
        case 'FAIL':
          return { state: 'FAILED', error: timedOut };
        case 'CANCEL':
          return { state: 'KILLED', error: `paused task cancelled the execution after ${limit}`, halt: 'KILLED' };
        default:
          return goOn(planner, run, task, 'SUCCESS', outputs);
      }
    }
    default:
      return assertNever(decision.type, 'decision');
  }
}

export const pause: FlowableBehavior = {
  create: (planner, task, draft) => createWaiting(planner, task, draft, false),
  main: (planner, run, task) => mainWaiting(planner, run, task, false),
};

export const humanTask: FlowableBehavior = {
  create: (planner, task, draft) => createWaiting(planner, task, draft, true),
  main: (planner, run, task) => mainWaiting(planner, run, task, true),
};
