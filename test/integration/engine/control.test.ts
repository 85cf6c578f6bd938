import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestEngine, createTestEngine } from '../../support/engine.js';

/** Retries, failure branches, subflows and kill through the real worker and database. */
const flows = [
  `
id: flaky
namespace: company.ops
inputs:
  - id: marker
    type: STRING
tasks:
  - id: try
    type: io.kestra.plugin.scripts.shell.Commands
    commands:
      - 'n=$(cat "{{ inputs.marker }}" 2>/dev/null || echo 0); n=$((n+1)); echo $n > "{{ inputs.marker }}"; [ $n -ge 3 ]'
    retry:
      type: constant
      interval: PT0.1S
      maxAttempts: 5
`,
  `
id: hopeless
namespace: company.ops
tasks:
  - id: try
    type: io.kestra.plugin.scripts.shell.Commands
    commands: ['exit 3']
    retry:
      type: exponential
      interval: PT0.05S
      maxInterval: PT0.2S
      maxAttempts: 3
  - id: never
    type: io.kestra.plugin.core.log.Log
    message: not reached
errors:
  - id: alert
    type: io.kestra.plugin.core.log.Log
    message: "failed: {{ task.id }}"
finally:
  - id: cleanup
    type: io.kestra.plugin.core.log.Log
    message: cleanup
outputs:
  - id: unreachable
    type: STRING
    value: "{{ outputs.never.value }}"
  - id: flow
    type: STRING
    value: "{{ flow.id }}"
`,
  `
id: child
namespace: company.ops
inputs:
  - id: name
    type: STRING
tasks:
  - id: shout
    type: io.kestra.plugin.core.debug.Return
    format: "{{ inputs.name | upper }}"
  - id: maybe_fail
    type: io.kestra.plugin.core.execution.Fail
    condition: "{{ inputs.name == 'boom' }}"
outputs:
  - id: loud
    type: STRING
    value: "{{ outputs.shout.value }}"
`,
  `
id: parent
namespace: company.ops
inputs:
  - id: name
    type: STRING
tasks:
  - id: call
    type: io.kestra.plugin.core.flow.Subflow
    namespace: company.ops
    flowId: child
    inputs:
      name: "{{ inputs.name }}"
    transmitFailed: true
  - id: echo
    type: io.kestra.plugin.core.debug.Return
    format: "{{ outputs.call.outputs.loud }}"
`,
  `
id: nap-parent
namespace: company.ops
tasks:
  - id: call
    type: io.kestra.plugin.core.flow.Subflow
    namespace: company.ops
    flowId: sleepy
`,
  `
id: slow
namespace: company.ops
tasks:
  - id: long
    type: io.kestra.plugin.scripts.shell.Commands
    commands: ['sleep 5']
    timeout: PT0.3S
`,
  `
id: sleepy
namespace: company.ops
tasks:
  - id: long
    type: io.kestra.plugin.scripts.shell.Commands
    commands: ['sleep 30']
`,
];

describe('engine control flow', () => {
  let engine: TestEngine;
  beforeAll(async () => {
    engine = await createTestEngine();
    await engine.load(...flows);
  });
  afterAll(async () => engine.close());

  it('retries a failing task until it succeeds', async () => {
    const view = await engine.run('flaky', { marker: `${engine.dir}/marker` });
    expect(view.state).toBe('SUCCESS');
    expect(view.taskRuns[0]?.attempts).toBe(3);
  });

  it('gives up after maxAttempts, runs errors then finally, and ends FAILED', async () => {
    const view = await engine.run('hopeless');
    expect(view.state).toBe('FAILED');
    expect(view.taskRuns.map((run) => [run.taskId, run.state, run.attempts])).toEqual([
      ['try', 'FAILED', 3],
      ['alert', 'SUCCESS', 1],
      ['cleanup', 'SUCCESS', 1],
    ]);
    // The error names the failed task, not the output that could not exist because of it.
    expect(view.error).toMatch(/^task `try` failed: /);
    expect(view.error).not.toMatch(/unreachable/);
    expect(view.outputs).toEqual({ flow: 'hopeless' });
  });

  it('returns a subflow’s outputs to its parent', async () => {
    const view = await engine.run('parent', { name: 'patchbay' });
    expect(view.state).toBe('SUCCESS');
    expect(view.taskRuns.find((run) => run.taskId === 'echo')?.outputs).toEqual({ value: 'PATCHBAY' });
  });

  it('fails the parent when a subflow fails and transmitFailed is set', async () => {
    const view = await engine.run('parent', { name: 'boom' });
    expect(view.state).toBe('FAILED');
    expect(view.taskRuns.find((run) => run.taskId === 'call')?.state).toBe('FAILED');
  });

  it('stops a task at its timeout and fails it with the reason', async () => {
    const view = await engine.run('slow');
    expect(view.state).toBe('FAILED');
    expect(view.taskRuns[0]?.error).toBe('task long timed out after PT0.3S');
  });

  it('kills a running task: the process is stopped and the execution ends KILLED', async () => {
    const id = await engine.service.start('sleepy', {}, { as: 'alice' });
    await expect.poll(async () => (await engine.service.execution(id)).taskRuns[0]?.state, { timeout: 5000, interval: 50 }).toBe('RUNNING');
    const started = Date.now();
    await engine.service.kill(id, 'alice');
    const view = await engine.service.settle(id, 50);
    expect(view.state).toBe('KILLED');
    expect(view.taskRuns[0]?.state).toBe('KILLED');
    expect(Date.now() - started).toBeLessThan(5000);
    await expect(engine.service.kill(id, 'alice')).rejects.toMatchObject({ code: 'CONFLICT' });
  });

  it('propagates a kill to a running subflow and its task', async () => {
    const id = await engine.service.start('nap-parent', {}, { as: 'alice' });
    const childOf = async () => (await engine.service.list({ flowId: 'sleepy' })).find((row) => row.state === 'RUNNING');
    await expect.poll(async () => {
      const child = await childOf();
      return child ? (await engine.service.execution(child.id)).taskRuns[0]?.state : undefined;
    }, { timeout: 5000, interval: 50 }).toBe('RUNNING');
    const child = (await childOf())!;
    await engine.service.kill(id, 'alice');
    const view = await engine.service.settle(id, 50);
    expect(view.state).toBe('KILLED');
    const childView = await engine.service.settle(child.id, 50);
    expect(childView.state).toBe('KILLED');
    expect(childView.taskRuns[0]?.state).toBe('KILLED');
  });
});
