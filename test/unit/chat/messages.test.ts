import { describe, expect, it } from 'vitest';
import { approvalsMessage, askInputsMessage, flowPicker, inputErrorsMessage, runLine } from '../../../src/chat/flow-commands/messages.js';
import { tokenize } from '../../../src/chat/command-line.js';
import type { PendingApproval } from '../../../src/service/chat-queries.js';
import { blocksToText } from '../../../src/slack/blocks/blocks-to-text.js';
import { ALL_TYPES, loadFlow, yaml } from '../slack/blocks/fixtures.js';
import { allTexts, expectValidBlocks } from '../slack/blocks/validate.js';

/** The /flow replies src/slack/blocks does not build: valid Block Kit at any size, typed text escaped. */
const flow = loadFlow(yaml(
  'id: hello',
  'namespace: company.ops',
  'inputs:',
  '  - { id: vm, type: STRING, validator: "^[a-z]+$" }',
  '  - { id: env, type: SELECT, expression: "{{ [\'a\'] }}" }',
  '  - { id: note, type: STRING, required: false }',
  'tasks:',
  '  - { id: t, type: io.kestra.plugin.core.log.Log, message: hi }',
));

const approval = (i: number, over: Partial<PendingApproval> = {}): PendingApproval => ({
  approvalId: `A${i}`, executionId: `E${String(i).padStart(21, '0')}`, namespace: 'company.ops', flowId: 'gated', revision: 1, taskId: 'approve',
  taskRunId: `T${i}`, description: 'Patch <!channel> now', requestedBy: 'U0ALICE', createdAt: '2024-01-01T00:00:00Z', expiresAt: null,
  users: ['U0BOB'], groups: [], allowSelfApproval: false, approvals: 1, needed: 2, voters: ['U0CAROL'], ...over,
});

describe('/flow messages', () => {
  it('caps the flow picker under Slack limits, one Run button per flow', () => {
    const flows = Array.from({ length: 80 }, (_, i) => ({ namespace: 'ns', id: `flow-${String(i).padStart(2, '0')}`, description: '<b>x</b>' }));
    const message = flowPicker(flows);
    expectValidBlocks(message.blocks);
    expect(blocksToText(message.blocks)).toContain('…and 32 more');
    expect(allTexts(message.blocks).join('\n')).not.toContain('<b>');
    expect(flowPicker([]).text).toBe('No flows you may run.');
  });

  it('lists missing inputs with types and a run line that tokenizes back to what was given', () => {
    const given = { note: 'two "quoted" words' };
    const message = askInputsMessage(flow, given, [flow.inputs[0]!], {});
    expectValidBlocks(message.blocks);
    const line = runLine(flow, given, [flow.inputs[0]!]);
    expect(line).toBe('/flow run company.ops.hello note="two \\"quoted\\" words" vm=…');
    expect(tokenize(line).map((t) => t.text)).toContain('note=two "quoted" words');
    expect(blocksToText(message.blocks)).toContain('`vm` STRING · must match `^[a-z]+$`');
  });

  it('shows evaluated options, and every input of a big flow within limits', () => {
    expect(blocksToText(askInputsMessage(flow, {}, [], { env: ['a', 'b'] }).blocks)).toContain('`env` SELECT · one of a, b');
    expectValidBlocks(askInputsMessage(ALL_TYPES, {}, ALL_TYPES.inputs, {}).blocks);
  });

  it('names each invalid input and its rule, escaping the values people typed', () => {
    const message = inputErrorsMessage(flow, [
      { inputId: 'vm', value: '<!channel>', rule: 'validator', message: `input 'vm': "<!channel>" does not match ^[a-z]+$` },
      { inputId: 'env', value: null, rule: 'required', message: `input 'env' is required` },
    ], { vm: '<!channel>', note: 'ok' });
    expectValidBlocks(message.blocks);
    const texts = allTexts(message.blocks).join('\n');
    expect(texts).toContain('&lt;!channel&gt;');
    expect(texts).not.toContain('<!channel>');
    const text = blocksToText(message.blocks);
    expect(text).toContain('`vm` — validator: "<!channel>" does not match ^[a-z]+$');
    expect(text).toContain('`env` — required, not given');
    expect(text).toContain('/flow run company.ops.hello note=ok vm=… env=…');
  });

  it('builds approvals with buttons in Slack and commands in the shell, within limits', () => {
    const many = Array.from({ length: 40 }, (_, i) => approval(i));
    const slack = approvalsMessage(many);
    expectValidBlocks(slack.blocks);
    expect(blocksToText(slack.blocks)).toContain('1 of 2 approvals');
    expect(allTexts(slack.blocks).join('\n')).not.toContain('<!channel>');
    const shell = blocksToText(approvalsMessage([approval(1)], { shellHints: true }).blocks);
    expect(shell).toContain(`approve ${approval(1).executionId}`);
    expect(shell).not.toContain('[Approve]');
  });
});
