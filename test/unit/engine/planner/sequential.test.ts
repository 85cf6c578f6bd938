import { describe, expect, it } from 'vitest';
import { Sim } from './simulate.js';

const LOG = 'type: io.kestra.plugin.core.log.Log, message: hi';
const FLOW = 'id: scopes\nnamespace: company.ops\n';

describe('lists and scopes', () => {
  it('runs top-level tasks in order, one at a time, and ends SUCCESS', () => {
    const sim = new Sim(`${FLOW}
tasks:
  - {id: a, ${LOG}}
  - {id: b, ${LOG}}
  - {id: c, ${LOG}}
`);
    sim.plan();
    expect(sim.state).toBe('RUNNING');
    expect(sim.trace()).toEqual(['a:CREATED']);
    sim.drive();
    expect(sim.batches).toEqual([['a'], ['b'], ['c']]);
    expect(sim.trace()).toEqual(['a:SUCCESS', 'b:SUCCESS', 'c:SUCCESS']);
    expect(sim.state).toBe('SUCCESS');
    expect(sim.snapshot.execution.error).toBeNull();
    expect(sim.snapshot.execution.endedAt).not.toBeNull();
    expect(sim.run('b').position).toBe(1);
    expect(sim.run('b').branch).toBe('tasks');
  });

  it('goes CREATED → RUNNING on the first plan, before any task run', () => {
    const sim = new Sim(`${FLOW}
tasks:
  - {id: a, ${LOG}}
`);
    const first = sim.plan();
    expect(first[0]).toEqual({ type: 'setExecutionState', state: 'RUNNING' });
  });

  it('on a failure skips the rest, runs errors then finally, and ends FAILED', () => {
    const sim = new Sim(
      `${FLOW}
tasks:
  - {id: a, ${LOG}}
  - {id: b, ${LOG}}
  - {id: never, ${LOG}}
errors:
  - {id: e1, ${LOG}}
  - {id: e2, ${LOG}}
finally:
  - {id: f1, ${LOG}}
`,
      { b: { state: 'FAILED', error: 'disk full' } },
    ).drive();
    expect(sim.created()).toEqual(['a', 'b', 'e1', 'e2', 'f1']);
    expect(sim.run('e1').branch).toBe('errors');
    expect(sim.run('f1').branch).toBe('finally');
    expect(sim.state).toBe('FAILED');
    expect(sim.snapshot.execution.error).toBe('task `b` failed: disk full');
  });

  it('stays FAILED when the errors branch succeeds, and runs finally after a success too', () => {
    const failing = new Sim(
      `${FLOW}
tasks:
  - {id: a, ${LOG}}
errors:
  - {id: e, ${LOG}}
`,
      { a: 'FAILED' },
    ).drive();
    expect(failing.trace()).toEqual(['a:FAILED', 'e:SUCCESS']);
    expect(failing.state).toBe('FAILED');

    const passing = new Sim(`${FLOW}
tasks:
  - {id: a, ${LOG}}
errors:
  - {id: e, ${LOG}}
finally:
  - {id: f, ${LOG}}
`).drive();
    expect(passing.created()).toEqual(['a', 'f']);
    expect(passing.state).toBe('SUCCESS');
  });

  it('fails the execution when finally fails, and a failing errors task does not stop finally', () => {
    const sim = new Sim(
      `${FLOW}
tasks:
  - {id: a, ${LOG}}
errors:
  - {id: e1, ${LOG}}
  - {id: e2, ${LOG}}
finally:
  - {id: f1, ${LOG}}
  - {id: f2, ${LOG}}
`,
      { a: 'FAILED', e1: 'FAILED', f1: 'FAILED' },
    ).drive();
    expect(sim.created()).toEqual(['a', 'e1', 'f1']);
    expect(sim.state).toBe('FAILED');

    const onlyFinally = new Sim(`${FLOW}
tasks:
  - {id: a, ${LOG}}
finally:
  - {id: f1, ${LOG}}
`, { f1: 'FAILED' }).drive();
    expect(onlyFinally.state).toBe('FAILED');
    expect(onlyFinally.snapshot.execution.error).toBe('task `f1` failed: f1 failed');
  });

  it('handles a failure in the nearest enclosing scope first, then up the tree', () => {
    const sim = new Sim(
      `${FLOW}
tasks:
  - id: outer
    type: io.kestra.plugin.core.flow.Sequential
    tasks:
      - id: inner
        type: io.kestra.plugin.core.flow.Sequential
        tasks:
          - {id: boom, ${LOG}}
          - {id: skipped_after_boom, ${LOG}}
        errors:
          - {id: inner_errors, ${LOG}}
        finally:
          - {id: inner_finally, ${LOG}}
      - {id: after_inner, ${LOG}}
    errors:
      - {id: outer_errors, ${LOG}}
    finally:
      - {id: outer_finally, ${LOG}}
  - {id: after_outer, ${LOG}}
errors:
  - {id: flow_errors, ${LOG}}
finally:
  - {id: flow_finally, ${LOG}}
`,
      { boom: 'FAILED' },
    ).drive();
    expect(sim.created()).toEqual(['outer', 'inner', 'boom', 'inner_errors', 'inner_finally', 'outer_errors', 'outer_finally', 'flow_errors', 'flow_finally']);
    expect(sim.run('inner').state).toBe('FAILED');
    expect(sim.run('outer').state).toBe('FAILED');
    const inner = sim.run('inner');
    expect(sim.run('inner_errors').parentTaskRunId).toBe(inner.id);
    expect(sim.run('outer_errors').parentTaskRunId).toBe(sim.run('outer').id);
    expect(sim.run('flow_errors').parentTaskRunId).toBeNull();
    expect(sim.state).toBe('FAILED');
  });

  it('stops a failure at a scope whose task allows failure', () => {
    const sim = new Sim(
      `${FLOW}
tasks:
  - id: group
    type: io.kestra.plugin.core.flow.Sequential
    allowFailure: true
    tasks:
      - {id: boom, ${LOG}}
    errors:
      - {id: cleanup, ${LOG}}
  - {id: next, ${LOG}}
errors:
  - {id: flow_errors, ${LOG}}
`,
      { boom: 'FAILED' },
    ).drive();
    expect(sim.created()).toEqual(['group', 'boom', 'cleanup', 'next']);
    expect(sim.run('group').state).toBe('WARNING');
    expect(sim.state).toBe('WARNING');
  });

  it('turns an allowed failure into WARNING and goes on; the execution ends WARNING', () => {
    const sim = new Sim(
      `${FLOW}
tasks:
  - {id: flaky, allowFailure: true, ${LOG}}
  - {id: next, ${LOG}}
errors:
  - {id: never, ${LOG}}
`,
      { flaky: { state: 'FAILED', error: 'timeout' } },
    ).drive();
    expect(sim.trace()).toEqual(['flaky:WARNING', 'next:SUCCESS']);
    expect(sim.run('flaky').error).toBe('timeout');
    expect(sim.state).toBe('WARNING');
  });

  it('ends WARNING when a worker reported WARNING, and SUCCESS with allowWarning', () => {
    const warned = new Sim(`${FLOW}
tasks:
  - {id: a, ${LOG}}
`, { a: 'WARNING' }).drive();
    expect(warned.state).toBe('WARNING');
    const allowed = new Sim(`${FLOW}
tasks:
  - {id: a, allowWarning: true, ${LOG}}
  - {id: b, allowFailure: true, allowWarning: true, ${LOG}}
`, { a: 'WARNING', b: 'FAILED' }).drive();
    expect(allowed.trace()).toEqual(['a:SUCCESS', 'b:SUCCESS']);
    expect(allowed.state).toBe('SUCCESS');
  });

  it('creates a task whose runIf renders falsy as SKIPPED, which counts as done', () => {
    const sim = new Sim(
      `${FLOW}
inputs:
  - {id: deploy, type: BOOLEAN, defaults: false}
tasks:
  - {id: skipped, runIf: "{{ inputs.deploy }}", ${LOG}}
  - {id: text_false, runIf: " False ", ${LOG}}
  - {id: ran, runIf: "{{ inputs.env == 'prod' }}", ${LOG}}
  - {id: last, ${LOG}}
`,
      {},
      { inputs: { deploy: false, env: 'prod' } },
    ).drive();
    expect(sim.trace()).toEqual(['skipped:SKIPPED', 'text_false:SKIPPED', 'ran:SUCCESS', 'last:SUCCESS']);
    expect(sim.batches).toEqual([['ran'], ['last']]);
    expect(sim.state).toBe('SUCCESS');
  });

  it('fails a task whose runIf cannot be rendered, naming the expression', () => {
    const sim = new Sim(`${FLOW}
tasks:
  - {id: a, runIf: "{{ outputs.nothing.value }}", ${LOG}}
  - {id: b, ${LOG}}
`).drive();
    expect(sim.trace()).toEqual(['a:FAILED']);
    expect(sim.run('a').error).toMatch(/^runIf: .*outputs\.nothing\.value/);
    expect(sim.state).toBe('FAILED');
  });

  it('never creates a disabled task, nested or not', () => {
    const sim = new Sim(`${FLOW}
tasks:
  - {id: off, disabled: true, ${LOG}}
  - id: group
    type: io.kestra.plugin.core.flow.Sequential
    tasks:
      - {id: inner_off, disabled: true, ${LOG}}
      - {id: inner_on, ${LOG}}
  - id: off_group
    type: io.kestra.plugin.core.flow.Sequential
    disabled: true
    tasks:
      - {id: under_off_group, ${LOG}}
  - {id: on, ${LOG}}
`).drive();
    expect(sim.created()).toEqual(['group', 'inner_on', 'on']);
    expect(sim.run('inner_on').position).toBe(1);
    expect(sim.state).toBe('SUCCESS');
  });

  it('renders flow outputs at the end with the full context', () => {
    const sim = new Sim(
      `${FLOW}
inputs:
  - {id: vm, type: STRING}
variables:
  greeting: hello
tasks:
  - {id: lookup, ${LOG}}
outputs:
  - {id: ip, type: STRING, value: "{{ outputs.lookup.ip }}"}
  - {id: summary, type: STRING, value: "{{ vars.greeting }} {{ inputs.vm }} in {{ execution.id }}"}
  - {id: count, type: INT, value: "{{ outputs.lookup.count }}"}
`,
      { lookup: { state: 'SUCCESS', outputs: { ip: '10.0.0.5', count: 3 } } },
      { inputs: { vm: 'web-01' } },
    ).drive();
    expect(sim.state).toBe('SUCCESS');
    expect(sim.snapshot.execution.outputs).toEqual({ ip: '10.0.0.5', summary: 'hello web-01 in exec-1', count: 3 });
  });

  it('fails the execution when an output cannot be rendered, naming the output', () => {
    const sim = new Sim(`${FLOW}
tasks:
  - {id: a, ${LOG}}
outputs:
  - {id: good, type: STRING, value: ok}
  - {id: bad, type: STRING, value: "{{ outputs.missing.value }}"}
`).drive();
    expect(sim.state).toBe('FAILED');
    expect(sim.snapshot.execution.error).toMatch(/^output `bad`: .*outputs\.missing\.value/);
    expect(sim.snapshot.execution.outputs).toEqual({ good: 'ok' });
  });

  it('is PAUSED only while everything still going waits for someone', () => {
    const sim = new Sim(`${FLOW}
tasks:
  - id: group
    type: io.kestra.plugin.core.flow.Sequential
    tasks:
      - {id: wait, type: io.kestra.plugin.core.flow.Pause}
  - {id: after, ${LOG}}
`).drive();
    expect(sim.state).toBe('PAUSED');
    expect(sim.run('group').state).toBe('RUNNING');
    sim.resume('wait');
    expect(sim.state).toBe('SUCCESS');
    expect(sim.of('setExecutionState').map((a) => a.state)).toEqual(['RUNNING', 'PAUSED', 'RUNNING', 'SUCCESS']);
  });

  it('treats Kestra\'s older type names like the current ones', () => {
    const sim = new Sim(`${FLOW}
tasks:
  - id: group
    type: io.kestra.core.tasks.flows.Sequential
    tasks:
      - id: check
        type: io.kestra.core.tasks.flows.If
        condition: "yes"
        then:
          - {id: inner, ${LOG}}
`).drive();
    expect(sim.trace()).toEqual(['group:SUCCESS', 'check:SUCCESS', 'inner:SUCCESS']);
  });
});
