import { defineTask } from '../types.js';

/** Waits for a fixed duration before the next task. */
export const Sleep = defineTask({
  types: ['io.kestra.plugin.core.flow.Sleep'],
  title: 'Wait for a duration',
  kind: 'runnable',
  properties: (k) => ({
    duration: k.duration().describe('How long to wait, as an ISO-8601 duration such as PT5S'),
  }),
});
