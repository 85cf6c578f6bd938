import { describe, expect, it } from 'vitest';
import { Sim } from './simulate.js';

const LOG = 'type: io.kestra.plugin.core.log.Log, message: hi';
const FLOW = 'id: fanout\nnamespace: company.ops\n';
const five = ['a', 'b', 'c', 'd', 'e'].map((id) => `      - {id: ${id}, ${LOG}}`).join('\n');

describe('Parallel', () => {
  it('starts every child at once by default', () => {
    const sim = new Sim(`${FLOW}
tasks:
  - id: all
    type: io.kestra.plugin.core.flow.Parallel
    tasks:
${five}
  - {id: after, ${LOG}}
`).drive();
    expect(sim.batches).toEqual([['a', 'b', 'c', 'd', 'e'], ['after']]);
    expect(sim.run('e').position).toBe(4);
    expect(sim.state).toBe('SUCCESS');
  });

  it('keeps at most `concurrent` children going', () => {
    const sim = new Sim(`${FLOW}
tasks:
  - id: two_at_a_time
    type: io.kestra.plugin.core.flow.Parallel
    concurrent: 2
    tasks:
${five}
`).drive();
    expect(sim.batches).toEqual([['a', 'b'], ['c', 'd'], ['e']]);
    expect(sim.run('two_at_a_time').flowable).toEqual({ concurrent: 2, failFast: false });
    expect(sim.state).toBe('SUCCESS');
  });

  it('refills a freed slot while a slow sibling is still running', () => {
    const sim = new Sim(
      `${FLOW}
tasks:
  - id: p
    type: io.kestra.plugin.core.flow.Parallel
    concurrent: 2
    tasks:
${five}
`,
      { a: 'HOLD' },
    ).drive();
    expect(sim.batches).toEqual([['a', 'b'], ['c'], ['d'], ['e']]);
    expect(sim.run('a').state).toBe('RUNNING');
    expect(sim.run('p').state).toBe('RUNNING');
    expect(sim.state).toBe('RUNNING');
  });

  it('without failFast runs every child, then fails and runs its errors and finally', () => {
    const sim = new Sim(
      `${FLOW}
tasks:
  - id: p
    type: io.kestra.plugin.core.flow.Parallel
    concurrent: 2
    tasks:
${five}
    errors:
      - {id: p_errors, ${LOG}}
    finally:
      - {id: p_finally, ${LOG}}
  - {id: never, ${LOG}}
`,
      { b: 'FAILED' },
    ).drive();
    expect(sim.batches).toEqual([['a', 'b'], ['c', 'd'], ['e'], ['p_errors'], ['p_finally']]);
    expect(sim.run('p').state).toBe('FAILED');
    expect(sim.has('never')).toBe(false);
    expect(sim.state).toBe('FAILED');
  });

  it('with failFast cancels running siblings, starts no more, and fails once they stopped', () => {
    const sim = new Sim(
      `${FLOW}
tasks:
  - id: p
    type: io.kestra.plugin.core.flow.Parallel
    concurrent: 3
    failFast: true
    tasks:
${five}
    errors:
      - {id: p_errors, ${LOG}}
`,
      { a: 'HOLD', b: 'FAILED', c: 'HOLD' },
    ).drive();
    expect(sim.of('cancelTaskRun').map((action) => action.id)).toEqual([sim.run('a').id, sim.run('c').id]);
    expect(sim.trace()).toEqual(['p:FAILED', 'a:KILLED', 'b:FAILED', 'c:KILLED', 'p_errors:SUCCESS']);
    expect(sim.state).toBe('FAILED');
  });

  it('with failFast stops a running Sequential sibling from the inside', () => {
    const sim = new Sim(
      `${FLOW}
tasks:
  - id: p
    type: io.kestra.plugin.core.flow.Parallel
    failFast: true
    tasks:
      - id: branch
        type: io.kestra.plugin.core.flow.Sequential
        tasks:
          - {id: slow, ${LOG}}
          - {id: never, ${LOG}}
        finally:
          - {id: branch_finally, ${LOG}}
      - {id: boom, ${LOG}}
`,
      { slow: 'HOLD', boom: 'FAILED' },
    ).drive();
    expect(sim.run('slow').state).toBe('KILLED');
    expect(sim.run('branch').state).toBe('KILLED');
    expect(sim.has('never')).toBe(false);
    expect(sim.has('branch_finally')).toBe(false);
    expect(sim.run('p').state).toBe('FAILED');
    expect(sim.state).toBe('FAILED');
  });

  it('lets an allowed failure through even with failFast', () => {
    const sim = new Sim(
      `${FLOW}
tasks:
  - id: p
    type: io.kestra.plugin.core.flow.Parallel
    failFast: true
    tasks:
      - {id: ok, ${LOG}}
      - {id: meh, allowFailure: true, ${LOG}}
`,
      { meh: 'FAILED' },
    ).drive();
    expect(sim.of('cancelTaskRun')).toHaveLength(0);
    expect(sim.trace()).toEqual(['p:WARNING', 'ok:SUCCESS', 'meh:WARNING']);
    expect(sim.state).toBe('WARNING');
  });

  it('fails at once when `concurrent` cannot be rendered', () => {
    const sim = new Sim(`${FLOW}
tasks:
  - id: p
    type: io.kestra.plugin.core.flow.Parallel
    concurrent: "{{ inputs.missing }}"
    tasks:
      - {id: a, ${LOG}}
`).drive();
    expect(sim.trace()).toEqual(['p:FAILED']);
    expect(sim.run('p').error).toMatch(/^`concurrent`: .*inputs\.missing/);
  });
});
