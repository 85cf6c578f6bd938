import { stringify } from 'yaml';
import { renderTaskAssets } from '../../../src/assets/declared.js';
import { recordTaskAssets } from '../../../src/assets/record.js';
import type { DeclaredAssets, TaskAssetOrigin } from '../../../src/assets/types.js';
import type { Database, Drizzle } from '../../../src/db/database.js';
import { buildRenderScope, renderWithAssets } from '../../../src/engine/render-scope.js';
import { renderDeep } from '../../../src/expr/render.js';

/**
 * Drives the asset hooks the way the engine does when a task run succeeds: render the task's
 * `assets` declaration with its context (assets() lookups prefetched), then record it in a
 * transaction. Each call is one "run" with its own execution id and a clock one minute on.
 */
export interface RunSpec {
  namespace?: string;
  flowId: string;
  taskId?: string;
  actor: string;
  inputs?: Record<string, unknown>;
  assets: Record<string, unknown>;
}

export class Runs {
  private count = 0;
  private readonly start = Date.parse('2026-11-21T09:00:00Z');

  constructor(private readonly database: Database) {}

  origin(flowId: string, actor: string, namespace = 'company.infra', taskId = 'main'): TaskAssetOrigin {
    this.count += 1;
    const executionId = `exec${String(this.count).padStart(3, '0')}`;
    const at = new Date(this.start + this.count * 60_000).toISOString();
    return { executionId, namespace, flowId, taskId, taskRunId: `${executionId}-${taskId}`, actor, at };
  }

  /** Renders and records one task's declaration; returns the origin (execution id, time) it used. */
  async run(spec: RunSpec): Promise<TaskAssetOrigin & { declared: DeclaredAssets }> {
    const origin = this.origin(spec.flowId, spec.actor, spec.namespace, spec.taskId);
    const flowSource = stringify({
      id: spec.flowId,
      namespace: origin.namespace,
      tasks: [{ id: origin.taskId, type: 'io.kestra.plugin.core.log.Log', message: 'working', assets: spec.assets }],
    });
    const scope = await buildRenderScope({ database: this.database, namespace: origin.namespace, flowSource, secrets: () => undefined, now: new Date(origin.at) });
    const context = {
      inputs: spec.inputs ?? {},
      execution: { id: origin.executionId },
      flow: { id: spec.flowId, namespace: origin.namespace },
      task: { id: origin.taskId },
    };
    const declared = await renderWithAssets(scope, () => renderTaskAssets(spec.assets, (value) => renderDeep(value, context, scope)));
    if (!declared) throw new Error('nothing declared');
    await this.database.db.transaction((tx) => recordTaskAssets(tx, origin, declared));
    return { ...origin, declared };
  }
}

/** A transaction handle that counts the statements issued through it. */
export function counting(tx: Drizzle): { tx: Drizzle; statements: () => number } {
  let statements = 0;
  const proxy = new Proxy(tx, {
    get(target, property, receiver) {
      if (property === 'execute') {
        return (query: Parameters<Drizzle['execute']>[0]) => {
          statements += 1;
          return target.execute(query);
        };
      }
      return Reflect.get(target, property, receiver) as unknown;
    },
  });
  return { tx: proxy, statements: () => statements };
}
