/**
 * A client for the bot's HTTP receiver that signs exactly as Slack does (bolt verify-request.ts):
 * `v0=` + HMAC-SHA256(secret, `v0:${timestamp}:${rawBody}`), with the content-type exactly
 * `application/x-www-form-urlencoded` — Bolt parses anything else (even with `; charset`) as JSON.
 * Options forge the signature, age the timestamp past the 5-minute window, or replay a request.
 */
import { createHmac } from 'node:crypto';
import { SLACK_TEST_DEFAULTS } from './defaults.js';
import {
  type BlockActionArgs,
  type SlashCommandArgs,
  type ViewSubmissionArgs,
  blockActionPayload,
  eventPayload,
  slashCommandPayload,
  viewClosedPayload,
  viewSubmissionPayload,
} from './payloads.js';

export { socketPayloads, stateValue } from './payloads.js';
export type { ActionInput, BlockActionArgs, MessageRef, SlashCommandArgs, StateValues, UserRef, ViewRef, ViewSubmissionArgs } from './payloads.js';

export interface SignOptions {
  /** Sign with a wrong secret (the receiver must answer 401). */
  forge?: boolean;
  /** Timestamp 6 minutes in the past (outside Bolt's 5-minute window). */
  stale?: boolean;
  /** Explicit X-Slack-Request-Timestamp, in seconds. */
  timestamp?: number;
  /** Events API redelivery headers (X-Slack-Retry-Num / X-Slack-Retry-Reason). */
  retryNum?: number;
  retryReason?: string;
}

export interface SentRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
}

export interface ReceiverResponse {
  status: number;
  headers: Record<string, string>;
  /** The response body as text (Bolt acks with '', text or JSON). */
  body: string;
  /** Parsed body when it is JSON. */
  json?: unknown;
  request: SentRequest;
}

export function signature(secret: string, timestamp: number, body: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

/** Signs and POSTs a raw body; the building block of every helper below. */
export async function sendSigned(url: string, secret: string, body: string, contentType: string, options: SignOptions = {}): Promise<ReceiverResponse> {
  const now = Math.floor(Date.now() / 1000);
  const timestamp = options.timestamp ?? (options.stale ? now - 6 * 60 : now);
  const headers: Record<string, string> = {
    'Content-Type': contentType,
    'X-Slack-Request-Timestamp': String(timestamp),
    'X-Slack-Signature': signature(options.forge ? `${secret}-forged` : secret, timestamp, body),
  };
  if (options.retryNum !== undefined) headers['X-Slack-Retry-Num'] = String(options.retryNum);
  if (options.retryReason !== undefined) headers['X-Slack-Retry-Reason'] = options.retryReason;
  return send({ url, headers, body });
}

/** Sends the very same bytes and headers again, as a Slack retry or an attacker's replay would. */
export function replay(previous: ReceiverResponse | SentRequest): Promise<ReceiverResponse> {
  return send('request' in previous ? previous.request : previous);
}

async function send(request: SentRequest): Promise<ReceiverResponse> {
  const response = await fetch(request.url, { method: 'POST', headers: request.headers, body: request.body });
  const body = await response.text();
  let json: unknown;
  if ((response.headers.get('content-type') ?? '').includes('json') && body !== '') {
    try {
      json = JSON.parse(body);
    } catch {
      json = undefined;
    }
  }
  return { status: response.status, headers: Object.fromEntries(response.headers), body, ...(json !== undefined ? { json } : {}), request };
}

const FORM = 'application/x-www-form-urlencoded';

/** Interactions travel as one form field, `payload=<json>`. */
function interaction(url: string, secret: string, payload: object, options?: SignOptions): Promise<ReceiverResponse> {
  return sendSigned(url, secret, new URLSearchParams({ payload: JSON.stringify(payload) }).toString(), FORM, options);
}

export function slashCommand(url: string, secret: string, args: SlashCommandArgs, options?: SignOptions): Promise<ReceiverResponse> {
  return sendSigned(url, secret, new URLSearchParams(slashCommandPayload(args)).toString(), FORM, options);
}

export function blockAction(url: string, secret: string, args: BlockActionArgs, options?: SignOptions): Promise<ReceiverResponse> {
  return interaction(url, secret, blockActionPayload(args), options);
}

export function viewSubmission(url: string, secret: string, args: ViewSubmissionArgs, options?: SignOptions): Promise<ReceiverResponse> {
  return interaction(url, secret, viewSubmissionPayload(args), options);
}

export function viewClosed(url: string, secret: string, args: Parameters<typeof viewClosedPayload>[0], options?: SignOptions): Promise<ReceiverResponse> {
  return interaction(url, secret, viewClosedPayload(args), options);
}

/** An Events API delivery: a JSON `event_callback` body. */
export function event(url: string, secret: string, evt: Parameters<typeof eventPayload>[0], options?: SignOptions): Promise<ReceiverResponse> {
  return sendSigned(url, secret, JSON.stringify(eventPayload(evt)), 'application/json', options);
}

/** The Events API handshake Slack sends when the request URL is saved. */
export function urlVerification(url: string, secret: string, challenge: string, options?: SignOptions): Promise<ReceiverResponse> {
  return sendSigned(url, secret, JSON.stringify({ token: SLACK_TEST_DEFAULTS.verificationToken, challenge, type: 'url_verification' }), 'application/json', options);
}
