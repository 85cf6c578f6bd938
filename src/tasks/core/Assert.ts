import { isTruthy } from '../../engine/truthy.js';
import { taskFailed } from '../../errors.js';
import type { PropKit } from '../kit.js';
import type { RunProps } from '../props.js';
import { defineTask } from '../types.js';

const properties = (k: PropKit) => ({
  conditions: k
    .list(k.string())
    // In load mode the whole list may be a template string; only a literal list can be empty.
    .refine((list) => !Array.isArray(list) || list.length > 0, { message: '`conditions` needs at least one condition' })
    .describe("Expressions coerced to booleans: 0, -0 and '' are false, everything else true"),
  errorMessage: k.string().optional().describe('Extra context appended to the assertion error'),
});

/**
 * Renders each condition and fails the task run if any of them is falsy. The engine renders
 * the conditions before `run`, so a failure names each one by its position and rendered value.
 */
export const Assert = defineTask({
  types: ['io.kestra.plugin.core.execution.Assert'],
  title: 'Fail unless every condition holds',
  kind: 'runnable',
  properties,
  async run(context, raw) {
    const props = raw as RunProps<typeof properties>;
    const failed = props.conditions
      .map((value, index) => ({ value, position: index + 1 }))
      .filter(({ value }) => !isTruthy(value));
    if (failed.length === 0) return {};
    const total = props.conditions.length;
    for (const { value, position } of failed) {
      context.log.error(`Assertion ${position} of ${total} failed: it rendered ${JSON.stringify(value)}`);
    }
    const list = failed.map(({ value, position }) => `#${position} rendered ${JSON.stringify(value)}`).join(', ');
    const extra = props.errorMessage === undefined ? '' : `\n${props.errorMessage}`;
    throw taskFailed(`${failed.length} assertion${failed.length > 1 ? 's' : ''} failed (${list})${extra}`, { retryable: false });
  },
});
