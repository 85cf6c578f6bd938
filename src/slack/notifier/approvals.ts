import { and, eq } from 'drizzle-orm';
import { approvals } from '../../db/schema.js';
import { approvalDecided, approvalReminder, approvalRequest } from '../blocks/approval-message.js';
import type { Message } from '../blocks/slack-types.js';
import { type ApprovalContext, loadApproval } from './approval-info.js';
import type { SlackDirectory } from './directory.js';
import type { MessageKey, MessageRow } from './messages.js';
import { isoOrNull, statusThread } from './queries.js';
import { type NotifierParts, type RefreshResult, hashOf } from './status.js';

/**
 * Approval requests in Slack: one copy in the execution's thread and one DM per assignee,
 * each claimed before it is posted; every copy is edited as votes come in ("1 of 2
 * approvals") and once more when the approval is decided, expires or is cancelled (buttons
 * gone). Reminders are thread replies that mention the assignees, once per REMINDER timer.
 */
interface Destination {
  ref: string;
  /** The DM recipient; absent for the thread copy. */
  user?: string;
  channel?: string;
  threadTs?: string;
}

export class ApprovalMessages {
  constructor(private readonly parts: NotifierParts & { directory: SlackDirectory }) {}

  async refresh(approvalId: string): Promise<RefreshResult> {
    const context = await loadApproval(this.parts.service, this.parts.directory, approvalId);
    if (!context) return {};
    const message = context.decided ? approvalDecided(context.decided) : approvalRequest(context.request);
    const hash = hashOf(message);
    const copies = await this.parts.store.copies(approvalId);
    if (!context.decided) await this.postCopies(context, message, hash, copies);
    let retryInMs: number | undefined;
    for (const copy of copies) {
      if (!copy.ts || copy.done) continue;
      const wait = await this.edit(copy, message, hash, context);
      if (wait !== undefined) retryInMs = Math.min(retryInMs ?? wait, wait);
    }
    return retryInMs === undefined ? {} : { retryInMs };
  }

  /** Posts the copies not posted yet; each one's failure is reported and retried later, not thrown. */
  private async postCopies(context: ApprovalContext, message: Message, hash: string, copies: MessageRow[]): Promise<void> {
    const { client, store, directory } = this.parts;
    const posted = new Set(copies.filter((copy) => copy.ts || copy.done).map((copy) => copy.ref));
    const id = context.row.id;
    const destinations: Destination[] = [];
    const thread = await statusThread(this.parts.service.database, context.row.executionId);
    // Without a status message yet, the thread copy waits: the status message's refresh comes back here.
    if (thread) destinations.push({ ref: `${id}:thread`, channel: thread.channel, threadTs: thread.ts });
    for (const user of context.recipients) destinations.push({ ref: `${id}:dm:${user}`, user });
    for (const destination of destinations) {
      if (posted.has(destination.ref)) continue;
      const key: MessageKey = { executionId: context.row.executionId, kind: 'approval', ref: destination.ref };
      if (!(await store.claim(key, id))) continue;
      try {
        const channel = destination.channel ?? (await directory.dmChannel(destination.user ?? ''));
        const answer = await client.chat.postMessage({
          channel,
          text: message.text,
          blocks: message.blocks,
          ...(destination.threadTs ? { thread_ts: destination.threadTs } : {}),
        });
        if (!answer.ts) throw new Error('chat.postMessage answered without ts');
        await store.posted(key, { channel: answer.channel ?? channel, ts: answer.ts, threadTs: destination.threadTs ?? null, contentHash: hash, sourceVersion: context.version });
      } catch (error) {
        await store.postFailed(key, error);
        this.parts.onError(error, `approval ${id} copy ${destination.ref}`);
      }
    }
  }

  /** One copy's edit; returns how long to wait when it is not this copy's turn yet. */
  private async edit(copy: MessageRow, message: Message, hash: string, context: ApprovalContext): Promise<number | undefined> {
    const { client, store } = this.parts;
    const key: MessageKey = { executionId: copy.executionId, kind: 'approval', ref: copy.ref };
    const final = context.decided !== undefined;
    const decision = await store.beginEdit(key, hash);
    if (!decision.go) {
      if (decision.waitMs === undefined) await store.unchanged(key, hash, context.version, final);
      return decision.waitMs;
    }
    try {
      await client.chat.update({ channel: decision.channel, ts: decision.ts, text: message.text, blocks: message.blocks });
      await store.editDone(key, context.version, final);
    } catch (error) {
      await store.editFailed(key, error);
      this.parts.onError(error, `approval ${context.row.id} copy ${copy.ref}`);
    }
    return undefined;
  }

  /** A REMINDER timer fired (the payload names it): nudge the assignees once, in the thread or under each DM. */
  async remind(executionId: string, taskRunId: string, timerId: string): Promise<void> {
    const { client, store, service } = this.parts;
    const [pending] = await service.database.db
      .select({ id: approvals.id })
      .from(approvals)
      .where(and(eq(approvals.taskRunId, taskRunId), eq(approvals.state, 'PENDING')));
    if (!pending) return;
    const key: MessageKey = { executionId, kind: 'reminder', ref: timerId };
    if (!(await store.claim(key, pending.id))) return;
    try {
      const context = await loadApproval(service, this.parts.directory, pending.id);
      if (!context) return await store.abandon(key, 'approval gone');
      const message = approvalReminder({ ...context.request, since: isoOrNull(context.row.createdAt) ?? undefined, now: this.parts.clock() });
      const thread = await statusThread(service.database, context.row.executionId);
      const places = thread
        ? [{ channel: thread.channel, ts: thread.ts }]
        : (await store.copies(pending.id)).flatMap((copy) => (copy.channel && copy.ts ? [{ channel: copy.channel, ts: copy.ts }] : []));
      let first: { channel: string; ts: string; threadTs: string } | undefined;
      for (const place of places) {
        const answer = await client.chat.postMessage({ channel: place.channel, thread_ts: place.ts, text: message.text, blocks: message.blocks });
        first ??= { channel: answer.channel ?? place.channel, ts: answer.ts ?? '', threadTs: place.ts };
      }
      if (first) await store.posted(key, { ...first, done: true });
      else await store.abandon(key, 'no message to reply to');
    } catch (error) {
      await store.postFailed(key, error);
      throw error;
    }
  }
}
