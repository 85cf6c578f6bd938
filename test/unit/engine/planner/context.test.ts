import { describe, expect, it } from 'vitest';
import type { ExecutionSnapshot, TaskRunRecord } from '../../../../src/engine/model.js';
import { buildRenderContext } from '../../../../src/engine/planner/index.js';
import { START, loadFlow } from './simulate.js';

const flow = loadFlow(`id: ctx
namespace: company.ops
variables:
  region: eu-west
tasks:
  - id: each
    type: io.kestra.plugin.core.flow.ForEach
    values: ["web", "db"]
    tasks:
      - id: group
        type: io.kestra.plugin.core.flow.Sequential
        tasks:
          - {id: leaf, type: io.kestra.plugin.core.log.Log, message: hi}
  - {id: top, type: io.kestra.plugin.core.debug.Return, format: x}
`);

function run(id: string, taskId: string, parent: string | null, value: string | null, branch = 'tasks', extra: Partial<TaskRunRecord> = {}): TaskRunRecord {
  return {
    id,
    taskId,
    parentTaskRunId: parent,
    branch,
    value,
    position: 0,
    state: 'SUCCESS',
    attempts: [],
    outputs: null,
    error: null,
    createdAt: START,
    startedAt: START,
    endedAt: START,
    flowable: null,
    ...extra,
  };
}

const snapshot: ExecutionSnapshot = {
  execution: {
    id: 'exec-9',
    namespace: 'company.ops',
    flowId: 'ctx',
    revision: 7,
    state: 'RUNNING',
    inputs: { vm: 'web-01' },
    labels: { team: 'platform' },
    outputs: null,
    createdBy: 'U1',
    parentExecutionId: null,
    parentTaskRunId: null,
    trigger: { date: '2026-03-02T02:00:00Z' },
    killRequested: false,
    error: null,
    createdAt: START,
    endedAt: null,
  },
  taskRuns: [
    run('r-each', 'each', null, null, 'tasks', { state: 'RUNNING', flowable: { values: ['web', 'db'] } }),
    run('r-group-web', 'group', 'r-each', 'web'),
    run('r-leaf-web', 'leaf', 'r-group-web', 'web', 'tasks', { outputs: { n: 1 } }),
    run('r-group-db', 'group', 'r-each', 'db', 'tasks', { state: 'RUNNING' }),
    run('r-leaf-db', 'leaf', 'r-group-db', 'db', 'tasks', { state: 'RUNNING', attempts: [{ state: 'FAILED', startedAt: START }, { state: 'RUNNING', startedAt: START }] }),
    run('r-top', 'top', null, null, 'tasks', { state: 'CREATED', startedAt: null, endedAt: null, outputs: null }),
  ],
  now: '2026-03-02T08:05:00.000Z',
};

describe('buildRenderContext', () => {
  it('gives the execution-wide variables', () => {
    const context = buildRenderContext(flow, snapshot);
    expect(context).toMatchObject({
      inputs: { vm: 'web-01' },
      vars: { region: 'eu-west' },
      execution: { id: 'exec-9', startDate: START, state: 'RUNNING', originalId: 'exec-9' },
      flow: { id: 'ctx', namespace: 'company.ops', revision: 7 },
      labels: { team: 'platform' },
      trigger: { date: '2026-03-02T02:00:00Z' },
    });
    expect(context.task).toBeUndefined();
    expect(context.taskrun).toBeUndefined();
  });

  it('keys outputs and states of runs inside a ForEach by iteration value', () => {
    const context = buildRenderContext(flow, snapshot);
    expect(context.outputs).toEqual({ leaf: { web: { n: 1 } } });
    expect(context.tasks).toEqual({
      each: { state: 'RUNNING' },
      group: { web: { state: 'SUCCESS' }, db: { state: 'RUNNING' } },
      leaf: { web: { state: 'SUCCESS' }, db: { state: 'RUNNING' } },
      top: { state: 'CREATED' },
    });
  });

  it('describes a task run: task, taskrun, parent and parents nearest first', () => {
    const leaf = snapshot.taskRuns.find((r) => r.id === 'r-leaf-db')!;
    const context = buildRenderContext(flow, snapshot, leaf);
    expect(context.task).toEqual({ id: 'leaf', type: 'io.kestra.plugin.core.log.Log' });
    expect(context.taskrun).toEqual({ id: 'r-leaf-db', startDate: START, attemptsCount: 2, parentId: 'r-group-db', value: 'db' });
    expect(context.parents).toEqual([{ task: { id: 'group' }, taskrun: { value: 'db' } }, { task: { id: 'each' } }]);
    expect(context.parent).toEqual({ task: { id: 'group' }, taskrun: { value: 'db' } });
  });

  it('leaves out what a top-level run does not have', () => {
    const top = snapshot.taskRuns.find((r) => r.id === 'r-top')!;
    const context = buildRenderContext(flow, snapshot, top);
    expect(context.taskrun).toEqual({ id: 'r-top', startDate: snapshot.now, attemptsCount: 0 });
    expect(context.parents).toEqual([]);
    expect(context.parent).toBeUndefined();
  });
});
