/**
 * The App Home tab: what waits for me, what I started, what runs now. Each row carries its
 * buttons (status, logs; approve/reject for approvals); lists are capped so the view stays
 * under Slack's 100 blocks however busy the system is.
 */
import type { ExecutionSummary } from '../../service/executions.js';
import { APPROVE_ACTION_ID, REJECT_ACTION_ID, approvalProgress } from './approval-message.js';
import { elapsed, slackDate, stateEmoji } from './format.js';
import type { Button, HomeView, KnownBlock } from './slack-types.js';
import { LIMITS, code, mrkdwn, plain, safeText, userRef } from './text.js';

export const STATUS_ACTION_ID = 'execution_status';
export const LOGS_ACTION_ID = 'execution_logs';

export interface HomeApproval {
  approvalId: string;
  executionId: string;
  namespace: string;
  flowId: string;
  taskId: string;
  description?: string | null;
  requestedBy: string;
  createdAt: string;
  expiresAt?: string | null;
  approvals?: number;
  needed?: number;
}

export interface HomeOptions {
  /** Approvals the viewing user may decide. */
  waiting: readonly HomeApproval[];
  /** The user's recent executions, newest first. */
  mine: readonly ExecutionSummary[];
  /** Executions running now (any user). */
  running: readonly ExecutionSummary[];
  now?: Date;
  /** Rows per list; the default keeps the three lists within 100 blocks. */
  limit?: number;
}

const button = (text: string, actionId: string, value: string, style?: 'primary' | 'danger'): Button => ({
  type: 'button',
  action_id: actionId,
  value,
  text: plain(text, LIMITS.buttonText),
  ...(style ? { style } : {}),
});

const executionButtons = (id: string): Button[] => [button('Status', STATUS_ACTION_ID, id), button('Logs', LOGS_ACTION_ID, id)];

function executionRow(list: string, e: ExecutionSummary, now: Date): KnownBlock[] {
  const parts = [`${stateEmoji(e.state)} ${code(`${e.namespace}.${e.flowId}`, 200)} *${safeText(e.state, 40)}*`, `by ${userRef(e.createdBy)}`];
  const started = slackDate(e.createdAt);
  if (started) parts.push(started);
  const took = elapsed(e.createdAt, e.endedAt, now);
  if (took) parts.push(took);
  return [
    { type: 'section', block_id: `${list}:${e.id}`, text: mrkdwn(parts.join(' · ')) },
    { type: 'actions', block_id: `${list}:${e.id}:actions`, elements: executionButtons(e.id) },
  ];
}

function approvalRow(a: HomeApproval): KnownBlock[] {
  let text = `:raised_hand: ${code(`${a.namespace}.${a.flowId}`, 200)} step ${code(a.taskId, 200)}, requested by ${userRef(a.requestedBy)}`;
  const progress = approvalProgress(a.approvals ?? 0, a.needed ?? 1);
  if (progress) text += ` · ${progress}`;
  const expires = slackDate(a.expiresAt);
  if (expires) text += ` · expires ${expires}`;
  if (a.description?.trim()) text += `\n${safeText(a.description.trim(), 1000)}`;
  return [
    { type: 'section', block_id: `waiting:${a.approvalId}`, text: mrkdwn(text) },
    {
      type: 'actions',
      block_id: `waiting:${a.approvalId}:actions`,
      // No confirm dialogs here: the handlers open the resume / reject modals, which confirm.
      elements: [
        button('Approve', APPROVE_ACTION_ID, a.approvalId, 'primary'),
        button('Reject', REJECT_ACTION_ID, a.approvalId, 'danger'),
        ...executionButtons(a.executionId),
      ],
    },
  ];
}

interface List<T> {
  id: string;
  title: string;
  empty: string;
  rows: readonly T[];
  key: (item: T) => string;
  row: (item: T) => KnownBlock[];
}

function list<T>(l: List<T>, limit: number): KnownBlock[] {
  const blocks: KnownBlock[] = [{ type: 'header', block_id: `${l.id}-title`, text: plain(l.title, LIMITS.header) }];
  if (!l.rows.length) blocks.push({ type: 'context', block_id: `${l.id}-empty`, elements: [mrkdwn(l.empty)] });
  // Block ids must be unique: an item listed twice shows once.
  const seen = new Set<string>();
  const shown = l.rows.filter((item) => !seen.has(l.key(item)) && !!seen.add(l.key(item)));
  for (const item of shown.slice(0, limit)) blocks.push(...l.row(item));
  if (shown.length > limit) blocks.push({ type: 'context', block_id: `${l.id}-more`, elements: [mrkdwn(`…and ${shown.length - limit} more`)] });
  return blocks;
}

export function homeView(o: HomeOptions): HomeView {
  const now = o.now ?? new Date();
  const limit = Math.max(1, Math.min(o.limit ?? 10, 14));
  const byId = (e: ExecutionSummary): string => e.id;
  const blocks: KnownBlock[] = [
    ...list({ id: 'waiting', title: 'Waiting for your approval', empty: 'Nothing is waiting for you.', rows: o.waiting, key: (a) => a.approvalId, row: approvalRow }, limit),
    { type: 'divider', block_id: 'divider-1' },
    ...list({ id: 'mine', title: 'Your recent executions', empty: 'You have not run anything yet. Try `/flow list`.', rows: o.mine, key: byId, row: (e) => executionRow('mine', e, now) }, limit),
    { type: 'divider', block_id: 'divider-2' },
    ...list({ id: 'running', title: 'Running now', empty: 'Nothing is running.', rows: o.running, key: byId, row: (e) => executionRow('running', e, now) }, limit),
  ];
  return { type: 'home', blocks: blocks.slice(0, LIMITS.viewBlocks) };
}
