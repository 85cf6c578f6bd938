import type { PropKit } from '../kit.js';
import type { RunProps } from '../props.js';
import { defineTask } from '../types.js';

const properties = (k: PropKit) => ({
  format: k.string().optional().describe('The templated string to render'),
});

/** Renders `format` and returns it as the `value` output (debugging, small computed values). */
export const Return = defineTask({
  types: ['io.kestra.plugin.core.debug.Return', 'io.kestra.core.tasks.debugs.Return'],
  title: 'Return a rendered string as the value output',
  kind: 'runnable',
  properties,
  async run(context, raw) {
    const { format } = raw as RunProps<typeof properties>;
    // As Kestra: the value is logged at DEBUG, and a missing format leaves `value` out.
    if (format === undefined) return { outputs: {} };
    context.log.debug(format);
    return { outputs: { value: format } };
  },
});
