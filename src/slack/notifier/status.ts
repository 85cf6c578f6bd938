import { AssetService, type ExecutionAssets } from '../../assets/service.js';
import { createHash } from 'node:crypto';
import type { Flow } from '../../flow/model.js';
import type { ExecutionView } from '../../service/executions.js';
import type { PatchbayService } from '../../service/service.js';
import { logLines } from '../blocks/flow-info.js';
import type { Message } from '../blocks/slack-types.js';
import { statusMessage } from '../blocks/status-message.js';
import { codeBlock, mrkdwn, safeText, truncate } from '../blocks/text.js';
import type { WebClient } from './client.js';
import type { MessageKey, MessageStore } from './messages.js';
import { TERMINAL_STATES, executionRow, statusChannel, versionOfExecution } from './queries.js';

/**
 * The live status message of an execution: posted once (claimed first), then edited in place
 * as the execution changes, and a thread reply with the error and the last log lines when it
 * fails. `refresh` is idempotent: call it as often as anything might have changed; it returns
 * how long to wait before calling again when an edit had to wait for its turn.
 */
export interface NotifierParts {
  service: PatchbayService;
  client: WebClient;
  store: MessageStore;
  clock: () => Date;
  onError: (error: unknown, context: string) => void;
}

export interface RefreshResult {
  retryInMs?: number;
}

const FAILURE_LOG_LINES = 20;

export const hashOf = (value: unknown): string => createHash('sha256').update(JSON.stringify(value)).digest('base64url');

/** The latest moment the view records: rendering "now" at it gives the same text until something happens. */
function lastChange(view: ExecutionView): Date {
  const times = [view.createdAt, view.endedAt, ...view.taskRuns.flatMap((run) => [run.startedAt, run.endedAt])];
  return new Date(Math.max(...times.map((time) => (time ? Date.parse(time) : 0)).filter(Number.isFinite)));
}

export class StatusMessages {
  constructor(private readonly parts: NotifierParts) {}

  async refresh(executionId: string): Promise<RefreshResult> {
    const { store } = this.parts;
    const row = await executionRow(this.parts.service.database, executionId);
    const channel = row && statusChannel(row);
    if (!row || !channel) return {};
    const key: MessageKey = { executionId, kind: 'status', ref: '' };
    const version = versionOfExecution(row);
    const existing = await store.find(key);
    if (existing?.done) return {};
    if (!existing?.ts) return (await store.claim(key)) ? this.post(key, channel, version) : {};
    const { view, flow, assets } = await this.load(executionId);
    // A failed run's message is final only once its failure reply is out (or given up).
    const settled = view.state === 'FAILED' ? await this.failureReply(view, existing.channel ?? channel, existing.ts) : true;
    const done = settled && TERMINAL_STATES.includes(view.state);
    const source = settled ? version : 'failure-reply-pending';
    // The hash ignores the clock: a running step's growing duration alone is not worth an edit.
    const hash = hashOf(statusMessage(view, flow, { assets, now: lastChange(view) }));
    const decision = await store.beginEdit(key, hash);
    if (!decision.go) {
      if (decision.waitMs === undefined) await store.unchanged(key, hash, source, done);
      return decision.waitMs === undefined ? {} : { retryInMs: decision.waitMs };
    }
    const message = statusMessage(view, flow, { assets, now: this.parts.clock() });
    try {
      await this.parts.client.chat.update({ channel: decision.channel, ts: decision.ts, text: message.text, blocks: message.blocks });
      await store.editDone(key, source, done);
    } catch (error) {
      await store.editFailed(key, error);
      throw error;
    }
    return {};
  }

  private async post(key: MessageKey, channel: string, version: string): Promise<RefreshResult> {
    const { client, store } = this.parts;
    let posted: { channel: string; ts: string };
    let failed = false;
    try {
      const { view, flow, assets } = await this.load(key.executionId);
      const message = statusMessage(view, flow, { assets, now: this.parts.clock() });
      const answer = await client.chat.postMessage({ channel, text: message.text, blocks: message.blocks });
      if (!answer.ts || !answer.channel) throw new Error('chat.postMessage answered without channel and ts');
      posted = { channel: answer.channel, ts: answer.ts };
      failed = view.state === 'FAILED';
      const hash = hashOf(statusMessage(view, flow, { assets, now: lastChange(view) }));
      // A failed run is left open (no source version): the next refresh posts its failure reply.
      const done = TERMINAL_STATES.includes(view.state) && !failed;
      await store.posted(key, { ...posted, contentHash: hash, sourceVersion: failed ? null : version, done });
    } catch (error) {
      await store.postFailed(key, error);
      throw error;
    }
    // Recorded already: a missing permalink must not make anyone post the message again.
    try {
      const link = await client.chat.getPermalink({ channel: posted.channel, message_ts: posted.ts });
      if (link.permalink) await store.setPermalink(key, link.permalink);
    } catch (error) {
      this.parts.onError(error, `permalink of the status message of ${key.executionId}`);
    }
    return failed ? { retryInMs: 0 } : {};
  }

  /**
   * Once per execution: the error and the last log lines, in the status message's thread.
   * True once it is settled (posted, given up, or being posted by another replica's claim
   * that has not gone stale). A failure is reported, not thrown: the final edit still happens.
   */
  private async failureReply(view: ExecutionView, channel: string, threadTs: string): Promise<boolean> {
    const { client, store } = this.parts;
    const key: MessageKey = { executionId: view.id, kind: 'failure', ref: '' };
    if (!(await store.claim(key))) {
      const row = await store.find(key);
      return Boolean(row?.ts || row?.done);
    }
    try {
      const message = failureMessage(view, await this.parts.service.logs(view.id));
      const answer = await client.chat.postMessage({ channel, thread_ts: threadTs, text: message.text, blocks: message.blocks });
      await store.posted(key, { channel: answer.channel ?? channel, ts: answer.ts ?? '', threadTs, done: true });
      return true;
    } catch (error) {
      await store.postFailed(key, error);
      this.parts.onError(error, `failure reply of ${view.id}`);
      return false;
    }
  }

  private async load(executionId: string): Promise<{ view: ExecutionView; flow: Flow | undefined; assets: ExecutionAssets | undefined }> {
    const view = await this.parts.service.execution(executionId);
    // Once the run has ended, its message lists the assets it created, updated and used.
    const assets = view.endedAt ? await new AssetService(this.parts.service.database).forExecution(executionId) : undefined;
    let flow: Flow | undefined;
    try {
      flow = (await this.parts.service.flows.get(view.namespace, view.flowId, view.revision)).flow;
    } catch {
      flow = undefined; // input labels fall back to ids; the message is still worth posting
    }
    return { view, flow, assets };
  }
}

/** The failure reply: the error in full, then the log lines as `/flow logs` shows them. */
export function failureMessage(view: ExecutionView, lines: Parameters<typeof logLines>[0]): Message {
  const error = view.error ?? 'The execution failed.';
  const logs = logLines(lines, { last: FAILURE_LOG_LINES, title: 'Last log lines' });
  return {
    text: truncate(`Failed: ${safeText(error.split('\n')[0] ?? error, 300)}`, 3000),
    blocks: [{ type: 'section', block_id: 'failure', text: mrkdwn(`:x: *Failed*\n${codeBlock(error, 2800)}`) }, ...logs.blocks],
  };
}
