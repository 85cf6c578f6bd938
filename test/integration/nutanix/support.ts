import type { AssetService } from '../../../src/assets/service.js';
import { recordTaskAssets } from '../../../src/assets/record.js';
import type { Database } from '../../../src/db/database.js';
import type { Simulator as Sim } from '../../../src/sim/index.js';
import type { TaskResult } from '../../../src/tasks/types.js';
import { type TestRun, createTestRun } from '../../support/task-context.js';

export type { Sim };

/** Connection props for a flow that names the simulator itself (no server defaults). */
export const explicit = (sim: Sim) => ({ host: sim.host, port: sim.port, token: sim.apiKey, pollInterval: 'PT0.02S' });

let runs = 0;

/**
 * A task run whose server connection is the simulator. Each gets an idempotency key of its own,
 * as each task run of an execution does (createTestRun's is fixed), unless the test replays one.
 */
export async function simRun(sim: Sim, idempotencyKey?: string): Promise<TestRun> {
  const run = await createTestRun({ integrations: { nutanix: sim.connection() } });
  runs += 1;
  run.context.idempotencyKey = idempotencyKey ?? `exec-${runs}:tr-${runs}:1`;
  return run;
}

/** Every Nutanix call in these tests polls every 20 ms: the simulator's tasks finish at once. */
export const FAST = { pollInterval: 'PT0.02S' };

/** Records the assets a task returned, as the engine does once the task run succeeded. */
export async function recordAssets(database: Database, run: TestRun, result: TaskResult): Promise<void> {
  if (!result.assets) return;
  const { context } = run;
  const origin = {
    executionId: context.execution.id, namespace: context.execution.namespace, flowId: context.execution.flowId,
    taskId: context.taskRun.taskId, taskRunId: context.taskRun.id, actor: context.execution.createdBy, at: new Date().toISOString(),
  };
  await database.db.transaction((tx) => recordTaskAssets(tx, origin, result.assets!));
}

export async function deletedAt(service: AssetService, id: string): Promise<string | null> {
  return (await service.show(id)).asset.deleted;
}
