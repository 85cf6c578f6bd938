import { assertNever } from '../../../errors.js';
import { taskList } from '../../../tasks/types.js';
import { APPROVAL_BEHAVIORS } from '../../../tasks/core/Approval.js';
import type { PlanAction } from '../../model.js';
import { addMs, propBool, propDuration, propEnum } from '../props.js';
import { runSequence } from '../scopes.js';
import { ACTIVE, type FlowableBehavior, type Settled, errorMessage } from '../types.js';
import { type Decision, askPeople, decisionOf, readApprovalRequest, rejectedMessage } from './waiting.js';

/**
 * Approval (Kestra's io.kestra.plugin.core.flow.Approval). The run starts RUNNING and runs
 * `onWait`; once it ended well the run becomes PAUSED and people are asked (openApproval,
 * PAUSE_TIMEOUT at the common `timeout`, first REMINDER). A decision puts it back to RUNNING
 * and runs `onApprove` or `onDeny` (nothing on expiry); then, unless that branch genuinely
 * failed, the behavior of the decision maps the state: CONTINUE keeps the branch's, WARN →
 * WARNING, FAIL → FAILED, SUCCEED → SUCCESS and the execution ends SUCCESS, CANCEL and KILL →
 * KILLED and the execution is killed (Patchbay has no CANCELLED state). Defaults, as in
 * Kestra: approveBehavior CONTINUE, denyBehavior CANCEL, expireBehavior CANCEL.
 * `autoApprove` records an approval at creation: no onWait, no pause, onApprove at once.
 * Outputs: `{decision, auto, by, on, comment, inputs, due}`.
 */
function outputsOf(decision: Decision, due: unknown): Record<string, unknown> {
  return {
    decision: decision.type,
    auto: decision.auto,
    by: decision.by,
    on: decision.at,
    comment: decision.reason,
    inputs: decision.inputs,
    due: typeof due === 'string' ? due : null,
  };
}

const BEHAVIOR_OF = {
  APPROVED: ['approveBehavior', 'CONTINUE'],
  DENIED: ['denyBehavior', 'CANCEL'],
  EXPIRED: ['expireBehavior', 'CANCEL'],
} as const;

export const approval: FlowableBehavior = {
  create: (planner, task, draft) => {
    const timeout = propDuration(planner, task, 'timeout', draft);
    const auto = propBool(planner, task, 'autoApprove', draft, false);
    return {
      state: 'RUNNING',
      flowable: {
        timeout: timeout?.text ?? null,
        timeoutMs: timeout?.ms ?? null,
        ...(auto ? { decision: { approved: true, auto: true, by: null, at: planner.now, reason: null } } : {}),
      },
    };
  },
  main: (planner, run, task) => {
    const decision = decisionOf(run);
    if (!decision) {
      const wait = runSequence(planner, run, 'onWait', taskList(task.onWait), run.value);
      if (wait === ACTIVE) return ACTIVE;
      if (wait.state === 'FAILED' || wait.state === 'KILLED') return { state: 'FAILED', error: 'an onWait task failed' };
      if (run.flowable?.requestedAt === undefined) {
        let effects: PlanAction[];
        let remindEveryMs: number | null = null;
        const timeoutMs = run.flowable?.timeoutMs;
        const due = typeof timeoutMs === 'number' ? addMs(planner.now, timeoutMs) : null;
        try {
          const request = readApprovalRequest(planner, task, run);
          remindEveryMs = request.remindEveryMs;
          effects = askPeople(planner, task, run.id, request, due);
        } catch (error) {
          return { state: 'FAILED', error: errorMessage(error) };
        }
        // remindEveryMs: read by the engine when a REMINDER fires, to arm the next one.
        planner.note(run, { requestedAt: planner.now, due, remindEveryMs }, { state: 'PAUSED' });
        for (const effect of effects) planner.emit(effect);
        if (due) planner.emit({ type: 'armTimer', taskRunId: run.id, kind: 'PAUSE_TIMEOUT', dueAt: due });
      }
      return ACTIVE;
    }
    const current = planner.update(run, { state: 'RUNNING' });
    const branch = decision.type === 'APPROVED' ? 'onApprove' : decision.type === 'DENIED' ? 'onDeny' : null;
    const after = branch ? runSequence(planner, current, branch, taskList(task[branch]), current.value) : ({ state: 'SUCCESS' } as const);
    if (after === ACTIVE) return ACTIVE;
    return { ...after, outputs: outputsOf(decision, current.flowable?.due) };
  },
  finish: (planner, run, task, outcome): Settled => {
    const decision = decisionOf(run);
    // A failure inside a branch (or onWait) is never hidden by a behavior.
    if (!decision || outcome.state === 'FAILED' || outcome.state === 'KILLED') return outcome;
    const [name, fallback] = BEHAVIOR_OF[decision.type];
    let behavior: (typeof APPROVAL_BEHAVIORS)[number];
    try {
      behavior = propEnum(planner, task, name, run, APPROVAL_BEHAVIORS, fallback);
    } catch (error) {
      return { ...outcome, state: 'FAILED', error: errorMessage(error) };
    }
    const why =
      decision.type === 'DENIED'
        ? rejectedMessage(decision, 'denied')
        : decision.type === 'EXPIRED'
          ? `approval request expired after ${String(run.flowable?.timeout)}`
          : `approved by ${decision.by ?? 'auto-approval'}`;
    switch (behavior) {
      case 'CONTINUE':
        return outcome;
      case 'WARN':
        return { ...outcome, state: 'WARNING' };
      case 'FAIL':
        return { ...outcome, state: 'FAILED', error: why };
      case 'SUCCEED':
        return { ...outcome, state: 'SUCCESS', flowable: { ...(run.flowable ?? {}), endExecution: 'SUCCESS' }, halt: 'SUCCESS' };
      case 'CANCEL':
      case 'KILL':
        return { ...outcome, state: 'KILLED', error: why, halt: 'KILLED' };
      default:
        return assertNever(behavior, 'approval behavior');
    }
  },
};
