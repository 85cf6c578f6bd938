import { randomUUID } from 'node:crypto';
import { SimError, model } from './envelope.js';
import type { FaultBook } from './faults.js';
import { TASK_OPERATIONS } from './operations.js';
import type { StateStore } from './state.js';
import type { TaskOutcome, TaskRecord, TaskWork } from './task-work.js';
import type { AppMessage, EntityAffected, Task } from './types.js';

/**
 * Prism tasks: an async mutation creates a task (QUEUED), which turns RUNNING after a tenth
 * of its duration (at most 200 ms), reports progress from elapsed time, and at the end runs
 * its work and ends SUCCEEDED, or FAILED with the error (an injected `fail-task`, or what the
 * work threw). Duration = `taskDelayMs`, or a `slow-task` fault's.
 */

export type Execute = (work: TaskWork) => Promise<TaskOutcome>;

const TERMINAL = new Set<string>(['SUCCEEDED', 'FAILED', 'CANCELED']);
const MAX_QUEUED_MS = 200;

export function isTerminal(task: Task): boolean {
  return TERMINAL.has(task.status);
}

function prefixOf(operation: TaskWork['operation']): string {
  return /RecoveryPoint/.test(operation) ? 'DTP' : 'VMM';
}

export class TaskRunner {
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly inFlight = new Set<Promise<void>>();
  private stopped = false;

  constructor(
    private readonly store: StateStore,
    private readonly execute: Execute,
    private readonly options: { delayMs: number; faults: FaultBook; log: (line: string) => void },
  ) {}

  create(work: TaskWork, entities: EntityAffected[]): TaskRecord {
    const time = new Date().toISOString();
    const faults = this.options.faults.forTask(work.operation);
    const record: TaskRecord = {
      task: {
        extId: `ZXJnb24=:${randomUUID()}`,
        operation: work.operation,
        operationDescription: TASK_OPERATIONS[work.operation],
        status: 'QUEUED',
        progressPercentage: 0,
        createdTime: time,
        lastUpdatedTime: time,
        entitiesAffected: entities,
        completionDetails: [],
        errorMessages: [],
        clusterExtIds: [this.store.data.clusters[0]!.extId],
        isCancelable: true,
        isBackgroundTask: false,
        numberOfEntitiesAffected: entities.length,
        numberOfSubtasks: 0,
        subTasks: [],
        warnings: [],
      },
      work,
      durationMs: faults.durationMs ?? this.options.delayMs,
      ...(faults.fail ? { fail: faults.fail } : {}),
    };
    this.store.data.tasks.push(record);
    this.schedule(record);
    return record;
  }

  /** After a restart: carry on with tasks that had not finished. */
  resumeAll(): void {
    for (const record of this.store.data.tasks) if (!isTerminal(record.task)) this.schedule(record);
  }

  cancel(record: TaskRecord): void {
    this.finish(record, 'CANCELED', {});
  }

  private later(ms: number, action: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      action();
    }, Math.max(0, ms));
    this.timers.add(timer);
  }

  private schedule(record: TaskRecord): void {
    const elapsed = Date.now() - Date.parse(record.task.createdTime);
    const queuedFor = Math.min(record.durationMs / 10, MAX_QUEUED_MS);
    this.later(queuedFor - elapsed, () => {
      if (this.stopped || isTerminal(record.task)) return;
      if (record.task.status === 'QUEUED') {
        const time = new Date().toISOString();
        Object.assign(record.task, { status: 'RUNNING', startedTime: time, lastUpdatedTime: time, progressPercentage: 10 });
        this.store.save();
      }
      this.later(record.durationMs - (Date.now() - Date.parse(record.task.createdTime)), () => this.run(record));
    });
  }

  private run(record: TaskRecord): void {
    if (this.stopped || isTerminal(record.task)) return;
    const done = this.perform(record).finally(() => this.inFlight.delete(done));
    this.inFlight.add(done);
  }

  private async perform(record: TaskRecord): Promise<void> {
    const { operation } = record.work;
    if (record.fail) {
      const message = record.fail.message ?? `${TASK_OPERATIONS[operation]} failed (injected fault fail-task=${operation})`;
      this.finish(record, 'FAILED', {}, { code: record.fail.code ?? `${prefixOf(operation)}-30500`, message, errorGroup: 'INJECTED_FAULT' });
      return;
    }
    try {
      const outcome = await this.execute(record.work);
      this.finish(record, 'SUCCEEDED', outcome);
    } catch (error) {
      if (error instanceof SimError) {
        this.finish(record, 'FAILED', {}, { code: error.code, message: error.message, errorGroup: error.errorGroup });
      } else {
        this.options.log(`task ${record.task.extId} ${operation}: ${(error as Error).stack ?? String(error)}`);
        this.finish(record, 'FAILED', {}, { code: 'PLAT-50000', message: `Internal error: ${(error as Error).message}`, errorGroup: 'INTERNAL_ERROR' });
      }
    }
  }

  private finish(record: TaskRecord, status: 'SUCCEEDED' | 'FAILED' | 'CANCELED', outcome: TaskOutcome, error?: { code: string; message: string; errorGroup?: string }): void {
    if (isTerminal(record.task)) return;
    const time = new Date().toISOString();
    const task = record.task;
    task.status = status;
    task.completedTime = time;
    task.lastUpdatedTime = time;
    task.startedTime ??= time;
    task.isCancelable = false;
    if (status === 'SUCCEEDED') task.progressPercentage = 100;
    for (const entity of outcome.entitiesAffected ?? []) {
      if (!task.entitiesAffected.some((known) => known.extId === entity.extId && known.rel === entity.rel)) task.entitiesAffected.push(entity);
    }
    task.numberOfEntitiesAffected = task.entitiesAffected.length;
    task.completionDetails = outcome.completionDetails ?? [];
    if (error) {
      const message: AppMessage = { code: error.code, message: error.message, severity: 'ERROR', locale: 'en_US', ...(error.errorGroup ? { errorGroup: error.errorGroup } : {}) };
      task.errorMessages = [message];
      task.legacyErrorMessage = error.message;
    }
    this.store.save();
    this.options.log(`task ${task.extId} ${task.operation} ${status}${error ? `: ${error.code} ${error.message}` : ''}`);
  }

  /** The task as GET returns it, progress computed from elapsed time while it runs. */
  view(record: TaskRecord): Task {
    const task = structuredClone(record.task);
    if (task.status === 'RUNNING' && record.durationMs > 0) {
      const elapsed = Date.now() - Date.parse(task.createdTime);
      task.progressPercentage = Math.max(10, Math.min(99, Math.floor((elapsed / record.durationMs) * 100)));
    }
    return task;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    await Promise.allSettled([...this.inFlight]);
  }
}

export function taskWire(task: Task): Record<string, unknown> {
  return model('prism.v4.config.Task', {
    ...task,
    entitiesAffected: task.entitiesAffected.map((entity) => model('prism.v4.config.EntityReference', entity)),
    completionDetails: task.completionDetails.map((pair) => model('common.v1.config.KVPair', pair)),
    errorMessages: task.errorMessages.map((message) => model('prism.v4.error.AppMessage', message)),
  });
}

export const TASK_FIELDS: ReadonlySet<string> = new Set([
  'extId', 'operation', 'operationDescription', 'status', 'progressPercentage', 'createdTime', 'startedTime', 'completedTime', 'lastUpdatedTime',
  'entitiesAffected', 'completionDetails', 'errorMessages', 'legacyErrorMessage', 'clusterExtIds', 'isCancelable', 'isBackgroundTask',
  'numberOfEntitiesAffected', 'numberOfSubtasks', 'subTasks', 'warnings',
]);
