import { taskList } from '../../../tasks/types.js';
import { isTruthy } from '../../truthy.js';
import { readProp } from '../props.js';
import { runSequence } from '../scopes.js';
import type { FlowableBehavior } from '../types.js';

/**
 * If: `condition` is rendered once, when the If starts, and kept in `flowable.condition`;
 * then `then` or `else` runs (an absent `else` on a false condition is a SUCCESS).
 */
export const ifTask: FlowableBehavior = {
  create: (planner, task, draft) => ({
    state: 'RUNNING',
    flowable: { condition: isTruthy(readProp(planner, task, 'condition', draft)) },
  }),
  main: (planner, run, task) => {
    const branch = run.flowable?.condition === true ? 'then' : 'else';
    return runSequence(planner, run, branch, taskList(task[branch]), run.value);
  },
};
