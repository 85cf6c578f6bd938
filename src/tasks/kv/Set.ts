import { defineTask } from '../types.js';

export const KV_TYPES = ['STRING', 'NUMBER', 'BOOLEAN', 'DATETIME', 'DATE', 'DURATION', 'JSON'] as const;

/** Stores a value under a key in a namespace's key-value store. */
export const KvSet = defineTask({
  types: ['io.kestra.plugin.core.kv.Set'],
  title: 'Create or modify a key-value pair',
  kind: 'runnable',
  properties: (k) => ({
    key: k.string().describe('The key to set'),
    // Kestra renders the value and keeps its type (renderTyped), so any YAML value is allowed.
    value: k.json().describe('The value to store'),
    namespace: k.string().optional().describe("The namespace of the store; the flow's own by default"),
    overwrite: k.bool().default(true).describe('Replace an existing value (true) or fail (false)'),
    ttl: k.duration().optional().describe('Delete the pair after this ISO-8601 duration; kept forever when unset'),
    kvType: k.enum(KV_TYPES).optional().describe('Type to store the value as; a string when unset'),
    kvDescription: k.string().optional().describe('A description of the pair'),
  }),
});
