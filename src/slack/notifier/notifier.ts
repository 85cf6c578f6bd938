import { Channels } from '../../engine/transition.js';
import { Wakeup } from '../../engine/wakeup.js';
import { newId } from '../../ids.js';
import type { PatchbayService } from '../../service/service.js';
import { ApprovalMessages } from './approvals.js';
import type { WebClient } from './client.js';
import { SlackDirectory } from './directory.js';
import { MessageStore } from './messages.js';
import { approvalsOf, changedApprovals, changedStatusMessages, executionsWithoutStatus, pendingApprovals, statusPermalink } from './queries.js';
import { type RefreshResult, StatusMessages } from './status.js';

/**
 * Follows executions into Slack: live status messages, approval requests and reminders.
 * Woken by NOTIFY (execution state changes, reminders, and task progress once the engine
 * sends it) and by a one-second poll of messages whose source changed, with a slower safety
 * poll for anything a missed NOTIFY left behind. Every replica may run one: the
 * `chat_messages` claims and compare-and-sets decide who posts and who edits. Slack errors
 * go to `onError` and are retried later; nothing here can stop the engine.
 */
export interface SlackNotifierOptions {
  service: PatchbayService;
  /** Preferably a client of its own (createNotifierClient): a 429 pauses the client's whole queue. */
  client: WebClient;
  clock?: () => Date;
  /** Edits of one message are at least this far apart, across replicas (Slack: ~1/s per channel). */
  minUpdateIntervalMs?: number;
  /** The poll of changed messages (default 1 s). */
  pollMs?: number;
  /** The poll for executions and approvals nobody posted yet (default 15 s). */
  safetyPollMs?: number;
  /** A claim not followed by a post for this long may be taken over (default 3 min, past the client's retries). */
  claimTimeoutMs?: number;
  /** Ended executions this recent still get a message at start-up (default 1 h). */
  catchUpMs?: number;
  directory?: SlackDirectory;
  onError?: (error: unknown, context: string) => void;
}

/** Task-level progress the engine NOTIFYs (payload: execution ids, comma-separated); the poll is the safety net. */
export const PROGRESS_CHANNEL = Channels.progress;

export class SlackNotifier {
  readonly directory: SlackDirectory;
  private readonly service: PatchbayService;
  private readonly status: StatusMessages;
  private readonly approvals: ApprovalMessages;
  private readonly serial = new KeyedSerial();
  private readonly retries = new Map<string, NodeJS.Timeout>();
  private readonly wakeup = new Wakeup();
  private readonly onError: (error: unknown, context: string) => void;
  private readonly pollMs: number;
  private readonly safetyPollMs: number;
  private readonly catchUpMs: number;
  private unsubscribes: (() => Promise<void>)[] = [];
  private loop: Promise<void> | undefined;
  private running = false;

  constructor(options: SlackNotifierOptions) {
    const clock = options.clock ?? (() => new Date());
    const minUpdateIntervalMs = options.minUpdateIntervalMs ?? 1000;
    this.service = options.service;
    this.pollMs = options.pollMs ?? 1000;
    this.safetyPollMs = options.safetyPollMs ?? 15_000;
    this.catchUpMs = options.catchUpMs ?? 3_600_000;
    this.onError = options.onError ?? ((error, context) => console.error(`slack notifier: ${context}:`, error));
    this.directory = options.directory ?? new SlackDirectory(options.client, { clock });
    const store = new MessageStore(options.service.database, {
      owner: newId(),
      minUpdateIntervalMs,
      claimTimeoutMs: options.claimTimeoutMs ?? 180_000,
      // Longer than the client's retries (createNotifierClient) so two edits are never in flight.
      editLeaseMs: Math.max(180_000, minUpdateIntervalMs),
    });
    const parts = { service: options.service, client: options.client, store, clock, onError: this.onError, directory: this.directory };
    this.status = new StatusMessages(parts);
    this.approvals = new ApprovalMessages(parts);
  }

  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    const database = this.service.database;
    // appLink() in flows: the status message's permalink, once it is posted.
    this.service.engine.context.appLinks = (executionId, tx) => statusPermalink(database, executionId, tx);
    const guard = (context: string, handler: (payload: string) => void) => (payload: string) => {
      try {
        handler(payload);
      } catch (error) {
        this.onError(error, context);
      }
    };
    this.unsubscribes.push(await database.listen(Channels.execution, guard('execution notice', (payload) => {
      void this.refreshExecution(payload.slice(0, payload.lastIndexOf(':')));
    })));
    this.unsubscribes.push(await database.listen(Channels.reminder, guard('reminder notice', (payload) => {
      const [executionId = '', taskRunId = '', timerId = ''] = payload.split(':');
      void this.serial.run(`r:${timerId}`, () => this.guarded(`reminder ${payload}`, () => this.approvals.remind(executionId, taskRunId, timerId)));
    })));
    this.unsubscribes.push(await database.listen(PROGRESS_CHANNEL, guard('progress notice', (payload) => {
      for (const id of payload.split(',')) if (id) void this.refreshExecution(id);
    })));
    this.loop = this.pollLoop();
  }

  /** Stops listening and polling, and waits for the work under way (Slack calls included). */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.wakeup.wake();
    for (const timer of this.retries.values()) clearTimeout(timer);
    this.retries.clear();
    const unsubscribes = this.unsubscribes;
    this.unsubscribes = [];
    await Promise.allSettled(unsubscribes.map((unsubscribe) => unsubscribe()));
    await this.loop;
    await this.serial.idle();
  }

  /** Posts or edits the execution's status message and its approvals; never throws. */
  refreshExecution(executionId: string): Promise<void> {
    return this.serial.run(`e:${executionId}`, async () => {
      const result = await this.guarded(`status message of ${executionId}`, () => this.status.refresh(executionId));
      this.retryLater(`e:${executionId}`, result, () => this.refreshExecution(executionId));
      const ids = await this.guarded(`approvals of ${executionId}`, () => approvalsOf(this.service.database, executionId));
      for (const id of ids ?? []) await this.refreshApproval(id);
    });
  }

  /** Posts or edits every copy of an approval (click handlers call it after a decision); never throws. */
  refreshApproval(approvalId: string): Promise<void> {
    return this.serial.run(`a:${approvalId}`, async () => {
      const result = await this.guarded(`approval ${approvalId}`, () => this.approvals.refresh(approvalId));
      this.retryLater(`a:${approvalId}`, result, () => this.refreshApproval(approvalId));
    });
  }

  private async pollLoop(): Promise<void> {
    let lastSafety = Number.NEGATIVE_INFINITY;
    let catchUp = true;
    const database = this.service.database;
    while (this.running) {
      // Refreshes are not awaited: a message waiting out a Retry-After must not hold up the others.
      const changed = await this.guarded('poll', async () => [await changedStatusMessages(database), await changedApprovals(database)] as const);
      for (const id of changed?.[0] ?? []) void this.refreshExecution(id);
      for (const id of changed?.[1] ?? []) void this.refreshApproval(id);
      if (Date.now() - lastSafety >= this.safetyPollMs) {
        lastSafety = Date.now();
        const missing = await this.guarded('safety poll', async () => [await executionsWithoutStatus(database, catchUp ? this.catchUpMs : 0), await pendingApprovals(database)] as const);
        catchUp &&= missing === undefined;
        for (const id of missing?.[0] ?? []) void this.refreshExecution(id);
        for (const id of missing?.[1] ?? []) void this.refreshApproval(id);
      }
      await this.wakeup.wait(this.pollMs);
    }
  }

  /** An edit that had to wait for its turn is tried again when the turn comes (the poll would, later). */
  private retryLater(key: string, result: RefreshResult | undefined, again: () => Promise<void>): void {
    if (!this.running || result?.retryInMs === undefined || this.retries.has(key)) return;
    const timer = setTimeout(() => {
      this.retries.delete(key);
      void again();
    }, result.retryInMs + 10);
    this.retries.set(key, timer);
  }

  private async guarded<T>(context: string, work: () => Promise<T>): Promise<T | undefined> {
    try {
      return await work();
    } catch (error) {
      this.onError(error, context);
      return undefined;
    }
  }
}

/**
 * One piece of work per key at a time, within this process: a NOTIFY, the poll and a click
 * handler asking to refresh the same message at once make one refresh, plus one more after
 * it when a request arrived while it ran (that request may have seen newer rows). Callers
 * share the promise of the run that will include their request. Work handles its own errors
 * (the notifier reports them): a rejection would reach callers that do not wait.
 */
class KeyedSerial {
  private readonly running = new Map<string, Promise<void>>();
  private readonly again = new Set<string>();

  run(key: string, work: () => Promise<void>): Promise<void> {
    const current = this.running.get(key);
    if (current) {
      this.again.add(key);
      return current;
    }
    const done = (async () => {
      try {
        do {
          this.again.delete(key);
          await work();
        } while (this.again.has(key));
      } finally {
        this.running.delete(key);
      }
    })();
    this.running.set(key, done);
    return done;
  }

  /** Resolves once nothing runs (work started meanwhile included). */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running.values()]);
  }
}
