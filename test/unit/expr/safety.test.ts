import nunjucks from 'nunjucks';
import { afterAll, describe, expect, it } from 'vitest';
import { ErrorCode, PatchbayError } from '../../../src/errors.js';
import { checkTemplate } from '../../../src/expr/check.js';
import { renderDeep, renderString, renderTyped } from '../../../src/expr/render.js';
import { sampleContext, sampleScope } from './context.js';

/**
 * Known nunjucks / JavaScript template escapes. Written in a flow they must be refused;
 * supplied as a user's input value they must come back as the plain text they are.
 */
const payloads = [
  '{{ range.constructor("return process")() }}',
  '{{ range.constructor("return process.env")() }}',
  '{{ now.constructor("return this")() }}',
  "{{ ''.constructor.constructor('return process')() }}",
  "{{ [].constructor.constructor('return 1')() }}",
  '{{ inputs.constructor }}',
  '{{ inputs.__proto__ }}',
  "{{ inputs['__proto__'] }}",
  "{{ inputs['constr' ~ 'uctor'] }}",
  "{{ {'a': 1}.constructor }}",
  '{{ inputs.vm.toUpperCase() }}',
  '{{ inputs.list.push(1) }}',
  '{{ inputs.vm.constructor.prototype }}',
  '{{ constructor }}',
  '{{ __pb_scope }}',
  '{{ toString() }}',
  "{{ inputs.hasOwnProperty('vm') }}",
  "{% set f = range.constructor %}{{ f('return process')() }}",
  "{{ cycler.constructor('return process')() }}",
  '{{ joiner() }}',
  "{% include '/etc/passwd' %}",
  "{% import 'lib' as lib %}{{ lib.x }}",
  "{% extends '/etc/passwd' %}",
  "{{ range['constructor']('return process')() }}",
  '{{ (range).constructor }}',
  '{{ inputs.list.map }}',
  '{{ inputs.vm.length.constructor }}',
  '{{ inputs.tags.valueOf() }}',
  '{{ inputs.prototype }}',
  '{{ range.call(null, 1, 2) }}',
  '{{ range.apply }}',
  '{% macro m() %}x{% endmacro %}{{ m() }}',
  '{{ __pb_out.constructor }}',
  '{{ this }}',
  '{{ range }}',
];

const pristine = Object.getOwnPropertyNames(Object.prototype).sort();

describe('template escapes written in a flow', () => {
  it('has at least 30 payloads', () => expect(payloads.length).toBeGreaterThanOrEqual(30));

  it.each(payloads)('refuses %s', (payload) => {
    let thrown: unknown;
    let result: unknown;
    try {
      result = renderTyped(payload, sampleContext(), sampleScope());
    } catch (error) {
      thrown = error;
    }
    expect(result, `rendered to ${JSON.stringify(result)}`).toBeUndefined();
    expect(thrown).toBeInstanceOf(PatchbayError);
  });

  it('leaves no trace on Object.prototype', () => {
    const scope = sampleScope();
    expect(() => renderTyped('{{ fromJson(\'{"__proto__": {"polluted": 1}}\').polluted }}', {}, scope)).toThrow(PatchbayError);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(pristine);
  });

  it('names the forbidden access', () => {
    expect(() => renderString('{{ range.constructor("return process")() }}', {}, sampleScope())).toThrow(/constructor.*not allowed/);
    try {
      renderString('{{ inputs.vm.toUpperCase() }}', sampleContext(), sampleScope());
    } catch (error) {
      expect((error as PatchbayError).code).toBe(ErrorCode.EXPRESSION_FORBIDDEN);
    }
  });

  it.each(payloads.filter((payload) => payload.includes('(') && !payload.includes('{%')))('is caught at load time: %s', (payload) => {
    const problems = checkTemplate(payload);
    const renders = (() => {
      try {
        renderTyped(payload, sampleContext(), sampleScope());
        return true;
      } catch {
        return false;
      }
    })();
    expect(renders).toBe(false);
    // Calls of anything but a built-in function are reported before the flow ever runs.
    if (/\.\w+\(|\)\(/.test(payload)) expect(problems.length).toBeGreaterThan(0);
  });
});

describe('template text supplied as data', () => {
  it.each(payloads)('comes back as plain text: %s', (payload) => {
    const context = { ...sampleContext(), inputs: { note: payload } };
    expect(renderString('{{ inputs.note }}', context, sampleScope())).toBe(payload);
    expect(renderTyped('{{ inputs.note }}', context, sampleScope())).toBe(payload);
    expect(renderString('note: {{ inputs.note }}!', context, sampleScope())).toBe(`note: ${payload}!`);
  });

  it('is not rendered again when nested in rendered properties', () => {
    const context = { inputs: { note: '{{ 7 * 7 }}' } };
    const rendered = renderDeep({ message: ['{{ inputs.note }}', 'x {{ inputs.note }}'], n: '{{ 6 * 7 }}' }, context, sampleScope());
    expect(rendered).toEqual({ message: ['{{ 7 * 7 }}', 'x {{ 7 * 7 }}'], n: 42 });
  });
});

describe('errors a flow author can act on', () => {
  const cases: [template: string, code: string, message: RegExp][] = [
    ['{{ inputs.missng }}', ErrorCode.EXPRESSION_EVAL, /`missng` is not defined; available: vm, n, env/],
    ['{{ outputs.nope.value }}', ErrorCode.EXPRESSION_EVAL, /`nope` is not defined/],
    ['{{ undeclared }}', ErrorCode.EXPRESSION_EVAL, /variable `undeclared` is not defined/],
    ['{{ inputs.list[7] }}', ErrorCode.EXPRESSION_EVAL, /index 7 is out of range \(length 3\)/],
    ['{{ 1 + }}', ErrorCode.EXPRESSION_SYNTAX, /\{\{ 1 \+ \}\}/],
    ["{{ secret('NOPE') }}", ErrorCode.SECRET_MISSING, /NOPE/],
    ["{{ kv('nope') }}", ErrorCode.KV_MISSING, /nope/],
    ["{{ inputs.vm | date('yyyy') }}", ErrorCode.EXPRESSION_EVAL, /Prod Web 01/],
    ["{{ 'x' | default('a', 'b') }}", ErrorCode.EXPRESSION_EVAL, /default.*at most 1 argument/],
    ["{{ 'x' | date(fmt='yyyy') }}", ErrorCode.EXPRESSION_EVAL, /no argument `fmt`/],
  ];

  it.each(cases)('%s', (template, code, message) => {
    let error: PatchbayError | undefined;
    try {
      renderTyped(template, sampleContext(), sampleScope());
    } catch (caught) {
      error = caught as PatchbayError;
    }
    expect(error?.code).toBe(code);
    expect(error?.message).toMatch(message);
    expect(error?.message).toContain(template.trim().slice(0, 12));
  });

  it('reports unknown filters and functions at load time with a suggestion', () => {
    expect(checkTemplate('{{ inputs.vm | slugifyy }}')).toEqual(['unknown filter `slugifyy`; did you mean `slugify`?']);
    expect(checkTemplate("{{ secrt('X') }}")).toEqual(['unknown function `secrt`; did you mean `secret`?']);
    expect(checkTemplate('{{ x is nul }}')[0]).toMatch(/unknown test `nul`; did you mean `null`/);
    expect(checkTemplate('{% if %}')[0]).toMatch(/syntax error/);
    expect(checkTemplate("{{ inputs.vm | slugify }} {{ secret('A') }}")).toEqual([]);
  });
});

describe('other nunjucks users in the process', () => {
  it('keep stock parsing and lookups', () => {
    renderString('{{ 1 ?? 2 }}', {}, sampleScope()); // make sure the Patchbay patches are installed
    const plain = new nunjucks.Environment(null, { autoescape: false });
    expect(plain.renderString('{{ missing.key }}|{{ "a" if true else "b" }}|{{ [1, 2] }}', {})).toBe('|a|1,2');
  });
});

afterAll(() => {
  expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(pristine);
});
