import { taskFailed } from '../../errors.js';
import { durationMs } from '../duration.js';
import type { ProxySettings } from './client.js';

/** `options` of an HTTP task after the run-mode schema (current names and deprecated ones). */
export interface HttpOptions {
  timeout?: { connectTimeout?: string; readIdleTimeout?: string };
  auth?: { type: 'BASIC' | 'BEARER' | 'DIGEST'; username?: string; password?: string; token?: string };
  proxy?: { type?: 'DIRECT' | 'HTTP' | 'SOCKS'; address?: string; port?: number; username?: string; password?: string };
  ssl?: { insecureTrustAllCertificates?: boolean };
  followRedirects?: boolean;
  allowFailed?: boolean;
  defaultCharset?: string;
  logs?: LogPart[];
  maxContentLength?: number;
  connectTimeout?: string;
  readTimeout?: string;
  readIdleTimeout?: string;
  basicAuthUser?: string;
  basicAuthPassword?: string;
  proxyType?: 'DIRECT' | 'HTTP' | 'SOCKS';
  proxyAddress?: string;
  proxyPort?: number;
  proxyUsername?: string;
  proxyPassword?: string;
  logLevel?: string;
  [newerOption: string]: unknown;
}

export type LogPart = 'REQUEST_HEADERS' | 'REQUEST_BODY' | 'RESPONSE_HEADERS' | 'RESPONSE_BODY';

/** Kestra's defaults: 5 minutes of read idleness, 10 MB of response body. */
const DEFAULT_READ_IDLE = 'PT5M';
const DEFAULT_MAX_CONTENT_LENGTH = 10 * 1024 * 1024;

export interface ResolvedHttpOptions {
  connectTimeoutMs?: number;
  readIdleTimeoutMs: number;
  authorization?: string;
  proxy?: ProxySettings;
  insecure: boolean;
  followRedirects: boolean;
  maxContentLength: number;
  /** Node's name for the request body charset. */
  charset: BufferEncoding;
  logs: Set<LogPart>;
}

// Kestra maps the deprecated `logLevel` onto `logs` this way.
const LOG_LEVEL_PARTS: Record<string, LogPart[]> = {
  TRACE: ['REQUEST_HEADERS', 'REQUEST_BODY', 'RESPONSE_HEADERS', 'RESPONSE_BODY'],
  DEBUG: ['REQUEST_HEADERS', 'RESPONSE_HEADERS'],
  INFO: ['RESPONSE_HEADERS'],
};

const CHARSETS: Record<string, BufferEncoding> = {
  'utf-8': 'utf8', utf8: 'utf8', 'us-ascii': 'ascii', ascii: 'ascii', 'iso-8859-1': 'latin1', latin1: 'latin1', 'utf-16le': 'utf16le',
};

/** Reads `options` (deprecated names as fallbacks, as Kestra's builder does) into call settings. */
export function resolveHttpOptions(options: HttpOptions = {}): ResolvedHttpOptions {
  const connect = options.timeout?.connectTimeout ?? options.connectTimeout;
  // Kestra ignores the flat `readIdleTimeout`; Patchbay reads it too, since it can only mean this.
  const readIdle = options.timeout?.readIdleTimeout ?? options.readTimeout ?? options.readIdleTimeout ?? DEFAULT_READ_IDLE;
  const charsetName = (options.defaultCharset ?? 'UTF-8').toLowerCase();
  const charset = CHARSETS[charsetName];
  if (!charset) throw taskFailed(`options.defaultCharset: ${options.defaultCharset} is not supported (use UTF-8, US-ASCII, ISO-8859-1 or UTF-16LE)`, { retryable: false });
  const resolved: ResolvedHttpOptions = {
    readIdleTimeoutMs: durationMs(readIdle, 'options.timeout.readIdleTimeout'),
    insecure: options.ssl?.insecureTrustAllCertificates ?? false,
    followRedirects: options.followRedirects ?? true,
    maxContentLength: options.maxContentLength ?? DEFAULT_MAX_CONTENT_LENGTH,
    charset,
    logs: new Set(options.logs ?? LOG_LEVEL_PARTS[options.logLevel ?? ''] ?? []),
  };
  if (connect !== undefined) resolved.connectTimeoutMs = durationMs(connect, 'options.timeout.connectTimeout');
  const authorization = authorizationHeader(options);
  if (authorization !== undefined) resolved.authorization = authorization;
  const proxy = proxySettings(options);
  if (proxy !== undefined) resolved.proxy = proxy;
  return resolved;
}

function authorizationHeader(options: HttpOptions): string | undefined {
  const auth = options.auth ?? (options.basicAuthUser === undefined ? undefined : { type: 'BASIC' as const, username: options.basicAuthUser, password: options.basicAuthPassword });
  if (auth === undefined) return undefined;
  switch (auth.type) {
    case 'BASIC':
      return `Basic ${Buffer.from(`${auth.username ?? ''}:${auth.password ?? ''}`, 'utf8').toString('base64')}`;
    case 'BEARER':
      if (!auth.token) throw taskFailed('options.auth: BEARER needs `token`', { retryable: false });
      return `Bearer ${auth.token}`;
    case 'DIGEST':
      throw taskFailed('options.auth: DIGEST authentication is not supported by Patchbay; use BASIC or BEARER', { retryable: false });
  }
}

function proxySettings(options: HttpOptions): ProxySettings | undefined {
  const proxy = options.proxy ?? {
    type: options.proxyType, address: options.proxyAddress, port: options.proxyPort, username: options.proxyUsername, password: options.proxyPassword,
  };
  // As Kestra: no address means no proxy, and the type defaults to HTTP.
  if (!proxy.address || proxy.type === 'DIRECT') return undefined;
  if (proxy.port === undefined) throw taskFailed('options.proxy: `port` is required with `address`', { retryable: false });
  const settings: ProxySettings = { type: proxy.type ?? 'HTTP', address: proxy.address, port: proxy.port };
  if (proxy.username !== undefined) settings.username = proxy.username;
  if (proxy.password !== undefined) settings.password = proxy.password;
  return settings;
}
