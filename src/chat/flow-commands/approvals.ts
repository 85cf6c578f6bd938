import type { Subcommand } from '../family.js';
import { approvalsMessage } from './messages.js';

/**
 * `/flow approvals`: pending approvals the actor may decide (assignee, member of an assigned
 * group, or unassigned and allowed to run the flow), minus their own runs unless the flow
 * allows self-approval and minus those they already voted on.
 */
export const approvalsCommand: Subcommand = {
  name: 'approvals',
  usage: '/flow approvals',
  description: 'approvals waiting for you',
  async run(_args, request, context) {
    const list = await context.service.approvalsFor(request.actor, { ...(context.policy ? { policy: context.policy } : {}), channel: request.channel });
    return { kind: 'private', message: approvalsMessage(list, { shellHints: request.surface === 'shell' }) };
  },
};
