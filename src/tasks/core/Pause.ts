import { z } from 'zod';
import type { PropKit } from '../kit.js';
import { type TaskBranch, type TaskNode, defineTask, taskList } from '../types.js';
import { handlerBranches, handlerProperties } from './Sequential.js';

export const PAUSE_BEHAVIORS = ['RESUME', 'WARN', 'FAIL', 'CANCEL'] as const;

/**
 * One field of a resume form, in the shape of a flow input. Only the outline is checked here:
 * the flow's input validation owns the per-type rules (see src/flow/input-schema.ts), so
 * unknown keys pass through rather than being rejected twice with different messages.
 */
export const inputDeclaration = z
  .looseObject({
    id: z.string().optional().describe('Name of the value in the outputs'),
    name: z.string().optional().describe('Older name of id'),
    type: z.string().describe('Input type: STRING, BOOL, INT, SELECT…'),
    description: z.string().optional(),
    displayName: z.string().optional(),
    required: z.boolean().optional(),
    defaults: z.unknown().optional(),
  })
  .refine((input) => input.id !== undefined || input.name !== undefined, { message: 'an input needs an `id`' })
  .describe('A value asked for on resume, declared like a flow input');

/**
 * A single nested task (Kestra's `onPause` is one runnable task, not a list). The kit only
 * builds lists, so the element schema of that list is reused, which keeps nested-task
 * validation identical in both modes.
 */
export function singleTask(k: PropKit): z.ZodType<TaskNode> {
  return (k.tasks() as unknown as z.ZodArray<z.ZodType<TaskNode>>).element;
}

/** The properties Pause shares with HumanTask; the two differ only in their default behavior. */
export function pauseProperties(k: PropKit, defaultBehavior: (typeof PAUSE_BEHAVIORS)[number]) {
  return {
    pauseDuration: k
      .duration()
      .optional()
      .describe('Resume on its own after this ISO-8601 duration; without it, wait to be resumed'),
    behavior: k
      .enum(PAUSE_BEHAVIORS)
      .default(defaultBehavior)
      .describe('What happens when pauseDuration elapses: RESUME, WARN, FAIL or CANCEL'),
    onPause: singleTask(k).optional().describe('A runnable task run when the execution pauses'),
    onResume: z.array(inputDeclaration).optional().describe('Inputs to fill in when resuming, read as outputs.<id>.onResume'),
    ...handlerProperties(k),
  };
}

export function pauseBranches(task: TaskNode): TaskBranch[] {
  // A single task, not a list: its branch holds one task, and its path is the task itself.
  const onPause: TaskNode[] = task.onPause ? [task.onPause as TaskNode] : [];
  return [
    { name: 'onPause', path: ['onPause'], tasks: onPause, single: true },
    ...handlerBranches(task),
  ];
}

/** Stops the execution until it is resumed (by a person, the API, or pauseDuration). */
export const Pause = defineTask({
  types: ['io.kestra.plugin.core.flow.Pause', 'io.kestra.core.tasks.flows.Pause'],
  title: 'Pause the execution until it is resumed',
  kind: 'flowable',
  properties: (k) => ({
    ...pauseProperties(k, 'RESUME'),
    delay: k.duration().optional().describe('Deprecated: use pauseDuration'),
    tasks: k.tasks().optional().describe('Deprecated: tasks run after the resume; put them after the Pause instead'),
  }),
  branches: (task) => [{ name: 'tasks', path: ['tasks'], tasks: taskList(task.tasks) }, ...pauseBranches(task)],
});
