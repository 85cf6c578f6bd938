import { z } from 'zod';
import { defineTask } from '../types.js';

/**
 * Posts a message to a Slack incoming webhook. Kestra moved the task to its Slack plugin; the
 * notifications-plugin name that most flows still use is one of its aliases.
 */
export const SlackIncomingWebhook = defineTask({
  types: [
    'io.kestra.plugin.slack.notifications.SlackIncomingWebhook',
    'io.kestra.plugin.notifications.slack.SlackIncomingWebhook',
    'io.kestra.plugin.slack.SlackIncomingWebhook',
  ],
  title: 'Send a Slack message through an incoming webhook',
  kind: 'runnable',
  properties: (k) => ({
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
  }),
});
