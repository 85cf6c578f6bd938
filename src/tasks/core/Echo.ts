import type { PropKit } from '../kit.js';
import type { RunProps } from '../props.js';
import { defineTask } from '../types.js';
import { LOG_LEVELS, logAt } from './Log.js';

const properties = (k: PropKit) => ({
  format: k.string().optional().describe('The templated message to log'),
  level: k.enum(LOG_LEVELS).default('INFO').describe('Log level of the message'),
});

/** Deprecated by Kestra in favour of Log; kept so older flows still load and run. */
export const Echo = defineTask({
  types: ['io.kestra.plugin.core.debug.Echo', 'io.kestra.core.tasks.debugs.Echo'],
  title: 'Log a message (deprecated: use io.kestra.plugin.core.log.Log)',
  kind: 'runnable',
  properties,
  async run(context, raw) {
    const props = raw as RunProps<typeof properties>;
    if (props.format !== undefined) logAt(context.log, props.level, props.format);
    return {};
  },
});
