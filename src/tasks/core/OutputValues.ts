import type { PropKit } from '../kit.js';
import type { RunProps } from '../props.js';
import { defineTask } from '../types.js';

const properties = (k: PropKit) => ({
  // Older Kestra took only strings; current Kestra takes any value and renders strings inside.
  values: k.map(k.json()).describe('Values to output, by name; strings are rendered as templates'),
});

/** Publishes rendered values as `outputs.<id>.values.<name>` for downstream tasks. */
export const OutputValues = defineTask({
  types: ['io.kestra.plugin.core.output.OutputValues', 'io.kestra.core.tasks.outputs.OutputValues'],
  title: 'Output one or more values',
  kind: 'runnable',
  properties,
  async run(_context, raw) {
    const { values } = raw as RunProps<typeof properties>;
    return { outputs: { values } };
  },
});
