import { describe, expect, it } from 'vitest';
import { groupByType, metadataText, packGroups, typeHeading } from '../../../../src/slack/blocks/assets-parts.js';
import { LIMITS } from '../../../../src/slack/blocks/text.js';

describe('asset message parts', () => {
  it('groups by short type name, keeping the given order inside a group', () => {
    const entries = [{ id: 'a', type: 'io.kestra.plugin.ee.assets.VM' }, { id: 'b', type: 'Disk' }, { id: 'c', type: 'io.kestra.plugin.ee.assets.VM' }];
    expect(groupByType(entries).map(([type, group]) => [type, group.map((entry) => entry.id)])).toEqual([
      ['Disk', ['b']],
      ['io.kestra.plugin.ee.assets.VM', ['a', 'c']],
    ]);
    expect(typeHeading('io.kestra.plugin.ee.assets.VM', 2)).toBe('*VM* (2)');
    expect(typeHeading('io.kestra.plugin.ee.assets.VM', 2, true)).toBe('*VM* (2) `io.kestra.plugin.ee.assets.VM`');
  });

  it('escapes metadata as a whole and never cuts inside an entity', () => {
    expect(metadataText({ a: '<b>', n: 1, o: { x: true } })).toBe('a=&lt;b&gt;, n=1, o={"x":true}');
    const cut = metadataText({ k: '&'.repeat(500) }, 20);
    expect(cut.length).toBeLessThanOrEqual(20);
    expect(cut).toMatch(/^k=(&amp;)+…$/);
  });

  it('packs lines into sections, repeats a cut group heading, and stops in order when out of blocks', () => {
    const lines = Array.from({ length: 100 }, (_, i) => `• ${String(i).padStart(3, '0')} ${'x'.repeat(200)}`);
    const blocks = packGroups([{ heading: '*A* (100)', lines }], 'p', 3);
    expect(blocks).toHaveLength(3);
    const texts = blocks.map((block) => block.text!.text);
    for (const text of texts) expect(text.length).toBeLessThanOrEqual(LIMITS.sectionText);
    expect(texts[0]!.startsWith('*A* (100)\n• 000')).toBe(true);
    expect(texts[1]!.startsWith('*A* (100) _(continued)_\n')).toBe(true);
    const shown = texts.join('\n').match(/^• \d+/gm)!.map((line) => Number(line.slice(2)));
    expect(shown).toEqual(shown.map((_, i) => i)); // no gaps: nothing later slips in after a cut
    expect(texts[2]).toContain(`_…and ${100 - shown.length} more not shown_`);
    expect(packGroups([], 'p', 3)).toEqual([]);
  });
});
