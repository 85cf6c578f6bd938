import { flowList } from '../../slack/blocks/flow-info.js';
import { code } from '../../slack/blocks/text.js';
import { privateReply } from '../replies.js';
import type { Subcommand } from '../family.js';

/** `/flow list [namespace]`: every flow's latest revision, a namespace including its sub-namespaces. */
export const listCommand: Subcommand = {
  name: 'list',
  usage: '/flow list [namespace]',
  description: 'the flows you can run (in a namespace and below)',
  async run(args, _request, context) {
    const [namespace, ...extra] = args.positionals;
    if (extra.length) return privateReply(':warning: usage: `/flow list [namespace]`');
    const entries = await context.service.flowList(namespace ? { namespace } : {});
    if (namespace && !entries.length) return privateReply(`No flows in ${code(namespace)} or below. \`/flow list\` shows every namespace.`);
    return { kind: 'private', message: flowList(entries) };
  },
};
