/**
 * Small replies every command family needs: a one-paragraph notice and the conversion of a
 * thrown error into something a person can act on. Internal failures are not echoed (they may
 * carry SQL or stack details); the surface logs them through its `onError`.
 */
import { ErrorCode, isPatchbayError } from '../errors.js';
import type { KnownBlock, Message } from '../slack/blocks/slack-types.js';
import { LIMITS, mrkdwn, safeText, truncate } from '../slack/blocks/text.js';
import { mrkdwnToText } from '../slack/blocks/blocks-to-text.js';
import type { ChatReply } from './types.js';

/** A message of one section; `text` must already be safe mrkdwn (built with safeText, code…). */
export function notice(text: string, extra: KnownBlock[] = []): Message {
  return {
    text: truncate(mrkdwnToText(text), LIMITS.messageText),
    blocks: [{ type: 'section', block_id: 'notice', text: mrkdwn(text) }, ...extra],
  };
}

export const privateReply = (text: string, extra: KnownBlock[] = []): ChatReply => ({ kind: 'private', message: notice(text, extra) });

const ICON: Partial<Record<string, string>> = {
  [ErrorCode.FORBIDDEN]: ':no_entry_sign:',
  [ErrorCode.NOT_FOUND]: ':grey_question:',
  [ErrorCode.FLOW_NOT_FOUND]: ':grey_question:',
  [ErrorCode.CONFLICT]: ':hourglass:',
};

/** True for errors whose message is meant for the person (usage, not found, conflicts…). */
export function isUserFacing(error: unknown): boolean {
  return isPatchbayError(error) && error.code !== ErrorCode.INTERNAL;
}

/** A private reply for a thrown error; undefined for internal ones (the caller logs and says less). */
export function errorReply(error: unknown): ChatReply {
  if (!isUserFacing(error) || !isPatchbayError(error)) {
    return privateReply(':warning: Something went wrong on our side; it has been logged. Try again, or ask an admin to look at the logs.');
  }
  const icon = ICON[error.code] ?? ':warning:';
  return privateReply(`${icon} ${safeText(error.message, 2800)}`);
}
