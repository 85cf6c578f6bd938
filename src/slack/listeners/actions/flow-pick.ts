import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import { quoteWord } from '../../../chat/command-line.js';
import { FLOW_PICK_ACTION_ID } from '../../../chat/flow-commands/index.js';
import { type ListenerDeps, actorOf, chatContext, claim, clickSource, guarded, privateReply } from '../kit.js';
import { renderReply } from '../reply.js';

/**
 * The flow picker's Run button (value `namespace.flowId`): the same path as typing
 * `/flow run <flow>`, so the policy, disabled flows and the run modal behave identically.
 * From the App Home there is no channel: the status message then goes to the person's DM.
 */
export function registerFlowPick(app: App, deps: ListenerDeps): void {
  app.action<BlockAction<ButtonAction>>(FLOW_PICK_ACTION_ID, async ({ ack, body, action, client, respond }) => {
    await ack();
    const click = clickSource(body, action, respond);
    const reply = privateReply(client, click);
    await guarded(deps, 'flow pick', reply, async () => {
      if (!(await claim(deps, 'flow pick', body))) return;
      const channel = click.channel ?? click.user;
      const answer = await deps.registry.dispatch(
        { family: 'flow', text: `run ${quoteWord(click.value)}`, actor: actorOf(deps, click.user), channel, surface: 'slack' },
        chatContext(deps),
      );
      await renderReply(deps, answer, { client, user: click.user, channel, triggerId: click.triggerId, respond: click.respond, reply });
    });
  });
}
