/**
 * Where the work after an ack waits its turn. An ack is only written when the event loop gets
 * to the incoming request, and on embedded PGlite every query runs on that same thread: with
 * a burst of requests each starting its queries at once, promise continuations can keep the
 * loop busy for seconds and the acks behind them miss Slack's 3 s. So post-ack work runs a
 * few at a time, FIFO, and each starts only after pending I/O (new requests, their acks) has
 * had its turn (setImmediate runs after the poll phase). On PostgreSQL the queries run in
 * the server, so the limit is generous there.
 */
export class WorkGate {
  private active = 0;
  private readonly queue: (() => void)[] = [];
  private readonly drained = new Set<() => void>();

  constructor(readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`work gate limit must be a positive integer, got ${limit}`);
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.active < this.limit) this.active += 1;
    else await new Promise<void>((resolve) => this.queue.push(resolve)); // the slot is handed over, not re-counted
    try {
      await new Promise<void>((resolve) => setImmediate(resolve));
      return await work();
    } finally {
      const next = this.queue.shift();
      if (next) next();
      else {
        this.active -= 1;
        if (this.active === 0) for (const wake of [...this.drained]) wake();
      }
    }
  }

  /** Work running or queued now. */
  get pending(): number {
    return this.active + this.queue.length;
  }

  /** Resolves once nothing runs or waits (used when the app stops). */
  idle(): Promise<void> {
    if (this.active === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const wake = (): void => {
        this.drained.delete(wake);
        resolve();
      };
      this.drained.add(wake);
    });
  }
}
