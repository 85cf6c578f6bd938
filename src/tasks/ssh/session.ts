import { Client, type ClientChannel, type ConnectConfig, type ServerHostKeyAlgorithm } from 'ssh2';
import { type PatchbayError, taskFailed } from '../../errors.js';
import { abortedError } from '../abort.js';
import type { OutputCollector } from '../scripts/output.js';
import type { TaskRunContext } from '../types.js';
import { type HostKeyPolicy, hostKeyAlgorithms, hostKeyRefusal, keyTypeOf, sha256Fingerprint } from './host-key.js';
import { type ProxyTransport, startProxyCommand } from './proxy-command.js';

export interface SshTarget {
  host: string;
  port: number;
  username?: string;
  password?: string;
  privateKey?: string;
  passphrase?: string;
  policy: HostKeyPolicy;
  enableSshRsa1: boolean;
  proxyCommand?: string;
}

export interface RemoteExit {
  /** Null when the remote command ended without an exit status (killed by a signal). */
  exitCode: number | null;
  signal?: string;
}

// ssh2's default: time allowed for the connection and the handshake.
const READY_TIMEOUT_MS = 20_000;
// How long an aborted remote command may take to end after SIGTERM before the connection is closed.
const ABORT_GRACE_MS = 2_000;

/**
 * Connects, verifies the host key, runs `command` in one exec channel (as Kestra does) and
 * resolves with its exit status once the channel closed. On abort the remote command gets
 * SIGTERM (OpenSSH 7.9+ passes signal requests on), then the connection is closed.
 */
export function runRemoteCommand(context: TaskRunContext, target: SshTarget, command: string, env: Record<string, string>, output: OutputCollector): Promise<RemoteExit> {
  const where = `${target.host}:${target.port}`;
  return new Promise((resolve, reject) => {
    const client = new Client();
    let refusal: string | undefined;
    let channel: ClientChannel | undefined;
    let proxy: ProxyTransport | undefined;
    let settled = false;
    let abortTimer: NodeJS.Timeout | undefined;

    const settle = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(abortTimer);
      context.signal.removeEventListener('abort', onAbort);
      client.end();
      proxy?.stop();
      outcome();
    };
    const fail = (error: PatchbayError) => settle(() => reject(error));
    const stopped = () => fail(abortedError(`SSH command on ${where}`, context.signal));
    // The remote command gets SIGTERM and a moment to end, so the task reports "stopped" once
    // it has, rather than leaving it running behind a closed connection.
    const onAbort = () => {
      if (channel === undefined) return stopped();
      channel.signal('TERM');
      abortTimer = setTimeout(stopped, ABORT_GRACE_MS);
    };

    client.on('ready', () => {
      client.exec(command, Object.keys(env).length > 0 ? { env } : {}, (error, opened) => {
        if (error) return fail(taskFailed(`SSH ${where}: could not start the command: ${error.message}`));
        channel = opened;
        let exit: RemoteExit = { exitCode: null };
        opened.on('data', (chunk: Buffer) => output.stdout(chunk));
        opened.stderr.on('data', (chunk: Buffer) => output.stderr(chunk));
        opened.on('exit', (code: number | null, signal?: string) => {
          exit = signal === undefined ? { exitCode: code } : { exitCode: code, signal };
        });
        opened.on('close', () => {
          output.end();
          if (context.signal.aborted) stopped();
          else settle(() => resolve(exit));
        });
      });
    });
    // A proxy command that failed says why on its stderr, which may arrive after the error.
    const failAfterProxy = (build: () => PatchbayError) => {
      if (proxy === undefined) return fail(build());
      void proxy.finished().then(() => fail(build()));
    };
    client.on('error', (error: Error & { level?: string }) => failAfterProxy(() => connectionError(error, refusal, where, target, proxy)));
    client.on('close', () => failAfterProxy(() => taskFailed(`SSH ${where}: the connection closed before the command finished${proxyDetail(proxy)}`)));

    const config: ConnectConfig = {
      host: target.host,
      port: target.port,
      readyTimeout: READY_TIMEOUT_MS,
      algorithms: { serverHostKey: hostKeyAlgorithms(target.policy, target.host, target.port, target.enableSshRsa1) as ServerHostKeyAlgorithm[] },
      hostVerifier: (key: Buffer) => {
        if (target.policy.kind === 'skip') {
          context.log.warn(`strictHostKeyChecking is off: the host key of ${where} (${keyTypeOf(key)} ${sha256Fingerprint(key)}) is not verified`);
        }
        refusal = hostKeyRefusal(target.policy, target.host, target.port, key);
        return refusal === undefined;
      },
    };
    if (target.username !== undefined) config.username = target.username;
    if (target.password !== undefined) config.password = target.password;
    if (target.privateKey !== undefined) config.privateKey = target.privateKey;
    if (target.passphrase !== undefined) config.passphrase = target.passphrase;

    if (context.signal.aborted) return onAbort();
    context.signal.addEventListener('abort', onAbort, { once: true });
    try {
      if (target.proxyCommand !== undefined) {
        proxy = startProxyCommand(target.proxyCommand, target, { ...context.processEnv });
        config.sock = proxy.socket;
      }
      client.connect(config);
    } catch (error) {
      // ssh2 refuses an unreadable private key (or a wrong passphrase) before connecting.
      fail(taskFailed(`SSH ${where}: ${(error as Error).message}`, { retryable: false }));
    }
  });
}

/** A refused host key or failed login needs a person; anything else on the way may pass on retry. */
function connectionError(error: Error & { level?: string }, refusal: string | undefined, where: string, target: SshTarget, proxy: ProxyTransport | undefined): PatchbayError {
  if (refusal !== undefined) return taskFailed(refusal, { retryable: false });
  if (error.level === 'client-authentication') {
    return taskFailed(`SSH authentication as ${target.username ?? '(no user)'} failed on ${where}: ${error.message}`, { retryable: false });
  }
  const code = (error as { code?: unknown }).code;
  const detail = typeof code === 'string' && !error.message.includes(code) ? ` (${code})` : '';
  return taskFailed(`SSH connection to ${where} failed: ${error.message}${detail}${proxyDetail(proxy)}`, { cause: error });
}

function proxyDetail(proxy: ProxyTransport | undefined): string {
  const stderr = proxy?.stderr();
  return stderr ? `; proxyCommand said: ${stderr}` : '';
}
