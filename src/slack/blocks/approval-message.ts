/**
 * Approval messages: the request with Approve / Reject, the same message once decided (buttons
 * gone, so a late click has nothing to press), and the reminder. Who may press is enforced by
 * the engine's decision, not by who can see the buttons.
 */
import { formatDuration, slackDate } from './format.js';
import type { Button, KnownBlock, Message, MrkdwnElement } from './slack-types.js';
import { LIMITS, code, codeBlock, groupRef, mrkdwn, plain, safeText, showValue, truncate, userRef } from './text.js';

export const APPROVE_ACTION_ID = 'approval_approve';
export const REJECT_ACTION_ID = 'approval_reject';

export interface ApprovalRequestInfo {
  executionId: string;
  approvalId: string;
  taskId: string;
  /** `namespace.flowId`, when known. */
  flow?: string;
  description: string | null | undefined;
  requestedBy: string;
  /** Execution inputs, secrets already masked. */
  inputs: Record<string, unknown>;
  /** Outputs of earlier steps worth showing to the approver, secrets already masked. */
  previousOutputs?: Record<string, unknown>;
  expiresAt?: string | null;
  assignees: string[];
  groups: string[];
  approvals: number;
  needed: number;
  /** The step asks for values on resume: Approve opens a form instead of deciding at once. */
  hasResumeInputs: boolean;
}

export type ApprovalOutcome = 'APPROVED' | 'REJECTED' | 'EXPIRED' | 'CANCELLED';

export interface ApprovalDecisionInfo extends ApprovalRequestInfo {
  outcome: ApprovalOutcome;
  by?: string | null;
  at: string;
  reason?: string | null;
  /** What the flow does next (e.g. an expired request's `behavior`: FAIL, CANCEL…). */
  behavior?: string;
}

export type ApprovalReminderInfo = Pick<ApprovalRequestInfo, 'executionId' | 'approvalId' | 'taskId' | 'flow' | 'assignees' | 'groups' | 'approvals' | 'needed' | 'expiresAt'> & {
  /** When the request was opened, to say how long it has waited. */
  since?: string;
  now?: Date;
};

const subject = (a: { taskId: string; flow?: string | undefined }): string =>
  a.flow ? `${code(a.flow, 200)} step ${code(a.taskId, 200)}` : `step ${code(a.taskId, 200)}`;

const plainSubject = (a: { taskId: string; flow?: string | undefined }): string =>
  safeText(a.flow ? `${a.flow} step ${a.taskId}` : `step ${a.taskId}`, 400);

const approvers = (a: Pick<ApprovalRequestInfo, 'assignees' | 'groups'>): string => {
  const all = [...a.assignees.map(userRef), ...a.groups.map(groupRef)];
  return all.length ? all.join(', ') : 'anyone';
};

/** "1 of 2 approvals", only when more than one is needed. */
export function approvalProgress(approvals: number, needed: number): string | undefined {
  return needed > 1 ? `${approvals} of ${needed} approvals` : undefined;
}

/** The blocks a request and its decided form share. */
function requestBlocks(a: ApprovalRequestInfo): KnownBlock[] {
  let head = `:raised_hand: *Approval needed* for ${subject(a)}\nRequested by ${userRef(a.requestedBy)}`;
  if (a.description?.trim()) head += `\n${safeText(a.description.trim(), 2500)}`;
  const blocks: KnownBlock[] = [{ type: 'section', block_id: 'request', text: mrkdwn(head) }];
  const fields: MrkdwnElement[] = Object.entries(a.inputs).slice(0, LIMITS.fields)
    .map(([id, value]) => mrkdwn(`*${safeText(id, 200)}*\n${safeText(showValue(value), 300)}`, LIMITS.fieldText));
  if (fields.length) blocks.push({ type: 'section', block_id: 'inputs', fields });
  if (a.previousOutputs && Object.keys(a.previousOutputs).length) {
    const json = JSON.stringify(a.previousOutputs, null, 2) ?? '';
    blocks.push({ type: 'section', block_id: 'outputs', text: mrkdwn(`*Outputs so far*\n${codeBlock(json, 2800)}`) });
  }
  const context = [`Approvers: ${approvers(a)}`];
  const expires = slackDate(a.expiresAt);
  if (expires) context.push(`expires ${expires}`);
  context.push(`execution ${code(a.executionId, 100)}`);
  blocks.push({ type: 'context', block_id: 'meta', elements: [mrkdwn(context.join(' · '), LIMITS.contextText)] });
  return blocks;
}

export function approvalRequest(a: ApprovalRequestInfo): Message {
  const blocks = requestBlocks(a);
  const progress = approvalProgress(a.approvals, a.needed);
  if (progress) blocks.push({ type: 'context', block_id: 'progress', elements: [mrkdwn(`:ballot_box_with_check: ${progress}`)] });
  const approve: Button = {
    type: 'button',
    action_id: APPROVE_ACTION_ID,
    value: a.approvalId,
    style: 'primary',
    text: plain(a.hasResumeInputs ? 'Approve…' : 'Approve', LIMITS.buttonText),
  };
  const reject: Button = {
    type: 'button',
    action_id: REJECT_ACTION_ID,
    value: a.approvalId,
    style: 'danger',
    text: plain('Reject', LIMITS.buttonText),
    confirm: {
      title: plain('Reject this request?', LIMITS.confirmTitle),
      text: mrkdwn(`The flow will not go on with ${subject(a)}.`, LIMITS.confirmText),
      confirm: plain('Reject', LIMITS.confirmButton),
      deny: plain('Cancel', LIMITS.confirmButton),
      style: 'danger',
    },
  };
  blocks.push({ type: 'actions', block_id: 'approval', elements: [approve, reject] });
  const text = `Approval needed: ${plainSubject(a)} (requested by ${userRef(a.requestedBy)})${progress ? `, ${progress}` : ''}`;
  return { text: truncate(text, LIMITS.messageText), blocks };
}

const OUTCOME: Record<ApprovalOutcome, [emoji: string, verb: string]> = {
  APPROVED: [':white_check_mark:', 'Approved'],
  REJECTED: [':x:', 'Rejected'],
  EXPIRED: [':hourglass:', 'Expired'],
  CANCELLED: [':no_entry_sign:', 'Cancelled'],
};

/** "Approved by <@U1> at 14:05 — reason"; the request's blocks stay, the buttons go. */
export function approvalDecided(a: ApprovalDecisionInfo): Message {
  const [emoji, verb] = OUTCOME[a.outcome];
  const when = slackDate(a.at) ?? safeText(a.at, 60);
  let line = `${emoji} *${verb}*${a.by ? ` by ${userRef(a.by)}` : ''} ${when}`;
  if (a.reason?.trim()) line += ` — ${safeText(a.reason.trim(), 2000)}`;
  if (a.behavior) line += `\nThe flow goes on as ${code(a.behavior, 40)}.`;
  const blocks = requestBlocks(a);
  blocks.push({ type: 'section', block_id: 'decision', text: mrkdwn(line) });
  const text = `${verb}${a.by ? ` by ${userRef(a.by)}` : ''}: ${plainSubject(a)}${a.reason?.trim() ? ` — ${safeText(a.reason.trim(), 300)}` : ''}`;
  return { text: truncate(text, LIMITS.messageText), blocks };
}

/** A nudge (usually a thread reply) that mentions the assignees so they are notified again. */
export function approvalReminder(a: ApprovalReminderInfo): Message {
  const waited = a.since && a.now ? formatDuration(a.now.getTime() - Date.parse(a.since)) : undefined;
  const progress = approvalProgress(a.approvals, a.needed);
  let line = `:bell: ${approvers(a)}: ${subject(a)} is still waiting for approval`;
  if (waited && waited !== '—') line += ` (${waited})`;
  if (progress) line += `, ${progress} so far`;
  const expires = slackDate(a.expiresAt);
  if (expires) line += `. It expires ${expires}`;
  const blocks: KnownBlock[] = [
    { type: 'section', block_id: 'reminder', text: mrkdwn(`${line}.`) },
    { type: 'context', block_id: 'meta', elements: [mrkdwn(`execution ${code(a.executionId, 100)}`)] },
  ];
  return { text: truncate(`Reminder: ${approvers(a)}, ${plainSubject(a)} is waiting for your approval`, LIMITS.messageText), blocks };
}
