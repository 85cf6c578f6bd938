import { and, asc, desc, eq, sql } from 'drizzle-orm';
import type { Database } from '../db/database.js';
import { executions, logs, taskRuns } from '../db/schema.js';
import { ErrorCode, PatchbayError } from '../errors.js';
import { maskDeep } from '../engine/masking.js';
import { iso } from '../engine/store/rows.js';

/**
 * Read side of executions, shaped for people and scripts (`--json`): the same view backs the
 * CLI, the chat surfaces and the tests. Secret values revealed during the run are masked.
 */
export interface TaskRunView {
  id: string;
  taskId: string;
  type: string;
  parentTaskRunId: string | null;
  branch: string;
  value: string | null;
  state: string;
  attempts: number;
  outputs: Record<string, unknown> | null;
  error: string | null;
  startedAt: string | null;
  endedAt: string | null;
}

export interface ExecutionView {
  id: string;
  namespace: string;
  flowId: string;
  revision: number;
  state: string;
  createdBy: string;
  inputs: Record<string, unknown>;
  outputs: Record<string, unknown> | null;
  labels: Record<string, string>;
  error: string | null;
  parentExecutionId: string | null;
  createdAt: string;
  endedAt: string | null;
  taskRuns: TaskRunView[];
}

export async function getExecution(database: Database, id: string): Promise<ExecutionView> {
  const [row] = await database.db.select().from(executions).where(eq(executions.id, id));
  if (!row) throw new PatchbayError(ErrorCode.NOT_FOUND, `no execution ${id}`);
  const runs = await database.db
    .select()
    .from(taskRuns)
    .where(eq(taskRuns.executionId, id))
    .orderBy(asc(taskRuns.createdAt), asc(taskRuns.position));
  const view: ExecutionView = {
    id: row.id,
    namespace: row.namespace,
    flowId: row.flowId,
    revision: row.revision,
    state: row.state,
    createdBy: row.createdBy,
    inputs: row.inputs,
    outputs: row.outputs ?? null,
    labels: row.labels,
    error: row.error,
    parentExecutionId: row.parentExecutionId,
    createdAt: iso(row.createdAt) as string,
    endedAt: iso(row.endedAt),
    taskRuns: runs.map((run) => ({
      id: run.id,
      taskId: run.taskId,
      type: run.type,
      parentTaskRunId: run.parentTaskRunId,
      branch: run.branch,
      value: run.value,
      state: run.state,
      attempts: (run.attempts as unknown[]).length,
      outputs: run.outputs ?? null,
      error: run.error,
      startedAt: iso(run.startedAt),
      endedAt: iso(run.endedAt),
    })),
  };
  return maskDeep(view, row.secrets) as ExecutionView;
}

export interface ExecutionSummary {
  id: string;
  namespace: string;
  flowId: string;
  state: string;
  createdBy: string;
  createdAt: string;
  endedAt: string | null;
}

export async function listExecutions(database: Database, filter: { namespace?: string; flowId?: string; state?: string; limit?: number } = {}): Promise<ExecutionSummary[]> {
  const conditions = [];
  if (filter.namespace) conditions.push(eq(executions.namespace, filter.namespace));
  if (filter.flowId) conditions.push(eq(executions.flowId, filter.flowId));
  if (filter.state) conditions.push(eq(executions.state, filter.state));
  const rows = await database.db
    .select()
    .from(executions)
    .where(conditions.length ? and(...conditions) : undefined)
    .orderBy(desc(executions.createdAt))
    .limit(filter.limit ?? 50);
  return rows.map(executionSummary);
}

export function executionSummary(row: typeof executions.$inferSelect): ExecutionSummary {
  return {
    id: row.id,
    namespace: row.namespace,
    flowId: row.flowId,
    state: row.state,
    createdBy: row.createdBy,
    createdAt: iso(row.createdAt) as string,
    endedAt: iso(row.endedAt),
  };
}

export interface LogLine {
  at: string;
  level: string;
  taskId: string | null;
  attempt: number | null;
  message: string;
}

export async function executionLogs(database: Database, id: string, limit = 1000): Promise<LogLine[]> {
  const [row] = await database.db.select({ secrets: executions.secrets }).from(executions).where(eq(executions.id, id));
  if (!row) throw new PatchbayError(ErrorCode.NOT_FOUND, `no execution ${id}`);
  const lines = await database.db.select().from(logs).where(eq(logs.executionId, id)).orderBy(asc(logs.id)).limit(limit);
  return lines.map((line) =>
    maskDeep({ at: iso(line.at) as string, level: line.level, taskId: line.taskId, attempt: line.attempt, message: line.message }, row.secrets) as LogLine,
  );
}

/**
 * Whether an execution (with its subflows) can still move without a person: work queued or
 * running, timers that fire by themselves, children not yet planned or whose end is not yet
 * recorded in their parent.
 */
export async function hasPendingWork(database: Database, executionId?: string): Promise<boolean> {
  const tree = executionId
    ? sql`with recursive tree as (select id from executions where id = ${executionId}
            union all select e.id from executions e join tree on e.parent_execution_id = tree.id)`
    : sql`with tree as (select id from executions)`;
  const [row] = await database.rows<{ pending: boolean }>(sql`${tree}
    select exists (select 1 from task_runs where execution_id in (select id from tree) and runnable and state in ('CREATED', 'RUNNING'))
        or exists (select 1 from timers where execution_id in (select id from tree) and kind not in ('PAUSE_TIMEOUT', 'REMINDER'))
        or exists (select 1 from executions where id in (select id from tree) and state in ('CREATED', 'KILLING'))
        -- a child ended but its parent's Subflow task has not heard yet (a transition in flight)
        or exists (select 1 from task_runs t join executions c on c.parent_task_run_id = t.id
                    where t.execution_id in (select id from tree) and t.state = 'RUNNING'
                      and c.state in ('SUCCESS', 'WARNING', 'FAILED', 'KILLED')) as pending`);
  return Boolean(row?.pending);
}
