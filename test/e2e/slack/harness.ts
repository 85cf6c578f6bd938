import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { LogLevel, type App, webApi } from '@slack/bolt';
import { eq } from 'drizzle-orm';
import { createChatRegistry } from '../../../src/chat/families.js';
import { loadConfig } from '../../../src/config.js';
import { approvals } from '../../../src/db/schema.js';
import { type Policy, openPolicy } from '../../../src/policy/policy.js';
import { createSlackApp } from '../../../src/slack/app.js';
import type { SlackLog } from '../../../src/slack/listeners/index.js';
import { SlackNotifier } from '../../../src/slack/notifier/index.js';
import { type TestEngine, type TestEngineOptions, createTestEngine } from '../../support/engine.js';
import { type SlackEmulator, type UserFixture, type UserGroupFixture, startSlackEmulator } from '../../support/slack/index.js';

/**
 * The Slack surface end to end: the real Bolt app (HTTP receiver on a random port, or Socket
 * Mode through the emulator's WebSocket), its Web API calls going to the Slack emulator, the
 * real engine and worker (PGlite, or PostgreSQL with TEST_DATABASE_URL) and the real
 * notifier, wired as `patchbay serve` wires them.
 */
export const SECRET = 'test-signing-secret';
export const CHANNEL = 'C0OPS';
export const ALICE = 'UALICE';
export const BOB = 'UBOB';
export const CAROL = 'UCAROL';
export const OUTSIDER = 'UOUTSIDER';

export const USERS: UserFixture[] = [
  { id: ALICE, name: 'alice', email: 'alice@example.com' },
  { id: BOB, name: 'bob', email: 'bob@example.com' },
  { id: CAROL, name: 'carol' },
  { id: OUTSIDER, name: 'mallory' },
];
export const GROUPS: UserGroupFixture[] = [{ id: 'S0ONCALL', handle: 'platform-oncall', users: [CAROL] }];

export interface HarnessOptions {
  flows: string[];
  mode?: 'http' | 'socket';
  policy?: Policy;
  users?: UserFixture[];
  groups?: UserGroupFixture[];
  /** Start the notifier (status and approval messages); default true. */
  notifier?: boolean;
  /** The engine's integrations and default secrets (a Nutanix simulator, say). */
  engine?: Pick<TestEngineOptions, 'integrations' | 'secretDefaults'>;
}

export interface Harness {
  slack: SlackEmulator;
  engine: TestEngine;
  app: App;
  /** POST target of signed requests (HTTP mode). */
  url: string;
  /** http://127.0.0.1:PORT of the app's HTTP server (HTTP mode; Socket Mode: the health port). */
  base: string;
  logs: { level: string; message: string; rest: unknown[] }[];
  workerUp: { value: boolean };
  /** The approval row of an execution (one pending step at a time in these flows). */
  approvalOf(executionId: string): Promise<typeof approvals.$inferSelect>;
  close(): Promise<void>;
}

function recordingLog(into: Harness['logs']): SlackLog {
  const at = (level: string) => (message: string, ...rest: unknown[]) => void into.push({ level, message, rest });
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

/** A port nobody listens on now (Socket Mode's health server needs a number up front). */
async function freePort(): Promise<number> {
  const { createServer } = await import('node:net');
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export async function startHarness(options: HarnessOptions): Promise<Harness> {
  const slack = await startSlackEmulator({ users: options.users ?? USERS, userGroups: options.groups ?? GROUPS });
  const engine = await createTestEngine(options.engine);
  await engine.load(...options.flows);
  const mode = options.mode ?? 'http';
  const port = mode === 'http' ? 0 : await freePort();
  const config = loadConfig({
    PATCHBAY_DATA_DIR: engine.dir,
    PATCHBAY_FLOWS_DIR: engine.dir,
    SLACK_BOT_TOKEN: slack.botToken,
    SLACK_API_URL: slack.apiUrl,
    PORT: String(port),
    ...(mode === 'http' ? { SLACK_SIGNING_SECRET: SECRET } : { SLACK_APP_TOKEN: slack.appToken }),
  }, engine.dir);
  const logs: Harness['logs'] = [];
  const log = recordingLog(logs);
  const workerUp = { value: true };
  const notifier = options.notifier === false ? undefined : new SlackNotifier({
    service: engine.service,
    client: new webApi.WebClient(slack.botToken, { slackApiUrl: slack.apiUrl, retryConfig: { retries: 2 }, logLevel: LogLevel.ERROR }),
    pollMs: 100,
    onError: (error, context) => log.warn(`notifier: ${context}`, error),
  });
  const app = createSlackApp({
    service: engine.service,
    config,
    registry: createChatRegistry({ onError: (error) => log.error('registry', error) }),
    policy: options.policy ?? openPolicy,
    log,
    notifier,
    directory: notifier?.directory,
    workerRunning: () => workerUp.value,
  });
  await app.init();
  const started = (await app.start()) as unknown;
  await notifier?.start();
  const httpPort = mode === 'http' ? ((started as Server).address() as AddressInfo).port : port;
  if (mode === 'socket') await slack.socket.waitForConnection();
  const base = `http://127.0.0.1:${httpPort}`;
  return {
    slack,
    engine,
    app,
    url: `${base}/slack/events`,
    base,
    logs,
    workerUp,
    async approvalOf(executionId) {
      const [row] = await engine.service.database.db.select().from(approvals).where(eq(approvals.executionId, executionId));
      if (!row) throw new Error(`execution ${executionId} has no approval`);
      return row;
    },
    async close() {
      // The app first (no listener may talk to a closed emulator), the notifier, then the rest.
      await app.stop();
      await notifier?.stop();
      await engine.close();
      await slack.close();
    },
  };
}

/** Polls `check` until it returns a value (not undefined/false), or fails after `timeoutMs`. */
export async function eventually<T>(check: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 8000, what = 'condition'): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Starts a run as if typed in CHANNEL (the chat origin the notifier follows), and waits until it stops. */
export async function startFromSlack(h: Harness, flow: string, inputs: Record<string, unknown> = {}, user = ALICE) {
  const id = await h.engine.service.start(flow, inputs, { as: user, trigger: { type: 'chat', surface: 'slack', channel: CHANNEL, user } });
  return h.engine.service.settle(id, 50);
}

/** The approval request message the notifier posted (in the channel's thread) for an approval id. */
export function approvalMessage(h: Harness, approvalId: string) {
  return h.slack.messages(CHANNEL).find((m) => JSON.stringify(m.blocks ?? []).includes(`"value":"${approvalId}"`));
}
