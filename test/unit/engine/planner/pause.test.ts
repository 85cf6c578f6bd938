import { describe, expect, it } from 'vitest';
import { START, Sim } from './simulate.js';

const LOG = 'type: io.kestra.plugin.core.log.Log, message: hi';
const FLOW = 'id: waits\nnamespace: company.ops\n';
const at = (seconds: number) => new Date(Date.parse(START) + seconds * 1000).toISOString();

const pauseFlow = (props: string, extra = '') => `${FLOW}
tasks:
  - id: wait
    type: io.kestra.plugin.core.flow.Pause
${props}
  - {id: after, ${LOG}}
${extra}`;

describe('Pause', () => {
  it('with pauseDuration pauses, arms PAUSE_DELAY, and goes on when it fires', () => {
    const sim = new Sim(pauseFlow('    pauseDuration: PT5M')).drive();
    // drive() fires timers: the pause ended by itself five minutes in
    expect(sim.firedTimers).toEqual([{ taskRunId: sim.run('wait').id, kind: 'PAUSE_DELAY', dueAt: at(300) }]);
    expect(sim.of('openApproval')).toHaveLength(0);
    expect(sim.trace()).toEqual(['wait:SUCCESS', 'after:SUCCESS']);
    expect(sim.state).toBe('SUCCESS');
    expect(sim.of('setExecutionState').map((a) => a.state)).toEqual(['RUNNING', 'PAUSED', 'RUNNING', 'SUCCESS']);
  });

  it('reads the older `delay` as pauseDuration', () => {
    const sim = new Sim(pauseFlow('    delay: PT1M'));
    sim.plan();
    expect(sim.of('armTimer')).toEqual([{ type: 'armTimer', taskRunId: sim.run('wait').id, kind: 'PAUSE_DELAY', dueAt: at(60) }]);
  });

  it('without a duration waits for anyone to resume, and gives the resume inputs as outputs', () => {
    const sim = new Sim(pauseFlow('    onResume:\n      - {id: approved, type: BOOLEAN}\n      - {id: reason, type: STRING}', `outputs:
  - {id: why, type: STRING, value: "{{ outputs.wait.onResume.reason }}"}`)).drive();
    expect(sim.state).toBe('PAUSED');
    expect(sim.run('wait').state).toBe('PAUSED');
    expect(sim.of('openApproval')).toEqual([
      { type: 'openApproval', taskRunId: sim.run('wait').id, users: [], groups: [], minApprovals: 1, allowSelfApproval: true, expiresAt: null, description: null },
    ]);
    expect(sim.of('armTimer')).toHaveLength(0);
    sim.resume('wait', 'U_ALICE', { approved: true, reason: 'window ok' });
    expect(sim.run('wait').outputs).toEqual({ onResume: { approved: true, reason: 'window ok' }, resumed: { by: 'U_ALICE', at: START } });
    expect(sim.of('disarmTimers').map((a) => a.taskRunId)).toEqual([sim.run('wait').id]);
    expect(sim.trace()).toEqual(['wait:SUCCESS', 'after:SUCCESS']);
    expect(sim.snapshot.execution.outputs).toEqual({ why: 'window ok' });
    expect(sim.state).toBe('SUCCESS');
  });

  it('fails with the common timeout when nobody resumes in time and no behavior is set', () => {
    const sim = new Sim(pauseFlow('    timeout: PT10M', `errors:
  - {id: handler, ${LOG}}`)).drive();
    expect(sim.of('openApproval')[0]?.expiresAt).toBe(at(600));
    expect(sim.of('armTimer')).toEqual([{ type: 'armTimer', taskRunId: sim.run('wait').id, kind: 'PAUSE_TIMEOUT', dueAt: at(600) }]);
    expect(sim.state).toBe('PAUSED');
    sim.fire('PAUSE_TIMEOUT');
    sim.drive();
    expect(sim.run('wait').state).toBe('FAILED');
    expect(sim.run('wait').error).toBe('paused task timed out after PT10M');
    expect(sim.trace()).toEqual(['wait:FAILED', 'handler:SUCCESS']);
    expect(sim.state).toBe('FAILED');
  });

  it.each([
    ['RESUME', 'SUCCESS', ['wait:SUCCESS', 'after:SUCCESS'], 'SUCCESS'],
    ['WARN', 'WARNING', ['wait:WARNING', 'after:SUCCESS'], 'WARNING'],
    ['FAIL', 'FAILED', ['wait:FAILED'], 'FAILED'],
    ['CANCEL', 'KILLED', ['wait:KILLED'], 'KILLED'],
  ] as const)('applies an explicit behavior %s when the timeout of a waiting pause expires', (behavior, runState, trace, executionState) => {
    const sim = new Sim(pauseFlow(`    timeout: PT10M\n    behavior: ${behavior}`)).drive({ expire: true });
    expect(sim.of('openApproval')).toHaveLength(1);
    expect(sim.firedTimers.map((timer) => timer.kind)).toEqual(['PAUSE_TIMEOUT']);
    expect(sim.run('wait').state).toBe(runState);
    expect(sim.trace()).toEqual(trace);
    expect(sim.state).toBe(executionState);
  });

  it.each([
    ['WARN', 'WARNING', ['wait:WARNING', 'after:SUCCESS'], 'WARNING'],
    ['FAIL', 'FAILED', ['wait:FAILED'], 'FAILED'],
    ['CANCEL', 'KILLED', ['wait:KILLED'], 'KILLED'],
  ] as const)('applies behavior %s when pauseDuration elapses', (behavior, runState, trace, executionState) => {
    const sim = new Sim(pauseFlow(`    pauseDuration: PT1H\n    behavior: ${behavior}`)).drive({ expire: true });
    expect(sim.firedTimers.map((timer) => timer.kind)).toEqual(['PAUSE_TIMEOUT']);
    expect(sim.run('wait').state).toBe(runState);
    expect(sim.trace()).toEqual(trace);
    expect(sim.state).toBe(executionState);
    if (behavior === 'FAIL') expect(sim.run('wait').error).toBe('paused task timed out after PT1H');
  });

  it('resumes when pauseDuration elapses with behavior RESUME even around nested tasks', () => {
    const sim = new Sim(pauseFlow(`    pauseDuration: PT1H\n    finally:\n      - {id: wait_finally, ${LOG}}`)).drive({ expire: true });
    expect(sim.firedTimers.map((timer) => timer.kind)).toEqual(['PAUSE_TIMEOUT']);
    expect(sim.trace()).toEqual(['wait:SUCCESS', 'wait_finally:SUCCESS', 'after:SUCCESS']);
  });

  it('runs onPause when the pause starts; the execution is RUNNING until it ends', () => {
    const sim = new Sim(pauseFlow(`    onPause: {id: notify, ${LOG}}`), { notify: 'HOLD' }).drive();
    expect(sim.run('notify').branch).toBe('onPause');
    expect(sim.run('notify').parentTaskRunId).toBe(sim.run('wait').id);
    expect(sim.state).toBe('RUNNING');
    expect(sim.run('wait').state).toBe('PAUSED');
  });

  it('fails when onPause fails, and then runs its errors with the Pause RUNNING', () => {
    const sim = new Sim(pauseFlow(`    onPause: {id: notify, ${LOG}}\n    errors:\n      - {id: wait_errors, ${LOG}}`), { notify: 'FAILED' }).drive();
    expect(sim.trace()).toEqual(['wait:FAILED', 'notify:FAILED', 'wait_errors:SUCCESS']);
    expect(sim.run('wait').error).toBe('onPause task `notify` failed');
    expect(sim.of('updateTaskRun').some((u) => u.id === sim.run('wait').id && u.state === 'RUNNING')).toBe(true);
  });

  it('runs the deprecated `tasks` after the resume', () => {
    const sim = new Sim(pauseFlow(`    tasks:\n      - {id: legacy, ${LOG}}`)).drive();
    sim.resume('wait');
    expect(sim.created()).toEqual(['wait', 'legacy', 'after']);
    expect(sim.run('legacy').branch).toBe('tasks');
    expect(sim.state).toBe('SUCCESS');
  });

  it('fails with the rejecter and the reason when a person rejects it', () => {
    const sim = new Sim(pauseFlow('    timeout: PT1H')).drive();
    sim.decide('wait', false, 'U_CAROL', 'not today');
    expect(sim.run('wait').error).toBe('rejected by U_CAROL: not today');
    expect(sim.state).toBe('FAILED');
  });
});

describe('HumanTask', () => {
  const human = (extra = '') => `${FLOW}
tasks:
  - id: approve
    type: io.kestra.plugin.ee.flow.HumanTask
    description: Patch prod-web-01 tonight?
    assignment:
      users: [U_ALICE, "{{ inputs.backup }}"]
      groups: [sre]
    minApprovals: 2
    remindEvery: PT30M
${extra}
    errors:
      - {id: on_reject, ${LOG}}
    finally:
      - {id: always, ${LOG}}
  - {id: patch, ${LOG}}
inputs:
  - {id: backup, type: STRING}
`;

  it('asks its assignees with its own rules and arms the first reminder', () => {
    const sim = new Sim(human('    timeout: PT2H'), {}, { inputs: { backup: 'U_DAVE' } }).drive();
    const run = sim.run('approve');
    expect(sim.of('openApproval')).toEqual([
      { type: 'openApproval', taskRunId: run.id, users: ['U_ALICE', 'U_DAVE'], groups: ['sre'], minApprovals: 2, allowSelfApproval: false, expiresAt: at(7200), description: 'Patch prod-web-01 tonight?' },
    ]);
    expect(sim.of('armTimer').map((timer) => [timer.kind, timer.dueAt])).toEqual([
      ['PAUSE_TIMEOUT', at(7200)],
      ['REMINDER', at(1800)],
    ]);
    expect(sim.state).toBe('PAUSED');
  });

  it('succeeds on approval with who approved, then runs finally and goes on', () => {
    const sim = new Sim(human(), {}, { inputs: { backup: 'U_DAVE' } }).drive();
    sim.decide('approve', true, 'U_ALICE', 'looks good', { window: '22:00' });
    expect(sim.run('approve').outputs).toEqual({
      onResume: { window: '22:00' },
      resumed: { by: 'U_ALICE', at: START },
      approvedBy: 'U_ALICE',
      approvers: ['U_ALICE'],
      reason: 'looks good',
    });
    expect(sim.created()).toEqual(['approve', 'always', 'patch']);
    expect(sim.state).toBe('SUCCESS');
  });

  it('fails on rejection, naming who and why, so errors and finally run', () => {
    const sim = new Sim(human(), {}, { inputs: { backup: 'U_DAVE' } }).drive();
    sim.decide('approve', false, 'U_DAVE', 'change freeze');
    expect(sim.run('approve').error).toBe('rejected by U_DAVE: change freeze');
    expect(sim.trace()).toEqual(['approve:FAILED', 'on_reject:SUCCESS', 'always:SUCCESS']);
    expect(sim.state).toBe('FAILED');
  });

  it('fails by default when its pauseDuration elapses unanswered', () => {
    const sim = new Sim(human('    pauseDuration: PT4H'), {}, { inputs: { backup: 'U_DAVE' } }).drive();
    expect(sim.of('openApproval')[0]?.expiresAt).toBe(at(14_400));
    expect(sim.state).toBe('PAUSED');
    sim.fire('PAUSE_TIMEOUT');
    sim.drive();
    expect(sim.run('approve').error).toBe('paused task timed out after PT4H');
    expect(sim.trace()).toEqual(['approve:FAILED', 'on_reject:SUCCESS', 'always:SUCCESS']);
  });
});

describe('Sleep', () => {
  it('is a timer: RUNNING without a worker, SUCCESS when it fires', () => {
    const sim = new Sim(`${FLOW}
tasks:
  - {id: nap, type: io.kestra.plugin.core.flow.Sleep, duration: PT90S}
  - {id: after, ${LOG}}
`);
    sim.plan();
    expect(sim.run('nap').state).toBe('RUNNING');
    expect(sim.of('armTimer')).toEqual([{ type: 'armTimer', taskRunId: sim.run('nap').id, kind: 'SLEEP', dueAt: at(90) }]);
    expect(sim.state).toBe('RUNNING');
    sim.drive();
    expect(sim.batches).toEqual([['after']]);
    expect(sim.trace()).toEqual(['nap:SUCCESS', 'after:SUCCESS']);
  });

  it('fails when its duration cannot be read', () => {
    const sim = new Sim(`${FLOW}
tasks:
  - {id: nap, type: io.kestra.plugin.core.flow.Sleep, duration: "{{ 'soon' }}"}
`).drive();
    expect(sim.run('nap').state).toBe('FAILED');
    expect(sim.run('nap').error).toMatch(/`duration`/);
  });
});
