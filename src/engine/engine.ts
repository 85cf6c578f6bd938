import { and, eq, sql } from 'drizzle-orm';
import { type Drizzle, notify } from '../db/database.js';
import { executions } from '../db/schema.js';
import { ErrorCode, PatchbayError } from '../errors.js';
import { createScope, renderString, renderTyped } from '../expr/render.js';
import type { Flow } from '../flow/model.js';
import { inputErrorsToPatchbayError, resolveInputs } from '../flow/inputs.js';
import { newId } from '../ids.js';
import { type Admission, admissionRule, admit, admitQueued } from './concurrency.js';
import { killRequested } from './events.js';
import { type ExecutionState, isTerminalExecution } from './model.js';
import {
  Channels,
  type BatchOptions,
  type BatchOutcome,
  type EngineContext,
  type EventFn,
  type TransitionOutcome,
  type TransitionRequest,
  transition,
  transitionMany,
} from './transition.js';

/**
 * The engine's one entry point for changes: `apply` runs a transition, then the follow-ups
 * that concern other executions (start a subflow's child, kill children, tell a parent its
 * child ended). Those run after commit, in their own transactions, so locks are only ever
 * taken one execution at a time; the worker's safety sweep repairs a follow-up lost to a crash.
 */
export class Engine {
  constructor(readonly context: EngineContext) {}

  async apply(executionId: string, event: EventFn): Promise<TransitionOutcome> {
    const outcome = await transition(this.context, executionId, event);
    await this.followUp(executionId, outcome);
    return outcome;
  }

  /** Several transitions in one transaction (a worker's completions), then each one's follow-ups. */
  async applyMany(requests: readonly TransitionRequest[], options: BatchOptions, onFollowUpError: (error: unknown) => void): Promise<BatchOutcome> {
    const outcomes = await transitionMany(this.context, requests, options);
    for (const [executionId, outcome] of outcomes) {
      // The batch is committed: a follow-up that fails is reported (the sweep repairs it), not thrown.
      await this.followUp(executionId, outcome).catch(onFollowUpError);
    }
    return outcomes;
  }

  private async followUp(executionId: string, outcome: TransitionOutcome): Promise<void> {
    const persisted = outcome.persisted;
    if (!persisted) return;
    for (const child of persisted.startedSubflows) await this.startChild(child);
    // The kill request is already written (durably, in the parent's transaction): plan the child.
    for (const child of persisted.killed) await this.apply(child, () => []);
    if (persisted.ended) {
      await this.notifyParent(executionId);
      if (await this.mayHoldQueue(outcome)) await this.releaseQueued(outcome.snapshot.execution.namespace, outcome.snapshot.execution.flowId);
    }
  }

  /** Creates and plans a top-level execution. Input problems are thrown before anything is written. */
  async createExecution(options: NewExecution): Promise<string> {
    const values = await this.resolve(options.flow, options.inputs);
    const created = await this.context.database.db.transaction((tx) => this.insertExecution(tx, { ...options, inputs: values }));
    await this.begin(created);
    return created.id;
  }

  /**
   * Writes a top-level execution inside the caller's transaction (a schedule's fire row and
   * its execution commit together), inputs already resolved (`resolve`). The flow's
   * concurrency decides its first state. Call `begin` once the transaction committed.
   */
  async insertExecution(tx: Drizzle, options: NewExecution): Promise<CreatedExecution> {
    const id = options.id ?? newId();
    const now = this.context.clock().toISOString();
    const rule = admissionRule(options.flow, { createdBy: options.createdBy, trigger: options.trigger ?? null });
    const admission: Admission = options.failed
      ? { state: 'FAILED', error: options.failed }
      : await admit(this.context.database, tx, options.flow, rule);
    const refused = admission.state === 'CANCELLED' || admission.state === 'FAILED';
    await tx.insert(executions).values({
      id,
      namespace: options.flow.namespace,
      flowId: options.flow.id,
      revision: options.revision,
      state: admission.state,
      inputs: options.inputs,
      labels: { ...options.flow.labels, ...options.labels },
      createdBy: options.createdBy,
      trigger: options.trigger ?? null,
      error: 'error' in admission ? admission.error : null,
      createdAt: now,
      updatedAt: now,
      endedAt: refused ? now : null,
    });
    if (admission.state !== 'CREATED') await tx.execute(notify([[Channels.execution, `${id}:${admission.state}`]]));
    return { id, state: admission.state };
  }

  /** Plans an execution `insertExecution` created, once committed (queued and refused ones wait or are done). */
  async begin(created: CreatedExecution): Promise<void> {
    if (created.state === 'CREATED') await this.apply(created.id, () => []);
  }

  /**
   * Only a flow with `concurrency`, or a scheduled run, can have others queued behind it: every
   * other execution ends without the extra query (the sweep still releases what a lost
   * follow-up left, e.g. a queue of a newer revision that added `concurrency`).
   */
  private async mayHoldQueue(outcome: TransitionOutcome): Promise<boolean> {
    const { namespace, flowId, revision, trigger } = outcome.snapshot.execution;
    if (trigger?.type === 'schedule') return true;
    const stored = await this.context.flows.get(namespace, flowId, revision).catch(() => undefined);
    return stored?.flow.concurrency !== undefined;
  }

  /** Admits queued executions of the flow into the slots that are free now, and plans them. */
  async releaseQueued(namespace: string, flowId: string): Promise<void> {
    const database = this.context.database;
    const [waiting] = await database.db
      .select({ id: executions.id })
      .from(executions)
      .where(and(eq(executions.namespace, namespace), eq(executions.flowId, flowId), eq(executions.state, 'QUEUED')))
      .limit(1);
    if (!waiting) return;
    const admitted = await database.db.transaction((tx) => admitQueued(database, this.context.flows, tx, namespace, flowId));
    for (const id of admitted) await this.apply(id, () => []);
  }

  /** Coerces and checks inputs against the flow's declarations; throws INPUT_INVALID listing every problem. */
  async resolve(flow: Pick<Flow, 'inputs' | 'namespace'>, given: Record<string, unknown>): Promise<Record<string, unknown>> {
    const scope = createScope({ namespace: flow.namespace, secret: this.context.secrets, now: this.context.clock });
    const result = await resolveInputs(flow.inputs, given, {
      render: (template, context) => renderString(template, { ...context }, scope),
      renderTyped: (template, context) => renderTyped(template, { ...context }, scope),
    });
    if (result.errors.length > 0) throw inputErrorsToPatchbayError(result.errors);
    return result.values;
  }

  /** A Subflow task created this execution row (revision 0 = latest); resolve its flow and inputs, then plan it. */
  async startChild(executionId: string): Promise<void> {
    const [row] = await this.context.database.db.select().from(executions).where(eq(executions.id, executionId));
    if (!row || row.state !== 'CREATED') return;
    try {
      const stored = await this.context.flows.get(row.namespace, row.flowId, row.revision > 0 ? row.revision : undefined);
      // The row holds the inputs as the parent rendered them until they are resolved here.
      const values = await this.resolve(stored.flow, row.inputs);
      const database = this.context.database;
      const admission = await database.db.transaction(async (tx) => {
        const decided = await admit(database, tx, stored.flow, admissionRule(stored.flow, row), executionId);
        const refused = decided.state === 'CANCELLED' || decided.state === 'FAILED';
        await tx
          .update(executions)
          .set({
            revision: stored.revision,
            inputs: values,
            labels: { ...stored.flow.labels, ...row.labels },
            state: decided.state,
            ...(refused ? { error: decided.error, endedAt: this.context.clock().toISOString() } : {}),
            version: sql`${executions.version} + 1`,
          })
          .where(and(eq(executions.id, executionId), eq(executions.state, 'CREATED')));
        return decided;
      });
      if (admission.state === 'CREATED') await this.apply(executionId, () => []);
      else if (admission.state !== 'QUEUED') await this.notifyParent(executionId);
    } catch (error) {
      const message = error instanceof PatchbayError ? error.message : String(error);
      await this.context.database.db
        .update(executions)
        .set({ state: 'FAILED', error: `subflow could not start: ${message}`, endedAt: this.context.clock().toISOString(), version: sql`${executions.version} + 1` })
        .where(eq(executions.id, executionId));
      await this.notifyParent(executionId);
    }
  }

  /** Writes a finished child's state and outputs into its parent's Subflow task run. */
  async notifyParent(childId: string): Promise<void> {
    const [child] = await this.context.database.db.select().from(executions).where(eq(executions.id, childId));
    if (!child?.parentExecutionId || !child.parentTaskRunId || !isTerminalExecution(child.state as ExecutionState)) return;
    const taskRunId = child.parentTaskRunId;
    await this.apply(child.parentExecutionId, (working) => {
      const run = working.taskRuns.find((candidate) => candidate.id === taskRunId);
      if (!run || run.flowable?.childState) return null;
      return [
        {
          type: 'updateTaskRun',
          id: taskRunId,
          flowable: { ...(run.flowable ?? {}), childState: child.state, childOutputs: child.outputs ?? {}, childError: child.error },
        },
      ];
    });
  }

  async kill(executionId: string): Promise<TransitionOutcome> {
    const [row] = await this.context.database.db.select({ state: executions.state }).from(executions).where(eq(executions.id, executionId));
    if (!row) throw new PatchbayError(ErrorCode.NOT_FOUND, `no execution ${executionId}`);
    if (isTerminalExecution(row.state as ExecutionState)) {
      throw new PatchbayError(ErrorCode.CONFLICT, `execution ${executionId} already ended ${row.state}`);
    }
    return this.apply(executionId, killRequested());
  }
}

export interface NewExecution {
  /** A caller-chosen id (a schedule records it with its fire row); new by default. */
  id?: string;
  /** Create it FAILED with this error instead of running it (a schedule whose inputs could not be rendered). */
  failed?: string;
  flow: Flow;
  revision: number;
  inputs: Record<string, unknown>;
  createdBy: string;
  labels?: Record<string, string>;
  trigger?: Record<string, unknown>;
}

/** An execution `insertExecution` wrote, and the state the flow's concurrency gave it. */
export interface CreatedExecution {
  id: string;
  state: 'CREATED' | 'QUEUED' | 'CANCELLED' | 'FAILED';
}
