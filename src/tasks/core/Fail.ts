import { defineTask } from '../types.js';

/** Fails the task run, always or only when `condition` renders truthy. */
export const Fail = defineTask({
  types: ['io.kestra.plugin.core.execution.Fail', 'io.kestra.core.tasks.executions.Fail'],
  title: 'Fail the execution, optionally on a condition',
  kind: 'runnable',
  properties: (k) => ({
    condition: k
      .string()
      .optional()
      .describe("Fail only when this renders truthy; 0, -0 and '' are false. Without it the task always fails"),
    errorMessage: k.string().default('Task failure').describe('The error message of the failure'),
  }),
});
