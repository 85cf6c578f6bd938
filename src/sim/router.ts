import type { IncomingHttpHeaders } from 'node:http';
import type { z } from 'zod';
import type { GuestFleet } from './guests/types.js';
import { type Namespace, SimError, errors, taskResponse } from './envelope.js';
import type { Operation } from './operations.js';
import type { StateStore } from './state.js';
import type { TaskRecord } from './task-work.js';
import type { TaskRunner } from './tasks.js';

/**
 * Routes of the v4 API: a path template (`{v}` = any `v4.N` version segment, `:name` = a
 * captured, URL-decoded segment), the namespace (for error shapes and codes) and the operation
 * name (for faults and tasks). Handlers get parsed input and return status + JSON body.
 */

export interface SimRequest {
  method: string;
  url: URL;
  params: Record<string, string>;
  headers: IncomingHttpHeaders;
  body: unknown;
}

export interface SimResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface Route {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  namespace: Namespace;
  operation: Operation;
  /** `$objectType` of the response envelope. */
  responseType: string;
  handle(request: SimRequest): Promise<SimResponse> | SimResponse;
}

/** What handlers share: the state, the task runner, the guests. */
export interface SimContext {
  store: StateStore;
  tasks: TaskRunner;
  guests: GuestFleet | undefined;
  log: (line: string) => void;
}

export const ERROR_PREFIX: Record<Namespace, string> = { vmm: 'VMM', prism: 'PRISM', dataprotection: 'DTP', clustermgmt: 'CLU' };

const VERSION = /^v4\.\d+$/;

export function matchPath(template: string, path: string): Record<string, string> | undefined {
  const want = template.split('/');
  const got = path.split('/');
  if (want.length !== got.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i += 1) {
    const pattern = want[i]!;
    const segment = got[i]!;
    if (pattern === '{v}') {
      if (!VERSION.test(segment)) return undefined;
    } else if (pattern.startsWith(':')) {
      if (!segment) return undefined;
      try {
        params[pattern.slice(1)] = decodeURIComponent(segment);
      } catch {
        return undefined;
      }
    } else if (pattern !== segment && pattern !== safeDecode(segment)) {
      return undefined; // `$actions` may arrive as `%24actions`
    }
  }
  return params;
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

export type RouteMatch = { route: Route; params: Record<string, string> } | { methodNotAllowed: string[] } | undefined;

export function findRoute(routes: readonly Route[], method: string, path: string): RouteMatch {
  const allowed: string[] = [];
  for (const route of routes) {
    const params = matchPath(route.path, path);
    if (!params) continue;
    if (route.method === method) return { route, params };
    allowed.push(route.method);
  }
  return allowed.length ? { methodNotAllowed: allowed } : undefined;
}

/**
 * Validates a JSON body with zod; the 400 names the first offending field the way clients
 * write it (`vmRecoveryPoints[0].vmExtId`).
 */
export function parseBody<S extends z.ZodType>(schema: S, body: unknown, namespace: Namespace): z.infer<S> {
  const parsed = schema.safeParse(body ?? {});
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const field = issue.path.reduce<string>((text, key) => (typeof key === 'number' ? `${text}[${key}]` : text ? `${text}.${String(key)}` : String(key)), '') || 'body';
  throw errors.invalid(ERROR_PREFIX[namespace], field, issue.message);
}

function unquote(tag: string): string {
  return tag.trim().replace(/^W\//, '').replace(/^"(.*)"$/, '$1');
}

/**
 * If-Match against the entity's current ETag: 428 when required and absent, 412 when stale.
 * Optional checks (power actions) still refuse a stale value, as the real API does.
 */
export function checkIfMatch(request: SimRequest, etag: string, required: boolean): void {
  const header = request.headers['if-match'];
  const value = Array.isArray(header) ? header[0] : header;
  if (value === undefined || value.trim() === '') {
    if (required) throw errors.missingEtag();
    return;
  }
  if (value.trim() === '*') return;
  if (!value.split(',').map(unquote).includes(etag)) throw errors.staleEtag();
}

export function accepted(responseType: string, record: TaskRecord): SimResponse {
  return { status: 202, body: taskResponse(responseType, record.task.extId) };
}

export function notFound(namespace: Namespace, what: string, extId: string): SimError {
  return errors.notFound(ERROR_PREFIX[namespace], what, extId);
}
