/**
 * What a report needs from the outside, as the capabilities the PatchWindow task receives
 * through `TaskIntegrations` (and the chat command through the service): a source of patch
 * runs backed by the database, and somewhere to post. Interfaces only, so the task and the
 * builders stay free of drivers and Slack clients.
 */
import type { KnownBlock } from '../slack/blocks/slack-types.js';
import type { PatchRun, PatchRunFilter, ScheduleInfo } from './types.js';

export interface PatchReportSource {
  /** Patch runs of the window (see queries.ts for what counts), oldest first, at most `limit`. */
  runs(filter: PatchRunFilter, limit?: number): Promise<{ runs: PatchRun[]; truncated: boolean }>;
  /** Enabled Schedule triggers of the flows the filter covers (latest revisions). */
  schedules(filter: Pick<PatchRunFilter, 'flows' | 'namespace'>): Promise<ScheduleInfo[]>;
  /** The trigger an execution was started with (a schedule's `date`, `previous`, `next`), or null. */
  triggerOf(executionId: string): Promise<Record<string, unknown> | null>;
}

export interface PostedMessage {
  /** The channel id the chat answered with (a name given to postMessage comes back as its id). */
  channel: string;
  ts: string;
}

/** Posting to a chat (Slack in production, the emulator in tests): a message, then a file in its thread. */
export interface ChatPoster {
  postMessage(message: { channel: string; text: string; blocks: KnownBlock[] }): Promise<PostedMessage>;
  uploadFile(file: { channel: string; threadTs?: string; filename: string; title: string; data: Buffer; altText?: string }): Promise<void>;
}
