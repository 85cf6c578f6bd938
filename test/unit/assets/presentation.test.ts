import { describe, expect, it } from 'vitest';
import { buildDot, dotString, shortType } from '../../../src/assets/graph.js';
import type { AssetView, ImpactView } from '../../../src/assets/service.js';
import { formatImpact, formatList, formatShow } from '../../../src/assets/text.js';
import { parseListWords } from '../../../src/cli/commands/assets.js';

/** Pure presentation: DOT for the graph, terminal text, and the CLI's list words. */
describe('graph DOT', () => {
  it('escapes quotes, backslashes and line breaks', () => {
    expect(dotString('a "b" \\ c\nd')).toBe('"a \\"b\\" \\\\ c\\nd"');
  });

  it('shortens Kestra asset types, keeps short custom ones', () => {
    expect(shortType('io.kestra.plugin.ee.assets.VM.Certificate')).toBe('VM.Certificate');
    expect(shortType('VM')).toBe('VM');
    expect(shortType('com.example.inventory.network.LoadBalancerListener')).toBe('LoadBalancerListener');
  });

  it('draws every node and edge, the root highlighted, deleted ones dashed', () => {
    const dot = buildDot(
      [
        { id: 'web-01', type: 'io.kestra.plugin.ee.assets.VM', displayName: 'Web 01', deleted: false, root: true },
        { id: 'ip-1', type: 'IP', displayName: null, deleted: true },
      ],
      [{ up: 'web-01', down: 'ip-1' }],
      'more beyond',
    );
    expect(dot).toMatch(/^digraph lineage \{\n {2}graph \[rankdir=LR/);
    expect(dot).toContain('"web-01" [label="Web 01\\nweb-01\\nVM", fillcolor=');
    expect(dot).toContain('penwidth=2.5');
    expect(dot).toContain('"ip-1" [label="ip-1\\nIP (deleted)", fillcolor="#f1f1f1", style="rounded,filled,dashed"');
    expect(dot).toContain('  "web-01" -> "ip-1";\n}');
    expect(dot).toContain('label="more beyond", labelloc=b');
  });
});

describe('terminal text', () => {
  const related = (id: string, depth: number, extra: Record<string, unknown> = {}) => ({ id, type: 'IP', namespace: 'n', displayName: null, metadata: { a: 1 }, depth, deleted: false, ...extra });
  const view: AssetView = {
    asset: {
      id: 'web-01', namespace: 'infra', type: 'VM', displayName: 'Web', description: 'front', metadata: { os: 'win' }, created: '2026-01-01T00:00:00.000Z',
      updated: '2026-01-02T00:00:00.000Z', deleted: null,
      createdBy: { executionId: 'e1', namespace: 'infra', flowId: 'create', taskId: 't', taskRunId: 'r', actor: 'U1', at: '' },
      updatedBy: { executionId: 'e2', namespace: null, flowId: null, taskId: null, taskRunId: null, actor: 'cli', at: '' },
    },
    upstream: [],
    downstream: [related('ip-1', 1), related('cert-1', 2, { deleted: true, metadata: {} })],
    events: [
      { id: 1, assetId: 'web-01', kind: 'CREATED', at: '2026-01-01T00:00:00.000Z', actor: 'U1', executionId: 'e1', namespace: 'infra', flowId: 'create', taskId: 't', details: {} },
      { id: 2, assetId: 'web-01', kind: 'UPDATED', at: '2026-01-02T00:00:00.000Z', actor: 'cli', executionId: null, namespace: null, flowId: null, taskId: null, details: { metadata: { os: { from: 'linux', to: 'win' } } } },
    ],
    depth: 3,
    truncated: { upstream: false, downstream: true },
  };

  it('shows the asset, its provenance, lineage and history', () => {
    expect(formatShow(view)).toBe(
      [
        'web-01  VM  namespace infra',
        '  name: Web',
        '  description: front',
        '  metadata: os=win',
        '  created 2026-01-01T00:00:00.000Z by U1 (infra.create · execution e1 · task t)',
        '  updated 2026-01-02T00:00:00.000Z by cli (execution e2)',
        '',
        'upstream — what it depends on (0, up to 3 hops):',
        '  (none)',
        '',
        'downstream — what depends on it (2, up to 3 hops) (more beyond; use --depth):',
        '  1  ip-1    IP  a=1',
        '  2  cert-1  IP  DELETED',
        '',
        'history:',
        '  2026-01-01T00:00:00.000Z  CREATED  by U1  infra.create · execution e1 · task t',
        '  2026-01-02T00:00:00.000Z  UPDATED  by cli  os linux → win',
        '',
      ].join('\n'),
    );
  });

  it('summarises an impact', () => {
    const impact: ImpactView = { asset: view.asset, impacted: [{ ...related('ip-1', 1), orphaned: true }], orphaned: [related('ip-1', 1)], truncated: false };
    expect(formatImpact(impact)).toBe('impact of removing web-01 (VM): 1 asset(s) downstream, 1 would be orphaned\n  1  ip-1  IP  ORPHANED  a=1\n');
  });

  it('lists a page and says how to get the next', () => {
    expect(formatList({ assets: [], next: null })).toBe('no assets match\n');
    const page = { assets: [{ ...view.asset, deleted: null }], next: 'web-01' };
    expect(formatList(page)).toBe('  web-01  VM  infra  os=win\n  … more: add --after web-01\n');
  });
});

describe('assets list words', () => {
  it('reads types, namespace, metadata and free text', () => {
    expect(parseListWords(['type=VM', 'type=IP', 'namespace=infra', 'env=prod', 'metadata.type=big', 'web', '01'])).toEqual({
      types: ['VM', 'IP'],
      namespace: 'infra',
      metadata: { env: 'prod', type: 'big' },
      text: 'web 01',
    });
    expect(() => parseListWords(['=x'])).toThrow('assets list: `=x` has no key before =');
  });
});
