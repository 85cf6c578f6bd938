import { mkdtemp, realpath, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type PatchbayError, isPatchbayError } from '../../src/errors.js';
import { schemaForTask } from '../../src/flow/task-schema.js';
import type { KvStore, TaskDefinition, TaskLogger, TaskResult, TaskRunContext } from '../../src/tasks/types.js';
import type { TaskIntegrations } from '../../src/tasks/integrations.js';
import { MemoryKv } from './memory-kv.js';

export type LogLevelName = keyof TaskLogger;

export interface LogLine {
  level: LogLevelName;
  message: string;
}

export interface TestRun {
  context: TaskRunContext;
  /** Every line the task logged, in order. */
  lines: LogLine[];
  controller: AbortController;
  kv: MemoryKv;
  /** Messages logged at `level` (all levels when omitted). */
  messages(level?: LogLevelName): string[];
  /** Validates `props` with the task's run-mode schema, as the engine does, then runs the task. */
  run(definition: TaskDefinition, props: Record<string, unknown>): Promise<TaskResult>;
  /** Removes the working directory. */
  cleanup(): Promise<void>;
}

export interface TestRunOptions {
  namespace?: string;
  kv?: MemoryKv;
  processEnv?: Record<string, string>;
  integrations?: TaskIntegrations;
}

/** A TaskRunContext as a worker builds it: recording logger, abort controller, private temp directory. */
export async function createTestRun(options: TestRunOptions = {}): Promise<TestRun> {
  // realpath: macOS and some CI images put tmpdir behind a symlink, and `pwd` prints the real path.
  const workingDirectory = await realpath(await mkdtemp(join(tmpdir(), 'patchbay-task-')));
  const lines: LogLine[] = [];
  const record = (level: LogLevelName) => (message: string) => void lines.push({ level, message });
  const log: TaskLogger = { trace: record('trace'), debug: record('debug'), info: record('info'), warn: record('warn'), error: record('error') };
  const controller = new AbortController();
  const kv = options.kv ?? new MemoryKv();
  const context: TaskRunContext = {
    execution: { id: 'exec-1', namespace: options.namespace ?? 'company.ops', flowId: 'patch', createdBy: 'U123' },
    taskRun: { id: 'tr-1', taskId: 'task', type: 'test', attempt: 1, value: null },
    signal: controller.signal,
    log,
    kv: kv as KvStore,
    idempotencyKey: 'exec-1:tr-1:1',
    workingDirectory,
    processEnv: options.processEnv ?? { PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin', HOME: workingDirectory, LANG: 'C.UTF-8' },
    integrations: options.integrations ?? {},
  };
  return {
    context,
    lines,
    controller,
    kv,
    messages: (level) => lines.filter((line) => level === undefined || line.level === level).map((line) => line.message),
    run: async (definition, props) => {
      const parsed = schemaForTask(definition, 'run').parse({ id: 'task', type: definition.types[0], ...props }) as Record<string, unknown>;
      if (!definition.run) throw new Error(`${definition.types[0]} is not runnable`);
      return definition.run(context, parsed);
    },
    cleanup: () => rm(workingDirectory, { recursive: true, force: true }),
  };
}

/** The PatchbayError a task run rejected with; anything else (or success) fails the test. */
export async function rejection(promise: Promise<unknown>): Promise<PatchbayError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!isPatchbayError(error)) throw new Error(`expected a PatchbayError, got ${String(error)}`);
  return error;
}
