import { describe, expect, it } from 'vitest';
import { Sim } from './simulate.js';

const LOG = 'type: io.kestra.plugin.core.log.Log, message: hi';
const FLOW = 'id: killable\nnamespace: company.ops\n';

describe('kill', () => {
  it('cancels a running task, waits for its worker, then ends KILLED without errors or finally', () => {
    const sim = new Sim(
      `${FLOW}
tasks:
  - {id: slow, ${LOG}}
  - {id: next, ${LOG}}
errors:
  - {id: flow_errors, ${LOG}}
finally:
  - {id: flow_finally, ${LOG}}
`,
      { slow: 'HOLD' },
    ).drive();
    expect(sim.state).toBe('RUNNING');
    sim.snapshot = { ...sim.snapshot, execution: { ...sim.snapshot.execution, killRequested: true } };
    sim.plan();
    // the worker has not stopped yet: KILLING, one cancel, nothing else
    expect(sim.state).toBe('KILLING');
    expect(sim.of('cancelTaskRun')).toEqual([{ type: 'cancelTaskRun', id: sim.run('slow').id }]);
    expect(sim.run('slow').state).toBe('RUNNING');
    sim.plan();
    expect(sim.of('cancelTaskRun')).toHaveLength(1);
    sim.drive();
    expect(sim.trace()).toEqual(['slow:KILLED']);
    expect(sim.state).toBe('KILLED');
    expect(sim.snapshot.execution.outputs).toBeNull();
  });

  it('kills a paused execution at once and disarms the pause timers', () => {
    const sim = new Sim(`${FLOW}
tasks:
  - id: group
    type: io.kestra.plugin.core.flow.Sequential
    tasks:
      - {id: wait, type: io.kestra.plugin.core.flow.Pause, timeout: PT1H}
`).drive();
    expect(sim.state).toBe('PAUSED');
    sim.kill();
    expect(sim.trace()).toEqual(['group:KILLED', 'wait:KILLED']);
    expect(sim.of('disarmTimers').map((a) => a.taskRunId)).toContain(sim.run('wait').id);
    expect(sim.timers).toEqual([]);
    expect(sim.state).toBe('KILLED');
  });

  it('stops every branch of a Parallel: cancels running ones, kills queued ones', () => {
    const sim = new Sim(
      `${FLOW}
tasks:
  - id: p
    type: io.kestra.plugin.core.flow.Parallel
    concurrent: 2
    tasks:
      - {id: a, ${LOG}}
      - id: seq
        type: io.kestra.plugin.core.flow.Sequential
        tasks:
          - {id: b, ${LOG}}
          - {id: never, ${LOG}}
      - {id: queued, ${LOG}}
`,
      { a: 'HOLD', b: 'HOLD' },
    ).drive();
    expect(sim.has('queued')).toBe(false);
    sim.kill();
    expect(sim.of('cancelTaskRun').map((a) => a.id).sort()).toEqual([sim.run('a').id, sim.run('b').id].sort());
    expect(sim.has('queued')).toBe(false);
    expect(sim.has('never')).toBe(false);
    expect(sim.trace()).toEqual(['p:KILLED', 'a:KILLED', 'seq:KILLED', 'b:KILLED']);
    expect(sim.state).toBe('KILLED');
  });

  it('kills a run waiting for its retry and disarms the timer', () => {
    const sim = new Sim(
      `${FLOW}
tasks:
  - {id: flaky, ${LOG}, retry: {type: constant, interval: PT1H, maxAttempts: 3}}
`,
      { flaky: 'FAILED' },
    );
    sim.plan();
    sim.work();
    expect(sim.run('flaky').state).toBe('RETRYING');
    sim.kill();
    expect(sim.run('flaky').state).toBe('KILLED');
    expect(sim.timers).toEqual([]);
    expect(sim.state).toBe('KILLED');
  });

  it('kills a sleeping run and an execution that never started', () => {
    const sleeping = new Sim(`${FLOW}
tasks:
  - {id: nap, type: io.kestra.plugin.core.flow.Sleep, duration: PT1H}
`);
    sleeping.plan();
    sleeping.kill();
    expect(sleeping.trace()).toEqual(['nap:KILLED']);
    expect(sleeping.timers).toEqual([]);

    const unstarted = new Sim(`${FLOW}
tasks:
  - {id: a, ${LOG}}
`);
    unstarted.snapshot = { ...unstarted.snapshot, execution: { ...unstarted.snapshot.execution, killRequested: true } };
    unstarted.plan();
    expect(unstarted.trace()).toEqual([]);
    expect(unstarted.of('setExecutionState').map((a) => a.state)).toEqual(['KILLED']);
  });

  it('leaves a finished execution alone', () => {
    const sim = new Sim(`${FLOW}
tasks:
  - {id: a, ${LOG}}
`).drive();
    sim.snapshot = { ...sim.snapshot, execution: { ...sim.snapshot.execution, killRequested: true } };
    expect(sim.plan()).toEqual([]);
    expect(sim.state).toBe('SUCCESS');
  });
});
