import type { TaskRunRecord } from './model.js';

/**
 * The task runs of executions this process changed last, keyed by the execution's version.
 * A transition reads the execution row under its lock anyway; when the version there is the
 * one cached, the task runs cannot have changed (every change under the lock bumps it), so
 * they are not read again — except runs in CREATED, which a worker elsewhere may have
 * claimed without the lock. That read of every task run was the largest cost of a
 * completion; with the cache a 10-task flow reads each run once.
 */
export interface CachedRuns {
  version: number;
  taskRuns: readonly TaskRunRecord[];
  leaseOwners: ReadonlyMap<string, string | null>;
}

export class SnapshotCache {
  private readonly entries = new Map<string, CachedRuns>();

  constructor(private readonly capacity = 5_000) {}

  get(executionId: string, version: number): CachedRuns | undefined {
    const entry = this.entries.get(executionId);
    return entry && entry.version === version ? entry : undefined;
  }

  has(executionId: string): boolean {
    return this.entries.has(executionId);
  }

  /** Keeps the newest version only: two transactions' continuations may run out of commit order. */
  set(executionId: string, entry: CachedRuns): void {
    const current = this.entries.get(executionId);
    if (current && current.version > entry.version) return;
    this.entries.delete(executionId);
    this.entries.set(executionId, entry);
    if (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
  }

  delete(executionId: string): void {
    this.entries.delete(executionId);
  }
}
