import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { GuestState } from './types.js';

/** What the health endpoint reads from its guest at each request. */
export interface HealthSource {
  name: string;
  bootedAt(): Date;
  now(): Date;
  state(): GuestState;
}

/**
 * The guest's web service: `GET /health` is 200 `{"status":"ok",…}` while healthy and 500
 * once a bad patch broke it; `/` is the site itself (502 while broken, as nginx in front of a
 * dead upstream would answer). While the guest reboots the server is closed, so requests are
 * refused, as they would be by a real machine.
 */
export function createHealthServer(source: HealthSource): Server {
  const server = createServer((request, response) => handle(source, request, response));
  // Short keep-alive: health checkers poll, and a reboot closes idle connections anyway.
  server.keepAliveTimeout = 1_000;
  return server;
}

function handle(source: HealthSource, request: IncomingMessage, response: ServerResponse): void {
  const path = (request.url ?? '/').split('?')[0];
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    send(response, 405, { status: 'error', error: 'method not allowed' }, { allow: 'GET, HEAD' });
    return;
  }
  const state = source.state();
  if (path === '/health' || path === '/healthz') {
    const uptimeSeconds = Math.max(0, Math.round((source.now().getTime() - source.bootedAt().getTime()) / 1000));
    const common = { vm: source.name, uptimeSeconds, ...(state.lastPatchedAt === undefined ? {} : { lastPatchedAt: state.lastPatchedAt }) };
    if (state.broken) send(response, 500, { status: 'error', error: 'nginx.service failed after the last package upgrade', ...common });
    else send(response, 200, { status: 'ok', ...common, checks: { nginx: 'active', disk: 'ok' } });
    return;
  }
  if (path === '/') {
    const body = state.broken ? '<html><body><h1>502 Bad Gateway</h1></body></html>\n' : `<html><body><h1>${escapeHtml(source.name)}</h1><p>Served by a Patchbay simulated guest.</p></body></html>\n`;
    response.writeHead(state.broken ? 502 : 200, { 'content-type': 'text/html; charset=utf-8', 'content-length': Buffer.byteLength(body) });
    response.end(body);
    return;
  }
  send(response, 404, { status: 'error', error: `no route for ${path}` });
}

function send(response: ServerResponse, status: number, body: Record<string, unknown>, headers: Record<string, string> = {}): void {
  const text = `${JSON.stringify(body)}\n`;
  response.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  response.end(text);
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
