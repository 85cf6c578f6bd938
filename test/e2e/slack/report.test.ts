import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { LogLevel, webApi } from '@slack/bolt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config.js';
import { formatDiagnostic, parseFlowSource } from '../../../src/flow/loader.js';
import { CHART_HEIGHT, CHART_WIDTH, CHART_ZOOM } from '../../../src/reports/chart.js';
import { PNG_SIGNATURE, pngSize } from '../../../src/render/svg-png.js';
import { PatchbayService } from '../../../src/service/service.js';
import { createSlackChatPoster } from '../../../src/slack/notifier/report-poster.js';
import { type TestDatabase, createTestDatabase } from '../../support/database.js';
import { leakedHandles, openHandleCount } from '../../support/handles.js';
import { type SlackEmulator, slashCommand, startSlackEmulator } from '../../support/slack/index.js';
import { PATCH_GATED, PATCH_OK, PATCH_ROLLBACK } from '../../integration/reports/flows.js';
import { ALICE, CHANNEL, type Harness, SECRET, eventually, startHarness } from './harness.js';

/**
 * The Done-when of the patch-window reports: runs that succeeded, rolled back and wait for an
 * approval; the shipped `patch-window-report` flow posts the report to the Slack emulator (the
 * real WebClient over HTTP) with the right counts, and uploads its chart into the thread.
 * Then `/flow report` through the real Bolt app, with and without the chat integration.
 */
const REPORTS = 'C0PATCH';
const blockTexts = (blocks: unknown): string => JSON.stringify(blocks ?? []);

async function loadYaml(service: PatchbayService, text: string, file: string): Promise<void> {
  const parsed = parseFlowSource(text, file);
  if (parsed.diagnostics.length > 0) throw new Error(parsed.diagnostics.map(formatDiagnostic).join('\n'));
  await service.flows.sync(parsed.flows);
}

async function runPatches(service: PatchbayService): Promise<void> {
  for (const [flow, vm] of [['patch-ok', 'web-01'], ['patch-rollback', 'db-01'], ['patch-gated', 'web-02']] as const) {
    await service.settle(await service.start(`company.ops.${flow}`, { vm }, { as: ALICE }), 50);
  }
}

function expectChart(content: Buffer | undefined): void {
  expect(content?.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
  expect(pngSize(content!)).toEqual({ width: CHART_WIDTH * CHART_ZOOM, height: CHART_HEIGHT * CHART_ZOOM });
}

describe('the shipped patch-window-report flow posts to Slack', () => {
  let slack: SlackEmulator;
  let db: TestDatabase;
  let service: PatchbayService;
  let dir = '';
  let baseline = 0;

  beforeAll(async () => {
    baseline = openHandleCount();
    slack = await startSlackEmulator();
    db = await createTestDatabase();
    const client = new webApi.WebClient(slack.botToken, { slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 }, logLevel: LogLevel.ERROR });
    dir = await mkdtemp(path.join(tmpdir(), 'patchbay-report-'));
    const config = loadConfig({ PATCHBAY_DATA_DIR: dir, PATCHBAY_FLOWS_DIR: dir }, dir);
    service = await PatchbayService.open({ config, database: db.database, integrations: { chat: createSlackChatPoster(client) } });
    await service.startWorker({ pollMs: 100, leaseMs: 2000, concurrency: 4, onError: () => undefined });
    for (const flow of [PATCH_OK, PATCH_ROLLBACK, PATCH_GATED]) await loadYaml(service, flow, 'test.yaml');
    await loadYaml(service, await readFile('flows/patch-window-report.yaml', 'utf8'), 'flows/patch-window-report.yaml');
    await runPatches(service);
  }, 60_000);
  afterAll(async () => {
    await service?.close();
    await db?.drop();
    await slack?.close();
    await rm(dir, { recursive: true, force: true });
    expect(await leakedHandles(baseline)).toBe(0);
  });

  it('run by hand: one message with the counts, the chart in its thread', async () => {
    const run = await service.settle(await service.start('company.ops.patch-window-report', { channel: REPORTS }, { as: ALICE }), 50);
    expect(run.state).toBe('SUCCESS');
    const outputs = run.taskRuns.find((r) => r.taskId === 'report')!.outputs as Record<string, any>;
    expect(outputs.totals).toMatchObject({ patched: 1, rolled_back: 1, waiting: 1, failed: 0, vms: 3 });
    expect(outputs.window.sinceSource).toBe('given'); // `inputs.since ?? trigger.previous ?? 'P7D'` gave P7D

    const [message, ...others] = slack.messages(REPORTS).filter((m) => m.via === 'api');
    expect(others).toEqual([]);
    expect(outputs.posted).toEqual({ channel: REPORTS, ts: message!.ts });
    expect(message!.text).toBe('Patch window report: 1 patched, 1 rolled back, 1 waiting for approval (3 VMs)');
    const blocks = blockTexts(message!.blocks);
    expect(blocks).toContain(':white_check_mark: 1 patched · :leftwards_arrow_with_hook: 1 rolled back · :hourglass_flowing_sand: 1 waiting for approval');
    for (const vm of ['web-01', 'db-01', 'web-02']) expect(blocks).toContain(vm);

    const [file] = slack.files();
    expect(file).toMatchObject({ completed: true, channel: REPORTS, thread_ts: message!.ts, filename: expect.stringMatching(/^patch-window-\d{4}-\d{2}-\d{2}\.png$/) });
    expectChart(file!.content);
    expect(slack.thread(REPORTS, message!.ts).map((m) => m.via)).toEqual(['api', 'files']);
  });

  it('run by its schedule: the window starts at the previous fire', async () => {
    const previous = new Date(Date.now() - 3_600_000).toISOString().replace(/\.\d+Z$/, 'Z');
    const trigger = { type: 'schedule', id: 'after-saturday-window', date: new Date().toISOString(), previous };
    const run = await service.settle(await service.start('company.ops.patch-window-report', { channel: REPORTS }, { as: 'schedule:after-saturday-window', trigger }), 50);
    expect(run.state).toBe('SUCCESS');
    const outputs = run.taskRuns.find((r) => r.taskId === 'report')!.outputs as Record<string, any>;
    expect(outputs.window.since).toBe(new Date(previous).toISOString());
    expect(outputs.totals.vms).toBe(3);
  });

  it('a channel Slack does not know fails the run, naming the channel and the reason', async () => {
    const run = await service.settle(await service.start('company.ops.patch-window-report', { channel: '#nowhere' }, { as: ALICE }), 50);
    expect(run.state).toBe('FAILED');
    expect(run.error).toContain('Slack refused chat.postMessage to channel "#nowhere": channel_not_found');
  });
});

describe('/flow report through the Slack app', () => {
  let h: Harness;
  let baseline = 0;
  beforeAll(async () => {
    baseline = openHandleCount();
    h = await startHarness({ flows: [PATCH_OK, PATCH_ROLLBACK, PATCH_GATED], notifier: false });
    await runPatches(h.engine.service);
  }, 120_000);
  afterAll(async () => {
    await h?.close();
    expect(await leakedHandles(baseline)).toBe(0);
  });

  const command = (text: string) =>
    slashCommand(h.url, SECRET, { command: '/flow', text, user_id: ALICE, channel_id: CHANNEL, trigger_id: h.slack.triggerId(ALICE), response_url: h.slack.responseUrl(CHANNEL, ALICE) });

  it('without a chat integration: shares the chart in the channel with the report as its caption', async () => {
    const ack = await command('report');
    expect(ack.status).toBe(200);
    const file = await eventually(() => h.slack.files().find((f) => f.completed && f.channel === CHANNEL), 15_000, 'the chart upload');
    expect(file.initial_comment).toContain('*Patch window report*');
    expect(file.initial_comment).toContain('1 patched · :leftwards_arrow_with_hook: 1 rolled back · :hourglass_flowing_sand: 1 waiting for approval');
    expectChart(file.content);
  });

  it('with the chat integration: posts the Block Kit report and its chart in the thread, and tells the person', async () => {
    const client = new webApi.WebClient(h.slack.botToken, { slackApiUrl: h.slack.apiUrl, retryConfig: { retries: 0 }, logLevel: LogLevel.ERROR });
    const context = h.engine.service.engine.context;
    context.integrations = { ...context.integrations, chat: createSlackChatPoster(client) };
    const sent = Date.now();
    await command('report 1d');
    const reply = await h.slack.waitForResponse((r) => r.user === ALICE && r.time >= sent, 15_000);
    expect(reply.effect).toBe('ephemeral');
    expect(JSON.stringify(reply.body)).toContain('Posted the patch-window report here with its chart in the thread');
    const message = h.slack.messages(CHANNEL).find((m) => m.via === 'api' && blockTexts(m.blocks).includes('"block_id":"outcome-rolled_back"'));
    expect(message?.text).toBe('Patch window report: 1 patched, 1 rolled back, 1 waiting for approval (3 VMs)');
    const file = h.slack.files().find((f) => f.thread_ts === message!.ts);
    expectChart(file?.content);
  });
});
