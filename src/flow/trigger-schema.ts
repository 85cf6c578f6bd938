import { z } from 'zod';
import { type PropKit, createPropKit } from '../tasks/kit.js';
import { taskSchema } from './task-schema.js';
import { type TriggerDefinition, lookupTrigger, suggestTriggerTypes } from './triggers.js';
import { typedNodeSchema } from './typed-node.js';

/** Kestra's AbstractTrigger properties shared by every trigger type. */
export function commonTriggerShape(k: PropKit) {
  return {
    id: z.string().regex(/^[a-zA-Z0-9][a-zA-Z0-9_-]*$/, { message: 'trigger ids start with a letter or digit and contain only letters, digits, _ and -' }),
    type: z.string(),
    description: z.string().optional(),
    disabled: z.boolean().optional(),
    logLevel: k.enum(['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR']).optional(),
    minLogLevel: k.enum(['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR']).optional(),
    logToFile: z.boolean().optional(),
    workerGroup: z.strictObject({ key: z.string(), fallback: z.string().optional() }).optional(),
    failOnTriggerError: z.boolean().optional(),
    allowConcurrent: z.boolean().optional(),
  };
}

const cache = new Map<TriggerDefinition, z.ZodObject>();

export function schemaForTrigger(definition: TriggerDefinition): z.ZodObject {
  let schema = cache.get(definition);
  if (!schema) {
    const kit = createPropKit('load', () => taskSchema);
    schema = z.strictObject({ ...commonTriggerShape(kit), ...definition.properties(kit) });
    cache.set(definition, schema);
  }
  return schema;
}

export const triggerSchema = typedNodeSchema<TriggerDefinition>({
  kind: 'trigger',
  lookup: lookupTrigger,
  suggest: (type) => suggestTriggerTypes(type),
  schemaFor: schemaForTrigger,
});
