import { taskFailed } from '../../errors.js';

/**
 * The JSON text Kestra's Slack plugin posts (MessageService.prepareMessageAsJson): `payload`
 * wins and must be JSON; `messageText` is taken as JSON first and otherwise sent as
 * `{"text": …}` with Markdown's bold, italics and links turned into Slack mrkdwn.
 * Patchbay only takes `messageText` as JSON when it is an object: Kestra would post the
 * text "42" as the bare number 42, which Slack refuses.
 */
export function slackMessageJson(payload: string | undefined, messageText: string | undefined): string {
  if (payload !== undefined) {
    try {
      return JSON.stringify(JSON.parse(payload));
    } catch (error) {
      throw taskFailed(`payload is not valid JSON: ${(error as Error).message}`, { retryable: false });
    }
  }
  if (messageText !== undefined) {
    const asJson = parseObject(messageText);
    return JSON.stringify(asJson ?? { text: toSlackMrkdwn(messageText) });
  }
  throw taskFailed("Either 'messageText' or 'payload' must be provided", { retryable: false });
}

function parseObject(text: string): object | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

function toSlackMrkdwn(text: string): string {
  return text
    .replace(/\*\*(.*?)\*\*/g, '*$1*')
    .replace(/__(.*?)__/g, '_$1_')
    .replace(/\[(.*?)\]\((.*?)\)/g, '<$2|$1>');
}
