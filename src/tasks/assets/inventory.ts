import type { AssetStore, TaskAssetOrigin } from '../../assets/types.js';
import { taskFailed } from '../../errors.js';
import type { PropKit } from '../kit.js';
import type { TaskLogger, TaskRunContext } from '../types.js';

/**
 * Shared by the asset tasks: the store from the context, the origin stamped on each event,
 * and Kestra's connection properties, accepted so that a flow written for Kestra loads here
 * unchanged, and ignored (Patchbay writes its own inventory, not a Kestra server's).
 */
export function assetStore(context: TaskRunContext): AssetStore {
  if (!context.assets) {
    throw taskFailed('this worker has no asset inventory at hand (TaskRunContext.assets is missing)', { retryable: false });
  }
  return context.assets;
}

export function taskOrigin(context: TaskRunContext): TaskAssetOrigin {
  return {
    executionId: context.execution.id,
    namespace: context.execution.namespace,
    flowId: context.execution.flowId,
    taskId: context.taskRun.taskId,
    taskRunId: context.taskRun.id,
    actor: context.execution.createdBy,
    at: new Date().toISOString(),
  };
}

export const kestraConnection = (k: PropKit) => ({
  kestraUrl: k.string().optional().describe("Kestra's API address; ignored: Patchbay keeps its own inventory"),
  auth: k.json().optional().describe("Kestra API credentials; ignored"),
  tenantId: k.string().optional().describe('Kestra tenant; ignored (one inventory per Patchbay database)'),
});

export function noteIgnored(log: TaskLogger, props: { kestraUrl?: unknown; auth?: unknown; tenantId?: unknown }): void {
  const ignored = (['kestraUrl', 'auth', 'tenantId'] as const).filter((key) => props[key] !== undefined);
  if (ignored.length > 0) log.debug(`Patchbay keeps its own asset inventory: ${ignored.join(', ')} ignored`);
}
