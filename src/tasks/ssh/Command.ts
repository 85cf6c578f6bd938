import { z } from 'zod';
import { taskFailed } from '../../errors.js';
import { type PropKit, isTemplate } from '../kit.js';
import type { RunProps } from '../props.js';
import { OutputCollector } from '../scripts/output.js';
import { defineTask } from '../types.js';
import type { HostKeyPolicy } from './host-key.js';
import { parseKnownHosts, readKnownHosts } from './known-hosts.js';
import { type SshTarget, runRemoteCommand } from './session.js';

export const SSH_AUTH_METHODS = ['PASSWORD', 'PUBLIC_KEY', 'OPEN_SSH'] as const;

const scalar = z.union([z.string(), z.number(), z.boolean()]);

const properties = (k: PropKit) => ({
  host: k.string().describe('Host name or address of the remote server'),
  // Kestra declares the port as a string ("22"); a YAML number is just as common.
  port: z
    .union([k.int({ min: 1, max: 65535 }), z.string().regex(/^\d{1,5}$/, { message: 'expected a port number' })])
    .default(22)
    .describe('SSH port'),
  username: k.string().optional().describe('User to log in as (PASSWORD and PUBLIC_KEY)'),
  authMethod: k.enum(SSH_AUTH_METHODS).default('PASSWORD').describe('PASSWORD, PUBLIC_KEY or OPEN_SSH'),
  password: k.string().optional().describe('Password (PASSWORD; optional for OPEN_SSH)'),
  privateKey: k.string().optional().describe('OpenSSH private key content (PUBLIC_KEY)'),
  privateKeyPassphrase: k.string().optional().describe('Passphrase of the private key'),
  commands: k
    .list(k.string())
    .refine((list) => !Array.isArray(list) || list.length > 0, { message: '`commands` needs at least one command' })
    .describe('Commands to run on the remote host, as one script'),
  env: k.map(scalar).optional().describe('Environment variables for the remote commands'),
  // Kestra passes the string to JSch ("yes", "no", "ask"); a YAML boolean is the natural spelling.
  strictHostKeyChecking: z
    .union([k.bool(), k.enum(['yes', 'no', 'ask'])])
    .optional()
    .describe('Verify the host key: yes/true (Patchbay default) or no/false to opt out'),
  knownHosts: k
    .string()
    .optional()
    .describe('Patchbay: known_hosts content, or the path of a known_hosts file, to verify the host key'),
  hostKeyFingerprint: k
    .string()
    .optional()
    .describe('Patchbay: pinned host key fingerprint, e.g. SHA256:abc…'),
  enableSshRsa1: k.bool().default(false).describe('Allow the weak ssh-rsa (RSA/SHA-1) algorithm'),
  proxyCommand: k.string().optional().describe('Local command providing the SSH transport (OpenSSH ProxyCommand)'),
  openSSHConfigPath: k.string().optional().describe('OpenSSH config file to read (OPEN_SSH)'),
  openSSHConfigDir: k.string().optional().describe('Deprecated: use openSSHConfigPath'),
  useOpenSSHConfig: k.bool().optional().describe('Deprecated: use authMethod: OPEN_SSH'),
  warningOnStdErr: k.bool().optional().describe('Deprecated by Kestra and ignored'),
});

type SshProps = RunProps<typeof properties>;

/**
 * Runs commands on a remote host over SSH, joined by newlines in one exec channel as Kestra
 * does; outputs `exitCode` and `vars` (from `::{"outputs":…}::` lines), plus the line counts.
 * Unsafe to repeat: a patch or a reboot must not run twice because a worker lost its lease.
 * Unlike Kestra (which defaults `strictHostKeyChecking` to "no"), Patchbay verifies the host
 * key unless the flow opts out explicitly.
 */
export const SshCommand = defineTask({
  types: ['io.kestra.plugin.fs.ssh.Command'],
  title: 'Run commands on a remote host over SSH',
  kind: 'runnable',
  unsafeToRepeat: true,
  check: (task) => sshAuthIssues(task),
  properties,
  async run(context, raw) {
    const props = raw as SshProps;
    const target = await sshTarget(props, context.processEnv.HOME);
    if (props.enableSshRsa1) {
      context.log.info('RSA/SHA1 is enabled: SHA-1 is no longer considered secure by the cryptographic community');
    }
    const env = Object.fromEntries(Object.entries(props.env ?? {}).map(([name, value]) => [name, String(value)]));
    const output = new OutputCollector(context.log);
    const exit = await runRemoteCommand(context, target, props.commands.join('\n'), env, output);
    const outputs = { exitCode: exit.exitCode, vars: output.vars, stdOutLineCount: output.stdOutLineCount, stdErrLineCount: output.stdErrLineCount };
    if (exit.exitCode !== 0) {
      const ending = exit.exitCode === null ? `ended without an exit status${exit.signal ? ` (signal ${exit.signal})` : ''}` : `failed with exit status ${exit.exitCode}`;
      const tail = output.stderrTail();
      const quoted = tail.length === 0 ? '' : `\nLast lines on stderr:\n${tail.join('\n')}`;
      throw taskFailed(`SSH command on ${target.host}:${target.port} ${ending}${quoted}`, { details: { outputs } });
    }
    return { outputs };
  },
});

async function sshTarget(props: SshProps, home: string | undefined): Promise<SshTarget> {
  const method = props.useOpenSSHConfig === true ? 'OPEN_SSH' : props.authMethod;
  if (method === 'OPEN_SSH') {
    throw taskFailed(
      "authMethod OPEN_SSH reads the worker's own OpenSSH configuration, which Patchbay does not allow (Kestra needs allow-open-ssh-config for it too); use PASSWORD or PUBLIC_KEY",
      { retryable: false },
    );
  }
  if (method === 'PASSWORD' && !props.password) throw taskFailed('Password is necessary for given SSH auth method: PASSWORD', { retryable: false });
  if (method === 'PUBLIC_KEY' && !props.privateKey) throw taskFailed('Private key is necessary for given SSH auth method: PUBLIC_KEY', { retryable: false });
  const target: SshTarget = {
    host: props.host,
    port: Number(props.port),
    policy: await hostKeyPolicy(props, home),
    enableSshRsa1: props.enableSshRsa1,
  };
  if (props.username !== undefined) target.username = props.username;
  if (method === 'PASSWORD') target.password = props.password!;
  if (method === 'PUBLIC_KEY') {
    target.privateKey = props.privateKey!;
    if (props.privateKeyPassphrase) target.passphrase = props.privateKeyPassphrase;
  }
  if (props.proxyCommand) target.proxyCommand = props.proxyCommand;
  return target;
}

/** Opting out takes `strictHostKeyChecking: false` (or "no"); "ask" cannot ask anyone, so it verifies. */
async function hostKeyPolicy(props: SshProps, home: string | undefined): Promise<HostKeyPolicy> {
  if (props.strictHostKeyChecking === false || props.strictHostKeyChecking === 'no') return { kind: 'skip' };
  const policy: HostKeyPolicy = { kind: 'verify' };
  if (props.hostKeyFingerprint) policy.fingerprint = props.hostKeyFingerprint;
  if (props.knownHosts) policy.knownHosts = parseKnownHosts(await readKnownHosts(props.knownHosts, home));
  return policy;
}

export interface SshAuthIssue {
  path: string[];
  message: string;
}

/**
 * Cross-field checks Kestra only makes at run time: the chosen authMethod needs its secret.
 * A templated value counts as present (known only once rendered).
 */
export function sshAuthIssues(task: Record<string, unknown>): SshAuthIssue[] {
  const method = task.authMethod ?? 'PASSWORD';
  if (isTemplate(method)) return [];
  const missing = (key: string) => task[key] === undefined || task[key] === '';
  if (method === 'PASSWORD' && missing('password')) {
    return [{ path: ['password'], message: 'authMethod PASSWORD needs `password`' }];
  }
  if (method === 'PUBLIC_KEY' && missing('privateKey')) {
    return [{ path: ['privateKey'], message: 'authMethod PUBLIC_KEY needs `privateKey`' }];
  }
  return [];
}
