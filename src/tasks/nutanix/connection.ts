import { readFile } from 'node:fs/promises';
import { rootCertificates } from 'node:tls';
import { taskFailed } from '../../errors.js';
import { durationMs } from '../duration.js';
import type { NutanixDefaults } from '../integrations.js';
import type { PropKit } from '../kit.js';
import type { TaskLogger } from '../types.js';

/**
 * Connection properties shared by every Nutanix task, usually set once through
 * `pluginDefaults: [{type: io.kestra.plugin.ee.nutanix, values: {...}}]`. Since pluginDefaults
 * apply a package's values to each of its tasks, every task accepts all of them.
 */
export const connectionProperties = (k: PropKit) => ({
  host: k.string().optional().describe("Prism Central host or address; the server's own connection (NUTANIX_HOST or the built-in simulator) when unset"),
  port: k.int({ min: 1, max: 65535 }).optional().describe('Prism Central port (9440 by default)'),
  scheme: k.enum(['https', 'http']).default('https').describe('URL scheme of the Prism Central API'),
  token: k.string().optional().describe('Prism Central API key, sent as the X-ntnx-api-key header'),
  username: k.string().optional().describe('Prism Central user (HTTP Basic); used when no token is set'),
  password: k.string().optional().describe('Password of `username`'),
  verifySsl: k.bool().default(true).describe('Verify the TLS certificate of Prism Central (on by default; false is the same as insecure: true)'),
  insecure: k.bool().default(false).describe('Skip TLS certificate verification (a warning is logged); prefer caCertificate'),
  caCertificate: k.string().optional().describe('PEM text, or the path of a PEM file, of CAs trusted in addition to the system ones'),
  apiVersion: k.string().default('v4.0').describe('Version segment of the v4 API paths (v4.0, v4.1…)'),
  requestTimeout: k.duration().default('PT30S').describe('Longest wait for one HTTP answer'),
  pollInterval: k.duration().default('PT2S').describe('Pause between two reads of an asynchronous Prism task'),
  waitTimeout: k.duration().default('PT30M').describe('Longest wait for an asynchronous Prism task to finish'),
});

export interface ConnectionProps {
  host?: string | undefined;
  port?: number | undefined;
  scheme: 'https' | 'http';
  token?: string | undefined;
  username?: string | undefined;
  password?: string | undefined;
  verifySsl: boolean;
  insecure: boolean;
  caCertificate?: string | undefined;
  apiVersion: string;
  requestTimeout: string;
  pollInterval: string;
  waitTimeout: string;
}

/** Everything the client needs, decided once per task run. */
export interface ResolvedConnection {
  /** `https://host:port`, without a trailing slash. */
  origin: string;
  /** For messages: "prism.example.com:9440 (NUTANIX_HOST)". */
  label: string;
  /** The auth header (never logged). */
  auth: { name: 'X-ntnx-api-key' | 'Authorization'; value: string };
  /** Trusted CAs (system ones plus the extra PEM), undefined for the system ones only. */
  ca?: string[];
  insecure: boolean;
  apiVersion: string;
  requestTimeoutMs: number;
  pollIntervalMs: number;
  waitTimeoutMs: number;
}

const PEM_MARK = '-----BEGIN';

/**
 * Decides where and how to connect. With `host` the flow's own settings apply and the server's
 * credentials and CA are used only if that host is the server's own Prism Central: they are never
 * sent to another host. Without `host`, the server's connection (`integrations.nutanix`) is used,
 * the flow may still override credentials and TLS settings.
 */
export async function resolveConnection(props: ConnectionProps, defaults: NutanixDefaults | undefined, log: TaskLogger): Promise<ResolvedConnection> {
  const host = props.host?.trim() || undefined;
  if (!host && !defaults) {
    throw taskFailed(
      'no Prism Central to talk to: set NUTANIX_HOST on the server, or the task\'s `host` (usually through pluginDefaults for io.kestra.plugin.ee.nutanix); ' +
        'a `patchbay worker` uses the built-in simulator only while `npm start` or `patchbay sim` runs it for the same data folder',
      { retryable: false },
    );
  }
  if (host !== undefined && /[/\s]/.test(host)) {
    throw taskFailed(`\`host\`: "${host}" must be a host name or address, without scheme or path (use \`scheme\` and \`port\`)`, { retryable: false });
  }
  const server = defaults && (host === undefined || host === defaults.host) ? defaults : undefined;
  const targetHost = host ?? defaults!.host;
  const port = props.port ?? (server ? server.port : 9440);
  const label = `${targetHost}:${port}${server && host === undefined ? ` (${server.source})` : ''}`;
  const auth = credentials(props, server, label);

  const insecure = props.insecure || !props.verifySsl || (server?.insecure ?? false);
  if (insecure && props.scheme === 'https') {
    log.warn(`TLS certificate verification is OFF for Prism Central ${label}: anyone on the path can read the credentials; set caCertificate instead of insecure/verifySsl`);
  }
  const pem = props.caCertificate?.trim() ? await readCa(props.caCertificate) : server?.caCert;
  const hostPart = targetHost.includes(':') && !targetHost.startsWith('[') ? `[${targetHost}]` : targetHost;
  return {
    origin: `${props.scheme}://${hostPart}:${port}`,
    label,
    auth,
    ...(pem ? { ca: [...rootCertificates, pem] } : {}),
    insecure,
    // Kestra's default `v4.0.a4` names a pre-release that GA Prism Central no longer serves.
    apiVersion: props.apiVersion.trim().replace(/\.[ab]\d+$/, '') || 'v4.0',
    requestTimeoutMs: durationMs(props.requestTimeout, '`requestTimeout`'),
    pollIntervalMs: durationMs(props.pollInterval, '`pollInterval`'),
    waitTimeoutMs: durationMs(props.waitTimeout, '`waitTimeout`'),
  };
}

function credentials(props: ConnectionProps, server: NutanixDefaults | undefined, label: string): ResolvedConnection['auth'] {
  if (props.token?.trim()) return { name: 'X-ntnx-api-key', value: props.token.trim() };
  if (props.username !== undefined || props.password !== undefined) {
    if (!props.username || props.password === undefined) {
      throw taskFailed(`\`${props.username ? 'password' : 'username'}\`: set both username and password for Prism Central ${label}, or a token`, { retryable: false });
    }
    return basic(props.username, props.password);
  }
  if (server?.apiKey) return { name: 'X-ntnx-api-key', value: server.apiKey };
  if (server?.username && server.password !== undefined) return basic(server.username, server.password);
  throw taskFailed(`no credentials for Prism Central ${label}: set \`token\`, or \`username\` and \`password\` (e.g. "{{ secret('NUTANIX_TOKEN') }}")`, { retryable: false });
}

const basic = (username: string, password: string): ResolvedConnection['auth'] => ({
  name: 'Authorization',
  value: `Basic ${Buffer.from(`${username}:${password}`, 'utf8').toString('base64')}`,
});

async function readCa(value: string): Promise<string> {
  if (value.includes(PEM_MARK)) return value;
  const file = value.trim();
  try {
    const content = await readFile(file, 'utf8');
    if (!content.includes(PEM_MARK)) throw new Error('no PEM certificate in it');
    return content;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw taskFailed(`\`caCertificate\`: "${file}" is neither PEM text nor a readable PEM file (${reason})`, { retryable: false });
  }
}
