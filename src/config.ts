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
  DATABASE_URL: z.string().url({ message: 'must be a URL such as postgres://user@host:5432/db' }).optional(),
  LOG_LEVEL: z.enum(['trace', 'debug', 'info', 'warn', 'error']).default('info'),
  PATCHBAY_LEASE_SECONDS: z.coerce.number().positive({ message: 'must be a positive number of seconds' }).default(30),
});

export interface Config {
  flowsDir: string;
  dataDir: string;
  secretsFile: string | undefined;
  /** YAML map of group → user ids, for `assignment.groups` outside Slack (CLI, shell chat). */
  groupsFile: string | undefined;
  databaseUrl: string | undefined;
  logLevel: 'trace' | 'debug' | 'info' | 'warn' | 'error';
  /** How long a worker's claim on a task run lasts without renewal (a dead worker's runs wait this long). */
  leaseMs: number;
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
    databaseUrl: values.DATABASE_URL,
    logLevel: values.LOG_LEVEL,
    leaseMs: values.PATCHBAY_LEASE_SECONDS * 1000,
    env,
  };
}
