import { z } from 'zod';
import { defineTask, taskList } from '../types.js';
import { handlerBranches, handlerProperties } from './Sequential.js';

/** Runs `then` when `condition` renders truthy, `else` otherwise. */
export const If = defineTask({
  types: ['io.kestra.plugin.core.flow.If', 'io.kestra.core.tasks.flows.If'],
  title: 'Run tasks when a condition holds, others when it does not',
  kind: 'flowable',
  properties: (k) => ({
    // Kestra reads this as a String, and Jackson turns a YAML `true` into "true": accept both.
    condition: z
      .union([k.string(), z.boolean()])
      .describe("Expression coerced to a boolean: 'false', '0', '-0', '' and null are false"),
    then: k.tasks().refine((tasks) => tasks.length > 0, { message: '`then` needs at least one task' }).describe('Tasks to run when the condition is true'),
    else: k.tasks().optional().describe('Tasks to run when the condition is false'),
    ...handlerProperties(k),
  }),
  branches: (task) => [
    { name: 'then', path: ['then'], tasks: taskList(task.then) },
    { name: 'else', path: ['else'], tasks: taskList(task.else) },
    ...handlerBranches(task),
  ],
});
