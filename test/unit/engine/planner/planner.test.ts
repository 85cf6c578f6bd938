import { describe, expect, it } from 'vitest';
import type { ExecutionSnapshot, PlanAction } from '../../../../src/engine/model.js';
import { applyActions, plan, planUntilStable } from '../../../../src/engine/planner/index.js';
import { START, Sim, counterDeps, loadFlow } from './simulate.js';

const LOG = 'type: io.kestra.plugin.core.log.Log, message: hi';

const busyFlow = `id: busy
namespace: company.ops
tasks:
  - id: p
    type: io.kestra.plugin.core.flow.Parallel
    tasks:
      - {id: a, ${LOG}}
      - id: each
        type: io.kestra.plugin.core.flow.ForEach
        values: [1, 2, 3]
        concurrencyLimit: 0
        tasks:
          - {id: step, ${LOG}}
      - {id: nap, type: io.kestra.plugin.core.flow.Sleep, duration: PT1M}
      - id: sub
        type: io.kestra.plugin.core.flow.Subflow
        namespace: company.ops
        flowId: child
  - {id: wait, type: io.kestra.plugin.core.flow.Pause}
`;

function fresh(): ExecutionSnapshot {
  return new Sim(busyFlow).snapshot;
}

const keys = (snapshot: ExecutionSnapshot) => snapshot.taskRuns.map((run) => `${run.taskId}|${run.parentTaskRunId}|${run.value}`);

describe('the planner as a function', () => {
  it('is deterministic: the same snapshot and ids give the same actions', () => {
    const flow = loadFlow(busyFlow);
    const first = planUntilStable(flow, fresh(), counterDeps(() => START));
    const second = planUntilStable(flow, fresh(), counterDeps(() => START));
    expect(second.actions).toEqual(first.actions);
    expect(first.actions.length).toBeGreaterThan(10);
  });

  it('is idempotent: a snapshot it acted on yields nothing more, and nothing is created twice', () => {
    const flow = loadFlow(busyFlow);
    const deps = counterDeps(() => START);
    const settled = planUntilStable(flow, fresh(), deps).snapshot;
    expect(plan(flow, settled, deps)).toEqual([]);
    expect(plan(flow, settled, deps)).toEqual([]);
    expect(new Set(keys(settled)).size).toBe(settled.taskRuns.length);
    expect(keys(settled).sort()).toEqual(
      ['p|null|null', 'a|id-1|null', 'each|id-1|null', 'nap|id-1|null', 'sub|id-1|null', 'step|id-3|1', 'step|id-3|2', 'step|id-3|3'].sort(),
    );
  });

  it('re-planning a partly applied round creates only what is missing', () => {
    const flow = loadFlow(busyFlow);
    const deps = counterDeps(() => START);
    let snapshot = fresh();
    for (let round = 0; round < 3; round++) snapshot = applyActions(snapshot, plan(flow, snapshot, deps));
    const before = new Set(keys(snapshot));
    const again = plan(flow, snapshot, deps).filter((action): action is Extract<PlanAction, { type: 'createTaskRun' }> => action.type === 'createTaskRun');
    for (const action of again) {
      expect(before.has(`${action.taskRun.taskId}|${action.taskRun.parentTaskRunId}|${action.taskRun.value}`)).toBe(false);
    }
  });

  it('returns nothing for an execution that has ended', () => {
    const flow = loadFlow(busyFlow);
    const ended = { ...fresh(), execution: { ...fresh().execution, state: 'FAILED' as const } };
    expect(plan(flow, ended, counterDeps(() => START))).toEqual([]);
  });

  it('refuses to loop forever', () => {
    const flow = loadFlow(busyFlow);
    expect(() => planUntilStable(flow, fresh(), counterDeps(() => START), 1)).toThrow(/did not settle after 1 rounds/);
  });
});

describe('applyActions', () => {
  const base = fresh();
  const create: Extract<PlanAction, { type: 'createTaskRun' }> = {
    type: 'createTaskRun',
    taskRun: { id: 't1', taskId: 'a', parentTaskRunId: null, branch: 'tasks', value: null, position: 0, state: 'CREATED' },
  };

  it('does not touch its input', () => {
    const copy = structuredClone(base);
    applyActions(base, [create, { type: 'setExecutionState', state: 'RUNNING' }]);
    expect(base).toEqual(copy);
  });

  it('dates task runs: started when they leave CREATED (kept across retries), ended when terminal', () => {
    let snapshot = applyActions(base, [create]);
    expect(snapshot.taskRuns[0]).toMatchObject({ state: 'CREATED', createdAt: START, startedAt: null, endedAt: null, attempts: [], outputs: null, flowable: null });
    snapshot = applyActions({ ...snapshot, now: '2026-03-02T08:00:05.000Z' }, [{ type: 'updateTaskRun', id: 't1', state: 'RUNNING' }]);
    snapshot = applyActions({ ...snapshot, now: '2026-03-02T08:00:09.000Z' }, [{ type: 'updateTaskRun', id: 't1', state: 'RETRYING' }]);
    expect(snapshot.taskRuns[0]).toMatchObject({ startedAt: '2026-03-02T08:00:05.000Z', endedAt: null });
    snapshot = applyActions({ ...snapshot, now: '2026-03-02T08:01:00.000Z' }, [{ type: 'updateTaskRun', id: 't1', state: 'SUCCESS', outputs: { x: 1 } }]);
    expect(snapshot.taskRuns[0]).toMatchObject({ state: 'SUCCESS', startedAt: '2026-03-02T08:00:05.000Z', endedAt: '2026-03-02T08:01:00.000Z', outputs: { x: 1 } });
  });

  it('replaces flowable bookkeeping whole and ignores unknown runs and pure effects', () => {
    let snapshot = applyActions(base, [{ type: 'createTaskRun', taskRun: { ...create.taskRun, flowable: { a: 1 } } }]);
    snapshot = applyActions(snapshot, [
      { type: 'updateTaskRun', id: 't1', flowable: { b: 2 } },
      { type: 'updateTaskRun', id: 'ghost', state: 'FAILED' },
      { type: 'armTimer', taskRunId: 't1', kind: 'RETRY', dueAt: START },
      { type: 'cancelTaskRun', id: 't1' },
    ]);
    expect(snapshot.taskRuns).toHaveLength(1);
    expect(snapshot.taskRuns[0]?.flowable).toEqual({ b: 2 });
    expect(snapshot.taskRuns[0]?.state).toBe('CREATED');
  });

  it('ends the execution with its outputs and error', () => {
    const snapshot = applyActions(base, [{ type: 'setExecutionState', state: 'FAILED', outputs: { o: 1 }, error: 'boom' }]);
    expect(snapshot.execution).toMatchObject({ state: 'FAILED', outputs: { o: 1 }, error: 'boom', endedAt: START });
  });
});
