import { randomUUID } from 'node:crypto';
import { Agent, request } from 'undici';
import type { Simulator } from '../../../src/sim/index.js';

/**
 * A minimal v4 client for the simulator tests: real HTTPS, verifying the simulator's
 * certificate against its CA (as the Nutanix tasks do), API key auth by default.
 */
export interface SimReply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: any;
}

export interface CallOptions {
  body?: unknown;
  headers?: Record<string, string>;
  /** Default: a fresh NTNX-Request-Id on every non-GET call; null sends none. */
  requestId?: string | null;
  /** Default: the API key. */
  auth?: 'apiKey' | 'basic' | 'none';
}

export class SimClient {
  readonly agent: Agent;
  constructor(readonly sim: Simulator) {
    this.agent = new Agent({ connect: { ca: sim.caCert } });
  }

  async call(method: string, path: string, options: CallOptions = {}): Promise<SimReply> {
    const headers: Record<string, string> = { accept: 'application/json', ...(options.headers ?? {}) };
    const auth = options.auth ?? 'apiKey';
    if (auth === 'apiKey') headers['x-ntnx-api-key'] = this.sim.apiKey;
    if (auth === 'basic') headers.authorization = `Basic ${Buffer.from(`${this.sim.username}:${this.sim.password}`).toString('base64')}`;
    if (method !== 'GET' && options.requestId !== null) headers['ntnx-request-id'] = options.requestId ?? randomUUID();
    let body: string | undefined;
    if (options.body !== undefined) {
      body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
      headers['content-type'] = 'application/json';
    }
    const reply = await request(`${this.sim.url}${path}`, { method: method as 'GET', headers, body, dispatcher: this.agent });
    const text = await reply.body.text();
    return { status: reply.statusCode, headers: reply.headers, body: text ? JSON.parse(text) : undefined };
  }

  /** Polls a task until it ends; returns the final task. */
  async waitTask(extId: string, timeoutMs = 10_000): Promise<any> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const reply = await this.call('GET', `/api/prism/v4.0/config/tasks/${encodeURIComponent(extId)}`);
      if (reply.status !== 200) throw new Error(`GET task ${extId}: ${reply.status} ${JSON.stringify(reply.body)}`);
      const task = reply.body.data;
      if (['SUCCEEDED', 'FAILED', 'CANCELED'].includes(task.status)) return task;
      if (Date.now() > deadline) throw new Error(`task ${extId} still ${task.status}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  /** Runs an async call and waits for its task; throws unless the call answered 202. */
  async task(method: string, path: string, options: CallOptions = {}): Promise<any> {
    const reply = await this.call(method, path, options);
    if (reply.status !== 202) throw new Error(`${method} ${path}: ${reply.status} ${JSON.stringify(reply.body)}`);
    return this.waitTask(reply.body.data.extId);
  }

  async etag(vmExtId: string): Promise<string> {
    const reply = await this.call('GET', `/api/vmm/v4.0/ahv/config/vms/${vmExtId}`);
    return String(reply.headers.etag);
  }

  close(): Promise<void> {
    return this.agent.close();
  }
}

export function detail(task: any, name: string): string | undefined {
  return task.completionDetails.find((pair: { name: string }) => pair.name === name)?.value;
}
