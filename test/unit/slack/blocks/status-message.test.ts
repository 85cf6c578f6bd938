import { describe, expect, it } from 'vitest';
import { statusMessage } from '../../../../src/slack/blocks/status-message.js';
import { blocksToText } from '../../../../src/slack/blocks/blocks-to-text.js';
import { execution, loadFlow, taskRun, yaml } from './fixtures.js';
import { allTexts, expectValidBlocks } from './validate.js';

type Node = Record<string, unknown>;
const now = new Date('2024-05-06T07:02:05.000Z');
const byId = (blocks: unknown[], id: string): Node => (blocks as Node[]).find((b) => b.block_id === id)!;
const text = (blocks: unknown[]): string => allTexts(blocks).join('\n');

describe('statusMessage', () => {
  const nested = execution({
    inputs: { vm: 'web-01', count: 3 },
    taskRuns: [
      taskRun({ id: 'r1', taskId: 'snapshot', startedAt: '2024-05-06T07:00:00.000Z', endedAt: '2024-05-06T07:00:12.000Z' }),
      taskRun({ id: 'r2', taskId: 'each_vm', type: 'io.kestra.plugin.core.flow.ForEach', state: 'RUNNING', endedAt: null }),
      taskRun({ id: 'r3', taskId: 'patch_one', parentTaskRunId: 'r2', value: 'vm-a' }),
      taskRun({ id: 'r4', taskId: 'patch_one', parentTaskRunId: 'r2', value: 'vm-b', state: 'RUNNING', endedAt: null }),
      taskRun({ id: 'r5', taskId: 'deep', parentTaskRunId: 'r4' }),
    ],
  });

  it('lists top-level steps only, with state and duration', () => {
    const { blocks } = statusMessage(nested, undefined, { now });
    expectValidBlocks(blocks);
    const tasks = (byId(blocks, 'tasks-0').text as Node).text as string;
    expect(tasks.split('\n')).toEqual([
      ':white_check_mark: `snapshot` success · 12s',
      ':arrows_counterclockwise: `each_vm` running · 2m 05s',
    ]);
    expect(text(blocks)).not.toContain('patch_one');
    expect(text(blocks)).not.toContain('deep');
  });

  it('has a header, the requester as a mention, the inputs as fields and the execution id', () => {
    const { blocks, text: fallback } = statusMessage(nested, undefined, { now });
    expect(blocks[0]).toMatchObject({ type: 'header', text: { text: ':arrows_counterclockwise: company.ops.patch' } });
    expect((byId(blocks, 'summary').text as Node).text).toMatch(/^\*RUNNING\* · started by <@U012ABCDEF> · <!date\^\d+\^.*> · running for 2m 05s$/);
    expect((byId(blocks, 'inputs-0').fields as Node[]).map((f) => f.text)).toEqual(['*vm*\nweb-01', '*count*\n3']);
    expect(JSON.stringify(byId(blocks, 'execution'))).toContain('`Ex1234567890abcdefghij`');
    expect(fallback).toBe(':arrows_counterclockwise: company.ops.patch running (execution Ex1234567890abcdefghij)');
  });

  it('shows a non-Slack requester as plain text and labels inputs with their display names', () => {
    const flow = loadFlow(yaml('id: patch', 'namespace: company.ops', 'inputs: [{ id: vm, type: STRING, displayName: Virtual machine }]',
      'tasks: [{ id: t, type: io.kestra.plugin.core.log.Log, message: hi }]'));
    const { blocks } = statusMessage(execution({ createdBy: 'cli:alice', inputs: { vm: 'x' } }), flow, { now });
    expect((byId(blocks, 'summary').text as Node).text).toContain('started by cli:alice');
    expect((byId(blocks, 'inputs-0').fields as Node[])[0]!.text).toBe('*Virtual machine*\nx');
    expect(text(blocks)).toContain('No step has started yet');
  });

  it('escapes and truncates input values', () => {
    const { blocks } = statusMessage(execution({ inputs: { note: '<!channel> <https://evil|x>', big: 'y'.repeat(5000), obj: { a: [1] } } }), undefined, { now });
    expectValidBlocks(blocks);
    const fields = (byId(blocks, 'inputs-0').fields as Node[]).map((f) => f.text as string);
    expect(fields[0]).toBe('*note*\n&lt;!channel&gt; &lt;https://evil|x&gt;');
    expect(fields[1]!.length).toBeLessThan(320);
    expect(fields[1]!.endsWith('…')).toBe(true);
    expect(fields[2]).toBe('*obj*\n{"a":[1]}');
    expect(text(blocks)).not.toMatch(/<!channel>|<https:/);
  });

  it('splits many inputs into sections of ten fields and counts the rest', () => {
    const inputs = Object.fromEntries(Array.from({ length: 25 }, (_, i) => [`i${i}`, i]));
    const { blocks } = statusMessage(execution({ inputs }), undefined, { now });
    expectValidBlocks(blocks);
    expect((byId(blocks, 'inputs-1').fields as Node[])).toHaveLength(10);
    expect(JSON.stringify(byId(blocks, 'inputs-more'))).toContain('…and 5 more inputs');
  });

  it('shows the end state and the error when ended, and failed steps with their error', () => {
    const failed = execution({
      state: 'FAILED', endedAt: '2024-05-06T07:01:00.000Z', error: 'ssh: connection refused <@U999>\nstack…',
      taskRuns: [
        taskRun({ id: 'r1', taskId: 'patch', state: 'FAILED', attempts: 3, error: 'exit code 1' }),
        taskRun({ id: 'r2', taskId: 'rollback', branch: 'errors' }),
      ],
    });
    const { blocks, text: fallback } = statusMessage(failed, undefined, { now });
    expectValidBlocks(blocks);
    expect((byId(blocks, 'tasks-0').text as Node).text).toBe(':x: `patch` failed · 5s · 3 attempts — exit code 1\n:white_check_mark: `rollback` success _errors_ · 5s');
    expect((byId(blocks, 'outcome').text as Node).text).toBe(':x: *Finished: FAILED* in 1m 00s');
    expect((byId(blocks, 'error').text as Node).text).toBe('```ssh: connection refused &lt;@U999&gt;\nstack…```');
    expect(fallback).toBe(':x: company.ops.patch failed — ssh: connection refused &lt;@U999&gt; (execution Ex1234567890abcdefghij)');
  });

  it('lists the assets an ended run created, updated and used, and none while it runs', () => {
    const assets = {
      created: [{ id: 'windows-web-01', type: 'io.kestra.plugin.ee.assets.VM' }],
      updated: [],
      used: Array.from({ length: 12 }, (_, i) => ({ id: `ip-${i}`, type: 'io.kestra.plugin.ee.assets.VM.IP' })),
      deleted: [],
    };
    const ended = statusMessage(execution({ state: 'SUCCESS', endedAt: '2024-05-06T07:01:00.000Z' }), undefined, { now, assets });
    expectValidBlocks(ended.blocks);
    const listed = (byId(ended.blocks, 'assets-0').text as Node).text as string;
    expect(listed.split('\n')).toEqual([
      ':package: *Assets*',
      '*Created:* `windows-web-01` (VM)',
      `*Used:* ${Array.from({ length: 10 }, (_, i) => `\`ip-${i}\` (IP)`).join(', ')} and 2 more`,
    ]);
    const running = statusMessage(execution({ state: 'RUNNING' }), undefined, { now, assets });
    expect(byId(running.blocks, 'assets-0')).toBeUndefined();
  });

  it('stays within Slack limits with hundreds of top-level steps', () => {
    const taskRuns = Array.from({ length: 300 }, (_, i) => taskRun({ id: `r${i}`, taskId: `step_${'x'.repeat(60)}_${i}` }));
    const { blocks } = statusMessage(execution({ taskRuns }), undefined, { now });
    expectValidBlocks(blocks);
    expect(text(blocks)).toContain('…and 260 more steps');
  });

  it('reads well as terminal text', () => {
    const out = blocksToText(statusMessage(nested, undefined, { now }).blocks);
    expect(out).toContain('↻ company.ops.patch');
    expect(out).toContain('vm: web-01');
    expect(out).toContain('✔ `snapshot` success · 12s');
    expect(out).toContain('2024-05-06 at 07:00 UTC');
  });
});
