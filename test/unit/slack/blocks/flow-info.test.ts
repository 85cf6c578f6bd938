import { describe, expect, it } from 'vitest';
import type { LogLine } from '../../../../src/service/executions.js';
import { approvalSteps, flowDescribe, flowHelp, flowList, logLines } from '../../../../src/slack/blocks/flow-info.js';
import { blocksToText } from '../../../../src/slack/blocks/blocks-to-text.js';
import { loadFlow, yaml } from './fixtures.js';
import { allTexts, expectValidBlocks } from './validate.js';

const flow = loadFlow(yaml(
  'id: patch',
  'namespace: company.ops',
  'description: "Patch a VM <!channel>\\nSecond line"',
  'inputs:',
  '  - { id: vm, type: STRING, description: The VM }',
  '  - { id: retries, type: INT, defaults: 2, required: false }',
  '  - { id: token, type: SECRET, defaults: hunter2 }',
  '  - { id: owner, type: STRING, defaults: "{{ execution.id }}" }',
  'triggers:',
  '  - { id: nightly, type: io.kestra.plugin.core.trigger.Schedule, cron: "0 2 * * *", timezone: Europe/Paris }',
  'tasks:',
  '  - id: gate',
  '    type: io.kestra.plugin.core.flow.If',
  '    condition: "{{ true }}"',
  '    then:',
  '      - id: approve',
  '        type: io.kestra.plugin.ee.flow.HumanTask',
  '        assignment: { users: [U1], groups: [ops] }',
  '        minApprovals: 2',
  '        onResume: [{ id: window, type: DURATION }]',
  '  - { id: wait, type: io.kestra.plugin.core.flow.Pause }',
  '  - { id: log, type: io.kestra.plugin.core.log.Log, message: hi }',
));

describe('flow-info', () => {
  it('finds approval steps nested anywhere', () => {
    expect(approvalSteps(flow)).toEqual([
      { taskId: 'approve', kind: 'HumanTask', users: ['U1'], groups: ['ops'], minApprovals: 2, asksForInputs: true },
      { taskId: 'wait', kind: 'Pause', users: [], groups: [], minApprovals: 1, asksForInputs: false },
    ]);
  });

  it('describes inputs, schedules and approval steps without revealing secret defaults', () => {
    const { blocks, text } = flowDescribe(flow);
    expectValidBlocks(blocks);
    const out = blocksToText(blocks);
    expect(out).toContain('• `vm` STRING · required — The VM');
    expect(out).toContain('• `retries` INT · optional · default `2`');
    expect(out).toContain('• `token` SECRET · default `***`');
    expect(out).toContain('• `owner` STRING · default `computed`');
    expect(out).toContain('• `nightly` `0 2 * * *` (Europe/Paris)');
    expect(out).toContain('• `approve` HumanTask by U1, @ops, 2 approvals, asks for values');
    expect(out).toContain('• `wait` Pause');
    expect(allTexts(blocks).join()).not.toContain('hunter2');
    expect(allTexts(blocks).join()).not.toContain('<!channel>');
    expect(text).toBe('company.ops.patch: 4 inputs, 2 approval steps');
  });

  it('lists flows sorted, with the first line of their description', () => {
    const { blocks } = flowList([
      { namespace: 'b', id: 'two', description: 'Second <b>\nmore' },
      { namespace: 'a', id: 'one', disabled: true },
    ]);
    expectValidBlocks(blocks);
    expect(blocksToText(blocks)).toContain('`a.one` _(disabled)_\n`b.two` — Second <b>');
    expect(flowList([]).text).toBe('No flows yet.');
  });

  it('packs a long flow list into sections within limits', () => {
    const flows = Array.from({ length: 3000 }, (_, i) => ({ namespace: 'company.ops', id: `flow-${i}`, description: 'd'.repeat(150) }));
    expectValidBlocks(flowList(flows).blocks);
  });

  it('lists commands', () => {
    const { blocks } = flowHelp([{ usage: '/flow run <flow> key=value', description: 'Start a flow' }]);
    expectValidBlocks(blocks);
    expect(blocksToText(blocks)).toContain('`/flow run <flow> key=value` — Start a flow');
  });

  it('shows the last lines of a log in a code block, newest kept', () => {
    const lines: LogLine[] = Array.from({ length: 400 }, (_, i) => ({
      at: `2024-05-06T07:00:${String(i % 60).padStart(2, '0')}.000Z`, level: 'INFO', taskId: 'ssh', attempt: 1, message: `line ${i} <&> ${'x'.repeat(40)}`,
    }));
    const { blocks } = logLines(lines, { last: 200, title: 'Logs of E1' });
    expectValidBlocks(blocks);
    const out = blocksToText(blocks);
    expect(out).toContain('line 399 <&>');
    expect(out).not.toContain('line 150 ');
    expect(out).toContain('Last 200 of 400 lines');
    expect(blocksToText(logLines([]).blocks)).toContain('No log lines.');
    expect(blocksToText(logLines(['plain text line']).blocks)).toContain('plain text line');
  });
});
