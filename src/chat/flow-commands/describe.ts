import { flowDescribe } from '../../slack/blocks/flow-info.js';
import type { Subcommand } from '../family.js';
import { findFlow, requireId } from './shared.js';

/** `/flow describe <flow>`: inputs, schedules and the steps that wait for people. */
export const describeCommand: Subcommand = {
  name: 'describe',
  usage: '/flow describe <flow>',
  description: 'inputs, schedules and approval steps of a flow',
  async run(args, _request, context) {
    const reference = requireId(args.positionals, this.usage);
    const { flow } = await findFlow(context.service, reference);
    return { kind: 'private', message: flowDescribe(flow) };
  },
};
