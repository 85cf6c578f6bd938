import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ErrorCode, PatchbayError } from '../../../src/errors.js';
import {
  INPUT_TYPES,
  inputDeclarationSchema,
  inputDeclarationsSchema,
  parseInputDeclaration,
} from '../../../src/flow/input-schema.js';

/** Each issue as `path: message`, the form a flow author reads. */
function problems(schema: z.ZodType, raw: unknown): string[] {
  const result = schema.safeParse(raw);
  if (result.success) throw new Error(`expected a failure for ${JSON.stringify(raw)}`);
  return result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
}

describe('input declaration schema', () => {
  it("accepts Kestra's documented example inputs and fills Kestra's defaults", () => {
    const inputs = inputDeclarationsSchema.parse([
      { id: 'string', type: 'STRING', defaults: 'Hello World!', displayName: 'A string input' },
      { id: 'optional', type: 'STRING', required: false },
      { id: 'int', type: 'INT', defaults: 100, min: 18, max: 200 },
      { id: 'list_of_int', type: 'ARRAY', itemType: 'INT', defaults: [1, 2, 3] },
      { id: 'bool', type: 'BOOL', defaults: true },
      { id: 'legacy_bool', type: 'BOOLEAN', defaults: false },
      { id: 'float', type: 'FLOAT', defaults: 100.12 },
      { id: 'dropdown', type: 'SELECT', defaults: 'VALUE_1', values: ['VALUE_1', 'VALUE_2'] },
      { id: 'dropdown_multi', type: 'MULTISELECT', values: ['VALUE_1', 'VALUE_2'] },
      { id: 'instant', type: 'DATETIME', defaults: '2013-08-09T14:19:00Z', after: '2013-01-01T00:00:00Z' },
      { id: 'date', type: 'DATE', defaults: '2013-10-25' },
      { id: 'time', type: 'TIME', defaults: '14:19:00' },
      { id: 'duration', type: 'DURATION', defaults: 'PT5M6S', min: 'PT5M6S', max: 'PT12H58M46S' },
      { id: 'json', type: 'JSON', defaults: '[{"name": "kestra"}]' },
      { id: 'uri', type: 'URI', defaults: 'https://example.com/orders.csv' },
      { id: 'secret', type: 'SECRET' },
      { id: 'yaml', type: 'YAML', defaults: [{ user: 'john' }] },
      { id: 'email', type: 'EMAIL', defaults: 'ops@example.com' },
      { id: 'nested.string', type: 'STRING', defaults: 'Hello' },
      { id: 'kv_driven', type: 'SELECT', expression: "{{ kv('VALUES') }}", dependsOn: { inputs: ['dropdown'], condition: '{{ true }}' } },
    ]);
    expect(inputs).toHaveLength(20);
    expect(inputs[0]).toMatchObject({ id: 'string', required: true });
    expect(inputs[1]).toMatchObject({ id: 'optional', required: false });
    expect(inputs[7]).toMatchObject({ allowCustomValue: false, autoSelectFirst: false, isRadio: false });
    expect(inputs[8]).toMatchObject({ itemType: 'STRING' });
  });

  it('normalises select values, scalar or { label, value }, to options', () => {
    const input = inputDeclarationSchema.parse({ id: 'env', type: 'SELECT', values: ['dev', { label: 'Production', value: 'prod' }, 3] });
    expect(input).toMatchObject({ values: [{ label: 'dev', value: 'dev' }, { label: 'Production', value: 'prod' }, { label: '3', value: '3' }] });
  });

  it("folds Kestra's deprecated `name` into `id`, and `id` wins when both are set", () => {
    const legacy = inputDeclarationSchema.parse({ name: 'vm', type: 'STRING' });
    expect(legacy.id).toBe('vm');
    expect(legacy).not.toHaveProperty('name');
    expect(inputDeclarationSchema.parse({ id: 'vm', name: 'old', type: 'STRING' }).id).toBe('vm');
  });

  it('does not check templated defaults statically (they render at run time)', () => {
    expect(inputDeclarationSchema.parse({ id: 'n', type: 'INT', defaults: '{{ 1 + 1 }}' })).toMatchObject({ defaults: '{{ 1 + 1 }}' });
    expect(inputDeclarationSchema.parse({ id: 'when', type: 'DATETIME', defaults: '{{ now() }}' }).id).toBe('when');
  });

  it.each([
    ['FILE, with the reason', { id: 'f', type: 'FILE' }, 'type: FILE inputs are not supported: Patchbay has no file upload; take a URI or STRING input and fetch the file in a task'],
    ['an unknown type', { id: 'n', type: 'NUMBER' }, `type: unknown input type "NUMBER": expected one of ${INPUT_TYPES.join(', ')}`],
    ['a missing type', { id: 'n' }, `type: input type is required (one of ${INPUT_TYPES.join(', ')})`],
    ['a non-mapping', 'vm', ': an input must be a mapping with an id and a type'],
    ['a property of another type', { id: 'n', type: 'INT', validator: '^\\d+$' }, ": unknown property 'validator' for type INT (allowed: id, name, description, displayName, required, dependsOn, type, defaults, prefill, min, max)"],
    ['a misspelt property', { id: 's', type: 'STRING', default: 'x' }, ": unknown property 'default' for type STRING (allowed: id, name, description, displayName, required, dependsOn, type, defaults, prefill, validator)"],
    ['an unknown dependsOn property', { id: 's', type: 'STRING', dependsOn: { when: 'x' } }, "dependsOn: unknown property 'when' (allowed: inputs, condition)"],
    ['a bad id', { id: 'my vm', type: 'STRING' }, `id: "my vm" is not a valid input id: start with a letter or digit, then letters, digits, '.', '_' or '-'`],
    ['an id starting with a dot', { id: '.vm', type: 'STRING' }, `id: ".vm" is not a valid input id: start with a letter or digit, then letters, digits, '.', '_' or '-'`],
    ['no id nor name', { type: 'STRING' }, 'id: input needs an id'],
    ['a validator that does not compile', { id: 'h', type: 'STRING', validator: '[a-z' }, 'validator: validator "[a-z" is not a valid regular expression: Invalid regular expression: /^(?:[a-z)$/: Unterminated character class'],
    ['SELECT with values and expression', { id: 's', type: 'SELECT', values: ['a'], expression: '{{ x }}' }, 'values: SELECT input needs exactly one of values or expression'],
    ['MULTISELECT with neither', { id: 'm', type: 'MULTISELECT' }, 'values: MULTISELECT input needs exactly one of values or expression'],
    ['a malformed option', { id: 's', type: 'SELECT', values: [{ lab: 'x' }] }, 'values.0: {"lab":"x"} is not a value: use a string or { label, value }'],
    ['ARRAY without itemType', { id: 'a', type: 'ARRAY' }, `itemType: itemType must be one of STRING, INT, FLOAT, BOOL, BOOLEAN, DATETIME, DATE, TIME, DURATION, JSON, YAML, URI, EMAIL`],
    ['ARRAY of ARRAY', { id: 'a', type: 'ARRAY', itemType: 'ARRAY' }, `itemType: itemType must be one of STRING, INT, FLOAT, BOOL, BOOLEAN, DATETIME, DATE, TIME, DURATION, JSON, YAML, URI, EMAIL`],
    ['MULTISELECT of SECRET', { id: 'm', type: 'MULTISELECT', values: ['a'], itemType: 'SECRET' }, `itemType: itemType must be one of STRING, INT, FLOAT, BOOL, BOOLEAN, DATETIME, DATE, TIME, DURATION, JSON, YAML, URI, EMAIL`],
    ['INT min above max', { id: 'n', type: 'INT', min: 10, max: 5 }, 'min: min 10 is greater than max 5'],
    ['a fractional INT bound', { id: 'n', type: 'INT', min: 1.5 }, 'min: Invalid input: expected int, received number'],
    ['a DURATION bound that is not a duration', { id: 'd', type: 'DURATION', min: '5m' }, 'min: min "5m" is not a valid DURATION value'],
    ['DURATION min above max', { id: 'd', type: 'DURATION', min: 'PT1H', max: 'PT5M' }, 'min: min PT1H is longer than max PT5M'],
    ['an impossible DATE bound', { id: 'd', type: 'DATE', after: '2024-02-30' }, 'after: after "2024-02-30" is not a valid DATE value'],
    ['DATETIME after later than before', { id: 'd', type: 'DATETIME', after: '2024-01-02T00:00:00Z', before: '2024-01-01T00:00:00Z' }, 'after: after 2024-01-02T00:00:00Z is later than before 2024-01-01T00:00:00Z'],
    ['a default of the wrong type', { id: 'n', type: 'INT', defaults: 'abc' }, 'defaults: defaults "abc" is not an integer'],
    ['a fractional default for INT', { id: 'n', type: 'INT', defaults: 5.5 }, 'defaults: 5.5 is not an integer or a template string'],
    ['a default outside the values', { id: 'env', type: 'SELECT', values: ['dev', 'prod'], defaults: 'qa' }, 'defaults: defaults "qa" is not one of dev, prod'],
    ['a default breaking min', { id: 'age', type: 'INT', min: 18, defaults: 17 }, 'defaults: defaults 17 is less than the minimum 18'],
    ['a SECRET default breaking its validator, masked', { id: 'pin', type: 'SECRET', validator: '\\d{4}', defaults: 'hunter2' }, 'defaults: defaults "***" does not match \\d{4}'],
    ['a non-string DATE default', { id: 'd', type: 'DATE', defaults: 5 }, 'defaults: 5 is not a string'],
    ['defaults and prefill together', { id: 's', type: 'STRING', defaults: 'a', prefill: 'b' }, 'prefill: set defaults or prefill, not both'],
    ['a dependency on itself', { id: 's', type: 'STRING', dependsOn: { inputs: ['s'] } }, "dependsOn: input 's' cannot depend on itself"],
  ])('rejects %s', (_case, raw, message) => {
    expect(problems(inputDeclarationSchema, raw)).toContain(message);
  });

  it('reports duplicate ids, unknown dependencies and dependsOn cycles across the list', () => {
    expect(problems(inputDeclarationsSchema, [
      { id: 'a', type: 'STRING', dependsOn: { inputs: ['b'] } },
      { id: 'b', type: 'STRING', dependsOn: { inputs: ['a', 'c'] } },
      { id: 'a', type: 'INT' },
    ])).toEqual([
      "2.id: duplicate input id 'a'",
      '0.dependsOn: dependsOn cycle: a -> b -> a',
      "1.dependsOn.inputs: input 'b' depends on unknown input 'c'",
    ]);
  });

  it('parseInputDeclaration throws FLOW_INVALID listing every problem with its path', () => {
    let thrown: unknown;
    try { parseInputDeclaration({ id: 'n', type: 'INT', min: 10, max: 5, defaults: 'abc' }); } catch (e) { thrown = e; }
    expect(thrown).toBeInstanceOf(PatchbayError);
    expect((thrown as PatchbayError).code).toBe(ErrorCode.FLOW_INVALID);
    expect((thrown as PatchbayError).message).toBe('invalid input declaration: min: min 10 is greater than max 5');
    expect(parseInputDeclaration({ id: 'ok', type: 'BOOL' })).toMatchObject({ id: 'ok', type: 'BOOL', required: true });
  });

  it('converts to the editor JSON Schema: one strict member per type, FILE absent, Kestra defaults shown', () => {
    const schema = z.toJSONSchema(inputDeclarationSchema, { io: 'input', unrepresentable: 'any' }) as {
      oneOf: { properties: Record<string, { const?: string; enum?: string[]; default?: unknown }>; required: string[]; additionalProperties: boolean }[];
    };
    const members = schema.oneOf;
    expect(members).toHaveLength(12);
    const types = members.flatMap((m) => m.properties.type!.enum ?? [m.properties.type!.const!]);
    expect(types.sort()).toEqual([...INPUT_TYPES].sort());
    expect(types).not.toContain('FILE');
    for (const member of members) {
      expect(member.additionalProperties).toBe(false);
      expect(member.required).toEqual(member.properties.type!.const === 'ARRAY' ? ['type', 'itemType'] : ['type']);
      expect(member.properties.required!.default).toBe(true);
    }
    const string = members.find((m) => m.properties.type!.const === 'STRING')!;
    expect(Object.keys(string.properties)).toContain('validator');
    const select = members.find((m) => m.properties.type!.enum?.includes('SELECT'))!;
    expect(select.properties.isRadio!.default).toBe(false);
  });
});
