import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { leakedHandles, openHandleCount } from '../../support/handles.js';
import { socketPayloads, stateValue } from '../../support/slack/index.js';
import { ALICE, CHANNEL, type Harness, eventually, startHarness } from './harness.js';

/** The same listeners through Socket Mode: envelopes over the emulator's WebSocket, acks by envelope_id. */
const flows = [
  `
id: hello
namespace: company.ops
inputs:
  - id: vm
    type: STRING
    validator: ^[a-z0-9-]+$
tasks:
  - id: announce
    type: io.kestra.plugin.core.log.Log
    message: "hello {{ inputs.vm }}"
`,
];

describe('Socket Mode', () => {
  let h: Harness;
  let baseline = 0;
  beforeAll(async () => {
    baseline = openHandleCount();
    h = await startHarness({ flows, mode: 'socket', notifier: false });
  }, 120_000);
  afterAll(async () => {
    await h?.close();
    expect(await leakedHandles(baseline)).toBe(0); // app server, socket, notifier, worker: all stopped
  });

  const command = (text: string) => socketPayloads.slashCommand({
    command: '/flow', text, user_id: ALICE, channel_id: CHANNEL, trigger_id: h.slack.triggerId(ALICE), response_url: h.slack.responseUrl(CHANNEL, ALICE),
  });

  it('runs a flow from a slash command envelope, and ignores the redelivered envelope', async () => {
    const envelope = command('run hello vm=sock-01');
    expect(await h.slack.socket.send(envelope.type, envelope.payload)).toBeUndefined(); // a bare ack
    const [run] = await eventually(async () => {
      const list = await h.engine.service.list({ flowId: 'hello' });
      return list.length ? list : undefined;
    }, 8000, 'the run');
    expect((await h.engine.service.settle(run!.id, 50)).inputs).toEqual({ vm: 'sock-01' });
    // The same payload again (a redelivery after a reconnect): acked, not run twice.
    await h.slack.socket.send(envelope.type, envelope.payload);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await h.engine.service.list({ flowId: 'hello' })).toHaveLength(1);
  });

  it('answers a view submission in the envelope ack (response_action errors)', async () => {
    const open = command('run hello');
    await h.slack.socket.send(open.type, open.payload);
    await eventually(() => h.slack.views().length > 0, 8000, 'the run modal');
    const view = h.slack.views().at(-1)!;
    const submit = socketPayloads.viewSubmission({ user: ALICE, view: { ...view, state: { values: { vm: { value: stateValue.text('Bad VM') } } } } });
    const ack = await h.slack.socket.send(submit.type, submit.payload);
    expect(ack).toMatchObject({ response_action: 'errors', errors: { vm: expect.any(String) } });
  });

  it('serves /healthz on PORT in Socket Mode too', async () => {
    const health = await fetch(`${h.base}/healthz`);
    expect(health.status).toBe(200);
  });
});
