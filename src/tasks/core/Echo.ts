import { defineTask } from '../types.js';
import { LOG_LEVELS } from './Log.js';

/** Deprecated by Kestra in favour of Log; kept so older flows still load. */
export const Echo = defineTask({
  types: ['io.kestra.plugin.core.debug.Echo', 'io.kestra.core.tasks.debugs.Echo'],
  title: 'Log a message (deprecated: use io.kestra.plugin.core.log.Log)',
  kind: 'runnable',
  properties: (k) => ({
    format: k.string().optional().describe('The templated message to log'),
    level: k.enum(LOG_LEVELS).default('INFO').describe('Log level of the message'),
  }),
});
