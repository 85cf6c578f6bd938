import { defineTask } from '../types.js';

/** Reads a value from a namespace's key-value store into the `value` output. */
export const KvGet = defineTask({
  types: ['io.kestra.plugin.core.kv.Get'],
  title: 'Get the value of a key',
  kind: 'runnable',
  properties: (k) => ({
    key: k.string().describe('The key to read'),
    namespace: k.string().optional().describe("The namespace of the store; the flow's own by default"),
    errorOnMissing: k.bool().default(false).describe('Fail when the key has no value'),
  }),
});
