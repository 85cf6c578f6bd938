import { z } from 'zod';
import { type TaskNode, createPropKit } from '../tasks/kit.js';
import { allTaskDefinitions } from '../tasks/registry.js';
import { flowShape } from './flow-schema.js';
import { commonTaskShape } from './task-schema.js';
import { commonTriggerShape } from './trigger-schema.js';
import { allTriggerDefinitions } from './triggers.js';

/**
 * The flow JSON Schema for editors (yaml-language-server). It is built from the same task
 * and trigger definitions as validation, but as a plain union keyed by `type` constants,
 * which is what editors understand for completion. Validation itself does not use it (see
 * typed-node.ts for why).
 */
function editorSchema(): z.ZodType {
  // Shared instances so the generator emits each common property once, under $defs.
  const kit = createPropKit('load', () => editorTask);
  const commonTask = commonTaskShape(kit);
  const commonTrigger = commonTriggerShape(kit);

  const taskVariants = allTaskDefinitions().map((definition) =>
    z
      .strictObject({ ...commonTask, ...definition.properties(kit), type: z.enum(definition.types as unknown as [string, ...string[]]) })
      .describe(definition.title),
  );
  const editorTask: z.ZodType<TaskNode> = z.union(taskVariants as unknown as [z.ZodType<TaskNode>, ...z.ZodType<TaskNode>[]]);

  const triggerVariants = allTriggerDefinitions().map((definition) =>
    z
      .strictObject({ ...commonTrigger, ...definition.properties(kit), type: z.enum(definition.types as unknown as [string, ...string[]]) })
      .describe(definition.title),
  );
  const editorTrigger = z.union(triggerVariants as unknown as [z.ZodType, ...z.ZodType[]]);

  const tasks = z.array(editorTask);
  return z
    .strictObject({
      ...flowShape,
      tasks: tasks.min(1),
      errors: tasks.optional(),
      finally: tasks.optional(),
      triggers: z.array(editorTrigger).optional(),
    })
    .describe('A Patchbay flow (Kestra dialect)');
}

export function flowJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(editorSchema(), { io: 'input', unrepresentable: 'any', cycles: 'ref', reused: 'ref' });
  return { ...schema, title: 'Patchbay flow'};
}

export function flowJsonSchemaText(): string {
  return `${JSON.stringify(flowJsonSchema(), null, 2)}\n`;
}
