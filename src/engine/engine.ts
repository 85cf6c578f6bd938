import { eq, sql } from 'drizzle-orm';
import { executions } from '../db/schema.js';
import { ErrorCode, PatchbayError } from '../errors.js';
import { createScope, renderString, renderTyped } from '../expr/render.js';
import type { Flow } from '../flow/model.js';
import { inputErrorsToPatchbayError, resolveInputs } from '../flow/inputs.js';
import { newId } from '../ids.js';
import { killRequested } from './events.js';
import { type ExecutionState, isTerminalExecution } from './model.js';
import {
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
    if (persisted.ended) await this.notifyParent(executionId);
  }

  /** Creates and plans a top-level execution. Input problems are thrown before anything is written. */
  async createExecution(options: {
    flow: Flow;
    revision: number;
    inputs: Record<string, unknown>;
    createdBy: string;
    labels?: Record<string, string>;
    trigger?: Record<string, unknown>;
  }): Promise<string> {
    const values = await this.resolve(options.flow, options.inputs);
    const id = newId();
    const now = this.context.clock().toISOString();
    await this.context.database.db.insert(executions).values({
      id,
      namespace: options.flow.namespace,
      flowId: options.flow.id,
      revision: options.revision,
      state: 'CREATED',
      inputs: values,
      labels: { ...options.flow.labels, ...options.labels },
      createdBy: options.createdBy,
      trigger: options.trigger ?? null,
      createdAt: now,
      updatedAt: now,
    });
    await this.apply(id, () => []);
    return id;
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
      await this.context.database.db
        .update(executions)
        .set({ revision: stored.revision, inputs: values, labels: { ...stored.flow.labels, ...row.labels }, version: sql`${executions.version} + 1` })
        .where(eq(executions.id, executionId));
      await this.apply(executionId, () => []);
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
