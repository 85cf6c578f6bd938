import { mkdtempSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Duration } from 'luxon';
import { mergeDeclaredAssets, renderTaskAssets } from '../assets/declared.js';
import type { DeclaredAssets } from '../assets/types.js';
import { DatabaseAssetStore } from '../assets/store.js';
import { isPatchbayError } from '../errors.js';
import { renderDeep, renderTyped } from '../expr/render.js';
import { schemaForTask } from '../flow/task-schema.js';
import { lookupTask } from '../tasks/registry.js';
import type { AttemptResult } from './events.js';
import { DatabaseKvStore } from './kv-store.js';
import { TaskLogBuffer } from './logs.js';
import { maskDeep } from './masking.js';
import type { StoredFlow } from './flow-store.js';
import type { ExecutionSnapshot } from './model.js';
import { buildRenderContext } from './planner/context.js';
import { buildRenderScope, renderWithAssets } from './render-scope.js';
import type { ClaimedTaskRun } from './store/claim.js';
import { taskById } from './task-index.js';
import { type EngineContext, loadSnapshot } from './transition.js';

/**
 * Runs one attempt of a claimed runnable task run: renders its properties against the
 * execution's context, checks them in run mode, calls the task with a context (abort signal
 * for kill and timeout, logger, KV store, scratch folder) and returns the attempt's result.
 * Never throws: every failure becomes a FAILED attempt with a message a person can act on.
 */
const COMMON_KEYS = new Set(['id', 'type', 'description', 'disabled', 'runIf', 'allowFailure', 'allowWarning', 'timeout', 'retry', 'assets', 'logLevel', 'logToFile', 'workerGroup', 'taskCache', 'version']);

/** Environment handed to child processes: enough to run tools, none of the bot's secrets. */
function processEnv(env: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const keep = ['PATH', 'HOME', 'LANG', 'LC_ALL', 'TZ', 'TMPDIR', 'USER', 'SHELL'];
  return Object.fromEntries(keep.flatMap((key) => (env[key] ? [[key, env[key] as string]] : [])));
}

/** Run-mode schemas of the task's own properties (id and type are not rendered), built once per type. */
const runSchemas = new Map<string, ReturnType<ReturnType<typeof schemaForTask>['partial']>>();
function runSchema(definition: Parameters<typeof schemaForTask>[0]) {
  let schema = runSchemas.get(definition.types[0]);
  if (!schema) {
    schema = schemaForTask(definition, 'run').partial({ id: true, type: true });
    runSchemas.set(definition.types[0], schema);
  }
  return schema;
}

export interface RunnerOptions {
  signal: AbortSignal;
  env: Readonly<Record<string, string | undefined>>;
  /**
   * The execution as the transaction that claimed the run left it (eager dispatch): saves
   * reading it again. Absent: it is read here.
   */
  preloaded?: { snapshot: ExecutionSnapshot; flow: StoredFlow };
}

export async function runAttempt(engine: EngineContext, claimed: ClaimedTaskRun, options: RunnerOptions): Promise<AttemptResult> {
  const logs = new TaskLogBuffer(engine.database, claimed);
  const result = await attempt(engine, claimed, options, logs);
  return { ...result, logs: await logs.drain() };
}

async function attempt(engine: EngineContext, claimed: ClaimedTaskRun, options: RunnerOptions, logs: TaskLogBuffer): Promise<AttemptResult> {
  let secrets: Set<string> = new Set();
  const fail = (message: string, retryable = true): AttemptResult => ({ state: 'FAILED', error: message, retryable });
  let workingDirectory: string | undefined;
  let timeout: { signal: AbortSignal; text: string } | undefined;
  try {
    const snapshot = options.preloaded?.snapshot ?? (await loadSnapshot(engine.database, claimed.executionId, engine.clock(), engine.snapshots));
    const stored = options.preloaded?.flow ?? (await engine.flows.get(snapshot.execution.namespace, snapshot.execution.flowId, snapshot.execution.revision));
    const task = taskById(stored.flow).get(claimed.taskId);
    const definition = lookupTask(claimed.type);
    if (!task || !definition?.run) return fail(`task ${claimed.taskId} (${claimed.type}) cannot run here: no runnable implementation`, false);
    const run = snapshot.taskRuns.find((candidate) => candidate.id === claimed.id);
    const scope = await buildRenderScope({
      database: engine.database,
      namespace: snapshot.execution.namespace,
      flowSource: stored.source,
      secrets: engine.secrets,
      now: engine.clock(),
      executionId: claimed.executionId,
      appLinks: engine.appLinks,
    });
    const context = buildRenderContext(stored.flow, snapshot, run);
    const own = Object.fromEntries(Object.entries(task).filter(([key]) => !COMMON_KEYS.has(key)));
    let rendered: unknown;
    try {
      rendered = await renderWithAssets(scope, () => renderDeep(own, context, scope));
    } catch (error) {
      return fail(`task ${claimed.taskId}: ${(error as Error).message}`, false);
    } finally {
      secrets = new Set([...scope.revealedSecrets]);
      logs.mask(secrets);
    }
    const checked = runSchema(definition).safeParse(rendered);
    if (!checked.success) {
      const problems = checked.error.issues.map((issue) => `\`${issue.path.join('.')}\`: ${issue.message}`).join('; ');
      return fail(`task ${claimed.taskId}: invalid properties after rendering: ${problems}`, false);
    }
    if (task.timeout !== undefined) {
      const text = String(renderTyped(String(task.timeout), context, scope));
      const ms = durationMs(text);
      if (ms !== undefined) timeout = { signal: AbortSignal.timeout(ms), text };
    }
    const signal = timeout ? AbortSignal.any([options.signal, timeout.signal]) : options.signal;
    const result = await definition.run(
      {
        execution: { id: snapshot.execution.id, namespace: snapshot.execution.namespace, flowId: snapshot.execution.flowId, createdBy: snapshot.execution.createdBy },
        taskRun: { id: claimed.id, taskId: claimed.taskId, type: claimed.type, attempt: claimed.attempt, value: claimed.value },
        signal,
        log: logs.logger(),
        kv: new DatabaseKvStore(engine.database),
        assets: new DatabaseAssetStore(engine.database),
        idempotencyKey: `${claimed.executionId}:${claimed.id}:${claimed.attempt}`,
        // Created on first use: most tasks (Log, HTTP, KV) never touch the disk.
        get workingDirectory() {
          workingDirectory ??= mkdtempSync(path.join(tmpdir(), `patchbay-${claimed.id}-`));
          return workingDirectory;
        },
        processEnv: processEnv(options.env),
        integrations: engine.integrations ?? {},
      },
      checked.data as Record<string, unknown>,
    );
    if (options.signal.aborted) return { state: 'KILLED', error: 'killed' };
    const outputs = maskDeep(result.outputs ?? {}, secrets) as Record<string, unknown>;
    if (result.warning) logs.logger().warn(result.warning);
    const finished: AttemptResult = { state: result.warning ? 'WARNING' : 'SUCCESS', outputs };
    // The task's `assets` are rendered with its own outputs in view (an output asset's id is often one of them).
    const ownOutputs = { ...(context.outputs as Record<string, unknown> | undefined), [claimed.taskId]: outputs };
    try {
      const fromFlow = await renderWithAssets(scope, () => renderTaskAssets(task.assets, (value) => renderDeep(value, { ...context, outputs: ownOutputs }, scope)));
      const declared = mergeDeclaredAssets(result.assets, fromFlow);
      // Secrets revealed while rendering them never reach the inventory.
      if (declared) finished.assets = maskDeep(declared, new Set([...secrets, ...scope.revealedSecrets])) as DeclaredAssets;
    } catch (error) {
      return fail(`task ${claimed.taskId}: its assets could not be recorded: ${(error as Error).message}`, false);
    }
    return finished;
  } catch (error) {
    if (options.signal.aborted) return { state: 'KILLED', error: 'killed' };
    const message = maskDeep(error instanceof Error ? error.message : String(error), secrets) as string;
    if (timeout?.signal.aborted) return fail(`task ${claimed.taskId} timed out after ${timeout.text}`, true);
    return fail(message, isPatchbayError(error) ? error.retryable : true);
  } finally {
    if (workingDirectory) await rm(workingDirectory, { recursive: true, force: true }).catch(() => undefined);
  }
}

function durationMs(value: unknown): number | undefined {
  const duration = Duration.fromISO(String(value));
  return duration.isValid ? duration.toMillis() : undefined;
}
