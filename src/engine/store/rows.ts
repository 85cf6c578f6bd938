import type { InferSelectModel } from 'drizzle-orm';
import type { executions, taskRuns } from '../../db/schema.js';
import type { Attempt, ExecutionRecord, ExecutionState, TaskRunRecord, TaskRunState } from '../model.js';

/** Conversions between database rows and the engine's records (the planner never sees rows). */
export type ExecutionRow = InferSelectModel<typeof executions>;
export type TaskRunRow = InferSelectModel<typeof taskRuns>;

/** PostgreSQL's text form of timestamptz: `2026-11-21 15:31:52.698+00` (offset may lack minutes). */
const PG_TIMESTAMP = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)(Z|[+-]\d{2}(?::?\d{2})?)?$/;

/** Timestamps as ISO-8601 UTC strings whatever the driver returned (Date, ISO text or PostgreSQL text). */
export function iso(value: string | Date | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.toISOString();
  const match = PG_TIMESTAMP.exec(value.trim());
  let text = value;
  if (match) {
    const offset = match[3] ?? 'Z';
    const normalised = offset === 'Z' ? 'Z' : offset.length === 3 ? `${offset}:00` : offset.includes(':') ? offset : `${offset.slice(0, 3)}:${offset.slice(3)}`;
    text = `${match[1]}T${match[2]}${normalised}`;
  }
  const date = new Date(text);
  return Number.isNaN(date.getTime()) ? value : date.toISOString();
}

export function toExecutionRecord(row: ExecutionRow): ExecutionRecord {
  return {
    id: row.id,
    namespace: row.namespace,
    flowId: row.flowId,
    revision: row.revision,
    state: row.state as ExecutionState,
    inputs: row.inputs,
    labels: row.labels,
    outputs: row.outputs ?? null,
    createdBy: row.createdBy,
    parentExecutionId: row.parentExecutionId,
    parentTaskRunId: row.parentTaskRunId,
    trigger: row.trigger ?? null,
    killRequested: row.killRequested,
    error: row.error,
    createdAt: iso(row.createdAt) as string,
    endedAt: iso(row.endedAt),
  };
}

export function toTaskRunRecord(row: TaskRunRow): TaskRunRecord {
  return {
    id: row.id,
    taskId: row.taskId,
    parentTaskRunId: row.parentTaskRunId,
    branch: row.branch,
    value: row.value,
    position: row.position,
    state: row.state as TaskRunState,
    attempts: row.attempts as Attempt[],
    outputs: row.outputs ?? null,
    error: row.error,
    createdAt: iso(row.createdAt) as string,
    startedAt: iso(row.startedAt),
    endedAt: iso(row.endedAt),
    flowable: row.flowable ?? null,
  };
}
