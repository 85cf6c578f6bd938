import { z } from 'zod';
import { taskFailed } from '../../errors.js';
import { durationMs } from '../duration.js';
import { sendHttp } from '../http/client.js';
import { type HttpOptions, resolveHttpOptions } from '../http/request-options.js';
import type { PropKit } from '../kit.js';
import type { RunProps } from '../props.js';
import { defineTask } from '../types.js';
import { slackMessageJson } from './slack-message.js';

const properties = (k: PropKit) => ({
  url: k.string().describe('The incoming webhook URL (a secret: use {{ secret(...) }})'),
  payload: k.string().optional().describe('The full message as a JSON string (text, blocks…); rendered twice'),
  messageText: k.string().optional().describe('Plain message text, sent as {"text": …} with no JSON escaping needed'),
  // Loose: the HTTP client options differ between plugin versions (proxy, headers, charset…).
  options: z
    .looseObject({
      connectTimeout: k.duration().optional(),
      readTimeout: k.duration().optional(),
      readIdleTimeout: k.duration().optional(),
      connectionPoolIdleTimeout: k.duration().optional(),
      maxContentLength: k.int({ min: 0 }).optional(),
      defaultCharset: k.string().optional(),
      headers: k.map(k.string()).optional(),
      proxy: z.looseObject({}).optional(),
    })
    .optional()
    .describe('HTTP client options'),
});

// The Slack plugin's read timeout default.
const DEFAULT_READ_TIMEOUT = 'PT10S';

/**
 * Posts a message to a Slack incoming webhook; no outputs. Kestra moved the task to its
 * Slack plugin; the notifications-plugin name that most flows still use is one of its
 * aliases. A refused post fails the task; Slack's 5xx and 429 are worth a retry, a 4xx
 * (revoked webhook, malformed blocks) is not.
 */
export const SlackIncomingWebhook = defineTask({
  types: [
    'io.kestra.plugin.slack.notifications.SlackIncomingWebhook',
    'io.kestra.plugin.notifications.slack.SlackIncomingWebhook',
    'io.kestra.plugin.slack.SlackIncomingWebhook',
  ],
  title: 'Send a Slack message through an incoming webhook',
  kind: 'runnable',
  properties,
  async run(context, raw) {
    const props = raw as RunProps<typeof properties>;
    const message = slackMessageJson(props.payload, props.messageText);
    const options = props.options ?? {};
    const resolved = resolveHttpOptions({ proxy: options.proxy as HttpOptions['proxy'] });
    context.log.debug(`Send Slack webhook: ${message}`);
    const reply = await sendHttp(
      {
        method: 'POST',
        url: props.url,
        headers: { 'Content-Type': 'application/json; charset=utf-8', ...(options.headers ?? {}) },
        body: message,
        ...(options.connectTimeout === undefined ? {} : { connectTimeoutMs: durationMs(options.connectTimeout, 'options.connectTimeout') }),
        readIdleTimeoutMs: durationMs(options.readTimeout ?? DEFAULT_READ_TIMEOUT, 'options.readTimeout'),
        followRedirects: true,
        maxContentLength: options.maxContentLength ?? resolved.maxContentLength,
        insecure: false,
        ...(resolved.proxy === undefined ? {} : { proxy: resolved.proxy }),
        signal: context.signal,
      },
      // The webhook URL is a credential: never name it.
      'Slack webhook request',
    );
    if (reply.status < 200 || reply.status >= 300) {
      const retryable = reply.status >= 500 || reply.status === 429;
      throw taskFailed(`Slack webhook request failed with status ${reply.status}: ${reply.body ?? ''}`, { retryable });
    }
    context.log.info('Request succeeded');
    return {};
  },
});
