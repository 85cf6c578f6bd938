import { ErrorCode, PatchbayError } from '../../errors.js';
import type { ChatPoster, PostedMessage } from '../../reports/ports.js';
import { type WebClient, isPermanent, slackErrorName } from './client.js';

/**
 * The ChatPoster of the Slack surface: what the PatchWindow task and `/flow report` post
 * through (TaskIntegrations `chat`). `chat.postMessage` takes a channel id or a channel name
 * (`#patching` or `patching`) and answers with the id; the chart then goes with
 * `files.uploadV2` into that message's thread, by id (uploads do not resolve names). Names are
 * left to Slack rather than looked up with conversations.list, which would need the
 * `channels:read` scope the app manifest does not ask for.
 *
 * Errors are PatchbayErrors naming the channel and Slack's reason; the permanent ones (no such
 * channel, bot not invited, missing scope) are not retryable, the rest (network, 5xx) are.
 */
const SLACK_ID = /^[CGDUW][A-Z0-9]{2,}$/;

/** A channel as chat.postMessage takes it: ids unchanged, names without surrounding blanks, `#` kept off. */
export function channelArgument(channel: string): string {
  const trimmed = channel.trim();
  if (trimmed === '') throw new PatchbayError(ErrorCode.USAGE, '`channel`: empty; give a Slack channel id (C…) or name (#patching)');
  return SLACK_ID.test(trimmed) ? trimmed : trimmed.replace(/^#/, '');
}

function failure(what: string, channel: string, error: unknown): PatchbayError {
  const reason = slackErrorName(error) ?? (error instanceof Error ? error.message : String(error));
  const hint = reason === 'not_in_channel' || reason === 'channel_not_found' ? ' (invite the bot to the channel, or check its name or id)' : '';
  return new PatchbayError(ErrorCode.TASK_FAILED, `Slack refused ${what} to channel "${channel}": ${reason}${hint}`, {
    retryable: !isPermanent(error),
    cause: error,
  });
}

export function createSlackChatPoster(client: WebClient): ChatPoster {
  return {
    async postMessage({ channel, text, blocks }): Promise<PostedMessage> {
      const target = channelArgument(channel);
      let answer: Awaited<ReturnType<WebClient['chat']['postMessage']>>;
      try {
        answer = await client.chat.postMessage({ channel: target, text, blocks, unfurl_links: false, unfurl_media: false });
      } catch (error) {
        throw failure('chat.postMessage', channel, error);
      }
      if (!answer.ts || !answer.channel) {
        throw new PatchbayError(ErrorCode.TASK_FAILED, `Slack answered chat.postMessage to channel "${channel}" without a channel and ts`);
      }
      return { channel: answer.channel, ts: answer.ts };
    },

    async uploadFile({ channel, threadTs, filename, title, data, altText }): Promise<void> {
      const target = channelArgument(channel);
      const file = { file: data, filename, title, ...(altText ? { alt_text: altText } : {}) };
      try {
        // Two shapes because the argument type tells a thread destination from a channel one.
        if (threadTs) await client.filesUploadV2({ channel_id: target, thread_ts: threadTs, ...file });
        else await client.filesUploadV2({ channel_id: target, ...file });
      } catch (error) {
        throw failure('files.uploadV2', channel, error);
      }
    },
  };
}
