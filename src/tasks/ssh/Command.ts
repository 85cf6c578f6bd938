import { z } from 'zod';
import { isTemplate } from '../kit.js';
import { defineTask } from '../types.js';

export const SSH_AUTH_METHODS = ['PASSWORD', 'PUBLIC_KEY', 'OPEN_SSH'] as const;

const scalar = z.union([z.string(), z.number(), z.boolean()]);

/**
 * Runs commands on a remote host over SSH. Unsafe to repeat: a patch or a reboot must not run
 * twice because a worker lost its lease. Unlike Kestra (which defaults `strictHostKeyChecking`
 * to "no"), Patchbay verifies the host key unless the flow opts out explicitly.
 */
export const SshCommand = defineTask({
  types: ['io.kestra.plugin.fs.ssh.Command'],
  title: 'Run commands on a remote host over SSH',
  kind: 'runnable',
  unsafeToRepeat: true,
  check: (task) => sshAuthIssues(task),
  properties: (k) => ({
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
  }),
});

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
