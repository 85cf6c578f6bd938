import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Database } from '../db/database.js';

/**
 * Slack delivers at least once: the Events API retries (X-Slack-Retry-Num) when an ack is
 * late, Socket Mode redelivers envelopes after a reconnect, and anyone who captured a request
 * can replay it while its signature is fresh (5 minutes). Each request is reduced to a
 * fingerprint and inserted into `slack_requests`; only the insert that wins does the work.
 * The table is shared, so this holds across replicas, not only inside one process.
 *
 * On embedded PGlite there are no replicas (its data-directory lock admits one process), and
 * its queries run on the event loop's own thread: ~5 ms an insert on a busy host, which at 100
 * requests/s would delay every ack behind it. There the same TTL rule is kept in memory.
 */

/** Longer than the signature window (5 min) and Slack's retry schedule (now, +1 min, +5 min). */
export const DEDUPE_TTL_MS = 15 * 60_000;
/** Expired rows are purged at most this often, inline with an insert (no timer to leak). */
const PURGE_EVERY_MS = 5 * 60_000;

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * What makes two deliveries "the same request". Events carry a stable `event_id` across
 * retries (whose timestamp and signature change). Commands, actions and view submissions are
 * never retried by Slack; a copy of one is byte-identical (it must be, to pass the signature
 * check) and every genuine one differs (trigger_id, action_ts), so a digest of the body fits.
 */
export function requestFingerprint(body: unknown): string {
  if (isRecord(body) && typeof body.event_id === 'string' && body.event_id !== '') return `event:${body.event_id}`;
  return `body:${createHash('sha256').update(JSON.stringify(body) ?? '').digest('base64url')}`;
}

export interface DedupeOptions {
  ttlMs?: number;
  /** Use the shared table (default: on PostgreSQL only, see above). */
  shared?: boolean;
  clock?: () => number;
}

export class RequestDedupe {
  private lastPurge = 0;
  private readonly ttlMs: number;
  private readonly shared: boolean;
  private readonly clock: () => number;
  /** fingerprint → expiry (ms), when not shared. */
  private readonly local = new Map<string, number>();

  constructor(private readonly database: Database, options: DedupeOptions = {}) {
    this.ttlMs = options.ttlMs ?? DEDUPE_TTL_MS;
    this.shared = options.shared ?? database.kind === 'postgres';
    this.clock = options.clock ?? Date.now;
  }

  /**
   * True for the first delivery of `body`, false for any copy seen within the TTL. An expired
   * entry is taken over, so a fingerprint can come back after its TTL.
   */
  async firstSeen(body: unknown): Promise<boolean> {
    const fingerprint = requestFingerprint(body);
    return this.shared ? this.firstInTable(fingerprint) : this.firstInMemory(fingerprint);
  }

  private firstInMemory(fingerprint: string): boolean {
    const now = this.clock();
    if (now - this.lastPurge >= PURGE_EVERY_MS) {
      this.lastPurge = now;
      for (const [key, expires] of this.local) if (expires <= now) this.local.delete(key);
    }
    const expires = this.local.get(fingerprint);
    if (expires !== undefined && expires > now) return false;
    this.local.set(fingerprint, now + this.ttlMs);
    return true;
  }

  private async firstInTable(fingerprint: string): Promise<boolean> {
    // One statement: a concurrent copy on another replica either inserts first or finds the row.
    const rows = await this.database.rows<{ fingerprint: string }>(sql`
      insert into slack_requests (fingerprint, expires_at)
      values (${fingerprint}, now() + ${this.ttlMs} * interval '1 millisecond')
      on conflict (fingerprint) do update set expires_at = excluded.expires_at
        where slack_requests.expires_at < now()
      returning fingerprint`);
    await this.purgeNowAndThen();
    return rows.length > 0;
  }

  private async purgeNowAndThen(): Promise<void> {
    const now = this.clock();
    if (now - this.lastPurge < PURGE_EVERY_MS) return;
    this.lastPurge = now;
    await this.database.rows(sql`delete from slack_requests where expires_at < now()`);
  }
}
