import { checkDepth } from '../../assets/service.js';
import { assetGraphCaption } from '../../slack/blocks/assets.js';
import type { Subcommand } from '../family.js';
import { assetService, idAndDepth } from './shared.js';

/** A file name any file system and Slack accept, recognisably the asset's. */
export function graphFilename(id: string): string {
  const stem = id.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^[._]+/, '').slice(0, 100);
  return `${stem || 'asset'}-lineage.png`;
}

/** `/assets graph <id> [depth=N]`: the lineage picture as a PNG file with a caption. */
export const graphCommand: Subcommand = {
  name: 'graph',
  usage: '/assets graph <id> [depth=N]',
  description: 'a picture of the lineage around an asset (PNG)',
  async run(args, _request, context) {
    const { id, depth: typed } = idAndDepth(args, this.usage);
    // Checked here too, for the caption; the service applies the same rule.
    const depth = checkDepth(typed, 'graph');
    const view = await assetService(context).graph(id, { depth });
    return {
      kind: 'file',
      filename: graphFilename(id),
      content: view.png,
      title: `Lineage of ${id}`,
      message: assetGraphCaption(id, view, depth),
    };
  },
};
