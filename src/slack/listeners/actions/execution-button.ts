import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import { quoteWord } from '../../../chat/command-line.js';
import { type ListenerDeps, actorOf, chatContext, claim, clickSource, guarded, privateReply } from '../kit.js';
import { messageModal, renderReply } from '../reply.js';

/**
 * The Status and Logs buttons (value: the execution id) answer exactly what `/flow status`
 * and `/flow logs` answer. Under a message the answer is ephemeral; in the App Home, where
 * ephemerals cannot go, it opens as a modal over the tab.
 */
export function registerExecutionButton(app: App, deps: ListenerDeps, actionId: string, subcommand: 'status' | 'logs'): void {
  app.action<BlockAction<ButtonAction>>(actionId, async ({ ack, body, action, client, respond }) => {
    await ack();
    const click = clickSource(body, action, respond);
    const reply = privateReply(client, click);
    await guarded(deps, actionId, reply, async () => {
      if (!(await claim(deps, actionId, body))) return;
      const channel = click.channel ?? click.user;
      const answer = await deps.registry.dispatch(
        { family: 'flow', text: `${subcommand} ${quoteWord(click.value)}`, actor: actorOf(deps, click.user), channel, surface: 'slack' },
        chatContext(deps),
      );
      if (click.fromHome && answer.kind === 'private') {
        await client.views.open({ trigger_id: click.triggerId, view: messageModal(subcommand === 'status' ? 'Execution status' : 'Execution logs', answer.message) });
        return;
      }
      await renderReply(deps, answer, { client, user: click.user, channel, triggerId: click.triggerId, respond: click.respond, reply });
    });
  });
}
