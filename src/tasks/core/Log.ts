import { assertNever } from '../../errors.js';
import type { PropKit } from '../kit.js';
import type { RunProps } from '../props.js';
import { type TaskLogger, defineTask } from '../types.js';

export const LOG_LEVELS = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Writes one message to the task run's log at a level named as Kestra names them. */
export function logAt(log: TaskLogger, level: LogLevel, message: string): void {
  switch (level) {
    case 'TRACE': return log.trace(message);
    case 'DEBUG': return log.debug(message);
    case 'INFO': return log.info(message);
    case 'WARN': return log.warn(message);
    case 'ERROR': return log.error(message);
    default: return assertNever(level, 'log level');
  }
}

const properties = (k: PropKit) => ({
  message: k.stringOrList(),
  level: k.enum(LOG_LEVELS).optional(),
});

/** Writes one or more messages to the task run's log; no outputs. */
export const Log = defineTask({
  types: ['io.kestra.plugin.core.log.Log', 'io.kestra.core.tasks.log.Log'],
  title: 'Log one message or a list of messages',
  kind: 'runnable',
  properties,
  async run(context, raw) {
    const props = raw as RunProps<typeof properties>;
    const messages = Array.isArray(props.message) ? props.message : [props.message];
    for (const message of messages) logAt(context.log, props.level ?? 'INFO', message);
    return {};
  },
});
