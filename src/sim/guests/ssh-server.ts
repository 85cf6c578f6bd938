import { createHash, timingSafeEqual } from 'node:crypto';
import { type Server, type Socket, createServer } from 'node:net';
import ssh2, { type Connection, type ServerChannel } from 'ssh2';
import { GUEST_COMMANDS } from './commands.js';
import { type GuestMachine, runScript } from './shell.js';

// ssh2 is CommonJS; its `Server` is only reachable through the default export under ESM.
const { Server: SshServer } = ssh2;

export interface GuestSshOptions {
  hostKey: string;
  credentials: { username: string; password: string };
  machine: GuestMachine;
  /** A script ran `reboot`: called once its exit status was sent. */
  onReboot(): void;
  log(line: string): void;
}

export interface GuestSsh {
  /** The listening socket; ssh2 gets each connection through injectSocket, so closing is ours to control. */
  server: Server;
  /**
   * Ends every connection and stops every running script. Graceful: SSH disconnect first (the
   * reboot case, so a client still reads its exit status); sockets left after a moment, or all
   * at once when not graceful, are destroyed.
   */
  dropAll(graceful: boolean): Promise<void>;
}

const GRACE_MS = 500;

const digest = (text: string) => createHash('sha256').update(text).digest();

/** Password login for the fleet's one account; exec requests only (no shell, pty, forwarding or sftp). */
export function createGuestSsh(options: GuestSshOptions): GuestSsh {
  const sockets = new Set<Socket>();
  const connections = new Set<Connection>();
  const running = new Set<AbortController>();
  const expectedUser = digest(options.credentials.username);
  const expectedPassword = digest(options.credentials.password);

  const ssh = new SshServer({ hostKeys: [options.hostKey] }, (client) => {
    connections.add(client);
    client.on('close', () => connections.delete(client));
    // A client that vanishes mid-handshake is its own problem, not the simulator's.
    client.on('error', () => undefined);
    client.on('authentication', (ctx) => {
      // Compare digests in constant time: the simulator's password is a real secret in the demo.
      const userOk = timingSafeEqual(digest(ctx.username), expectedUser);
      if (ctx.method === 'password' && userOk && timingSafeEqual(digest(ctx.password), expectedPassword)) return ctx.accept();
      if (ctx.method === 'password') options.log(`SSH login refused for ${ctx.username} on ${options.machine.hostname}`);
      return ctx.reject(['password']);
    });
    client.on('ready', () => {
      client.on('session', (acceptSession) => {
        const session = acceptSession();
        const env: Record<string, string> = {};
        let controller: AbortController | undefined;
        let signalName = 'TERM';
        session.on('env', (accept, _reject, info) => {
          env[info.key] = info.val;
          accept?.();
        });
        session.on('signal', (accept, _reject, info) => {
          accept?.();
          signalName = info.name;
          controller?.abort();
        });
        session.on('exec', (accept, _reject, info) => {
          controller = new AbortController();
          void execute(accept(), info.command, { ...env }, controller, () => signalName);
        });
      });
    });
  });

  async function execute(stream: ServerChannel, command: string, env: Record<string, string>, controller: AbortController, signalName: () => string): Promise<void> {
    running.add(controller);
    let open = true;
    stream.on('close', () => {
      open = false;
      controller.abort();
    });
    // A client that hangs up mid-write is not an error worth reporting.
    stream.on('error', () => undefined);
    const io = { stdout: (text: string) => void (open && stream.write(text)), stderr: (text: string) => void (open && stream.stderr.write(text)) };
    const session = { user: options.credentials.username, env, signal: controller.signal, commands: GUEST_COMMANDS };
    let result;
    try {
      result = await runScript(command, options.machine, session, io);
    } catch (error) {
      options.log(`guest ${options.machine.hostname}: script failed inside the simulator: ${(error as Error).stack ?? String(error)}`);
      result = { exitCode: 1, reboot: false };
    } finally {
      running.delete(controller);
    }
    if (open) {
      if (result.exitCode === null) stream.exit(signalName(), false, '');
      else stream.exit(result.exitCode);
      stream.end();
    }
    if (result.reboot) options.onReboot();
  }

  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    ssh.injectSocket(socket);
  });

  return {
    server,
    async dropAll(graceful) {
      for (const controller of running) controller.abort();
      if (graceful && sockets.size > 0) {
        for (const connection of connections) connection.end();
        const deadline = Date.now() + GRACE_MS;
        while (sockets.size > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
      }
      for (const socket of sockets) socket.destroy();
    },
  };
}
