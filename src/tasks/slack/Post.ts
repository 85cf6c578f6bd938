import { taskFailed } from '../../errors.js';
import type { ChatPoster } from '../../reports/ports.js';
import type { KnownBlock } from '../../slack/blocks/slack-types.js';
import { createNotifierClient } from '../../slack/notifier/client.js';
import { createSlackChatPoster } from '../../slack/notifier/report-poster.js';
import { slackMessageJson } from '../notifications/slack-message.js';
import type { PropKit } from '../kit.js';
import type { RunProps } from '../props.js';
import type { TaskIntegrations } from '../integrations.js';
import { defineTask } from '../types.js';

const properties = (k: PropKit) => ({
  token: k
    .string()
    .optional()
    .describe("Bot token (a secret: use {{ secret(...) }}); Patchbay: absent = the bot's own Slack connection"),
  channel: k.string().describe('Channel id (C…) or name (#ops-oncall)'),
  messageText: k.string().optional().describe('Message text (Markdown bold, italics and links become Slack mrkdwn)'),
  payload: k.string().optional().describe('The full message as a JSON string (text, blocks…)'),
});

type PostProps = RunProps<typeof properties>;

/** The poster for this run: the flow's own token, else the server's chat surface (Slack or the shell). */
function posterFor(props: PostProps, integrations: TaskIntegrations): ChatPoster | undefined {
  if (props.token) return createSlackChatPoster(createNotifierClient(props.token, integrations.slackApiUrl ? { slackApiUrl: integrations.slackApiUrl } : {}));
  return integrations.chat;
}

/**
 * Posts a message to a Slack channel with the Web API (Kestra's Slack app plugin). Without a
 * `token` Patchbay posts through the bot's own connection — or, with no Slack configured, the
 * terminal chat — so shipped flows notify people without a second credential. Where no chat
 * exists at all (a bare `patchbay worker`), the message is logged as a warning instead: the
 * run goes on, and the log says plainly that nobody was told.
 */
export const SlackPost = defineTask({
  types: ['io.kestra.plugin.slack.app.chats.Post'],
  title: 'Post a message to a Slack channel',
  kind: 'runnable',
  properties,
  async run(context, raw) {
    const props = raw as PostProps;
    const message = JSON.parse(slackMessageJson(props.payload, props.messageText)) as { text?: unknown; blocks?: unknown };
    const text = typeof message.text === 'string' ? message.text : '';
    const blocks = Array.isArray(message.blocks) ? (message.blocks as KnownBlock[]) : [];
    if (!text && blocks.length === 0) throw taskFailed('the message has neither `text` nor `blocks`', { retryable: false });
    const poster = posterFor(props, context.integrations);
    if (!poster) {
      context.log.warn(`No chat is configured (no SLACK_BOT_TOKEN and no \`token\`): not posted to ${props.channel}: ${text}`);
      return { outputs: { posted: false, channel: props.channel, timestamp: null } };
    }
    const posted = await poster.postMessage({ channel: props.channel, text, blocks });
    context.log.info(`Posted to ${props.channel} (${posted.channel} ${posted.ts})`);
    return { outputs: { posted: true, channel: posted.channel, timestamp: posted.ts } };
  },
});
