import { sql } from 'drizzle-orm';
import {
  bigserial,
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';

/**
 * The one schema of Patchbay (PostgreSQL and PGlite alike). Migrations are generated from it
 * by drizzle-kit into drizzle/ and applied at start-up; never edit an applied migration.
 *
 * The database is the only shared state between replicas: executions, task runs, timers,
 * approvals and the KV store all live here, and every state change is one short transaction.
 */
const at = (name: string) => timestamp(name, { withTimezone: true, mode: 'string' });

/** Every revision of every flow, as its YAML source; an execution pins the revision it started with. */
export const flowRevisions = pgTable(
  'flow_revisions',
  {
    namespace: text('namespace').notNull(),
    flowId: text('flow_id').notNull(),
    revision: integer('revision').notNull(),
    source: text('source').notNull(),
    /** sha256 of the source: loading the same text again does not make a new revision. */
    checksum: text('checksum').notNull(),
    createdAt: at('created_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.namespace, t.flowId, t.revision] })],
);

export const executions = pgTable(
  'executions',
  {
    id: text('id').primaryKey(),
    namespace: text('namespace').notNull(),
    flowId: text('flow_id').notNull(),
    revision: integer('revision').notNull(),
    state: text('state').notNull(),
    inputs: jsonb('inputs').$type<Record<string, unknown>>().notNull(),
    labels: jsonb('labels').$type<Record<string, string>>().notNull(),
    outputs: jsonb('outputs').$type<Record<string, unknown>>(),
    createdBy: text('created_by').notNull(),
    parentExecutionId: text('parent_execution_id'),
    parentTaskRunId: text('parent_task_run_id'),
    trigger: jsonb('trigger').$type<Record<string, unknown>>(),
    killRequested: boolean('kill_requested').notNull().default(false),
    error: text('error'),
    /**
     * Bumped by every change of the execution or its task runs made under its row lock: a
     * replica whose cached snapshot carries the same version need not read the task runs again.
     */
    version: integer('version').notNull().default(0),
    /** Secret values revealed while rendering this execution: masked wherever it is shown. */
    secrets: jsonb('secrets').$type<string[]>().notNull().default(sql`'[]'::jsonb`),
    createdAt: at('created_at').notNull().defaultNow(),
    updatedAt: at('updated_at').notNull().defaultNow(),
    endedAt: at('ended_at'),
  },
  (t) => [
    index('executions_state_idx').on(t.state),
    index('executions_flow_idx').on(t.namespace, t.flowId, t.createdAt),
    index('executions_parent_idx').on(t.parentExecutionId),
    // "My recent executions" (App Home, /flow approvals): by requester, newest first.
    index('executions_created_by_idx').on(t.createdBy, t.createdAt),
  ],
);

export const taskRuns = pgTable(
  'task_runs',
  {
    id: text('id').primaryKey(),
    executionId: text('execution_id')
      .notNull()
      .references(() => executions.id, { onDelete: 'cascade' }),
    taskId: text('task_id').notNull(),
    /** The task's type, so a worker knows whether it is runnable and safe to repeat without the flow. */
    type: text('type').notNull(),
    runnable: boolean('runnable').notNull(),
    parentTaskRunId: text('parent_task_run_id'),
    branch: text('branch').notNull(),
    value: text('value'),
    position: integer('position').notNull(),
    state: text('state').notNull(),
    attempts: jsonb('attempts').$type<unknown[]>().notNull().default(sql`'[]'::jsonb`),
    outputs: jsonb('outputs').$type<Record<string, unknown>>(),
    error: text('error'),
    flowable: jsonb('flowable').$type<Record<string, unknown>>(),
    /** Worker lease: who runs it and until when; an expired lease means the worker died. */
    leaseOwner: text('lease_owner'),
    leaseExpiresAt: at('lease_expires_at'),
    cancelRequested: boolean('cancel_requested').notNull().default(false),
    createdAt: at('created_at').notNull().defaultNow(),
    startedAt: at('started_at'),
    endedAt: at('ended_at'),
  },
  (t) => [
    index('task_runs_execution_idx').on(t.executionId),
    // Workers look for runnable work in CREATED; keep that lookup on a small partial index.
    index('task_runs_claimable_idx').on(t.createdAt).where(sql`state = 'CREATED' AND runnable`),
    index('task_runs_lease_idx').on(t.leaseExpiresAt).where(sql`state = 'RUNNING' AND runnable`),
  ],
);

export const logs = pgTable(
  'logs',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    executionId: text('execution_id')
      .notNull()
      .references(() => executions.id, { onDelete: 'cascade' }),
    taskRunId: text('task_run_id'),
    taskId: text('task_id'),
    attempt: integer('attempt'),
    level: text('level').notNull(),
    message: text('message').notNull(),
    at: at('at').notNull().defaultNow(),
  },
  (t) => [index('logs_execution_idx').on(t.executionId, t.id)],
);

/** Timers are rows with a due time, so they survive the process that armed them. */
export const timers = pgTable(
  'timers',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    executionId: text('execution_id')
      .notNull()
      .references(() => executions.id, { onDelete: 'cascade' }),
    taskRunId: text('task_run_id').notNull(),
    kind: text('kind').notNull(),
    dueAt: at('due_at').notNull(),
    createdAt: at('created_at').notNull().defaultNow(),
  },
  (t) => [index('timers_due_idx').on(t.dueAt), index('timers_task_run_idx').on(t.taskRunId)],
);

export const approvals = pgTable('approvals', {
  id: text('id').primaryKey(),
  executionId: text('execution_id')
    .notNull()
    .references(() => executions.id, { onDelete: 'cascade' }),
  taskRunId: text('task_run_id').notNull().unique(),
  state: text('state').notNull(),
  users: jsonb('users').$type<string[]>().notNull(),
  groups: jsonb('groups').$type<string[]>().notNull(),
  minApprovals: integer('min_approvals').notNull(),
  allowSelfApproval: boolean('allow_self_approval').notNull(),
  requestedBy: text('requested_by').notNull(),
  description: text('description'),
  expiresAt: at('expires_at'),
  createdAt: at('created_at').notNull().defaultNow(),
  decidedAt: at('decided_at'),
  decidedBy: text('decided_by'),
  reason: text('reason'),
});

/** One vote per person and approval: the primary key makes quorums count distinct people. */
export const approvalVotes = pgTable(
  'approval_votes',
  {
    approvalId: text('approval_id')
      .notNull()
      .references(() => approvals.id, { onDelete: 'cascade' }),
    userId: text('user_id').notNull(),
    decision: text('decision').notNull(),
    reason: text('reason'),
    at: at('at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.approvalId, t.userId] })],
);

export const kv = pgTable(
  'kv',
  {
    namespace: text('namespace').notNull(),
    key: text('key').notNull(),
    value: jsonb('value').notNull(),
    expiresAt: at('expires_at'),
    updatedAt: at('updated_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.namespace, t.key] })],
);

export const auditLog = pgTable(
  'audit_log',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    at: at('at').notNull().defaultNow(),
    actor: text('actor').notNull(),
    action: text('action').notNull(),
    subjectType: text('subject_type').notNull(),
    subjectId: text('subject_id').notNull(),
    details: jsonb('details').$type<Record<string, unknown>>().notNull(),
  },
  (t) => [index('audit_subject_idx').on(t.subjectType, t.subjectId)],
);

/**
 * Asset inventory (Kestra's assets): one row per id, created or touched by tasks that declare
 * `assets`, by the asset tasks, or as EXTERNAL when first used as an input. Deleting marks
 * `deleted_at`; the row, its edges and its events stay, so history outlives the thing itself.
 * `created_by` / `updated_by` hold the AssetOrigin (execution, flow, task, actor) of the first
 * and the last change.
 */
export const assets = pgTable(
  'assets',
  {
    id: text('id').primaryKey(),
    namespace: text('namespace'),
    type: text('type').notNull(),
    displayName: text('display_name'),
    description: text('description'),
    metadata: jsonb('metadata').$type<Record<string, unknown>>().notNull().default(sql`'{}'::jsonb`),
    createdAt: at('created_at').notNull().defaultNow(),
    updatedAt: at('updated_at').notNull().defaultNow(),
    createdBy: jsonb('created_by').$type<Record<string, unknown>>(),
    updatedBy: jsonb('updated_by').$type<Record<string, unknown>>(),
    deletedAt: at('deleted_at'),
  },
  (t) => [
    // `list type=…` and `assets(type=…)` page through one type in id order (keyset pagination).
    index('assets_type_idx').on(t.type, t.id),
    index('assets_namespace_idx').on(t.namespace, t.id),
    // `metadata @> {…}` filters (assets(metadata=…), list key=value) on a million rows.
    index('assets_metadata_idx').using('gin', t.metadata.op('jsonb_path_ops')),
  ],
);

/**
 * Lineage: `upstream_id` → `downstream_id` ("the certificate depends on the VM"). The primary
 * key serves downstream walks (by upstream), the second index upstream walks (by downstream);
 * both cover the walk so it reads indexes only.
 */
export const assetEdges = pgTable(
  'asset_edges',
  {
    upstreamId: text('upstream_id')
      .notNull()
      .references(() => assets.id),
    downstreamId: text('downstream_id')
      .notNull()
      .references(() => assets.id),
    createdAt: at('created_at').notNull().defaultNow(),
    createdBy: jsonb('created_by').$type<Record<string, unknown>>(),
  },
  (t) => [primaryKey({ columns: [t.upstreamId, t.downstreamId] }), index('asset_edges_downstream_idx').on(t.downstreamId, t.upstreamId)],
);

/** Audit history of each asset: CREATED, UPDATED (with the metadata diff), USED, DELETED. */
export const assetEvents = pgTable(
  'asset_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    assetId: text('asset_id')
      .notNull()
      .references(() => assets.id),
    kind: text('kind').notNull(),
    at: at('at').notNull().defaultNow(),
    actor: text('actor').notNull(),
    executionId: text('execution_id'),
    namespace: text('namespace'),
    flowId: text('flow_id'),
    taskId: text('task_id'),
    taskRunId: text('task_run_id'),
    details: jsonb('details').$type<Record<string, unknown>>().notNull().default(sql`'{}'::jsonb`),
  },
  (t) => [
    index('asset_events_asset_idx').on(t.assetId, t.id),
    // An execution's status message lists the assets it created, updated and used.
    index('asset_events_execution_idx').on(t.executionId),
    // A task run uses an asset once: recording the same run twice (a redelivered completion)
    // adds no second USED event. Repeated changes are recognised by record.ts itself.
    uniqueIndex('asset_events_used_once_idx').on(t.assetId, t.taskRunId).where(sql`kind = 'USED' and task_run_id is not null`),
  ],
);

/**
 * Slack requests already taken in (src/slack/dedupe.ts): a Slack retry, a replay inside the
 * signature window or a Socket Mode redelivery inserts the same fingerprint again and is
 * ignored, whichever replica it reaches. Rows past `expires_at` are reused or purged.
 */
export const slackRequests = pgTable(
  'slack_requests',
  {
    fingerprint: text('fingerprint').primaryKey(),
    expiresAt: at('expires_at').notNull(),
  },
  (t) => [index('slack_requests_expires_idx').on(t.expiresAt)],
);

/**
 * Chat messages Patchbay posted about an execution: the live status message (`status`), its
 * failure reply (`failure`), approval requests in the thread and in DMs (`approval`, one row
 * per copy, `ref` = `<approvalId>:thread` or `<approvalId>:dm:<user>`), reminders (`reminder`,
 * `ref` = the timer id). The row is written before the post: the primary key lets exactly one
 * replica post each message (a claim left without `ts` for too long may be taken over), and
 * `next_update_at` is the compare-and-set that spaces edits of one message across replicas.
 */
export const chatMessages = pgTable(
  'chat_messages',
  {
    executionId: text('execution_id')
      .notNull()
      .references(() => executions.id, { onDelete: 'cascade' }),
    kind: text('kind').notNull(),
    ref: text('ref').notNull().default(''),
    approvalId: text('approval_id'),
    /** Null until posted; the channel id Slack answered with (a DM's D… id for DMs). */
    channel: text('channel'),
    ts: text('ts'),
    threadTs: text('thread_ts'),
    permalink: text('permalink'),
    /** Hash of the content last sent: an edit that changes nothing is not sent. */
    contentHash: text('content_hash'),
    /** What the content was rendered from (execution version, approval state and votes): the poll skips unchanged ones. */
    sourceVersion: text('source_version'),
    /** No edit before this time: coalescing (≥ 1 s apart) and, while an edit is in flight, its lease. */
    nextUpdateAt: at('next_update_at').notNull().defaultNow(),
    /** The final content was sent (execution ended, approval decided): nothing more to edit. */
    done: boolean('done').notNull().default(false),
    updates: integer('updates').notNull().default(0),
    failures: integer('failures').notNull().default(0),
    lastError: text('last_error'),
    claimedBy: text('claimed_by').notNull(),
    claimedAt: at('claimed_at').notNull().defaultNow(),
    postedAt: at('posted_at'),
  },
  (t) => [
    primaryKey({ columns: [t.executionId, t.kind, t.ref] }),
    // The notifier's one-second poll looks only at messages still being edited.
    index('chat_messages_open_idx').on(t.kind).where(sql`not done`),
    index('chat_messages_approval_idx').on(t.approvalId),
  ],
);

/**
 * Where each Schedule trigger stands (src/scheduler): the last fire started and the next one
 * due, for the trigger as its flow's current revision defines it. `fingerprint` is the
 * trigger's timing (cron, seconds, zone): when it changes, the recorded last fire no longer
 * counts for missed-fire recovery.
 */
export const triggerState = pgTable(
  'trigger_state',
  {
    namespace: text('namespace').notNull(),
    flowId: text('flow_id').notNull(),
    triggerId: text('trigger_id').notNull(),
    revision: integer('revision').notNull(),
    fingerprint: text('fingerprint').notNull(),
    lastFire: at('last_fire'),
    nextFire: at('next_fire'),
    /** Set when `stopAfter` disabled the trigger: why (which execution ended in which state). */
    stoppedReason: text('stopped_reason'),
    updatedAt: at('updated_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.namespace, t.flowId, t.triggerId] })],
);

/**
 * One row per fire time of a Schedule trigger, inserted in the transaction that creates its
 * execution: the primary key is what makes a fire start one execution across every replica
 * (the first insert wins; the others find the row). Backfills and recovered fires too.
 */
export const triggerFires = pgTable(
  'trigger_fires',
  {
    namespace: text('namespace').notNull(),
    flowId: text('flow_id').notNull(),
    triggerId: text('trigger_id').notNull(),
    fireTime: at('fire_time').notNull(),
    /** Null when the fire was skipped (late beyond lateMaximumDelay). */
    executionId: text('execution_id'),
    /** schedule | recovery | backfill */
    source: text('source').notNull(),
    createdAt: at('created_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.namespace, t.flowId, t.triggerId, t.fireTime] })],
);
