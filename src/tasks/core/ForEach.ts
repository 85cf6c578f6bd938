import { z } from 'zod';
import { defineTask, taskList } from '../types.js';
import { handlerBranches, handlerProperties, nonEmptyTasks } from './Sequential.js';

/** Runs its task group once per value; `{{ taskrun.value }}` holds the current one. */
export const ForEach = defineTask({
  types: ['io.kestra.plugin.core.flow.ForEach'],
  title: 'Run a group of tasks for each value of a list',
  kind: 'flowable',
  properties: (k) => ({
    // Kestra takes a list or a string holding a JSON array (often a template); a plain
    // string is only known to be a valid list once rendered, so load mode lets it through.
    values: (k.mode === 'load' ? z.union([k.list(k.json()), z.string()]) : k.list(k.json())).describe(
      'The values to iterate over: a list, or a JSON array as a string',
    ),
    concurrencyLimit: k
      .int({ min: 0 })
      .default(1)
      .describe('How many task groups may run at once: 1 runs them one after the other, 0 all at once'),
    tasks: nonEmptyTasks(k).describe('Tasks to run, in order, for each value'),
    ...handlerProperties(k),
  }),
  branches: (task) => [{ name: 'tasks', path: ['tasks'], tasks: taskList(task.tasks) }, ...handlerBranches(task)],
});
