import { ErrorCode, PatchbayError } from '../../../errors.js';
import { taskList } from '../../../tasks/types.js';
import { readProp } from '../props.js';
import { runSequence } from '../scopes.js';
import type { FlowableBehavior } from '../types.js';

/** The rendered value as the text a case key is compared with (Kestra renders it to a String). */
export function caseKey(value: unknown): string {
  if (value === null || value === undefined) return '';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/**
 * Switch: `value` is rendered once to text; the case with that exact key runs (branch
 * `case:<key>`), else `defaults`; no match and no `defaults` fails the Switch.
 */
export const switchTask: FlowableBehavior = {
  create: (planner, task, draft) => {
    const value = caseKey(readProp(planner, task, 'value', draft));
    const cases = (task.cases ?? {}) as Record<string, unknown>;
    if (Object.hasOwn(cases, value)) return { state: 'RUNNING', flowable: { value, branch: `case:${value}` } };
    if (taskList(task.defaults).length > 0) return { state: 'RUNNING', flowable: { value, branch: 'defaults' } };
    const known = Object.keys(cases).map((key) => `\`${key}\``).join(', ') || 'none';
    throw new PatchbayError(ErrorCode.TASK_FAILED, `no case matches the value \`${value}\` (cases: ${known}) and there is no \`defaults\``);
  },
  main: (planner, run, task) => {
    const branch = String(run.flowable?.branch ?? 'defaults');
    const tasks = branch === 'defaults' ? task.defaults : ((task.cases ?? {}) as Record<string, unknown>)[branch.slice('case:'.length)];
    return runSequence(planner, run, branch, taskList(tasks), run.value);
  },
};
