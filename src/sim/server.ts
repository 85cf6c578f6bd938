import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type Namespace, SimError, errorResponse, errors } from './envelope.js';
import type { FaultBook } from './faults.js';
import { ODataError } from './odata/lexer.js';
import { ERROR_PREFIX, type Route, type SimRequest, type SimResponse, findRoute } from './router.js';
import type { StateStore } from './state.js';

/**
 * The request pipeline of the v4 API: route → auth (401) → injected call faults → request id
 * (required on mutations; a replayed id answers the stored response and does nothing) → JSON
 * body → handler → v4 error body for anything thrown. A `drop-response` fault lets the
 * operation happen and then destroys the socket unanswered, as a crash mid-response would.
 */

export interface PipelineOptions {
  routes: readonly Route[];
  store: StateStore;
  faults: FaultBook;
  credentials: () => { apiKey: string; username: string; password: string };
  /** `/_sim/…` requests (authenticated like the API, no request id). */
  admin: (request: SimRequest) => Promise<SimResponse>;
  log: (line: string) => void;
  baseUrl: () => string;
}

const MAX_BODY = 1024 * 1024;

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

export function authenticated(headers: IncomingMessage['headers'], credentials: { apiKey: string; username: string; password: string }): boolean {
  const key = headers['x-ntnx-api-key'];
  if (typeof key === 'string' && sameSecret(key, credentials.apiKey)) return true;
  const authorization = headers.authorization;
  if (typeof authorization === 'string' && /^basic /i.test(authorization)) {
    const decoded = Buffer.from(authorization.slice(6).trim(), 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon > 0 && sameSecret(decoded.slice(0, colon), credentials.username) && sameSecret(decoded.slice(colon + 1), credentials.password)) return true;
  }
  return false;
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        reject(new SimError(413, 'PLAT-10413', `Request body larger than ${MAX_BODY} bytes.`, 'PAYLOAD_TOO_LARGE'));
        request.destroy();
      } else chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

function namespaceOf(path: string): Namespace {
  const ns = path.split('/')[2];
  return ns === 'vmm' || ns === 'dataprotection' || ns === 'clustermgmt' ? ns : 'prism';
}

function send(response: ServerResponse, result: SimResponse): void {
  const headers: Record<string, string> = { ...(result.headers ?? {}) };
  if (result.status === 204 || result.body === undefined) {
    response.writeHead(result.status, headers).end();
    return;
  }
  const text = JSON.stringify(result.body);
  response.writeHead(result.status, { ...headers, 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)) }).end(text);
}

function header(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return (Array.isArray(value) ? value[0] : value)?.trim() || undefined;
}

export function createPipeline(options: PipelineOptions): (request: IncomingMessage, response: ServerResponse) => void {
  const { store, faults, log } = options;

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const method = request.method ?? 'GET';
    const url = new URL(request.url ?? '/', options.baseUrl());
    const path = url.pathname.replace(/\/+$/, '') || '/';
    let namespace = namespaceOf(path);
    const fail = (error: SimError, responseType?: string): SimResponse => ({ status: error.status, body: errorResponse(namespace, error, responseType) });
    let result: SimResponse;
    let drop = false;
    try {
      if (!authenticated(request.headers, options.credentials())) throw errors.unauthorized();
      const raw = await readBody(request);
      const body = parseJson(raw, ERROR_PREFIX[namespace]);
      if (path.startsWith('/_sim/')) {
        result = await options.admin({ method, url, params: {}, headers: request.headers, body });
      } else if (method === 'OPTIONS' && /^\/api\/[a-z]+\/unversioned\/info$/.test(path)) {
        result = { status: 200, body: { data: 'v4.0' } }; // the SDKs' version negotiation
      } else {
        const match = findRoute(options.routes, method, path);
        if (!match) throw new SimError(404, 'PLAT-10404', `No such API: ${method} ${path}. The simulator serves the v4 subset listed in src/sim/README.md.`, 'NOT_FOUND');
        if ('methodNotAllowed' in match) throw new SimError(405, 'PLAT-10405', `${method} is not allowed on ${path} (allowed: ${match.methodNotAllowed.join(', ')}).`, 'METHOD_NOT_ALLOWED');
        const { route, params } = match;
        namespace = route.namespace;
        const injected = faults.forCall(route.operation);
        if (injected.delayMs) await new Promise((resolve) => setTimeout(resolve, injected.delayMs));
        if (injected.fail) {
          const status = injected.fail.status;
          const message = injected.fail.message ?? `${route.operation} failed: injected fault fail-call (HTTP ${status}).`;
          throw new SimError(status, injected.fail.code ?? `${ERROR_PREFIX[namespace]}-${status}00`, message, 'INJECTED_FAULT');
        }
        drop = injected.drop;
        result = await invoke(route, { method, url, params, headers: request.headers, body }, header(request, 'ntnx-request-id'));
      }
    } catch (error) {
      if (error instanceof SimError) result = fail(error);
      else if (error instanceof ODataError) result = fail(new SimError(400, `${ERROR_PREFIX[namespace]}-30101`, error.message, 'INVALID_QUERY', { option: error.option }));
      else {
        log(`sim: ${method} ${path}: ${(error as Error).stack ?? String(error)}`);
        result = fail(new SimError(500, 'PLAT-50000', `Internal simulator error: ${(error as Error).message}`, 'INTERNAL_ERROR'));
      }
    }
    log(`sim: ${method} ${url.pathname}${url.search} → ${result.status}${drop ? ' (response dropped: injected fault)' : ''}`);
    if (drop) {
      request.socket.destroy();
      return;
    }
    send(response, result);
  }

  /** Mutations need a request id; the first 2xx answer to an id is replayed for every repeat. */
  async function invoke(route: Route, request: SimRequest, requestId: string | undefined): Promise<SimResponse> {
    if (route.method === 'GET') return route.handle(request);
    if (!requestId) throw errors.missingRequestId(ERROR_PREFIX[route.namespace]);
    const stored = store.data.requests[requestId];
    if (stored) {
      if (stored.method !== route.method || stored.path !== request.url.pathname) {
        throw errors.conflict(ERROR_PREFIX[route.namespace], `NTNX-Request-Id ${requestId} was already used for ${stored.method} ${stored.path}; send a new id for a different request.`);
      }
      return { status: stored.status, body: stored.body, headers: { 'NTNX-Request-Id': requestId, 'X-Sim-Replayed': 'true' } };
    }
    const result = await route.handle(request);
    if (result.status >= 200 && result.status < 300) {
      store.data.requests[requestId] = { method: route.method, path: request.url.pathname, status: result.status, body: result.body, time: new Date().toISOString() };
    }
    store.save();
    return { ...result, headers: { ...(result.headers ?? {}), 'NTNX-Request-Id': requestId } };
  }

  return (request, response) => {
    handle(request, response).catch((error: unknown) => {
      log(`sim: unanswered request: ${String(error)}`);
      response.destroy();
    });
  };
}

function parseJson(raw: string, prefix: string): unknown {
  if (!raw.trim()) return undefined;
  try {
    return JSON.parse(raw);
  } catch (error) {
    throw errors.invalid(prefix, 'body', `not valid JSON (${(error as Error).message})`);
  }
}
