import type { ServerResponse } from 'node:http';
import type { CustomRoute } from '@slack/bolt';
import { sql } from 'drizzle-orm';
import type { Database } from '../db/database.js';

/**
 * `GET /healthz` for load balancers and Kubernetes probes: 200 only when this replica can do
 * its job — the database answers and the engine's worker loop runs — and 503 otherwise, with
 * a JSON body saying which part is down. It never hangs: a database that does not answer
 * within `timeoutMs` counts as down.
 */
export interface HealthOptions {
  database: Database;
  /** Whether this process's worker loop is running (serve starts it before the chat surface). */
  workerRunning: () => boolean;
  timeoutMs?: number;
}

export interface HealthReport {
  status: 'ok' | 'unavailable';
  database: string;
  worker: 'running' | 'stopped';
}

async function pingDatabase(database: Database, timeoutMs: number): Promise<string> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<string>((resolve) => {
    timer = setTimeout(() => resolve(`no answer within ${timeoutMs} ms`), timeoutMs);
  });
  const ping = database.rows(sql`select 1 as ok`).then(
    () => 'ok',
    (error: unknown) => `error: ${error instanceof Error ? error.message : String(error)}`,
  );
  try {
    return await Promise.race([ping, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export async function checkHealth(options: HealthOptions): Promise<HealthReport> {
  const database = await pingDatabase(options.database, options.timeoutMs ?? 2000);
  const worker = options.workerRunning() ? 'running' : 'stopped';
  return { status: database === 'ok' && worker === 'running' ? 'ok' : 'unavailable', database, worker };
}

function send(res: ServerResponse, report: HealthReport): void {
  res.writeHead(report.status === 'ok' ? 200 : 503, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
  res.end(JSON.stringify(report));
}

/** The Bolt custom route (served by the HTTP receiver, or Socket Mode's small HTTP server). */
export function healthRoute(options: HealthOptions): CustomRoute {
  return {
    path: '/healthz',
    method: ['GET'],
    handler: (_req, res) => {
      checkHealth(options).then(
        (report) => send(res, report),
        (error: unknown) => send(res, { status: 'unavailable', database: `error: ${String(error)}`, worker: 'stopped' }),
      );
    },
  };
}
