import { code } from '../../slack/blocks/text.js';
import type { Subcommand } from '../family.js';
import { privateReply } from '../replies.js';
import { refuseKill, requireId } from './shared.js';

/** `/flow kill <id>`: checked against the policy (refusals audited), then the service's kill (audited too). */
export const killCommand: Subcommand = {
  name: 'kill',
  usage: '/flow kill <execution id>',
  description: 'stop a running execution (its running tasks are cancelled)',
  async run(args, request, context) {
    const id = requireId(args.positionals, this.usage);
    const view = await context.service.execution(id);
    const refusal = await refuseKill(request, context, view);
    if (refusal) return refusal;
    await context.service.kill(id, request.actor.id);
    return privateReply(`:no_entry_sign: Kill requested for ${code(`${view.namespace}.${view.flowId}`)} (execution ${code(id, 100)}).`);
  },
};
