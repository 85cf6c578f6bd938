import { and, count, desc, eq } from 'drizzle-orm';
import type { Drizzle } from '../db/database.js';
import { approvalVotes, approvals, auditLog, taskRuns } from '../db/schema.js';
import { ErrorCode, PatchbayError } from '../errors.js';
import type { Engine } from './engine.js';
import { resumeInputs } from './resume-inputs.js';

/**
 * People's decisions on a waiting execution: resume (Pause), approve and reject (HumanTask,
 * Approval, and Pause too). Each is applied exactly once whatever the number of concurrent
 * callers: inside the execution's transaction the approval row is re-read and changed with
 * `… WHERE state = 'PENDING'`, votes are unique per person, and a loser is told who won.
 * Every attempt, refused or applied, is written to the audit log.
 */
export interface DecisionRequest {
  executionId: string;
  /** The verified acting user (Slack user id, or the CLI's --as). */
  actor: string;
  approve: boolean;
  reason?: string;
  inputs?: Record<string, unknown>;
  /** Group membership for `assignment.groups`; absent means the actor is in no group. */
  isMember?: (user: string, group: string) => Promise<boolean>;
  /** Whether an `assignment.users` entry names the actor (Slack: an e-mail resolved to a user id); absent: equality only. */
  isUser?: (actor: string, entry: string) => Promise<boolean>;
}

export interface DecisionOutcome {
  applied: boolean;
  /** True once the waiting task was released (quorum reached, or rejected). */
  decided: boolean;
  message: string;
  approvals: number;
  needed: number;
}

type ApprovalRow = typeof approvals.$inferSelect;

async function audit(tx: Drizzle, actor: string, action: string, approval: ApprovalRow | undefined, executionId: string, details: Record<string, unknown>) {
  await tx.insert(auditLog).values({
    actor,
    action,
    subjectType: 'execution',
    subjectId: executionId,
    details: { ...details, approvalId: approval?.id, taskRunId: approval?.taskRunId },
  });
}

function decidedMessage(approval: ApprovalRow): string {
  const what = approval.state === 'APPROVED' ? 'approved' : approval.state === 'REJECTED' ? 'rejected' : approval.state.toLowerCase();
  return `already ${what}${approval.decidedBy ? ` by ${approval.decidedBy}` : ''}${approval.decidedAt ? ` at ${approval.decidedAt}` : ''}`;
}

async function authorise(approval: ApprovalRow, request: DecisionRequest): Promise<string | undefined> {
  if (!approval.allowSelfApproval && request.approve && approval.requestedBy === request.actor) {
    return `${request.actor} started this execution and may not approve it; another assignee must`;
  }
  const open = approval.users.length === 0 && approval.groups.length === 0;
  if (open || approval.users.includes(request.actor)) return undefined;
  for (const entry of approval.users) if (await request.isUser?.(request.actor, entry)) return undefined;
  for (const group of approval.groups) if (await request.isMember?.(request.actor, group)) return undefined;
  const who = [...approval.users, ...approval.groups.map((group) => `@${group}`)].join(', ');
  return `${request.actor} is not an assignee of this approval (assignees: ${who})`;
}

export async function decide(engine: Engine, request: DecisionRequest): Promise<DecisionOutcome> {
  const db = engine.context.database.db;
  const [latest] = await db.select().from(approvals).where(eq(approvals.executionId, request.executionId)).orderBy(desc(approvals.createdAt)).limit(1);
  if (!latest) throw new PatchbayError(ErrorCode.CONFLICT, `execution ${request.executionId} is not waiting for a decision`);
  if (latest.state !== 'PENDING') throw new PatchbayError(ErrorCode.CONFLICT, `execution ${request.executionId}: ${decidedMessage(latest)}`);
  const refusal = await authorise(latest, request);
  if (refusal) {
    await audit(db, request.actor, 'decision.refused', latest, request.executionId, { approve: request.approve, reason: refusal });
    throw new PatchbayError(ErrorCode.FORBIDDEN, refusal);
  }
  const [run] = await db.select().from(taskRuns).where(eq(taskRuns.id, latest.taskRunId));
  const inputs = request.approve ? await resumeInputs(engine, run, request.inputs ?? {}) : {};

  let outcome: DecisionOutcome = { applied: false, decided: false, message: '', approvals: 0, needed: latest.minApprovals };
  await engine.apply(request.executionId, async (working, tx) => {
    const [approval] = await tx.select().from(approvals).where(eq(approvals.id, latest.id)).for('update');
    if (!approval || approval.state !== 'PENDING') {
      outcome = { ...outcome, message: approval ? decidedMessage(approval) : 'the approval no longer exists' };
      return null;
    }
    const voted = await tx
      .insert(approvalVotes)
      .values({ approvalId: approval.id, userId: request.actor, decision: request.approve ? 'APPROVE' : 'REJECT', reason: request.reason ?? null })
      .onConflictDoNothing()
      .returning({ userId: approvalVotes.userId });
    if (voted.length === 0) {
      outcome = { ...outcome, message: `${request.actor} has already voted on this approval` };
      return null;
    }
    const [{ value: approvalsSoFar } = { value: 0 }] = await tx
      .select({ value: count() })
      .from(approvalVotes)
      .where(and(eq(approvalVotes.approvalId, approval.id), eq(approvalVotes.decision, 'APPROVE')));
    const reached = request.approve ? Number(approvalsSoFar) >= approval.minApprovals : true;
    await audit(tx, request.actor, request.approve ? 'decision.approve' : 'decision.reject', approval, request.executionId, {
      reason: request.reason,
      approvals: Number(approvalsSoFar),
      needed: approval.minApprovals,
    });
    outcome = { applied: true, decided: reached, approvals: Number(approvalsSoFar), needed: approval.minApprovals, message: '' };
    if (!reached) {
      outcome.message = `approval recorded: ${approvalsSoFar} of ${approval.minApprovals}`;
      return [];
    }
    const at = working.now;
    await tx
      .update(approvals)
      .set({ state: request.approve ? 'APPROVED' : 'REJECTED', decidedBy: request.actor, decidedAt: at, reason: request.reason ?? null })
      .where(and(eq(approvals.id, approval.id), eq(approvals.state, 'PENDING')));
    outcome.message = `${request.approve ? 'approved' : 'rejected'} by ${request.actor}`;
    const target = working.taskRuns.find((candidate) => candidate.id === approval.taskRunId);
    if (!target || target.state !== 'PAUSED') return [];
    const voters = await tx.select({ userId: approvalVotes.userId }).from(approvalVotes).where(eq(approvalVotes.approvalId, approval.id));
    const decision = { approved: request.approve, by: request.actor, approvers: voters.map((v) => v.userId), at, reason: request.reason ?? null, inputs };
    const resumed = request.approve ? { resumed: { by: request.actor, at, inputs } } : {};
    return [{ type: 'updateTaskRun', id: target.id, flowable: { ...(target.flowable ?? {}), ...resumed, decision } }];
  });
  if (!outcome.applied && outcome.message) {
    await audit(db, request.actor, 'decision.late', latest, request.executionId, { message: outcome.message });
    throw new PatchbayError(ErrorCode.CONFLICT, `execution ${request.executionId}: ${outcome.message}`, { details: { ...outcome } });
  }
  return outcome;
}
