import { taskList } from '../../../tasks/types.js';
import { isTerminalTaskRun } from '../../model.js';
import { createTaskRun } from '../create.js';
import { haltRun } from '../halt.js';
import { propBool, propInt } from '../props.js';
import { worst } from '../scopes.js';
import { ACTIVE, type FlowableBehavior } from '../types.js';

/**
 * Parallel: its `tasks` at once, at most `concurrent` of them running (0 = no limit).
 * Without failFast every child runs and the Parallel fails at the end if one failed; with
 * failFast the first failure stops the running siblings, starts no more, and the Parallel
 * fails once they have stopped (FAILED, not KILLED: the cause is the failure). `concurrent`
 * and `failFast` are rendered once, when the Parallel starts.
 */
export const parallel: FlowableBehavior = {
  create: (planner, task, draft) => ({
    state: 'RUNNING',
    flowable: {
      concurrent: propInt(planner, task, 'concurrent', draft, 0),
      failFast: propBool(planner, task, 'failFast', draft, false),
    },
  }),
  main: (planner, run, task) => {
    const concurrent = Number(run.flowable?.concurrent ?? 0);
    const failFast = run.flowable?.failFast === true;
    const children = taskList(task.tasks)
      .map((child, position) => ({ child, position, run: planner.find(child.id, run.id, run.value) }))
      .filter(({ child }) => child.disabled !== true);
    if (failFast && children.some((entry) => entry.run?.state === 'FAILED')) {
      for (const entry of children) if (entry.run) haltRun(planner, planner.get(entry.run.id), 'KILLED');
      const stillRunning = children.some((entry) => entry.run && !isTerminalTaskRun(planner.get(entry.run.id).state));
      return stillRunning ? ACTIVE : { state: 'FAILED' };
    }
    let running = children.filter((entry) => entry.run && !isTerminalTaskRun(entry.run.state)).length;
    let missing = false;
    for (const entry of children) {
      if (entry.run) continue;
      missing = true;
      if (concurrent > 0 && running >= concurrent) break;
      createTaskRun(planner, entry.child, { parent: run, branch: 'tasks', value: run.value, position: entry.position });
      running++;
    }
    if (missing || running > 0) return ACTIVE;
    return { state: worst(children.map((entry) => entry.run!.state)) };
  },
};
