import { describe, expect, it } from 'vitest';
import type { ExprArgs, RenderScope } from '../../../src/expr/define.js';
import { allFilters } from '../../../src/expr/filters/index.js';
import { allFunctions } from '../../../src/expr/functions.js';
import { ErrorCode, PatchbayError } from '../../../src/errors.js';

const NOW = new Date('2024-07-09T06:17:01.171Z');

function call(name: string, args: ExprArgs = {}, extra: Partial<RenderScope> = {}): unknown {
  const fn = allFunctions.find((candidate) => candidate.name === name);
  if (!fn) throw new Error(`no function ${name}`);
  return fn.call(args, { revealedSecrets: new Set(), now: () => NOW, ...extra });
}

function thrown(run: () => unknown): PatchbayError {
  try {
    run();
  } catch (error) {
    if (error instanceof PatchbayError) return error;
    throw error;
  }
  throw new Error('expected an error');
}

describe('now', () => {
  const cases: [args: ExprArgs, expected: string][] = [
    [{}, '2024-07-09T06:17:01.171000Z'],
    [{ timeZone: 'Europe/Paris' }, '2024-07-09T08:17:01.171000+02:00'],
    [{ format: 'yyyy-MM-dd' }, '2024-07-09'],
    [{ format: 'iso_local_date_time', timeZone: 'Asia/Kolkata' }, '2024-07-09T11:47:01.171'],
  ];
  it.each(cases)('now(%j) = %j', (args, expected) => {
    expect(call('now', args)).toBe(expected);
  });

  it('uses the real clock when the scope has none', () => {
    const fn = allFunctions.find((candidate) => candidate.name === 'now');
    expect(fn?.call({}, { revealedSecrets: new Set() })).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/);
  });
});

describe('range (both ends included)', () => {
  const cases: [args: ExprArgs, expected: unknown[]][] = [
    [{ start: 0, end: 3 }, [0, 1, 2, 3]],
    [{ start: 0, end: 6, increment: 2 }, [0, 2, 4, 6]],
    [{ start: 0, end: 5, increment: 2 }, [0, 2, 4]],
    [{ start: 5, end: 1, increment: -2 }, [5, 3, 1]],
    [{ start: 1, end: 0 }, []],
    [{ start: 1.9, end: 3.2 }, [1, 2, 3]],
    [{ start: 'a', end: 'e', increment: 2 }, ['a', 'c', 'e']],
  ];
  it.each(cases)('range(%j) = %j', (args, expected) => {
    expect(call('range', args)).toEqual(expected);
  });

  const errors: [args: ExprArgs, message: string][] = [
    [{ start: 0, end: 3, increment: 0 }, 'the increment must be different from 0'],
    [{ start: 0, end: 3, increment: 'x' }, 'the increment must be a number, got string "x"'],
    [{ start: 'ab', end: 'c' }, 'two numbers or two one-character strings, got "ab" and "c"'],
    [{ start: 0 }, '`range` expects `start` and `end`'],
    [{ start: 0, end: 2_000_000 }, 'cannot produce more than 1000000 elements, this call would produce 2000001'],
  ];
  it.each(errors)('range(%j) fails with %j', (args, message) => {
    expect(() => call('range', args)).toThrow(message);
  });
});

describe('fromJson, json and yaml', () => {
  it('parses JSON', () => {
    expect(call('fromJson', { json: '[1, 2, 3]' })).toEqual([1, 2, 3]);
    expect(call('fromJson', { json: '{"foo": [666, 1, 2]}' })).toEqual({ foo: [666, 1, 2] });
    expect(call('json', { json: '"x"' })).toBe('x');
    expect(call('fromJson', { json: null })).toBeNull();
  });

  it('names the bad JSON', () => {
    expect(() => call('fromJson', { json: '{"a":' })).toThrow(/`fromJson`: invalid JSON \(.*\): "\{\\"a\\":"/);
    expect(() => call('json', { json: 12 })).toThrow('`json` expects a JSON string, got number 12');
  });

  it('parses YAML', () => {
    expect(call('yaml', { yaml: 'foo: [666, 1, 2]' })).toEqual({ foo: [666, 1, 2] });
    expect(() => call('yaml', { yaml: 'a: [1, 2' })).toThrow('`yaml`: invalid YAML');
  });
});

describe('secret', () => {
  const secrets: Record<string, string> = { GITHUB_TOKEN: 'ghp_123', DB: '{"user":"app","password":"s3cr3t"}' };
  const secret = (name: string): string | undefined => secrets[name];

  it('returns the value and records it for masking', () => {
    const revealedSecrets = new Set<string>();
    expect(call('secret', { key: 'GITHUB_TOKEN' }, { secret, revealedSecrets })).toBe('ghp_123');
    expect([...revealedSecrets]).toEqual(['ghp_123']);
  });

  it('extracts a subkey of a JSON secret and masks both', () => {
    const revealedSecrets = new Set<string>();
    expect(call('secret', { key: 'DB', subkey: 'password' }, { secret, revealedSecrets })).toBe('s3cr3t');
    expect(revealedSecrets).toEqual(new Set([secrets.DB, 's3cr3t']));
    expect(() => call('secret', { key: 'DB', subkey: 'host' }, { secret })).toThrow('secret `DB` has no subkey `host`');
    expect(() => call('secret', { key: 'GITHUB_TOKEN', subkey: 'x' }, { secret })).toThrow('is not a JSON object');
  });

  it('fails with SECRET_MISSING naming the secret', () => {
    const error = thrown(() => call('secret', { key: 'NOPE' }, { secret }));
    expect(error.code).toBe(ErrorCode.SECRET_MISSING);
    expect(error.message).toContain('`NOPE`');
    expect(thrown(() => call('secret', { key: 'NOPE' })).code).toBe(ErrorCode.SECRET_MISSING);
  });
});

describe('kv', () => {
  const store: Record<string, unknown> = { 'team.ops/last_run': '2024-07-01', 'shared/flag': true, 'team.ops/empty': null };
  const kv = (namespace: string, key: string) => {
    const id = `${namespace}/${key}`;
    return Object.hasOwn(store, id) ? { found: true, value: store[id] } : { found: false };
  };
  const scope = { kv, namespace: 'team.ops' };

  it('reads from the flow namespace or the given one', () => {
    expect(call('kv', { key: 'last_run' }, scope)).toBe('2024-07-01');
    expect(call('kv', { key: 'flag', namespace: 'shared' }, scope)).toBe(true);
    expect(call('kv', { key: 'empty' }, scope)).toBeNull();
  });

  it('fails with KV_MISSING naming key and namespace, unless errorOnMissing is false', () => {
    const error = thrown(() => call('kv', { key: 'nope' }, scope));
    expect(error.code).toBe(ErrorCode.KV_MISSING);
    expect(error.message).toBe('key `nope` does not exist in namespace `team.ops`');
    expect(call('kv', { key: 'nope', namespace: null, errorOnMissing: false }, scope)).toBeNull();
  });

  it('explains what is missing', () => {
    expect(() => call('kv', { key: 'k' }, { kv })).toThrow("no namespace to read `k` from; pass one: kv('k', 'my.namespace')");
    expect(() => call('kv', { key: 'k' }, { namespace: 'ns' })).toThrow('`kv` is not available in this context');
    expect(() => call('kv', { key: 'k', errorOnMissing: 'no' }, scope)).toThrow('must be true or false, got string "no"');
    expect(() => call('kv', {}, scope)).toThrow('`kv` expects a key');
  });
});

describe('appLink and uuid', () => {
  it('returns the execution link when the Slack layer provides one', () => {
    expect(call('appLink', {}, { appLink: () => 'https://example.slack.com/archives/C1/p2' })).toBe('https://example.slack.com/archives/C1/p2');
    expect(call('appLink')).toBeNull();
  });

  it('generates time-ordered v7 UUIDs', () => {
    const first = call('uuid') as string;
    expect(first).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(first.replace(/-/g, '').slice(0, 12)).toBe(NOW.getTime().toString(16).padStart(12, '0'));
    expect(call('uuid')).not.toBe(first);
  });
});

describe('registries', () => {
  it('name every filter and function once', () => {
    const filterNames = allFilters.map((filter) => filter.name);
    const functionNames = allFunctions.map((fn) => fn.name);
    expect(new Set(filterNames).size).toBe(filterNames.length);
    expect(new Set(functionNames).size).toBe(functionNames.length);
    expect(filterNames).toEqual(expect.arrayContaining(['slugify', 'default', 'date', 'dateAdd', 'jq', 'toJson', 'numberformat']));
  });
});
