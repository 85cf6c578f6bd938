import { Agent, type Dispatcher, type FormData, ProxyAgent, Socks5ProxyAgent, errors, request } from 'undici';
import { isPatchbayError, taskFailed } from '../../errors.js';
import { abortedError } from '../abort.js';

/** An outbound proxy as Kestra's `options.proxy` describes one. */
export interface ProxySettings {
  type: 'HTTP' | 'SOCKS';
  address: string;
  port: number;
  username?: string;
  password?: string;
}

/** One HTTP call, with everything the task decided (body encoded, auth header set). */
export interface HttpCall {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string | Uint8Array | FormData;
  /** undici's default (10 s) applies when unset. */
  connectTimeoutMs?: number;
  /** Longest wait for the response headers and between two body chunks. */
  readIdleTimeoutMs: number;
  followRedirects: boolean;
  maxContentLength: number;
  insecure: boolean;
  proxy?: ProxySettings;
  signal: AbortSignal;
}

export interface HttpReply {
  status: number;
  /** Every header as a list, as Kestra's output has them; names in lower case (HTTP/2 style). */
  headers: Record<string, string[]>;
  /** Undefined when the response has no body by definition (HEAD, 204, 304). */
  body: string | undefined;
}

// Apache HttpClient (Kestra's client) follows at most 50 redirects.
const MAX_REDIRECTS = 50;
const REDIRECT_CODES = new Set([301, 302, 303, 307, 308]);

/**
 * Sends the call and reads the whole response, following redirects as Apache HttpClient
 * does: 303 (and 301/302 after a POST) continue as a GET without the body, 307/308 repeat
 * the request. Credentials never follow a redirect to another origin. Each call gets its own
 * dispatcher, destroyed afterwards, so no socket outlives the task run.
 */
export async function sendHttp(call: HttpCall, what: string): Promise<HttpReply> {
  const dispatcher = createDispatcher(call);
  try {
    let { method, url, body } = call;
    let headers = { ...call.headers };
    for (let redirects = 0; ; redirects += 1) {
      const response = await request(url, {
        method: method as Dispatcher.HttpMethod,
        headers,
        body: body ?? null,
        dispatcher,
        signal: call.signal,
        headersTimeout: call.readIdleTimeoutMs,
        bodyTimeout: call.readIdleTimeoutMs,
      });
      const location = response.headers.location;
      if (!call.followRedirects || !REDIRECT_CODES.has(response.statusCode) || typeof location !== 'string') {
        return await readReply(response, method, call.maxContentLength, what);
      }
      await response.body.dump();
      if (redirects === MAX_REDIRECTS) throw taskFailed(`${what}: more than ${MAX_REDIRECTS} redirects`, { retryable: false });
      const next = new URL(location, url);
      const becomesGet = response.statusCode === 303 ? method !== 'GET' && method !== 'HEAD' : response.statusCode < 303 && method === 'POST';
      if (becomesGet) {
        method = 'GET';
        body = undefined;
        headers = withoutHeaders(headers, ['content-type', 'content-length']);
      }
      if (next.origin !== new URL(url).origin) headers = withoutHeaders(headers, ['authorization', 'cookie']);
      url = next.href;
    }
  } catch (error) {
    throw classifyFailure(error, call.signal, what);
  } finally {
    await dispatcher.destroy();
  }
}

function createDispatcher(call: HttpCall): Dispatcher {
  const connect = { rejectUnauthorized: !call.insecure, ...(call.connectTimeoutMs === undefined ? {} : { timeout: call.connectTimeoutMs }) };
  const proxy = call.proxy;
  if (proxy?.type === 'HTTP') {
    const token = proxy.username === undefined ? undefined : `Basic ${Buffer.from(`${proxy.username}:${proxy.password ?? ''}`).toString('base64')}`;
    return new ProxyAgent({ uri: `http://${proxy.address}:${proxy.port}`, ...(token ? { token } : {}), requestTls: connect, proxyTls: connect });
  }
  if (proxy?.type === 'SOCKS') {
    return new Socks5ProxyAgent(`socks5://${proxy.address}:${proxy.port}`, {
      ...(proxy.username === undefined ? {} : { username: proxy.username, password: proxy.password ?? '' }),
    });
  }
  return new Agent({ connect });
}

async function readReply(response: Dispatcher.ResponseData, method: string, limit: number, what: string): Promise<HttpReply> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of response.body as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) {
      response.body.destroy();
      throw taskFailed(`${what}: the response body is larger than maxContentLength (${limit} bytes)`, { retryable: false });
    }
    chunks.push(chunk);
  }
  const headers: Record<string, string[]> = {};
  for (const [name, value] of Object.entries(response.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value : [value];
  }
  const bodiless = method === 'HEAD' || response.statusCode === 204 || response.statusCode === 304;
  return { status: response.statusCode, headers, body: bodiless ? undefined : Buffer.concat(chunks).toString('utf8') };
}

function withoutHeaders(headers: Record<string, string>, names: string[]): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !names.includes(name.toLowerCase())));
}

/** Network trouble is worth a retry; a request that cannot be built is not. */
function classifyFailure(error: unknown, signal: AbortSignal, what: string): Error {
  if (isPatchbayError(error)) return error;
  if (signal.aborted) return abortedError(what, signal);
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: unknown }).code;
  if (error instanceof errors.InvalidArgumentError || (error instanceof TypeError && code === 'ERR_INVALID_URL')) {
    return taskFailed(`${what}: ${message}`, { retryable: false, cause: error });
  }
  const detail = typeof code === 'string' && !message.includes(code) ? `${message} (${code})` : message;
  return taskFailed(`${what} failed: ${detail}`, { retryable: true, cause: error });
}
