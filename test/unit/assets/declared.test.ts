import { describe, expect, it } from 'vitest';
import { diffAsset, describeChanges, mergeMetadata } from '../../../src/assets/changes.js';
import { mergeDeclaredAssets, renderTaskAssets } from '../../../src/assets/declared.js';
import { createScope, renderDeep } from '../../../src/expr/render.js';

/** The `assets` property rendered with a task's context and checked, every problem naming its field. */
const context = {
  inputs: { target_vm: 'Windows Web 01', ip_asset_id: 'ip-10.0.0.5', nothing: null, list: ['a'] },
  execution: { id: 'abc123' },
};
const render = (value: unknown) => renderDeep(value, context, createScope());
const declare = (declaration: unknown) => renderTaskAssets(declaration, render);
const failure = (declaration: unknown): string => {
  try {
    declare(declaration);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected a failure');
};

describe('renderTaskAssets', () => {
  it("renders the issue's certificate declaration", () => {
    const declared = declare({
      inputs: [{ id: '{{ inputs.target_vm | slugify }}' }, { id: '{{ inputs.ip_asset_id }}' }],
      outputs: [
        {
          id: "{{ 'cert-' ~ execution.id }}",
          type: 'io.kestra.plugin.ee.assets.VM.Certificate',
          metadata: { issuer: 'LetsEncrypt', valid_until: '2027-05-01', vm: '{{ inputs.target_vm }}' },
        },
      ],
    });
    expect(declared).toEqual({
      inputs: [{ id: 'windows-web-01' }, { id: 'ip-10.0.0.5' }],
      outputs: [{ id: 'cert-abc123', type: 'io.kestra.plugin.ee.assets.VM.Certificate', metadata: { issuer: 'LetsEncrypt', valid_until: '2027-05-01', vm: 'Windows Web 01' } }],
    });
  });

  it('returns undefined when nothing is declared, and keeps inputs-only declarations', () => {
    expect(declare(undefined)).toBeUndefined();
    expect(declare({ enableAuto: true })).toBeUndefined();
    expect(declare({ inputs: [], outputs: [] })).toBeUndefined();
    expect(declare({ inputs: [{ id: 'vm' }, { id: 'vm' }, { id: 42 }] })).toEqual({ inputs: [{ id: 'vm' }, { id: '42' }], outputs: [] });
  });

  it('keeps text fields as text and drops blank ones', () => {
    expect(declare({ outputs: [{ id: ' x ', type: 'VM', namespace: '', displayName: 7, description: null }] })).toEqual({
      inputs: [],
      outputs: [{ id: 'x', type: 'VM', displayName: '7' }],
    });
  });

  it.each([
    ['a list for the property', ['x'], '`assets`: expected a map with `inputs` and/or `outputs`, got a list'],
    ['an unknown property', { input: [] }, '`assets.input`: unknown field; `assets` has inputs, outputs and enableAuto'],
    ['inputs not a list', { inputs: { id: 'x' } }, '`assets.inputs`: expected a list, got a map'],
    ['an input that is text', { inputs: ['vm'] }, '`assets.inputs[0]`: expected a map with `id`, got string "vm"'],
    ['an input with a type', { inputs: [{ id: 'x', type: 'VM' }] }, '`assets.inputs[0].type`: unknown field; an input has only `id`'],
    ['an id rendered empty', { inputs: [{ id: '{{ inputs.nothing }}' }] }, '`assets.inputs[0].id`: an asset id must be text, got null'],
    ['an id rendered to a list', { outputs: [{ id: '{{ inputs.list }}' }] }, '`assets.outputs[0].id`: an asset id must be text, got a list'],
    ['a blank id', { outputs: [{ id: '  ' }] }, '`assets.outputs[0].id`: the asset id rendered to an empty value'],
    ['an over-long id', { outputs: [{ id: 'x'.repeat(513) }] }, '`assets.outputs[0].id`: an asset id may have at most 512 characters, got 513'],
    ['metadata not a map', { outputs: [{ id: 'x', metadata: ['a'] }] }, '`assets.outputs[0].metadata`: expected a map of key: value, got a list'],
    ['a type that is a map', { outputs: [{ id: 'x', type: { a: 1 } }] }, '`assets.outputs[0].type`: expected text, got a map'],
    ['an unknown output field', { outputs: [{ id: 'x', kind: 'VM' }] }, '`assets.outputs[0].kind`: unknown field; an output has id, type, namespace, displayName, description, metadata'],
    ['one output twice', { outputs: [{ id: 'x' }, { id: 'y' }, { id: 'x' }] }, '`assets.outputs[2].id`: asset `x` is already declared by assets.outputs[0]'],
    ['a template that fails', { inputs: [{ id: '{{ inputs.missing.deeper }}' }] }, '`assets.inputs[0].id`:'],
  ])('refuses %s', (_name, declaration, message) => {
    expect(failure(declaration)).toContain(message);
  });
});

describe('metadata changes', () => {
  const stored = { id: 'c', type: 'Cert', namespace: 'ns', displayName: null, description: null, metadata: { issuer: 'LE', until: '2026', tags: ['a'] }, deleted: false };

  it('merges shallowly: declared keys replace, others stay', () => {
    expect(mergeMetadata(stored.metadata, { until: '2027', serial: 1 })).toEqual({ issuer: 'LE', until: '2027', tags: ['a'], serial: 1 });
    expect(mergeMetadata(stored.metadata, undefined)).toBe(stored.metadata);
  });

  it('diffs only what changes, by value', () => {
    expect(diffAsset(stored, { id: 'c', type: 'Cert', metadata: { issuer: 'LE', tags: ['a'], until: '2027', serial: 1 } })).toEqual({
      metadata: { until: { from: '2026', to: '2027' }, serial: { to: 1 } },
      fields: {},
    });
    expect(diffAsset(stored, { id: 'c', type: 'Certificate', displayName: 'Web cert' }).fields).toEqual({
      type: { from: 'Cert', to: 'Certificate' },
      displayName: { from: null, to: 'Web cert' },
    });
  });

  it('describes changes one per line', () => {
    expect(describeChanges({ fields: { type: { from: 'Cert', to: 'Certificate' } }, metadata: { until: { from: '2026', to: '2027' }, serial: { to: 1 } } })).toEqual([
      'type Cert → Certificate',
      'until 2026 → 2027',
      'serial = 1',
    ]);
  });
});

describe('mergeDeclaredAssets', () => {
  const vm = { id: 'web-01', type: 'io.kestra.plugin.ee.assets.VM', metadata: { provider: 'nutanix', extId: 'x-1', ip: '10.0.0.5' } };
  it('keeps either side alone', () => {
    expect(mergeDeclaredAssets(undefined, undefined)).toBeUndefined();
    expect(mergeDeclaredAssets({ inputs: [], outputs: [vm] }, undefined)).toEqual({ inputs: [], outputs: [vm] });
    expect(mergeDeclaredAssets(undefined, { inputs: [{ id: 'a' }], outputs: [] })).toEqual({ inputs: [{ id: 'a' }], outputs: [] });
  });
  it("lets the flow's fields win for an id both name, merging metadata key by key", () => {
    const merged = mergeDeclaredAssets(
      { inputs: [{ id: 'cluster' }], outputs: [vm, { id: 'other' }] },
      { inputs: [{ id: 'cluster' }, { id: 'ticket' }], outputs: [{ id: 'web-01', displayName: 'Web 01', metadata: { os: 'windows', ip: '10.0.0.9' } }] },
    );
    expect(merged?.inputs).toEqual([{ id: 'cluster' }, { id: 'ticket' }]);
    expect(merged?.outputs).toEqual([
      { id: 'other' },
      { id: 'web-01', type: 'io.kestra.plugin.ee.assets.VM', displayName: 'Web 01', metadata: { provider: 'nutanix', extId: 'x-1', ip: '10.0.0.9', os: 'windows' } },
    ]);
  });
});
