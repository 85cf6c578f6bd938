import { describe, expect, it } from 'vitest';
import { ASSETS_PAGE_ACTION_ID, assetViewMessage, recentRuns } from '../../../../src/slack/blocks/assets.js';
import { blocksToText } from '../../../../src/slack/blocks/blocks-to-text.js';
import { LIMITS } from '../../../../src/slack/blocks/text.js';
import { expectValidBlocks } from '../../slack/blocks/validate.js';
import { CERT_TYPE, detail, event, mrkdwnTexts, related, view } from './fixtures.js';

type Node = Record<string, unknown>;
const blocksOf = (message: { blocks: unknown[] }): Node[] => message.blocks as unknown as Node[];
const sectionText = (block: Node | undefined): string => ((block?.text as Node | undefined)?.text as string) ?? '';

describe('assetViewMessage (/assets show)', () => {
  it('shows the asset, metadata as fields and its lineage grouped by short type, nearest first', () => {
    const message = assetViewMessage(view());
    expectValidBlocks(message.blocks);
    const blocks = blocksOf(message);
    expect(blocks[0]).toMatchObject({ type: 'header', text: { text: 'windows-web-01' } });
    expect(sectionText(blocks[1])).toContain('`windows-web-01` · *VM* · namespace `company.infra`');
    const fields = (blocks.find((b) => b.block_id === 'metadata-0')!.fields as Node[]).map((f) => f.text);
    expect(fields).toEqual(['*os*\nWindows Server 2022', '*cpu*\n4']);
    const down = sectionText(blocks.find((b) => b.block_id === 'downstream-list-0'));
    // Types in alphabetical order of their short names, each with its count.
    expect(down.split('\n').filter((line) => line.startsWith('*'))).toEqual(['*Snapshot* (2)', '*VM.Certificate* (1)', '*VM.IP* (1)']);
    expect(down).toContain('• `snap-1` · direct\n• `snap-2` · 2 hops');
    expect(down).toContain('• `cert-exec005` · direct · issuer=LetsEncrypt');
    expect(sectionText(blocks.find((b) => b.block_id === 'upstream'))).toBe('*Upstream* — what it depends on: _none within 3 hops_');
    expect(message.text).toBe('Asset windows-web-01 (VM): 0 upstream, 4 downstream');
  });

  it('lists history newest first: event, localised date, flow, execution, task and who', () => {
    const text = sectionText(blocksOf(assetViewMessage(view())).find((b) => b.block_id === 'history-list-0'));
    const [first, second] = text.split('\n');
    expect(first).toMatch(/^:link: \*USED\* <!date\^\d+\^\{date_short_pretty\} at \{time\}\|2026-11-21 at 09:01 UTC>/);
    expect(first).toContain('`company.infra.reserve-ip` · execution `exec002` · task `main` · by <@U0ALICE> · → windows-web-01-ip');
    expect(second).toMatch(/^:sparkles: \*CREATED\*/);
    const updated = assetViewMessage(view({ events: [event('UPDATED', 'e9', { actor: 'cli-bob', details: { metadata: { cpu: { from: 2, to: 4 } } } })] }));
    expect(blocksToText(updated.blocks)).toContain('by cli-bob · cpu 2 → 4');
  });

  it('links the most recent runs with execution_status buttons, one section each', () => {
    const events = ['e1', 'e2', 'e2', 'e3', 'e4'].map((id, i) => event(i === 2 ? 'UPDATED' : 'USED', id));
    const runs = recentRuns([...events, event('CREATED', null)]) as unknown as Node[];
    expect(runs.map((b) => (b.accessory as Node).value)).toEqual(['e4', 'e3', 'e2']);
    expect(runs.every((b) => (b.accessory as Node).action_id === 'execution_status')).toBe(true);
    expect(sectionText(runs[2])).toContain('execution `e2` · updated, used');
    const message = assetViewMessage(view({ events }));
    expectValidBlocks(message.blocks);
    expect(blocksOf(message).filter((b) => (b.accessory as Node | undefined)?.action_id === 'execution_status')).toHaveLength(3);
    expect(ASSETS_PAGE_ACTION_ID).toBe('assets_page');
  });

  it('escapes everything a flow wrote: ids, names, metadata, descriptions, actors', () => {
    const evil = '<!channel> <https://evil|click> &';
    const message = assetViewMessage(view({
      asset: detail(evil, { displayName: evil, description: evil, metadata: { [evil]: evil }, createdBy: null }),
      upstream: [related(evil, evil, 1, { displayName: evil, metadata: { k: evil } })],
      events: [event('USED', 'x', { actor: evil, flowId: evil, taskId: evil, details: { outputs: [evil] } })],
    }));
    expectValidBlocks(message.blocks);
    // Plain-text fields (header, buttons) are never parsed by Slack; every mrkdwn text must be escaped.
    for (const text of [...mrkdwnTexts(message.blocks), message.text]) {
      expect(text).not.toMatch(/<!channel>|<https:/);
      expect(text).not.toMatch(/&(?!amp;|lt;|gt;)/);
    }
    expect(blocksToText(message.blocks)).toContain('<!channel> <https://evil|click> &');
  });

  it('stays within 50 blocks and 3000 characters however large the neighbourhood', () => {
    const many = (prefix: string) => Array.from({ length: 500 }, (_, i) => related(`${prefix}-${String(i).padStart(3, '0')}-${'x'.repeat(150)}`, `Type${i % 30}`, 1 + (i % 3), { metadata: { note: 'y'.repeat(500) } }));
    const metadata = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`key${i}`, 'v'.repeat(3000)]));
    const events = Array.from({ length: 40 }, (_, i) => event('UPDATED', `run${i}`, { details: { metadata: { big: { to: 'z'.repeat(2000) } } } }));
    const message = assetViewMessage(view({ asset: detail('big', { description: 'd'.repeat(5000), metadata }), upstream: many('up'), downstream: many('down'), events, truncated: { upstream: true, downstream: false } }));
    expectValidBlocks(message.blocks);
    expect(message.blocks.length).toBeLessThanOrEqual(LIMITS.messageBlocks);
    const text = blocksToText(message.blocks);
    expect(text).toMatch(/…and \d+ assets not shown/);
    expect(text).toMatch(/…and \d+ older events not shown/);
    expect(text).toContain('…and 21 more: key19, key20,'); // 40 metadata keys: 19 fields, then the rest named
    expect(text).toContain('/assets show big depth=4');
    expect(text).not.toContain('/assets show big depth=4` looks further.\n:warning:'); // only upstream was cut
    // Continued groups repeat their heading, so a section never starts with an orphan line.
    for (const block of blocksOf(message).filter((b) => String(b.block_id).startsWith('upstream-list-'))) {
      expect(sectionText(block)).toMatch(/^\*Type\d+\* \(\d+\)/);
    }
  });

  it('marks a deleted asset and says when no history was recorded', () => {
    const text = blocksToText(assetViewMessage(view({ asset: detail('gone', { type: CERT_TYPE, deleted: '2026-11-22T10:00:00Z' }), events: [] })).blocks);
    expect(text).toContain('*VM.Certificate* · `io.kestra.plugin.ee.assets.VM.Certificate`');
    expect(text).toContain(':wastebasket: *deleted* 2026-11-22 at 10:00 UTC');
    expect(text).toContain('*History*: _no events recorded_');
    expect(text).not.toContain('*Recent runs*');
  });
});
