import { afterEach, describe, expect, it } from 'vitest';
import { LogLevel, webApi } from '@slack/bolt';
import { type SlackEmulator, type SlackEmulatorOptions, startSlackEmulator } from '../../support/slack/index.js';

let emulator: SlackEmulator;
afterEach(() => emulator.close());

async function setup(options: SlackEmulatorOptions = {}) {
  emulator = await startSlackEmulator(options);
  return new webApi.WebClient(emulator.botToken, { slackApiUrl: emulator.apiUrl, retryConfig: { retries: 0 }, logLevel: LogLevel.ERROR });
}

const errorOf = (call: Promise<unknown>) => call.then(() => 'ok', (e: { data?: { error?: string } }) => e.data?.error);
const modal = (title: string) => ({ type: 'modal' as const, title: { type: 'plain_text' as const, text: title }, blocks: [] });

describe('slack emulator: trigger_ids and views', () => {
  it('accepts a trigger once, within its lifetime', async () => {
    const client = await setup({ triggerTtlMs: 1000 });
    const trigger = emulator.triggerId('U1');
    const opened = await client.views.open({ trigger_id: trigger, view: modal('One') });
    expect(opened.view?.id).toMatch(/^V/);
    expect(await errorOf(client.views.open({ trigger_id: trigger, view: modal('Again') }))).toBe('exchanged_trigger_id');
    expect(await errorOf(client.views.open({ trigger_id: 'made.up', view: modal('x') }))).toBe('invalid_trigger_id');
    const late = emulator.triggerId();
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect(await errorOf(client.views.open({ trigger_id: late, view: modal('Late') }))).toBe('expired_trigger_id');
    expect(await errorOf(client.views.open({ trigger_id: emulator.triggerId(), view: { type: 'home', blocks: [] } as never }))).toBe('invalid_arguments');
  });

  it('stacks pushed views up to three and checks hashes on update', async () => {
    const client = await setup();
    const root = await client.views.open({ trigger_id: emulator.triggerId('U1'), view: modal('Root') });
    const second = await client.views.push({ trigger_id: emulator.triggerId('U1'), view: modal('Second') });
    await client.views.push({ trigger_id: emulator.triggerId('U1'), view: modal('Third') });
    expect(await errorOf(client.views.push({ trigger_id: emulator.triggerId('U1'), view: modal('Fourth') }))).toBe('push_limit_reached');
    expect(second.view).toMatchObject({ root_view_id: root.view?.id, previous_view_id: root.view?.id });

    const updated = await client.views.update({ view_id: root.view!.id!, hash: root.view!.hash!, view: modal('Root v2') });
    expect(updated.view?.hash).not.toBe(root.view?.hash);
    expect(await errorOf(client.views.update({ view_id: root.view!.id!, hash: root.view!.hash!, view: modal('stale') }))).toBe('hash_conflict');
    expect(await errorOf(client.views.update({ view_id: 'V404', view: modal('x') }))).toBe('not_found');
    expect(emulator.views().map((v) => (v.title as { text: string }).text)).toEqual(['Root v2', 'Second', 'Third']);
  });

  it('keeps the last published home view per user', async () => {
    const client = await setup();
    await client.views.publish({ user_id: 'U1', view: { type: 'home', blocks: [{ type: 'divider' }] } });
    const second = await client.views.publish({ user_id: 'U1', view: { type: 'home', blocks: [] } });
    expect(emulator.homeViews('U1')).toMatchObject({ id: second.view?.id, blocks: [], history: [expect.anything()] });
    expect(emulator.homeViews('U2')).toBeUndefined();
  });
});

describe('slack emulator: response_url', () => {
  const post = (url: string, body: unknown) => fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });

  it('turns responses into ephemerals, channel messages, replacements and deletions, five at most', async () => {
    const client = await setup();
    const { ts } = await client.chat.postMessage({ channel: 'C1', text: 'Approve?' });
    const url = emulator.responseUrl('C1', 'U1', { messageTs: ts! });
    expect((await post(url, { text: 'only you' })).status).toBe(200);
    expect((await post(url, { response_type: 'in_channel', text: 'for all' })).status).toBe(200);
    expect((await post(url, { replace_original: true, text: 'Approved by <@U1>' })).status).toBe(200);
    expect(emulator.message('C1', ts!)).toMatchObject({ text: 'Approved by <@U1>', history: [{ text: 'Approve?' }] });
    expect((await post(url, { delete_original: true })).status).toBe(200);
    expect((await post(url, { text: 'fifth' })).status).toBe(200);
    expect((await post(url, { text: 'sixth' })).status).toBe(404);
    expect(emulator.responses().map((r) => r.effect)).toEqual(['ephemeral', 'in_channel', 'replaced', 'deleted', 'ephemeral', 'rejected']);
    expect(emulator.ephemerals('C1', 'U1').map((e) => e.text)).toEqual(['only you', 'fifth']);
    expect(emulator.messages('C1').map((m) => m.text)).toEqual(['for all']);
    expect((await post(`${emulator.baseUrl}/response/unknown`, { text: 'x' })).status).toBe(404);
  });
});

describe('slack emulator: users and groups', () => {
  it('answers users.* and usergroups.* from fixtures', async () => {
    const client = await setup({
      strictUsers: true,
      users: [{ id: 'U1', name: 'alice', email: 'Alice@example.com' }, { id: 'U2', name: 'bob' }],
      userGroups: [{ id: 'S1', handle: 'oncall', users: ['U1', 'U2'] }],
    });
    expect((await client.users.info({ user: 'U1' })).user).toMatchObject({ id: 'U1', name: 'alice', profile: { email: 'Alice@example.com' } });
    expect((await client.users.lookupByEmail({ email: 'alice@example.com' })).user?.id).toBe('U1');
    expect(await errorOf(client.users.lookupByEmail({ email: 'nobody@example.com' }))).toBe('users_not_found');
    expect(await errorOf(client.users.info({ user: 'U9' }))).toBe('user_not_found');
    expect((await client.usergroups.list({ include_users: true })).usergroups).toEqual([expect.objectContaining({ handle: 'oncall', users: ['U1', 'U2'] })]);
    expect((await client.usergroups.users.list({ usergroup: 'S1' })).users).toEqual(['U1', 'U2']);
    expect(await errorOf(client.usergroups.users.list({ usergroup: 'S9' }))).toBe('no_such_subteam');
    expect(await errorOf(client.conversations.open({ users: 'U9' }))).toBe('user_not_found');
    expect((await client.auth.test()).user_id).toBe(emulator.ids.botUserId);
  });
});
