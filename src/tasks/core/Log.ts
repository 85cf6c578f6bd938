import { defineTask } from '../types.js';

export const LOG_LEVELS = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR'] as const;

/** Writes one or more messages to the task run's log. */
export const Log = defineTask({
  types: ['io.kestra.plugin.core.log.Log', 'io.kestra.core.tasks.log.Log'],
  title: 'Log one message or a list of messages',
  kind: 'runnable',
  properties: (k) => ({
    message: k.stringOrList(),
    level: k.enum(LOG_LEVELS).optional(),
  }),
});
