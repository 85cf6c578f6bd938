import { defineTask } from '../types.js';

/**
 * Waits for a fixed duration before the next task. Kestra runs it on a worker; Patchbay makes
 * it a durable timer in the planner, so a sleeping flow holds no worker and survives restarts.
 */
export const Sleep = defineTask({
  types: ['io.kestra.plugin.core.flow.Sleep'],
  title: 'Wait for a duration',
  kind: 'flowable',
  properties: (k) => ({
    duration: k.duration().describe('How long to wait, as an ISO-8601 duration such as PT5S'),
  }),
});
