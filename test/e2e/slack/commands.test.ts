import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { leakedHandles, openHandleCount } from '../../support/handles.js';
import { slashCommand, stateValue, viewSubmission } from '../../support/slack/index.js';
import { policyFromDocument } from '../../../src/policy/policy.js';
import { ALICE, BOB, CHANNEL, type Harness, SECRET, eventually, startHarness } from './harness.js';

/** Slash commands and the run modal through the real HTTP receiver, with signed requests. */
const flows = [
  `
id: hello
namespace: company.ops
inputs:
  - id: vm
    type: STRING
    validator: ^[a-z0-9-]+$
  - id: count
    type: INT
    defaults: 1
tasks:
  - id: announce
    type: io.kestra.plugin.core.log.Log
    message: "hello {{ inputs.vm }} x{{ inputs.count }}"
`,
  `
id: sleepy
namespace: company.ops
tasks:
  - id: nap
    type: io.kestra.plugin.core.flow.Sleep
    duration: PT5M
`,
];

describe('slash commands and the run modal', () => {
  let h: Harness;
  let baseline = 0;
  beforeAll(async () => {
    baseline = openHandleCount();
    // Anyone may run; only the person who started an execution may kill it.
    const policy = policyFromDocument({ kill: [{ flows: ['*'], users: [], groups: [], channels: [], anyone: false, requester: true }] }, 'test-policy.yaml');
    h = await startHarness({ flows, policy });
  }, 120_000);
  afterAll(async () => {
    await h?.close();
    expect(await leakedHandles(baseline)).toBe(0); // app server, socket, notifier, worker: all stopped
  });

  const command = (text: string, user = ALICE) =>
    slashCommand(h.url, SECRET, { command: '/flow', text, user_id: user, channel_id: CHANNEL, trigger_id: h.slack.triggerId(user), response_url: h.slack.responseUrl(CHANNEL, user) });

  it('runs a flow with arguments: empty ack at once, ephemeral confirmation, status message in the channel', async () => {
    const sent = Date.now();
    const ack = await command('run hello vm=web-01 count=3');
    expect(ack.status).toBe(200);
    expect(ack.body).toBe('');
    const reply = await h.slack.waitForResponse((r) => r.user === ALICE && r.time >= sent, 8000);
    expect(reply.effect).toBe('ephemeral');
    const [execution] = await h.engine.service.list({ flowId: 'hello' });
    expect(execution).toMatchObject({ createdBy: ALICE });
    const view = await h.engine.service.settle(execution!.id, 50);
    expect(view.state).toBe('SUCCESS');
    expect(view.inputs).toEqual({ vm: 'web-01', count: 3 });
    // The notifier follows the chat origin into the channel the command came from.
    await h.slack.waitFor((c) => c.method === 'chat.postMessage' && c.ok && c.args.channel === CHANNEL, 8000);
  });

  it('opens the run modal for `/flow run <flow>` alone, and starts the run on submit', async () => {
    const before = h.slack.views().length;
    await command('run hello');
    const open = await h.slack.waitFor((c) => c.method === 'views.open' && c.ok && h.slack.views().length > before, 8000);
    const view = h.slack.views().at(-1)!;
    expect(open.ok).toBe(true);
    expect(view.callback_id).toBe('flow_run');
    expect(view.blocks.filter((b) => b.type === 'input').map((b) => b.block_id)).toEqual(['vm', 'count']);

    const submitted = await viewSubmission(h.url, SECRET, {
      user: ALICE,
      view: { ...view, state: { values: { vm: { value: stateValue.text('db-02') }, count: { value: { type: 'number_input', value: '2' } } } } },
    });
    expect(submitted.status).toBe(200);
    expect(submitted.body).toBe(''); // closes the modal
    // The ack came after the start (its errors would have been in it): the run exists now.
    const [newest] = await h.engine.service.list({ flowId: 'hello', limit: 1 });
    const settled = await h.engine.service.settle(newest!.id, 50);
    await h.slack.waitFor((c) => c.method === 'chat.postEphemeral' && c.ok && c.args.user === ALICE && String(c.args.text).includes(newest!.id), 8000);
    expect(settled.inputs).toEqual({ vm: 'db-02', count: 2 });
  });

  it('answers invalid modal values with response_action errors under the field, and starts nothing', async () => {
    await command('run hello');
    await h.slack.waitFor((c) => c.method === 'views.open' && c.ok && h.slack.views().length > 1, 8000);
    const view = h.slack.views().at(-1)!;
    const count = (await h.engine.service.list({ flowId: 'hello' })).length;
    const submitted = await viewSubmission(h.url, SECRET, {
      user: ALICE,
      view: { ...view, state: { values: { vm: { value: stateValue.text('Not Valid!') }, count: { value: { type: 'number_input', value: '1' } } } } },
    });
    expect(submitted.status).toBe(200);
    expect(submitted.json).toMatchObject({ response_action: 'errors', errors: { vm: expect.stringMatching(/\^\[a-z0-9-\]\+\$/) } });
    expect((await h.engine.service.list({ flowId: 'hello' })).length).toBe(count);
  });

  it('kills a running execution with /flow kill, as the policy allows (the requester, not others)', async () => {
    const id = await h.engine.service.start('sleepy', {}, { as: ALICE });
    await eventually(async () => (await h.engine.service.execution(id)).state === 'RUNNING', 8000, 'RUNNING');
    const refusedAt = Date.now();
    await command(`kill ${id}`, BOB);
    const refusal = await h.slack.waitForResponse((r) => r.user === BOB && r.time >= refusedAt, 8000);
    expect(JSON.stringify(refusal.body)).toMatch(/may not kill/);
    expect((await h.engine.service.execution(id)).state).toBe('RUNNING');
    const sent = Date.now();
    await command(`kill ${id}`);
    await h.slack.waitForResponse((r) => r.user === ALICE && r.time >= sent, 8000);
    const view = await eventually(async () => {
      const v = await h.engine.service.execution(id);
      return v.state === 'KILLED' ? v : undefined;
    }, 10000, 'KILLED');
    expect(view.state).toBe('KILLED');
  });

  it('serves /healthz: 200 with the database and worker up, 503 when the worker is down', async () => {
    const ok = await fetch(`${h.base}/healthz`);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ status: 'ok', database: 'ok', worker: 'running' });
    h.workerUp.value = false;
    try {
      const down = await fetch(`${h.base}/healthz`);
      expect(down.status).toBe(503);
      expect(await down.json()).toMatchObject({ status: 'unavailable', worker: 'stopped' });
    } finally {
      h.workerUp.value = true;
    }
  });
});
