import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LogLevel, webApi } from '@slack/bolt';
import { type SlackEmulator, startSlackEmulator } from '../../support/slack/index.js';

const { WebClient, ErrorCode } = webApi;
type WebClientInstance = InstanceType<typeof WebClient>;

let emulator: SlackEmulator;
let client: WebClientInstance;

function webClient(token: string, options: ConstructorParameters<typeof WebClient>[1] = {}): WebClientInstance {
  return new WebClient(token, { slackApiUrl: emulator.apiUrl, retryConfig: { retries: 0 }, logLevel: LogLevel.ERROR, ...options });
}

/** The platform error name a WebClient call failed with. */
async function slackError(call: Promise<unknown>): Promise<string | undefined> {
  try {
    await call;
    return undefined;
  } catch (error) {
    return (error as { data?: { error?: string } }).data?.error ?? String(error);
  }
}

beforeEach(async () => {
  emulator = await startSlackEmulator();
  client = webClient(emulator.botToken);
});
afterEach(() => emulator.close());

describe('slack emulator: messages', () => {
  it('posts, threads and updates messages with blocks parsed from form fields', async () => {
    const blocks = [{ type: 'section', block_id: 'req', text: { type: 'mrkdwn', text: '*Power off* `vm-01`?' } }];
    const posted = await client.chat.postMessage({ channel: 'C123', text: 'Approve?', blocks });
    expect(posted.ts).toMatch(/^\d+\.\d{6}$/);
    expect(posted.message?.blocks).toEqual(blocks);
    const reply = await client.chat.postMessage({ channel: 'C123', text: 'running', thread_ts: posted.ts! });
    expect(Number(reply.ts)).toBeGreaterThan(Number(posted.ts));

    await client.chat.update({ channel: 'C123', ts: posted.ts!, text: 'Approved', blocks: [] });
    const stored = emulator.message('C123', posted.ts!);
    expect(stored).toMatchObject({ text: 'Approved', blocks: [] });
    expect(stored?.history).toEqual([expect.objectContaining({ text: 'Approve?', blocks })]);
    expect(emulator.thread('C123', posted.ts!).map((m) => m.ts)).toEqual([posted.ts, reply.ts]);
    expect(emulator.callsTo('chat.update')[0]?.args.blocks).toEqual([]);

    await client.chat.delete({ channel: 'C123', ts: reply.ts! });
    expect(emulator.messages('C123')).toHaveLength(1);
    const link = await client.chat.getPermalink({ channel: 'C123', message_ts: posted.ts! });
    expect(link.permalink).toContain(`/archives/C123/p${posted.ts!.replace('.', '')}`);
  });

  it('refuses what Slack refuses', async () => {
    expect(await slackError(client.chat.postMessage({ channel: 'nope', text: 'x' }))).toBe('channel_not_found');
    expect(await slackError(client.chat.postMessage({ channel: 'C1', text: 'x', blocks: [{ text: 'no type' }] as never }))).toBe('invalid_blocks');
    expect(await slackError(client.chat.postMessage({ channel: 'C1' } as never))).toBe('no_text');
    expect(await slackError(client.chat.update({ channel: 'C1', ts: '1.000001', text: 'x' }))).toBe('message_not_found');
    expect(await slackError(client.apiCall('chat.frobnicate'))).toBe('unknown_method');
    expect(await slackError(webClient('xoxb-wrong').chat.postMessage({ channel: 'C1', text: 'x' }))).toBe('invalid_auth');
    expect(await slackError(webClient(emulator.appToken).chat.postMessage({ channel: 'C1', text: 'x' }))).toBe('not_allowed_token_type');
    expect(await slackError(client.apps.connections.open())).toBe('not_allowed_token_type');
    expect(emulator.calls.filter((c) => !c.ok)).toHaveLength(8);
    expect(emulator.callsTo('chat.postMessage').at(-1)?.token).toBe(emulator.appToken);
  });

  it('accepts JSON bodies and rejects other encodings', async () => {
    const post = (contentType: string, body: string) => fetch(`${emulator.apiUrl}chat.postMessage`, {
      method: 'POST', headers: { Authorization: `Bearer ${emulator.botToken}`, 'Content-Type': contentType }, body,
    }).then((r) => r.json() as Promise<{ ok: boolean; error?: string }>);
    expect(await post('application/json; charset=utf-8', JSON.stringify({ channel: 'C9', blocks: [{ type: 'divider' }] }))).toMatchObject({ ok: true });
    expect(await post('text/plain', 'channel=C9&text=hi')).toEqual({ ok: false, error: 'invalid_form_data' });
    expect(emulator.messages('C9')[0]?.blocks).toEqual([{ type: 'divider' }]);
  });

  it('sends ephemerals, reactions and DMs', async () => {
    emulator.addUser({ id: 'U1', name: 'alice', email: 'alice@example.com' });
    const dm = await client.conversations.open({ users: 'U1' });
    expect(dm.channel?.id).toBe('D1');
    expect((await client.conversations.open({ users: 'U1' })).already_open).toBe(true);
    await client.chat.postEphemeral({ channel: 'C1', user: 'U1', text: 'only you' });
    expect(emulator.ephemerals('C1', 'U1')).toEqual([expect.objectContaining({ text: 'only you' })]);
    const posted = await client.chat.postMessage({ channel: 'U1', text: 'hello' });
    expect(posted.channel).toBe(dm.channel?.id);
    await client.reactions.add({ channel: posted.channel!, timestamp: posted.ts!, name: 'white_check_mark' });
    expect(await slackError(client.reactions.add({ channel: posted.channel!, timestamp: posted.ts!, name: 'white_check_mark' }))).toBe('already_reacted');
  });
});

describe('slack emulator: rate limits', () => {
  it('answers 429 with Retry-After, which WebClient waits out and retries', async () => {
    emulator.rateLimit('chat.postMessage', { times: 1, retryAfterSeconds: 1 });
    // retries: 0 would give up: web-api turns a 429 into a plain retryable error after the wait.
    const patient = webClient(emulator.botToken, { rejectRateLimitedCalls: false, retryConfig: { retries: 1, minTimeout: 0, maxTimeout: 0 } });
    const started = Date.now();
    const posted = await patient.chat.postMessage({ channel: 'C1', text: 'eventually' });
    expect(posted.ok).toBe(true);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(emulator.callsTo('chat.postMessage').map((c) => c.status)).toEqual([429, 200]);
    expect(emulator.calls[0]).toMatchObject({ error: 'ratelimited', ok: false });
  });

  it('rejects at once with rejectRateLimitedCalls and limits chat.update per channel', async () => {
    emulator.rateLimit('chat.update', { retryAfterSeconds: 7 });
    const strict = webClient(emulator.botToken, { rejectRateLimitedCalls: true });
    const error = await strict.chat.update({ channel: 'C1', ts: '1.000001', text: 'x' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: ErrorCode.RateLimitedError, retryAfter: 7 });

    emulator.setChatUpdateLimit({ perChannelPerSecond: 2 });
    const { ts } = await client.chat.postMessage({ channel: 'C1', text: 'v0' });
    const results = [];
    for (const text of ['v1', 'v2', 'v3']) results.push(await strict.chat.update({ channel: 'C1', ts: ts!, text }).then(() => 'ok', () => '429'));
    expect(results).toEqual(['ok', 'ok', '429']);
    expect(await client.chat.update({ channel: 'C2', ts: ts!, text: 'x' }).catch((e: { data: { error: string } }) => e.data.error)).toBe('message_not_found');
  });

  it('injects platform errors and lets tests await calls', async () => {
    emulator.failNext('chat.postMessage', 'not_in_channel');
    expect(await slackError(client.chat.postMessage({ channel: 'C1', text: 'x' }))).toBe('not_in_channel');
    const waited = emulator.waitFor((c) => c.method === 'chat.postMessage' && c.ok);
    setTimeout(() => void client.chat.postMessage({ channel: 'C1', text: 'later' }), 20);
    expect((await waited).args.text).toBe('later');
    await expect(emulator.waitFor('views.open', 50)).rejects.toThrow(/timed out/);
  });
});

describe('slack emulator: files', () => {
  it('serves the files.uploadV2 flow of web-api 8', async () => {
    const { ts } = await client.chat.postMessage({ channel: 'C1', text: 'report' });
    const result = await client.filesUploadV2({ channel_id: 'C1', thread_ts: ts!, filename: 'report.csv', content: 'vm,state\nvm-01,on\n', initial_comment: 'Patch report' });
    expect(result.ok).toBe(true);
    expect(emulator.calls.map((c) => c.method)).toEqual(['chat.postMessage', 'files.getUploadURLExternal', 'files.completeUploadExternal']);
    const [file] = emulator.files();
    expect(file?.content?.toString()).toBe('vm,state\nvm-01,on\n');
    expect(file).toMatchObject({ filename: 'report.csv', completed: true, channel: 'C1', thread_ts: ts });
    expect(emulator.thread('C1', ts!)[1]).toMatchObject({ text: 'Patch report', via: 'files' });
  });
});
