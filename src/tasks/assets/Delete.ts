import { assetId } from '../../assets/declared.js';
import { taskFailed } from '../../errors.js';
import type { PropKit } from '../kit.js';
import type { RunProps } from '../props.js';
import { defineTask } from '../types.js';
import { assetStore, kestraConnection, noteIgnored, taskOrigin } from './inventory.js';

const properties = (k: PropKit) => ({
  assetId: k.string().describe('The id of the asset to delete'),
  ...kestraConnection(k),
});

/**
 * Deletes an asset (Kestra's asset Delete task): it is marked DELETED and leaves lists and
 * `assets()`, while its row, lineage and history stay for `assets show`. Deleting an asset
 * that is already deleted succeeds with `deleted: false` (so a retried run is harmless);
 * an id that never existed fails, since it is most likely a typo in the flow.
 */
export const AssetDelete = defineTask({
  types: ['io.kestra.plugin.kestra.ee.assets.Delete'],
  title: 'Delete an asset from the inventory (its history is kept)',
  kind: 'runnable',
  properties,
  async run(context, raw) {
    const props = raw as RunProps<typeof properties>;
    noteIgnored(context.log, props);
    const id = assetId('assetId', props.assetId);
    const outcome = await assetStore(context).delete(taskOrigin(context), id);
    if (outcome === 'missing') throw taskFailed(`\`assetId\`: no asset \`${id}\` in the inventory`, { retryable: false });
    if (outcome === 'already-deleted') context.log.info(`asset ${id} was already deleted`);
    return { outputs: { deleted: outcome === 'deleted' } };
  },
});
