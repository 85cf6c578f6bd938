import { describe, expect, it } from 'vitest';
import type { AssetPage } from '../../../../src/assets/types.js';
import { ASSETS_PAGE_ACTION_ID, assetListMessage } from '../../../../src/slack/blocks/assets.js';
import { describeFilter } from '../../../../src/slack/blocks/assets-list.js';
import { blocksToText } from '../../../../src/slack/blocks/blocks-to-text.js';
import { LIMITS } from '../../../../src/slack/blocks/text.js';
import { expectValidBlocks } from '../../slack/blocks/validate.js';
import { CERT_TYPE, mrkdwnTexts } from './fixtures.js';

type Node = Record<string, unknown>;
type Row = AssetPage['assets'][number];
const row = (id: string, type: string, over: Partial<Row> = {}): Row => ({
  id, type, namespace: 'company.infra', displayName: null, description: null, metadata: {},
  created: '2026-11-21T09:01:00Z', updated: '2026-11-21T09:01:00Z', deleted: null, ...over,
});
const page: AssetPage = {
  assets: [row('cert-1', CERT_TYPE, { displayName: 'Web cert' }), row('web-01', 'VM', { metadata: { os: 'linux' } }), row('web-02', 'VM', { deleted: '2026-11-22T00:00:00Z' })],
  next: 'web-02',
};

describe('assetListMessage (/assets list)', () => {
  it('groups a page by type, says what it answers and offers the next page', () => {
    const message = assetListMessage(page, { filter: { types: ['VM', CERT_TYPE], metadata: { os: 'linux' }, text: 'web' }, nextCommand: 'list type=VM after=web-02 web' });
    expectValidBlocks(message.blocks);
    expect(blocksToText(message.blocks)).toBe([
      'Assets',
      '======',
      '3 assets on this page · type `VM` or `io.kestra.plugin.ee.assets.VM.Certificate` · `os=linux` · matching `web`',
      '*VM* (2)',
      '• `web-01` · namespace `company.infra` · os=linux',
      '• `web-02` · _deleted_ · namespace `company.infra`',
      '*VM.Certificate* (1) `io.kestra.plugin.ee.assets.VM.Certificate`', // the full type, for `type=`
      '• `cert-1` — Web cert · namespace `company.infra`',
      '[Next page]',
    ].join('\n'));
    const paging = (message.blocks as unknown as Node[]).find((b) => b.block_id === 'paging')!;
    expect(paging.elements).toEqual([expect.objectContaining({ type: 'button', action_id: ASSETS_PAGE_ACTION_ID, value: 'list type=VM after=web-02 web' })]);
    expect(message.text).toBe('3 assets on this page: VM, VM.Certificate');
  });

  it('has no button on the last page, and a typed hint when the next command is too long for a button', () => {
    const last = assetListMessage({ ...page, next: null }, { filter: {} });
    expect((last.blocks as unknown as Node[]).some((b) => b.block_id === 'paging')).toBe(false);
    expect(blocksToText(last.blocks)).toContain('3 assets\n');
    const long = assetListMessage(page, { filter: { text: 'x'.repeat(1990) }, nextCommand: `list after=web-02 ${'x'.repeat(1990)}` });
    expectValidBlocks(long.blocks);
    const paging = (long.blocks as unknown as Node[]).find((b) => b.block_id === 'paging')!;
    expect(paging.type).toBe('context');
    expect(blocksToText([paging])).toBe('More assets: repeat the command with `after=web-02`.');
  });

  it('says so when nothing matches', () => {
    expect(blocksToText(assetListMessage({ assets: [], next: null }, { filter: { namespace: 'nope' } }).blocks)).toContain('No assets match namespace `nope`.');
    expect(blocksToText(assetListMessage({ assets: [], next: null }, { filter: {} }).blocks)).toContain('No assets recorded yet');
  });

  it('escapes ids, names, metadata and the filter; keeps a long filter to whole parts', () => {
    const evil = '<!here> & <@U1>';
    const message = assetListMessage({ assets: [row(evil, evil, { displayName: evil, namespace: evil, metadata: { [evil]: evil } })], next: null }, { filter: { namespace: evil, metadata: { [evil]: evil }, text: evil } });
    expectValidBlocks(message.blocks);
    for (const text of [...mrkdwnTexts(message.blocks), message.text]) expect(text).not.toMatch(/<[!@]|&(?!amp;|lt;|gt;)/);
    const many = describeFilter({ types: Array.from({ length: 100 }, (_, i) => `io.example.Type${i}-${'t'.repeat(40)}`), namespace: 'ns' });
    expect(many.length).toBeLessThanOrEqual(2000);
    expect(many.endsWith(' · …')).toBe(true);
  });

  it('fits a page of very long rows into the block and section limits', () => {
    const rows = Array.from({ length: 200 }, (_, i) => row(`a${i}-${'i'.repeat(300)}`, `T${i % 7}`, { displayName: 'n'.repeat(300), metadata: { big: 'm'.repeat(3000) } }));
    const message = assetListMessage({ assets: rows, next: 'z' }, { filter: {}, nextCommand: 'list after=z' });
    expectValidBlocks(message.blocks);
    expect(message.blocks.length).toBeLessThanOrEqual(LIMITS.messageBlocks);
    expect(blocksToText(message.blocks)).toContain('[Next page]');
  });
});
