import { describe, expect, it } from 'vitest';
import { Sim } from './simulate.js';

const LOG = 'type: io.kestra.plugin.core.log.Log, message: hi';
const FLOW = 'id: parent\nnamespace: company.ops\nlabels:\n  team: platform\n';

const subflow = (extra = '') => `${FLOW}
inputs:
  - {id: vm, type: STRING}
tasks:
  - id: child
    type: io.kestra.plugin.core.flow.Subflow
    namespace: company.ops
    flowId: "patch-{{ inputs.vm }}"
    inputs:
      vm: "{{ inputs.vm }}"
      count: "{{ 1 + 2 }}"
      fixed: [1, 2]
    labels:
      ticket: "CHG-{{ inputs.vm }}"
${extra}
  - {id: after, ${LOG}}
`;

describe('Subflow', () => {
  it('starts the child with rendered inputs and labels, then waits for it', () => {
    const sim = new Sim(subflow(), {}, { inputs: { vm: 'web01' } }).drive();
    const [start] = sim.of('startSubflow');
    const run = sim.run('child');
    expect(start).toEqual({
      type: 'startSubflow',
      taskRunId: run.id,
      executionId: run.flowable?.executionId,
      namespace: 'company.ops',
      flowId: 'patch-web01',
      revision: null,
      inputs: { vm: 'web01', count: 3, fixed: [1, 2] },
      labels: { ticket: 'CHG-web01' },
    });
    expect(run.state).toBe('RUNNING');
    expect(sim.state).toBe('RUNNING');
    expect(sim.has('after')).toBe(false);
  });

  it('ends with the child: SUCCESS with {executionId, state, outputs}', () => {
    const sim = new Sim(subflow(), {}, { inputs: { vm: 'web01' } }).drive();
    const childId = sim.run('child').flowable?.executionId;
    sim.childEnded('child', 'SUCCESS', { snapshot: 'snap-1' });
    expect(sim.run('child').state).toBe('SUCCESS');
    expect(sim.run('child').outputs).toEqual({ executionId: childId, state: 'SUCCESS', outputs: { snapshot: 'snap-1' } });
    expect(sim.trace()).toEqual(['child:SUCCESS', 'after:SUCCESS']);
    expect(sim.state).toBe('SUCCESS');
  });

  it('passes a WARNING child on as WARNING', () => {
    const sim = new Sim(subflow(), {}, { inputs: { vm: 'x' } }).drive().childEnded('child', 'WARNING');
    expect(sim.run('child').state).toBe('WARNING');
    expect(sim.state).toBe('WARNING');
  });

  it.each(['FAILED', 'KILLED'])('fails when the child ends %s (transmitFailed defaults to true)', (state) => {
    const sim = new Sim(subflow(), {}, { inputs: { vm: 'x' } }).drive().childEnded('child', state);
    expect(sim.run('child').state).toBe('FAILED');
    expect(sim.run('child').error).toBe(`subflow execution ${String(sim.run('child').flowable?.executionId)} ended ${state}`);
    expect(sim.has('after')).toBe(false);
    expect(sim.state).toBe('FAILED');
  });

  it('succeeds after a failed child with transmitFailed: false', () => {
    const sim = new Sim(subflow('    transmitFailed: false'), {}, { inputs: { vm: 'x' } }).drive().childEnded('child', 'FAILED');
    expect(sim.run('child').state).toBe('SUCCESS');
    expect(sim.run('child').outputs?.state).toBe('FAILED');
    expect(sim.state).toBe('SUCCESS');
  });

  it('without wait succeeds at once with {executionId}', () => {
    const sim = new Sim(subflow('    wait: false'), {}, { inputs: { vm: 'x' } }).drive();
    const run = sim.run('child');
    expect(sim.of('startSubflow')).toHaveLength(1);
    expect(run.outputs).toEqual({ executionId: run.flowable?.executionId });
    expect(sim.trace()).toEqual(['child:SUCCESS', 'after:SUCCESS']);
    expect(sim.state).toBe('SUCCESS');
  });

  it('inherits the execution labels when asked, its own labels winning; passes revision and scheduleDate', () => {
    const sim = new Sim(
      subflow('    inheritLabels: true\n    revision: 4\n    scheduleDate: "2026-03-03T02:00:00Z"').replace('ticket: "CHG-{{ inputs.vm }}"', 'team: "{{ inputs.vm }}"'),
      {},
      { inputs: { vm: 'db' }, labels: { team: 'platform', env: 'prod' } },
    ).drive();
    const [start] = sim.of('startSubflow');
    expect(start?.labels).toEqual({ team: 'db', env: 'prod' });
    expect(start?.revision).toBe(4);
    expect(start?.scheduleDate).toBe('2026-03-03T02:00:00Z');
  });

  it('fails the Subflow, starting nothing, when its inputs cannot be rendered', () => {
    const sim = new Sim(subflow().replace('"{{ 1 + 2 }}"', '"{{ outputs.nope.x }}"'), {}, { inputs: { vm: 'x' } }).drive();
    expect(sim.of('startSubflow')).toHaveLength(0);
    expect(sim.run('child').state).toBe('FAILED');
    expect(sim.run('child').error).toMatch(/^`inputs`: .*outputs\.nope\.x/);
  });

  it('kills a waiting child execution when this one is killed', () => {
    const sim = new Sim(subflow(), {}, { inputs: { vm: 'x' } }).drive();
    const childId = sim.run('child').flowable?.executionId;
    sim.kill();
    expect(sim.of('killExecution')).toEqual([{ type: 'killExecution', executionId: childId }]);
    expect(sim.run('child').state).toBe('KILLED');
    expect(sim.state).toBe('KILLED');
  });
});
