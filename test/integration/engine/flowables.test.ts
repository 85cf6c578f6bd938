import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestEngine, createTestEngine } from '../../support/engine.js';

/**
 * Flowable tasks end to end on the real database and worker (the pure planner's own tests
 * cover every rule; these check that storage, timers and the worker agree with it).
 */
const flows = [
  `
id: fan-out
namespace: company.ops
inputs:
  - id: env
    type: STRING
tasks:
  - id: each
    type: io.kestra.plugin.core.flow.ForEach
    values: ["web-01", "web-02", "db-01"]
    concurrencyLimit: 2
    tasks:
      - id: name
        type: io.kestra.plugin.core.debug.Return
        format: "{{ taskrun.value | upper }}"
  - id: both
    type: io.kestra.plugin.core.flow.Parallel
    concurrent: 2
    tasks:
      - id: left
        type: io.kestra.plugin.core.debug.Return
        format: "{{ outputs.name['web-02'].value }}"
      - id: nap
        type: io.kestra.plugin.core.flow.Sleep
        duration: PT0.2S
  - id: route
    type: io.kestra.plugin.core.flow.Switch
    value: "{{ inputs.env }}"
    cases:
      prod:
        - id: careful
          type: io.kestra.plugin.core.debug.Return
          format: careful
    defaults:
      - id: relaxed
        type: io.kestra.plugin.core.debug.Return
        format: relaxed
  - id: check
    type: io.kestra.plugin.core.flow.If
    condition: "{{ outputs.left.value == 'WEB-02' }}"
    then:
      - id: yes
        type: io.kestra.plugin.core.log.Log
        message: "left saw WEB-02"
    else:
      - id: no
        type: io.kestra.plugin.core.execution.Fail
        errorMessage: "unexpected {{ outputs.left.value }}"
outputs:
  - id: names
    type: JSON
    value: "{{ [outputs.name['web-01'].value, outputs.name['db-01'].value] }}"
`,
  `
id: change
namespace: company.ops
tasks:
  - id: gate
    type: io.kestra.plugin.core.flow.Approval
    assignment:
      users: [bob]
    onWait:
      - id: asked
        type: io.kestra.plugin.core.log.Log
        message: waiting for bob
    onApprove:
      - id: go
        type: io.kestra.plugin.core.log.Log
        message: approved
    onDeny:
      - id: stop
        type: io.kestra.plugin.core.log.Log
        message: denied
`,
];

describe('flowables on the real engine', () => {
  let engine: TestEngine;
  beforeAll(async () => {
    engine = await createTestEngine();
    await engine.load(...flows);
  });
  afterAll(async () => engine.close());

  it('runs ForEach, Parallel with Sleep, Switch and If with outputs by iteration value', async () => {
    const view = await engine.run('fan-out', { env: 'uat' });
    expect(view.state).toBe('SUCCESS');
    const names = view.taskRuns.filter((run) => run.taskId === 'name').map((run) => [run.value, run.outputs]);
    expect(names).toEqual(
      expect.arrayContaining([
        ['web-01', { value: 'WEB-01' }],
        ['web-02', { value: 'WEB-02' }],
        ['db-01', { value: 'DB-01' }],
      ]),
    );
    const ran = view.taskRuns.map((run) => `${run.taskId}:${run.state}`);
    expect(ran).toEqual(expect.arrayContaining(['nap:SUCCESS', 'relaxed:SUCCESS', 'yes:SUCCESS']));
    expect(ran.some((entry) => entry.startsWith('careful') || entry.startsWith('no:'))).toBe(false);
    expect(view.outputs).toEqual({ names: ['WEB-01', 'DB-01'] });
  });

  it('takes the Switch case that matches', async () => {
    const view = await engine.run('fan-out', { env: 'prod' });
    expect(view.taskRuns.find((run) => run.taskId === 'careful')?.state).toBe('SUCCESS');
    expect(view.taskRuns.some((run) => run.taskId === 'relaxed')).toBe(false);
  });

  it('runs onWait while an Approval waits and onApprove once bob approves', async () => {
    const waiting = await engine.run('change', {}, 'alice');
    expect(waiting.state).toBe('PAUSED');
    expect(waiting.taskRuns.find((run) => run.taskId === 'asked')?.state).toBe('SUCCESS');
    await engine.service.decide({ executionId: waiting.id, actor: 'bob', approve: true });
    const view = await engine.service.settle(waiting.id, 50);
    expect(view.state).toBe('SUCCESS');
    expect(view.taskRuns.map((run) => run.taskId)).toEqual(expect.arrayContaining(['gate', 'asked', 'go']));
    expect(view.taskRuns.some((run) => run.taskId === 'stop')).toBe(false);
  });
});
