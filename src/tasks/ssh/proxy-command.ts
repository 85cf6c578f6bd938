import { type ChildProcess, spawn } from 'node:child_process';
import { Duplex } from 'node:stream';

/** A transport made of a local command's stdin/stdout, as OpenSSH's ProxyCommand. */
export interface ProxyTransport {
  socket: Duplex;
  /** The last text the command wrote to stderr: why the proxy failed, when it did. */
  stderr(): string;
  /** Resolves once the command ended and its stderr was read (at most a second from now). */
  finished(): Promise<void>;
  stop(): void;
}

const STDERR_KEPT = 1000;
const FINISH_WAIT_MS = 1000;

/**
 * Starts `command` through /bin/sh with OpenSSH's tokens expanded: %h host, %p port,
 * %r remote user, %% a percent sign (e.g. `ssh -W %h:%p bastion`).
 */
export function startProxyCommand(command: string, target: { host: string; port: number; username?: string }, env: Record<string, string>): ProxyTransport {
  const expanded = command.replace(/%([hpr%])/g, (_match, token: string) =>
    token === 'h' ? target.host : token === 'p' ? String(target.port) : token === 'r' ? (target.username ?? '') : '%',
  );
  const child: ChildProcess = spawn('/bin/sh', ['-c', expanded], { env, stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-STDERR_KEPT);
  });
  // A proxy that cannot start or dies surfaces as the SSH connection closing; its stderr says why.
  child.on('error', (error) => {
    stderr += error.message;
  });
  const closed = new Promise<void>((resolve) => child.once('close', () => resolve()));
  const socket = Duplex.from({ readable: child.stdout, writable: child.stdin });
  socket.on('error', () => undefined);
  return {
    socket,
    stderr: () => stderr.trim(),
    finished: () => {
      let timer: NodeJS.Timeout | undefined;
      const waited = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, FINISH_WAIT_MS);
      });
      return Promise.race([closed, waited]).finally(() => clearTimeout(timer));
    },
    stop: () => {
      socket.destroy();
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    },
  };
}
