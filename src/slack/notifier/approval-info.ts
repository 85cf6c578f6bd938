import { asc, eq } from 'drizzle-orm';
import { approvalVotes, approvals, taskRuns } from '../../db/schema.js';
import { taskById } from '../../engine/task-index.js';
import type { ExecutionView } from '../../service/executions.js';
import type { PatchbayService } from '../../service/service.js';
import type { TaskNode } from '../../tasks/types.js';
import type { ApprovalDecisionInfo, ApprovalRequestInfo } from '../blocks/approval-message.js';
import type { SlackDirectory } from './directory.js';
import { isoOrNull, versionOfApproval } from './queries.js';

/**
 * Everything an approval message shows, gathered from the approval row, its votes, the
 * waiting task run and the execution (inputs and outputs arrive masked from the view).
 * Assignees are shown as Slack ids where the directory can resolve them, so they are
 * mentioned (and notified) rather than printed.
 */
export type ApprovalRow = typeof approvals.$inferSelect;

export interface ApprovalContext {
  row: ApprovalRow;
  view: ExecutionView;
  request: ApprovalRequestInfo;
  /** Set once the approval is no longer pending: what the copies turn into. */
  decided: ApprovalDecisionInfo | undefined;
  /** The state and vote count the copies reflect (compared by the poll). */
  version: string;
  /** People to DM: resolved assignees, without the requester when they may not approve. */
  recipients: string[];
}

const APPROVAL_TYPE = 'io.kestra.plugin.core.flow.Approval';

export async function loadApproval(service: PatchbayService, directory: SlackDirectory, approvalId: string): Promise<ApprovalContext | undefined> {
  const db = service.database.db;
  const [row] = await db.select().from(approvals).where(eq(approvals.id, approvalId));
  if (!row) return undefined;
  const votes = await db.select().from(approvalVotes).where(eq(approvalVotes.approvalId, approvalId)).orderBy(asc(approvalVotes.at));
  const [run] = await db.select({ taskId: taskRuns.taskId, type: taskRuns.type, flowable: taskRuns.flowable }).from(taskRuns).where(eq(taskRuns.id, row.taskRunId));
  const view = await service.execution(row.executionId);
  let task: TaskNode | undefined;
  try {
    task = taskById((await service.flows.get(view.namespace, view.flowId, view.revision)).flow).get(run?.taskId ?? '');
  } catch {
    task = undefined; // the flow revision is gone: show what the rows say
  }
  const users = await Promise.all(row.users.map(async (entry) => (await directory.userId(entry)) ?? entry));
  const groups = await Promise.all(row.groups.map(async (entry) => (await directory.groupId(entry)) ?? entry));
  const request: ApprovalRequestInfo = {
    executionId: row.executionId,
    approvalId: row.id,
    taskId: run?.taskId ?? row.taskRunId,
    flow: `${view.namespace}.${view.flowId}`,
    description: row.description,
    requestedBy: row.requestedBy,
    inputs: view.inputs,
    previousOutputs: previousOutputs(view, row.taskRunId),
    expiresAt: isoOrNull(row.expiresAt),
    assignees: users,
    groups,
    approvals: votes.filter((vote) => vote.decision === 'APPROVE').length,
    needed: row.minApprovals,
    hasResumeInputs: Array.isArray(task?.onResume) && task.onResume.length > 0,
  };
  const assignees = await directory.assignees(row.users, row.groups);
  const recipients = assignees.filter((user) => row.allowSelfApproval || user !== row.requestedBy);
  return {
    row,
    view,
    request,
    decided: decidedInfo(row, request, run?.type, run?.flowable ?? null, task),
    version: versionOfApproval(row.state, votes.length),
    recipients,
  };
}

/** The outputs of the step that ended last before the request: what the approver is deciding on. */
function previousOutputs(view: ExecutionView, waitingRunId: string): Record<string, unknown> | undefined {
  const before = view.taskRuns
    .filter((run) => run.id !== waitingRunId && run.endedAt && run.outputs && Object.keys(run.outputs).length > 0)
    .sort((a, b) => Date.parse(b.endedAt ?? '') - Date.parse(a.endedAt ?? ''));
  const last = before[0];
  return last ? { [last.taskId]: last.outputs } : undefined;
}

/**
 * A closed approval as its copies should say it. The engine closes an approval that stops
 * waiting without a decision as CANCELLED; the waiting run's `flowable.expired` tells an
 * expiry (whose Kestra behavior then applies, and is named) from a kill.
 */
function decidedInfo(
  row: ApprovalRow,
  request: ApprovalRequestInfo,
  type: string | undefined,
  flowable: Record<string, unknown> | null,
  task: TaskNode | undefined,
): ApprovalDecisionInfo | undefined {
  if (row.state === 'PENDING') return undefined;
  const at = isoOrNull(row.decidedAt) ?? new Date().toISOString();
  const base = { ...request, at, by: row.decidedBy, reason: row.reason };
  if (row.state === 'APPROVED' || row.state === 'REJECTED') return { ...base, outcome: row.state };
  const decided = flowable?.decision !== undefined || flowable?.resumed !== undefined;
  if (flowable?.expired === true && !decided) return { ...base, outcome: 'EXPIRED', by: null, behavior: expiryBehavior(type, flowable, task) };
  return { ...base, outcome: 'CANCELLED', by: null };
}

/** What the flow does on expiry, as the planner decides it (see planner/flowables pause.ts, approval.ts). */
function expiryBehavior(type: string | undefined, flowable: Record<string, unknown>, task: TaskNode | undefined): string {
  if (type === APPROVAL_TYPE) return typeof task?.expireBehavior === 'string' ? task.expireBehavior : 'CANCEL';
  return flowable.onExpiry === 'behavior' && typeof flowable.behavior === 'string' ? flowable.behavior : 'FAIL';
}
