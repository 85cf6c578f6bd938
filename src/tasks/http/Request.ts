import { z } from 'zod';
import { taskFailed } from '../../errors.js';
import type { PropKit } from '../kit.js';
import type { RunProps } from '../props.js';
import { type TaskLogger, defineTask } from '../types.js';
import { type HttpReply, sendHttp } from './client.js';
import { httpOptionsSchema } from './options-schema.js';
import { encodeBody } from './request-body.js';
import { type HttpOptions, type LogPart, resolveHttpOptions } from './request-options.js';

export const HTTP_METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS', 'TRACE'] as const;

/** YAML writes `X-Count: 5`; Kestra converts such scalars to strings, so accept them. */
const scalar = z.union([z.string(), z.number(), z.boolean()]);

const properties = (k: PropKit) => ({
  uri: k.string().describe('The full URI of the request'),
  method: k.enum(HTTP_METHODS).default('GET').describe('The HTTP method'),
  // Kestra's body is a string, but a YAML map or list is common in hand-written flows and is
  // sent as JSON, so both are accepted.
  body: z
    .union([k.string(), z.record(z.string(), z.unknown()), z.array(z.unknown())])
    .optional()
    .describe('The request body'),
  formData: k
    .map(k.json())
    .optional()
    .describe('Form fields; sent as multipart when contentType is multipart/form-data, else URL-encoded'),
  contentType: k.string().default('application/json').describe('The request content type'),
  headers: k.map(scalar).optional().describe('Request headers'),
  options: httpOptionsSchema(k).optional(),
  encryptBody: k.bool().default(false).describe('Store the response body encrypted in the outputs'),
  allowFailed: k.bool().optional().describe('Deprecated: use options.allowFailed'),
  sslOptions: z
    .strictObject({ insecureTrustAllCertificates: k.bool().optional() })
    .optional()
    .describe('Deprecated: use options.ssl'),
});

/** How much of a failed response's body the error message quotes. */
const BODY_EXCERPT = 500;

/**
 * Sends one HTTP request; outputs `uri`, `code`, `headers` (each a list) and `body` (text,
 * never parsed: Kestra leaves JSON parsing to expressions). A code >= 400 fails the task
 * unless `options.allowFailed`; 4xx is not retried (the request itself is wrong), 5xx, 408
 * and 429 are, like network failures.
 */
export const HttpRequest = defineTask({
  types: ['io.kestra.plugin.core.http.Request', 'io.kestra.plugin.fs.http.Request'],
  title: 'Send an HTTP request and capture the response',
  kind: 'runnable',
  properties,
  async run(context, raw) {
    const props = raw as RunProps<typeof properties>;
    if (props.encryptBody) {
      throw taskFailed('encryptBody: Patchbay cannot encrypt outputs; remove encryptBody (secrets in the body are still masked in logs)', { retryable: false });
    }
    const options = (props.options ?? {}) as HttpOptions;
    const resolved = resolveHttpOptions({
      ...options,
      ...(options.ssl === undefined && props.sslOptions !== undefined ? { ssl: props.sslOptions } : {}),
    });
    // As Kestra: spaces are the one thing escaped in a hand-written URI.
    const uri = props.uri.replaceAll(' ', '%20');
    const encoded = encodeBody(props, resolved.charset);
    const headers: Record<string, string> = { 'User-Agent': 'Patchbay' };
    if (encoded.contentType !== undefined) headers['Content-Type'] = encoded.contentType;
    if (resolved.authorization !== undefined) headers.Authorization = resolved.authorization;
    for (const [name, value] of Object.entries(props.headers ?? {})) setHeader(headers, name, String(value));
    logExchange(context.log, resolved.logs, 'REQUEST', headers, typeof encoded.body === 'string' || encoded.body instanceof Uint8Array ? Buffer.from(encoded.body).toString() : undefined);

    const what = `HTTP ${props.method} ${withoutQuery(uri)}`;
    const reply = await sendHttp(
      {
        method: props.method,
        url: uri,
        headers,
        ...(encoded.body === undefined ? {} : { body: encoded.body }),
        ...(resolved.connectTimeoutMs === undefined ? {} : { connectTimeoutMs: resolved.connectTimeoutMs }),
        readIdleTimeoutMs: resolved.readIdleTimeoutMs,
        followRedirects: resolved.followRedirects,
        maxContentLength: resolved.maxContentLength,
        insecure: resolved.insecure,
        ...(resolved.proxy === undefined ? {} : { proxy: resolved.proxy }),
        signal: context.signal,
      },
      what,
    );
    logExchange(context.log, resolved.logs, 'RESPONSE', flatten(reply.headers), reply.body);
    checkStatus(reply, options.allowFailed ?? props.allowFailed ?? false, options.allowedResponseCodes, what);
    const outputs: Record<string, unknown> = { uri, code: reply.status, headers: reply.headers };
    if (reply.body !== undefined) outputs.body = reply.body;
    return { outputs };
  },
});

/**
 * Kestra fails on a code >= 400 unless `allowFailed`, and, when the newer option
 * `allowedResponseCodes` lists codes, on any code not listed.
 */
function checkStatus(reply: HttpReply, allowFailed: boolean, allowedCodes: unknown, what: string): void {
  const allowed = Array.isArray(allowedCodes) && allowedCodes.length > 0 ? allowedCodes.map(Number) : undefined;
  const refused = (!allowFailed && reply.status >= 400) || (allowed !== undefined && !allowed.includes(reply.status));
  if (!refused) return;
  const body = reply.body ?? '';
  const excerpt = body.length > BODY_EXCERPT ? `${body.slice(0, BODY_EXCERPT)}…` : body;
  const retryable = reply.status >= 500 || reply.status === 408 || reply.status === 429;
  throw taskFailed(`${what} failed with response code ${reply.status}${excerpt === '' ? '' : ` and body: ${excerpt}`}`, {
    retryable,
    details: { code: reply.status },
  });
}

/** Header names are case-insensitive: a flow's `content-type` replaces the default Content-Type. */
function setHeader(headers: Record<string, string>, name: string, value: string): void {
  for (const existing of Object.keys(headers)) if (existing.toLowerCase() === name.toLowerCase()) delete headers[existing];
  headers[name] = value;
}

function logExchange(log: TaskLogger, parts: Set<LogPart>, side: 'REQUEST' | 'RESPONSE', headers: Record<string, string>, body: string | undefined): void {
  const label = side === 'REQUEST' ? 'Request' : 'Response';
  if (parts.has(`${side}_HEADERS`)) {
    log.info(`${label} headers:${Object.entries(headers).map(([name, value]) => `\n    ${name}: ${value}`).join('')}`);
  }
  if (parts.has(`${side}_BODY`)) log.info(`${label} payload:\n    ${body ?? 'null'}`);
}

const flatten = (headers: Record<string, string[]>): Record<string, string> =>
  Object.fromEntries(Object.entries(headers).map(([name, values]) => [name, values.join(', ')]));

/** Query strings often carry API keys; error messages name the endpoint without them. */
function withoutQuery(uri: string): string {
  const index = uri.search(/[?#]/);
  return index === -1 ? uri : uri.slice(0, index);
}
