import type { Flow } from '../flow/model.js';
import { walkFlowTasks } from '../flow/walk.js';
import type { TaskNode } from '../tasks/types.js';

/** Every task of a flow by id (ids are unique across nesting levels), computed once per flow. */
const cache = new WeakMap<Flow, ReadonlyMap<string, TaskNode>>();

export function taskById(flow: Flow): ReadonlyMap<string, TaskNode> {
  let index = cache.get(flow);
  if (!index) {
    index = new Map([...walkFlowTasks(flow as unknown as Record<string, unknown>)].map(({ task }) => [task.id, task]));
    cache.set(flow, index);
  }
  return index;
}
