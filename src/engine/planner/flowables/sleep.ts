import { ErrorCode, PatchbayError } from '../../../errors.js';
import type { TaskNode } from '../../../tasks/types.js';
import type { TaskRunRecord } from '../../model.js';
import { addMs, propDuration } from '../props.js';
import { type Creation, errorMessage } from '../types.js';
import type { Planner } from '../working.js';

/**
 * Sleep is a timer, not work: no worker slot is held while it waits. The run starts RUNNING
 * (so no worker claims it) with a SLEEP timer; the engine marks it SUCCESS when it fires.
 */
export function createSleep(planner: Planner, task: TaskNode, draft: TaskRunRecord): Creation {
  try {
    const duration = propDuration(planner, task, 'duration', draft);
    if (!duration) throw new PatchbayError(ErrorCode.TASK_FAILED, '`duration` is required');
    const dueAt = addMs(planner.now, duration.ms);
    return {
      state: 'RUNNING',
      flowable: { duration: duration.text, dueAt },
      effects: (id) => [{ type: 'armTimer', taskRunId: id, kind: 'SLEEP', dueAt }],
    };
  } catch (error) {
    return { state: 'FAILED', error: errorMessage(error) };
  }
}
