import { defineTask } from '../types.js';

/** Renders each condition and fails the task run if any of them is falsy. */
export const Assert = defineTask({
  types: ['io.kestra.plugin.core.execution.Assert'],
  title: 'Fail unless every condition holds',
  kind: 'runnable',
  properties: (k) => ({
    conditions: k
      .list(k.string())
      // In load mode the whole list may be a template string; only a literal list can be empty.
      .refine((list) => !Array.isArray(list) || list.length > 0, { message: '`conditions` needs at least one condition' })
      .describe("Expressions coerced to booleans: 0, -0 and '' are false, everything else true"),
    errorMessage: k.string().optional().describe('Extra context appended to the assertion error'),
  }),
});
