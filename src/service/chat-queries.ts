import { and, asc, desc, eq, inArray, isNull, max, sql } from 'drizzle-orm';
import type { ChatActor } from '../chat/types.js';
import type { Database } from '../db/database.js';
import { approvalVotes, approvals, executions, flowRevisions, logs, taskRuns } from '../db/schema.js';
import { ErrorCode, PatchbayError } from '../errors.js';
import { maskDeep } from '../engine/masking.js';
import { TERMINAL_EXECUTION_STATES } from '../engine/model.js';
import type { FlowStore } from '../engine/flow-store.js';
import { iso } from '../engine/store/rows.js';
import type { Flow } from '../flow/model.js';
import type { Policy } from '../policy/policy.js';
import { type ExecutionSummary, type LogLine, executionSummary } from './executions.js';

/**
 * Read queries of the chat surfaces (`/flow list`, `/flow approvals`, `/flow logs`, App Home,
 * the shell's approval prompts). Plain functions over the database so Slack, the shell and
 * tests share them; PatchbayService exposes thin delegates.
 */
export interface FlowEntry {
  namespace: string;
  id: string;
  revision: number;
  description?: string;
  disabled: boolean;
  flow: Flow;
}

/** The latest revision of every flow, optionally within a namespace (and its sub-namespaces). */
export async function listFlows(database: Database, flows: FlowStore, filter: { namespace?: string } = {}): Promise<FlowEntry[]> {
  const ns = filter.namespace;
  const rows = await database.db
    .select({ namespace: flowRevisions.namespace, flowId: flowRevisions.flowId, revision: max(flowRevisions.revision) })
    .from(flowRevisions)
    .where(ns ? sql`(${flowRevisions.namespace} = ${ns} or starts_with(${flowRevisions.namespace}, ${`${ns}.`}))` : undefined)
    .groupBy(flowRevisions.namespace, flowRevisions.flowId)
    .orderBy(asc(flowRevisions.namespace), asc(flowRevisions.flowId));
  const entries: FlowEntry[] = [];
  for (const row of rows) {
    // A stored revision that no longer parses (a task type removed since) is left out, not fatal.
    const stored = await flows.get(row.namespace, row.flowId, row.revision ?? undefined).catch(() => undefined);
    if (!stored) continue;
    const { flow } = stored;
    entries.push({ namespace: flow.namespace, id: flow.id, revision: stored.revision, disabled: flow.disabled, flow, ...(flow.description ? { description: flow.description } : {}) });
  }
  return entries;
}

/** A pending approval with what a chat surface shows and what it needs to decide visibility. */
export interface PendingApproval {
  approvalId: string;
  executionId: string;
  namespace: string;
  flowId: string;
  revision: number;
  taskId: string;
  taskRunId: string;
  description: string | null;
  requestedBy: string;
  createdAt: string;
  expiresAt: string | null;
  users: string[];
  groups: string[];
  allowSelfApproval: boolean;
  /** Approve votes so far, of `needed`. */
  approvals: number;
  needed: number;
  /** Everyone who voted already (approve or reject). */
  voters: string[];
}

/** Pending approvals, oldest first: all of them, or those of the given executions. */
export async function pendingApprovals(database: Database, filter: { executionIds?: readonly string[]; limit?: number } = {}): Promise<PendingApproval[]> {
  const conditions = [eq(approvals.state, 'PENDING')];
  if (filter.executionIds) {
    if (filter.executionIds.length === 0) return [];
    conditions.push(inArray(approvals.executionId, [...filter.executionIds]));
  }
  const rows = await database.db
    .select({ approval: approvals, namespace: executions.namespace, flowId: executions.flowId, revision: executions.revision, taskId: taskRuns.taskId })
    .from(approvals)
    .innerJoin(executions, eq(executions.id, approvals.executionId))
    .innerJoin(taskRuns, eq(taskRuns.id, approvals.taskRunId))
    .where(and(...conditions))
    .orderBy(asc(approvals.createdAt))
    .limit(filter.limit ?? 500);
  const ids = rows.map((row) => row.approval.id);
  const votes = ids.length ? await database.db.select().from(approvalVotes).where(inArray(approvalVotes.approvalId, ids)) : [];
  return rows.map(({ approval: a, namespace, flowId, revision, taskId }) => {
    const mine = votes.filter((vote) => vote.approvalId === a.id);
    return {
      approvalId: a.id,
      executionId: a.executionId,
      namespace,
      flowId,
      revision,
      taskId,
      taskRunId: a.taskRunId,
      description: a.description,
      requestedBy: a.requestedBy,
      createdAt: iso(a.createdAt) as string,
      expiresAt: iso(a.expiresAt),
      users: a.users,
      groups: a.groups,
      allowSelfApproval: a.allowSelfApproval,
      approvals: mine.filter((vote) => vote.decision === 'APPROVE').length,
      needed: a.minApprovals,
      voters: mine.map((vote) => vote.userId),
    };
  });
}

/** Pending approvals of an execution and of its subflows (a Pause may sit in a child). */
export async function pendingApprovalsOf(database: Database, executionId: string): Promise<PendingApproval[]> {
  const tree = await database.rows<{ id: string }>(sql`with recursive tree as (
      select id from executions where id = ${executionId}
      union all select e.id from executions e join tree on e.parent_execution_id = tree.id)
    select id from tree`);
  return pendingApprovals(database, { executionIds: tree.map((row) => row.id) });
}

export interface ApprovalsForOptions {
  /** Approvals with no assignment are open to whoever may run the flow; without a policy, to everyone. */
  policy?: Policy;
  /** Where the actor asks from (policies may grant by channel). */
  channel?: string;
  limit?: number;
}

/**
 * Whether `actor` may decide `approval` now, by the rules the engine's decision applies
 * (assignee by id, member of an assigned group, anyone when unassigned; the requester only
 * when self-approval is allowed) plus the policy for unassigned ones. Someone who already
 * voted has nothing left to decide.
 */
export async function mayDecide(actor: ChatActor, approval: PendingApproval, options: ApprovalsForOptions = {}): Promise<boolean> {
  if (approval.voters.includes(actor.id)) return false;
  if (approval.requestedBy === actor.id && !approval.allowSelfApproval) return false;
  if (approval.users.length === 0 && approval.groups.length === 0) {
    return options.policy ? options.policy.mayRun(actor, { namespace: approval.namespace, id: approval.flowId }, options.channel ?? '') : true;
  }
  if (approval.users.includes(actor.id)) return true;
  for (const group of approval.groups) if (await actor.isMember?.(group)) return true;
  return false;
}

/** Pending approvals `actor` may decide, oldest first (`/flow approvals`, App Home). */
export async function approvalsFor(database: Database, actor: ChatActor, options: ApprovalsForOptions = {}): Promise<PendingApproval[]> {
  const out: PendingApproval[] = [];
  for (const approval of await pendingApprovals(database)) {
    if (await mayDecide(actor, approval, options)) out.push(approval);
    if (out.length >= (options.limit ?? 50)) break;
  }
  return out;
}


/** The user's latest top-level executions, newest first. */
export async function recentExecutionsBy(database: Database, user: string, limit = 10): Promise<ExecutionSummary[]> {
  const rows = await database.db
    .select()
    .from(executions)
    .where(and(eq(executions.createdBy, user), isNull(executions.parentExecutionId)))
    .orderBy(desc(executions.createdAt))
    .limit(limit);
  return rows.map(executionSummary);
}

/** Top-level executions that have not ended (running, paused, being killed), newest first. */
export async function runningExecutions(database: Database, limit = 10): Promise<ExecutionSummary[]> {
  const rows = await database.db
    .select()
    .from(executions)
    .where(and(sql`${executions.state} not in (${sql.join(TERMINAL_EXECUTION_STATES.map((s) => sql`${s}`), sql`, `)})`, isNull(executions.parentExecutionId)))
    .orderBy(desc(executions.createdAt))
    .limit(limit);
  return rows.map(executionSummary);
}

/** The last `last` log lines of an execution, oldest first, secrets masked. */
export async function lastLogLines(database: Database, id: string, last = 30): Promise<{ lines: LogLine[]; total: number }> {
  const [row] = await database.db.select({ secrets: executions.secrets }).from(executions).where(eq(executions.id, id));
  if (!row) throw new PatchbayError(ErrorCode.NOT_FOUND, `no execution ${id}`);
  const [{ total } = { total: 0 }] = await database.db.select({ total: sql<number>`count(*)`.mapWith(Number) }).from(logs).where(eq(logs.executionId, id));
  const rows = await database.db.select().from(logs).where(eq(logs.executionId, id)).orderBy(desc(logs.id)).limit(last);
  const lines = rows.reverse().map((line) =>
    maskDeep({ at: iso(line.at) as string, level: line.level, taskId: line.taskId, attempt: line.attempt, message: line.message }, row.secrets) as LogLine);
  return { lines, total };
}
