import { assetViewMessage } from '../../slack/blocks/assets.js';
import type { Subcommand } from '../family.js';
import { assetService, idAndDepth } from './shared.js';

/** Events read for the history: more than a message shows, so the count of older ones is right. */
const HISTORY_EVENTS = 40;

/** `/assets show <id> [depth=N]`: the asset, its lineage both ways, its history and recent runs. */
export const showCommand: Subcommand = {
  name: 'show',
  usage: '/assets show <id> [depth=N]',
  description: 'an asset: metadata, what it depends on, what depends on it, history',
  async run(args, _request, context) {
    const { id, depth } = idAndDepth(args, this.usage);
    const view = await assetService(context).show(id, { depth, events: HISTORY_EVENTS });
    return { kind: 'private', message: assetViewMessage(view) };
  },
};
