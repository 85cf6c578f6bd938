/**
 * Shared test data: flows loaded through the real loader, and a stand-in for Slack that turns a
 * modal into the `state.values` a view_submission would carry (initial values, or answers).
 */
import type { ViewStateValue } from '@slack/bolt';
import { parseFlowSource } from '../../../../src/flow/loader.js';
import type { Flow } from '../../../../src/flow/model.js';
import type { ResolveInputsOptions } from '../../../../src/flow/inputs.js';
import type { ExecutionView, TaskRunView } from '../../../../src/service/executions.js';

export const yaml = (...lines: string[]): string => `${lines.join('\n')}\n`;

export function loadFlow(text: string): Flow {
  const { flows, diagnostics } = parseFlowSource(text, 'test.yaml');
  if (diagnostics.length) throw new Error(diagnostics.map((d) => `${d.line}:${d.col} ${d.message}`).join('\n'));
  return flows[0]!.flow;
}

/** One input of every type Slack can take, with constraints that shape the widgets. */
export const ALL_TYPES = loadFlow(yaml(
  'id: all-types',
  'namespace: company.ops',
  'description: Every input type',
  'inputs:',
  '  - { id: name, type: STRING, displayName: VM name, description: Lowercase, validator: "^[a-z0-9-]+$" }',
  '  - { id: token, type: SECRET, required: false }',
  '  - { id: count, type: INT, min: 1, max: 5, defaults: 2 }',
  '  - { id: ratio, type: FLOAT, defaults: 0.5 }',
  '  - { id: flag, type: BOOL, defaults: true }',
  '  - { id: strict, type: BOOLEAN }',
  '  - { id: env, type: SELECT, values: [uat, prod], defaults: uat }',
  '  - { id: colour, type: SELECT, values: [red, green], isRadio: true }',
  '  - { id: custom, type: SELECT, values: [a, b], allowCustomValue: true, required: false }',
  '  - { id: zones, type: MULTISELECT, values: [z1, z2, z3], defaults: [z1, z3] }',
  '  - { id: when, type: DATETIME, defaults: "2024-05-06T07:08:00Z" }',
  '  - { id: day, type: DATE, after: "2024-01-01" }',
  '  - { id: at, type: TIME, defaults: "09:30" }',
  '  - { id: window, type: DURATION, defaults: PT30M }',
  '  - { id: payload, type: JSON, defaults: { a: 1 } }',
  '  - { id: config, type: YAML, required: false }',
  '  - { id: ports, type: ARRAY, itemType: INT, defaults: [80, 443] }',
  '  - { id: site, type: URI, defaults: "https://example.com/x" }',
  '  - { id: owner, type: EMAIL, required: false }',
  'tasks:',
  '  - { id: hello, type: io.kestra.plugin.core.log.Log, message: hi }',
));

/** Render callbacks for flows without templates: fail loudly if anything asks to render. */
export const noRender: ResolveInputsOptions = {
  render: () => { throw new Error('render must not be called'); },
  renderTyped: () => { throw new Error('renderTyped must not be called'); },
};

type Node = Record<string, unknown>;
type Answer = string | number | boolean | string[] | null;

/** What Slack would submit for `view`: each element's initial value unless `answers` overrides it. */
export function submit(view: { blocks: readonly unknown[] }, answers: Record<string, Answer> = {}): Record<string, Record<string, ViewStateValue>> {
  const values: Record<string, Record<string, ViewStateValue>> = {};
  for (const block of view.blocks as Node[]) {
    if (block.type !== 'input') continue;
    const id = block.block_id as string;
    const e = block.element as Node;
    const has = Object.hasOwn(answers, id);
    const answer = answers[id];
    const option = (value: string) => ({ text: { type: 'plain_text' as const, text: value }, value });
    let state: ViewStateValue;
    switch (e.type) {
      case 'plain_text_input':
      case 'number_input':
        state = { type: e.type, value: has ? (answer === null ? null : String(answer)) : ((e.initial_value as string | undefined) ?? null) };
        break;
      case 'checkboxes':
        state = { type: e.type, selected_options: has ? (answer ? [option('true')] : []) : ((e.initial_options as never[] | undefined) ?? []) };
        break;
      case 'static_select':
      case 'radio_buttons':
        state = { type: e.type, selected_option: has ? (answer === null ? null : option(String(answer))) : ((e.initial_option as never) ?? null) };
        break;
      case 'multi_static_select':
        state = { type: e.type, selected_options: has ? (answer as string[]).map(option) : ((e.initial_options as never[] | undefined) ?? []) };
        break;
      case 'datepicker':
        state = { type: e.type, selected_date: has ? (answer as string | null) : ((e.initial_date as string | undefined) ?? null) };
        break;
      case 'timepicker':
        state = { type: e.type, selected_time: has ? (answer as string | null) : ((e.initial_time as string | undefined) ?? null) };
        break;
      case 'datetimepicker':
        state = { type: e.type, selected_date_time: has ? (answer as number | null) : ((e.initial_date_time as number | undefined) ?? null) };
        break;
      default:
        throw new Error(`unexpected element ${String(e.type)}`);
    }
    values[id] = { value: state };
  }
  return values;
}

export function taskRun(over: Partial<TaskRunView> & { id: string; taskId: string }): TaskRunView {
  return {
    type: 'io.kestra.plugin.core.log.Log', parentTaskRunId: null, branch: 'tasks', value: null, state: 'SUCCESS', attempts: 1,
    outputs: null, error: null, startedAt: '2024-05-06T07:00:00.000Z', endedAt: '2024-05-06T07:00:05.000Z', ...over,
  };
}

export function execution(over: Partial<ExecutionView> = {}): ExecutionView {
  return {
    id: 'Ex1234567890abcdefghij', namespace: 'company.ops', flowId: 'patch', revision: 3, state: 'RUNNING', createdBy: 'U012ABCDEF',
    inputs: {}, outputs: null, labels: {}, error: null, parentExecutionId: null, createdAt: '2024-05-06T07:00:00.000Z', endedAt: null,
    taskRuns: [], ...over,
  };
}
