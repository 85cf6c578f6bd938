/**
 * Socket Mode. apps.connections.open hands out a one-time ws:// URL on the emulator's own HTTP
 * server; the app connects, gets `hello`, and from then on the test pushes envelopes and awaits
 * the app's ack by envelope_id — the Socket Mode equivalent of the HTTP 200 within 3 s.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { randomUUID } from 'node:crypto';
import { type WebSocket, WebSocketServer } from 'ws';
import { type Args, type SlackTestDefaults, isRecord } from './defaults.js';

export type EnvelopeType = 'slash_commands' | 'interactive' | 'events_api';

export interface SendOptions {
  retryAttempt?: number;
  retryReason?: string;
  /** Reject when the app has not acked within this time (default 3000 ms). */
  timeoutMs?: number;
  /** Defaults to what Slack sends: true for commands, view_submission and block_suggestion. */
  acceptsResponsePayload?: boolean;
}

export interface EnvelopeRecord {
  envelope_id: string;
  type: EnvelopeType;
  payload: Args;
  sentAt: number;
  ackedAt?: number;
  /** The ack's `payload` (e.g. `{response_action:'errors', …}`); `{}` for a bare ack(). */
  ack?: Args;
}

export class SocketHub {
  readonly envelopes: EnvelopeRecord[] = [];
  private readonly wss = new WebSocketServer({ noServer: true });
  private readonly tickets = new Set<string>();
  private readonly open = new Set<WebSocket>();
  private readonly pending = new Map<string, (ack: Args) => void>();
  private readonly connectionWaiters = new Set<() => void>();
  private ticketSeq = 0;
  /** Connections ever completed (hello sent), so a test can wait for a reconnect. */
  connections = 0;

  constructor(private readonly ids: SlackTestDefaults, private readonly wsBase: () => string) {}

  /** apps.connections.open: each URL admits exactly one connection, like Slack's ticketed URLs. */
  issueUrl(): string {
    this.ticketSeq += 1;
    const ticket = String(this.ticketSeq);
    this.tickets.add(ticket);
    return `${this.wsBase()}/socket/${ticket}`;
  }

  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer, ticket: string): void {
    if (!this.tickets.delete(ticket)) {
      socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\n\r\n');
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws));
  }

  private accept(ws: WebSocket): void {
    this.open.add(ws);
    ws.on('close', () => this.open.delete(ws));
    ws.on('error', () => ws.terminate());
    ws.on('message', (data) => this.onMessage(data.toString()));
    this.connections += 1;
    ws.send(JSON.stringify({
      type: 'hello',
      num_connections: this.open.size,
      debug_info: { host: 'slack-emulator', build_number: 1, approximate_connection_time: 18060 },
      connection_info: { app_id: this.ids.appId },
    }));
    for (const wake of [...this.connectionWaiters]) wake();
  }

  private onMessage(text: string): void {
    let message: unknown;
    try {
      message = JSON.parse(text);
    } catch {
      return;
    }
    if (!isRecord(message) || typeof message.envelope_id !== 'string') return;
    const record = this.envelopes.find((e) => e.envelope_id === message.envelope_id);
    const ack = isRecord(message.payload) ? message.payload : {};
    if (record) Object.assign(record, { ack, ackedAt: Date.now() });
    this.pending.get(message.envelope_id)?.(ack);
  }

  connected(): boolean {
    return [...this.open].some((ws) => ws.readyState === ws.OPEN);
  }

  /** Resolves once a connection has said hello; pass `after` (a `connections` value) to await a reconnect. */
  waitForConnection(timeoutMs = 5000, after?: number): Promise<void> {
    const ready = (): boolean => (after === undefined ? this.connected() : this.connections > after && this.connected());
    if (ready()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const wake = (): void => {
        if (!ready()) return;
        clearTimeout(timer);
        this.connectionWaiters.delete(wake);
        resolve();
      };
      const timer = setTimeout(() => {
        this.connectionWaiters.delete(wake);
        reject(new Error(`no Socket Mode connection within ${timeoutMs} ms`));
      }, timeoutMs);
      this.connectionWaiters.add(wake);
    });
  }

  /** Sends one envelope to the newest connection; resolves with the ack payload (undefined if empty). */
  send(type: EnvelopeType, payload: object, options: SendOptions = {}): Promise<Args | undefined> {
    const ws = [...this.open].reverse().find((s) => s.readyState === s.OPEN);
    if (!ws) return Promise.reject(new Error('no Socket Mode connection is open'));
    const envelopeId = randomUUID();
    const body = payload as Args;
    const accepts = options.acceptsResponsePayload ?? (type === 'slash_commands' ||
      (type === 'interactive' && (body.type === 'view_submission' || body.type === 'block_suggestion')));
    const envelope = {
      envelope_id: envelopeId,
      type,
      payload: body,
      accepts_response_payload: accepts,
      ...(type === 'events_api' ? { retry_attempt: options.retryAttempt ?? 0, retry_reason: options.retryReason ?? '' } : {}),
    };
    this.envelopes.push({ envelope_id: envelopeId, type, payload: body, sentAt: Date.now() });
    const timeoutMs = options.timeoutMs ?? 3000;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(envelopeId);
        reject(new Error(`envelope ${envelopeId} (${type}) was not acked within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(envelopeId, (ack) => {
        clearTimeout(timer);
        this.pending.delete(envelopeId);
        resolve(Object.keys(ack).length > 0 ? ack : undefined);
      });
      ws.send(JSON.stringify(envelope), (error) => {
        if (!error) return;
        clearTimeout(timer);
        this.pending.delete(envelopeId);
        reject(error);
      });
    });
  }

  /** Slack's "please reconnect" message; the client closes and calls apps.connections.open again. */
  disconnect(reason = 'refresh_requested'): void {
    for (const ws of this.open) ws.send(JSON.stringify({ type: 'disconnect', reason, debug_info: { host: 'slack-emulator' } }));
  }

  /** Drops every connection without a close handshake (a network failure). */
  terminate(): void {
    for (const ws of this.open) ws.terminate();
  }

  /**
   * Closes with a handshake (1001 going away) so a client that is itself shutting down sees a clean
   * close instead of a socket error; anything still open after 500 ms is cut.
   */
  async close(): Promise<void> {
    await Promise.all([...this.open].map((ws) => new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        ws.terminate();
        resolve();
      }, 500);
      ws.once('close', () => {
        clearTimeout(timer);
        resolve();
      });
      if (ws.readyState === ws.OPEN) ws.close(1001, 'emulator closing');
    })));
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }
}
