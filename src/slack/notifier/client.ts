import { webApi } from '@slack/bolt';

/**
 * The Web API client the notifier talks through, and how its errors are read. The notifier
 * works in the background, so it can afford to wait out a 429 (WebClient pauses its queue
 * for Retry-After, then retries) — but it should have a client of its own: that pause would
 * also hold up a shared client's views.open, whose trigger_id dies after 3 s.
 */
export type WebClient = webApi.WebClient;

/** About a minute of retrying (plus any Retry-After waits), well inside the notifier's edit lease. */
export const NOTIFIER_RETRY_POLICY = { retries: 4, factor: 2, minTimeout: 1_000, maxTimeout: 15_000, randomize: true } as const;

export interface NotifierClientOptions {
  /** Slack-compatible gateways and the test emulator (`SLACK_API_URL`). */
  slackApiUrl?: string;
  /** Per-request timeout (default 20 s): a hung request must not hold an edit lease for ever. */
  timeoutMs?: number;
}

export function createNotifierClient(token: string, options: NotifierClientOptions = {}): WebClient {
  return new webApi.WebClient(token, {
    ...(options.slackApiUrl ? { slackApiUrl: options.slackApiUrl } : {}),
    retryConfig: { ...NOTIFIER_RETRY_POLICY },
    timeout: options.timeoutMs ?? 20_000,
    logLevel: webApi.LogLevel.ERROR,
  });
}

/** Slack's error name (`channel_not_found`, `ratelimited`…) when the error is a platform error. */
export function slackErrorName(error: unknown): string | undefined {
  const data = (error as { data?: { error?: unknown } } | null)?.data;
  return typeof data?.error === 'string' ? data.error : undefined;
}

/** Errors that no retry can mend: the message, channel or token is gone. Others (network, 5xx, 429s past the retries) pass. */
const PERMANENT = new Set([
  'message_not_found', 'cant_update_message', 'edit_window_closed', 'channel_not_found', 'is_archived', 'not_in_channel',
  'user_not_found', 'user_disabled', 'cannot_dm_bot', 'invalid_auth', 'account_inactive', 'token_revoked', 'missing_scope',
  'invalid_blocks', 'msg_too_long', 'no_text',
]);

export function isPermanent(error: unknown): boolean {
  const name = slackErrorName(error);
  return name !== undefined && PERMANENT.has(name);
}

/** A short description for `last_error` and logs, never the request (it may carry a token). */
export function describeError(error: unknown): string {
  const name = slackErrorName(error);
  if (name) return name;
  return error instanceof Error ? error.message.slice(0, 500) : String(error).slice(0, 500);
}
