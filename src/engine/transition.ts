import type { TaskIntegrations } from '../tasks/integrations.js';
import { type SQL, sql } from 'drizzle-orm';
import { type Database, type Drizzle, notify } from '../db/database.js';
import { ErrorCode, PatchbayError } from '../errors.js';
import { renderTyped } from '../expr/render.js';
import { newId } from '../ids.js';
import type { SecretLookup } from '../secrets.js';
import type { FlowStore, StoredFlow } from './flow-store.js';
import type { LogRow } from './logs.js';
import { recordTaskAssets } from '../assets/record.js';
import type { DeclaredAssets, TaskAssetOrigin } from '../assets/types.js';
import { type ExecutionSnapshot, type PlanAction, isTerminalExecution } from './model.js';
import { applyActions, planUntilStable } from './planner/index.js';
import { buildRenderScope, renderWithAssets } from './render-scope.js';
import { maskDeep } from './masking.js';
import { type ClaimBudget, type Persisted, TransitionWrites } from './store/persist.js';
import { type Loaded, loadSnapshots } from './store/snapshots.js';
import type { SnapshotCache } from './snapshot-cache.js';

/**
 * A state change of an execution, as one short transaction: lock the execution row, read its
 * task runs, apply the event (a worker's result, a timer, a person's decision, a kill), let
 * the planner run to a fixpoint, write the difference, NOTIFY. Holding the row lock
 * serialises every change of an execution across replicas; the planner never sees a
 * half-applied state. A worker's completions travel in batches (`transitionMany`).
 */
export interface EngineContext {
  database: Database;
  flows: FlowStore;
  secrets: SecretLookup;
  clock: () => Date;
  /** Task runs of executions this process changed last (absent: always read). */
  snapshots?: SnapshotCache;
  /** `appLink()`: where people follow an execution (set by the chat surface; absent: null). */
  appLinks?: (executionId: string, tx?: Drizzle) => Promise<string | undefined>;
  /** Systems tasks reach through the server's configuration (Nutanix defaults, chat posting). */
  integrations?: TaskIntegrations;
}

export const Channels = {
  work: 'patchbay_work',
  timer: 'patchbay_timer',
  cancel: 'patchbay_cancel',
  execution: 'patchbay_execution',
  reminder: 'patchbay_reminder',
  /** Task runs changed but the execution's state did not (payload: execution ids, comma-separated). */
  progress: 'patchbay_progress',
} as const;

/**
 * Applies an event to a working copy of the locked snapshot: it may change records in place
 * and/or return actions. Returning null means "nothing to do" (a lost race): nothing is written.
 */
export type EventFn = (working: ExecutionSnapshot, tx: Drizzle, locked: LockedState) => Promise<PlanAction[] | null> | PlanAction[] | null;

/** What the locked read knows beyond the planner's records: who holds each task run's lease. */
export interface LockedState {
  leaseOwners: ReadonlyMap<string, string | null>;
  /** Log lines the event adds (an attempt's last lines); written with the transition. */
  logs: LogRow[];
  /** Assets a successful attempt declared; recorded in the transition's transaction. */
  assets: { origin: TaskAssetOrigin; declared: DeclaredAssets }[];
}

export interface TransitionOutcome {
  applied: boolean;
  snapshot: ExecutionSnapshot;
  persisted: Persisted | null;
}

export interface TransitionRequest {
  executionId: string;
  event: EventFn;
}

export interface BatchOptions {
  /** Lets the calling worker take runnable runs the batch creates (see ClaimBudget). */
  claim?: ClaimBudget;
  leaseMs?: number;
}

/** Each execution's outcome, and the flow it runs (for a worker about to run a claimed task). */
export type BatchOutcome = Map<string, TransitionOutcome & { flow?: StoredFlow }>;

/** One execution, read outside any transition (a worker about to run a claimed task). */
export async function loadSnapshot(database: Database, executionId: string, now: Date, cache?: SnapshotCache): Promise<Loaded> {
  const reader = { send: <T>(query: SQL) => database.rows<T>(query) };
  const snapshot = (await loadSnapshots(reader, [executionId], now, { lock: false, cache })).get(executionId);
  if (!snapshot) throw new PatchbayError(ErrorCode.NOT_FOUND, `no execution ${executionId}`);
  return snapshot;
}

export async function transition(engine: EngineContext, executionId: string, event: EventFn): Promise<TransitionOutcome> {
  const outcome = (await transitionMany(engine, [{ executionId, event }])).get(executionId);
  if (!outcome) throw new PatchbayError(ErrorCode.NOT_FOUND, `no execution ${executionId}`);
  return outcome;
}

/**
 * Several transitions in one transaction (a worker's completed attempts, gathered while the
 * previous batch committed): one locked read, one plan per execution, one set of writes, one
 * NOTIFY. Events of the same execution apply in order. Executions that do not exist are
 * left out of the outcome.
 */
export async function transitionMany(engine: EngineContext, requests: readonly TransitionRequest[], options: BatchOptions = {}): Promise<BatchOutcome> {
  const cache = engine.snapshots;
  const versions = new Map<string, { version: number; leaseOwners: Map<string, string | null>; snapshot: ExecutionSnapshot }>();
  const outcomes = await engine.database.pipelined(async (p) => {
    const tx = p.tx;
    const now = engine.clock();
    const loaded = await loadSnapshots(p, requests.map((request) => request.executionId), now, { lock: true, cache });
    const writes = new TransitionWrites();
    const outcomes: BatchOutcome = new Map();
    const notices: [string, string][] = [];
    const secretUpdates: SQL[] = [];
    const assets: LockedState['assets'] = [];
    let newWork = false;
    let earliestTimer: string | null = null;
    const cancelled: string[] = [];
    const progressed: string[] = [];
    for (const [executionId, { leaseOwners, version, ...before }] of loaded) {
      const working = structuredClone(before);
      const locked: LockedState = { leaseOwners, logs: writes.logs, assets };
      let events: PlanAction[] | null = null;
      for (const request of requests) {
        if (request.executionId !== executionId) continue;
        const actions = await request.event(working, tx, locked);
        if (actions !== null) events = [...(events ?? []), ...actions];
      }
      if (events === null) {
        outcomes.set(executionId, { applied: false, snapshot: before, persisted: null });
        versions.set(executionId, { version, leaseOwners, snapshot: before });
        continue;
      }
      const stored = await engine.flows.get(before.execution.namespace, before.execution.flowId, before.execution.revision, tx);
      const scope = await buildRenderScope({
        database: engine.database,
        tx,
        namespace: before.execution.namespace,
        flowSource: stored.source,
        secrets: engine.secrets,
        now,
        executionId,
        appLinks: engine.appLinks,
      });
      const deps = { render: (template: string, context: Record<string, unknown>) => renderTyped(template, context, scope), newId };
      const afterEvent = applyActions(working, events);
      // Planning is pure, so it may run again once the assets() lookups it made are fetched.
      const planned = isTerminalExecution(afterEvent.execution.state)
        ? { snapshot: afterEvent, actions: [] as PlanAction[] }
        : await renderWithAssets(scope, () => planUntilStable(stored.flow, afterEvent, deps));
      const after = planned.snapshot;
      if (after.execution.outputs && scope.revealedSecrets.size > 0) {
        after.execution.outputs = maskDeep(after.execution.outputs, scope.revealedSecrets) as Record<string, unknown>;
      }
      const state = { leaseOwners: new Map(leaseOwners), version: version + 1 };
      const persisted = writes.collect(stored.flow, before, after, [...events, ...planned.actions], state, options.claim);
      versions.set(executionId, { ...state, snapshot: after });
      const revealed = scope.revealedSecrets;
      if (revealed.size > 0) secretUpdates.push(rememberSecrets(executionId, revealed));
      newWork ||= persisted.newWork;
      if (persisted.earliestTimer && (!earliestTimer || persisted.earliestTimer < earliestTimer)) earliestTimer = persisted.earliestTimer;
      cancelled.push(...persisted.cancelled);
      if (persisted.ended || after.execution.state !== before.execution.state) notices.push([Channels.execution, `${executionId}:${after.execution.state}`]);
      else progressed.push(executionId);
      outcomes.set(executionId, { applied: true, snapshot: after, persisted, flow: stored });
    }
    if (newWork) notices.push([Channels.work, '']);
    // Task-level progress for live status messages: one notice per batch (ids are 22 characters, a batch at most 64).
    if (progressed.length > 0) notices.push([Channels.progress, progressed.join(',')]);
    if (earliestTimer) notices.push([Channels.timer, earliestTimer]);
    if (cancelled.length > 0) notices.push([Channels.cancel, cancelled.join(',')]);
    // Only tasks that declare assets pay these round trips (reads before the upsert).
    for (const { origin, declared } of assets) await recordTaskAssets(tx, origin, declared);
    // Writes, NOTIFY and COMMIT travel together; the NOTIFY is delivered only if the transaction commits.
    writes.send(p, options.leaseMs ?? 30_000);
    for (const statement of secretUpdates) void p.send(statement);
    if (notices.length > 0) void p.send(notify(notices));
    await p.commit();
    return outcomes;
  });
  // Committed: what this transaction wrote is the newest state of these executions.
  for (const [executionId, entry] of versions) {
    if (isTerminalExecution(entry.snapshot.execution.state)) cache?.delete(executionId);
    else cache?.set(executionId, { version: entry.version, taskRuns: entry.snapshot.taskRuns, leaseOwners: entry.leaseOwners });
  }
  return outcomes;
}

/** Secret values revealed while rendering are remembered on the execution, to mask them wherever it is shown. */
function rememberSecrets(executionId: string, revealed: ReadonlySet<string>): SQL {
  return sql`update executions set secrets = (
    select coalesce(jsonb_agg(distinct value), '[]'::jsonb) from jsonb_array_elements_text(secrets || ${JSON.stringify([...revealed])}::jsonb) as value
  ) where id = ${executionId}`;
}
