import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../../../../src/errors.js';
import { resolveInputs } from '../../../../src/flow/inputs.js';
import {
  buildRejectModal,
  buildResumeModal,
  onResumeDeclarations,
  parseDecisionMetadata,
  readReason,
  readResumeModal,
} from '../../../../src/slack/blocks/decision-modals.js';
import { loadFlow, noRender, submit, yaml } from './fixtures.js';
import { expectValidModal } from './validate.js';

type Node = Record<string, unknown>;

const flow = loadFlow(yaml(
  'id: patch',
  'namespace: company.ops',
  'tasks:',
  '  - id: gate',
  '    type: io.kestra.plugin.ee.flow.HumanTask',
  '    description: Patch <!channel> now?',
  '    assignment: { users: [U111] }',
  '    onResume:',
  '      - { id: window, type: DURATION, defaults: PT1H }',
  '      - { id: notes, type: STRING, required: false }',
  '      - { id: reboot, type: BOOL }',
));
const gate = flow.tasks[0]!;

describe('buildResumeModal', () => {
  const inputs = onResumeDeclarations(gate);
  const view = buildResumeModal({
    executionId: 'E1', approvalId: 'A1', taskId: 'gate', flow: 'company.ops.patch', description: String(gate.description),
    inputs, decision: 'approve', withReason: true,
  });

  it('is a valid modal with the onResume inputs and an optional comment', () => {
    expectValidModal(view as unknown as Node);
    expect(view.callback_id).toBe('flow_resume');
    expect(parseDecisionMetadata(view.private_metadata!)).toEqual({ executionId: 'E1', approvalId: 'A1', decision: 'approve' });
    expect((view.blocks as unknown as Node[]).map((b) => b.block_id)).toEqual(['_intro', 'window', 'notes', 'reboot', '_reason']);
    expect(view.submit?.text).toBe('Approve');
    expect(JSON.stringify(view.blocks[0])).toContain('&lt;!channel&gt;');
  });

  it('reads values the engine accepts, and the comment', async () => {
    const read = readResumeModal(inputs, submit(view, { notes: 'ok <!here>', reboot: true, _reason: '  looks good ' }));
    expect(read).toEqual({ inputs: { window: 'PT1H', notes: 'ok <!here>', reboot: true }, reason: 'looks good' });
    const { values, errors } = await resolveInputs(inputs, read.inputs, noRender);
    expect(errors).toEqual([]);
    expect(values).toEqual({ window: 'PT1H', notes: 'ok <!here>', reboot: true });
  });

  it('says resume for a plain Pause and leaves approvalId out when there is none', () => {
    const pause = buildResumeModal({ executionId: 'E2', taskId: 'wait', inputs: [] });
    expect(pause.title.text).toBe('Resume wait');
    expect(JSON.parse(pause.private_metadata!)).toEqual({ executionId: 'E2', decision: 'resume' });
    expect(pause.blocks).toHaveLength(1);
  });

  it('reads no declarations from a task without onResume', () => {
    expect(onResumeDeclarations({ id: 'x', type: 'io.kestra.plugin.core.flow.Pause' })).toEqual([]);
    expect(onResumeDeclarations(undefined)).toEqual([]);
  });
});

describe('buildRejectModal', () => {
  it('asks for a reason and carries the decision', () => {
    const view = buildRejectModal({ executionId: 'E1', approvalId: 'A1', taskId: 'gate', reasonRequired: true });
    expectValidModal(view as unknown as Node);
    expect(view.callback_id).toBe('flow_reject');
    expect(view.blocks[1]).toMatchObject({ type: 'input', block_id: '_reason', element: { type: 'plain_text_input', multiline: true } });
    expect((view.blocks[1] as unknown as Node).optional).toBeUndefined();
    expect(parseDecisionMetadata(view.private_metadata!).decision).toBe('reject');
    expect(readReason(submit(view, { _reason: 'not in the window' }))).toBe('not in the window');
    expect(readReason(submit(view, { _reason: '   ' }))).toBeUndefined();
  });

  it('refuses forged metadata', () => {
    expect(() => parseDecisionMetadata('{"executionId":"E","decision":"delete"}')).toThrow(expect.objectContaining({ code: ErrorCode.USAGE }));
    expect(() => parseDecisionMetadata('nope')).toThrow(expect.objectContaining({ code: ErrorCode.USAGE }));
  });
});
