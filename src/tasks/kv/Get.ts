import { taskFailed } from '../../errors.js';
import type { PropKit } from '../kit.js';
import type { RunProps } from '../props.js';
import { defineTask } from '../types.js';

const properties = (k: PropKit) => ({
  key: k.string().describe('The key to read'),
  namespace: k.string().optional().describe("The namespace of the store; the flow's own by default"),
  errorOnMissing: k.bool().default(false).describe('Fail when the key has no value'),
});

/**
 * Reads a value from a namespace's key-value store into the `value` output. A missing key
 * leaves `value` out of the outputs, as Kestra does (it does not serialise nulls).
 */
export const KvGet = defineTask({
  types: ['io.kestra.plugin.core.kv.Get'],
  title: 'Get the value of a key',
  kind: 'runnable',
  properties,
  async run(context, raw) {
    const props = raw as RunProps<typeof properties>;
    const namespace = props.namespace ?? context.execution.namespace;
    const entry = await context.kv.get(namespace, props.key);
    if (entry.found) return { outputs: { value: entry.value } };
    if (props.errorOnMissing) {
      throw taskFailed(`No value found for key '${props.key}' in namespace '${namespace}' and \`errorOnMissing\` is set to true`, {
        retryable: false,
      });
    }
    return { outputs: {} };
  },
});
