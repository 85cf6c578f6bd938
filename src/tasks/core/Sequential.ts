import type { PropKit } from '../kit.js';
import { type TaskBranch, type TaskNode, defineTask, taskList } from '../types.js';

/**
 * `errors` and `finally`, which every Kestra flowable task accepts: `errors` runs when a child
 * fails, `finally` runs whatever the outcome. Shared here because Kestra's flowables (ForEach
 * extends Sequential) all declare the same two lists.
 */
export function handlerProperties(k: PropKit) {
  return {
    errors: k.tasks().optional().describe('Tasks to run when a child task fails'),
    finally: k.tasks().optional().describe('Tasks to run at the end, whatever the outcome'),
  };
}

export function handlerBranches(task: TaskNode): TaskBranch[] {
  return [
    { name: 'errors', path: ['errors'], tasks: taskList(task.errors) },
    { name: 'finally', path: ['finally'], tasks: taskList(task.finally) },
  ];
}

/** Kestra refuses an empty `tasks` list on Sequential, Parallel and ForEach (@NotEmpty). */
export function nonEmptyTasks(k: PropKit) {
  return k.tasks().refine((tasks) => tasks.length > 0, { message: '`tasks` needs at least one task' });
}

/** Runs its tasks one after the other. */
export const Sequential = defineTask({
  types: ['io.kestra.plugin.core.flow.Sequential', 'io.kestra.core.tasks.flows.Sequential'],
  title: 'Run tasks one after the other',
  kind: 'flowable',
  properties: (k) => ({
    tasks: nonEmptyTasks(k).describe('Tasks to run in order'),
    ...handlerProperties(k),
  }),
  branches: (task) => [{ name: 'tasks', path: ['tasks'], tasks: taskList(task.tasks) }, ...handlerBranches(task)],
});
