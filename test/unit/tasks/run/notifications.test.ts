import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SlackIncomingWebhook } from '../../../../src/tasks/notifications/SlackIncomingWebhook.js';
import { leakedHandles, openHandleCount } from '../../../support/handles.js';
import { type TestHttpServer, startHttpServer } from '../../../support/http-server.js';
import { type TestRun, createTestRun, rejection } from '../../../support/task-context.js';

let t: TestRun;
let slack: TestHttpServer;
let baseline: number;

beforeAll(() => {
  baseline = openHandleCount();
});
beforeEach(async () => {
  t = await createTestRun();
  // Answers as Slack's webhook endpoint does: "ok", or an error code in plain text.
  slack = await startHttpServer((request, response) => {
    if (request.url === '/services/revoked') return void response.writeHead(404).end('no_service');
    if (request.url === '/services/down') return void response.writeHead(500).end('internal_error');
    response.end('ok');
  });
});
afterEach(async () => {
  await slack.close();
  await t.cleanup();
});
afterAll(async () => {
  expect(await leakedHandles(baseline)).toBe(0);
});

const posted = () => JSON.parse(slack.requests.at(-1)!.body.toString()) as unknown;

describe('SlackIncomingWebhook', () => {
  it('posts messageText as {"text": …}, turning Markdown into Slack mrkdwn', async () => {
    const result = await t.run(SlackIncomingWebhook, {
      url: `${slack.url}/services/T/B/x`,
      messageText: 'Patched **prod-web-01**, see [the run](https://ops/run/1) __now__',
    });
    expect(result).toEqual({});
    expect(slack.requests.at(-1)).toMatchObject({ method: 'POST', url: '/services/T/B/x' });
    expect(slack.requests.at(-1)!.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(posted()).toEqual({ text: 'Patched *prod-web-01*, see <https://ops/run/1|the run> _now_' });
    expect(t.messages('info')).toEqual(['Request succeeded']);
  });

  it('posts payload as the JSON it holds, and messageText holding a JSON object as that object', async () => {
    await t.run(SlackIncomingWebhook, { url: `${slack.url}/hook`, payload: '{\n  "text": "done",\n  "blocks": [{"type": "divider"}]\n}\n' });
    expect(posted()).toEqual({ text: 'done', blocks: [{ type: 'divider' }] });
    await t.run(SlackIncomingWebhook, { url: `${slack.url}/hook`, messageText: '{"text":"as json"}' });
    expect(posted()).toEqual({ text: 'as json' });
    await t.run(SlackIncomingWebhook, { url: `${slack.url}/hook`, messageText: '42' });
    expect(posted()).toEqual({ text: '42' });
  });

  it('sends the headers of options', async () => {
    await t.run(SlackIncomingWebhook, { url: `${slack.url}/hook`, messageText: 'hi', options: { headers: { 'X-Trace': 'abc' } } });
    expect(slack.requests.at(-1)!.headers['x-trace']).toBe('abc');
  });

  it('fails, not retryable, on invalid payload JSON or with nothing to send, before any request', async () => {
    const invalid = await rejection(t.run(SlackIncomingWebhook, { url: `${slack.url}/hook`, payload: '{"text": "unterminated' }));
    expect(invalid.message).toMatch(/^payload is not valid JSON/);
    expect(invalid.retryable).toBe(false);
    const empty = await rejection(t.run(SlackIncomingWebhook, { url: `${slack.url}/hook` }));
    expect(empty.message).toBe("Either 'messageText' or 'payload' must be provided");
    expect(slack.requests).toEqual([]);
  });

  it('fails with the status and body Slack answered: 4xx not retryable, 5xx retryable', async () => {
    const revoked = await rejection(t.run(SlackIncomingWebhook, { url: `${slack.url}/services/revoked`, messageText: 'hi' }));
    expect(revoked.message).toBe('Slack webhook request failed with status 404: no_service');
    expect(revoked.retryable).toBe(false);
    const down = await rejection(t.run(SlackIncomingWebhook, { url: `${slack.url}/services/down`, messageText: 'hi' }));
    expect(down.message).toBe('Slack webhook request failed with status 500: internal_error');
    expect(down.retryable).toBe(true);
  });
});
