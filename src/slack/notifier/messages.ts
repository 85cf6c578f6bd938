import { type SQL, sql } from 'drizzle-orm';
import type { Database } from '../../db/database.js';
import { describeError, isPermanent } from './client.js';

/**
 * The `chat_messages` rows that make posting and editing safe with several replicas:
 * - posting: `claim` inserts the row before the post; the primary key lets one caller win.
 *   A claim never followed by a `ts` (the replica died, or Slack kept refusing) may be taken
 *   over once stale, with a growing back-off; a permanent error or MAX_FAILURES gives it up.
 * - editing: `beginEdit` is a compare-and-set on `next_update_at` and `content_hash`: only
 *   one replica edits a message at a time, never sooner than the minimum interval after the
 *   previous edit ended, and never to the same content. Times are the database's, so the
 *   replicas' clocks do not matter.
 */
export type MessageKind = 'status' | 'failure' | 'approval' | 'reminder';

export interface MessageKey {
  executionId: string;
  kind: MessageKind;
  ref: string;
}

export interface MessageRow extends MessageKey {
  approvalId: string | null;
  channel: string | null;
  ts: string | null;
  threadTs: string | null;
  permalink: string | null;
  done: boolean;
}

export type EditDecision = { go: true; channel: string; ts: string } | { go: false; waitMs?: number };

export interface StoreOptions {
  /** Who claims (this notifier), for the record. */
  owner: string;
  minUpdateIntervalMs: number;
  /** A claim without a post for this long is presumed dead and may be taken over. */
  claimTimeoutMs: number;
  /** How long an edit in flight keeps others off (it covers WebClient's retries). */
  editLeaseMs: number;
}

/** Transient failures tolerated (with back-off) before a message is given up: about an hour of outage. */
const MAX_FAILURES = 20;
const MAX_BACKOFF_MS = 300_000;
const ms = (value: number): SQL => sql`(${value}::float8 * interval '1 millisecond')`;
const where = (key: MessageKey): SQL => sql`execution_id = ${key.executionId} and kind = ${key.kind} and ref = ${key.ref}`;

export class MessageStore {
  constructor(private readonly database: Database, private readonly options: StoreOptions) {}

  /** True for the one caller that may post this message now. */
  async claim(key: MessageKey, approvalId: string | null = null): Promise<boolean> {
    const won = await this.database.rows(sql`insert into chat_messages (execution_id, kind, ref, approval_id, claimed_by, claimed_at)
      values (${key.executionId}, ${key.kind}, ${key.ref}, ${approvalId}, ${this.options.owner}, clock_timestamp())
      on conflict do nothing returning 1 as won`);
    if (won.length > 0) return true;
    const taken = await this.database.rows(sql`update chat_messages set claimed_by = ${this.options.owner}, claimed_at = clock_timestamp()
      where ${where(key)} and ts is null and not done and claimed_at < clock_timestamp() - ${ms(this.options.claimTimeoutMs)}
      returning 1 as won`);
    return taken.length > 0;
  }

  /** Records a successful post; the first edit may follow after the minimum interval. */
  async posted(key: MessageKey, fields: { channel: string; ts: string; threadTs?: string | null; contentHash?: string | null; sourceVersion?: string | null; done?: boolean }): Promise<void> {
    await this.database.rows(sql`update chat_messages set channel = ${fields.channel}, ts = ${fields.ts}, thread_ts = ${fields.threadTs ?? null},
      content_hash = ${fields.contentHash ?? null}, source_version = ${fields.sourceVersion ?? null}, done = ${fields.done ?? false},
      posted_at = clock_timestamp(), next_update_at = clock_timestamp() + ${ms(this.options.minUpdateIntervalMs)}, failures = 0, last_error = null
      where ${where(key)}`);
  }

  async setPermalink(key: MessageKey, permalink: string): Promise<void> {
    await this.database.rows(sql`update chat_messages set permalink = ${permalink} where ${where(key)}`);
  }

  /**
   * A post that failed: the claim becomes stale after a back-off (10 s, 20 s, 40 s… up to the
   * claim timeout) so a later refresh retries; a permanent error, or MAX_FAILURES, gives it up.
   */
  async postFailed(key: MessageKey, error: unknown): Promise<void> {
    const { claimTimeoutMs } = this.options;
    await this.database.rows(sql`update chat_messages set failures = failures + 1, last_error = ${describeError(error)},
      done = ${isPermanent(error)} or failures + 1 >= ${MAX_FAILURES},
      claimed_at = clock_timestamp() - ${ms(claimTimeoutMs)} + least(${ms(claimTimeoutMs)}, ${ms(5_000)} * power(2, least(failures + 1, 16)))
      where ${where(key)} and ts is null`);
  }

  /** Nothing to post after all (no place to post it): the claim is closed for good. */
  async abandon(key: MessageKey, why: string): Promise<void> {
    await this.database.rows(sql`update chat_messages set done = true, last_error = ${why} where ${where(key)} and ts is null`);
  }

  async find(key: MessageKey): Promise<MessageRow | undefined> {
    const [row] = await this.database.rows<MessageRow>(sql`select execution_id as "executionId", kind, ref, approval_id as "approvalId", channel, ts,
      thread_ts as "threadTs", permalink, done from chat_messages where ${where(key)}`);
    return row;
  }

  /** Every posted copy of an approval (thread and DMs). */
  async copies(approvalId: string): Promise<MessageRow[]> {
    return this.database.rows<MessageRow>(sql`select execution_id as "executionId", kind, ref, approval_id as "approvalId", channel, ts,
      thread_ts as "threadTs", permalink, done from chat_messages where approval_id = ${approvalId} and kind = 'approval' order by ref`);
  }

  /** The compare-and-set before an edit: go (and hold the lease), or not now (with how long to wait), or nothing to do. */
  async beginEdit(key: MessageKey, contentHash: string): Promise<EditDecision> {
    const [won] = await this.database.rows<{ channel: string; ts: string }>(sql`update chat_messages
      set content_hash = ${contentHash}, next_update_at = clock_timestamp() + ${ms(this.options.editLeaseMs)}
      where ${where(key)} and ts is not null and not done and content_hash is distinct from ${contentHash} and next_update_at <= clock_timestamp()
      returning channel, ts`);
    if (won) return { go: true, channel: won.channel, ts: won.ts };
    const [row] = await this.database.rows<{ same: boolean; open: boolean; waitMs: number }>(sql`select content_hash is not distinct from ${contentHash} as same,
      (ts is not null and not done) as open, greatest(0, extract(epoch from next_update_at - clock_timestamp()) * 1000)::float8 as "waitMs"
      from chat_messages where ${where(key)}`);
    return row && row.open && !row.same ? { go: false, waitMs: Number(row.waitMs) } : { go: false };
  }

  /** The edit went through: the next one waits the minimum interval from now. */
  async editDone(key: MessageKey, sourceVersion: string, done: boolean): Promise<void> {
    await this.database.rows(sql`update chat_messages set next_update_at = clock_timestamp() + ${ms(this.options.minUpdateIntervalMs)},
      updates = updates + 1, failures = 0, last_error = null, source_version = ${sourceVersion}, done = ${done} where ${where(key)}`);
  }

  /** The edit failed: forget the content (so it is sent again) and back off; a permanent error, or MAX_FAILURES, gives it up. */
  async editFailed(key: MessageKey, error: unknown): Promise<void> {
    const { minUpdateIntervalMs } = this.options;
    await this.database.rows(sql`update chat_messages set content_hash = null, source_version = null, failures = failures + 1,
      last_error = ${describeError(error)}, done = ${isPermanent(error)} or failures + 1 >= ${MAX_FAILURES},
      next_update_at = clock_timestamp() + least(${ms(MAX_BACKOFF_MS)}, ${ms(minUpdateIntervalMs)} * power(2, least(failures + 1, 16)))
      where ${where(key)}`);
  }

  /** The content was already sent (by us or another replica): remember what it reflects. */
  async unchanged(key: MessageKey, contentHash: string, sourceVersion: string, done: boolean): Promise<void> {
    await this.database.rows(sql`update chat_messages set source_version = ${sourceVersion}, done = done or ${done}
      where ${where(key)} and content_hash = ${contentHash} and ts is not null`);
  }
}
