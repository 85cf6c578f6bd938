import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { App, LogLevel } from '@slack/bolt';
import {
  type SlackEmulator,
  blockAction,
  event,
  replay,
  slashCommand,
  startSlackEmulator,
  stateValue,
  viewSubmission,
} from '../../support/slack/index.js';

const signingSecret = 'test-signing-secret';
let emulator: SlackEmulator;
let app: App;
let url: string;
let errors: unknown[];

const modal = {
  type: 'modal' as const, callback_id: 'create_vm', title: { type: 'plain_text' as const, text: 'Create VM' },
  submit: { type: 'plain_text' as const, text: 'Create' },
  blocks: [{ type: 'input', block_id: 'name', label: { type: 'plain_text', text: 'Name' }, element: { type: 'plain_text_input', action_id: 'v' } }],
};

beforeEach(async () => {
  emulator = await startSlackEmulator();
  // Without deferInitialization the App constructor fires auth.test and keeps the promise unawaited
  // (an unhandled rejection if the emulator goes away first); init() awaits it instead.
  app = new App({
    token: emulator.botToken, signingSecret, logLevel: LogLevel.ERROR, deferInitialization: true,
    clientOptions: { slackApiUrl: emulator.apiUrl, retryConfig: { retries: 0 } },
  });
  errors = [];
  app.error(async (error) => {
    errors.push(error);
  });
  app.command('/flow', async ({ ack, command, respond, client }) => {
    await ack(`Starting ${command.text}`);
    await client.chat.postMessage({ channel: command.channel_id, text: `run ${command.text}` });
    await respond({ response_type: 'in_channel', text: 'queued' });
  });
  app.action('approve', async ({ ack, body, client }) => {
    await ack();
    if (body.type === 'block_actions') await client.views.open({ trigger_id: body.trigger_id, view: modal });
  });
  app.view('create_vm', async ({ ack, view }) => {
    const name = view.state.values.name?.v?.value ?? '';
    await ack(name === 'taken' ? { response_action: 'errors', errors: { name: 'Already exists' } } : undefined);
  });
  app.event('app_home_opened', async ({ event: e, client }) => {
    await client.views.publish({ user_id: e.user, view: { type: 'home', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'Hi' } }] } });
  });
  await app.init();
  const server = (await app.start(0)) as Server;
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`;
});
afterEach(async () => {
  await app.stop();
  await emulator.close();
});

describe('Bolt 5 HTTP receiver against the emulator', () => {
  it('calls auth.test once at init, then acks a signed slash command and responds', async () => {
    expect(emulator.calls).toEqual([expect.objectContaining({ method: 'auth.test', ok: true, token: 'xoxb-test' })]);
    const responseUrl = emulator.responseUrl('C42', 'U1');
    const res = await slashCommand(url, signingSecret, { command: '/flow', text: 'patch vm=web-01', user_id: 'U1', channel_id: 'C42', response_url: responseUrl });
    expect(res).toMatchObject({ status: 200, body: 'Starting patch vm=web-01' });
    const response = await emulator.waitForResponse((r) => r.effect === 'in_channel');
    expect(emulator.messages('C42').map((m) => [m.text, m.via])).toEqual([['run patch vm=web-01', 'api'], ['queued', 'response_url']]);
    expect(response.body).toEqual({ response_type: 'in_channel', text: 'queued' });
  });

  it('refuses forged and stale requests with 401 and lets an exact replay through', async () => {
    const args = { command: '/flow', text: 'x', user_id: 'U1', channel_id: 'C42', response_url: emulator.responseUrl('C42', 'U1') };
    expect((await slashCommand(url, signingSecret, args, { forge: true })).status).toBe(401);
    expect((await slashCommand(url, signingSecret, args, { stale: true })).status).toBe(401);
    const first = await slashCommand(url, signingSecret, args);
    // Bolt itself does not deduplicate: replay protection is the bot's job (5-minute window only).
    expect((await replay(first)).status).toBe(200);
    await emulator.waitForResponse(() => emulator.responses().length === 2);
    expect(emulator.callsTo('chat.postMessage')).toHaveLength(2);
  });

  it('opens a modal from a button with the emulator-issued trigger_id, once', async () => {
    const { ts } = await app.client.chat.postMessage({ channel: 'C42', text: 'Approve?' });
    const trigger = emulator.triggerId('U1');
    const args = { user: 'U1', channel: 'C42', message: emulator.message('C42', ts!)!, trigger_id: trigger, actions: [{ action_id: 'approve', value: 'req-42' }] };
    expect((await blockAction(url, signingSecret, args)).status).toBe(200);
    const opened = await emulator.waitFor('views.open');
    expect(opened).toMatchObject({ ok: true, args: { trigger_id: trigger, view: modal } });
    expect(emulator.views()).toEqual([expect.objectContaining({ callback_id: 'create_vm', user: 'U1' })]);

    expect((await blockAction(url, signingSecret, args)).status).toBe(200);
    const second = await emulator.waitFor((c) => c.method === 'views.open' && !c.ok);
    expect(second.error).toBe('exchanged_trigger_id');
    await expect.poll(() => errors).toEqual([expect.objectContaining({ code: 'slack_webapi_platform_error' })]);
  });

  it('returns view_submission ack bodies (response_action errors) as JSON', async () => {
    const view = { id: 'V1', callback_id: 'create_vm', blocks: modal.blocks as never, state: { values: { name: { v: stateValue.text('taken') } } } };
    const res = await viewSubmission(url, signingSecret, { user: 'U1', view });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ response_action: 'errors', errors: { name: 'Already exists' } });
    const ok = await viewSubmission(url, signingSecret, { user: 'U1', view: { ...view, state: { values: { name: { v: stateValue.text('web-02') } } } } });
    expect([ok.status, ok.body]).toEqual([200, '']);
  });

  it('publishes App Home on app_home_opened', async () => {
    expect((await event(url, signingSecret, { type: 'app_home_opened', user: 'U7' })).status).toBe(200);
    await emulator.waitFor('views.publish');
    expect(emulator.homeViews('U7')?.blocks).toHaveLength(1);
  });
});
