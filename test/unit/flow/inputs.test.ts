import { describe, expect, it, vi } from 'vitest';
import { ErrorCode } from '../../../src/errors.js';
import { inputDeclarationSchema, type InputDeclaration } from '../../../src/flow/input-schema.js';
import {
  coerceInput,
  inputErrorsToPatchbayError,
  nestInputValues,
  resolveInputs,
  type InputRenderContext,
  type ResolveInputsOptions,
} from '../../../src/flow/inputs.js';

const decl = (raw: Record<string, unknown>): InputDeclaration => inputDeclarationSchema.parse(raw);
const decls = (...raws: Record<string, unknown>[]): InputDeclaration[] => raws.map(decl);

/** Render callbacks that fail the test if anything asks them to render. */
const noRendering = (): ResolveInputsOptions => ({
  render: vi.fn(() => { throw new Error('render must not be called'); }),
  renderTyped: vi.fn(() => { throw new Error('renderTyped must not be called'); }),
});

/** A tiny stand-in for the expression engine: `{{ inputs.x }}` and `{{ inputs.x == 'y' }}` only. */
const lookup = (ctx: InputRenderContext, path: string): unknown =>
  path.split('.').slice(1).reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], ctx.inputs);
const fakeEngine = (lists: Record<string, unknown> = {}): ResolveInputsOptions => ({
  render: vi.fn((template: string, ctx: InputRenderContext) =>
    template.replace(/\{\{\s*([\w.]+)\s*\}\}/g, (_m, path: string) => String(lookup(ctx, path)))),
  renderTyped: vi.fn((template: string, ctx: InputRenderContext) => {
    const eq = /^\{\{\s*([\w.]+)\s*==\s*'([^']*)'\s*\}\}$/.exec(template);
    if (eq) return lookup(ctx, eq[1]!) === eq[2];
    if (template in lists) return lists[template];
    throw new Error(`unknown expression ${template}`);
  }),
});

describe('coerceInput', () => {
  it.each([
    ['STRING keeps text', { type: 'STRING' }, 'hello', 'hello'],
    ['STRING stringifies a typed number', { type: 'STRING' }, 5, '5'],
    ['STRING matching its whole-value validator', { type: 'STRING', validator: '^[a-z-]+$' }, 'web-one', 'web-one'],
    ['STRING with a Java inline flag', { type: 'STRING', validator: '(?i)prod|dev' }, 'PROD', 'PROD'],
    ['INT from text', { type: 'INT' }, '5', 5],
    ['INT from signed text with spaces', { type: 'INT' }, ' -12 ', -12],
    ['INT typed', { type: 'INT', min: 1, max: 10 }, 10, 10],
    ['FLOAT from text', { type: 'FLOAT' }, '1.25', 1.25],
    ['FLOAT from exponent text', { type: 'FLOAT' }, '1e3', 1000],
    ['BOOL from text, any case', { type: 'BOOL' }, 'TRUE', true],
    ['BOOLEAN from text', { type: 'BOOLEAN' }, 'false', false],
    ['BOOL typed', { type: 'BOOL' }, false, false],
    ['SELECT in values', { type: 'SELECT', values: ['dev', 'prod'] }, 'prod', 'prod'],
    ['SELECT by option value, not label', { type: 'SELECT', values: [{ label: 'Production', value: 'p' }] }, 'p', 'p'],
    ['SELECT custom value when allowed', { type: 'SELECT', values: ['a'], allowCustomValue: true }, 'zzz', 'zzz'],
    ['MULTISELECT from a JSON array', { type: 'MULTISELECT', values: ['a', 'b', 'c'] }, '["a", "c"]', ['a', 'c']],
    ['MULTISELECT from comma-separated text', { type: 'MULTISELECT', values: ['a', 'b', 'c'] }, 'a, b', ['a', 'b']],
    ['MULTISELECT typed', { type: 'MULTISELECT', values: ['a', 'b'] }, ['b'], ['b']],
    ['MULTISELECT coerced by itemType', { type: 'MULTISELECT', values: ['1', '2'], itemType: 'INT' }, '1,2', [1, 2]],
    ['ARRAY of INT from comma-separated text', { type: 'ARRAY', itemType: 'INT' }, '1, 2,3', [1, 2, 3]],
    ['ARRAY of INT from a JSON array', { type: 'ARRAY', itemType: 'INT' }, '[1, "2"]', [1, 2]],
    ['ARRAY of DATE typed', { type: 'ARRAY', itemType: 'DATE' }, ['2024-01-02'], ['2024-01-02']],
    ['JSON from text', { type: 'JSON' }, '{"a": [1, true]}', { a: [1, true] }],
    ['JSON typed', { type: 'JSON' }, { a: 1 }, { a: 1 }],
    ['YAML from text', { type: 'YAML' }, 'a: 1\nb: [x, y]', { a: 1, b: ['x', 'y'] }],
    ['SECRET', { type: 'SECRET' }, 's3cr3t', 's3cr3t'],
    ['DATETIME in UTC', { type: 'DATETIME' }, '2024-01-02T03:04:05Z', '2024-01-02T03:04:05Z'],
    ['DATETIME with an offset, normalised to UTC', { type: 'DATETIME' }, '2024-01-02T04:04:05+01:00', '2024-01-02T03:04:05Z'],
    ['DATETIME crossing midnight backwards', { type: 'DATETIME' }, '2024-01-01T23:30:00-01:00', '2024-01-02T00:30:00Z'],
    ['DATETIME with a fraction, as Java prints it', { type: 'DATETIME' }, '2024-01-02T03:04:05.5Z', '2024-01-02T03:04:05.500Z'],
    ['DATETIME zero fraction dropped', { type: 'DATETIME' }, '2024-01-02T03:04:05.000Z', '2024-01-02T03:04:05Z'],
    ['DATETIME from a Date', { type: 'DATETIME' }, new Date('2024-01-02T03:04:05Z'), '2024-01-02T03:04:05Z'],
    ['DATE on a leap day', { type: 'DATE' }, '2024-02-29', '2024-02-29'],
    ['TIME without seconds, normalised', { type: 'TIME' }, '10:15', '10:15:00'],
    ['TIME with seconds', { type: 'TIME', after: '10:00', before: '11:00' }, '10:15:30', '10:15:30'],
    ['DURATION normalised as Java does', { type: 'DURATION' }, 'PT90M', 'PT1H30M'],
    ['DURATION in days', { type: 'DURATION' }, 'P1DT2H', 'PT26H'],
    ['DURATION with fractional seconds', { type: 'DURATION' }, 'PT1.5S', 'PT1.5S'],
    ['DURATION inside its range', { type: 'DURATION', min: 'PT5M', max: 'PT1H' }, 'PT5M', 'PT5M'],
    ['URI', { type: 'URI' }, 'https://pc.example.com:9440/api?x=1', 'https://pc.example.com:9440/api?x=1'],
    ['URI with another scheme', { type: 'URI' }, 'ssh://root@10.0.0.5', 'ssh://root@10.0.0.5'],
    ['EMAIL', { type: 'EMAIL' }, 'ops@example.com', 'ops@example.com'],
  ])('accepts %s', (_case, raw, value, expected) => {
    expect(coerceInput(decl({ id: 'x', ...raw }), value)).toEqual({ ok: true, value: expected });
  });

  it.each([
    ['INT from text with decimals', { id: 'retries', type: 'INT' }, '5.5', 'type', `input 'retries': "5.5" is not an integer`],
    ['INT from words', { id: 'retries', type: 'INT' }, 'abc', 'type', `input 'retries': "abc" is not an integer`],
    ['INT typed fraction', { id: 'retries', type: 'INT' }, 2.5, 'type', `input 'retries': 2.5 is not an integer`],
    ['INT below min', { id: 'age', type: 'INT', min: 18 }, '17', 'min', `input 'age': 17 is less than the minimum 18`],
    ['INT above max', { id: 'age', type: 'INT', max: 64 }, 65, 'max', `input 'age': 65 is greater than the maximum 64`],
    ['FLOAT from words', { id: 'ratio', type: 'FLOAT' }, 'half', 'type', `input 'ratio': "half" is not a number`],
    ['FLOAT not finite', { id: 'ratio', type: 'FLOAT' }, 'Infinity', 'type', `input 'ratio': "Infinity" is not a number`],
    ['FLOAT above max', { id: 'ratio', type: 'FLOAT', max: 1 }, '1.5', 'max', `input 'ratio': 1.5 is greater than the maximum 1`],
    ['BOOL from yes', { id: 'force', type: 'BOOL' }, 'yes', 'type', `input 'force': "yes" is not a boolean (true or false)`],
    ['STRING not matching', { id: 'host', type: 'STRING', validator: '^[a-z-]+$' }, 'x y', 'validator', `input 'host': "x y" does not match ^[a-z-]+$`],
    ['STRING matching only a part, as Java matches()', { id: 'host', type: 'STRING', validator: '[a-z]+' }, 'web01', 'validator', `input 'host': "web01" does not match [a-z]+`],
    ['STRING given an object', { id: 'host', type: 'STRING' }, { a: 1 }, 'type', `input 'host': {"a":1} is not a string`],
    ['SELECT outside values', { id: 'env', type: 'SELECT', values: ['dev', 'prod'] }, 'qa', 'values', `input 'env': "qa" is not one of dev, prod`],
    ['MULTISELECT with one bad item', { id: 'zones', type: 'MULTISELECT', values: ['a', 'b'] }, 'a,z', 'values', `input 'zones': "z" is not one of a, b (item 2)`],
    ['MULTISELECT with a broken JSON array', { id: 'zones', type: 'MULTISELECT', values: ['a'] }, '["a"', 'type', `input 'zones': "[\\"a\\"" is not a JSON array: Expected ',' or ']' after array element in JSON at position 4`],
    ['ARRAY with a bad item', { id: 'ports', type: 'ARRAY', itemType: 'INT' }, '[22, "ssh"]', 'type', `input 'ports': "ssh" is not an integer (item 2)`],
    ['ARRAY given a number', { id: 'ports', type: 'ARRAY', itemType: 'INT' }, 22, 'type', `input 'ports': 22 is not a list`],
    ['JSON that does not parse', { id: 'cfg', type: 'JSON' }, '{a', 'type', `input 'cfg': "{a" is not valid JSON: Expected property name or '}' in JSON at position 1`],
    ['YAML that does not parse', { id: 'cfg', type: 'YAML' }, 'a: b: c', 'type', `input 'cfg': "a: b: c" is not valid YAML: Nested mappings are not allowed in compact mappings at line 1, column 4:`],
    ['DATETIME without a zone', { id: 'at', type: 'DATETIME' }, '2024-01-02T03:04:05', 'type', `input 'at': "2024-01-02T03:04:05" is not an ISO-8601 date-time with a zone, like 2024-01-02T03:04:05Z`],
    ['DATETIME on an impossible day', { id: 'at', type: 'DATETIME' }, '2023-02-29T00:00:00Z', 'type', `input 'at': "2023-02-29T00:00:00Z" is not an ISO-8601 date-time with a zone, like 2024-01-02T03:04:05Z`],
    ['DATETIME before after', { id: 'at', type: 'DATETIME', after: '2024-04-10T14:19:00Z' }, '2024-04-10T15:00:00+02:00', 'after', `input 'at': "2024-04-10T13:00:00Z" is before 2024-04-10T14:19:00Z, the earliest allowed`],
    ['DATE in the wrong form', { id: 'day', type: 'DATE' }, '02/01/2024', 'type', `input 'day': "02/01/2024" is not a date in the form yyyy-MM-dd`],
    ['DATE past before', { id: 'day', type: 'DATE', before: '2024-04-15' }, '2024-04-16', 'before', `input 'day': "2024-04-16" is after 2024-04-15, the latest allowed`],
    ['TIME out of range', { id: 'at', type: 'TIME' }, '24:00', 'type', `input 'at': "24:00" is not a time in the form HH:mm or HH:mm:ss`],
    ['DURATION in a human form', { id: 'wait', type: 'DURATION' }, '5m', 'type', `input 'wait': "5m" is not an ISO-8601 duration, like PT5M or P1DT2H`],
    ['DURATION with months, which Java refuses', { id: 'wait', type: 'DURATION' }, 'P1M', 'type', `input 'wait': "P1M" is not an ISO-8601 duration, like PT5M or P1DT2H`],
    ['DURATION below min', { id: 'wait', type: 'DURATION', min: 'PT5M' }, 'PT60S', 'min', `input 'wait': "PT1M" is shorter than the minimum PT5M`],
    ['DURATION above max', { id: 'wait', type: 'DURATION', max: 'PT1H' }, 'P1D', 'max', `input 'wait': "PT24H" is longer than the maximum PT1H`],
    ['URI without a scheme', { id: 'url', type: 'URI' }, 'example.com/x', 'type', `input 'url': "example.com/x" is not an absolute URI`],
    ['URI with a bad port', { id: 'url', type: 'URI' }, 'http://example.com:99999/', 'type', `input 'url': "http://example.com:99999/" is not an absolute URI`],
    ['EMAIL without a domain', { id: 'to', type: 'EMAIL' }, 'ops@', 'type', `input 'to': "ops@" is not an email address`],
  ])('rejects %s', (_case, raw, value, rule, message) => {
    const result = coerceInput(decl(raw), value);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toEqual({ inputId: raw.id, value, rule, message });
  });

  it('never shows a SECRET value in an error', () => {
    const result = coerceInput(decl({ id: 'token', type: 'SECRET', validator: '^[0-9a-f]{8}$' }), 'hunter2');
    expect(result).toEqual({ ok: false, error: { inputId: 'token', value: '***', rule: 'validator', message: `input 'token': "***" does not match ^[0-9a-f]{8}$` } });
  });
});

describe('resolveInputs', () => {
  it('coerces given text, applies and coerces defaults, and sets absent optional inputs to null', async () => {
    const inputs = decls(
      { id: 'vm', type: 'STRING' },
      { id: 'retries', type: 'INT', defaults: '3' },
      { id: 'dry_run', type: 'BOOL', defaults: false },
      { id: 'note', type: 'STRING', required: false },
      { id: 'window', type: 'DURATION', defaults: 'PT90M' },
    );
    const options = noRendering();
    const result = await resolveInputs(inputs, { vm: 'prod-web-01', dry_run: 'TRUE' }, options);
    expect(result).toEqual({
      values: { vm: 'prod-web-01', retries: 3, dry_run: true, note: null, window: 'PT1H30M' },
      errors: [],
      secretInputIds: [],
    });
  });

  it('reports every problem at once, unknown keys first with a suggestion, and returns no values', async () => {
    const inputs = decls(
      { id: 'vm', type: 'STRING' },
      { id: 'env', type: 'SELECT', values: ['dev', 'prod'], defaults: 'dev' },
      { id: 'retries', type: 'INT' },
    );
    const result = await resolveInputs(inputs, { vn: 'prod-web-01', env: 'qa', retries: 'abc' }, noRendering());
    expect(result.values).toEqual({});
    expect(result.errors).toEqual([
      { inputId: 'vn', value: 'prod-web-01', rule: 'unknown', message: "unknown input 'vn' (did you mean 'vm'?); this flow declares: vm, env, retries" },
      { inputId: 'vm', value: null, rule: 'required', message: "input 'vm' is required" },
      { inputId: 'env', value: 'qa', rule: 'values', message: `input 'env': "qa" is not one of dev, prod` },
      { inputId: 'retries', value: 'abc', rule: 'type', message: `input 'retries': "abc" is not an integer` },
    ]);
  });

  it('names unknown keys even when nothing is close, and when the flow declares no inputs', async () => {
    const one = await resolveInputs(decls({ id: 'vm', type: 'STRING', required: false }), { environment: 'x' }, noRendering());
    expect(one.errors.map((e) => e.message)).toEqual(["unknown input 'environment'; this flow declares: vm"]);
    const none = await resolveInputs([], { vm: 'x' }, noRendering());
    expect(none.errors.map((e) => e.message)).toEqual(["unknown input 'vm'; this flow declares no inputs"]);
  });

  it('treats an empty form field as not given, except for text inputs', async () => {
    const inputs = decls({ id: 'n', type: 'INT', defaults: 7 }, { id: 's', type: 'STRING', defaults: 'x' });
    const result = await resolveInputs(inputs, { n: '', s: '' }, noRendering());
    expect(result.values).toEqual({ n: 7, s: '' });
  });

  it('says when a default is wrong, so the flow author is blamed, not the operator', async () => {
    const inputs = decls({ id: 'vm', type: 'STRING' }, { id: 'count', type: 'INT', defaults: '{{ inputs.vm }}' });
    const result = await resolveInputs(inputs, { vm: 'web' }, fakeEngine());
    expect(result.errors).toEqual([{ inputId: 'count', value: 'web', rule: 'type', message: `input 'count' (default): "web" is not an integer` }]);
  });

  it('renders templated defaults with the inputs resolved so far, ordering by dependsOn', async () => {
    const inputs = decls(
      // Declared before what it depends on: dependsOn moves it after `vm` and `port`.
      { id: 'url', type: 'URI', defaults: 'https://{{ inputs.vm }}:{{ inputs.port }}/health', dependsOn: { inputs: ['vm', 'port'] } },
      { id: 'vm', type: 'STRING' },
      { id: 'port', type: 'INT', defaults: 8443 },
      { id: 'nested.host', type: 'STRING', defaults: '{{ inputs.vm }}.lan', dependsOn: { inputs: ['vm'] } },
      { id: 'echo', type: 'STRING', defaults: '{{ inputs.nested.host }}', dependsOn: { inputs: ['nested.host'] } },
    );
    const engine = fakeEngine();
    const result = await resolveInputs(inputs, { vm: 'web-01' }, engine);
    expect(result.errors).toEqual([]);
    expect(result.values).toEqual({ url: 'https://web-01:8443/health', vm: 'web-01', port: 8443, 'nested.host': 'web-01.lan', echo: 'web-01.lan' });
    expect(engine.render).toHaveBeenCalledWith('https://{{ inputs.vm }}:{{ inputs.port }}/health', { inputs: { vm: 'web-01', port: 8443 } });
  });

  it('drops inputs whose dependsOn condition is false, and their dependents', async () => {
    const inputs = decls(
      { id: 'kind', type: 'SELECT', values: ['vm', 'saas'] },
      { id: 'cluster', type: 'STRING', dependsOn: { inputs: ['kind'], condition: "{{ inputs.kind == 'vm' }}" } },
      { id: 'node', type: 'STRING', dependsOn: { inputs: ['cluster'] } },
      { id: 'app', type: 'STRING', dependsOn: { inputs: ['kind'], condition: "{{ inputs.kind == 'saas' }}" } },
    );
    const result = await resolveInputs(inputs, { kind: 'saas', app: 'jira' }, fakeEngine());
    expect(result).toEqual({ values: { kind: 'saas', app: 'jira' }, errors: [], secretInputIds: [] });
  });

  it('refuses a value given for an input its condition switched off, rather than ignoring it', async () => {
    const inputs = decls(
      { id: 'kind', type: 'SELECT', values: ['vm', 'saas'] },
      { id: 'cluster', type: 'STRING', dependsOn: { inputs: ['kind'], condition: "{{ inputs.kind == 'vm' }}" } },
    );
    const result = await resolveInputs(inputs, { kind: 'saas', cluster: 'c1' }, fakeEngine());
    expect(result.errors).toEqual([{ inputId: 'cluster', value: 'c1', rule: 'dependsOn', message: "input 'cluster': was given but is not used: its dependsOn condition is not met" }]);
  });

  it('skips inputs whose dependency failed, instead of piling up follow-on errors', async () => {
    const inputs = decls(
      { id: 'port', type: 'INT' },
      { id: 'url', type: 'URI', defaults: 'https://h:{{ inputs.port }}', dependsOn: { inputs: ['port'] } },
    );
    const engine = fakeEngine();
    const result = await resolveInputs(inputs, { port: 'ssh' }, engine);
    expect(result.errors.map((e) => e.inputId)).toEqual(['port']);
    expect(engine.render).not.toHaveBeenCalled();
  });

  it('takes SELECT and MULTISELECT values from their expression through renderTyped', async () => {
    const inputs = decls(
      { id: 'provider', type: 'SELECT', values: ['AWS', 'GCP'] },
      { id: 'size', type: 'SELECT', expression: "{{ kv('sizes') }}", dependsOn: { inputs: ['provider'] } },
      { id: 'zones', type: 'MULTISELECT', expression: " {{ kv('zones') }} ", autoSelectFirst: true },
    );
    const engine = fakeEngine({ "{{ kv('sizes') }}": ['t2.micro', { label: 'Large', value: 't2.large' }], "{{ kv('zones') }}": ['z1', 'z2'] });
    const ok = await resolveInputs(inputs, { provider: 'AWS', size: 't2.large' }, engine);
    expect(ok.values).toEqual({ provider: 'AWS', size: 't2.large', zones: ['z1'] });
    expect(engine.renderTyped).toHaveBeenCalledWith("{{ kv('sizes') }}", { inputs: { provider: 'AWS' } });
    const bad = await resolveInputs(inputs, { provider: 'AWS', size: 'huge', zones: 'z3' }, engine);
    expect(bad.errors.map((e) => e.message)).toEqual([
      `input 'size': "huge" is not one of t2.micro, t2.large`,
      `input 'zones': "z3" is not one of z1, z2 (item 1)`,
    ]);
  });

  it('reports an expression that fails or does not produce a list, and a default that fails to render', async () => {
    const inputs = decls(
      { id: 'a', type: 'SELECT', expression: '{{ broken }}' },
      { id: 'b', type: 'MULTISELECT', expression: '{{ text }}' },
      { id: 'c', type: 'STRING', defaults: '{{ nope(1) }}' },
    );
    const options: ResolveInputsOptions = {
      render: () => { throw new Error('unknown function nope'); },
      renderTyped: (template) => { if (template === '{{ text }}') return 'a,b'; throw new Error('broken is undefined'); },
    };
    const result = await resolveInputs(inputs, {}, options);
    expect(result.errors).toEqual([
      { inputId: 'a', value: undefined, rule: 'expression', message: "input 'a': cannot evaluate its expression: broken is undefined" },
      { inputId: 'b', value: undefined, rule: 'expression', message: `input 'b': its expression must produce a list of values, got "a,b"` },
      { inputId: 'c', value: undefined, rule: 'default', message: "input 'c': cannot evaluate its default: unknown function nope" },
    ]);
  });

  it('auto-selects the first static value when there is no default', async () => {
    const inputs = decls({ id: 'env', type: 'SELECT', values: ['dev', 'prod'], autoSelectFirst: true });
    expect((await resolveInputs(inputs, {}, noRendering())).values).toEqual({ env: 'dev' });
  });

  it('lists SECRET inputs for masking and never echoes their value', async () => {
    const inputs = decls({ id: 'token', type: 'SECRET' }, { id: 'pin', type: 'SECRET', validator: '\\d{4}', required: false });
    const ok = await resolveInputs(inputs, { token: 'abc' }, noRendering());
    expect(ok).toEqual({ values: { token: 'abc', pin: null }, errors: [], secretInputIds: ['token', 'pin'] });
    const bad = await resolveInputs(inputs, { token: 'abc', pin: 'hunter2' }, noRendering());
    expect(JSON.stringify(bad.errors)).not.toContain('hunter2');
  });

  it('treats a user value that looks like a template as data: returned verbatim, never rendered', async () => {
    const inputs = decls(
      { id: 'note', type: 'STRING' },
      { id: 'choice', type: 'SELECT', values: ['a'], allowCustomValue: true },
      { id: 'echo', type: 'STRING', defaults: 'said: {{ inputs.note }}', dependsOn: { inputs: ['note'] } },
    );
    const engine = fakeEngine();
    const payload = '{{ 7*7 }}';
    const result = await resolveInputs(inputs, { note: payload, choice: "{% include '/etc/passwd' %}" }, engine);
    expect(result.values).toMatchObject({ note: '{{ 7*7 }}', choice: "{% include '/etc/passwd' %}" });
    // The only template rendered is the flow's own; the user's text reaches it as data in the context.
    expect(engine.render).toHaveBeenCalledTimes(1);
    expect(engine.render).toHaveBeenCalledWith('said: {{ inputs.note }}', { inputs: { note: payload, choice: "{% include '/etc/passwd' %}" } });
    for (const call of [...vi.mocked(engine.render).mock.calls, ...vi.mocked(engine.renderTyped).mock.calls]) {
      expect(call[0]).not.toContain('7*7');
    }
  });
});

describe('helpers', () => {
  it('nests dotted ids as Kestra exposes them to templates', () => {
    expect(nestInputValues({ 'a.b': 1, 'a.c': 2, d: 3 })).toEqual({ a: { b: 1, c: 2 }, d: 3 });
  });

  it('keeps ids that name Object members as plain data', async () => {
    const inputs = decls({ id: 'constructor', type: 'STRING', required: false }, { id: 'toString', type: 'INT', defaults: 1 });
    expect((await resolveInputs(inputs, {}, noRendering())).values).toEqual({ constructor: null, toString: 1 });
    const nested = nestInputValues({ 'a.__proto__': { polluted: true } });
    expect(Object.getPrototypeOf(nested.a)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getOwnPropertyDescriptor(nested.a, '__proto__')?.value).toEqual({ polluted: true });
  });

  it('wraps errors into one INPUT_INVALID PatchbayError carrying them all', () => {
    const errors = [
      { inputId: 'vm', value: null, rule: 'required' as const, message: "input 'vm' is required" },
      { inputId: 'n', value: 'x', rule: 'type' as const, message: `input 'n': "x" is not an integer` },
    ];
    const error = inputErrorsToPatchbayError(errors);
    expect(error.code).toBe(ErrorCode.INPUT_INVALID);
    expect(error.message).toBe(`input 'vm' is required\ninput 'n': "x" is not an integer`);
    expect(error.details).toEqual({ errors });
  });
});
