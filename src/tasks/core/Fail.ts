import { isTruthy } from '../../engine/truthy.js';
import { taskFailed } from '../../errors.js';
import type { PropKit } from '../kit.js';
import type { RunProps } from '../props.js';
import { defineTask } from '../types.js';

const properties = (k: PropKit) => ({
  condition: k
    .string()
    .optional()
    .describe("Fail only when this renders truthy; 0, -0 and '' are false. Without it the task always fails"),
  errorMessage: k.string().default('Task failure').describe('The error message of the failure'),
});

/**
 * Fails the task run, always or only when `condition` renders truthy. The failure is the
 * flow's own decision, so a retry would only repeat it: it is never retryable.
 */
export const Fail = defineTask({
  types: ['io.kestra.plugin.core.execution.Fail', 'io.kestra.core.tasks.executions.Fail'],
  title: 'Fail the execution, optionally on a condition',
  kind: 'runnable',
  properties,
  async run(_context, raw) {
    const props = raw as RunProps<typeof properties>;
    if (props.condition !== undefined && !isTruthy(props.condition)) return {};
    throw taskFailed(props.errorMessage, { retryable: false });
  },
});
