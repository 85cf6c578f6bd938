import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { leakedHandles, openHandleCount } from '../../support/handles.js';
import { policyFromDocument } from '../../../src/policy/policy.js';
import { type RecordedResponse, type StoredMessage, blockAction, stateValue, viewSubmission } from '../../support/slack/index.js';
import { ALICE, BOB, CAROL, CHANNEL, GROUPS, type Harness, OUTSIDER, SECRET, USERS, approvalMessage, eventually, startFromSlack, startHarness } from './harness.js';

/** Approve / Reject buttons and the decision forms, against the engine's exactly-once decisions. */
const CROWD = Array.from({ length: 20 }, (_, i) => `UCROWD${String(i).padStart(2, '0')}`);

const flows = [
  `
id: single
namespace: company.ops
tasks:
  - id: approve
    type: io.kestra.plugin.ee.flow.HumanTask
    description: Patch production
    assignment:
      users: [${BOB}]
      groups: [platform-oncall]
  - id: patch
    type: io.kestra.plugin.core.log.Log
    message: patching
`,
  `
id: quorum
namespace: company.ops
tasks:
  - id: approve
    type: io.kestra.plugin.ee.flow.HumanTask
    assignment:
      users: [${BOB}, ${CAROL}]
    minApprovals: 2
  - id: patch
    type: io.kestra.plugin.core.log.Log
    message: patching
`,
  `
id: crowd
namespace: company.ops
tasks:
  - id: approve
    type: io.kestra.plugin.ee.flow.HumanTask
    assignment:
      groups: [crowd]
  - id: patch
    type: io.kestra.plugin.core.log.Log
    message: patching
`,
  `
id: ticketed
namespace: company.ops
tasks:
  - id: wait
    type: io.kestra.plugin.core.flow.Pause
    onResume:
      - id: ticket
        type: STRING
        validator: ^CHG[0-9]+$
  - id: after
    type: io.kestra.plugin.core.debug.Return
    format: "{{ outputs.wait.onResume.ticket }}"
`,
];

describe('approvals from Slack', () => {
  let h: Harness;
  let baseline = 0;
  beforeAll(async () => {
    baseline = openHandleCount();
    h = await startHarness({
      flows,
      // Unassigned pauses are open to whoever may run the flow: here, bob only.
      policy: policyFromDocument({ run: [{ flows: ['*'], users: [BOB], groups: [], channels: [], anyone: false, requester: false }] }, 'test-policy.yaml'),
      users: [...USERS, ...CROWD.map((id) => ({ id, name: id.toLowerCase() }))],
      groups: [...GROUPS, { id: 'S0CROWD', handle: 'crowd', users: CROWD }],
    });
  }, 120_000);
  afterAll(async () => {
    await h?.close();
    expect(await leakedHandles(baseline)).toBe(0); // app server, socket, notifier, worker: all stopped
  });

  /** Waits for the notifier's request message, then clicks its button as `user`. */
  async function click(approvalId: string, user: string, actionId = 'approval_approve', pressed?: StoredMessage) {
    // A decided message has no buttons left: a late click presses the copy the person still sees.
    const message = pressed ?? (await eventually(() => approvalMessage(h, approvalId), 8000, 'the approval message'));
    const responseUrl = h.slack.responseUrl(CHANNEL, user, { messageTs: message.ts });
    const response = await blockAction(h.url, SECRET, {
      user,
      channel: CHANNEL,
      message,
      trigger_id: h.slack.triggerId(user),
      response_url: responseUrl,
      actions: [{ action_id: actionId, block_id: 'approval', value: approvalId }],
    });
    expect(response.status).toBe(200);
    expect(response.body).toBe('');
    const id = responseUrl.slice(responseUrl.lastIndexOf('/') + 1);
    return { message, answer: () => h.slack.waitForResponse((r: RecordedResponse) => r.id === id, 8000) };
  }

  const text = (r: RecordedResponse): string => JSON.stringify(r.body);

  it('applies an assignee approval, tells them, and updates the request message', async () => {
    const paused = await startFromSlack(h, 'single');
    expect(paused.state).toBe('PAUSED');
    const approval = await h.approvalOf(paused.id);
    const { message, answer } = await click(approval.id, BOB);
    expect(text(await answer())).toContain('You approved');
    expect((await h.engine.service.settle(paused.id, 50)).state).toBe('SUCCESS');
    await eventually(() => JSON.stringify(h.slack.message(CHANNEL, message.ts)?.blocks).includes('Approved'), 8000, 'the decided message');
    expect(JSON.stringify(h.slack.message(CHANNEL, message.ts)?.blocks)).not.toContain('approval_approve');
  });

  it('refuses an outsider and the requester privately, changes nothing, and audits both', async () => {
    const paused = await startFromSlack(h, 'single');
    const approval = await h.approvalOf(paused.id);
    const outsider = await click(approval.id, OUTSIDER);
    expect(text(await outsider.answer())).toMatch(/not an assignee/);
    expect((await outsider.answer()).effect).toBe('ephemeral');
    const requester = await click(approval.id, ALICE);
    expect(text(await requester.answer())).toMatch(/may not approve/);
    expect((await h.engine.service.execution(paused.id)).state).toBe('PAUSED');
    const audited = await h.engine.service.database.rows<{ actor: string }>(
      sql`select actor from audit_log where action = 'decision.refused' and subject_id = ${paused.id} order by id`,
    );
    expect(audited.map((row) => row.actor)).toEqual([OUTSIDER, ALICE]);
    // A group member (carol is in platform-oncall) may decide.
    const member = await click(approval.id, CAROL);
    expect(text(await member.answer())).toContain('You approved');
  });

  it('collects a quorum of two distinct approvers', async () => {
    const paused = await startFromSlack(h, 'quorum');
    const approval = await h.approvalOf(paused.id);
    const first = await click(approval.id, BOB);
    expect(text(await first.answer())).toContain('1 of 2');
    expect((await h.engine.service.execution(paused.id)).state).toBe('PAUSED');
    const again = await click(approval.id, BOB);
    expect(text(await again.answer())).toMatch(/already voted/);
    const second = await click(approval.id, CAROL);
    expect(text(await second.answer())).toContain('You approved');
    expect((await h.engine.service.settle(paused.id, 50)).state).toBe('SUCCESS');
  });

  it('applies one decision out of 20 concurrent clicks; the others are told who decided', async () => {
    const paused = await startFromSlack(h, 'crowd');
    const approval = await h.approvalOf(paused.id);
    await eventually(() => approvalMessage(h, approval.id), 8000, 'the approval message');
    const clicks = await Promise.all(CROWD.map((user) => click(approval.id, user)));
    const answers = await Promise.all(clicks.map((c) => c.answer()));
    const winners = answers.filter((a) => text(a).includes('You approved'));
    expect(winners).toHaveLength(1);
    const winner = winners[0]!.user;
    const losers = answers.filter((a) => a !== winners[0]);
    expect(losers).toHaveLength(19);
    for (const loser of losers) expect(text(loser)).toContain(`already approved by <@${winner}>`);
    const applied = await h.engine.service.database.rows<{ n: number }>(
      sql`select count(*)::int as n from audit_log where action = 'decision.approve' and subject_id = ${paused.id}`,
    );
    expect(applied[0]?.n).toBe(1);
    expect((await h.engine.service.settle(paused.id, 50)).state).toBe('SUCCESS');
  });

  it('asks for onResume values in a modal, shows invalid ones inline, resumes with valid ones', async () => {
    const paused = await startFromSlack(h, 'ticketed');
    const approval = await h.approvalOf(paused.id);
    const before = h.slack.views().length;
    await click(approval.id, BOB);
    await eventually(() => h.slack.views().length > before, 8000, 'the resume modal');
    const view = h.slack.views().at(-1)!;
    expect(view.callback_id).toBe('flow_resume');
    const bad = await viewSubmission(h.url, SECRET, { user: BOB, view: { ...view, state: { values: { ticket: { value: stateValue.text('nope') } } } } });
    expect(bad.json).toMatchObject({ response_action: 'errors', errors: { ticket: expect.stringContaining('CHG') } });
    expect((await h.engine.service.execution(paused.id)).state).toBe('PAUSED');
    const good = await viewSubmission(h.url, SECRET, { user: BOB, view: { ...view, state: { values: { ticket: { value: stateValue.text('CHG123') } } } } });
    expect(good.status).toBe(200);
    expect(good.body).toBe('');
    const done = await h.engine.service.settle(paused.id, 50);
    expect(done.state).toBe('SUCCESS');
    expect(done.taskRuns.find((r) => r.taskId === 'after')?.outputs).toEqual({ value: 'CHG123' });
  });

  it('refuses the resume of an unassigned pause to someone the policy does not let run the flow', async () => {
    const paused = await startFromSlack(h, 'ticketed');
    const approval = await h.approvalOf(paused.id);
    const before = h.slack.views().length;
    await click(approval.id, OUTSIDER);
    await eventually(() => h.slack.views().length > before, 8000, 'the resume modal');
    const view = h.slack.views().at(-1)!;
    const submitted = await viewSubmission(h.url, SECRET, { user: OUTSIDER, view: { ...view, state: { values: { ticket: { value: stateValue.text('CHG9') } } } } });
    expect(submitted.json).toMatchObject({ response_action: 'update' });
    expect(JSON.stringify(submitted.json)).toMatch(/policy does not let you run it/);
    expect((await h.engine.service.execution(paused.id)).state).toBe('PAUSED');
    const audited = await h.engine.service.database.rows<{ actor: string }>(sql`select actor from audit_log where action = 'policy.refused' and subject_id = ${paused.id}`);
    expect(audited.map((row) => row.actor)).toEqual([OUTSIDER]);
  });

  it('rejects with a reason given in the reject modal', async () => {
    const paused = await startFromSlack(h, 'single');
    const approval = await h.approvalOf(paused.id);
    const before = h.slack.views().length;
    const { message } = await click(approval.id, BOB, 'approval_reject');
    await eventually(() => h.slack.views().length > before, 8000, 'the reject modal');
    const view = h.slack.views().at(-1)!;
    expect(view.callback_id).toBe('flow_reject');
    const submitted = await viewSubmission(h.url, SECRET, { user: BOB, view: { ...view, state: { values: { _reason: { value: stateValue.text('not during the freeze') } } } } });
    expect(submitted.body).toBe('');
    const done = await h.engine.service.settle(paused.id, 50);
    expect(done.state).toBe('FAILED');
    const decided = await h.approvalOf(paused.id);
    expect(decided).toMatchObject({ state: 'REJECTED', decidedBy: BOB, reason: 'not during the freeze' });
    // A late click on the (stale) Approve button is told who decided.
    const late = await click(approval.id, CAROL, 'approval_approve', message);
    expect(text(await late.answer())).toMatch(/already rejected by <@UBOB>.*not during the freeze/);
  });
});
