import { defineTask } from '../types.js';

/** Renders `format` and returns it as the `value` output (debugging, small computed values). */
export const Return = defineTask({
  types: ['io.kestra.plugin.core.debug.Return', 'io.kestra.core.tasks.debugs.Return'],
  title: 'Return a rendered string as the value output',
  kind: 'runnable',
  properties: (k) => ({
    format: k.string().optional().describe('The templated string to render'),
  }),
});
