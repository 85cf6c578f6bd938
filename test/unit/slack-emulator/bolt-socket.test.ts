import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { App, LogLevel, SocketModeReceiver } from '@slack/bolt';
import { type SlackEmulator, socketPayloads, startSlackEmulator, stateValue } from '../../support/slack/index.js';

let emulator: SlackEmulator;
let app: App | undefined;

beforeEach(async () => {
  emulator = await startSlackEmulator();
});
afterEach(async () => {
  await app?.stop();
  app = undefined;
  await emulator.close();
});

function listen(target: App): void {
  target.command('/flow', async ({ ack, command }) => {
    await ack({ response_type: 'ephemeral', text: `queued ${command.text}` });
  });
  target.view('create_vm', async ({ ack }) => {
    await ack({ response_action: 'errors', errors: { name: 'Already exists' } });
  });
}

describe('Bolt 5 Socket Mode against the emulator', () => {
  it('connects with the app token from clientOptions.slackApiUrl and acks envelopes', async () => {
    // App hands its clientOptions to SocketModeReceiver (installerOptions.clientOptions), so one
    // slackApiUrl points both the bot WebClient and the apps.connections.open client here.
    app = new App({
      token: emulator.botToken, appToken: emulator.appToken, socketMode: true, deferInitialization: true,
      logLevel: LogLevel.ERROR, clientOptions: { slackApiUrl: emulator.apiUrl, retryConfig: { retries: 0 } },
    });
    listen(app);
    await app.init();
    await app.start();
    expect(emulator.socket.connected()).toBe(true);
    expect(emulator.calls.map((c) => [c.method, c.token])).toEqual([['auth.test', 'xoxb-test'], ['apps.connections.open', 'xapp-test']]);

    const command = socketPayloads.slashCommand({ command: '/flow', text: 'patch', user_id: 'U1', channel_id: 'C1' });
    expect(command.payload).toMatchObject({ command: '/flow', team_id: emulator.ids.teamId, is_enterprise_install: 'false' });
    expect(await emulator.socket.send(command.type, command.payload)).toEqual({ response_type: 'ephemeral', text: 'queued patch' });

    const submission = socketPayloads.viewSubmission({ user: 'U1', view: { callback_id: 'create_vm', state: { values: { name: { v: stateValue.text('taken') } } } } });
    expect(await emulator.socket.send(submission.type, submission.payload)).toEqual({ response_action: 'errors', errors: { name: 'Already exists' } });
    expect(emulator.socket.envelopes().map((e) => [e.type, e.ack !== undefined])).toEqual([['slash_commands', true], ['interactive', true]]);
  });

  it('reconnects through apps.connections.open after a disconnect message', async () => {
    // Bolt's App does not pass clientPingTimeout on; the client waits clientPingTimeout × failures
    // before reconnecting (5 s by default), so a test builds the receiver itself to shorten it.
    const receiver = new SocketModeReceiver({
      appToken: emulator.appToken, clientPingTimeout: 200, logLevel: LogLevel.ERROR,
      installerOptions: { clientOptions: { slackApiUrl: emulator.apiUrl, retryConfig: { retries: 0 } } },
    });
    app = new App({ token: emulator.botToken, receiver, deferInitialization: true, logLevel: LogLevel.ERROR, clientOptions: { slackApiUrl: emulator.apiUrl, retryConfig: { retries: 0 } } });
    listen(app);
    await app.init();
    await app.start();
    const before = emulator.socket.connectionCount();
    emulator.socket.disconnect('refresh_requested');
    await emulator.socket.waitForConnection(3000, before);
    expect(emulator.callsTo('apps.connections.open')).toHaveLength(2);
    const command = socketPayloads.slashCommand({ command: '/flow', text: 'again', user_id: 'U1', channel_id: 'C1' });
    expect(await emulator.socket.send(command.type, command.payload)).toMatchObject({ text: 'queued again' });
  });

  it('rejects an envelope nobody acks', async () => {
    app = new App({
      token: emulator.botToken, appToken: emulator.appToken, socketMode: true, deferInitialization: true,
      logLevel: LogLevel.ERROR, clientOptions: { slackApiUrl: emulator.apiUrl, retryConfig: { retries: 0 } },
    });
    app.command('/slow', async () => {
      // never acks
    });
    await app.init();
    await app.start();
    const command = socketPayloads.slashCommand({ command: '/slow', user_id: 'U1', channel_id: 'C1' });
    await expect(emulator.socket.send(command.type, command.payload, { timeoutMs: 200 })).rejects.toThrow(/not acked/);
  });
});
