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
