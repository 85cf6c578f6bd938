import { defineTask } from '../types.js';

/** Deletes a key from a namespace's key-value store; outputs `deleted`. */
export const KvDelete = defineTask({
  types: ['io.kestra.plugin.core.kv.Delete'],
  title: 'Delete a key-value pair',
  kind: 'runnable',
  properties: (k) => ({
    key: k.string().describe('The key to delete'),
    namespace: k.string().optional().describe("The namespace of the store; the flow's own by default"),
    errorOnMissing: k.bool().default(false).describe('Fail when the key has no value'),
  }),
});
