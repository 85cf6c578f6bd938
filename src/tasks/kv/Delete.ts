import { taskFailed } from '../../errors.js';
import type { PropKit } from '../kit.js';
import type { RunProps } from '../props.js';
import { defineTask } from '../types.js';

const properties = (k: PropKit) => ({
  key: k.string().describe('The key to delete'),
  namespace: k.string().optional().describe("The namespace of the store; the flow's own by default"),
  errorOnMissing: k.bool().default(false).describe('Fail when the key has no value'),
});

/** Deletes a key from a namespace's key-value store; outputs `deleted`. */
export const KvDelete = defineTask({
  types: ['io.kestra.plugin.core.kv.Delete'],
  title: 'Delete a key-value pair',
  kind: 'runnable',
  properties,
  async run(context, raw) {
    const props = raw as RunProps<typeof properties>;
    const namespace = props.namespace ?? context.execution.namespace;
    const deleted = await context.kv.delete(namespace, props.key);
    if (!deleted && props.errorOnMissing) {
      throw taskFailed(`No value found for key '${props.key}' in namespace '${namespace}' and \`errorOnMissing\` is set to true`, {
        retryable: false,
      });
    }
    return { outputs: { deleted } };
  },
});
