import { type SQL, sql } from 'drizzle-orm';
import type { Database, Drizzle } from '../db/database.js';
import type { Flow } from '../flow/model.js';
import type { FlowStore } from './flow-store.js';

/**
 * Kestra's flow `concurrency: {limit, behavior}` for every start of an execution (CLI, chat,
 * schedule, subflow), and the schedule rule of issue 7: a scheduled run does not overlap the
 * previous run of the same trigger unless the flow allows it. The rule that applies:
 *
 * - the flow has `concurrency` → at most `limit` active executions of the flow; a new one
 *   beyond it is QUEUED (default, as in Kestra), CANCELLED or FAILED;
 * - else a run of a Schedule trigger (without `allowConcurrent: true`) → at most one active
 *   run of that trigger; the next one is QUEUED (every fire still runs, in order);
 * - else no limit.
 *
 * Admission and release take a per-flow advisory lock inside their transaction, so replicas
 * admitting runs of one flow at once (or one admitting while another releases) are serialised.
 * Queued runs are admitted oldest first when an active one ends (Engine.followUp), and by the
 * sweep if that follow-up was lost.
 */
export type AdmissionRule =
  | { kind: 'flow'; limit: number; behavior: 'QUEUE' | 'CANCEL' | 'FAIL' }
  | { kind: 'trigger'; createdBy: string };

export type Admission = { state: 'CREATED' | 'QUEUED' } | { state: 'CANCELLED' | 'FAILED'; error: string };

/** States that hold a slot. */
const ACTIVE = sql`state in ('CREATED', 'RUNNING', 'PAUSED', 'KILLING')`;

export function admissionRule(flow: Flow, start: { createdBy: string; trigger?: Record<string, unknown> | null }): AdmissionRule | undefined {
  if (flow.concurrency) return { kind: 'flow', limit: flow.concurrency.limit, behavior: flow.concurrency.behavior ?? 'QUEUE' };
  const trigger = start.trigger;
  if (trigger?.type !== 'schedule' || typeof trigger.id !== 'string') return undefined;
  const declared = flow.triggers.find((candidate) => candidate.id === trigger.id);
  if (declared?.allowConcurrent === true) return undefined;
  return { kind: 'trigger', createdBy: start.createdBy };
}

export async function lockFlow(tx: Drizzle, namespace: string, flowId: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`concurrency:${namespace}.${flowId}`}))`);
}

async function countActive(database: Database, tx: Drizzle, flow: Flow, except: string | undefined, createdBy?: string): Promise<number> {
  const by: SQL = createdBy === undefined ? sql`` : sql` and created_by = ${createdBy}`;
  const [row] = await database.rows<{ n: number | string }>(
    sql`select count(*) as n from executions
         where namespace = ${flow.namespace} and flow_id = ${flow.id} and ${ACTIVE} and id <> ${except ?? ''}${by}`,
    tx,
  );
  return Number(row?.n ?? 0);
}

/**
 * Decides the state a new execution of the flow starts in. Call inside the transaction that
 * writes it (the flow lock is taken here and held until commit); `self` is its id when the
 * row already exists (a subflow child), so it does not count against itself.
 */
export async function admit(database: Database, tx: Drizzle, flow: Flow, rule: AdmissionRule | undefined, self?: string): Promise<Admission> {
  if (!rule) return { state: 'CREATED' };
  await lockFlow(tx, flow.namespace, flow.id);
  if (rule.kind === 'trigger') {
    return { state: (await countActive(database, tx, flow, self, rule.createdBy)) > 0 ? 'QUEUED' : 'CREATED' };
  }
  const active = await countActive(database, tx, flow, self);
  if (active < rule.limit) return { state: 'CREATED' };
  const why = `flow ${flow.namespace}.${flow.id} already has ${active} running execution${active === 1 ? '' : 's'} (concurrency limit ${rule.limit})`;
  switch (rule.behavior) {
    case 'QUEUE':
      return { state: 'QUEUED' };
    case 'CANCEL':
      return { state: 'CANCELLED', error: `cancelled: ${why}` };
    case 'FAIL':
      return { state: 'FAILED', error: `not started: ${why}, behavior FAIL` };
  }
}

interface QueuedRow {
  id: string;
  revision: number;
  createdBy: string;
  trigger: Record<string, unknown> | null;
}

/**
 * Admits queued executions of the flow while slots are free, oldest first; returns their ids
 * (now CREATED, to be planned after this transaction commits).
 */
export async function admitQueued(database: Database, flows: FlowStore, tx: Drizzle, namespace: string, flowId: string): Promise<string[]> {
  await lockFlow(tx, namespace, flowId);
  const queued = await database.rows<QueuedRow>(
    sql`select id, revision, created_by as "createdBy", trigger from executions
         where namespace = ${namespace} and flow_id = ${flowId} and state = 'QUEUED' and not kill_requested
         order by created_at, id limit 200`,
    tx,
  );
  if (queued.length === 0) return [];
  const counts = await database.rows<{ createdBy: string; n: number | string }>(
    sql`select created_by as "createdBy", count(*) as n from executions
         where namespace = ${namespace} and flow_id = ${flowId} and ${ACTIVE} group by created_by`,
    tx,
  );
  const byCreator = new Map(counts.map((row) => [row.createdBy, Number(row.n)]));
  let total = [...byCreator.values()].reduce((a, b) => a + b, 0);
  const admitted: string[] = [];
  for (const row of queued) {
    const { flow } = await flows.get(namespace, flowId, row.revision, tx);
    const rule = admissionRule(flow, row);
    const free = !rule || (rule.kind === 'flow' ? total < rule.limit : (byCreator.get(row.createdBy) ?? 0) === 0);
    if (!free) continue;
    admitted.push(row.id);
    total += 1;
    byCreator.set(row.createdBy, (byCreator.get(row.createdBy) ?? 0) + 1);
  }
  if (admitted.length > 0) {
    await database.rows(
      sql`update executions set state = 'CREATED', updated_at = now(), version = version + 1
           where id in (select jsonb_array_elements_text(${JSON.stringify(admitted)}::jsonb)) and state = 'QUEUED'`,
      tx,
    );
  }
  return admitted;
}
