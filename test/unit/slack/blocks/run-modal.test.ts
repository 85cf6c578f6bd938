import { describe, expect, it } from 'vitest';
import { ErrorCode, PatchbayError } from '../../../../src/errors.js';
import { INPUT_TYPES, inputDeclarationSchema, type InputDeclaration } from '../../../../src/flow/input-schema.js';
import { inputErrorsToPatchbayError, resolveInputs } from '../../../../src/flow/inputs.js';
import type { Flow } from '../../../../src/flow/model.js';
import { buildRunModal, inputErrorsOf, modalErrors, parseRunMetadata, readRunModal } from '../../../../src/slack/blocks/run-modal.js';
import { ALL_TYPES, loadFlow, noRender, submit, yaml } from './fixtures.js';
import { allTexts, expectValidModal } from './validate.js';

type Node = Record<string, unknown>;
const block = (view: { blocks: unknown[] }, id: string): Node => (view.blocks as Node[]).find((b) => b.block_id === id)!;
const element = (view: { blocks: unknown[] }, id: string): Node => block(view, id).element as Node;
const withInputs = (...inputs: Record<string, unknown>[]): Flow => ({ ...ALL_TYPES, inputs: inputs.map((i) => inputDeclarationSchema.parse(i)) });

describe('buildRunModal', () => {
  const view = buildRunModal(ALL_TYPES, { channelId: 'C123' });

  it('is a valid modal carrying the flow and channel', () => {
    expectValidModal(view as unknown as Node);
    expect(view.callback_id).toBe('flow_run');
    expect(parseRunMetadata(view.private_metadata!)).toEqual({ namespace: 'company.ops', flowId: 'all-types', channelId: 'C123' });
    expect(() => parseRunMetadata('{"flowId":1}')).toThrow(PatchbayError);
  });

  it.each([
    ['name', 'plain_text_input'], ['token', 'plain_text_input'], ['count', 'number_input'], ['ratio', 'number_input'],
    ['flag', 'checkboxes'], ['strict', 'checkboxes'], ['env', 'static_select'], ['colour', 'radio_buttons'],
    ['custom', 'plain_text_input'], ['zones', 'multi_static_select'], ['when', 'datetimepicker'], ['day', 'datepicker'],
    ['at', 'timepicker'], ['window', 'plain_text_input'], ['payload', 'plain_text_input'], ['config', 'plain_text_input'],
    ['ports', 'plain_text_input'], ['site', 'plain_text_input'], ['owner', 'plain_text_input'],
  ])('maps input %s to %s with action_id "value"', (id, type) => {
    expect(block(view, id).type).toBe('input');
    expect(element(view, id)).toMatchObject({ type, action_id: 'value' });
  });

  it('gives every Kestra input type Patchbay accepts an input block', () => {
    const extra: Record<string, Record<string, unknown>> = { SELECT: { values: ['a'] }, ENUM: { values: ['a'] }, MULTISELECT: { values: ['a'] }, ARRAY: { itemType: 'STRING' } };
    const flow = withInputs(...INPUT_TYPES.map((type) => ({ id: type.toLowerCase(), type, ...extra[type] })));
    const modal = buildRunModal(flow, { channelId: 'C1' });
    expectValidModal(modal as unknown as Node);
    expect((modal.blocks as unknown as Node[]).slice(1).map((b) => b.type)).toEqual(INPUT_TYPES.map(() => 'input'));
  });

  it('preselects the first option for autoSelectFirst, as the engine would', () => {
    const modal = buildRunModal(withInputs({ id: 'env', type: 'SELECT', values: ['uat', 'prod'], autoSelectFirst: true }), { channelId: 'C1' });
    expect(block(modal, 'env')).toMatchObject({ optional: true, element: { initial_option: { value: 'uat' } } });
  });

  it('shapes widgets from the declaration', () => {
    expect(block(view, 'name')).toMatchObject({ label: { text: 'VM name' }, hint: { text: 'Lowercase · Must match ^[a-z0-9-]+$' } });
    expect(element(view, 'count')).toMatchObject({ is_decimal_allowed: false, min_value: '1', max_value: '5', initial_value: '2' });
    expect(element(view, 'ratio')).toMatchObject({ is_decimal_allowed: true, initial_value: '0.5' });
    expect(element(view, 'flag')).toMatchObject({ initial_options: [{ value: 'true' }] });
    expect(element(view, 'env')).toMatchObject({ initial_option: { value: 'uat' } });
    expect((element(view, 'zones').initial_options as Node[]).map((o) => o.value)).toEqual(['z1', 'z3']);
    expect(element(view, 'when').initial_date_time).toBe(Date.parse('2024-05-06T07:08:00Z') / 1000);
    expect(element(view, 'at').initial_time).toBe('09:30');
    expect(block(view, 'window').hint).toMatchObject({ text: 'ISO-8601, e.g. PT30M' });
    expect(element(view, 'payload')).toMatchObject({ multiline: true, initial_value: '{\n  "a": 1\n}' });
    expect(element(view, 'ports')).toMatchObject({ multiline: true, initial_value: '[80,443]' });
    expect(block(view, 'day').hint).toMatchObject({ text: 'Must be after 2024-01-01' });
  });

  it('marks inputs optional when empty is meaningful, and only then', () => {
    const optional = (view.blocks as unknown as Node[]).filter((b) => b.optional).map((b) => b.block_id);
    expect(optional.sort()).toEqual(['at', 'config', 'count', 'custom', 'env', 'flag', 'owner', 'payload', 'ports', 'ratio', 'site', 'strict', 'token', 'when', 'window', 'zones'].sort());
  });

  it('prefills from the command line, but never a secret and never a value Slack would refuse', () => {
    const prefilled = buildRunModal(ALL_TYPES, { channelId: 'C1', prefilled: { name: 'web-01', token: 's3cret', count: '9', ratio: '1.5', flag: 'false', zones: 'z2,z3', vmm: 1 } });
    expect(element(prefilled, 'name').initial_value).toBe('web-01');
    expect(element(prefilled, 'token').initial_value).toBeUndefined();
    expect(allTexts(prefilled)).not.toContain('s3cret');
    expect(element(prefilled, 'count').initial_value).toBeUndefined(); // 9 > max 5
    expect(element(prefilled, 'ratio').initial_value).toBe('1.5');
    expect(element(prefilled, 'flag').initial_options).toBeUndefined();
    expect((element(prefilled, 'zones').initial_options as Node[]).map((o) => o.value)).toEqual(['z2', 'z3']);
    expect(JSON.stringify(block(prefilled, '_unknown'))).toContain('`vmm`');
  });

  it('never shows a templated default, and leaves the field optional so the engine computes it', () => {
    const flow = withInputs({ id: 'host', type: 'STRING', defaults: "{{ 'web-' ~ 1 }}" }, { id: 'go', type: 'BOOL', defaults: '{{ true }}' });
    const modal = buildRunModal(flow, { channelId: 'C1' });
    expect(element(modal, 'host').initial_value).toBeUndefined();
    expect(block(modal, 'host')).toMatchObject({ optional: true, hint: { text: 'Leave empty for the default the flow computes' } });
    expect(element(modal, 'go').type).toBe('radio_buttons'); // "not given" must stay expressible
  });

  it('uses the caller-resolved values of an expression, or a text field when none were given', () => {
    const flow = withInputs({ id: 'vm', type: 'SELECT', expression: '{{ kv("vms") }}' }, { id: 'tags', type: 'MULTISELECT', expression: '{{ [] }}' });
    const resolved = buildRunModal(flow, { channelId: 'C1', options: { vm: ['a', 'b'], tags: ['t1'] } });
    expect((element(resolved, 'vm').options as Node[]).map((o) => o.value)).toEqual(['a', 'b']);
    expect(element(resolved, 'tags').type).toBe('multi_static_select');
    expect(element(buildRunModal(flow, { channelId: 'C1' }), 'vm').type).toBe('plain_text_input');
  });

  it('falls back to a text field when the choices do not fit a select', () => {
    const many = Array.from({ length: 120 }, (_, i) => `v${i}`);
    const long = ['x'.repeat(200)];
    const modal = buildRunModal(withInputs({ id: 'many', type: 'SELECT', values: many }, { id: 'long', type: 'MULTISELECT', values: long }), { channelId: 'C1' });
    expect(element(modal, 'many').type).toBe('plain_text_input');
    expect((block(modal, 'many').hint as Node).text).toMatch(/^One of: v0, v1/);
    expect(element(modal, 'long').type).toBe('plain_text_input');
    expect((block(modal, 'long').hint as Node).text).toMatch(/^Comma-separated/);
    expectValidModal(modal as unknown as Node);
  });

  it('asks for a dependsOn boolean with Yes/No, and says when the input is used', () => {
    const flow = withInputs({ id: 'env', type: 'STRING' }, { id: 'confirm', type: 'BOOL', dependsOn: { inputs: ['env'], condition: "{{ inputs.env == 'prod' }}" } });
    const modal = buildRunModal(flow, { channelId: 'C1' });
    expect(element(modal, 'confirm').type).toBe('radio_buttons');
    expect(block(modal, 'confirm')).toMatchObject({ optional: true, hint: { text: "Used only when {{ inputs.env == 'prod' }}" } });
  });

  it('explains inputs Slack cannot take instead of showing a broken field', () => {
    const file = { id: 'upload', type: 'FILE', required: true } as unknown as InputDeclaration;
    const modal = buildRunModal({ ...ALL_TYPES, inputs: [file] }, { channelId: 'C1' });
    expect(block(modal, 'upload').type).toBe('context');
    expect(JSON.stringify(block(modal, 'upload'))).toContain('command line');
    expectValidModal(modal as unknown as Node);
  });

  it('refuses a flow with more inputs than a modal holds', () => {
    const flow = withInputs(...Array.from({ length: 100 }, (_, i) => ({ id: `i${i}`, type: 'STRING' })));
    expect(() => buildRunModal(flow, { channelId: 'C1' })).toThrow(expect.objectContaining({ code: ErrorCode.USAGE }));
  });

  it('confirms a flow without inputs', () => {
    const modal = buildRunModal({ ...ALL_TYPES, inputs: [] }, { channelId: 'C1' });
    expect(modal.blocks).toHaveLength(1);
    expect(modal.blocks[0]).toMatchObject({ type: 'section', text: { text: 'Run *company.ops.all-types* now? It takes no inputs.' } });
    expectValidModal(modal as unknown as Node);
  });

  it('escapes flow text and truncates long titles', () => {
    const flow = loadFlow(yaml('id: a-very-long-flow-identifier-indeed', 'namespace: x', 'description: "<!channel> see <https://evil|here>"',
      'inputs: [{ id: v, type: STRING }]', 'tasks: [{ id: t, type: io.kestra.plugin.core.log.Log, message: hi }]'));
    const modal = buildRunModal(flow, { channelId: 'C1' });
    expect(JSON.stringify(modal)).not.toMatch(/<!channel>|<https/);
    expect(modal.title.text).toHaveLength(24);
    expect(modal.title.text.endsWith('…')).toBe(true);
  });
});

describe('readRunModal', () => {
  const view = buildRunModal(ALL_TYPES, { channelId: 'C1' });
  const required = { name: 'web-01', colour: 'red', day: '2024-06-01' };

  it('round-trips an untouched form through the real resolveInputs: defaults come back typed', async () => {
    const given = readRunModal(ALL_TYPES, submit(view, required));
    const { values, errors } = await resolveInputs(ALL_TYPES.inputs, given, noRender);
    expect(errors).toEqual([]);
    expect(values).toEqual({
      name: 'web-01', token: null, count: 2, ratio: 0.5, flag: true, strict: false, env: 'uat', colour: 'red', custom: null,
      zones: ['z1', 'z3'], when: '2024-05-06T07:08:00Z', day: '2024-06-01', at: '09:30:00', window: 'PT30M', payload: { a: 1 },
      config: null, ports: [80, 443], site: 'https://example.com/x', owner: null,
    });
  });

  it('round-trips answers of every type', async () => {
    const answers = {
      ...required, token: 'hunter2', count: 5, ratio: 2.25, flag: false, strict: true, env: 'prod', custom: 'zzz', zones: ['z2'],
      when: Date.parse('2024-07-01T10:00:00Z') / 1000, at: '23:59', window: 'PT1H30M', payload: '[1,2]', config: 'a: [1, 2]',
      ports: '22, 8080', site: 'ssh://host:22', owner: 'ops@example.com',
    };
    const given = readRunModal(ALL_TYPES, submit(view, answers));
    expect(given).toMatchObject({ count: 5, flag: false, strict: true, zones: ['z2'], when: '2024-07-01T10:00:00Z' });
    const { values, errors } = await resolveInputs(ALL_TYPES.inputs, given, noRender);
    expect(errors).toEqual([]);
    expect(values).toMatchObject({
      token: 'hunter2', count: 5, ratio: 2.25, flag: false, strict: true, env: 'prod', custom: 'zzz', zones: ['z2'],
      when: '2024-07-01T10:00:00Z', at: '23:59:00', window: 'PT1H30M', payload: [1, 2], config: { a: [1, 2] }, ports: [22, 8080],
    });
  });

  it('leaves cleared fields out, so defaults apply', () => {
    const given = readRunModal(ALL_TYPES, submit(view, { ...required, window: null, zones: [], count: null, env: null }));
    expect(given).not.toHaveProperty('window');
    expect(given).not.toHaveProperty('zones');
    expect(given).not.toHaveProperty('count');
    expect(given).not.toHaveProperty('env');
  });

  it('reads own block ids only (an input named constructor)', () => {
    const flow = withInputs({ id: 'constructor', type: 'STRING', required: false });
    expect(readRunModal(flow, {})).toEqual({});
    expect(readRunModal(flow, submit(buildRunModal(flow, { channelId: 'C' }), { constructor: 'x' }))).toEqual({ constructor: 'x' });
  });
});

describe('modalErrors', () => {
  const view = buildRunModal(ALL_TYPES, { channelId: 'C1' });

  it('puts the engine errors under their input blocks, without repeating the input name', async () => {
    const given = { ...readRunModal(ALL_TYPES, submit(view, { name: 'Web 01', colour: 'red', day: '2023-01-01' })), typo: 1 };
    const { errors } = await resolveInputs(ALL_TYPES.inputs, given, noRender);
    const mapped = modalErrors(errors, view.blocks);
    expect(mapped.day).toMatch(/^"2023-01-01" is before 2024-01-01/);
    // An unknown key has no block: its full message goes on the first input block, after that field's own.
    expect(Object.keys(mapped).sort()).toEqual(['day', 'name']);
    expect(mapped.name).toMatch(/^"Web 01" does not match \^\[a-z0-9-\]\+\$; unknown input 'typo'/);
  });

  it('reads the errors out of an INPUT_INVALID PatchbayError', async () => {
    const { errors } = await resolveInputs(ALL_TYPES.inputs, {}, noRender);
    expect(inputErrorsOf(inputErrorsToPatchbayError(errors))).toEqual(errors);
    expect(modalErrors(inputErrorsOf(errors)!)).toMatchObject({ name: "input 'name' is required", colour: "input 'colour' is required" });
    expect(inputErrorsOf(new Error('x'))).toBeUndefined();
  });
});
