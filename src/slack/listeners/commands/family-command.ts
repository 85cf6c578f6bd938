import type { App } from '@slack/bolt';
import { type ListenerDeps, actorOf, chatContext, claim, guarded, privateReply } from '../kit.js';
import { renderReply } from '../reply.js';

/**
 * One slash command per registered family (`/flow`, `/assets`, and whatever is registered
 * next): the text goes to the registry, the ChatReply comes back as Slack messages or a
 * modal. The ack is an empty 200 sent before anything else, so Slack never shows a timeout
 * and the person's command line is not echoed back into the channel.
 */
export function registerFamilyCommands(app: App, deps: ListenerDeps): void {
  for (const family of deps.registry.names()) {
    const what = `/${family}`;
    app.command(what, async ({ ack, body, command, client, respond }) => {
      await ack();
      const reply = privateReply(client, { user: command.user_id, respond, channel: command.channel_id });
      await guarded(deps, what, reply, async () => {
        if (!(await claim(deps, what, body))) return;
        const answer = await deps.registry.dispatch(
          { family, text: command.text, actor: actorOf(deps, command.user_id), channel: command.channel_id, surface: 'slack' },
          chatContext(deps),
        );
        await renderReply(deps, answer, {
          client,
          user: command.user_id,
          channel: command.channel_id,
          triggerId: command.trigger_id,
          respond,
          reply,
        });
      });
    });
  }
}
