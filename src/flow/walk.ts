import { lookupTask } from '../tasks/registry.js';
import type { TaskNode } from '../tasks/types.js';

/**
 * Visits every task of a flow, nested ones included, depth first in document order, with
 * its path inside the flow document (for error positions) and its parent's id. Works on raw
 * documents too: an unknown type simply has no branches.
 */
export interface VisitedTask {
  task: TaskNode;
  path: (string | number)[];
  parentId: string | undefined;
  /** The branch of the parent this task sits in (`tasks`, `then`, `errors`, …), or the top-level list. */
  branch: string;
}

export const TOP_LEVEL_LISTS = ['tasks', 'errors', 'finally'] as const;

export function* walkTaskList(
  tasks: unknown,
  path: (string | number)[],
  parentId: string | undefined,
  branch: string,
  single = false,
): Generator<VisitedTask> {
  if (!Array.isArray(tasks)) return;
  for (const [index, candidate] of tasks.entries()) {
    if (!candidate || typeof candidate !== 'object') continue;
    const task = candidate as TaskNode;
    const taskPath = single ? path : [...path, index];
    yield { task, path: taskPath, parentId, branch };
    const definition = typeof task.type === 'string' ? lookupTask(task.type) : undefined;
    for (const child of definition?.branches?.(task) ?? []) {
      const parent = typeof task.id === 'string' ? task.id : undefined;
      yield* walkTaskList(child.tasks, [...taskPath, ...child.path], parent, child.name, child.single ?? false);
    }
  }
}

export function* walkFlowTasks(flow: Record<string, unknown>): Generator<VisitedTask> {
  for (const list of TOP_LEVEL_LISTS) yield* walkTaskList(flow[list], [list], undefined, list);
}
