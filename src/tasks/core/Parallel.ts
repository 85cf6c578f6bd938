import { defineTask, taskList } from '../types.js';
import { handlerBranches, handlerProperties, nonEmptyTasks } from './Sequential.js';

/** Starts its tasks at the same time, at most `concurrent` of them at once. */
export const Parallel = defineTask({
  types: ['io.kestra.plugin.core.flow.Parallel', 'io.kestra.core.tasks.flows.Parallel'],
  title: 'Run tasks in parallel',
  kind: 'flowable',
  properties: (k) => ({
    tasks: nonEmptyTasks(k).describe('Tasks to start in parallel'),
    concurrent: k
      .int({ min: 0 })
      .default(0)
      .describe('How many child tasks may run at once; 0 means no limit'),
    failFast: k.bool().default(false).describe('Kill the still-running siblings as soon as one child fails'),
    ...handlerProperties(k),
  }),
  branches: (task) => [{ name: 'tasks', path: ['tasks'], tasks: taskList(task.tasks) }, ...handlerBranches(task)],
});
