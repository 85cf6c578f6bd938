import { LogLevel, webApi } from '@slack/bolt';
import { expect } from 'vitest';
import { loadConfig } from '../../../src/config.js';
import { openDatabase } from '../../../src/db/database.js';
import type { ExecutionView } from '../../../src/service/executions.js';
import { PatchbayService } from '../../../src/service/service.js';
import { SlackNotifier, type SlackNotifierOptions } from '../../../src/slack/notifier/index.js';
import { type TestEngine, createTestEngine } from '../../support/engine.js';
import { type ApiCall, type SlackEmulator, type StoredMessage, startSlackEmulator } from '../../support/slack/index.js';

/**
 * A real engine (PGlite, or PostgreSQL with TEST_DATABASE_URL), the Slack emulator, and
 * notifiers wired to both through a real WebClient. Runs start "from Slack" in channel C1.
 */
export const CHANNEL = 'C0STATUS';
export const REQUESTER = 'UALICE';

export interface Harness {
  engine: TestEngine;
  slack: SlackEmulator;
  errors: { context: string; error: unknown }[];
  notifier(options?: Partial<SlackNotifierOptions>): Promise<SlackNotifier>;
  /** A second service on the same database (its own connection pool on PostgreSQL): another replica. */
  replica(): Promise<PatchbayService>;
  start(flow: string, inputs?: Record<string, unknown>): Promise<string>;
  close(): Promise<void>;
}

export async function createHarness(flows: string[]): Promise<Harness> {
  const slack = await startSlackEmulator({
    users: [
      { id: REQUESTER, name: 'alice', email: 'alice@example.com' },
      { id: 'UBOB', name: 'bob' },
      { id: 'UCAROL', name: 'carol', email: 'carol@example.com' },
      { id: 'UDAVE', name: 'dave' },
    ],
    userGroups: [{ id: 'S0OPS', handle: 'ops', users: ['UDAVE'] }],
  });
  const engine = await createTestEngine();
  await engine.load(...flows);
  const errors: Harness['errors'] = [];
  const notifiers: SlackNotifier[] = [];
  const services: PatchbayService[] = [];
  return {
    engine,
    slack,
    errors,
    async notifier(options = {}) {
      const client = new webApi.WebClient(slack.botToken, { slackApiUrl: slack.apiUrl, retryConfig: { retries: 2 }, logLevel: LogLevel.ERROR });
      const notifier = new SlackNotifier({
        service: engine.service,
        client,
        pollMs: 200,
        onError: (error, context) => errors.push({ context, error }),
        ...options,
      });
      notifiers.push(notifier);
      await notifier.start();
      return notifier;
    },
    async replica() {
      if (!engine.test.url) return engine.service; // PGlite: one process, one database handle
      const database = await openDatabase({ url: engine.test.url });
      const service = await PatchbayService.open({ config: loadConfig({ PATCHBAY_DATA_DIR: engine.dir, PATCHBAY_FLOWS_DIR: engine.dir }, engine.dir), database });
      services.push(service);
      return service;
    },
    start(flow, inputs = {}) {
      return engine.service.start(flow, inputs, { as: REQUESTER, trigger: { type: 'chat', surface: 'slack', channel: CHANNEL, user: REQUESTER } });
    },
    async close() {
      for (const notifier of notifiers) await notifier.stop();
      for (const service of services) {
        await service.close();
        await service.database.close();
      }
      await engine.close();
      await slack.close();
    },
  };
}

type Truthy<T> = Exclude<T, null | undefined | false | 0 | ''>;

/** Polls until `probe` answers something truthy, and returns it. */
export async function eventually<T>(probe: () => T | Promise<T>, timeoutMs = 20_000, what = 'a condition'): Promise<Truthy<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value as Truthy<T>;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** The execution's status message in CHANNEL (top-level, not a thread reply). */
export function statusMessages(slack: SlackEmulator): StoredMessage[] {
  return slack.messages(CHANNEL).filter((m) => !m.thread_ts);
}

export const textOf = (m: Pick<StoredMessage, 'blocks' | 'text'> | undefined): string => JSON.stringify([m?.text, m?.blocks]);
export const callText = (call: ApiCall): string => JSON.stringify([call.args.text, call.args.blocks]);

/** The status message once it shows the final state of the execution, and the execution then. */
export async function finalStatus(h: Harness, id: string): Promise<{ message: StoredMessage; view: ExecutionView }> {
  // Not settle(): it returns at once for a run waiting on an expiry timer.
  const view = await eventually(async () => {
    const current = await h.engine.service.execution(id);
    return ['SUCCESS', 'WARNING', 'FAILED', 'KILLED'].includes(current.state) && current;
  }, 20_000, `the end of ${id}`);
  const message = await eventually(
    () => statusMessages(h.slack).find((m) => textOf(m).includes(id) && textOf(m).includes(`Finished: ${view.state}`)),
    20_000,
    'the final status',
  );
  return { message, view };
}

/** chat.update calls on one message that went through. */
export const updatesOf = (slack: SlackEmulator, channel: string, ts: string): ApiCall[] =>
  slack.callsTo('chat.update').filter((call) => call.ok && call.args.channel === channel && call.args.ts === ts);

/** Edits of one message are at least `ms` apart (the emulator stamps each call on arrival). */
export function expectSpaced(calls: readonly ApiCall[], ms = 1000): void {
  for (let i = 1; i < calls.length; i += 1) expect(calls[i]!.time - calls[i - 1]!.time).toBeGreaterThanOrEqual(ms - 5);
}
