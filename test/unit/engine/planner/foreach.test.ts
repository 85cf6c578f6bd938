import { describe, expect, it } from 'vitest';
import type { TaskRunRecord } from '../../../../src/engine/model.js';
import { Sim } from './simulate.js';

const LOG = 'type: io.kestra.plugin.core.log.Log, message: hi';
const FLOW = 'id: loops\nnamespace: company.ops\n';

/** Each run returns its iteration value (and its parent's) as outputs, like a Return task would. */
const echo = (run: TaskRunRecord) => ({ state: 'SUCCESS' as const, outputs: { value: `${run.taskId}:${run.value}` } });

describe('ForEach', () => {
  it('runs each iteration\'s tasks in order, one iteration after the other by default', () => {
    const sim = new Sim(`${FLOW}
tasks:
  - id: each
    type: io.kestra.plugin.core.flow.ForEach
    values: ["a", "b", "c"]
    tasks:
      - {id: first, ${LOG}}
      - {id: second, ${LOG}}
  - {id: after, ${LOG}}
`).drive();
    expect(sim.batches.flat()).toEqual(['first[a]', 'second[a]', 'first[b]', 'second[b]', 'first[c]', 'second[c]', 'after']);
    expect(sim.run('second', 'b').position).toBe(3);
    expect(sim.run('first', 'c').position).toBe(4);
    expect(sim.run('each').flowable).toEqual({ values: ['a', 'b', 'c'], concurrencyLimit: 1 });
    expect(sim.state).toBe('SUCCESS');
  });

  it('keeps at most concurrencyLimit iterations going', () => {
    const sim = new Sim(`${FLOW}
tasks:
  - id: each
    type: io.kestra.plugin.core.flow.ForEach
    values: [1, 2, 3, 4, 5]
    concurrencyLimit: 2
    tasks:
      - {id: step1, ${LOG}}
      - {id: step2, ${LOG}}
`).drive();
    expect(sim.batches).toEqual([
      ['step1[1]', 'step1[2]'],
      ['step2[1]', 'step2[2]'],
      ['step1[3]', 'step1[4]'],
      ['step2[3]', 'step2[4]'],
      ['step1[5]'],
      ['step2[5]'],
    ]);
    expect(sim.state).toBe('SUCCESS');
  });

  it('runs every iteration at once with concurrencyLimit 0', () => {
    const sim = new Sim(`${FLOW}
tasks:
  - id: each
    type: io.kestra.plugin.core.flow.ForEach
    values: [1, 2, 3]
    concurrencyLimit: 0
    tasks:
      - {id: step, ${LOG}}
`).drive();
    expect(sim.batches).toEqual([['step[1]', 'step[2]', 'step[3]']]);
  });

  it('takes a JSON array in a string, turns non-strings into JSON and drops duplicates', () => {
    const sim = new Sim(
      `${FLOW}
tasks:
  - {id: list, ${LOG}}
  - id: each
    type: io.kestra.plugin.core.flow.ForEach
    values: "{{ outputs.list.json }}"
    tasks:
      - {id: step, ${LOG}}
`,
      { list: { state: 'SUCCESS', outputs: { json: '["x", 7, {"k": 1}, "x", true]' } } },
    ).drive();
    expect(sim.run('each').flowable?.values).toEqual(['x', '7', '{"k":1}', 'true']);
    expect(sim.runs('step').map((run) => run.value)).toEqual(['x', '7', '{"k":1}', 'true']);
  });

  it('fails the ForEach when values is not a list, or holds nulls', () => {
    const notList = new Sim(`${FLOW}
tasks:
  - id: each
    type: io.kestra.plugin.core.flow.ForEach
    values: "not json"
    tasks:
      - {id: step, ${LOG}}
`).drive();
    expect(notList.trace()).toEqual(['each:FAILED']);
    expect(notList.run('each').error).toMatch(/must be a list or a JSON array/);
    const nulls = new Sim(`${FLOW}
tasks:
  - id: each
    type: io.kestra.plugin.core.flow.ForEach
    values: [1, null]
    tasks:
      - {id: step, ${LOG}}
`).drive();
    expect(nulls.run('each').error).toMatch(/1 null value/);
  });

  it('succeeds at once on an empty list', () => {
    const sim = new Sim(`${FLOW}
tasks:
  - id: each
    type: io.kestra.plugin.core.flow.ForEach
    values: []
    tasks:
      - {id: step, ${LOG}}
`).drive();
    expect(sim.trace()).toEqual(['each:SUCCESS']);
  });

  it('exposes iteration outputs by value and the sibling of the current iteration', () => {
    const sim = new Sim(
      `${FLOW}
tasks:
  - id: each
    type: io.kestra.plugin.core.flow.ForEach
    values: ["v 1", "v 2"]
    tasks:
      - {id: first, ${LOG}}
      - {id: second, ${LOG}, runIf: "{{ outputs.first[taskrun.value].value == 'first:' ~ taskrun.value }}"}
outputs:
  - {id: one, type: STRING, value: "{{ outputs.second['v 1'].value }}"}
  - {id: all, type: JSON, value: "{{ outputs.first }}"}
`,
      { first: echo, second: echo },
    ).drive();
    expect(sim.trace().filter((entry) => entry.startsWith('second'))).toEqual(['second[v 1]:SUCCESS', 'second[v 2]:SUCCESS']);
    expect(sim.snapshot.execution.outputs).toEqual({
      one: 'second:v 1',
      all: { 'v 1': { value: 'first:v 1' }, 'v 2': { value: 'first:v 2' } },
    });
  });

  it('nests outputs by each level\'s value and gives nested runs the iteration value and their parents', () => {
    const sim = new Sim(
      `${FLOW}
tasks:
  - id: outer
    type: io.kestra.plugin.core.flow.ForEach
    values: ["a", "b"]
    tasks:
      - id: inner
        type: io.kestra.plugin.core.flow.ForEach
        values: [1, 2]
        tasks:
          - id: check
            type: io.kestra.plugin.core.flow.If
            # its parent is the inner ForEach run, which carries the outer iteration's value
            condition: "{{ taskrun.value in ['1', '2'] and parent.taskrun.value in ['a', 'b'] and parents[1].task.id == 'outer' }}"
            then:
              - {id: leaf, ${LOG}, runIf: "{{ parent.task.id == 'check' and parent.taskrun.value == taskrun.value and parents[1].taskrun.value in ['a', 'b'] and parents[2].task.id == 'outer' }}"}
outputs:
  - {id: b2, type: STRING, value: "{{ outputs.leaf.b['2'].value }}"}
  - {id: tree, type: JSON, value: "{{ outputs.leaf }}"}
`,
      { leaf: echo },
    ).drive();
    // Runs inside an iteration inherit its value; the inner ForEach's runs carry the outer value.
    expect(sim.runs('inner').map((run) => run.value)).toEqual(['a', 'b']);
    expect(sim.runs('leaf').map((run) => run.value)).toEqual(['1', '2', '1', '2']);
    expect(sim.runs('check').every((run) => run.flowable?.condition === true)).toBe(true);
    expect(sim.snapshot.execution.outputs).toEqual({
      b2: 'leaf:2',
      tree: {
        a: { '1': { value: 'leaf:1' }, '2': { value: 'leaf:2' } },
        b: { '1': { value: 'leaf:1' }, '2': { value: 'leaf:2' } },
      },
    });
  });

  it('stops starting iterations after a failure, waits for the running ones, then runs its errors', () => {
    const sim = new Sim(
      `${FLOW}
tasks:
  - id: each
    type: io.kestra.plugin.core.flow.ForEach
    values: [1, 2, 3, 4]
    concurrencyLimit: 2
    tasks:
      - {id: step1, ${LOG}}
      - {id: step2, ${LOG}}
    errors:
      - {id: each_errors, ${LOG}}
`,
      { step1: (run) => (run.value === '1' ? 'FAILED' : 'SUCCESS') },
    ).drive();
    expect(sim.batches).toEqual([['step1[1]', 'step1[2]'], ['each_errors']]);
    expect(sim.has('step2')).toBe(false);
    expect(sim.run('each').state).toBe('FAILED');
    expect(sim.state).toBe('FAILED');
  });

  it('renders its errors and finally runs with the ForEach\'s own value, not an iteration\'s', () => {
    const sim = new Sim(
      `${FLOW}
tasks:
  - id: each
    type: io.kestra.plugin.core.flow.ForEach
    values: [1]
    tasks:
      - {id: step, ${LOG}}
    finally:
      - {id: each_finally, ${LOG}}
outputs:
  - {id: cleanup, type: STRING, value: "{{ outputs.each_finally.value }}"}
`,
      { step: echo, each_finally: echo },
    ).drive();
    expect(sim.run('each_finally').value).toBeNull();
    expect(sim.run('each_finally').branch).toBe('finally');
    // not an iteration: its outputs are not keyed by a value
    expect(sim.snapshot.execution.outputs).toEqual({ cleanup: 'each_finally:null' });
  });
});
