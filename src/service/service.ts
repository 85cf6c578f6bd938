import type { TaskIntegrations } from '../tasks/integrations.js';
import { type NutanixEndpoint, resolveNutanixEndpoint } from './nutanix-endpoint.js';
import type { Config } from '../config.js';
import { type Database, openDatabase } from '../db/database.js';
import { auditLog } from '../db/schema.js';
import { type DecisionOutcome, type DecisionRequest, decide } from '../engine/decisions.js';
import { Engine } from '../engine/engine.js';
import { FlowStore } from '../engine/flow-store.js';
import { SnapshotCache } from '../engine/snapshot-cache.js';
import { isTerminalExecution, type ExecutionState } from '../engine/model.js';
import { Channels } from '../engine/transition.js';
import { Wakeup } from '../engine/wakeup.js';
import { Worker, type WorkerOptions } from '../engine/worker.js';
import { loadFlows } from '../flow/flow-files.js';
import type { Diagnostic } from '../flow/loader.js';
import { type SecretLookup, createSecretLookup } from '../secrets.js';
import type { ChatActor } from '../chat/types.js';
import { Scheduler, type SchedulerOptions } from '../scheduler/scheduler.js';
import { type BackfillRequest, backfill, listSchedules } from './schedules.js';
import { type ApprovalsForOptions, approvalsFor, listFlows, recentExecutionsBy, runningExecutions } from './chat-queries.js';
import { type ExecutionView, executionLogs, getExecution, hasPendingWork, listExecutions } from './executions.js';
import { DatabaseReportSource } from '../reports/source.js';
import { type PatchReportCommand, type PatchReportOutcome, patchReport } from './reports.js';

/**
 * The one application API used by the CLI, the chat surfaces and the scheduler: start, resume,
 * approve, reject, kill and query executions. It owns the database handle and the engine;
 * a worker loop is started on demand (`serve`, `worker`, or an in-process `run`).
 */
export interface ServiceOptions {
  config: Config;
  /** Tests pass a database they created; otherwise the config decides. */
  database?: Database;
  clock?: () => Date;
  /** Systems tasks reach through the server's configuration (Nutanix endpoint, chat posting). */
  integrations?: TaskIntegrations;
  /** Secrets used when neither the environment nor the secrets file has the name (the simulator's guest login). */
  secretDefaults?: Readonly<Record<string, string>>;
  /**
   * The Nutanix endpoint for tasks that name no host: one already resolved; 'resolve' to find
   * it from the config (NUTANIX_HOST, else the data folder's built-in simulator, started here
   * when no other process runs it); 'running' likewise but never starting one. The service
   * closes it (stopping a simulator it started) when it closes.
   */
  nutanix?: NutanixEndpoint | 'resolve' | 'running';
}

export class PatchbayService {
  readonly flows: FlowStore;
  readonly engine: Engine;
  /**
   * What tasks reach through the server (shared with the engine): a chat surface that starts
   * after the service sets `chat` here, and its tasks see it from then on.
   */
  readonly integrations: TaskIntegrations;
  /** The Nutanix endpoint this service resolved or was given (banner text, closed with the service). */
  nutanix: NutanixEndpoint | undefined;
  private worker: Worker | undefined;
  private scheduler: Scheduler | undefined;

  private constructor(
    readonly database: Database,
    readonly config: Config,
    secrets: SecretLookup,
    clock: () => Date,
    private readonly ownsDatabase: boolean,
    integrations: TaskIntegrations,
  ) {
    this.flows = new FlowStore(database);
    this.integrations = { reports: new DatabaseReportSource(database, this.flows), ...integrations };
    this.engine = new Engine({ database, flows: this.flows, secrets, clock, snapshots: new SnapshotCache(), integrations: this.integrations });
  }

  static async open(options: ServiceOptions): Promise<PatchbayService> {
    const { config } = options;
    const database = options.database ?? (await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir }));
    let nutanix: NutanixEndpoint | undefined;
    try {
      nutanix = typeof options.nutanix === 'string' ? await resolveNutanixEndpoint(config, { start: options.nutanix === 'resolve' }) : options.nutanix;
      const secrets = withDefaults(createSecretLookup(config), { ...nutanix?.secretDefaults, ...options.secretDefaults });
      const integrations = { ...options.integrations, ...(nutanix ? { nutanix: nutanix.defaults } : {}) };
      const service = new PatchbayService(database, config, secrets, options.clock ?? (() => new Date()), !options.database, integrations);
      service.nutanix = nutanix;
      return service;
    } catch (error) {
      await nutanix?.close();
      if (!options.database) await database.close();
      throw error;
    }
  }

  /** Loads the flows folder (or the given paths) into the database; returns the problems found. */
  async syncFlows(paths: readonly string[] = [this.config.flowsDir]): Promise<Diagnostic[]> {
    const { flows, diagnostics } = await loadFlows(paths);
    await this.flows.sync(flows);
    return diagnostics;
  }

  /** `trigger` records where the run came from (a chat origin, a schedule); chat surfaces follow it. */
  async start(
    reference: string,
    inputs: Record<string, unknown>,
    options: { as: string; labels?: Record<string, string>; trigger?: Record<string, unknown> },
  ): Promise<string> {
    const stored = await this.flows.resolve(reference);
    return this.engine.createExecution({
      flow: stored.flow,
      revision: stored.revision,
      inputs,
      createdBy: options.as,
      labels: options.labels ?? {},
      ...(options.trigger ? { trigger: options.trigger } : {}),
    });
  }

  decide(request: DecisionRequest): Promise<DecisionOutcome> {
    return decide(this.engine, request);
  }

  async kill(executionId: string, actor: string): Promise<void> {
    await this.engine.kill(executionId);
    await this.database.db.insert(auditLog).values({
      actor,
      action: 'execution.kill',
      subjectType: 'execution',
      subjectId: executionId,
      details: {},
    });
  }

  execution(id: string): Promise<ExecutionView> {
    return getExecution(this.database, id);
  }

  list(filter: Parameters<typeof listExecutions>[1] = {}) {
    return listExecutions(this.database, filter);
  }

  logs(id: string) {
    return executionLogs(this.database, id);
  }

  /** Chat read queries (see chat-queries.ts): flows, approvals one may decide, recent and running executions. */
  flowList(filter: { namespace?: string } = {}) {
    return listFlows(this.database, this.flows, filter);
  }

  approvalsFor(actor: ChatActor, options: ApprovalsForOptions = {}) {
    return approvalsFor(this.database, actor, options);
  }

  recentExecutions(user: string, limit?: number) {
    return recentExecutionsBy(this.database, user, limit);
  }

  runningExecutions(limit?: number) {
    return runningExecutions(this.database, limit);
  }

  /** A patch-window report (`/flow report`), posted through the chat integration when asked and configured. */
  patchReport(command: PatchReportCommand): Promise<PatchReportOutcome> {
    return patchReport(this.engine.context, command);
  }

  async startWorker(options: WorkerOptions = {}): Promise<Worker> {
    if (!this.worker) {
      this.worker = new Worker(this.engine, { leaseMs: this.config.leaseMs, env: this.config.env, ...options });
      await this.worker.start();
    }
    return this.worker;
  }

  /** Starts this replica's scheduler (Schedule triggers; every replica runs one). */
  async startScheduler(options: Pick<SchedulerOptions, 'log' | 'refreshMs' | 'lateMs'> = {}): Promise<Scheduler> {
    if (!this.scheduler) {
      this.scheduler = new Scheduler({ database: this.database, engine: this.engine, flows: this.flows, clock: this.engine.context.clock, ...options });
      await this.scheduler.start();
    }
    return this.scheduler;
  }

  /** Schedule triggers with their next and last fires (see schedules.ts). */
  schedules(now: Date = this.engine.context.clock()) {
    return listSchedules(this.database, this.flows, now);
  }

  /** Starts the runs a range of a Schedule trigger should have had, once each. */
  backfill(request: BackfillRequest) {
    return backfill(this.database, this.engine, this.flows, request);
  }

  /**
   * Waits until the execution ends, or until it can only move on a person's decision (a
   * paused task waiting for a resume or an approval). Needs a worker running somewhere.
   */
  async settle(executionId: string, pollMs = 250): Promise<ExecutionView> {
    const changed = new Wakeup();
    const stop = await this.database.listen(Channels.execution, () => changed.wake());
    try {
      for (;;) {
        const view = await this.execution(executionId);
        if (isTerminalExecution(view.state as ExecutionState)) return view;
        if (!(await hasPendingWork(this.database, executionId))) {
          // Nothing can happen by itself; recheck once so a transition in flight is not missed.
          const again = await this.execution(executionId);
          if (!(await hasPendingWork(this.database, executionId))) return again;
        }
        await changed.wait(pollMs);
      }
    } finally {
      await stop();
    }
  }

  /** Resolves once no execution has work that proceeds by itself (`patchbay worker --until-idle`). */
  async untilIdle(pollMs = 250): Promise<void> {
    while (await hasPendingWork(this.database)) await new Promise((resolve) => setTimeout(resolve, pollMs));
  }

  async close(): Promise<void> {
    await this.scheduler?.stop();
    this.scheduler = undefined;
    await this.worker?.stop();
    this.worker = undefined;
    await this.nutanix?.close();
    this.nutanix = undefined;
    if (this.ownsDatabase) await this.database.close();
  }
}

function withDefaults(lookup: SecretLookup, defaults: Readonly<Record<string, string>>): SecretLookup {
  if (Object.keys(defaults).length === 0) return lookup;
  return (name) => lookup(name) ?? (Object.hasOwn(defaults, name) ? defaults[name] : undefined);
}
