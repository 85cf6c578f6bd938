import { describe, expect, it } from 'vitest';
import { graphFilename, listCommandText, parseListArgs } from '../../../../src/chat/assets-commands/index.js';
import { parseCommandLine } from '../../../../src/chat/command-line.js';
import type { AssetListFilter } from '../../../../src/assets/types.js';
import { isPatchbayError } from '../../../../src/errors.js';

/** What the list sub-command receives for `/assets <line>` (token 0 is `list`). */
const parse = (line: string): AssetListFilter => {
  const parsed = parseCommandLine(line);
  return parseListArgs({ positionals: parsed.positionals.slice(1), pairs: parsed.pairs });
};

describe('/assets list arguments', () => {
  it('reads type (commas for several), namespace, metadata pairs and free text', () => {
    expect(parse('list type=VM,io.kestra.plugin.ee.assets.VM.IP namespace=company.infra os=linux "data center=eu 1" web 01')).toEqual({
      types: ['VM', 'io.kestra.plugin.ee.assets.VM.IP'],
      namespace: 'company.infra',
      metadata: { os: 'linux' },
      text: 'data center=eu 1 web 01', // a quoted word whose key has a space is text, not a pair
    });
    expect(parse('list metadata.type=web metadata.after=x after=cursor')).toEqual({ metadata: { type: 'web', after: 'x' }, after: 'cursor' });
    expect(parse('list')).toEqual({});
  });

  it('rejects an empty type list with a usage error', () => {
    let thrown: unknown;
    try {
      parse('list type=,');
    } catch (error) {
      thrown = error;
    }
    expect(isPatchbayError(thrown) && thrown.code).toBe('USAGE');
  });

  it('writes the next page as a line that reads back to the same filter and the cursor', () => {
    const filters: AssetListFilter[] = [
      {},
      { types: ['VM', 'IP'], namespace: 'company infra', metadata: { type: 'web', after: 'x', 'metadata.k': 'v', os: 'say "hi" \\o/' }, text: 'web 01 "quoted"' },
      { after: 'old-cursor', text: '  spaced  ' },
    ];
    for (const filter of filters) {
      const line = listCommandText(filter, 'next id');
      expect(line.startsWith('list ')).toBe(true);
      const { after: _previous, ...rest } = filter;
      expect(parse(line)).toEqual({ ...rest, after: 'next id' });
    }
  });

  it('names graph files safely', () => {
    expect(graphFilename('windows-web-01')).toBe('windows-web-01-lineage.png');
    expect(graphFilename('../../etc/passwd')).toBe('etc_passwd-lineage.png');
    expect(graphFilename('...')).toBe('asset-lineage.png');
  });
});
