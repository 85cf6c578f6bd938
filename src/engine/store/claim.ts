import { sql } from 'drizzle-orm';
import type { Database } from '../../db/database.js';

/**
 * Work claiming with leases. `FOR UPDATE SKIP LOCKED` lets any number of workers in any
 * number of replicas take distinct task runs without waiting on each other; the lease says
 * until when the taker is presumed alive. A worker renews its leases while it runs; a lease
 * that expires means the worker died, and the reaper hands the task run back (or fails it
 * when the task is unsafe to repeat).
 */
export interface ClaimedTaskRun {
  id: string;
  executionId: string;
  taskId: string;
  type: string;
  value: string | null;
  /** 1-based number of the attempt this claim starts. */
  attempt: number;
}

export async function claimTaskRuns(database: Database, workerId: string, limit: number, leaseMs: number): Promise<ClaimedTaskRun[]> {
  if (limit <= 0) return [];
  const rows = await database.rows<{ id: string; execution_id: string; task_id: string; type: string; value: string | null; attempts: number }>(sql`
    update task_runs t
       set state = 'RUNNING',
           lease_owner = ${workerId},
           lease_expires_at = now() + make_interval(secs => ${leaseMs / 1000}),
           started_at = coalesce(t.started_at, now()),
           attempts = t.attempts || jsonb_build_array(jsonb_build_object('state', 'RUNNING', 'startedAt', to_jsonb(now()), 'worker', ${workerId}::text))
      from (select id from task_runs
             where state = 'CREATED' and runnable
             order by created_at
             limit ${limit}
             for update skip locked) picked
     where t.id = picked.id
    returning t.id, t.execution_id, t.task_id, t.type, t.value, jsonb_array_length(t.attempts) as attempts`);
  return rows.map((row) => ({
    id: row.id,
    executionId: row.execution_id,
    taskId: row.task_id,
    type: row.type,
    value: row.value,
    attempt: Number(row.attempts),
  }));
}

/** Extends the leases of the runs a worker still holds; returns the ids whose cancellation was requested. */
export async function renewLeases(database: Database, workerId: string, ids: readonly string[], leaseMs: number): Promise<string[]> {
  if (ids.length === 0) return [];
  const rows = await database.rows<{ id: string; cancel_requested: boolean }>(sql`
    update task_runs
       set lease_expires_at = now() + make_interval(secs => ${leaseMs / 1000})
     where lease_owner = ${workerId} and state = 'RUNNING' and id in (${sql.join(ids.map((id) => sql`${id}`), sql`, `)})
    returning id, cancel_requested`);
  return rows.filter((row) => row.cancel_requested).map((row) => row.id);
}

/** Task runs whose worker stopped renewing its lease. */
export async function findExpiredLeases(database: Database, limit: number): Promise<{ id: string; executionId: string; type: string }[]> {
  const rows = await database.rows<{ id: string; execution_id: string; type: string }>(sql`
    select id, execution_id, type from task_runs
     where state = 'RUNNING' and runnable and lease_expires_at < now()
     order by lease_expires_at
     limit ${limit}`);
  return rows.map((row) => ({ id: row.id, executionId: row.execution_id, type: row.type }));
}

/**
 * Leases held by processes of this host that no longer exist (a SIGKILLed worker, a crashed
 * `patchbay run`): expire them now instead of waiting out the lease. Owner ids are
 * `host:pid:suffix`, so this needs no coordination.
 */
export async function expireDeadLocalLeases(database: Database, host: string, isAlive: (pid: number) => boolean): Promise<number> {
  const rows = await database.rows<{ owner: string }>(sql`
    select distinct lease_owner as owner from task_runs
     where state = 'RUNNING' and runnable and lease_owner like ${`${host}:%`}`);
  const dead = rows.map((row) => row.owner).filter((owner) => !isAlive(Number(owner.split(':')[1])));
  if (dead.length === 0) return 0;
  await database.rows(sql`update task_runs set lease_expires_at = now() - interval '1 millisecond'
    where state = 'RUNNING' and lease_owner in (${sql.join(dead.map((owner) => sql`${owner}`), sql`, `)})`);
  return dead.length;
}

/** Timers due now (taken one by one inside their execution's transition). */
export async function findDueTimers(database: Database, limit: number): Promise<{ id: number; executionId: string }[]> {
  const rows = await database.rows<{ id: string | number; execution_id: string }>(sql`
    select id, execution_id from timers where due_at <= now() order by due_at limit ${limit}`);
  return rows.map((row) => ({ id: Number(row.id), executionId: row.execution_id }));
}

/** Milliseconds until the next timer is due (null when there is none). */
export async function nextTimerDelay(database: Database): Promise<number | null> {
  const [row] = await database.rows<{ delay: string | number | null }>(sql`
    select extract(epoch from (min(due_at) - now())) * 1000 as delay from timers`);
  return row?.delay === null || row?.delay === undefined ? null : Math.max(0, Number(row.delay));
}
