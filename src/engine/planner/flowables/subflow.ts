import { ErrorCode, PatchbayError } from '../../../errors.js';
import type { TaskNode } from '../../../tasks/types.js';
import type { TaskRunRecord } from '../../model.js';
import { propBool, propInt, propString, readProp } from '../props.js';
import { ACTIVE, type FlowableBehavior } from '../types.js';
import type { Planner } from '../working.js';

/**
 * Subflow: starts a child execution (a new id, rendered `inputs` and `labels`; with
 * `inheritLabels` this execution's labels first, the task's own winning). With `wait`
 * (default) the run stays RUNNING until the engine writes the child's end into
 * `flowable.childState` / `flowable.childOutputs`; its outputs are then
 * `{executionId, state, outputs}`. A FAILED or KILLED child fails it when `transmitFailed`
 * (default true), else it succeeds; a WARNING child gives WARNING. Without `wait` the run
 * succeeds at once with `{executionId}`.
 */
function labelsOf(planner: Planner, task: TaskNode, draft: TaskRunRecord): Record<string, string> {
  const raw = readProp(planner, task, 'labels', draft);
  if (raw === undefined) return {};
  const entries = Array.isArray(raw)
    ? raw.map((label) => {
        const { key, value } = (label ?? {}) as { key?: unknown; value?: unknown };
        return [String(key), String(value)] as const;
      })
    : raw && typeof raw === 'object'
      ? Object.entries(raw as Record<string, unknown>).map(([key, value]) => [key, String(value)] as const)
      : undefined;
  if (!entries) throw new PatchbayError(ErrorCode.TASK_FAILED, '`labels` must be a map or a list of {key, value}');
  return Object.fromEntries(entries);
}

function required(value: string | undefined, name: string): string {
  if (!value) throw new PatchbayError(ErrorCode.TASK_FAILED, `\`${name}\` is required`);
  return value;
}

export const subflow: FlowableBehavior = {
  create: (planner, task, draft) => {
    const namespace = required(propString(planner, task, 'namespace', draft), 'namespace');
    const flowId = required(propString(planner, task, 'flowId', draft), 'flowId');
    const revision = task.revision === undefined ? null : propInt(planner, task, 'revision', draft, 1, 1);
    const inputs = readProp(planner, task, 'inputs', draft) ?? {};
    if (typeof inputs !== 'object' || Array.isArray(inputs)) throw new PatchbayError(ErrorCode.TASK_FAILED, '`inputs` must be a map');
    const inherited = propBool(planner, task, 'inheritLabels', draft, false) ? planner.execution.labels : {};
    const labels = { ...inherited, ...labelsOf(planner, task, draft) };
    const wait = propBool(planner, task, 'wait', draft, true);
    const transmitFailed = propBool(planner, task, 'transmitFailed', draft, true);
    const scheduleDate = propString(planner, task, 'scheduleDate', draft) ?? null;
    const executionId = planner.newId();
    return {
      state: wait ? 'RUNNING' : 'SUCCESS',
      outputs: wait ? null : { executionId },
      flowable: wait ? { executionId, transmitFailed } : { executionId },
      effects: (taskRunId) => [
        {
          type: 'startSubflow',
          taskRunId,
          executionId,
          namespace,
          flowId,
          revision,
          inputs: inputs as Record<string, unknown>,
          labels,
          ...(scheduleDate ? { scheduleDate } : {}),
        },
      ],
    };
  },
  main: (_planner, run) => {
    const childState = run.flowable?.childState;
    const executionId = run.flowable?.executionId;
    const outputs = { executionId, state: childState, outputs: (run.flowable?.childOutputs as Record<string, unknown> | undefined) ?? {} };
    switch (childState) {
      case 'SUCCESS':
        return { state: 'SUCCESS', outputs };
      case 'WARNING':
        return { state: 'WARNING', outputs };
      case 'FAILED':
      case 'KILLED':
      case 'CANCELLED': // refused by the child flow's concurrency
        return run.flowable?.transmitFailed === false
          ? { state: 'SUCCESS', outputs }
          : { state: 'FAILED', outputs, error: `subflow execution ${String(executionId)} ended ${childState}` };
      default:
        return ACTIVE;
    }
  },
};
