import { describe, expect, it } from 'vitest';
import type { ExecutionSummary } from '../../../../src/service/executions.js';
import { LOGS_ACTION_ID, STATUS_ACTION_ID, homeView, type HomeApproval } from '../../../../src/slack/blocks/home.js';
import { blocksToText } from '../../../../src/slack/blocks/blocks-to-text.js';
import { LIMITS } from '../../../../src/slack/blocks/text.js';
import { allTexts, expectValidBlocks } from './validate.js';

type Node = Record<string, unknown>;
const now = new Date('2024-05-06T08:00:00Z');
const summary = (id: string, over: Partial<ExecutionSummary> = {}): ExecutionSummary => ({
  id, namespace: 'company.ops', flowId: 'patch', state: 'RUNNING', createdBy: 'U0ME', createdAt: '2024-05-06T07:58:00Z', endedAt: null, ...over,
});
const approval = (id: string): HomeApproval => ({
  approvalId: id, executionId: `E-${id}`, namespace: 'company.ops', flowId: 'patch', taskId: 'gate', description: 'Reboot <!channel>?',
  requestedBy: 'U0OTHER', createdAt: '2024-05-06T07:00:00Z', approvals: 1, needed: 2,
});

describe('homeView', () => {
  it('is a home view whose rows carry status and logs buttons valued with the execution id', () => {
    const view = homeView({ waiting: [approval('A1')], mine: [summary('E1', { state: 'SUCCESS', endedAt: '2024-05-06T07:59:00Z' })], running: [summary('E2')], now });
    expect(view.type).toBe('home');
    expectValidBlocks(view.blocks, LIMITS.viewBlocks);
    const actions = (view.blocks as unknown as Node[]).filter((b) => b.type === 'actions');
    const mine = actions.find((b) => b.block_id === 'mine:E1:actions')!.elements as Node[];
    expect(mine).toEqual([
      expect.objectContaining({ action_id: STATUS_ACTION_ID, value: 'E1' }),
      expect.objectContaining({ action_id: LOGS_ACTION_ID, value: 'E1' }),
    ]);
    const waiting = actions.find((b) => b.block_id === 'waiting:A1:actions')!.elements as Node[];
    expect(waiting.map((e) => [e.action_id, e.value])).toEqual([
      ['approval_approve', 'A1'], ['approval_reject', 'A1'], ['execution_status', 'E-A1'], ['execution_logs', 'E-A1'],
    ]);
    expect(STATUS_ACTION_ID).toBe('execution_status');
    expect(LOGS_ACTION_ID).toBe('execution_logs');
  });

  it('shows progress and escapes descriptions', () => {
    const view = homeView({ waiting: [approval('A1')], mine: [], running: [], now });
    const texts = allTexts(view.blocks).join('\n');
    expect(texts).toContain('1 of 2 approvals');
    expect(texts).toContain('Reboot &lt;!channel&gt;?');
    expect(texts).not.toContain('<!channel>');
  });

  it('says so when a list is empty', () => {
    const out = blocksToText(homeView({ waiting: [], mine: [], running: [], now }).blocks);
    expect(out).toContain('Nothing is waiting for you.');
    expect(out).toContain('Nothing is running.');
  });

  it('stays under 100 blocks and counts what it leaves out, listing an item once', () => {
    const many = Array.from({ length: 80 }, (_, i) => summary(`E${i}`));
    const view = homeView({ waiting: Array.from({ length: 40 }, (_, i) => approval(`A${i}`)), mine: [...many, ...many], running: many, now, limit: 50 });
    expectValidBlocks(view.blocks, LIMITS.viewBlocks);
    expect(allTexts(view.blocks).join('\n')).toContain('…and 66 more');
  });
});
