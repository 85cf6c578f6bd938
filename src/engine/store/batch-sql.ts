import { type SQL, sql } from 'drizzle-orm';
import type { LogRow } from '../logs.js';

/**
 * The hot-path writes of a transition batch, each one statement whatever the number of rows:
 * the rows travel as one JSON parameter and `jsonb_to_recordset` turns them back into a
 * relation inside PostgreSQL. A batch of 50 completed tasks costs the same handful of
 * statements as one, and Node spends no time building per-row SQL.
 */
export interface TaskRunInsertRow {
  id: string;
  execution_id: string;
  task_id: string;
  type: string;
  runnable: boolean;
  parent_task_run_id: string | null;
  branch: string;
  value: string | null;
  position: number;
  state: string;
  attempts: unknown[];
  outputs: Record<string, unknown> | null;
  error: string | null;
  flowable: Record<string, unknown> | null;
  /** Set when the inserting worker claims the new run at once (eager dispatch). */
  lease_owner: string | null;
  created_at: string;
  started_at: string | null;
  ended_at: string | null;
}

export interface TaskRunUpdateRow {
  id: string;
  state: string;
  attempts: unknown[];
  outputs: Record<string, unknown> | null;
  error: string | null;
  flowable: Record<string, unknown> | null;
  started_at: string | null;
  ended_at: string | null;
  /** The run stopped running or went back to CREATED: it holds no lease any more. */
  release: boolean;
}

export interface ExecutionUpdateRow {
  id: string;
  version: number;
  state: string;
  kill_requested: boolean;
  outputs: Record<string, unknown> | null;
  error: string | null;
  /** Null: the execution itself did not change (only its version). */
  updated_at: string | null;
  ended_at: string | null;
}

const json = (rows: readonly unknown[]) => JSON.stringify(rows);

/**
 * `id = any(…)` with the ids as one array parameter: the statement text is the same whatever
 * the number of ids, so the driver prepares it once per connection, and PostgreSQL sizes the
 * array exactly (a custom plan), so it probes the primary key instead of scanning the table.
 */
export function anyId(ids: readonly string[]): SQL {
  return sql`any(${pgTextArray(ids)}::text[])`;
}

/** A PostgreSQL array literal of text values, every element quoted and escaped. */
export function pgTextArray(values: readonly string[]): string {
  return `{${values.map((value) => `"${value.replace(/[\\"]/g, (char) => `\\${char}`)}"`).join(',')}}`;
}

export function insertTaskRuns(rows: readonly TaskRunInsertRow[], leaseSeconds: number): SQL {
  return sql`insert into task_runs (id, execution_id, task_id, type, runnable, parent_task_run_id, branch, value, position, state,
      attempts, outputs, error, flowable, lease_owner, lease_expires_at, created_at, started_at, ended_at)
    select id, execution_id, task_id, type, runnable, parent_task_run_id, branch, value, position, state,
      coalesce(attempts, '[]'::jsonb), outputs, error, flowable, lease_owner,
      case when lease_owner is null then null else now() + make_interval(secs => ${leaseSeconds}) end,
      created_at, started_at, ended_at
    from jsonb_to_recordset(${json(rows)}::jsonb) as x(id text, execution_id text, task_id text, type text, runnable boolean,
      parent_task_run_id text, branch text, value text, position integer, state text, attempts jsonb, outputs jsonb,
      error text, flowable jsonb, lease_owner text, created_at timestamptz, started_at timestamptz, ended_at timestamptz)`;
}

export function updateTaskRuns(rows: readonly TaskRunUpdateRow[]): SQL {
  return sql`update task_runs t
       set state = x.state, attempts = x.attempts, outputs = x.outputs, error = x.error, flowable = x.flowable,
           started_at = x.started_at, ended_at = x.ended_at,
           lease_owner = case when x.release then null else t.lease_owner end,
           lease_expires_at = case when x.release then null else t.lease_expires_at end,
           cancel_requested = case when x.release then false else t.cancel_requested end
      from jsonb_to_recordset(${json(rows)}::jsonb) as x(id text, state text, attempts jsonb, outputs jsonb, error text,
        flowable jsonb, started_at timestamptz, ended_at timestamptz, release boolean)
     where t.id = x.id and t.id = ${anyId(rows.map((row) => row.id))}`;
}

export function updateExecutions(rows: readonly ExecutionUpdateRow[]): SQL {
  return sql`update executions e
       set version = x.version, state = x.state, kill_requested = x.kill_requested, outputs = x.outputs, error = x.error,
           updated_at = coalesce(x.updated_at, e.updated_at), ended_at = x.ended_at
      from jsonb_to_recordset(${json(rows)}::jsonb) as x(id text, version integer, state text, kill_requested boolean,
        outputs jsonb, error text, updated_at timestamptz, ended_at timestamptz)
     where e.id = x.id and e.id = ${anyId(rows.map((row) => row.id))}`;
}

export function insertLogs(rows: readonly LogRow[]): SQL {
  const shaped = rows.map((row, n) => ({
    n,
    execution_id: row.executionId,
    task_run_id: row.taskRunId ?? null,
    task_id: row.taskId ?? null,
    attempt: row.attempt ?? null,
    level: row.level,
    message: row.message,
    at: row.at ?? new Date().toISOString(),
  }));
  // `order by n`: log ids (the reading order) follow the lines' order.
  return sql`insert into logs (execution_id, task_run_id, task_id, attempt, level, message, at)
    select execution_id, task_run_id, task_id, attempt, level, message, at
      from jsonb_to_recordset(${json(shaped)}::jsonb) as x(n integer, execution_id text, task_run_id text, task_id text,
        attempt integer, level text, message text, at timestamptz)
     order by n`;
}


