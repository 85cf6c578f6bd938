import { taskList } from '../../../tasks/types.js';
import { runSequence } from '../scopes.js';
import type { FlowableBehavior } from '../types.js';

/** Sequential: its `tasks` one after the other; the scope logic adds errors and finally. */
export const sequential: FlowableBehavior = {
  create: () => ({ state: 'RUNNING' }),
  main: (planner, run, task) => runSequence(planner, run, 'tasks', taskList(task.tasks), run.value),
};
