import { z } from 'zod';
import type { PropKit } from '../kit.js';

/**
 * Kestra's HttpConfiguration (`options`). Current names first; the flat names further down are
 * deprecated in Kestra but still read, so older flows keep loading. The object is loose because
 * Kestra keeps adding client options, and refusing a newer one would break a valid flow.
 */
export function httpOptionsSchema(k: PropKit) {
  return z
    .looseObject({
      timeout: z
        .strictObject({
          connectTimeout: k.duration().optional().describe('Time allowed to establish the connection'),
          readIdleTimeout: k.duration().optional().describe('Time a read may stay idle (default PT5M)'),
        })
        .optional(),
      auth: z
        .strictObject({
          type: k.enum(['BASIC', 'BEARER', 'DIGEST']).describe('Authentication scheme'),
          username: k.string().optional().describe('BASIC and DIGEST user name'),
          password: k.string().optional().describe('BASIC and DIGEST password'),
          token: k.string().optional().describe('BEARER token'),
        })
        .optional(),
      proxy: z
        .strictObject({
          type: k.enum(['DIRECT', 'HTTP', 'SOCKS']).optional(),
          address: k.string().optional(),
          port: k.int({ min: 1, max: 65535 }).optional(),
          username: k.string().optional(),
          password: k.string().optional(),
        })
        .optional(),
      ssl: z
        .strictObject({
          insecureTrustAllCertificates: k.bool().optional().describe('Skip certificate checks (testing only)'),
        })
        .optional(),
      followRedirects: k.bool().optional().describe('Follow redirects (default true)'),
      allowFailed: k.bool().optional().describe('Accept a response code >= 400 instead of failing (default false)'),
      defaultCharset: k.string().optional().describe('Charset of the request body (default UTF-8)'),
      logs: k
        .list(k.enum(['REQUEST_HEADERS', 'REQUEST_BODY', 'RESPONSE_HEADERS', 'RESPONSE_BODY']))
        .optional()
        .describe('Parts of the exchange to log'),
      maxContentLength: k.int({ min: 0 }).optional().describe('Largest response body accepted, in bytes'),
      connectTimeout: k.duration().optional().describe('Deprecated: use timeout.connectTimeout'),
      readTimeout: k.duration().optional().describe('Deprecated: use timeout.readIdleTimeout'),
      readIdleTimeout: k.duration().optional().describe('Deprecated: use timeout.readIdleTimeout'),
      connectionPoolIdleTimeout: k.duration().optional().describe('Deprecated and ignored'),
      basicAuthUser: k.string().optional().describe('Deprecated: use auth'),
      basicAuthPassword: k.string().optional().describe('Deprecated: use auth'),
      proxyType: k.enum(['DIRECT', 'HTTP', 'SOCKS']).optional().describe('Deprecated: use proxy.type'),
      proxyAddress: k.string().optional().describe('Deprecated: use proxy.address'),
      proxyPort: k.int({ min: 1, max: 65535 }).optional().describe('Deprecated: use proxy.port'),
      proxyUsername: k.string().optional().describe('Deprecated: use proxy.username'),
      proxyPassword: k.string().optional().describe('Deprecated: use proxy.password'),
      logLevel: k.enum(['ALL', 'TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'OFF']).optional().describe('Deprecated: use logs'),
    })
    .describe('HTTP client options');
}
