import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { KvDelete } from '../../../../src/tasks/kv/Delete.js';
import { KvGet } from '../../../../src/tasks/kv/Get.js';
import { KvSet } from '../../../../src/tasks/kv/Set.js';
import { MemoryKv } from '../../../support/memory-kv.js';
import { type TestRun, createTestRun, rejection } from '../../../support/task-context.js';

let t: TestRun;
let now: number;
beforeEach(async () => {
  now = Date.UTC(2026, 0, 1);
  t = await createTestRun({ namespace: 'company.ops', kv: new MemoryKv(() => now) });
});
afterEach(() => t.cleanup());

describe('KV Set and Get', () => {
  it('stores in the flow namespace by default and reads the value back with its type', async () => {
    expect(await t.run(KvSet, { key: 'last_patch', value: { vm: 'prod-web-01', ok: true } })).toEqual({});
    expect(await t.kv.get('company.ops', 'last_patch')).toEqual({ found: true, value: { vm: 'prod-web-01', ok: true } });
    expect((await t.run(KvGet, { key: 'last_patch' })).outputs).toEqual({ value: { vm: 'prod-web-01', ok: true } });
  });

  it('uses an explicit namespace', async () => {
    await t.run(KvSet, { key: 'token', value: 'abc', namespace: 'company.shared' });
    expect(await t.kv.get('company.ops', 'token')).toEqual({ found: false });
    expect((await t.run(KvGet, { key: 'token', namespace: 'company.shared' })).outputs).toEqual({ value: 'abc' });
  });

  it('turns ttl into seconds, and the entry expires', async () => {
    await t.run(KvSet, { key: 'lock', value: 'held', ttl: 'PT1M30S' });
    expect(t.kv.ttlSecondsOf('company.ops', 'lock')).toBe(90);
    now += 91_000;
    expect((await t.run(KvGet, { key: 'lock' })).outputs).toEqual({});
  });

  it('refuses to replace an existing key with overwrite: false, and keeps the old value', async () => {
    await t.run(KvSet, { key: 'owner', value: 'first' });
    const error = await rejection(t.run(KvSet, { key: 'owner', value: 'second', overwrite: false }));
    expect(error.code).toBe('CONFLICT');
    expect(error.retryable).toBe(false);
    expect(await t.kv.get('company.ops', 'owner')).toEqual({ found: true, value: 'first' });
    await t.run(KvSet, { key: 'owner', value: 'third' });
    expect(await t.kv.get('company.ops', 'owner')).toEqual({ found: true, value: 'third' });
  });

  it.each([
    ['NUMBER', '42', 42],
    ['NUMBER', ' 3.5 ', 3.5],
    ['BOOLEAN', 'TRUE', true],
    ['BOOLEAN', 'yes', false],
    ['JSON', '{"a":[1,2]}', { a: [1, 2] }],
    ['DATETIME', '2026-05-01T12:00:00+02:00', '2026-05-01T10:00:00.000Z'],
    ['DATE', '2026-05-01', '2026-05-01'],
    ['DURATION', 'PT90M', 'PT90M'],
    ['STRING', '42', '42'],
  ])('converts a rendered string to kvType %s (%j)', async (kvType, value, stored) => {
    await t.run(KvSet, { key: 'k', value, kvType });
    expect(await t.kv.get('company.ops', 'k')).toEqual({ found: true, value: stored });
  });

  it('keeps a typed value as it is whatever kvType says', async () => {
    await t.run(KvSet, { key: 'k', value: 7, kvType: 'STRING' });
    expect(await t.kv.get('company.ops', 'k')).toEqual({ found: true, value: 7 });
  });

  it.each([['NUMBER', 'many'], ['JSON', '{oops'], ['DATETIME', 'yesterday']])('fails, not retryable, on a value that is not a %s', async (kvType, value) => {
    const error = await rejection(t.run(KvSet, { key: 'k', value, kvType }));
    expect(error.retryable).toBe(false);
    expect(error.message).toContain(`kvType ${kvType}`);
    expect(await t.kv.get('company.ops', 'k')).toEqual({ found: false });
  });

  it('leaves value out for a missing key, or fails with errorOnMissing', async () => {
    expect((await t.run(KvGet, { key: 'nope' })).outputs).toEqual({});
    const error = await rejection(t.run(KvGet, { key: 'nope', errorOnMissing: true }));
    expect(error.message).toBe("No value found for key 'nope' in namespace 'company.ops' and `errorOnMissing` is set to true");
    expect(error.retryable).toBe(false);
  });
});

describe('KV Delete', () => {
  it('outputs deleted: true for an existing key and removes it', async () => {
    await t.run(KvSet, { key: 'k', value: 'v' });
    expect((await t.run(KvDelete, { key: 'k' })).outputs).toEqual({ deleted: true });
    expect(await t.kv.get('company.ops', 'k')).toEqual({ found: false });
  });

  it('outputs deleted: false for a missing key, or fails with errorOnMissing', async () => {
    expect((await t.run(KvDelete, { key: 'k', namespace: 'other' })).outputs).toEqual({ deleted: false });
    const error = await rejection(t.run(KvDelete, { key: 'k', errorOnMissing: true }));
    expect(error.message).toContain("No value found for key 'k' in namespace 'company.ops'");
  });
});
