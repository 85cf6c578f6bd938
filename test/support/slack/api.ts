/**
 * The Web API front door: decode the body the way Slack does, authenticate the bearer token,
 * apply injected faults, dispatch to a method handler and log the call. Handlers never see HTTP.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type Args, type MethodResult, Recorder, isError, isRecord } from './defaults.js';
import type { Faults } from './faults.js';

export type TokenType = 'bot' | 'app';

export interface ApiCall {
  method: string;
  /** Arguments after decoding: JSON-in-form fields such as `blocks` are already parsed. */
  args: Args;
  /** HTTP status the emulator answered with (200, 405 or 429). */
  status: number;
  ok: boolean;
  error?: string;
  token?: string;
  /** Date.now() when the call arrived. */
  time: number;
  response: Args;
}

export interface CallContext {
  token: string;
  tokenType: TokenType;
}

export type MethodHandler = (args: Args, ctx: CallContext) => MethodResult | Promise<MethodResult>;

/** Form fields that carry JSON, as WebClient.serializeBody flattens every non-scalar argument. */
const JSON_FIELDS = new Set(['blocks', 'attachments', 'view', 'metadata', 'files', 'unfurls', 'user_auth_blocks']);

/** Only apps.connections.open takes the app-level token; every other method wants the bot token. */
const APP_TOKEN_METHODS = new Set(['apps.connections.open']);

export interface ApiDeps {
  tokens: Map<string, TokenType>;
  handlers: Map<string, MethodHandler>;
  faults: Faults;
  calls: Recorder<ApiCall>;
}

export function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify(body));
}

/** Decodes a Web API body; returns an error name when Slack would refuse the encoding. */
export function decodeArgs(contentType: string | undefined, raw: Buffer): Args | { decodeError: string } {
  const mediaType = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  const text = raw.toString('utf8');
  if (text === '' && mediaType === '') return {};
  if (mediaType === 'application/x-www-form-urlencoded') {
    const args: Args = {};
    for (const [key, value] of new URLSearchParams(text)) {
      args[key] = JSON_FIELDS.has(key) ? parseJsonField(value) : value;
    }
    return args;
  }
  if (mediaType === 'application/json') {
    try {
      const parsed: unknown = JSON.parse(text);
      return isRecord(parsed) ? parsed : { decodeError: 'invalid_json' };
    } catch {
      return { decodeError: 'invalid_json' };
    }
  }
  return { decodeError: 'invalid_form_data' };
}

/** Unparseable JSON stays a string so the handler reports it (e.g. invalid_blocks) like Slack. */
function parseJsonField(value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

function bearer(req: IncomingMessage, args: Args): string | undefined {
  const header = req.headers.authorization;
  if (header?.startsWith('Bearer ')) return header.slice('Bearer '.length).trim();
  // Slack still honours a `token` form field; WebClient sends both when a call passes `token`.
  return typeof args.token === 'string' ? args.token : undefined;
}

export async function handleApiRequest(req: IncomingMessage, res: ServerResponse, method: string, deps: ApiDeps): Promise<void> {
  const time = Date.now();
  const raw = await readBody(req);
  const decoded = decodeArgs(req.headers['content-type'], raw);
  const args: Args = 'decodeError' in decoded ? {} : decoded;
  const token = bearer(req, args);
  const answer = (status: number, body: Args, headers: Record<string, string> = {}): void => {
    const ok = body.ok === true;
    const error = typeof body.error === 'string' ? body.error : undefined;
    deps.calls.push({ method, args, status, ok, ...(error ? { error } : {}), ...(token ? { token } : {}), time, response: body });
    sendJson(res, status, body, headers);
  };

  if (req.method !== 'POST') return answer(405, { ok: false, error: 'method_not_supported' });
  if ('decodeError' in decoded) return answer(200, { ok: false, error: decoded.decodeError });
  const handler = deps.handlers.get(method);
  // Slack answers an unknown method with HTTP 200 and a platform error, so WebClient throws a
  // WebAPIPlatformError (not an HTTP error) — the bot's error handling sees the same thing.
  if (!handler) return answer(200, { ok: false, error: 'unknown_method' });
  if (!token) return answer(200, { ok: false, error: 'not_authed' });
  const tokenType = deps.tokens.get(token);
  if (!tokenType) return answer(200, { ok: false, error: 'invalid_auth' });
  const wanted: TokenType = APP_TOKEN_METHODS.has(method) ? 'app' : 'bot';
  if (tokenType !== wanted) return answer(200, { ok: false, error: 'not_allowed_token_type' });

  const fault = deps.faults.decide(method, args, time);
  if (fault?.kind === 'ratelimited') {
    return answer(429, { ok: false, error: 'ratelimited' }, { 'Retry-After': String(fault.retryAfterSeconds) });
  }
  if (fault?.kind === 'error') return answer(200, { ok: false, error: fault.error });

  const result = await handler(args, { token, tokenType });
  if (isError(result)) return answer(200, { ok: false, error: result.error, ...result.extra });
  return answer(200, { ok: true, ...result });
}
