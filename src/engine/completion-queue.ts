import type { AttemptResult } from './events.js';
import type { ClaimedTaskRun } from './store/claim.js';

/**
 * Group commit for a worker's finished attempts: while one batch is being committed, the
 * attempts that finish meanwhile queue up and go together in the next transaction. Under
 * load a transaction carries many completions; when idle, a completion commits at once.
 */
export interface Completion {
  run: ClaimedTaskRun;
  result: AttemptResult;
}

interface Waiting extends Completion {
  resolve: () => void;
  reject: (error: unknown) => void;
}

/** Enough to amortise a transaction; small enough that one batch stays a short transaction. */
const MAX_BATCH = 64;

export class CompletionQueue {
  private readonly waiting: Waiting[] = [];
  private busy = false;

  constructor(
    private readonly commit: (batch: readonly Completion[]) => Promise<void>,
    /** Used when a whole batch fails: commits each completion alone, so one bad execution does not hold back the rest. */
    private readonly commitOneByOne: (batch: readonly Completion[]) => Promise<void>,
  ) {}

  /** Resolves once the completion is committed (or rejects with why it could not be). */
  add(run: ClaimedTaskRun, result: AttemptResult): Promise<void> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ run, result, resolve, reject });
      void this.drain();
    });
  }

  private async drain(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      while (this.waiting.length > 0) {
        const batch = this.waiting.splice(0, MAX_BATCH);
        try {
          await this.commit(batch);
          for (const item of batch) item.resolve();
        } catch {
          for (const item of batch) {
            try {
              await this.commitOneByOne([item]);
              item.resolve();
            } catch (error) {
              item.reject(error);
            }
          }
        }
      }
    } finally {
      this.busy = false;
    }
  }
}
