import type { z } from 'zod';
import type { AssetStore, DeclaredAssets } from '../assets/types.js';
import type { TaskIntegrations } from './integrations.js';
import type { PropKit, TaskNode } from './kit.js';

export type { TaskNode } from './kit.js';

/**
 * Runnable tasks execute on a worker; flowable tasks (Sequential, If, ForEach, Pause…) only
 * decide what runs next and live in the planner (see DESIGN.md, "Planner / worker split").
 */
export type TaskKind = 'runnable' | 'flowable';

/** A list of nested tasks held by a flowable task, with where it sits inside that task. */
export interface TaskBranch {
  /** Branch name as the planner knows it: `tasks`, `then`, `else`, `errors`, `finally`, `case:<key>`… */
  name: string;
  /** Path of the list inside the task node (for error positions), e.g. ['cases', 'ok']. */
  path: (string | number)[];
  tasks: TaskNode[];
  /** The branch is one task (Pause's `onPause`): `path` points at the task, not at a list. */
  single?: boolean;
}

/** Per-task-run log, stored with the task run (masked for secrets) and shown by `executions logs`. */
export interface TaskLogger {
  trace(message: string): void;
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/** Namespace-scoped key/value store (Kestra's KV store); backed by the database. */
export interface KvStore {
  get(namespace: string, key: string): Promise<{ found: boolean; value?: unknown }>;
  /** `ttlSeconds` makes the entry expire; `overwrite: false` fails when the key exists. */
  set(namespace: string, key: string, value: unknown, options?: { ttlSeconds?: number; overwrite?: boolean }): Promise<void>;
  /** True when a key was deleted. */
  delete(namespace: string, key: string): Promise<boolean>;
}

/** What a runnable task may use while it runs. Everything is passed in; no globals. */
export interface TaskRunContext {
  execution: { id: string; namespace: string; flowId: string; createdBy: string };
  taskRun: { id: string; taskId: string; type: string; attempt: number; value: string | null };
  /** Aborted on kill, on the task's `timeout`, and when the worker shuts down. Honour it. */
  signal: AbortSignal;
  log: TaskLogger;
  kv: KvStore;
  /** The asset inventory (Kestra's asset Set/List/Delete tasks); absent where no database is at hand. */
  assets?: AssetStore;
  /** Stable across retries of a crash-interrupted attempt: `<executionId>:<taskRunId>:<attempt>`. */
  idempotencyKey: string;
  /** A private scratch folder for this attempt (scripts run here); removed afterwards. */
  workingDirectory: string;
  /** Environment for child processes (PATH, HOME, LANG…), not the bot's whole environment. */
  processEnv: Readonly<Record<string, string>>;
  /** Systems reached through the server's configuration (Nutanix, chat); empty when none. */
  integrations: TaskIntegrations;
}

export interface TaskResult {
  outputs?: Record<string, unknown>;
  /** Set when the task succeeded with a warning (e.g. output on stderr with warningOnStdErr): WARNING. */
  warning?: string;
  /**
   * Assets the task itself knows it created or used (a VM it created, the VM a snapshot was
   * taken of). The flow's own `assets:` on the task wins for any id it names.
   */
  assets?: DeclaredAssets;
}

export interface TaskDefinition<P extends z.ZodRawShape = z.ZodRawShape> {
  /** Kestra's full type name first, then its documented aliases (older package names). */
  types: readonly [string, ...string[]];
  /** One line shown by `patchbay schema`, `/flow describe` and the editor. */
  title: string;
  kind: TaskKind;
  /** The task's own properties; the common ones (id, retry, timeout…) are added by the flow schema. */
  properties(kit: PropKit): P;
  /** Flowable tasks: their nested task lists. Runnable tasks have none. */
  branches?(task: TaskNode): TaskBranch[];
  /**
   * Checks across properties that a schema cannot express (e.g. SSH: authMethod PASSWORD
   * needs `password`), run at load time once the properties are well-formed.
   */
  check?(task: TaskNode): { path: (string | number)[]; message: string }[];
  /**
   * True when running the task twice could do harm (an SSH command, a payment): after a lost
   * worker lease such a task run fails with "worker lost" instead of being retried.
   */
  unsafeToRepeat?: boolean;
  /**
   * Runnable tasks: do the work. `properties` are rendered and checked in run mode. Throw a
   * PatchbayError (see `taskFailed`) to fail the attempt; `retryable: false` stops retries.
   */
  run?(context: TaskRunContext, properties: Record<string, unknown>): Promise<TaskResult>;
}

/** Identity helper that keeps the literal types of a definition. */
export function defineTask<P extends z.ZodRawShape>(definition: TaskDefinition<P>): TaskDefinition<P> {
  return definition;
}

/** Reads a nested task list that load-time validation has already checked. */
export function taskList(value: unknown): TaskNode[] {
  return Array.isArray(value) ? (value as TaskNode[]) : [];
}
