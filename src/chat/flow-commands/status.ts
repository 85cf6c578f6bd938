import { statusMessage } from '../../slack/blocks/status-message.js';
import type { Subcommand } from '../family.js';
import { executionWithFlow, requireId } from './shared.js';

/** `/flow status <id>`: the same message the live status shows, as of now. */
export const statusCommand: Subcommand = {
  name: 'status',
  usage: '/flow status <execution id>',
  description: 'where an execution stands, step by step',
  async run(args, _request, context) {
    const id = requireId(args.positionals, this.usage);
    const { view, flow } = await executionWithFlow(context.service, id);
    return { kind: 'private', message: statusMessage(view, flow) };
  },
};
