import { describe, expect, it } from 'vitest';
import { applyListQuery, parseListQuery, selectFields, sortItems } from '../../../src/sim/odata/query.js';

const FIELDS = new Set(['extId', 'name', 'memorySizeBytes', 'powerState', 'cluster', '$objectType']);
const vms = [
  { $objectType: 'vmm.v4.ahv.config.Vm', extId: '1', name: 'b', memorySizeBytes: 4, powerState: 'ON', cluster: { extId: 'c1' } },
  { $objectType: 'vmm.v4.ahv.config.Vm', extId: '2', name: 'a', memorySizeBytes: 8, powerState: 'OFF', cluster: { extId: 'c1' } },
  { $objectType: 'vmm.v4.ahv.config.Vm', extId: '3', name: 'c', memorySizeBytes: 4, powerState: 'ON', cluster: { extId: 'c2' } },
  { $objectType: 'vmm.v4.ahv.config.Vm', extId: '4', name: 'd', powerState: 'OFF', cluster: { extId: 'c2' } },
];

function query(params: Record<string, string>) {
  return parseListQuery(new URLSearchParams(params), FIELDS);
}

describe('$page and $limit', () => {
  it('defaults to page 0 of 50', () => {
    expect(query({})).toMatchObject({ page: 0, limit: 50, orderBy: [] });
  });

  it('pages after filtering and sorting, reporting the filtered total', () => {
    const result = applyListQuery(vms, query({ $orderby: 'name', $limit: '2', $page: '1' }));
    expect(result.items.map((item) => item.name)).toEqual(['c', 'd']);
    expect(result).toMatchObject({ total: 4, page: 1, limit: 2 });
    expect(applyListQuery(vms, query({ $limit: '2', $page: '5' })).items).toEqual([]);
  });

  it.each([
    [{ $limit: '0' }, /^\$limit: must be an integer from 1 to 100, got '0'$/],
    [{ $limit: '101' }, /^\$limit: must be an integer from 1 to 100, got '101'$/],
    [{ $limit: 'ten' }, /^\$limit: .*got 'ten'/],
    [{ $page: '-1' }, /^\$page: must be an integer from 0 to up, got '-1'$/],
    [{ $page: '1.5' }, /^\$page: /],
  ])('rejects %j', (params, pattern) => {
    expect(() => query(params)).toThrow(pattern);
  });
});

describe('$orderby', () => {
  it('sorts by several keys with directions; entities lacking a key come last', () => {
    const sorted = sortItems(vms, query({ $orderby: 'memorySizeBytes desc, name' }).orderBy);
    expect(sorted.map((item) => item.name)).toEqual(['a', 'b', 'c', 'd']);
    const ascending = sortItems(vms, query({ $orderby: 'memorySizeBytes asc,name desc' }).orderBy);
    expect(ascending.map((item) => item.name)).toEqual(['c', 'b', 'a', 'd']);
  });

  it('sorts by nested paths', () => {
    expect(sortItems(vms, query({ $orderby: 'cluster/extId desc,name' }).orderBy).map((item) => item.name)).toEqual(['c', 'd', 'a', 'b']);
  });

  it.each([
    ['nmae', /^\$orderby: unknown field 'nmae'/],
    ['name sideways', /^\$orderby: 'name sideways' is not '<field> \[asc\|desc\]'/],
    ['name,', /^\$orderby: empty sort term/],
    ['name-desc', /is not a field path/],
  ])('rejects %s', (orderby, pattern) => {
    expect(() => query({ $orderby: orderby })).toThrow(pattern);
  });
});

describe('$select', () => {
  it('keeps the selected fields plus extId, $objectType and $reserved', () => {
    const result = applyListQuery(vms, query({ $select: 'name', $filter: "extId eq '1'" }));
    expect(result.items).toEqual([{ $objectType: 'vmm.v4.ahv.config.Vm', extId: '1', name: 'b' }]);
  });

  it('selects nested paths and skips fields an entity lacks', () => {
    expect(selectFields(vms[3]!, [['cluster', 'extId'], ['memorySizeBytes']])).toEqual({ $objectType: 'vmm.v4.ahv.config.Vm', extId: '4', cluster: { extId: 'c2' } });
  });

  it('rejects unknown fields', () => {
    expect(() => query({ $select: 'name,ip' })).toThrow(/^\$select: unknown field 'ip'/);
  });
});

describe('$filter through the list query', () => {
  it('filters with the parsed expression', () => {
    const result = applyListQuery(vms, query({ $filter: "powerState eq 'ON' and cluster/extId eq 'c2'" }));
    expect(result.items.map((item) => item.extId)).toEqual(['3']);
    expect(result.total).toBe(1);
  });

  it('rejects unknown fields before running anything', () => {
    expect(() => query({ $filter: "ip eq '10.0.0.1'" })).toThrow(/^\$filter: unknown field 'ip' at position 1/);
  });
});
