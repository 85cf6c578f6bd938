import path from 'node:path';
import { z } from 'zod';
import { ErrorCode, PatchbayError } from './errors.js';

/**
 * The only reader of the environment. Everything else receives a Config, so tests and
 * several in-process replicas can run side by side with different settings.
 */
const configSchema = z.object({
  PATCHBAY_FLOWS_DIR: z.string().min(1).default('./flows'),
  PATCHBAY_DATA_DIR: z.string().min(1).default('./.patchbay'),
  PATCHBAY_SECRETS_FILE: z.string().min(1).optional(),
  PATCHBAY_GROUPS_FILE: z.string().min(1).optional(),
  PATCHBAY_POLICY_FILE: z.string().min(1).optional(),
  DATABASE_URL: z.string().url({ message: 'must be a URL such as postgres://user@host:5432/db' }).optional(),
  LOG_LEVEL: z.enum(['trace', 'debug', 'info', 'warn', 'error']).default('info'),
  PATCHBAY_LEASE_SECONDS: z.coerce.number().positive({ message: 'must be a positive number of seconds' }).default(30),
  SLACK_BOT_TOKEN: z.string().startsWith('xoxb-', { message: 'must be a bot token (xoxb-…, "Bot User OAuth Token")' }).optional(),
  SLACK_SIGNING_SECRET: z.string().min(1).optional(),
  SLACK_APP_TOKEN: z.string().startsWith('xapp-', { message: 'must be an app-level token (xapp-…) with connections:write' }).optional(),
  SLACK_API_URL: z.string().url({ message: 'must be a URL such as https://slack.com/api/' }).optional(),
  PORT: z.coerce.number().int().min(0).max(65535, { message: 'must be a TCP port (0–65535)' }).default(3000),
  NUTANIX_HOST: z.string().regex(/^[^\s/:]+$/, { message: 'must be a host name or address, without scheme or port (use NUTANIX_PORT)' }).optional(),
  NUTANIX_PORT: z.coerce.number().int().min(1).max(65535, { message: 'must be a TCP port (1–65535)' }).default(9440),
  NUTANIX_API_KEY: z.string().min(1).optional(),
  NUTANIX_USERNAME: z.string().min(1).optional(),
  NUTANIX_PASSWORD: z.string().min(1).optional(),
  NUTANIX_CA_FILE: z.string().min(1).optional(),
  NUTANIX_INSECURE: z.enum(['true', 'false', '1', '0'], { message: 'must be true or false' }).optional(),
  PATCHBAY_REQUIRE_REAL: z.enum(['true', 'false', '1', '0'], { message: 'must be 1 or 0' }).optional(),
});

/**
 * Slack, when configured: HTTP mode (signing secret, a public URL) or Socket Mode (app-level
 * token, no public URL). With both, Socket Mode wins: the app token is the deliberate choice.
 */
export interface SlackConfig {
  mode: 'http' | 'socket';
  botToken: string;
  signingSecret: string | undefined;
  appToken: string | undefined;
  /** Slack-compatible API base (gateways, proxies, tests); Slack's own when undefined. */
  apiUrl: string | undefined;
}

/** A real Prism Central endpoint; the CA file is read when the server starts. */
export interface NutanixConfig {
  host: string;
  port: number;
  apiKey: string | undefined;
  username: string | undefined;
  password: string | undefined;
  caFile: string | undefined;
  insecure: boolean;
}

export interface Config {
  flowsDir: string;
  dataDir: string;
  secretsFile: string | undefined;
  /** YAML map of group → user ids, for `assignment.groups` outside Slack (CLI, shell chat). */
  groupsFile: string | undefined;
  /** YAML policy: who may run / kill which flows from chat (src/policy); absent = everyone may. */
  policyFile: string | undefined;
  databaseUrl: string | undefined;
  logLevel: 'trace' | 'debug' | 'info' | 'warn' | 'error';
  /** How long a worker's claim on a task run lasts without renewal (a dead worker's runs wait this long). */
  leaseMs: number;
  /** undefined: no Slack token, so `serve` talks through the local shell chat. */
  slack: SlackConfig | undefined;
  /** HTTP port of `serve` (Slack requests in HTTP mode, /healthz). */
  port: number;
  /** Prism Central from NUTANIX_*; undefined: `serve` starts the built-in simulator instead. */
  nutanix: NutanixConfig | undefined;
  /** PATCHBAY_REQUIRE_REAL=1: refuse to start without a real Nutanix endpoint (no simulator). */
  requireRealNutanix: boolean;
  /** Raw environment, for the few readers that look up dynamic names (SECRET_<NAME>). */
  env: Readonly<Record<string, string | undefined>>;
}

export function loadConfig(env: Readonly<Record<string, string | undefined>>, cwd: string): Config {
  // Empty strings are unset values in practice (`DATABASE_URL= npm start`).
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  const parsed = configSchema.safeParse(present);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new PatchbayError(ErrorCode.CONFIG_INVALID, `invalid configuration:\n  ${lines.join('\n  ')}`);
  }
  const values = parsed.data;
  return {
    flowsDir: path.resolve(cwd, values.PATCHBAY_FLOWS_DIR),
    dataDir: path.resolve(cwd, values.PATCHBAY_DATA_DIR),
    secretsFile: values.PATCHBAY_SECRETS_FILE ? path.resolve(cwd, values.PATCHBAY_SECRETS_FILE) : undefined,
    groupsFile: values.PATCHBAY_GROUPS_FILE ? path.resolve(cwd, values.PATCHBAY_GROUPS_FILE) : undefined,
    policyFile: values.PATCHBAY_POLICY_FILE ? path.resolve(cwd, values.PATCHBAY_POLICY_FILE) : undefined,
    databaseUrl: values.DATABASE_URL,
    logLevel: values.LOG_LEVEL,
    leaseMs: values.PATCHBAY_LEASE_SECONDS * 1000,
    slack: slackConfig(values),
    port: values.PORT,
    nutanix: nutanixConfig(values, cwd),
    requireRealNutanix: isOn(values.PATCHBAY_REQUIRE_REAL),
    env,
  };
}

function slackConfig(values: z.infer<typeof configSchema>): SlackConfig | undefined {
  const { SLACK_BOT_TOKEN: botToken, SLACK_SIGNING_SECRET: signingSecret, SLACK_APP_TOKEN: appToken, SLACK_API_URL: apiUrl } = values;
  const fail = (message: string): never => {
    throw new PatchbayError(ErrorCode.CONFIG_INVALID, `invalid configuration:\n  ${message}`);
  };
  if (!botToken) {
    if (signingSecret || appToken) fail(`SLACK_BOT_TOKEN: required when ${signingSecret ? 'SLACK_SIGNING_SECRET' : 'SLACK_APP_TOKEN'} is set`);
    return undefined;
  }
  if (!signingSecret && !appToken) {
    fail('SLACK_BOT_TOKEN is set but neither SLACK_SIGNING_SECRET (HTTP mode) nor SLACK_APP_TOKEN (Socket Mode) is');
  }
  return { mode: appToken ? 'socket' : 'http', botToken, signingSecret, appToken, apiUrl };
}

const isOn = (value: string | undefined): boolean => value === 'true' || value === '1';

function nutanixConfig(values: z.infer<typeof configSchema>, cwd: string): NutanixConfig | undefined {
  const fail = (message: string): never => {
    throw new PatchbayError(ErrorCode.CONFIG_INVALID, `invalid configuration:\n  ${message}`);
  };
  const host = values.NUTANIX_HOST;
  if (!host) {
    const stray = (['NUTANIX_API_KEY', 'NUTANIX_USERNAME', 'NUTANIX_PASSWORD', 'NUTANIX_CA_FILE'] as const).find((name) => values[name]);
    if (stray) fail(`NUTANIX_HOST: required when ${stray} is set`);
    if (isOn(values.PATCHBAY_REQUIRE_REAL)) fail('PATCHBAY_REQUIRE_REAL is set but NUTANIX_HOST is not: set NUTANIX_HOST (and NUTANIX_API_KEY or NUTANIX_USERNAME/NUTANIX_PASSWORD), or unset PATCHBAY_REQUIRE_REAL to use the built-in simulator');
    return undefined;
  }
  if (!values.NUTANIX_API_KEY && !(values.NUTANIX_USERNAME && values.NUTANIX_PASSWORD)) {
    fail('NUTANIX_HOST is set but neither NUTANIX_API_KEY nor NUTANIX_USERNAME and NUTANIX_PASSWORD are');
  }
  return {
    host,
    port: values.NUTANIX_PORT,
    apiKey: values.NUTANIX_API_KEY,
    username: values.NUTANIX_USERNAME,
    password: values.NUTANIX_PASSWORD,
    caFile: values.NUTANIX_CA_FILE ? path.resolve(cwd, values.NUTANIX_CA_FILE) : undefined,
    insecure: isOn(values.NUTANIX_INSECURE),
  };
}
