import { and, count, eq } from 'drizzle-orm';
import { approvalVotes, approvals, executions, taskRuns } from '../db/schema.js';
import { taskById } from '../engine/task-index.js';
import { iso } from '../engine/store/rows.js';
import type { PatchbayService } from '../service/service.js';
import type { TaskNode } from '../tasks/types.js';

/**
 * The one read the Slack listeners need beyond the service's chat queries: an approval by the
 * id its buttons carry, with the task it belongs to (for `onResume` forms and comment rules).
 * Reads only: every change still goes through the service (decide, start, kill).
 */
export interface ApprovalContext {
  approvalId: string;
  executionId: string;
  state: string;
  namespace: string;
  flowId: string;
  taskId: string;
  /** Full task type name (Pause, HumanTask or Approval). */
  taskType: string;
  /** The task's definition in the flow revision the execution pinned. */
  task: TaskNode | undefined;
  description: string | null;
  requestedBy: string;
  users: string[];
  groups: string[];
  decidedBy: string | null;
  decidedAt: string | null;
  reason: string | null;
  approvals: number;
  needed: number;
}

export async function approvalContext(service: PatchbayService, approvalId: string): Promise<ApprovalContext | undefined> {
  const db = service.database.db;
  const [row] = await db
    .select({ approval: approvals, namespace: executions.namespace, flowId: executions.flowId, revision: executions.revision, taskId: taskRuns.taskId, taskType: taskRuns.type })
    .from(approvals)
    .innerJoin(executions, eq(executions.id, approvals.executionId))
    .innerJoin(taskRuns, eq(taskRuns.id, approvals.taskRunId))
    .where(eq(approvals.id, approvalId));
  if (!row) return undefined;
  const [{ value } = { value: 0 }] = await db
    .select({ value: count() })
    .from(approvalVotes)
    .where(and(eq(approvalVotes.approvalId, approvalId), eq(approvalVotes.decision, 'APPROVE')));
  const stored = await service.flows.get(row.namespace, row.flowId, row.revision);
  const a = row.approval;
  return {
    approvalId: a.id,
    executionId: a.executionId,
    state: a.state,
    namespace: row.namespace,
    flowId: row.flowId,
    taskId: row.taskId,
    taskType: row.taskType,
    task: taskById(stored.flow).get(row.taskId),
    description: a.description,
    requestedBy: a.requestedBy,
    users: a.users,
    groups: a.groups,
    decidedBy: a.decidedBy,
    decidedAt: iso(a.decidedAt),
    reason: a.reason,
    approvals: Number(value),
    needed: a.minApprovals,
  };
}
