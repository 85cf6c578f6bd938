import { describe, expect, it } from 'vitest';
import {
  APPROVE_ACTION_ID,
  REJECT_ACTION_ID,
  approvalDecided,
  approvalReminder,
  approvalRequest,
  type ApprovalRequestInfo,
} from '../../../../src/slack/blocks/approval-message.js';
import { blocksToText } from '../../../../src/slack/blocks/blocks-to-text.js';
import { allTexts, expectValidBlocks } from './validate.js';

type Node = Record<string, unknown>;
const byId = (blocks: unknown[], id: string): Node | undefined => (blocks as Node[]).find((b) => b.block_id === id);

const request: ApprovalRequestInfo = {
  executionId: 'E1', approvalId: 'A1', taskId: 'approve_prod', flow: 'company.ops.patch', description: 'Patch prod-web-01 <!channel>',
  requestedBy: 'U0REQ', inputs: { vm: 'prod-web-01', token: '***' }, previousOutputs: { snapshot: { id: 'snap-1' } },
  expiresAt: '2024-05-06T18:00:00Z', assignees: ['U0A', 'alice@example.com'], groups: ['platform-oncall', 'S0GRP'],
  approvals: 0, needed: 1, hasResumeInputs: false,
};

describe('approvalRequest', () => {
  it('has Approve and Reject buttons carrying the approval id, Reject behind a confirm dialog', () => {
    const { blocks } = approvalRequest(request);
    expectValidBlocks(blocks);
    const [approve, reject] = byId(blocks, 'approval')!.elements as Node[];
    expect(approve).toMatchObject({ action_id: APPROVE_ACTION_ID, value: 'A1', style: 'primary', text: { text: 'Approve' } });
    expect(reject).toMatchObject({ action_id: REJECT_ACTION_ID, value: 'A1', style: 'danger', confirm: { style: 'danger', confirm: { text: 'Reject' } } });
    expect(APPROVE_ACTION_ID).toBe('approval_approve');
    expect(REJECT_ACTION_ID).toBe('approval_reject');
  });

  it('names the step, requester, approvers and expiry, escaping flow text', () => {
    const { blocks, text } = approvalRequest(request);
    const head = (byId(blocks, 'request')!.text as Node).text as string;
    expect(head).toBe(':raised_hand: *Approval needed* for `company.ops.patch` step `approve_prod`\nRequested by <@U0REQ>\nPatch prod-web-01 &lt;!channel&gt;');
    const meta = JSON.stringify(byId(blocks, 'meta'));
    expect(meta).toContain('Approvers: <@U0A>, alice@example.com, @platform-oncall, <!subteam^S0GRP>');
    expect(meta).toContain('expires <!date^');
    expect((byId(blocks, 'inputs')!.fields as Node[]).map((f) => f.text)).toEqual(['*vm*\nprod-web-01', '*token*\n***']);
    expect((byId(blocks, 'outputs')!.text as Node).text).toContain('"snap-1"');
    expect(text).toBe('Approval needed: company.ops.patch step approve_prod (requested by <@U0REQ>)');
    expect(allTexts(blocks).join()).not.toContain('<!channel>');
  });

  it('shows progress only when more than one approval is needed', () => {
    expect(byId(approvalRequest(request).blocks, 'progress')).toBeUndefined();
    const { blocks, text } = approvalRequest({ ...request, approvals: 1, needed: 2 });
    expect(JSON.stringify(byId(blocks, 'progress'))).toContain('1 of 2 approvals');
    expect(text).toContain('1 of 2 approvals');
  });

  it('says Approve opens a form when the step asks for values', () => {
    const { blocks } = approvalRequest({ ...request, hasResumeInputs: true });
    expect(((byId(blocks, 'approval')!.elements as Node[])[0]!.text as Node).text).toBe('Approve…');
  });

  it('stays within limits with huge descriptions and outputs', () => {
    const { blocks } = approvalRequest({
      ...request, description: 'd'.repeat(10_000), previousOutputs: { big: 'o'.repeat(10_000) },
      inputs: Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`i${i}`, 'v'.repeat(3000)])),
    });
    expectValidBlocks(blocks);
  });
});

describe('approvalDecided', () => {
  it('removes the buttons and says who decided, when, and why', () => {
    const { blocks, text } = approvalDecided({ ...request, outcome: 'APPROVED', by: 'U0A', at: '2024-05-06T14:05:00Z', reason: 'go <!here>' });
    expectValidBlocks(blocks);
    expect((blocks as unknown as Node[]).some((b) => b.type === 'actions')).toBe(false);
    const decision = (byId(blocks, 'decision')!.text as Node).text as string;
    expect(decision).toMatch(/^:white_check_mark: \*Approved\* by <@U0A> <!date\^1715004300\^.*\|2024-05-06 at 14:05 UTC> — go &lt;!here&gt;$/);
    expect(text).toBe('Approved by <@U0A>: company.ops.patch step approve_prod — go &lt;!here&gt;');
    expect(blocksToText(blocks)).toContain('✔ *Approved* by <@U0A> 2024-05-06 at 14:05 UTC — go <!here>');
  });

  it('tells an expiry apart, with what the flow does next', () => {
    const { blocks } = approvalDecided({ ...request, outcome: 'EXPIRED', at: '2024-05-06T18:00:00Z', behavior: 'FAIL' });
    const decision = (byId(blocks, 'decision')!.text as Node).text as string;
    expect(decision).toMatch(/^:hourglass: \*Expired\* <!date/);
    expect(decision).toContain('The flow goes on as `FAIL`.');
    for (const outcome of ['REJECTED', 'CANCELLED'] as const) {
      expectValidBlocks(approvalDecided({ ...request, outcome, by: 'U0A', at: 'x' }).blocks);
    }
  });
});

describe('approvalReminder', () => {
  it('mentions the assignees, how long it waited and the progress', () => {
    const { blocks, text } = approvalReminder({ ...request, approvals: 1, needed: 2, since: '2024-05-06T12:00:00Z', now: new Date('2024-05-06T14:30:00Z') });
    expectValidBlocks(blocks);
    expect(text).toBe('Reminder: <@U0A>, alice@example.com, @platform-oncall, <!subteam^S0GRP>, company.ops.patch step approve_prod is waiting for your approval');
    const line = (byId(blocks, 'reminder')!.text as Node).text as string;
    expect(line).toContain('is still waiting for approval (2h 30m), 1 of 2 approvals so far');
  });
});
