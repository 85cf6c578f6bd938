import type { Flow } from '../../flow/model.js';
import type { ExecutionSnapshot, TaskRunRecord } from '../model.js';
import { taskById } from '../task-index.js';
import { TaskTypes, canonicalType } from './types.js';

/**
 * The expression context of a flow, as Kestra builds it (RunVariables): `inputs`, `outputs`,
 * `tasks` (states), `vars`, `execution`, `flow`, `labels`, `trigger`, and for a task run
 * `task`, `taskrun`, `parents` (every enclosing flowable task run, nearest first) and `parent`
 * (the nearest). Outputs of task runs inside a ForEach are keyed by each enclosing ForEach's
 * iteration value, outermost first: `outputs.<id>.<outer>.<inner>`.
 */
export function buildRenderContext(flow: Flow, snapshot: ExecutionSnapshot, taskRun?: TaskRunRecord): Record<string, unknown> {
  const { execution } = snapshot;
  const byId = new Map(snapshot.taskRuns.map((run) => [run.id, run]));
  if (taskRun && !byId.has(taskRun.id)) byId.set(taskRun.id, taskRun);
  const context: Record<string, unknown> = {
    inputs: execution.inputs,
    ...iterationTrees(flow, byId),
    vars: flow.variables,
    execution: {
      id: execution.id,
      startDate: execution.createdAt,
      state: execution.state,
      // Patchbay has no replays: an execution is its own original.
      originalId: execution.id,
    },
    flow: { id: execution.flowId, namespace: execution.namespace, revision: execution.revision },
    labels: execution.labels,
  };
  if (execution.trigger) context.trigger = execution.trigger;
  if (taskRun) {
    const task = taskById(flow).get(taskRun.taskId);
    context.task = { id: taskRun.taskId, type: task?.type ?? '' };
    const run: Record<string, unknown> = {
      id: taskRun.id,
      startDate: taskRun.startedAt ?? snapshot.now,
      attemptsCount: taskRun.attempts.length,
    };
    // Kestra leaves these out rather than null: `taskrun.value ?? 'x'` behaves the same.
    if (taskRun.parentTaskRunId) run.parentId = taskRun.parentTaskRunId;
    if (taskRun.value !== null) run.value = taskRun.value;
    context.taskrun = run;
    const parents = ancestors(taskRun, byId).map((parent) => {
      const entry: Record<string, unknown> = { task: { id: parent.taskId } };
      if (parent.value !== null) entry.taskrun = { value: parent.value };
      if (parent.outputs) entry.outputs = parent.outputs;
      return entry;
    });
    context.parents = parents;
    if (parents.length > 0) context.parent = parents[0];
  }
  return context;
}

/** Enclosing task runs, nearest first. */
export function ancestors(run: TaskRunRecord, byId: ReadonlyMap<string, TaskRunRecord>): TaskRunRecord[] {
  const out: TaskRunRecord[] = [];
  let current = run.parentTaskRunId ? byId.get(run.parentTaskRunId) : undefined;
  while (current && out.length < 1000) {
    out.push(current);
    current = current.parentTaskRunId ? byId.get(current.parentTaskRunId) : undefined;
  }
  return out;
}

/**
 * The iteration values a task run sits under, outermost ForEach first. A run directly in a
 * ForEach's `tasks` carries its iteration's value; deeper runs inherit it, so only the runs
 * that are direct children of a ForEach contribute a level.
 */
export function iterationPath(flow: Flow, run: TaskRunRecord, byId: ReadonlyMap<string, TaskRunRecord>): string[] {
  const tasks = taskById(flow);
  const path: string[] = [];
  let current = run;
  for (let depth = 0; current.parentTaskRunId && depth < 1000; depth++) {
    const parent = byId.get(current.parentTaskRunId);
    if (!parent) break;
    if (current.branch === 'tasks' && canonicalType(tasks.get(parent.taskId)) === TaskTypes.forEach) path.unshift(current.value ?? '');
    current = parent;
  }
  return path;
}

function place(tree: Record<string, unknown>, taskId: string, path: string[], leaf: unknown): void {
  if (path.length === 0) {
    tree[taskId] = leaf;
    return;
  }
  let node = (tree[taskId] ??= {}) as Record<string, unknown>;
  for (const key of path.slice(0, -1)) node = (node[key] ??= {}) as Record<string, unknown>;
  node[path[path.length - 1]!] = leaf;
}

function iterationTrees(flow: Flow, byId: ReadonlyMap<string, TaskRunRecord>): { outputs: Record<string, unknown>; tasks: Record<string, unknown> } {
  const outputs: Record<string, unknown> = {};
  const tasks: Record<string, unknown> = {};
  for (const run of byId.values()) {
    const path = iterationPath(flow, run, byId);
    place(tasks, run.taskId, path, { state: run.state });
    if (run.outputs) place(outputs, run.taskId, path, run.outputs);
  }
  return { outputs, tasks };
}
