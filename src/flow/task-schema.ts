import { z } from 'zod';
import { type Mode, type PropKit, type TaskNode, createPropKit } from '../tasks/kit.js';
import { lookupTask, suggestTaskTypes } from '../tasks/registry.js';
import type { TaskDefinition } from '../tasks/types.js';
import { typedNodeSchema } from './typed-node.js';

/**
 * Task schemas: the properties every task has (Kestra's AbstractTask) merged with the task
 * type's own, in load mode (flow files) or run mode (rendered values, see tasks/kit.ts).
 */
export const TASK_ID = /^[a-zA-Z0-9][a-zA-Z0-9_-]*$/;

export function retrySchema(k: PropKit) {
  return z
    .strictObject({
      type: k.enum(['constant', 'exponential', 'random']).describe('Backoff: constant, exponential or random'),
      interval: k.duration().optional().describe('Delay between attempts (constant, exponential)'),
      minInterval: k.duration().optional().describe('Smallest random delay (random)'),
      maxInterval: k.duration().optional().describe('Largest delay (exponential, random)'),
      delayFactor: k.number({ min: 1 }).optional().describe('Growth of the delay (exponential; default 2)'),
      maxAttempts: k.int({ min: 1 }).optional().describe('Attempts in all, the first included'),
      maxAttempt: k.int({ min: 1 }).optional().describe('Older name of maxAttempts'),
      maxDuration: k.duration().optional().describe('Give up once this much time has passed since the first attempt'),
      warningOnRetry: k.bool().optional().describe('End in WARNING when an attempt failed before one succeeded'),
      behavior: k.enum(['RETRY_FAILED_TASK', 'CREATE_NEW_EXECUTION']).optional(),
    })
    .superRefine((retry, ctx) => {
      if (retry.maxAttempts !== undefined && retry.maxAttempt !== undefined) {
        ctx.addIssue({ code: 'custom', path: ['maxAttempt'], message: 'give either maxAttempts or maxAttempt (its older name), not both' });
      }
      const needs: Record<string, string[]> = { constant: ['interval'], exponential: ['interval', 'maxInterval'], random: ['minInterval', 'maxInterval'] };
      for (const field of needs[retry.type] ?? []) {
        if ((retry as Record<string, unknown>)[field] === undefined) {
          ctx.addIssue({ code: 'custom', path: [field], message: `a ${retry.type} retry needs \`${field}\`` });
        }
      }
    });
}

export function assetsSchema(k: PropKit) {
  const assetOutput = z.strictObject({
    id: k.string(),
    type: k.string().optional(),
    namespace: k.string().optional(),
    displayName: k.string().optional(),
    description: k.string().optional(),
    metadata: z.record(z.string(), z.unknown()).optional(),
  });
  return z.strictObject({
    inputs: z.array(z.strictObject({ id: k.string() })).optional(),
    outputs: z.array(assetOutput).optional(),
    enableAuto: k.bool().optional(),
  });
}

/** Kestra's AbstractTask properties, shared by every task type. */
export function commonTaskShape(k: PropKit) {
  return {
    id: z.string().regex(TASK_ID, { message: 'task ids start with a letter or digit and contain only letters, digits, _ and -' }),
    type: z.string(),
    description: z.string().optional(),
    disabled: z.boolean().optional().describe('Skip this task entirely'),
    runIf: z.union([z.string(), z.boolean()]).optional().describe('Run only when this renders truthy; otherwise SKIPPED'),
    allowFailure: k.bool().optional().describe('A failure ends the execution in WARNING instead of FAILED'),
    allowWarning: k.bool().optional(),
    timeout: k.duration().optional().describe('Kill the task run after this ISO-8601 duration'),
    retry: retrySchema(k).optional(),
    assets: assetsSchema(k).optional(),
    logLevel: k.enum(['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR']).optional(),
    logToFile: k.bool().optional(),
    workerGroup: z.strictObject({ key: z.string(), fallback: z.string().optional() }).optional(),
    taskCache: z.strictObject({ enabled: z.boolean(), ttl: k.duration().optional() }).optional(),
    version: z.string().optional(),
  };
}

const schemaCache = new Map<string, z.ZodType>();

/** The full schema of one task type in one mode: common properties plus its own. */
export function schemaForTask(definition: TaskDefinition, mode: Mode): z.ZodObject {
  const key = `${mode}:${definition.types[0]}`;
  let schema = schemaCache.get(key) as z.ZodObject | undefined;
  if (!schema) {
    const kit = createPropKit(mode, () => taskSchema);
    schema = z.strictObject({ ...commonTaskShape(kit), ...definition.properties(kit) });
    schemaCache.set(key, schema);
  }
  return schema;
}

/** One task at load time, nested tasks included (flowable properties refer back here). */
export const taskSchema: z.ZodType<TaskNode> = typedNodeSchema<TaskDefinition>({
  kind: 'task',
  lookup: lookupTask,
  suggest: (type) => suggestTaskTypes(type),
  schemaFor: (definition) => schemaForTask(definition, 'load'),
});
