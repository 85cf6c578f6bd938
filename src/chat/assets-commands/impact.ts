import { assetImpactMessage } from '../../slack/blocks/assets.js';
import type { Subcommand } from '../family.js';
import { assetService, idAndDepth } from './shared.js';

/** `/assets impact <id>`: everything downstream, and what would be left with no upstream. */
export const impactCommand: Subcommand = {
  name: 'impact',
  usage: '/assets impact <id> [depth=N]',
  description: 'what removing an asset would affect, and what it would orphan',
  async run(args, _request, context) {
    const { id, depth } = idAndDepth(args, this.usage);
    const view = await assetService(context).impact(id, { depth });
    return { kind: 'private', message: assetImpactMessage(view) };
  },
};
