import { sql } from 'drizzle-orm';
import type { Engine } from './engine.js';

/**
 * Safety sweep, run by every worker between timer rounds. Follow-ups that happen after a
 * commit (planning a new subflow child, telling a parent its child ended, planning a child's
 * kill) are lost if the process dies in between; this finds such executions from the database alone and redoes
 * the follow-up, which is idempotent.
 */
const GRACE = sql`now() - interval '3 seconds'`;

export async function sweep(engine: Engine): Promise<void> {
  const database = engine.context.database;
  const unplanned = await database.rows<{ id: string; parent: string | null }>(sql`
    select id, parent_execution_id as parent from executions e
     where state = 'CREATED' and created_at < ${GRACE}
       and not exists (select 1 from task_runs t where t.execution_id = e.id)
     limit 20`);
  for (const row of unplanned) {
    if (row.parent) await engine.startChild(row.id);
    else await engine.apply(row.id, () => []);
  }
  const orphans = await database.rows<{ child: string }>(sql`
    select c.id as child from executions c
      join task_runs t on t.id = c.parent_task_run_id
     where c.state in ('SUCCESS', 'WARNING', 'FAILED', 'KILLED', 'CANCELLED')
       and t.state = 'RUNNING' and (t.flowable ->> 'childState') is null
       and c.ended_at < ${GRACE}
     limit 20`);
  for (const row of orphans) await engine.notifyParent(row.child);
  const unkilled = await database.rows<{ id: string }>(sql`
    select id from executions
     where kill_requested and state in ('CREATED', 'RUNNING', 'PAUSED', 'QUEUED') and updated_at < ${GRACE}
     limit 20`);
  for (const row of unkilled) await engine.apply(row.id, () => []);
  // Queued executions whose release was lost (the replica ending the blocking run died first).
  const queued = await database.rows<{ namespace: string; flowId: string }>(sql`
    select distinct namespace, flow_id as "flowId" from executions
     where state = 'QUEUED' and updated_at < ${GRACE}
     limit 20`);
  for (const row of queued) await engine.releaseQueued(row.namespace, row.flowId);
}
