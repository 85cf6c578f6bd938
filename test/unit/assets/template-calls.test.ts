import { describe, expect, it } from 'vitest';
import { parseAssetQuery, queryKey } from '../../../src/assets/query.js';
import { assetCallsInSource, assetCallsInTemplate } from '../../../src/assets/template-calls.js';
import { checkTemplate } from '../../../src/expr/check.js';
import { createScope, renderTyped } from '../../../src/expr/render.js';

/** Finding the assets() lookups of a flow before rendering it, and the function itself. */
describe('assets() calls in templates', () => {
  it('reads constant arguments, positional or named, maps included', () => {
    const calls = assetCallsInTemplate(
      "{{ assets(type='VM.IP', metadata={'vm': 'web-01', 'port': 443}) | jq('.[0].id') | first }} {{ assets('web-01') }} {{ assets(null, 'VM') }}",
    );
    expect(calls).toEqual({
      constant: [{ type: 'VM.IP', metadata: { vm: 'web-01', port: 443 } }, { id: 'web-01' }, { type: 'VM' }],
      dynamic: false,
    });
  });

  it('marks calls whose arguments come from the context as dynamic', () => {
    expect(assetCallsInTemplate("{{ assets(type='VM', metadata={'vm': inputs.vm}) }}")).toEqual({ constant: [], dynamic: true });
    expect(assetCallsInTemplate('{{ assets(id=inputs.vm ~ "-ip") }}')).toEqual({ constant: [], dynamic: true });
  });

  it('leaves malformed calls to the render, which explains them', () => {
    expect(assetCallsInTemplate("{{ assets(kind='VM') }} {{ assets(metadata='x') }} {{ assets(") ).toEqual({ constant: [], dynamic: false });
  });

  it('finds the calls of a whole flow once per source, keys included, duplicates merged', () => {
    const source = [
      'id: cert',
      'namespace: company.infra',
      'tasks:',
      '  - id: issue',
      '    type: io.kestra.plugin.core.log.Log',
      `    message: "{{ assets(type='VM') | length }}"`,
      '    assets:',
      '      inputs:',
      `        - id: "{{ assets(type = 'VM.IP') | jq('.[0].id') | first }}"`,
      `        - id: "{{ assets(type='VM') | jq('.[0].id') | first }}"`,
      '  - id: dynamic',
      '    type: io.kestra.plugin.core.log.Log',
      '    message: "{{ assets(id=inputs.vm) }}"',
    ].join('\n');
    const calls = assetCallsInSource(source);
    expect(calls).toEqual({ constant: [{ type: 'VM' }, { type: 'VM.IP' }], dynamic: true });
    expect(assetCallsInSource(source)).toBe(calls);
    expect(assetCallsInSource('id: x\nnamespace: y\ntasks: []\n')).toEqual({ constant: [], dynamic: false });
  });

  it('keys queries canonically, whatever the order of their keys', () => {
    expect(queryKey({ type: 'VM', metadata: { b: 1, a: 2 } })).toBe(queryKey({ metadata: { a: 2, b: 1 }, type: 'VM' }));
    expect(parseAssetQuery({ id: 42, type: null, metadata: {} })).toEqual({ id: '42' });
  });
});

describe('the assets() function', () => {
  const assets = [{ id: 'ip-1', namespace: 'net', type: 'IP', displayName: null, description: null, metadata: { vm: 'web-01' }, created: 'c', updated: 'u' }];
  const asked: unknown[] = [];
  const scope = createScope({
    assets: (query) => {
      asked.push(query);
      return assets;
    },
  });

  it('passes its checked arguments to the scope and returns the matches', () => {
    expect(renderTyped("{{ assets(type='IP', metadata={'vm': 'web-01'}) | jq('.[0].id') | first }}", {}, scope)).toBe('ip-1');
    expect(asked.at(-1)).toEqual({ type: 'IP', metadata: { vm: 'web-01' } });
  });

  it('is known to the load-time check, and unavailable where no inventory is at hand', () => {
    expect(checkTemplate("{{ assets(type='VM') }}")).toEqual([]);
    expect(() => renderTyped("{{ assets(type='VM') }}", {}, createScope())).toThrow('`assets` is not available in this context');
  });
});
