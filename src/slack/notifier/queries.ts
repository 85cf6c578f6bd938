import { type SQL, sql } from 'drizzle-orm';
import type { Database, Drizzle } from '../../db/database.js';
import { iso } from '../../engine/store/rows.js';

/**
 * What the notifier reads besides the execution view: where an execution's messages go, and
 * what the polls look for. The polls compare what a message was last rendered from
 * (`source_version`) with the source now, so an idle replica reads rows, not executions.
 */
export interface ExecutionRow {
  id: string;
  namespace: string;
  flowId: string;
  revision: number;
  state: string;
  version: number;
  trigger: Record<string, unknown> | null;
  labels: Record<string, string>;
  parentExecutionId: string | null;
}

/** The flow label naming the channel of runs not started from Slack (schedules, the CLI). */
export const CHANNEL_LABEL = 'slack-channel';

export const TERMINAL_STATES = ['SUCCESS', 'WARNING', 'FAILED', 'KILLED'];
const LIVE_STATES = ['CREATED', 'RUNNING', 'PAUSED', 'KILLING'];

const list = (values: readonly string[]): SQL => sql`(${sql.join(values.map((value) => sql`${value}`), sql`, `)})`;

/** SQL twin of statusChannel: top-level executions started from Slack or labelled with a channel. */
const HAS_STATUS_CHANNEL = sql`e.parent_execution_id is null and (e.labels->>${CHANNEL_LABEL} is not null
  or (e.trigger->>'type' = 'chat' and e.trigger->>'surface' = 'slack' and e.trigger->>'channel' is not null))`;

export async function executionRow(database: Database, id: string): Promise<ExecutionRow | undefined> {
  const [row] = await database.rows<ExecutionRow>(sql`select id, namespace, flow_id as "flowId", revision, state, version, trigger, labels,
    parent_execution_id as "parentExecutionId" from executions where id = ${id}`);
  return row;
}

/** Where the status message goes: the Slack channel the run was started in, else the flow's label. */
export function statusChannel(row: ExecutionRow): string | undefined {
  if (row.parentExecutionId) return undefined; // a subflow shows in its parent's message and thread
  const trigger = row.trigger ?? {};
  if (trigger.type === 'chat' && trigger.surface === 'slack' && typeof trigger.channel === 'string' && trigger.channel) return trigger.channel;
  const label = row.labels?.[CHANNEL_LABEL];
  return label ? label : undefined;
}

export const versionOfExecution = (row: Pick<ExecutionRow, 'version'>): string => `v${row.version}`;
export const versionOfApproval = (state: string, votes: number): string => `${state}:${votes}`;

export interface StatusThread {
  executionId: string;
  channel: string;
  ts: string;
  permalink: string | null;
}

/**
 * The status message of an execution or, for a subflow, of its nearest ancestor that has one:
 * its approvals and reminders go in that thread. Pass `tx` inside a transaction (PGlite has
 * one connection).
 */
export async function statusThread(database: Database, executionId: string, tx?: Drizzle): Promise<StatusThread | undefined> {
  const [row] = await database.rows<StatusThread>(sql`with recursive chain(id, parent, depth) as (
      select id, parent_execution_id, 0 from executions where id = ${executionId}
      union all select e.id, e.parent_execution_id, c.depth + 1 from executions e join chain c on e.id = c.parent where c.depth < 32)
    select m.execution_id as "executionId", m.channel, m.ts, m.permalink from chain c
    join chat_messages m on m.execution_id = c.id and m.kind = 'status' and m.ref = '' and m.ts is not null
    order by c.depth limit 1`, tx);
  return row;
}

/**
 * `appLink()` for an execution: its status message's permalink (or its parent's), once posted.
 * Synchronous render scopes load it beforehand (see the notifier README in index.ts).
 */
export async function statusPermalink(database: Database, executionId: string, tx?: Drizzle): Promise<string | undefined> {
  return (await statusThread(database, executionId, tx))?.permalink ?? undefined;
}

/** Status messages whose execution changed since they were last rendered (the one-second poll). */
export async function changedStatusMessages(database: Database): Promise<string[]> {
  const rows = await database.rows<{ id: string }>(sql`select m.execution_id as id from chat_messages m
    join executions e on e.id = m.execution_id
    where m.kind = 'status' and not m.done and m.ts is not null and m.source_version is distinct from 'v' || e.version`);
  return rows.map((row) => row.id);
}

/** Approvals whose posted copies show an older state or vote count (the one-second poll). */
export async function changedApprovals(database: Database): Promise<string[]> {
  const rows = await database.rows<{ id: string }>(sql`select distinct m.approval_id as id from chat_messages m
    join approvals a on a.id = m.approval_id
    where m.kind = 'approval' and not m.done and m.ts is not null
      and m.source_version is distinct from a.state || ':' || (select count(*) from approval_votes v where v.approval_id = a.id)`);
  return rows.map((row) => row.id);
}

/**
 * Executions that should have a status message and have none (a NOTIFY missed while this
 * replica was away, or a post to retry). Live ones always; ended ones within `endedWithinMs`.
 */
export async function executionsWithoutStatus(database: Database, endedWithinMs = 0, limit = 100): Promise<string[]> {
  const ended = endedWithinMs > 0
    ? sql`or (e.state in ${list(TERMINAL_STATES)} and e.ended_at > clock_timestamp() - ${endedWithinMs}::float8 * interval '1 millisecond')`
    : sql``;
  const rows = await database.rows<{ id: string }>(sql`select e.id from executions e
    where (e.state in ${list(LIVE_STATES)} ${ended}) and ${HAS_STATUS_CHANNEL}
      and not exists (select 1 from chat_messages m where m.execution_id = e.id and m.kind = 'status' and (m.ts is not null or m.done))
    order by e.created_at limit ${limit}`);
  return rows.map((row) => row.id);
}

/** Approvals waiting for people: their copies are posted (or retried) by the safety poll. */
export async function pendingApprovals(database: Database, limit = 200): Promise<string[]> {
  const rows = await database.rows<{ id: string }>(sql`select id from approvals where state = 'PENDING' order by created_at limit ${limit}`);
  return rows.map((row) => row.id);
}

/** An execution's approvals that may need a post or an edit: pending, or with copies still showing buttons. */
export async function approvalsOf(database: Database, executionId: string): Promise<string[]> {
  const rows = await database.rows<{ id: string }>(sql`select a.id from approvals a where a.execution_id = ${executionId}
    and (a.state = 'PENDING' or exists (select 1 from chat_messages m where m.approval_id = a.id and m.kind = 'approval' and not m.done))
    order by a.created_at`);
  return rows.map((row) => row.id);
}

/** Normalises a timestamp column for the Block Kit builders (they parse ISO strings). */
export const isoOrNull = (value: string | null | undefined): string | null => iso(value ?? null);
