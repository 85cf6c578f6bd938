import { randomInt } from 'node:crypto';
import { request } from 'node:http';
import { Socket } from 'node:net';
import { Client } from 'ssh2';
import type { GuestEndpoint } from '../../../../src/sim/guests/index.js';

/** A loopback prefix of its own per test file, so files running in parallel never share an address. */
export function randomPrefix(): string {
  return `127.${randomInt(1, 255)}.${randomInt(0, 256)}.`;
}

export interface ExecResult {
  stdout: string;
  stderr: string;
  code: number | null;
  signal?: string;
}

export interface ExecOptions {
  username: string;
  password: string;
  env?: Record<string, string>;
  /** Called once the command runs, with a way to send it a signal. */
  onStarted?: (sendSignal: (name: string) => void) => void;
}

/** Runs one command over a real SSH connection (ssh2's client) and resolves when its channel closes. */
export function sshExec(endpoint: GuestEndpoint, command: string, options: ExecOptions): Promise<ExecResult> {
  return new Promise((resolve, reject) => {
    const client = new Client();
    const result: ExecResult = { stdout: '', stderr: '', code: null };
    client.on('ready', () => {
      client.exec(command, options.env ? { env: options.env } : {}, (error, channel) => {
        if (error) return reject(error);
        channel.on('data', (chunk: Buffer) => void (result.stdout += chunk.toString()));
        channel.stderr.on('data', (chunk: Buffer) => void (result.stderr += chunk.toString()));
        channel.on('exit', (code: number | null, signal?: string) => {
          result.code = code;
          if (signal !== undefined) result.signal = signal;
        });
        channel.on('close', () => {
          client.end();
          resolve(result);
        });
        options.onStarted?.((name) => channel.signal(name));
      });
    });
    client.on('error', reject);
    client.connect({ host: endpoint.ip, port: endpoint.sshPort, username: options.username, password: options.password, readyTimeout: 5_000, hostVerifier: () => true });
  });
}

export interface HealthAnswer {
  status: number | 'refused';
  body?: Record<string, unknown>;
}

/** GET without keep-alive (no pooled socket outlives the test); a refused connection is an answer too. */
export function getHealth(url: string): Promise<HealthAnswer> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent: false, headers: { connection: 'close' } }, (response) => {
      let text = '';
      response.on('data', (chunk: Buffer) => void (text += chunk.toString()));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body: text.startsWith('{') ? (JSON.parse(text) as Record<string, unknown>) : {} }));
    });
    req.on('error', (error: NodeJS.ErrnoException) => (error.code === 'ECONNREFUSED' || error.code === 'ECONNRESET' ? resolve({ status: 'refused' }) : reject(error)));
    req.end();
  });
}

/** Whether anything accepts TCP connections on host:port. */
export function accepts(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new Socket();
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.connect(port, host);
  });
}

/** Polls `probe` until it returns true, failing after `timeoutMs`. */
export async function waitFor(what: string, probe: () => Promise<boolean>, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
