import { taskFailed } from '../../errors.js';
import { durationMs } from '../duration.js';
import type { PropKit } from '../kit.js';
import type { RunProps } from '../props.js';
import { defineTask } from '../types.js';
import { KV_TYPES, convertKvValue } from './kv-type.js';

const properties = (k: PropKit) => ({
  key: k.string().describe('The key to set'),
  // Kestra renders the value and keeps its type (renderTyped), so any YAML value is allowed.
  value: k.json().describe('The value to store'),
  namespace: k.string().optional().describe("The namespace of the store; the flow's own by default"),
  overwrite: k.bool().default(true).describe('Replace an existing value (true) or fail (false)'),
  ttl: k.duration().optional().describe('Delete the pair after this ISO-8601 duration; kept forever when unset'),
  kvType: k.enum(KV_TYPES).optional().describe('Type to store the value as; a string when unset'),
  kvDescription: k.string().optional().describe('A description of the pair'),
});

/**
 * Stores a value under a key in a namespace's key-value store; no outputs. With
 * `overwrite: false` the store itself refuses an existing key, so two executions racing
 * for the same key cannot both win.
 */
export const KvSet = defineTask({
  types: ['io.kestra.plugin.core.kv.Set'],
  title: 'Create or modify a key-value pair',
  kind: 'runnable',
  properties,
  async run(context, raw) {
    const props = raw as RunProps<typeof properties>;
    if (props.value === undefined || props.value === null) {
      throw taskFailed(`KV Set of key '${props.key}': \`value\` is required`, { retryable: false });
    }
    const namespace = props.namespace ?? context.execution.namespace;
    const value = convertKvValue(props.kvType, props.value);
    const options: { overwrite: boolean; ttlSeconds?: number } = { overwrite: props.overwrite };
    if (props.ttl !== undefined) options.ttlSeconds = Math.ceil(durationMs(props.ttl, 'ttl') / 1000);
    await context.kv.set(namespace, props.key, value, options);
    return {};
  },
});
