import { z } from 'zod';
import { inputDeclarationsSchema } from './input-schema.js';
import { taskSchema } from './task-schema.js';
import { triggerSchema } from './trigger-schema.js';

/**
 * The Kestra flow document. Unknown top-level keys are refused (a typo such as `finaly:`
 * must not silently drop a cleanup branch); Kestra features Patchbay does not implement are
 * refused by name so the message says so instead of "unknown property".
 */
export const FLOW_ID = /^[a-zA-Z0-9][a-zA-Z0-9._-]*$/;
export const NAMESPACE = /^[a-z0-9][a-z0-9._-]*$/;

const labelValue = z.union([z.string(), z.number(), z.boolean()]);
export const labelsSchema = z.union([
  z.record(z.string(), labelValue),
  z.array(z.strictObject({ key: z.string(), value: labelValue })),
]);

export const OUTPUT_TYPES = [
  'STRING', 'INT', 'FLOAT', 'BOOL', 'BOOLEAN', 'SELECT', 'MULTISELECT', 'ARRAY', 'JSON', 'YAML',
  'DATETIME', 'DATE', 'TIME', 'DURATION', 'URI', 'EMAIL', 'SECRET',
] as const;

export const flowOutputSchema = z.strictObject({
  id: z.string().regex(/^[a-zA-Z0-9][.a-zA-Z0-9_-]*$/),
  type: z.enum(OUTPUT_TYPES),
  value: z.unknown().describe('Usually a {{ expression }} over the task outputs'),
  displayName: z.string().optional(),
  description: z.string().optional(),
  required: z.boolean().optional(),
});

export const pluginDefaultSchema = z.strictObject({
  type: z.string().describe('A full task type name, or a prefix such as io.kestra.plugin.ee.nutanix'),
  values: z.record(z.string(), z.unknown()),
  forced: z.boolean().optional().describe('Forced values win over the task’s own'),
});

export const concurrencySchema = z.strictObject({
  limit: z.number().int().min(1),
  behavior: z.enum(['QUEUE', 'CANCEL', 'FAIL']).optional(),
});

const unsupported = (feature: string) =>
  z.unknown().superRefine((_value, ctx) => {
    ctx.addIssue({ code: 'custom', message: `\`${feature}\` is a Kestra feature Patchbay does not support; remove it` });
  });

export const flowShape = {
  id: z.string().max(100).regex(FLOW_ID, { message: 'flow ids start with a letter or digit and contain only letters, digits, ., _ and -' }),
  namespace: z.string().regex(NAMESPACE, { message: 'namespaces are lowercase letters, digits, ., _ and -' }),
  revision: z.number().int().optional().describe('Ignored: Patchbay numbers revisions itself'),
  description: z.string().optional(),
  labels: labelsSchema.optional(),
  inputs: inputDeclarationsSchema.optional(),
  variables: z.record(z.string(), z.unknown()).optional().describe('Read in expressions as vars.<name>'),
  tasks: z.array(taskSchema).min(1, { message: 'a flow needs at least one task' }),
  errors: z.array(taskSchema).optional().describe('Run when a task fails'),
  finally: z.array(taskSchema).optional().describe('Run at the end whatever the outcome'),
  outputs: z.array(flowOutputSchema).optional(),
  pluginDefaults: z.array(pluginDefaultSchema).optional(),
  taskDefaults: z.array(pluginDefaultSchema).optional().describe('Older name of pluginDefaults'),
  triggers: z.array(triggerSchema).optional(),
  concurrency: concurrencySchema.optional(),
  disabled: z.boolean().optional(),
  deleted: z.boolean().optional(),
  afterExecution: unsupported('afterExecution').optional(),
  sla: unsupported('sla').optional(),
  checks: unsupported('checks').optional(),
  retry: unsupported('retry (flow-level; set retry on the tasks)').optional(),
  workerGroup: unsupported('workerGroup').optional(),
};

export const flowSchema = z.strictObject(flowShape);
export type FlowDocument = z.output<typeof flowSchema>;
