import { randomInt } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { simulatorSecrets } from '../../../src/service/nutanix-endpoint.js';
import { type Simulator, startSimulator } from '../../../src/sim/index.js';
import { createNotifierClient } from '../../../src/slack/notifier/client.js';
import { createSlackChatPoster } from '../../../src/slack/notifier/report-poster.js';
import { blockAction, stateValue, viewSubmission } from '../../support/slack/index.js';
import { ALICE, BOB, CHANNEL, type Harness, SECRET, approvalMessage, eventually, startFromSlack, startHarness } from '../slack/harness.js';
import { FAST_HEALTH, health } from './support.js';

/**
 * patch-orchestration through the real Slack app: UAT is patched behind a recovery point, the
 * approval request appears in Slack, and an assignee's click decides. Approved: production is
 * patched too and both recovery points are cleaned up. Rejected (with a reason, through the
 * modal): production is never touched and UAT is reverted to its pre-patch state.
 */
const FLOWS = path.resolve(import.meta.dirname, '../../../flows');
const ONCALL = 'C0ONCALL';

describe('patch-orchestration', () => {
  let sim: Simulator;
  let h: Harness;
  beforeAll(async () => {
    sim = await startSimulator({ guests: { addressing: 'auto', loopbackPrefix: `127.${randomInt(1, 255)}.${randomInt(0, 256)}.`, rebootMs: 150 } });
    const flows = await Promise.all(['patch-orchestration', 'patch-vm'].map((name) => readFile(path.join(FLOWS, `${name}.yaml`), 'utf8')));
    h = await startHarness({ flows, engine: { integrations: { nutanix: sim.connection() }, secretDefaults: simulatorSecrets(sim) } });
    h.engine.service.integrations.chat = createSlackChatPoster(createNotifierClient(h.slack.botToken, { slackApiUrl: h.slack.apiUrl }));
  }, 60_000);
  afterAll(async () => {
    await h?.close();
    await sim?.stop();
  });

  const inputs = { approvers: [BOB], notifyChannel: ONCALL, ...FAST_HEALTH };
  const guestOf = (name: string) => sim.guests!.state(sim.vm(name)!.extId)!;
  const rpsOf = (name: string) => sim.recoveryPoints().filter((rp) => rp.vmRecoveryPoints.some((vrp) => vrp.vmExtId === sim.vm(name)!.extId));

  async function press(executionId: string, actionId: 'approval_approve' | 'approval_reject') {
    const approval = await h.approvalOf(executionId);
    const message = await eventually(() => approvalMessage(h, approval.id), 8000, 'the approval request in Slack');
    const response = await blockAction(h.url, SECRET, {
      user: BOB,
      channel: CHANNEL,
      message,
      trigger_id: h.slack.triggerId(BOB),
      response_url: h.slack.responseUrl(CHANNEL, BOB, { messageTs: message.ts }),
      actions: [{ action_id: actionId, block_id: 'approval', value: approval.id }],
    });
    expect(response.status).toBe(200);
  }

  /** Slack requests are acknowledged first and applied afterwards: wait until the decision was. */
  const decided = (executionId: string) => eventually(async () => (await h.approvalOf(executionId)).state !== 'PENDING', 8000, 'the decision to be applied');

  it('patches UAT, waits for the approval clicked in Slack, then patches production', async () => {
    const paused = await startFromSlack(h, 'patch-orchestration', inputs, ALICE);
    expect(paused.state, paused.error ?? '').toBe('PAUSED');
    expect(guestOf('uat-web-01').lastPatchedAt).toBeDefined();
    expect(guestOf('prod-web-01').lastPatchedAt).toBeUndefined(); // nothing touches production before the approval
    expect(rpsOf('uat-web-01')).toHaveLength(1);

    await press(paused.id, 'approval_approve');
    await decided(paused.id);
    const done = await h.engine.service.settle(paused.id, 50);
    expect(done.state, done.error ?? '').toBe('SUCCESS');
    expect(done.outputs).toEqual({ uat: 'patched', production: 'patched' });
    expect(guestOf('prod-web-01').lastPatchedAt).toBeDefined();
    expect(rpsOf('uat-web-01')).toHaveLength(0);
    expect(rpsOf('prod-web-01')).toHaveLength(0);
    const summary = h.slack.messages(ONCALL).map((m) => m.text ?? '').find((text) => text.includes(`Patch orchestration ${paused.id}`));
    expect(summary).toContain('UAT uat-web-01 patched');
    expect(summary).toContain('production prod-web-01 patched');
  }, 90_000);

  it('on a rejection leaves production alone and reverts UAT', async () => {
    // Production as it is now (patched by the previous test): a rejection must not change it.
    const prodBefore = guestOf('prod-web-01');
    const paused = await startFromSlack(h, 'patch-orchestration', inputs, ALICE);
    expect(paused.state, paused.error ?? '').toBe('PAUSED');
    const uatPatchedAt = guestOf('uat-web-01').lastPatchedAt;

    const views = h.slack.views().length;
    await press(paused.id, 'approval_reject');
    await eventually(() => h.slack.views().length > views, 8000, 'the reject modal');
    const view = h.slack.views().at(-1)!;
    const submitted = await viewSubmission(h.url, SECRET, { user: BOB, view: { ...view, state: { values: { _reason: { value: stateValue.text('change freeze') } } } } });
    expect(submitted.status).toBe(200);
    await decided(paused.id);

    const done = await h.engine.service.settle(paused.id, 50);
    expect(done.state).toBe('FAILED');
    expect(done.error).toContain('change freeze');
    expect(done.outputs).toEqual({ uat: 'rolled_back', production: 'skipped' });
    const states = Object.fromEntries(done.taskRuns.map((run) => [run.taskId, run.state]));
    expect(states).toMatchObject({ restore_uat: 'SUCCESS' });
    expect(states.find_prod).toBeUndefined();
    // UAT's disk is the one from before this run's patch; production is exactly as it was.
    expect(guestOf('uat-web-01').lastPatchedAt).not.toBe(uatPatchedAt);
    expect(guestOf('prod-web-01')).toEqual(prodBefore);
    // The revert rebooted the guest: it answers again once the reboot is over.
    await eventually(async () => (await health(sim.guests!.endpoint(sim.vm('uat-web-01')!.extId)!.healthUrl)) === 200, 8000, 'UAT healthy again');
    const summary = h.slack.messages(ONCALL).map((m) => m.text ?? '').find((text) => text.includes(`Patch orchestration ${paused.id}`));
    expect(summary).toContain('UAT uat-web-01 rolled back');
    expect(summary).toContain('production prod-web-01 not patched');
  }, 90_000);
});
