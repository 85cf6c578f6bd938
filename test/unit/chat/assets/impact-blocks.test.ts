import { describe, expect, it } from 'vitest';
import { assetGraphCaption, assetImpactMessage } from '../../../../src/slack/blocks/assets.js';
import { blocksToText } from '../../../../src/slack/blocks/blocks-to-text.js';
import { LIMITS } from '../../../../src/slack/blocks/text.js';
import { expectValidBlocks } from '../../slack/blocks/validate.js';
import { detail, impact, mrkdwnTexts, related } from './fixtures.js';

describe('assetImpactMessage (/assets impact)', () => {
  it('counts, names the orphaned ones, and flags each entry in its type group', () => {
    const message = assetImpactMessage(impact());
    expectValidBlocks(message.blocks);
    expect(blocksToText(message.blocks)).toBe([
      'Impact of removing windows-web-01',
      '=================================',
      'Removing `windows-web-01` (VM) affects *3* assets downstream, *2* would be orphaned.',
      '⚠ *orphaned* — no upstream left outside this set: `windows-web-01-ip`, `snap-1`',
      '---',
      '*IP* (1)',
      '• `windows-web-01-ip` · direct · ⚠ *orphaned*',
      '*Snapshot* (1)',
      '• `snap-1` · 2 hops · ⚠ *orphaned*',
      '*VM.Certificate* (1)',
      '• `cert-1` · direct · still fed',
    ].join('\n'));
    expect(message.text).toBe('Impact of removing windows-web-01: 3 downstream, 2 would be orphaned');
  });

  it('says when nothing depends on the asset, and when the walk was cut', () => {
    expect(blocksToText(assetImpactMessage(impact({ impacted: [], orphaned: [] })).blocks)).toContain('Nothing depends on `windows-web-01` (VM): removing it affects no other asset.');
    expect(blocksToText(assetImpactMessage(impact({ truncated: true })).blocks)).toContain('the real impact is larger');
  });

  it('stays within the limits with thousands impacted, escaping what flows wrote', () => {
    const evil = '<!channel>&';
    const impacted = Array.from({ length: 3000 }, (_, i) => ({ ...related(`${evil}${i}-${'x'.repeat(100)}`, `${evil}T${i % 12}`, 1 + (i % 5)), orphaned: i % 2 === 0 }));
    const message = assetImpactMessage(impact({ asset: detail(evil), impacted, orphaned: impacted.filter((entry) => entry.orphaned) }));
    expectValidBlocks(message.blocks);
    expect(message.blocks.length).toBeLessThanOrEqual(LIMITS.messageBlocks);
    const text = blocksToText(message.blocks);
    expect(text).toMatch(/and \d+ more\n/);
    expect(text).toMatch(/…and \d+ assets not shown/);
    for (const t of [...mrkdwnTexts(message.blocks), message.text]) expect(t).not.toMatch(/<!|&(?!amp;|lt;|gt;)/);
  });
});

describe('assetGraphCaption', () => {
  it('says what the picture holds, and when more lies beyond it', () => {
    const caption = assetGraphCaption('windows-web-01', { nodes: 7, edges: 8, truncated: false }, 2);
    expectValidBlocks(caption.blocks);
    expect(blocksToText(caption.blocks)).toBe(':frame_with_picture: Lineage of `windows-web-01`: 7 assets, 8 links, up to 2 hops each way.');
    const cut = assetGraphCaption('<!here>', { nodes: 1, edges: 0, truncated: true }, 1);
    expect(blocksToText(cut.blocks)).toContain('1 asset, 0 links, up to 1 hop each way');
    expect(blocksToText(cut.blocks)).toContain('`/assets show <!here>` lists it');
    for (const t of mrkdwnTexts(cut.blocks)) expect(t).not.toContain('<!here>');
  });
});
