import { notice } from '../../chat/replies.js';
import type { DecisionOutcome } from '../../engine/decisions.js';
import { ErrorCode, isPatchbayError } from '../../errors.js';
import { type InputDeclaration } from '../../flow/input-schema.js';
import { auditRefusal } from '../../policy/audit.js';
import { Pause } from '../../tasks/core/Pause.js';
import { lookupTask } from '../../tasks/registry.js';
import { type ApprovalContext, approvalContext } from '../approval-context.js';
import { onResumeDeclarations } from '../blocks/decision-modals.js';
import { slackDate } from '../blocks/format.js';
import type { Message } from '../blocks/slack-types.js';
import { code, isSlackUserId, safeText, userRef } from '../blocks/text.js';
import { type ListenerDeps, actorOf } from './kit.js';
import { refresh } from './reply.js';

/**
 * A person's decision from Slack, shared by the Approve button and the resume / reject forms.
 * Who may decide is the engine's call (assignees, groups, self-approval, quorum, exactly once
 * under any number of concurrent clicks); this adds the policy for unassigned pauses ("anyone
 * allowed to run the flow") and turns every outcome into words for the person who clicked.
 */
export type DecisionResult =
  | { kind: 'applied'; outcome: DecisionOutcome; message: Message }
  | { kind: 'refused' | 'late'; message: Message };

export interface DecisionAttempt {
  ctx: ApprovalContext;
  actor: string;
  approve: boolean;
  reason?: string | undefined;
  inputs?: Record<string, unknown>;
  /** Where the click happened ('' from a modal): policies may grant by channel. */
  channel: string;
}

const STATE_WORD: Record<string, string> = { APPROVED: 'approved', REJECTED: 'rejected', EXPIRED: 'expired', CANCELLED: 'cancelled' };

/** "Already approved by @bob today at 14:05 — reason": what a late or double click is told. */
export function lateMessage(ctx: ApprovalContext): Message {
  const word = STATE_WORD[ctx.state] ?? ctx.state.toLowerCase();
  const when = slackDate(ctx.decidedAt);
  let text = `:hourglass: ${code(`${ctx.namespace}.${ctx.flowId}`)} step ${code(ctx.taskId)} was already ${word}`;
  if (ctx.decidedBy) text += ` by ${userRef(ctx.decidedBy)}`;
  if (when) text += ` ${when}`;
  if (ctx.reason?.trim()) text += ` — ${safeText(ctx.reason.trim(), 1000)}`;
  return notice(`${text}. Nothing changed.`);
}

/** The engine's refusal, with Slack ids turned into mentions so the person sees names. */
function refusalMessage(text: string): Message {
  const escaped = safeText(text, 2500).replace(/[A-Z0-9]+/g, (word) => (isSlackUserId(word) ? userRef(word) : word));
  return notice(`:no_entry_sign: ${escaped}. Nothing changed.`);
}

function appliedMessage(ctx: ApprovalContext, approve: boolean, outcome: DecisionOutcome): Message {
  const subject = `${code(`${ctx.namespace}.${ctx.flowId}`)} step ${code(ctx.taskId)}`;
  if (!outcome.decided) return notice(`:ballot_box_with_check: Your approval of ${subject} is recorded: ${outcome.approvals} of ${outcome.needed}.`);
  return notice(approve ? `:white_check_mark: You approved ${subject}; the flow goes on.` : `:x: You rejected ${subject}.`);
}

/** A Pause resumes; HumanTask and Approval are approved (wording and modal metadata only). */
export function decisionKind(ctx: ApprovalContext): 'resume' | 'approve' {
  return lookupTask(ctx.taskType)?.types[0] === Pause.types[0] ? 'resume' : 'approve';
}

/** When the approver must (or may) type something: `onResume` inputs, or Approval's commentRequired. */
export function decisionForm(ctx: ApprovalContext): { inputs: InputDeclaration[]; commentOnApprove: boolean; commentOnReject: boolean } {
  const rule = typeof ctx.task?.commentRequired === 'string' ? ctx.task.commentRequired : 'NEVER';
  return {
    inputs: onResumeDeclarations(ctx.task),
    commentOnApprove: rule === 'ALWAYS' || rule === 'ON_APPROVE',
    commentOnReject: rule === 'ALWAYS' || rule === 'ON_DENY',
  };
}

/** Unassigned pauses are open to whoever may run the flow; a refusal is audited like the engine's. */
async function policyRefusal(deps: ListenerDeps, a: DecisionAttempt): Promise<Message | undefined> {
  const { ctx } = a;
  if (ctx.users.length > 0 || ctx.groups.length > 0) return undefined;
  if (await deps.policy.mayRun(actorOf(deps, a.actor), { namespace: ctx.namespace, id: ctx.flowId }, a.channel)) return undefined;
  await auditRefusal(deps.service.database, {
    actor: a.actor,
    action: a.approve ? 'resume' : 'reject',
    subjectType: 'execution',
    subjectId: ctx.executionId,
    channel: a.channel,
    surface: 'slack',
    details: { approvalId: ctx.approvalId },
  });
  return notice(`:no_entry_sign: You may not decide on ${code(`${ctx.namespace}.${ctx.flowId}`)}: the Patchbay policy does not let you run it. Nothing changed.`);
}

/**
 * Tries the decision once. INPUT_INVALID (bad `onResume` values) is rethrown for the form to
 * show inline; refusals and late clicks come back as messages, never as errors.
 */
export async function attemptDecision(deps: ListenerDeps, a: DecisionAttempt): Promise<DecisionResult> {
  if (a.ctx.state !== 'PENDING') return { kind: 'late', message: lateMessage(a.ctx) };
  const refused = await policyRefusal(deps, a);
  if (refused) return { kind: 'refused', message: refused };
  let outcome: DecisionOutcome;
  try {
    outcome = await deps.service.decide({
      executionId: a.ctx.executionId,
      actor: a.actor,
      approve: a.approve,
      ...(a.reason ? { reason: a.reason } : {}),
      ...(a.inputs ? { inputs: a.inputs } : {}),
      isMember: deps.isMember,
      isUser: deps.isUser,
    });
  } catch (error) {
    if (!isPatchbayError(error)) throw error;
    if (error.code === ErrorCode.FORBIDDEN) return { kind: 'refused', message: refusalMessage(error.message) };
    if (error.code !== ErrorCode.CONFLICT) throw error;
    // Someone else won the race (or this person already voted): say who decided, from the row.
    const now = await approvalContext(deps.service, a.ctx.approvalId);
    if (now && now.state !== 'PENDING') return { kind: 'late', message: lateMessage(now) };
    return { kind: 'late', message: refusalMessage(error.message.replace(/^execution \S+: /, '')) };
  }
  await refresh(deps, 'approval', a.ctx.approvalId);
  return { kind: 'applied', outcome, message: appliedMessage(a.ctx, a.approve, outcome) };
}
