import type { TaskNode } from '../../tasks/types.js';
import type { TaskRunRecord } from '../model.js';
import { allowances } from './props.js';
import { type RetryPolicy, nextRetryAt, readRetryPolicy } from './retry.js';
import { definitionOf, errorMessage } from './types.js';
import type { Planner } from './working.js';

/**
 * Results of runnable task runs, as workers wrote them, turned into their final state:
 * - FAILED and the task's `retry` allows another attempt → RETRYING, with a RETRY timer
 *   (not for attempts marked `retryable: false`, nor for runs being cancelled or stopped);
 * - SUCCESS after failed attempts with `warningOnRetry` → WARNING;
 * - then allowFailure (FAILED → WARNING) and allowWarning (WARNING → SUCCESS).
 * Each rule is a function of the run alone, so applying them again changes nothing.
 */
export function settleRunnables(planner: Planner): void {
  for (const run of planner.allRuns()) {
    const task = planner.taskOf(run);
    if (definitionOf(task)?.kind !== 'runnable' || run.flowable?.cancelRequested === true) continue;
    if (run.state === 'FAILED') settleFailed(planner, run, task!);
    else if (run.state === 'SUCCESS' || run.state === 'WARNING') settleSucceeded(planner, run, task!);
  }
}

const POLICY_NOTE = 'retry policy not applied';

function policyOf(planner: Planner, task: TaskNode, run: TaskRunRecord): RetryPolicy | string | undefined {
  if (!task.retry || typeof task.retry !== 'object') return undefined;
  try {
    return readRetryPolicy(planner.render(task.retry, run) as Record<string, unknown>);
  } catch (error) {
    return errorMessage(error);
  }
}

function settleFailed(planner: Planner, run: TaskRunRecord, task: TaskNode): void {
  const last = run.attempts[run.attempts.length - 1];
  const stopping = planner.isUnder(run, (ancestor) => ancestor.state === 'KILLING');
  if (last && last.retryable !== false && !stopping) {
    const policy = policyOf(planner, task, run);
    if (typeof policy === 'string') {
      const note = `${POLICY_NOTE}: ${policy}`;
      if (!run.error?.endsWith(note)) planner.update(run, { error: run.error ? `${run.error} (${note})` : note });
    } else if (policy) {
      const dueAt = nextRetryAt(policy, run.id, run.attempts, planner.now);
      if (dueAt) {
        planner.update(run, { state: 'RETRYING' });
        planner.emit({ type: 'armTimer', taskRunId: run.id, kind: 'RETRY', dueAt });
        return;
      }
    }
  }
  const state = allowances(planner, task, planner.get(run.id), 'FAILED');
  if (state !== 'FAILED') planner.update(run, { state });
}

function settleSucceeded(planner: Planner, run: TaskRunRecord, task: TaskNode): void {
  let state = run.state as 'SUCCESS' | 'WARNING';
  if (state === 'SUCCESS' && run.attempts.some((attempt) => attempt.state === 'FAILED')) {
    const policy = policyOf(planner, task, run);
    if (typeof policy === 'object' && policy.warningOnRetry) state = 'WARNING';
  }
  const final = allowances(planner, task, run, state);
  if (final !== run.state) planner.update(run, { state: final });
}
