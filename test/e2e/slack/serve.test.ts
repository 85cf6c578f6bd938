import { EventEmitter } from 'node:events';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createChatRegistry } from '../../../src/chat/families.js';
import { serveCommand } from '../../../src/cli/commands/serve.js';
import { loadConfig } from '../../../src/config.js';
import { type TestDatabase, createTestDatabase } from '../../support/database.js';
import { leakedHandles, openHandleCount } from '../../support/handles.js';
import { type SlackEmulator, startSlackEmulator } from '../../support/slack/index.js';

/** `patchbay serve` as `npm start` runs it, its Slack settings, and the app manifests. */
const FLOW = `id: hello
namespace: company.ops
tasks:
  - id: announce
    type: io.kestra.plugin.core.log.Log
    message: hello
`;

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function capture(): { stream: PassThrough; text: () => string } {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (chunk: Buffer) => void (text += chunk.toString()));
  return { stream, text: () => text };
}

describe('Slack settings', () => {
  const config = (env: Record<string, string>) => loadConfig(env, '/tmp');
  it('picks the mode from the secrets given, Socket Mode when both are', () => {
    expect(config({})).toMatchObject({ slack: undefined, port: 3000 });
    expect(config({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's', PORT: '8080' })).toMatchObject({ slack: { mode: 'http', signingSecret: 's' }, port: 8080 });
    expect(config({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1', SLACK_SIGNING_SECRET: 's' }).slack?.mode).toBe('socket');
    expect(config({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1', SLACK_API_URL: 'http://127.0.0.1:9/api/' }).slack?.apiUrl).toBe('http://127.0.0.1:9/api/');
  });
  it('refuses incomplete or mistyped settings with the variable named', () => {
    expect(() => config({ SLACK_BOT_TOKEN: 'xoxb-1' })).toThrow(/neither SLACK_SIGNING_SECRET \(HTTP mode\) nor SLACK_APP_TOKEN/);
    expect(() => config({ SLACK_SIGNING_SECRET: 's' })).toThrow(/SLACK_BOT_TOKEN: required when SLACK_SIGNING_SECRET is set/);
    expect(() => config({ SLACK_BOT_TOKEN: 'xapp-1', SLACK_APP_TOKEN: 'xapp-1' })).toThrow(/SLACK_BOT_TOKEN: must be a bot token/);
    expect(() => config({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xoxb-1' })).toThrow(/SLACK_APP_TOKEN: must be an app-level token/);
    expect(() => config({ PORT: '70000' })).toThrow(/PORT/);
    expect(() => config({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's', SLACK_API_URL: 'slack' })).toThrow(/SLACK_API_URL/);
  });
});

describe('the app manifests', () => {
  for (const variant of ['socket', 'http'] as const) {
    it(`${variant}: declares every registered command, the scopes, App Home and its event`, async () => {
      const manifest = parse(await readFile(path.resolve('manifests', `slack-app.${variant}.yaml`), 'utf8'));
      const commands = manifest.features.slash_commands.map((c: { command: string }) => c.command.slice(1));
      expect(commands.sort()).toEqual(createChatRegistry().names().sort());
      expect(manifest.oauth_config.scopes.bot).toEqual(expect.arrayContaining(['commands', 'chat:write', 'chat:write.public', 'im:write', 'users:read', 'users:read.email', 'usergroups:read', 'files:write']));
      expect(manifest.features.app_home.home_tab_enabled).toBe(true);
      expect(manifest.settings.event_subscriptions.bot_events).toContain('app_home_opened');
      expect(manifest.settings.interactivity.is_enabled).toBe(true);
      expect(manifest.settings.socket_mode_enabled).toBe(variant === 'socket');
      const urls = [manifest.settings.interactivity.request_url, manifest.settings.event_subscriptions.request_url, ...manifest.features.slash_commands.map((c: { url?: string }) => c.url)];
      for (const url of urls) expect(url).toBe(variant === 'http' ? 'https://YOUR-HOST/slack/events' : undefined);
    });
  }
});

describe('patchbay serve', () => {
  let dir: string;
  let db: TestDatabase | undefined;
  let slack: SlackEmulator;
  let baseline = 0;
  let env: Record<string, string>;
  beforeAll(async () => {
    baseline = openHandleCount();
    dir = await mkdtemp(path.join(tmpdir(), 'patchbay-serve-'));
    await writeFile(path.join(dir, 'hello.yaml'), FLOW);
    slack = await startSlackEmulator();
    // PostgreSQL when the suite runs on it; else serve's own PGlite data directory.
    if (process.env.TEST_DATABASE_URL) db = await createTestDatabase();
    env = { PATCHBAY_FLOWS_DIR: dir, PATCHBAY_DATA_DIR: path.join(dir, 'data'), LOG_LEVEL: 'warn', ...(db?.url ? { DATABASE_URL: db.url } : {}) };
    // The test database handle is not used here: serve opens its own, as npm start does.
    await db?.database.close();
  }, 120_000);
  afterAll(async () => {
    await slack?.close();
    if (db) await db.drop().catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
    expect(await leakedHandles(baseline)).toBe(0);
  });

  it('without a Slack token: the shell chat on stdin/stdout, and a clean exit at end of input', async () => {
    const stdout = capture();
    const stderr = capture();
    const stdin = new PassThrough();
    const run = serveCommand.run([], { stdout: stdout.stream, stderr: stderr.stream, env, cwd: dir, stdin, signals: new EventEmitter() } as never);
    stdin.end('/flow list\n');
    expect(await run).toBe(0);
    expect(stdout.text()).toMatch(/database +(embedded PGlite in|PostgreSQL at)/);
    expect(stdout.text()).toContain('local shell chat (no SLACK_BOT_TOKEN)');
    // No NUTANIX_HOST: the built-in simulator ran for the session, and is gone with it.
    expect(stdout.text()).toMatch(/nutanix +built-in simulator at https:\/\/127\.0\.0\.1:\d+ \(prod-web-01, uat-web-01, windows-web-01/);
    await expect(stat(path.join(env.PATCHBAY_DATA_DIR!, 'sim', 'endpoint.json'))).rejects.toMatchObject({ code: 'ENOENT' });
    expect(stdout.text()).toContain('company.ops.hello');
  }, 120_000);

  it('with Slack settings: the HTTP app and /healthz, stopped cleanly by SIGTERM', async () => {
    const port = await freePort();
    const stdout = capture();
    const signals = new EventEmitter();
    const slackEnv = { ...env, SLACK_BOT_TOKEN: slack.botToken, SLACK_SIGNING_SECRET: 'secret', SLACK_API_URL: slack.apiUrl, PORT: String(port) };
    const run = serveCommand.run([], { stdout: stdout.stream, stderr: capture().stream, env: slackEnv, cwd: dir, signals } as never);
    for (let i = 0; i < 600 && !stdout.text().includes('Ready.'); i += 1) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(stdout.text()).toContain(`Slack HTTP on :${port}`);
    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(health.status).toBe(200);
    expect(slack.callsTo('auth.test').length).toBeGreaterThan(0);
    signals.emit('SIGTERM');
    expect(await run).toBe(0);
    await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
  }, 120_000);

  it('refuses arguments', async () => {
    const stderr = capture();
    expect(await serveCommand.run(['--port', '1'], { stdout: capture().stream, stderr: stderr.stream, env, cwd: dir } as never)).toBe(2);
    expect(stderr.text()).toMatch(/takes no arguments/);
  });
});
