import { ErrorCode, PatchbayError } from '../../../errors.js';
import { taskList } from '../../../tasks/types.js';
import { propInt, readProp } from '../props.js';
import { enabledTasks, inspectSequence, runSequence, worst } from '../scopes.js';
import { ACTIVE, type FlowableBehavior, type Settled } from '../types.js';

/**
 * ForEach: `values` (a list, or a JSON array in a string) is rendered once and kept in
 * `flowable.values` as iteration values: strings as they are, anything else as JSON
 * (Kestra's `taskrun.value`). Duplicates are dropped and nulls refused, as Kestra does. Each
 * value is an iteration running `tasks` in order, with at most `concurrencyLimit` iterations
 * under way at once (default 1, 0 = no limit); iteration i's runs get positions i × n + j.
 * Once an iteration fails no new task run starts in any iteration; the ForEach fails when
 * the ones already running have ended.
 */
export function iterationValues(raw: unknown): string[] {
  let values = raw;
  if (typeof raw === 'string') {
    try {
      values = JSON.parse(raw);
    } catch {
      throw new PatchbayError(ErrorCode.TASK_FAILED, '`values` must be a list or a JSON array, got a string that is not JSON');
    }
  }
  if (!Array.isArray(values)) throw new PatchbayError(ErrorCode.TASK_FAILED, `\`values\` must be a list or a JSON array, got ${JSON.stringify(values)}`);
  const nulls = values.filter((value) => value === null || value === undefined).length;
  if (nulls > 0) throw new PatchbayError(ErrorCode.TASK_FAILED, `\`values\` holds ${nulls} null value(s): ${JSON.stringify(values)}`);
  return [...new Set(values.map((value) => (typeof value === 'string' ? value : JSON.stringify(value))))];
}

export const forEach: FlowableBehavior = {
  create: (planner, task, draft) => ({
    state: 'RUNNING',
    flowable: {
      values: iterationValues(readProp(planner, task, 'values', draft)),
      concurrencyLimit: propInt(planner, task, 'concurrencyLimit', draft, 1),
    },
  }),
  main: (planner, run, task) => {
    const values = (run.flowable?.values ?? []) as string[];
    const limit = Number(run.flowable?.concurrencyLimit ?? 1);
    const tasks = taskList(task.tasks);
    if (values.length === 0 || enabledTasks(tasks).length === 0) return { state: 'SUCCESS' };
    const states = values.map((value) => inspectSequence(planner, run, tasks, value));
    const finished: Settled['state'][] = [];
    for (const state of states) if (state.status === 'done') finished.push(state.outcome.state);
    if (finished.some((state) => state === 'FAILED' || state === 'KILLED')) {
      return states.some((state) => state.status === 'running') ? ACTIVE : { state: worst(finished) };
    }
    let underWay = 0;
    for (const [index, state] of states.entries()) {
      if (state.status === 'running' || state.status === 'ready') {
        underWay++;
        runSequence(planner, run, 'tasks', tasks, values[index]!, index * tasks.length);
      }
    }
    let waiting = false;
    for (const [index, state] of states.entries()) {
      if (state.status !== 'idle') continue;
      waiting = true;
      if (limit > 0 && underWay >= limit) break;
      runSequence(planner, run, 'tasks', tasks, values[index]!, index * tasks.length);
      underWay++;
    }
    if (waiting || underWay > 0) return ACTIVE;
    return { state: worst(finished) };
  },
};
