import { describe, expect, it } from 'vitest';
import { Sim } from './simulate.js';

const LOG = 'type: io.kestra.plugin.core.log.Log, message: hi';
const FLOW = 'id: branching\nnamespace: company.ops\ninputs:\n  - {id: env, type: STRING}\n';

describe('If', () => {
  const flow = `${FLOW}
tasks:
  - id: check
    type: io.kestra.plugin.core.flow.If
    condition: "{{ inputs.env == 'prod' }}"
    then:
      - {id: t1, ${LOG}}
      - {id: t2, ${LOG}}
    else:
      - {id: e1, ${LOG}}
  - {id: after, ${LOG}}
`;

  it('runs then when the condition is truthy', () => {
    const sim = new Sim(flow, {}, { inputs: { env: 'prod' } }).drive();
    expect(sim.created()).toEqual(['check', 't1', 't2', 'after']);
    expect(sim.run('t2').branch).toBe('then');
    expect(sim.run('check').flowable).toEqual({ condition: true });
    expect(sim.state).toBe('SUCCESS');
  });

  it('runs else when it is falsy', () => {
    const sim = new Sim(flow, {}, { inputs: { env: 'dev' } }).drive();
    expect(sim.created()).toEqual(['check', 'e1', 'after']);
    expect(sim.run('e1').branch).toBe('else');
    expect(sim.run('check').flowable).toEqual({ condition: false });
  });

  it('succeeds with nothing to run when false and there is no else', () => {
    const sim = new Sim(`${FLOW}
tasks:
  - id: check
    type: io.kestra.plugin.core.flow.If
    condition: "0"
    then:
      - {id: t1, ${LOG}}
`).drive();
    expect(sim.trace()).toEqual(['check:SUCCESS']);
    expect(sim.state).toBe('SUCCESS');
  });

  it('evaluates the condition once, when the If starts', () => {
    const sim = new Sim(
      `${FLOW}
tasks:
  - {id: flag, ${LOG}}
  - id: check
    type: io.kestra.plugin.core.flow.If
    condition: "{{ outputs.flag.on }}"
    then:
      - {id: t1, ${LOG}}
      - {id: t2, ${LOG}}
`,
      { flag: { state: 'SUCCESS', outputs: { on: true } } },
    );
    sim.plan();
    sim.work();
    sim.work();
    // The flag's output changing later must not switch branches half-way.
    const flag = sim.run('flag');
    sim.snapshot = { ...sim.snapshot, taskRuns: sim.snapshot.taskRuns.map((run) => (run.id === flag.id ? { ...run, outputs: { on: false } } : run)) };
    sim.drive();
    expect(sim.created()).toEqual(['flag', 'check', 't1', 't2']);
  });

  it('fails the If when the condition cannot be rendered, and its parent handles it', () => {
    const sim = new Sim(`${FLOW}
tasks:
  - id: check
    type: io.kestra.plugin.core.flow.If
    condition: "{{ outputs.nope.value }}"
    then:
      - {id: t1, ${LOG}}
errors:
  - {id: handler, ${LOG}}
`).drive();
    expect(sim.trace()).toEqual(['check:FAILED', 'handler:SUCCESS']);
    expect(sim.run('check').error).toMatch(/^`condition`: .*outputs\.nope\.value/);
    expect(sim.state).toBe('FAILED');
  });

  it('runs its own errors and finally when a branch fails', () => {
    const sim = new Sim(
      `${FLOW}
tasks:
  - id: check
    type: io.kestra.plugin.core.flow.If
    condition: "true"
    then:
      - {id: t1, ${LOG}}
    errors:
      - {id: if_errors, ${LOG}}
    finally:
      - {id: if_finally, ${LOG}}
`,
      { t1: 'FAILED' },
    ).drive();
    expect(sim.created()).toEqual(['check', 't1', 'if_errors', 'if_finally']);
    expect(sim.run('check').state).toBe('FAILED');
  });
});

describe('Switch', () => {
  const flow = `${FLOW}
tasks:
  - id: route
    type: io.kestra.plugin.core.flow.Switch
    value: "{{ inputs.env }}"
    cases:
      prod:
        - {id: p1, ${LOG}}
        - {id: p2, ${LOG}}
      "42":
        - {id: answer, ${LOG}}
    defaults:
      - {id: d1, ${LOG}}
`;

  it('runs the matching case', () => {
    const sim = new Sim(flow, {}, { inputs: { env: 'prod' } }).drive();
    expect(sim.created()).toEqual(['route', 'p1', 'p2']);
    expect(sim.run('p1').branch).toBe('case:prod');
    expect(sim.run('route').flowable).toEqual({ value: 'prod', branch: 'case:prod' });
    expect(sim.state).toBe('SUCCESS');
  });

  it('compares the rendered value as text', () => {
    const sim = new Sim(flow.replace('"{{ inputs.env }}"', '"{{ 40 + 2 }}"')).drive();
    expect(sim.created()).toEqual(['route', 'answer']);
  });

  it('runs defaults when no case matches', () => {
    const sim = new Sim(flow, {}, { inputs: { env: 'staging' } }).drive();
    expect(sim.created()).toEqual(['route', 'd1']);
    expect(sim.run('d1').branch).toBe('defaults');
  });

  it('fails with the value and the known cases when nothing matches and there are no defaults', () => {
    const sim = new Sim(`${FLOW}
tasks:
  - id: route
    type: io.kestra.plugin.core.flow.Switch
    value: "{{ inputs.env }}"
    cases:
      prod:
        - {id: p1, ${LOG}}
      dev:
        - {id: d1, ${LOG}}
`, {}, { inputs: { env: 'qa' } }).drive();
    expect(sim.trace()).toEqual(['route:FAILED']);
    expect(sim.run('route').error).toBe('no case matches the value `qa` (cases: `prod`, `dev`) and there is no `defaults`');
    expect(sim.state).toBe('FAILED');
  });
});
