import { type SQL, sql } from 'drizzle-orm';
import type { ExecutionSnapshot, TaskRunRecord } from '../model.js';
import type { SnapshotCache } from '../snapshot-cache.js';
import { anyId } from './batch-sql.js';
import { type ExecutionRow, type TaskRunRow, toExecutionRecord, toTaskRunRecord } from './rows.js';

/**
 * Reads executions and their task runs for a transition (locked) or a worker (not locked).
 * With a cache, the task runs of an execution whose version matches are taken from it and
 * only its CREATED runs are read again (see SnapshotCache). Raw SQL with the row shapes of
 * the drizzle schema, so the reads can travel in a pipelined transaction.
 */
export type Loaded = ExecutionSnapshot & { version: number; leaseOwners: Map<string, string | null> };

/** Sends a statement and resolves with its rows (a pipelined transaction, or the pool). */
export interface Reader {
  send<T>(query: SQL): Promise<T[]>;
}

const EXECUTION_COLUMNS = sql.raw(`id, namespace, flow_id as "flowId", revision, state, inputs, labels, outputs, created_by as "createdBy",
  parent_execution_id as "parentExecutionId", parent_task_run_id as "parentTaskRunId", trigger, kill_requested as "killRequested",
  error, created_at as "createdAt", ended_at as "endedAt", version`);
const TASK_RUN_COLUMNS = sql.raw(`id, execution_id as "executionId", task_id as "taskId", parent_task_run_id as "parentTaskRunId", branch,
  value, position, state, attempts, outputs, error, flowable, lease_owner as "leaseOwner", created_at as "createdAt",
  started_at as "startedAt", ended_at as "endedAt"`);


export async function loadSnapshots(
  reader: Reader,
  executionIds: readonly string[],
  now: Date,
  options: { lock: boolean; cache?: SnapshotCache | undefined },
): Promise<Map<string, Loaded>> {
  const ids = [...new Set(executionIds)].sort();
  const cache = options.cache;
  // Row locks in id order: two batches locking overlapping executions never deadlock.
  const executionsQuery = sql`select ${EXECUTION_COLUMNS} from executions where id = ${anyId(ids)} order by id ${options.lock ? sql`for update` : sql``}`;
  const loaded = new Map<string, Loaded>();
  let runs: TaskRunRow[] = [];
  if (!cache || !ids.some((id) => cache.has(id))) {
    // Nothing cached: both reads go together (pipelined; the locks are taken first).
    const [rows, all] = await Promise.all([
      reader.send<ExecutionRow>(executionsQuery),
      reader.send<TaskRunRow>(sql`select ${TASK_RUN_COLUMNS} from task_runs where execution_id = ${anyId(ids)}`),
    ]);
    for (const row of rows) loaded.set(row.id, fresh(row, now));
    runs = all;
  } else {
    const misses: string[] = [];
    const recheck: string[] = [];
    for (const row of await reader.send<ExecutionRow>(executionsQuery)) {
      const snapshot = fresh(row, now);
      loaded.set(row.id, snapshot);
      const hit = cache.get(row.id, Number(row.version));
      if (!hit) {
        misses.push(row.id);
        continue;
      }
      snapshot.taskRuns = [...hit.taskRuns];
      snapshot.leaseOwners = new Map(hit.leaseOwners);
      for (const run of hit.taskRuns) if (run.state === 'CREATED') recheck.push(run.id);
    }
    if (misses.length > 0 || recheck.length > 0) {
      const where = [
        ...(misses.length > 0 ? [sql`execution_id = ${anyId(misses)}`] : []),
        ...(recheck.length > 0 ? [sql`id = ${anyId(recheck)}`] : []),
      ];
      runs = await reader.send<TaskRunRow>(sql`select ${TASK_RUN_COLUMNS} from task_runs where ${sql.join(where, sql` or `)}`);
    }
  }
  for (const row of runs) merge(loaded.get(row.executionId), row);
  return loaded;
}

function fresh(row: ExecutionRow, now: Date): Loaded {
  return { execution: toExecutionRecord(row), taskRuns: [], now: now.toISOString(), version: Number(row.version), leaseOwners: new Map() };
}

/** Adds a run read from the database, replacing the cached record of the same id. */
function merge(snapshot: Loaded | undefined, row: TaskRunRow): void {
  if (!snapshot) return;
  const record: TaskRunRecord = toTaskRunRecord(row);
  const index = snapshot.taskRuns.findIndex((run) => run.id === record.id);
  if (index >= 0) snapshot.taskRuns[index] = record;
  else snapshot.taskRuns.push(record);
  snapshot.leaseOwners.set(row.id, row.leaseOwner);
}
