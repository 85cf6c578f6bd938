import { ErrorCode, PatchbayError } from '../../../errors.js';
import type { TaskNode } from '../../../tasks/types.js';
import type { PlanAction, TaskRunRecord } from '../../model.js';
import { addMs, propBool, propDuration, propInt, readProp } from '../props.js';
import type { Planner } from '../working.js';

/**
 * What Pause, HumanTask and Approval share: reading the decision the engine wrote on the
 * waiting run, and asking people for one (openApproval, expiry and reminder timers).
 *
 * The engine writes `flowable.resumed = {by, at, inputs}` (resume, or approval) and/or
 * `flowable.decision = {approved, by, at, reason, inputs?, approvers?}`, or
 * `flowable.expired = true` when the PAUSE_TIMEOUT timer fired. A person's decision wins
 * over an expiry recorded on the same run.
 */
export interface Decision {
  type: 'APPROVED' | 'DENIED' | 'EXPIRED';
  by: string | null;
  at: string | null;
  reason: string | null;
  inputs: Record<string, unknown>;
  approvers: string[];
  auto: boolean;
}

const text = (value: unknown): string | null => (typeof value === 'string' ? value : null);
const map = (value: unknown): Record<string, unknown> =>
  value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};

export function decisionOf(run: TaskRunRecord): Decision | null {
  const bookkeeping = run.flowable ?? {};
  const decision = map(bookkeeping.decision);
  const resumed = map(bookkeeping.resumed);
  if (typeof decision.approved === 'boolean') {
    const by = text(decision.by);
    return {
      type: decision.approved ? 'APPROVED' : 'DENIED',
      by,
      at: text(decision.at),
      reason: text(decision.reason),
      inputs: map(decision.inputs ?? resumed.inputs),
      approvers: Array.isArray(decision.approvers) ? decision.approvers.map(String) : by ? [by] : [],
      auto: decision.auto === true,
    };
  }
  if (bookkeeping.resumed && typeof bookkeeping.resumed === 'object') {
    const by = text(resumed.by);
    return { type: 'APPROVED', by, at: text(resumed.at), reason: null, inputs: map(resumed.inputs), approvers: by ? [by] : [], auto: false };
  }
  if (bookkeeping.expired === true) return { type: 'EXPIRED', by: null, at: null, reason: null, inputs: {}, approvers: [], auto: false };
  return null;
}

export function rejectedMessage(decision: Decision, verb = 'rejected'): string {
  return `${verb} by ${decision.by ?? 'someone'}${decision.reason ? `: ${decision.reason}` : ''}`;
}

export interface ApprovalRequest {
  users: string[];
  groups: string[];
  minApprovals: number;
  allowSelfApproval: boolean;
  remindEveryMs: number | null;
}

function strings(value: unknown, name: string): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new PatchbayError(ErrorCode.TASK_FAILED, `\`${name}\` must be a list of names`);
  return value.map(String);
}

/** Who may decide (HumanTask, Approval): rendered `assignment` and Patchbay's approval rules. */
export function readApprovalRequest(planner: Planner, task: TaskNode, run: TaskRunRecord): ApprovalRequest {
  const assignment = map(readProp(planner, task, 'assignment', run));
  return {
    users: strings(assignment.users, 'assignment.users'),
    groups: strings(assignment.groups, 'assignment.groups'),
    minApprovals: propInt(planner, task, 'minApprovals', run, 1, 1),
    allowSelfApproval: propBool(planner, task, 'allowSelfApproval', run, false),
    remindEveryMs: propDuration(planner, task, 'remindEvery', run)?.ms ?? null,
  };
}

/** Anyone may resume a plain Pause, its starter included (Kestra's Pause has no assignment). */
export const OPEN_REQUEST: ApprovalRequest = { users: [], groups: [], minApprovals: 1, allowSelfApproval: true, remindEveryMs: null };

/**
 * What the approvers read: the task's description, rendered (it usually names the VM or the
 * change). A description that cannot be rendered is shown as written rather than failing the flow.
 */
function describeRequest(planner: Planner, task: TaskNode, runId: string): string | null {
  if (typeof task.description !== 'string') return null;
  try {
    return String(planner.render(task.description, planner.get(runId)));
  } catch {
    return task.description;
  }
}

/** openApproval plus the first reminder (the engine re-arms the next ones). */
export function askPeople(planner: Planner, task: TaskNode, runId: string, request: ApprovalRequest, expiresAt: string | null): PlanAction[] {
  const actions: PlanAction[] = [
    {
      type: 'openApproval',
      taskRunId: runId,
      users: request.users,
      groups: request.groups,
      minApprovals: request.minApprovals,
      allowSelfApproval: request.allowSelfApproval,
      expiresAt,
      description: describeRequest(planner, task, runId),
    },
  ];
  if (request.remindEveryMs !== null && request.remindEveryMs > 0) {
    actions.push({ type: 'armTimer', taskRunId: runId, kind: 'REMINDER', dueAt: addMs(planner.now, request.remindEveryMs) });
  }
  return actions;
}
