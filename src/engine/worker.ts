import { hostname } from 'node:os';
import { newId } from '../ids.js';
import { processAlive } from '../process-alive.js';
import type { Engine } from './engine.js';
import { attemptFinished, leaseExpired, timerFired } from './events.js';
import { type Completion, CompletionQueue } from './completion-queue.js';
import { type RunnerOptions, runAttempt } from './runner.js';
import type { ClaimBudget } from './store/persist.js';
import { taskById } from './task-index.js';
import { sweep } from './sweep.js';
import {
  type ClaimedTaskRun,
  claimTaskRuns,
  expireDeadLocalLeases,
  findDueTimers,
  findExpiredLeases,
  nextTimerDelay,
  renewLeases,
} from './store/claim.js';
import { Channels } from './transition.js';
import { Wakeup } from './wakeup.js';

/**
 * The worker loop of one process: claims runnable task runs and runs them (up to
 * `concurrency` at a time), fires due timers, renews its leases and reaps the leases of dead
 * workers. LISTEN/NOTIFY wakes it the moment there is work; `pollMs` is only the safety net
 * for a missed notification. Any number of workers in any number of replicas may run.
 */
export interface WorkerOptions {
  concurrency?: number;
  leaseMs?: number;
  pollMs?: number;
  env?: Readonly<Record<string, string | undefined>>;
  /** Where the worker reports problems it survives (database hiccups). */
  onError?: (error: unknown) => void;
}

export class Worker {
  readonly id = `${hostname()}:${process.pid}:${newId().slice(0, 6)}`;
  private readonly concurrency: number;
  private readonly leaseMs: number;
  private readonly pollMs: number;
  private readonly running = new Map<string, { run: ClaimedTaskRun; abort: AbortController; done: Promise<void> }>();
  private readonly work = new Wakeup();
  private readonly timers = new Wakeup();
  private readonly leases = new Wakeup();
  private readonly unsubscribes: (() => Promise<void>)[] = [];
  private loops: Promise<void>[] = [];
  private readonly completions = new CompletionQueue(
    (batch) => this.commit(batch),
    (batch) => this.commitOneByOne(batch),
  );
  private stopping = false;
  private lastRepair = 0;

  constructor(
    private readonly engine: Engine,
    private readonly options: WorkerOptions = {},
  ) {
    this.concurrency = options.concurrency ?? 4;
    this.leaseMs = options.leaseMs ?? 30_000;
    this.pollMs = options.pollMs ?? 2_000;
  }

  private get database() {
    return this.engine.context.database;
  }

  async start(): Promise<void> {
    this.unsubscribes.push(await this.database.listen(Channels.work, () => this.work.wake()));
    this.unsubscribes.push(await this.database.listen(Channels.timer, () => this.timers.wake()));
    this.unsubscribes.push(
      await this.database.listen(Channels.cancel, (payload) => {
        for (const id of payload.split(',')) this.running.get(id)?.abort.abort();
      }),
    );
    this.loops = [this.claimLoop(), this.timerLoop(), this.leaseLoop()];
  }

  /** Stops claiming, aborts what runs (it will be reported KILLED or retried elsewhere), waits for the loops. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.work.wake();
    this.timers.wake();
    this.leases.wake();
    for (const entry of this.running.values()) entry.abort.abort();
    await Promise.allSettled([...this.running.values()].map((entry) => entry.done));
    await Promise.allSettled(this.loops);
    for (const unsubscribe of this.unsubscribes.splice(0)) await unsubscribe().catch(() => undefined);
  }

  get busy(): number {
    return this.running.size;
  }

  private report(error: unknown): void {
    (this.options.onError ?? ((e) => console.error('patchbay worker:', e)))(error);
  }

  private async claimLoop(): Promise<void> {
    while (!this.stopping) {
      let claimed: ClaimedTaskRun[] = [];
      try {
        claimed = await claimTaskRuns(this.database, this.id, this.concurrency - this.running.size, this.leaseMs);
      } catch (error) {
        this.report(error);
      }
      for (const run of claimed) this.launch(run);
      if (claimed.length === 0 || this.running.size >= this.concurrency) await this.work.wait(this.pollMs);
    }
  }

  private launch(run: ClaimedTaskRun, preloaded?: RunnerOptions['preloaded']): void {
    const abort = new AbortController();
    const done = (async () => {
      try {
        const options: RunnerOptions = { signal: abort.signal, env: this.options.env ?? process.env };
        if (preloaded) options.preloaded = preloaded;
        const result = await runAttempt(this.engine.context, run, options);
        // A worker stopping mid-task leaves the run to its lease: another worker retries it.
        if (this.stopping && result.state === 'KILLED') return;
        await this.completions.add(run, result);
      } catch (error) {
        this.report(error);
      } finally {
        this.running.delete(run.id);
        this.work.wake();
      }
    })();
    this.running.set(run.id, { run, abort, done });
  }

  /**
   * Commits a batch of finished attempts in one transaction. The batch may hand this worker
   * the runs it creates (the next task of each execution), as many as the batch frees slots:
   * they start at once, without a claim round trip or a NOTIFY.
   */
  private async commit(batch: readonly Completion[]): Promise<void> {
    
    const claim: ClaimBudget | undefined = this.stopping ? undefined : { workerId: this.id, remaining: batch.length, claimed: [] };
    const requests = batch.map(({ run, result }) => ({ executionId: run.executionId, event: attemptFinished(run.id, this.id, result) }));
    const outcomes = await this.engine.applyMany(requests, { leaseMs: this.leaseMs, ...(claim ? { claim } : {}) }, (error) => this.report(error));
    for (const { executionId, taskRunId } of claim?.claimed ?? []) {
      const outcome = outcomes.get(executionId);
      const record = outcome?.snapshot.taskRuns.find((candidate) => candidate.id === taskRunId);
      const type = outcome?.flow && record ? taskById(outcome.flow.flow).get(record.taskId)?.type : undefined;
      if (!outcome?.flow || !record || !type) continue; // cannot happen; its lease would hand it back anyway
      const claimed: ClaimedTaskRun = { id: record.id, executionId, taskId: record.taskId, type, value: record.value, attempt: record.attempts.length };
      this.launch(claimed, { snapshot: outcome.snapshot, flow: outcome.flow });
    }
  }

  /** When a batch cannot commit (one execution's plan fails), each completion is applied alone so the others still land. */
  private async commitOneByOne(batch: readonly Completion[]): Promise<void> {
    for (const { run, result } of batch) await this.engine.apply(run.executionId, attemptFinished(run.id, this.id, result));
  }

  private async timerLoop(): Promise<void> {
    while (!this.stopping) {
      let delay = this.pollMs;
      try {
        for (const timer of await findDueTimers(this.database, 50)) await this.engine.apply(timer.executionId, timerFired(timer.id));
        // Repairs are rare: look for them at most once a second, whatever the poll interval.
        if (Date.now() - this.lastRepair >= 1000) {
          this.lastRepair = Date.now();
          await expireDeadLocalLeases(this.database, hostname(), processAlive);
          for (const lost of await findExpiredLeases(this.database, 50)) await this.engine.apply(lost.executionId, leaseExpired(lost.id, lost.type));
          await sweep(this.engine);
        }
        const next = await nextTimerDelay(this.database);
        if (next !== null) delay = Math.min(delay, next);
      } catch (error) {
        this.report(error);
      }
      await this.timers.wait(delay);
    }
  }

  private async leaseLoop(): Promise<void> {
    while (!this.stopping) {
      await this.leases.wait(Math.max(50, this.leaseMs / 3));
      if (this.stopping) break;
      try {
        const cancelled = await renewLeases(this.database, this.id, [...this.running.keys()], this.leaseMs);
        for (const id of cancelled) this.running.get(id)?.abort.abort();
      } catch (error) {
        this.report(error);
      }
    }
  }
}
