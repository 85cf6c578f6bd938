import { assetId } from '../../assets/declared.js';
import type { DeclaredOutput } from '../../assets/types.js';
import { taskFailed } from '../../errors.js';
import type { PropKit } from '../kit.js';
import type { RunProps } from '../props.js';
import { defineTask } from '../types.js';
import { assetStore, kestraConnection, noteIgnored, taskOrigin } from './inventory.js';

const properties = (k: PropKit) => ({
  assetId: k.string().describe('The id of the asset, unique across the inventory'),
  assetType: k.string().describe('Its type: a free string such as io.kestra.plugin.ee.assets.VM or TABLE'),
  namespace: k.string().optional().describe("The asset's namespace; the flow's own by default"),
  displayName: k.string().optional().describe('A human-readable name'),
  assetDescription: k.string().optional().describe('A description (markdown)'),
  metadata: k.map(k.json()).optional().describe('Key-value metadata, merged into what the asset already has'),
  ...kestraConnection(k),
});

/**
 * Creates an asset or updates it (Kestra's asset Set task). Metadata is merged key by key and
 * the change recorded in the asset's history (CREATED, or UPDATED with the diff), stamped with
 * this execution, task and the user who started the run. Outputs the asset as stored.
 */
export const AssetSet = defineTask({
  types: ['io.kestra.plugin.kestra.ee.assets.Set'],
  title: 'Create or update an asset in the inventory',
  kind: 'runnable',
  properties,
  async run(context, raw) {
    const props = raw as RunProps<typeof properties>;
    noteIgnored(context.log, props);
    if (props.assetType.trim() === '') throw taskFailed('`assetType`: the asset type rendered to an empty value', { retryable: false });
    const asset: DeclaredOutput = { id: assetId('assetId', props.assetId), type: props.assetType.trim() };
    asset.namespace = props.namespace?.trim() || context.execution.namespace;
    if (props.displayName?.trim()) asset.displayName = props.displayName;
    if (props.assetDescription?.trim()) asset.description = props.assetDescription;
    if (props.metadata) asset.metadata = props.metadata;
    const stored = await assetStore(context).set(taskOrigin(context), asset);
    context.log.info(`asset ${stored.id} (${stored.type}) recorded`);
    return { outputs: { asset: stored } };
  },
});
