import { sql } from 'drizzle-orm';
import type { Database } from '../db/database.js';
import { maskDeep } from '../engine/masking.js';
import { anyId } from '../engine/store/batch-sql.js';
import { iso } from '../engine/store/rows.js';
import { matchesGlob } from '../policy/glob.js';
import type { ApprovalVote, PatchRun, PatchRunFilter, RunApproval } from './types.js';

/**
 * Every statement of the patch-window report, three per report whatever its size:
 *
 * 1. the flows in scope: `flow_revisions` grouped (a small table), globs matched here;
 * 2. the runs: per flow in scope, a range over `executions_flow_idx` (namespace, flow_id,
 *    created_at) for the window, plus runs still PAUSED from before it (`executions_state_idx`),
 *    keeping those that name a VM (`vm` output, else `vm` input);
 * 3. what surrounds those runs and their parents, one `union all` branch per kind, each on an
 *    index: approvals through `task_runs_execution_idx` → the unique `approvals.task_run_id`
 *    (approvals has no index on execution_id), votes by their primary key, successful
 *    RestoreVmSnapshot task runs, Snapshot asset events (`asset_events_execution_idx`) and the
 *    Slack status / approval permalinks (`chat_messages` primary key and approval index).
 */
export interface FlowRef {
  namespace: string;
  flowId: string;
  revision: number;
}

/** A glob matches `flowId` or `namespace.flowId` (`nutanix-*`, `company.ops.*`). */
export function flowMatches(patterns: readonly string[] | undefined, flow: Pick<FlowRef, 'namespace' | 'flowId'>): boolean {
  if (!patterns || patterns.length === 0) return true;
  return patterns.some((p) => matchesGlob(p, flow.flowId) || matchesGlob(p, `${flow.namespace}.${flow.flowId}`));
}

export async function flowsInScope(database: Database, filter: Pick<PatchRunFilter, 'flows' | 'namespace'>): Promise<FlowRef[]> {
  const ns = filter.namespace;
  const rows = await database.rows<{ namespace: string; flowId: string; revision: number }>(sql`
    select namespace, flow_id as "flowId", max(revision)::int as revision from flow_revisions
    ${ns ? sql`where namespace = ${ns} or starts_with(namespace, ${`${ns}.`})` : sql``}
    group by namespace, flow_id order by namespace, flow_id`);
  return rows.filter((row) => flowMatches(filter.flows, row)).map((row) => ({ ...row, revision: Number(row.revision) }));
}

interface RunRow {
  id: string;
  namespace: string;
  flowId: string;
  state: string;
  vm: string;
  result: unknown;
  createdBy: string;
  parentExecutionId: string | null;
  createdAt: string | Date;
  endedAt: string | Date | null;
  error: string | null;
  secrets: string[] | null;
}

/** Newest first, `limit` + 1 rows so the caller knows when it cut. */
async function runRows(database: Database, flows: readonly FlowRef[], filter: PatchRunFilter, limit: number): Promise<RunRow[]> {
  const scope = JSON.stringify(flows.map((f) => ({ namespace: f.namespace, flow_id: f.flowId })));
  const since = filter.since.toISOString();
  const until = filter.until.toISOString();
  return database.rows<RunRow>(sql`
    with scope as (select namespace, flow_id from jsonb_to_recordset(${scope}::jsonb) as s(namespace text, flow_id text)),
    picked as (
      select e.* from scope f join executions e on e.namespace = f.namespace and e.flow_id = f.flow_id
        where e.created_at >= ${since}::timestamptz and e.created_at < ${until}::timestamptz
      union all
      select e.* from executions e join scope f on e.namespace = f.namespace and e.flow_id = f.flow_id
        where e.state = 'PAUSED' and e.created_at < ${since}::timestamptz
    )
    select id, namespace, flow_id as "flowId", state, coalesce(nullif(outputs->>'vm', ''), nullif(inputs->>'vm', '')) as vm,
      outputs->'result' as result, created_by as "createdBy", parent_execution_id as "parentExecutionId",
      created_at as "createdAt", ended_at as "endedAt", error, secrets
    from picked where coalesce(nullif(outputs->>'vm', ''), nullif(inputs->>'vm', '')) is not null
    order by created_at desc, id desc limit ${limit + 1}`);
}

interface DetailRow {
  kind: 'approval' | 'restore' | 'snapshot' | 'link';
  executionId: string;
  data: Record<string, unknown>;
}

async function detailRows(database: Database, ids: readonly string[]): Promise<DetailRow[]> {
  if (ids.length === 0) return [];
  return database.rows<DetailRow>(sql`
    select 'approval' as kind, t.execution_id as "executionId", jsonb_build_object(
        'id', a.id, 'state', a.state, 'decidedBy', a.decided_by, 'decidedAt', a.decided_at,
        'votes', coalesce((select jsonb_agg(jsonb_build_object('user', v.user_id, 'decision', v.decision, 'at', v.at) order by v.at)
          from approval_votes v where v.approval_id = a.id), '[]'::jsonb),
        'link', (select m.permalink from chat_messages m where m.approval_id = a.id and m.kind = 'approval'
          and m.permalink is not null order by m.ref limit 1)) as data
      from task_runs t join approvals a on a.task_run_id = t.id where t.execution_id = ${anyId(ids)}
    union all
    select 'restore', t.execution_id, jsonb_build_object('taskId', t.task_id) from task_runs t
      where t.execution_id = ${anyId(ids)} and t.state = 'SUCCESS' and t.type like '%.RestoreVmSnapshot'
    union all
    select 'snapshot', ev.execution_id, jsonb_build_object('asset', ev.asset_id, 'kind', ev.kind)
      from asset_events ev join assets s on s.id = ev.asset_id
      where ev.execution_id = ${anyId(ids)} and ev.kind in ('CREATED', 'DELETED') and lower(s.type) like '%snapshot'
    union all
    select 'link', m.execution_id, jsonb_build_object('link', m.permalink) from chat_messages m
      where m.execution_id = ${anyId(ids)} and m.kind = 'status' and m.ref = '' and m.permalink is not null`);
}

const text = (value: unknown): string | null => (typeof value === 'string' ? value : null);

function toApproval(executionId: string, data: Record<string, unknown>): RunApproval {
  const votes = (Array.isArray(data.votes) ? data.votes : []) as Record<string, unknown>[];
  return {
    id: String(data.id),
    executionId,
    state: String(data.state),
    decidedBy: text(data.decidedBy),
    decidedAt: iso(text(data.decidedAt)),
    votes: votes.map((v): ApprovalVote => ({ user: String(v.user), decision: String(v.decision), at: iso(text(v.at)) ?? '' })),
    link: text(data.link),
  };
}

/** The runs of the window with their details, oldest first; `truncated` when more than `limit` matched. */
export async function readPatchRuns(database: Database, filter: PatchRunFilter, limit = 2000): Promise<{ runs: PatchRun[]; truncated: boolean }> {
  const flows = await flowsInScope(database, filter);
  if (flows.length === 0) return { runs: [], truncated: false };
  const rows = await runRows(database, flows, filter, limit);
  const truncated = rows.length > limit;
  const kept = rows.slice(0, limit).reverse();
  const ids = [...new Set(kept.flatMap((r) => (r.parentExecutionId ? [r.id, r.parentExecutionId] : [r.id])))];
  const approvals = new Map<string, RunApproval[]>();
  const restored = new Set<string>();
  const created = new Map<string, string[]>();
  const deleted = new Map<string, string[]>();
  const links = new Map<string, string>();
  const push = (map: Map<string, string[]>, key: string, value: string) => map.set(key, [...(map.get(key) ?? []), value]);
  for (const detail of await detailRows(database, ids)) {
    const { executionId, data } = detail;
    if (detail.kind === 'approval') approvals.set(executionId, [...(approvals.get(executionId) ?? []), toApproval(executionId, data)]);
    else if (detail.kind === 'restore') restored.add(executionId);
    else if (detail.kind === 'snapshot') push(data.kind === 'DELETED' ? deleted : created, executionId, String(data.asset));
    else if (typeof data.link === 'string') links.set(executionId, data.link);
  }
  const runs = kept.map((row): PatchRun => {
    const parent = row.parentExecutionId;
    return {
      executionId: row.id,
      namespace: row.namespace,
      flowId: row.flowId,
      state: row.state,
      vm: String(maskDeep(row.vm, row.secrets ?? [])),
      result: maskDeep(row.result, row.secrets ?? []),
      createdBy: row.createdBy,
      parentExecutionId: parent,
      createdAt: iso(row.createdAt) as string,
      endedAt: iso(row.endedAt),
      error: row.error === null ? null : String(maskDeep(row.error, row.secrets ?? [])),
      approvals: [...(approvals.get(row.id) ?? []), ...(parent ? (approvals.get(parent) ?? []) : [])],
      restored: restored.has(row.id),
      recoveryPoints: { created: created.get(row.id) ?? [], deleted: deleted.get(row.id) ?? [] },
      link: links.get(row.id) ?? (parent ? (links.get(parent) ?? null) : null),
    };
  });
  return { runs, truncated };
}

/** The trigger an execution started with (null for manual runs or unknown ids). */
export async function executionTrigger(database: Database, executionId: string): Promise<Record<string, unknown> | null> {
  const [row] = await database.rows<{ trigger: Record<string, unknown> | null }>(sql`select trigger from executions where id = ${executionId}`);
  return row?.trigger ?? null;
}
