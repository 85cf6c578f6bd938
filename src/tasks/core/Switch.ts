import { z } from 'zod';
import { type TaskBranch, defineTask, taskList } from '../types.js';
import { handlerBranches, handlerProperties } from './Sequential.js';

/** Runs the task list whose key equals the rendered `value`, or `defaults` when none does. */
export const Switch = defineTask({
  types: ['io.kestra.plugin.core.flow.Switch', 'io.kestra.core.tasks.flows.Switch'],
  title: 'Run the tasks of the case matching a value',
  kind: 'flowable',
  properties: (k) => ({
    value: k.string().describe('The value to match against the keys of `cases`'),
    // Case keys are literal strings, so the map itself is never a template.
    cases: z
      .record(
        z.string(),
        k.tasks().refine((tasks) => tasks.length > 0, { message: 'a case needs at least one task' }),
      )
      .optional()
      .describe('Task lists keyed by the value that selects them'),
    defaults: k
      .tasks()
      .refine((tasks) => tasks.length > 0, { message: "the 'defaults' property cannot be empty" })
      .optional()
      .describe('Tasks to run when no case matches'),
    ...handlerProperties(k),
  }),
  branches: (task) => {
    const cases = (task.cases ?? {}) as Record<string, unknown>;
    const caseBranches: TaskBranch[] = Object.entries(cases).map(([key, tasks]) => ({
      name: `case:${key}`,
      path: ['cases', key],
      tasks: taskList(tasks),
    }));
    return [
      ...caseBranches,
      { name: 'defaults', path: ['defaults'], tasks: taskList(task.defaults) },
      ...handlerBranches(task),
    ];
  },
});
