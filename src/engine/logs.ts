import type { Database } from '../db/database.js';
import { logs } from '../db/schema.js';
import { maskSecrets } from '../secrets.js';
import type { TaskLogger } from '../tasks/types.js';
import type { ClaimedTaskRun } from './store/claim.js';

/**
 * Log lines of one attempt, buffered and written in batches (a task printing thousands of
 * lines must not cost a round trip each), masked for every secret revealed so far.
 */
type Level = 'TRACE' | 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';

export type LogRow = typeof logs.$inferInsert;

const FLUSH_EVERY = 200;

export class TaskLogBuffer {
  private pending: { level: Level; message: string; at: string }[] = [];
  private secrets: string[] = [];
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly database: Database,
    private readonly run: Pick<ClaimedTaskRun, 'id' | 'executionId' | 'taskId' | 'attempt'>,
  ) {}

  mask(secrets: Iterable<string>): void {
    this.secrets = [...new Set([...this.secrets, ...secrets])];
  }

  logger(): TaskLogger {
    const add = (level: Level) => (message: string) => {
      this.pending.push({ level, message: maskSecrets(String(message), this.secrets), at: new Date().toISOString() });
      if (this.pending.length >= FLUSH_EVERY) void this.flush();
    };
    return { trace: add('TRACE'), debug: add('DEBUG'), info: add('INFO'), warn: add('WARN'), error: add('ERROR') };
  }

  private rows(batch: typeof this.pending): LogRow[] {
    return batch.map((line) => ({
      executionId: this.run.executionId,
      taskRunId: this.run.id,
      taskId: this.run.taskId,
      attempt: this.run.attempt,
      level: line.level,
      message: line.message,
      at: line.at,
    }));
  }

  /** Writes what is buffered (long-running tasks); concurrent calls are chained so lines keep their order. */
  flush(): Promise<void> {
    const batch = this.pending;
    this.pending = [];
    if (batch.length === 0) return this.writing;
    this.writing = this.writing.then(async () => {
      await this.database.db.insert(logs).values(this.rows(batch));
    });
    return this.writing;
  }

  /**
   * The lines not yet written, once earlier flushes are done: the attempt's last lines travel
   * with its result and are written in the same transaction (one round trip fewer per task).
   */
  async drain(): Promise<LogRow[]> {
    await this.writing.catch(() => undefined);
    const batch = this.pending;
    this.pending = [];
    return this.rows(batch);
  }
}
