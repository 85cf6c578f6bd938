import { setTimeout as sleep } from 'node:timers/promises';
import { Agent, type Dispatcher, request } from 'undici';
import { isPatchbayError, taskFailed } from '../../errors.js';
import { abortedError } from '../abort.js';
import type { TaskLogger } from '../types.js';
import type { ResolvedConnection } from './connection.js';
import { type Json, isObject, parseEnvelope, refusal } from './envelope.js';
import { prismRequestId } from './request-id.js';

/** One call to Prism Central. `purpose` marks a mutating call: it gets an NTNX-Request-Id. */
export interface PrismCall {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Path after `/api/`, version included, e.g. `vmm/v4.0/ahv/config/vms`. */
  path: string;
  /** Kestra-style operation name for messages: "CreateVm". */
  operation: string;
  query?: Record<string, string | number | undefined>;
  body?: unknown;
  ifMatch?: string;
  purpose?: string;
}

export interface PrismReply {
  status: number;
  data: unknown;
  metadata: Json;
  /** The entity's ETag: response header, or `data.$reserved.ETag` as the SDKs copy it. */
  etag?: string;
}

export interface ClientContext {
  signal: AbortSignal;
  log: TaskLogger;
  idempotencyKey: string;
}

/** Network failures on the same request id are replayed this many times before the attempt fails. */
const NETWORK_RETRIES = 2;
const RETRY_PAUSES_MS = [250, 1000];

const TLS_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID', 'CERT_UNTRUSTED', 'CERT_SIGNATURE_FAILURE',
  'ERR_TLS_CERT_ALTNAME_INVALID', 'HOSTNAME_MISMATCH',
]);

/** Encodes one path segment, keeping `:` and `=` that task extIds (`ZXJnb24=:<uuid>`) hold. */
export const segment = (value: string): string => encodeURIComponent(value).replace(/%3A/gi, ':').replace(/%3D/gi, '=');

/**
 * A Prism Central v4 client for one task run: its own undici Agent (so the TLS trust of this
 * run applies to no other), credentials in a header that is never logged, and the v4 envelope
 * and error mapping of envelope.ts.
 */
export class PrismClient {
  private readonly agent: Agent;

  constructor(
    readonly connection: ResolvedConnection,
    private readonly context: ClientContext,
  ) {
    this.agent = new Agent({
      connect: { rejectUnauthorized: !connection.insecure, ...(connection.ca ? { ca: connection.ca } : {}), timeout: connection.requestTimeoutMs },
      headersTimeout: connection.requestTimeoutMs,
      bodyTimeout: connection.requestTimeoutMs,
    });
  }

  get log(): TaskLogger {
    return this.context.log;
  }

  get signal(): AbortSignal {
    return this.context.signal;
  }

  /** `vmm/v4.0/ahv/config/vms` from ('vmm', 'ahv/config/vms'). */
  path(namespace: 'vmm' | 'prism' | 'dataprotection', rest: string): string {
    return `${namespace}/${this.connection.apiVersion}/${rest}`;
  }

  requestId(purpose: string): string {
    return prismRequestId(this.context.idempotencyKey, purpose);
  }

  /**
   * Sends the call; a 2xx answer comes back parsed, anything else throws `refusal`. A network
   * failure (reset, dropped answer) is sent again with the same request id, which Prism
   * answers with the task it already started, so a lost answer never doubles an operation.
   */
  async call(call: PrismCall): Promise<PrismReply> {
    for (let attempt = 0; ; attempt += 1) {
      try {
        return await this.once(call);
      } catch (error) {
        if (this.context.signal.aborted) throw abortedError(`${call.operation} (Prism Central ${this.connection.label})`, this.context.signal);
        if (isPatchbayError(error) || attempt >= NETWORK_RETRIES || tlsCode(error)) throw this.classify(error, call);
        this.context.log.warn(`${call.operation}: ${describe(error)}; sending it again${call.purpose ? ' with the same NTNX-Request-Id' : ''}`);
        await sleep(RETRY_PAUSES_MS[attempt] ?? 1000, undefined, { signal: this.context.signal }).catch(() => undefined);
      }
    }
  }

  private async once(call: PrismCall): Promise<PrismReply> {
    const url = new URL(`${this.connection.origin}/api/${call.path}`);
    for (const [name, value] of Object.entries(call.query ?? {})) if (value !== undefined && value !== '') url.searchParams.set(name, String(value));
    const headers: Record<string, string> = { Accept: 'application/json', 'User-Agent': 'Patchbay', [this.connection.auth.name]: this.connection.auth.value };
    if (call.body !== undefined) headers['Content-Type'] = 'application/json';
    if (call.ifMatch !== undefined) headers['If-Match'] = call.ifMatch;
    if (call.purpose !== undefined) headers['NTNX-Request-Id'] = this.requestId(call.purpose);
    const response = await request(url, {
      method: call.method as Dispatcher.HttpMethod,
      headers,
      body: call.body === undefined ? null : JSON.stringify(call.body),
      dispatcher: this.agent,
      signal: this.context.signal,
    });
    const text = await response.body.text();
    if (response.statusCode < 200 || response.statusCode >= 300) throw refusal(call.operation, response.statusCode, text);
    const envelope = parseEnvelope(text);
    const header = response.headers.etag;
    const reserved = isObject(envelope?.data) && isObject(envelope.data.$reserved) ? envelope.data.$reserved.ETag : undefined;
    const etag = typeof header === 'string' ? header : Array.isArray(header) ? header[0] : typeof reserved === 'string' ? reserved : undefined;
    return { status: response.statusCode, data: envelope?.data, metadata: envelope?.metadata ?? {}, ...(etag ? { etag } : {}) };
  }

  private classify(error: unknown, call: PrismCall): Error {
    if (isPatchbayError(error)) return error;
    const code = tlsCode(error);
    if (code) {
      return taskFailed(
        `${call.operation}: the TLS certificate of Prism Central ${this.connection.label} could not be verified (${describe(error)}). ` +
          'Set `caCertificate` to the PEM of the CA that signed it (NUTANIX_CA_FILE for the server connection); `insecure: true` skips verification',
        { retryable: false, cause: error, details: { tlsCode: code } },
      );
    }
    return taskFailed(`${call.operation}: Prism Central ${this.connection.label} could not be reached: ${describe(error)}`, { retryable: true, cause: error });
  }

  async close(): Promise<void> {
    await this.agent.destroy();
  }
}

function tlsCode(error: unknown): string | undefined {
  for (let current: unknown = error, depth = 0; current instanceof Error && depth < 4; current = current.cause, depth += 1) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && (TLS_CODES.has(code) || code.startsWith('ERR_SSL') || code.startsWith('ERR_TLS'))) return code;
  }
  return undefined;
}

function describe(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' && !message.includes(code) ? `${message} (${code})` : message;
}
