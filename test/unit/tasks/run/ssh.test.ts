import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SshCommand } from '../../../../src/tasks/ssh/Command.js';
import { type KnownHost, matchesHost, parseKnownHosts } from '../../../../src/tasks/ssh/known-hosts.js';
import { leakedHandles, openHandleCount } from '../../../support/handles.js';
import { type TestSshServer, ed25519KeyPair, startSshServer } from '../../../support/ssh-server.js';
import { type TestRun, createTestRun, rejection } from '../../../support/task-context.js';

const userKey = ed25519KeyPair('unlock');
const otherKey = ed25519KeyPair();

let t: TestRun;
let ssh: TestSshServer;
let baseline: number;

beforeAll(() => {
  baseline = openHandleCount();
});
beforeEach(async () => {
  t = await createTestRun();
  ssh = await startSshServer({ username: 'ops', password: 'pa55', publicKey: userKey.public });
});
afterEach(async () => {
  await ssh.close();
  await t.cleanup();
});
afterAll(async () => {
  expect(await leakedHandles(baseline)).toBe(0);
});

/** Password login to the test server, host key pinned unless `extra` says otherwise. */
const task = (extra: Record<string, unknown>) => ({
  host: '127.0.0.1',
  port: ssh.port,
  username: 'ops',
  password: 'pa55',
  hostKeyFingerprint: ssh.sha256,
  commands: ['true'],
  ...extra,
});

describe('SSH Command: running commands', () => {
  it('runs the commands as one script, logs stdout at INFO and stderr at ERROR, outputs exitCode and vars', async () => {
    const result = await t.run(SshCommand, {
      ...task({}),
      commands: ['echo "patched $(hostname)" | cut -c1-7', `echo '::{"outputs":{"kernel":"6.1"}}::'`, 'echo warn >&2'],
    });
    expect(ssh.execs.map((exec) => exec.command)).toEqual([`echo "patched $(hostname)" | cut -c1-7\necho '::{"outputs":{"kernel":"6.1"}}::'\necho warn >&2`]);
    expect(result.outputs).toEqual({ exitCode: 0, vars: { kernel: '6.1' }, stdOutLineCount: 2, stdErrLineCount: 1 });
    expect(t.messages('info')).toEqual(['patched']);
    expect(t.messages('error')).toEqual(['warn']);
  });

  it('sends env as environment requests, values as text', async () => {
    await t.run(SshCommand, task({ env: { VM: 'prod-web-01', RETRIES: 3 }, commands: ['echo "$VM $RETRIES"'] }));
    expect(ssh.execs[0]?.env).toEqual({ VM: 'prod-web-01', RETRIES: '3' });
    expect(t.messages('info')).toEqual(['prod-web-01 3']);
  });

  it('fails on a non-zero exit status, naming it and the last stderr lines', async () => {
    const error = await rejection(t.run(SshCommand, task({ commands: ['echo "E: dpkg was interrupted" >&2', 'exit 100'] })));
    expect(error.message).toBe(`SSH command on 127.0.0.1:${ssh.port} failed with exit status 100\nLast lines on stderr:\nE: dpkg was interrupted`);
    expect(error.retryable).toBe(true);
    expect(error.details).toMatchObject({ outputs: { exitCode: 100 } });
  });

  it('stops the remote command and closes the connection on abort', async () => {
    const running = t.run(SshCommand, task({ commands: ['echo started', 'sleep 30'] }));
    while (!t.messages('info').includes('started')) await new Promise((resolve) => setTimeout(resolve, 10));
    const started = Date.now();
    t.controller.abort(new Error('execution killed'));
    const error = await rejection(running);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(error.message).toBe(`SSH command on 127.0.0.1:${ssh.port} was stopped: execution killed`);
    expect(ssh.signals).toEqual(['TERM']);
    for (let i = 0; i < 100 && ssh.running() > 0; i += 1) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(ssh.running()).toBe(0);
  });

  it('connects through a proxyCommand, with %h and %p expanded', async () => {
    const relay = `const s=require('net').connect(%p,'%h');process.stdin.pipe(s);s.pipe(process.stdout);s.on('close',()=>process.exit(0))`;
    const result = await t.run(SshCommand, task({ proxyCommand: `'${process.execPath}' -e "${relay}"`, commands: ['echo via-proxy'] }));
    expect(result.outputs?.exitCode).toBe(0);
    expect(t.messages('info')).toEqual(['via-proxy']);
  });

  it('explains a failing proxyCommand with what it wrote to stderr, as retryable', async () => {
    const error = await rejection(t.run(SshCommand, task({ proxyCommand: 'echo "bastion unreachable" >&2; exit 1' })));
    expect(error.message).toContain('proxyCommand said: bastion unreachable');
    expect(error.retryable).toBe(true);
  });
});

describe('SSH Command: authentication', () => {
  it('logs in with a passphrase-protected private key', async () => {
    const result = await t.run(SshCommand, task({ authMethod: 'PUBLIC_KEY', password: undefined, privateKey: userKey.private, privateKeyPassphrase: 'unlock' }));
    expect(result.outputs?.exitCode).toBe(0);
  });

  it('refuses a key the server does not know, and a wrong password, as not retryable', async () => {
    const wrongKey = await rejection(t.run(SshCommand, task({ authMethod: 'PUBLIC_KEY', password: undefined, privateKey: otherKey.private })));
    expect(wrongKey.message).toMatch(new RegExp(`^SSH authentication as ops failed on 127.0.0.1:${ssh.port}`));
    expect(wrongKey.retryable).toBe(false);
    const wrongPassword = await rejection(t.run(SshCommand, task({ password: 'nope' })));
    expect(wrongPassword.message).toMatch(/^SSH authentication as ops failed/);
    expect(wrongPassword.retryable).toBe(false);
    expect(ssh.execs).toEqual([]);
  });

  it('refuses an unreadable key before connecting, and OPEN_SSH, as not retryable', async () => {
    const badKey = await rejection(t.run(SshCommand, task({ authMethod: 'PUBLIC_KEY', privateKey: 'not a key' })));
    expect(badKey.message).toContain('Cannot parse privateKey');
    expect(badKey.retryable).toBe(false);
    const openSsh = await rejection(t.run(SshCommand, task({ authMethod: 'OPEN_SSH' })));
    expect(openSsh.message).toMatch(/^authMethod OPEN_SSH reads the worker's own OpenSSH configuration/);
    expect(openSsh.retryable).toBe(false);
  });

  it('fails a refused connection as retryable', async () => {
    const port = ssh.port;
    await ssh.close();
    const error = await rejection(t.run(SshCommand, task({ port })));
    expect(error.message).toContain(`SSH connection to 127.0.0.1:${port} failed`);
    expect(error.message).toContain('ECONNREFUSED');
    expect(error.retryable).toBe(true);
  });
});

describe('SSH Command: host key verification', () => {
  it('accepts the pinned fingerprint in SHA256 form (padding optional) and MD5 forms', async () => {
    for (const pin of [ssh.sha256, `${ssh.sha256}=`, ssh.md5, `MD5:${ssh.md5.toUpperCase()}`]) {
      await expect(t.run(SshCommand, task({ hostKeyFingerprint: pin }))).resolves.toMatchObject({ outputs: { exitCode: 0 } });
    }
    expect(ssh.execs).toHaveLength(4);
  });

  it('refuses a wrong pin before running anything, showing the fingerprint the host presented', async () => {
    const wrong = 'SHA256:nThbg6kXUpJWGl7E1IGOCspRomTxdCARLviKw6E5SY8';
    const error = await rejection(t.run(SshCommand, task({ hostKeyFingerprint: wrong })));
    expect(error.message).toBe(
      `Host key verification failed for 127.0.0.1:${ssh.port}: it presented ssh-ed25519 key ${ssh.sha256}, not the pinned ${wrong}. If the host key changed on purpose, pin it with hostKeyFingerprint: ${ssh.sha256}`,
    );
    expect(error.retryable).toBe(false);
    expect(ssh.execs).toEqual([]);
  });

  it('refuses to connect with nothing to verify against, and says how to pin', async () => {
    const error = await rejection(t.run(SshCommand, task({ hostKeyFingerprint: undefined })));
    expect(error.message).toContain(`it presented ssh-ed25519 key ${ssh.sha256}. If that is the right key, pin it with hostKeyFingerprint: ${ssh.sha256}`);
    expect(error.retryable).toBe(false);
    expect(ssh.execs).toEqual([]);
  });

  it('accepts a plain known_hosts entry given as content or as a file path under ~', async () => {
    const line = `# lab hosts\nother.example.com ${otherKey.public}\n[127.0.0.1]:${ssh.port} ${ssh.hostPublicKey}\n`;
    await t.run(SshCommand, task({ hostKeyFingerprint: undefined, knownHosts: line }));
    // The test context's HOME is its working directory.
    await writeFile(join(t.context.workingDirectory, 'known_hosts'), line);
    await t.run(SshCommand, task({ hostKeyFingerprint: undefined, knownHosts: '~/known_hosts' }));
    expect(ssh.execs).toHaveLength(2);
  });

  it('refuses a key marked @revoked even when another line lists it', async () => {
    const lines = `[127.0.0.1]:${ssh.port} ${ssh.hostPublicKey}\n@revoked * ${ssh.hostPublicKey}\n`;
    const error = await rejection(t.run(SshCommand, task({ hostKeyFingerprint: undefined, knownHosts: lines })));
    expect(error.message).toBe(`Host key verification failed for 127.0.0.1:${ssh.port}: its ssh-ed25519 key ${ssh.sha256} is marked @revoked in knownHosts`);
  });

  it('refuses knownHosts that is neither known_hosts text nor a readable file', async () => {
    const garbage = await rejection(t.run(SshCommand, task({ knownHosts: 'this is not a known hosts line' })));
    expect(garbage.message).toBe('knownHosts holds no valid known_hosts line ("host key-type base64-key")');
    const missing = await rejection(t.run(SshCommand, task({ knownHosts: '/nonexistent/known_hosts' })));
    expect(missing.message).toBe('knownHosts: cannot read /nonexistent/known_hosts: ENOENT');
    expect(missing.retryable).toBe(false);
    expect(ssh.execs).toEqual([]);
  });

  it('accepts a hashed known_hosts entry (ssh-keygen -H)', async () => {
    const path = join(t.context.workingDirectory, 'hashed_hosts');
    await writeFile(path, `[127.0.0.1]:${ssh.port} ${ssh.hostPublicKey}\n`);
    await promisify(execFile)('ssh-keygen', ['-H', '-f', path]);
    const hashed = await readFile(path, 'utf8');
    expect(hashed).toMatch(/^\|1\|/);
    await expect(t.run(SshCommand, task({ hostKeyFingerprint: undefined, knownHosts: hashed }))).resolves.toMatchObject({ outputs: { exitCode: 0 } });
  });

  it('refuses a host known_hosts does not list, showing its fingerprint', async () => {
    const error = await rejection(t.run(SshCommand, task({ hostKeyFingerprint: undefined, knownHosts: `127.0.0.1 ${ssh.hostPublicKey}` })));
    expect(error.message).toBe(
      `Host key verification failed for 127.0.0.1:${ssh.port}: knownHosts has no entry for [127.0.0.1]:${ssh.port}. It presented ssh-ed25519 key ${ssh.sha256}; add it to knownHosts or pin it with hostKeyFingerprint: ${ssh.sha256}`,
    );
    expect(error.retryable).toBe(false);
  });

  it('refuses a host whose key differs from the one known_hosts lists', async () => {
    const error = await rejection(t.run(SshCommand, task({ hostKeyFingerprint: undefined, knownHosts: `[127.0.0.1]:${ssh.port} ${otherKey.public}` })));
    expect(error.message).toContain(`it presented ssh-ed25519 key ${ssh.sha256}, which is not the key knownHosts lists for it`);
    expect(error.retryable).toBe(false);
  });

  it('checks every configured source: a right pin does not excuse a known_hosts mismatch', async () => {
    const error = await rejection(t.run(SshCommand, task({ knownHosts: `[127.0.0.1]:${ssh.port} ${otherKey.public}` })));
    expect(error.message).toContain('which is not the key knownHosts lists for it');
  });

  it.each([false, 'no'])('skips verification only on an explicit opt-out (%j), with a warning that shows the key', async (strictHostKeyChecking) => {
    const result = await t.run(SshCommand, task({ hostKeyFingerprint: undefined, strictHostKeyChecking }));
    expect(result.outputs?.exitCode).toBe(0);
    expect(t.messages('warn')).toEqual([`strictHostKeyChecking is off: the host key of 127.0.0.1:${ssh.port} (ssh-ed25519 ${ssh.sha256}) is not verified`]);
  });

  it('still verifies with strictHostKeyChecking "ask" or "yes"', async () => {
    for (const strictHostKeyChecking of ['ask', 'yes', true]) {
      const error = await rejection(t.run(SshCommand, task({ hostKeyFingerprint: undefined, strictHostKeyChecking })));
      expect(error.message).toContain('cannot be verified');
    }
  });
});

describe('known_hosts host patterns', () => {
  const entry = (hosts: string): KnownHost => ({ hosts, keyType: 'ssh-ed25519', key: Buffer.alloc(0) });

  it('matches wildcards and honours negation, case-insensitively', () => {
    const patterns = entry('*.Example.com,!bad.example.com');
    expect(matchesHost(patterns, 'WEB.example.com', 22)).toBe(true);
    expect(matchesHost(patterns, 'bad.example.com', 22)).toBe(false);
    expect(matchesHost(patterns, 'example.org', 22)).toBe(false);
  });

  it('names a non-default port as [host]:port, which a plain host entry does not match', () => {
    expect(matchesHost(entry('[10.0.0.?]:2222'), '10.0.0.5', 2222)).toBe(true);
    expect(matchesHost(entry('[10.0.0.?]:2222'), '10.0.0.5', 22)).toBe(false);
    expect(matchesHost(entry('10.0.0.5'), '10.0.0.5', 2222)).toBe(false);
  });

  it('reads markers and skips comments, broken lines and keys whose blob is of another type', () => {
    const parsed = parseKnownHosts(
      `# comment\n\n@cert-authority *.lab ${otherKey.public}\nbroken-line\nweb ssh-rsa ${otherKey.public.split(' ')[1]}\ndb ${otherKey.public} db-key\n`,
    );
    expect(parsed.map((line) => [line.marker, line.hosts])).toEqual([['cert-authority', '*.lab'], [undefined, 'db']]);
  });
});
