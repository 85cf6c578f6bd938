import { describe, expect, it } from 'vitest';
import { renderString, renderTyped } from '../../../src/expr/render.js';
import { sampleContext, sampleScope } from './context.js';

/**
 * The expression table: what a flow author writes for Kestra and what they get back.
 * `typed` rows go through renderTyped (a property that is exactly one `{{ }}` keeps its
 * type); `text` rows through renderString.
 */
type Row = [template: string, expected: unknown];

const operators: Row[] = [
  ["{{ 'a' ~ 'b' ~ 1 }}", 'ab1'],
  ["{{ inputs.n > 2 ? 'big' : 'small' }}", 'big'],
  ["{{ inputs.n > 5 ? 'big' : inputs.n > 2 ? 'mid' : 'small' }}", 'mid'],
  ["{{ inputs.nothing ?? 'fallback' }}", 'fallback'],
  ["{{ inputs.missing ?? 'fallback' }}", 'fallback'],
  ["{{ inputs.vm ?? 'fallback' }}", 'Prod Web 01'],
  ["{{ inputs.missing ??? 'undefined only' }}", 'undefined only'],
  ["{{ inputs.nothing ??? 'undefined only' }}", null],
  ["{{ inputs.missing ?? outputs.nope.value ?? 'third' }}", 'third'],
  ["{{inputs.missing??'tight'}}", 'tight'],
  ['{{ true and false }}', false],
  ['{{ true or false }}', true],
  ['{{ not false }}', true],
  ['{{ not (inputs.n == 3) }}', false],
  ['{{ inputs.n == 3 }}', true],
  ["{{ inputs.env != 'prod' }}", false],
  ['{{ 1 < 2 }}', true],
  ['{{ 2 <= 2 }}', true],
  ['{{ 3 > 4 }}', false],
  ['{{ 3 >= 3 }}', true],
  ["{{ 'prod' in ['uat', 'prod'] }}", true],
  ["{{ 'dev' not in ['uat', 'prod'] }}", true],
  ["{{ inputs.tags contains 'team' }}", true],
  ['{{ [1, 2, 3] contains [1, 3] }}', true],
  ["{{ 'patchbay' contains 'bay' }}", true],
  ["{{ inputs.vm equals 'Prod Web 01' }}", true],
  ['{{ 2 + 3 * 4 }}', 14],
  ['{{ (2 + 3) * 4 }}', 20],
  ['{{ 7 % 3 }}', 1],
  ['{{ 1 / 2 }}', 0.5],
  ['{{ 10 - 4 }}', 6],
  ['{{ -inputs.n }}', -3],
  ['{{ inputs.n * 1.5 }}', 4.5],
  ["{{ [1, 'two', true] }}", [1, 'two', true]],
  ['{{ {\'a\': 1, "b": [2]} }}', { a: 1, b: [2] }],
  ['{{ "double" ~ \'single\' }}', 'doublesingle'],
  ['{{ null }}', null],
  ["{{ 'it\\'s' }}", "it's"],
];

const tests: Row[] = [
  ['{{ inputs.missing is defined }}', false],
  ['{{ inputs.vm is defined }}', true],
  ['{{ inputs.missing is not defined }}', true],
  ['{{ inputs.nothing is null }}', true],
  ['{{ inputs.vm is not null }}', true],
  ['{{ inputs.empty is empty }}', true],
  ['{{ inputs.list is not empty }}', true],
  ['{{ inputs.missing is empty }}', true],
  ['{{ 3 is odd }}', true],
  ['{{ 4 is even }}', true],
  ['{{ inputs.tags is map }}', true],
  ['{{ \'{"a":1}\' is json }}', true],
  ['{{ inputs.list is iterable }}', true],
];

const blocks: Row[] = [
  ['{% if inputs.n > 5 %}big{% elseif inputs.n > 2 %}mid{% else %}small{% endif %}', 'mid'],
  ['{% if inputs.n > 5 %}big{% else %}small{% endif %}', 'small'],
  ['{% for x in inputs.list %}{{ x }},{% endfor %}', '3,1,2,'],
  ['{% for x in inputs.list %}{{ loop.index }}{% endfor %}', '012'],
  ['{% for x in inputs.list %}{% if loop.last %}{{ x }}{% endif %}{% endfor %}', '2'],
  ['{% for e in inputs.tags %}{{ e.key }}={{ e.value }};{% endfor %}', 'team=platform;tier=web;'],
  ['{% set y = inputs.n * 2 %}{{ y }}', '6'],
  ['a {%- if true -%} b {%- endif -%} c', 'abc'],
  ['x{# a comment #}y', 'xy'],
  ['{% verbatim %}{{ not rendered }}{% endverbatim %}', '{{ not rendered }}'],
];

const context: Row[] = [
  ["{{ outputs['my-task'].value }}", 'dashed'],
  ["{{ outputs.each['b'].value }}", 2],
  ['{{ outputs.each[taskrun.value].value }}', 2],
  ['{{ outputs.lookup.vms[0].ip }}', '10.0.0.5'],
  ['{{ outputs.lookup.vms | length }}', 1],
  ['{{ parent.taskrun.value }}', 'a'],
  ['{{ parents[0].taskrun.value }}', 'a'],
  ['{{ flow.namespace }}.{{ flow.id }}', 'company.ops.hello'],
  ['{{ flow.revision }}', 3],
  ['{{ labels.team }}', 'platform'],
  ['{{ task.id }}', 'announce'],
  ['{{ taskrun.attemptsCount }}', 2],
  ['{{ trigger.date }}', '2026-11-21T02:00:00Z'],
  ['{{ execution.state }}', 'RUNNING'],
  ['{{ vars.greeting }}, {{ inputs.vm }}', 'hi, Prod Web 01'],
  ['{{ inputs.n }}', 3],
  ['{{ inputs.list }}', [3, 1, 2]],
  ['{{ inputs.tags }}', { team: 'platform', tier: 'web' }],
  ['tags={{ inputs.tags }}', 'tags={"team":"platform","tier":"web"}'],
  ['[{{ inputs.nothing }}]', '[]'],
  ['  {{ inputs.n }}  ', 3],
];

const filters: Row[] = [
  ['{{ inputs.vm | slugify }}', 'prod-web-01'],
  ['{{ inputs.vm | upper }}', 'PROD WEB 01'],
  ['{{ inputs.vm | lower }}', 'prod web 01'],
  ["{{ 'hello world' | title }}", 'Hello World'],
  ["{{ 'hello World' | capitalize }}", 'Hello World'],
  ["{{ '  padded  ' | trim }}", 'padded'],
  ["{{ 'a-b-a' | replace({'a': 'x'}) }}", 'x-b-x'],
  ["{{ 'a,b,c' | split(',') }}", ['a', 'b', 'c']],
  ["{{ inputs.list | join('-') }}", '3-1-2'],
  ['{{ inputs.list | first }}', 3],
  ['{{ inputs.list | last }}', 2],
  ['{{ inputs.vm | length }}', 11],
  ["{{ inputs.missing | default('dflt') }}", 'dflt'],
  ["{{ inputs.vm | default('dflt') }}", 'Prod Web 01'],
  ['{{ -7 | abs }}', 7],
  ["{{ '42' | number }}", 42],
  ['{{ 3.14159 | round(2) }}', 3.14],
  ["{{ execution.startDate | date('yyyy-MM-dd HH:mm') }}", '2026-11-21 10:15'],
  ["{{ execution.startDate | date('yyyy-MM-dd', timeZone='Asia/Tokyo') }}", '2026-11-21'],
  ["{{ '2026-11-21T23:30:00Z' | date('yyyy-MM-dd', timeZone='Asia/Tokyo') }}", '2026-11-22'],
  ["{{ '2026-11-21T10:00:00Z' | dateAdd(1, 'DAYS') | date('yyyy-MM-dd') }}", '2026-11-22'],
  ["{{ '2026-11-21T10:00:00Z' | timestamp }}", 1795255200],
  ['{{ inputs.tags | toJson }}', '{"team":"platform","tier":"web"}'],
  ['{{ inputs.list | json }}', '[3,1,2]'],
  ['{{ inputs.tags | keys }}', ['team', 'tier']],
  ['{{ inputs.tags | values }}', ['platform', 'web']],
  ['{{ inputs.list | sort }}', [1, 2, 3]],
  ['{{ inputs.list | reverse }}', [2, 1, 3]],
  ['{{ inputs.list | slice(1, 3) }}', [1, 2]],
  ["{{ 'a b&c' | urlencode }}", 'a+b%26c'],
  ["{{ 'hi' | base64encode }}", 'aGk='],
  ["{{ 'aGk=' | base64decode }}", 'hi'],
  ["{{ 'abc' | sha256 }}", 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'],
  ["{{ outputs.lookup | jq('.vms[].name') }}", ['prod-web-01']],
  ["{{ outputs.lookup | jq('.vms[] | select(.ip == \"10.0.0.5\") | .name') | first }}", 'prod-web-01'],
  ["{{ inputs.list | jq('.[] | select(. > 1)') }}", [3, 2]],
];

const functions: Row[] = [
  ['{{ range(1, 3) }}', [1, 2, 3]],
  ['{% for i in range(0, 4, 2) %}{{ i }}{% endfor %}', '024'],
  ['{{ fromJson(\'{"a": [1, 2]}\').a[1] }}', 2],
  ["{{ kv('last_patch') }}", '2026-11-14'],
  ["{{ kv('token', 'other.ns') }}", 42],
  ["{{ kv('missing', errorOnMissing=false) ?? 'none' }}", 'none'],
  ['{{ appLink() }}', 'https://slack.example/archives/C1/p123'],
  ["{{ now() | date('yyyy-MM-dd HH:mm') }}", '2026-11-21 10:20'],
];

function check(rows: Row[]) {
  it.each(rows)('%s', (template, expected) => {
    const scope = sampleScope();
    const value = renderTyped(template, sampleContext(), scope);
    expect(value).toEqual(expected);
  });
}

describe('expressions', () => {
  describe('operators', () => check(operators));
  describe('tests', () => check(tests));
  describe('blocks', () => check(blocks));
  describe('context', () => check(context));
  describe('filters', () => check(filters));
  describe('functions', () => check(functions));

  it('has at least 80 rows', () => {
    expect(operators.length + tests.length + blocks.length + context.length + filters.length + functions.length).toBeGreaterThanOrEqual(80);
  });

  it('remembers secret values so callers can mask them', () => {
    const scope = sampleScope();
    expect(renderString("password={{ secret('DB_PASSWORD') }}", {}, scope)).toBe('password=s3cr3t-pa55');
    expect([...scope.revealedSecrets]).toEqual(['s3cr3t-pa55']);
  });
});
