import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { leakedHandles, openHandleCount } from '../../support/handles.js';
import { event, replay, sendSigned, slashCommand, urlVerification } from '../../support/slack/index.js';
import { ALICE, BOB, CHANNEL, type Harness, SECRET, eventually, startFromSlack, startHarness } from './harness.js';

/** What reaches the listeners: verified, fresh, first deliveries only; and what the App Home shows. */
const flows = [
  `
id: hello
namespace: company.ops
inputs:
  - id: vm
    type: STRING
tasks:
  - id: announce
    type: io.kestra.plugin.core.log.Log
    message: "hello {{ inputs.vm }}"
`,
  `
id: gated
namespace: company.ops
tasks:
  - id: approve
    type: io.kestra.plugin.ee.flow.HumanTask
    assignment:
      users: [${BOB}]
  - id: patch
    type: io.kestra.plugin.core.log.Log
    message: patching
`,
];

describe('request verification, dedupe and App Home', () => {
  let h: Harness;
  let baseline = 0;
  beforeAll(async () => {
    baseline = openHandleCount();
    h = await startHarness({ flows, notifier: false });
  }, 120_000);
  afterAll(async () => {
    await h?.close();
    expect(await leakedHandles(baseline)).toBe(0); // app server, socket, notifier, worker: all stopped
  });

  const args = (text: string) => ({
    command: '/flow', text, user_id: ALICE, channel_id: CHANNEL, trigger_id: h.slack.triggerId(ALICE), response_url: h.slack.responseUrl(CHANNEL, ALICE),
  });
  const runs = async (vm: string) => (await Promise.all((await h.engine.service.list({ flowId: 'hello' })).map((e) => h.engine.service.execution(e.id))))
    .filter((v) => v.inputs.vm === vm).length;

  it('refuses forged and stale signatures with 401 and runs nothing', async () => {
    const forged = await slashCommand(h.url, SECRET, args('run hello vm=forged'), { forge: true });
    expect(forged.status).toBe(401);
    const stale = await slashCommand(h.url, SECRET, args('run hello vm=stale'), { stale: true });
    expect(stale.status).toBe(401);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await runs('forged')).toBe(0);
    expect(await runs('stale')).toBe(0);
  });

  it('acks a replayed request (valid signature, same bytes) but acts once', async () => {
    const first = await slashCommand(h.url, SECRET, args('run hello vm=once'));
    expect(first.status).toBe(200);
    const copies = await Promise.all([replay(first), replay(first), replay(first)]);
    for (const copy of copies) expect(copy.status).toBe(200);
    await eventually(async () => (await runs('once')) > 0, 8000, 'the run');
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await runs('once')).toBe(1);
    expect(h.logs.filter((l) => l.message.includes('duplicate delivery ignored')).length).toBeGreaterThanOrEqual(3);
  });

  it('answers the Events API handshake', async () => {
    const answer = await urlVerification(h.url, SECRET, 'challenge-123');
    expect(answer.status).toBe(200);
    expect(answer.body).toContain('challenge-123');
  });

  it('publishes the App Home with what waits for the person, and ignores a retried event', async () => {
    const paused = await startFromSlack(h, 'gated');
    const approval = await h.approvalOf(paused.id);
    const published = h.slack.callsTo('views.publish').length;
    const opened = await event(h.url, SECRET, { type: 'app_home_opened', user: BOB, tab: 'home' });
    expect(opened.status).toBe(200);
    await eventually(() => h.slack.homeViews(BOB), 8000, 'the home view');
    const home = JSON.stringify(h.slack.homeViews(BOB)!.blocks);
    expect(home).toContain(`waiting:${approval.id}`);
    expect(home).toContain('approval_approve');
    // Slack's retry of the same event: new timestamp and signature, same event_id.
    const retried = await sendSigned(h.url, SECRET, opened.request.body, 'application/json', { retryNum: 1, retryReason: 'http_timeout' });
    expect(retried.status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(h.slack.callsTo('views.publish').length).toBe(published + 1);
    // Alice sees her run under "Your recent executions", not as something to approve.
    await event(h.url, SECRET, { type: 'app_home_opened', user: ALICE, tab: 'home' });
    await eventually(() => h.slack.homeViews(ALICE), 8000, 'alice home');
    const mine = JSON.stringify(h.slack.homeViews(ALICE)!.blocks);
    expect(mine).toContain(`mine:${paused.id}`);
    expect(mine).not.toContain(`waiting:${approval.id}`);
  });

  it('acks a command at once: the answer comes later through the response_url', async () => {
    const started = performance.now();
    const ack = await slashCommand(h.url, SECRET, args('list'));
    expect(ack.status).toBe(200);
    expect(performance.now() - started).toBeLessThan(1000);
  });
});
