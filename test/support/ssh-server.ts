import { type ChildProcess, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import ssh2, { type Connection, type ParsedKey } from 'ssh2';

// ssh2 is CommonJS and Node's ESM loader only sees some of its names; take the rest from the default export.
const { Server, utils } = ssh2;

/**
 * An ed25519 key pair from ssh2. Its generator writes a key whose public half starts with a
 * zero byte one byte short (about 1 in 250 keys), which ssh2 itself then cannot parse: such
 * pairs are drawn again, so tests do not fail at random.
 */
export function ed25519KeyPair(passphrase?: string): { private: string; public: string } {
  for (;;) {
    const pair = passphrase === undefined ? utils.generateKeyPairSync('ed25519') : utils.generateKeyPairSync('ed25519', { passphrase, cipher: 'aes256-cbc', rounds: 16 });
    if (!(utils.parseKey(pair.private, passphrase) instanceof Error) && !(utils.parseKey(pair.public) instanceof Error)) return pair;
  }
}

export interface SshAccount {
  username: string;
  password?: string;
  /** An OpenSSH public key line allowed to log in as this user. */
  publicKey?: string;
}

export interface TestSshServer {
  port: number;
  /** The host's public key line, "ssh-ed25519 AAAA…", as known_hosts holds it. */
  hostPublicKey: string;
  /** Fingerprints of the host key, computed here independently of the code under test. */
  sha256: string;
  md5: string;
  /** Each exec request: the command line and the environment the client sent with it. */
  execs: { command: string; env: Record<string, string> }[];
  /** Signal names clients sent (e.g. TERM). */
  signals: string[];
  /** Commands still running on the server. */
  running(): number;
  close(): Promise<void>;
}

/**
 * A real SSH server on 127.0.0.1 (random port) with a fresh ed25519 host key. Exec requests
 * run through /bin/sh -c in their own process group with the env the client sent; the exit
 * status (or killing signal) goes back to the client, and a signal request is passed on.
 */
export async function startSshServer(account: SshAccount): Promise<TestSshServer> {
  const hostKey = ed25519KeyPair();
  const blob = Buffer.from(hostKey.public.split(' ')[1]!, 'base64');
  const allowed = account.publicKey === undefined ? undefined : (utils.parseKey(account.publicKey) as ParsedKey);
  const execs: TestSshServer['execs'] = [];
  const signals: string[] = [];
  const children = new Set<ChildProcess>();
  const connections = new Set<Connection>();

  const server = new Server({ hostKeys: [hostKey.private] }, (client) => {
    connections.add(client);
    client.on('close', () => connections.delete(client));
    client.on('error', () => undefined);
    client.on('authentication', (ctx) => {
      if (ctx.username !== account.username) return ctx.reject();
      if (ctx.method === 'password' && account.password !== undefined && ctx.password === account.password) return ctx.accept();
      if (ctx.method === 'publickey' && allowed !== undefined && ctx.key.algo === allowed.type && ctx.key.data.equals(allowed.getPublicSSH())) {
        // Without a signature the client only asks whether the key would do.
        if (!ctx.signature) return ctx.accept();
        if (allowed.verify(ctx.blob!, ctx.signature, ctx.hashAlgo) === true) return ctx.accept();
      }
      return ctx.reject(['password', 'publickey']);
    });
    client.on('ready', () => {
      client.on('session', (acceptSession) => {
        const session = acceptSession();
        const env: Record<string, string> = {};
        let child: ChildProcess | undefined;
        session.on('env', (accept, _reject, info) => {
          env[info.key] = info.val;
          accept?.();
        });
        session.on('signal', (accept, _reject, info) => {
          signals.push(info.name);
          accept?.();
          if (child?.pid !== undefined) process.kill(-child.pid, `SIG${info.name}` as NodeJS.Signals);
        });
        session.on('exec', (accept, _reject, info) => {
          execs.push({ command: info.command, env: { ...env } });
          const stream = accept();
          const started = spawn('/bin/sh', ['-c', info.command], { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env }, detached: true });
          child = started;
          children.add(started);
          started.stdout.on('data', (chunk: Buffer) => stream.write(chunk));
          started.stderr.on('data', (chunk: Buffer) => stream.stderr.write(chunk));
          started.on('close', (code, signal) => {
            children.delete(started);
            if (signal) stream.exit(signal.replace(/^SIG/, ''), false, '');
            else stream.exit(code ?? 0);
            stream.end();
          });
        });
      });
    });
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    hostPublicKey: `${hostKey.public.split(' ')[0]} ${hostKey.public.split(' ')[1]}`,
    sha256: `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`,
    md5: createHash('md5').update(blob).digest('hex').replace(/(..)(?!$)/g, '$1:'),
    execs,
    signals,
    running: () => children.size,
    close: async () => {
      for (const child of children) if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      for (const connection of connections) connection.end();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
