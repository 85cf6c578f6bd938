import { z } from 'zod';
import { ISO_DURATION, type PropKit } from '../tasks/kit.js';
import { TypeRegistry } from './type-registry.js';

/**
 * Trigger types, in the same shape as task definitions: Kestra's names, a title and the
 * trigger's own properties. Only Schedule runs today; Webhook and Flow are declared so flows
 * using them load and get precise errors, and their run support comes later.
 */
export interface TriggerDefinition<P extends z.ZodRawShape = z.ZodRawShape> {
  /** Kestra's full type name first, then its documented aliases. */
  types: readonly [string, ...string[]];
  title: string;
  /** The trigger's own properties; id, type, description and disabled are the flow schema's. */
  properties(kit: PropKit): P;
}

export function defineTrigger<P extends z.ZodRawShape>(definition: TriggerDefinition<P>): TriggerDefinition<P> {
  return definition;
}

export const EXECUTION_STATES = [
  'CREATED', 'SUBMITTED', 'RUNNING', 'PAUSED', 'RESTARTED', 'KILLING', 'SUCCESS', 'WARNING', 'FAILED',
  'KILLED', 'CANCELLED', 'QUEUED', 'RETRYING', 'RETRIED', 'SKIPPED', 'BREAKPOINT', 'RESUBMITTED',
] as const;

/** Kestra's AbstractTrigger properties that change what a trigger does. */
function triggerBehaviour() {
  return {
    // Condition types are many and mostly unimplemented; the trigger's run step checks them.
    conditions: z
      .array(z.looseObject({ type: z.string() }))
      .optional()
      .describe('Conditions that must all hold for the trigger to start an execution'),
    stopAfter: z
      .array(z.enum(EXECUTION_STATES))
      .optional()
      .describe('Disable the trigger once one of its executions ends in one of these states'),
  };
}

export const ScheduleTrigger = defineTrigger({
  types: ['io.kestra.plugin.core.trigger.Schedule', 'io.kestra.core.models.triggers.types.Schedule'],
  title: 'Start the flow on a cron schedule',
  // Kestra does not render these (except inputs), so templates are refused here.
  properties: (k) => ({
    cron: z.string().describe('Cron expression (5 fields, 6 with withSeconds) or @hourly, @daily…'),
    withSeconds: z.boolean().default(false).describe('The cron expression has a leading seconds field'),
    timezone: z.string().optional().describe("Time zone of the cron expression, e.g. Europe/Paris; the server's by default"),
    inputs: k.map(k.json()).optional().describe('Inputs of the scheduled executions'),
    recoverMissedSchedules: z
      .enum(['ALL', 'LAST', 'NONE'])
      .optional()
      .describe('Which missed schedules to run after downtime: ALL (default), LAST or NONE'),
    lateMaximumDelay: z
      .string()
      .regex(ISO_DURATION, { message: 'expected an ISO-8601 duration such as PT5M' })
      .optional()
      .describe('Skip a scheduled execution that could not start within this ISO-8601 duration'),
    backfill: z.looseObject({}).optional().describe('Deprecated: start backfills from the CLI instead'),
    ...triggerBehaviour(),
  }),
});

export const WebhookTrigger = defineTrigger({
  types: ['io.kestra.plugin.core.trigger.Webhook', 'io.kestra.core.models.triggers.types.Webhook'],
  title: 'Start the flow from an HTTP call to its webhook URL',
  properties: (k) => ({
    key: k.string().describe('Secret part of the webhook URL; treat it as a password'),
    inputs: k.map(k.json()).optional().describe('Inputs of the started executions'),
    fetchType: z.enum(['NONE', 'FETCH', 'STORE']).optional().describe('What to do with the request body'),
    wait: z.boolean().default(false).describe('Answer only once the execution has ended'),
    returnOutputs: z.boolean().default(false).describe('Answer with the flow outputs (needs wait)'),
    responseContentType: z.enum(['application/json', 'text/plain']).optional(),
    responseCode: k.int({ min: 100, max: 599 }).optional().describe('Status code of the answer (needs returnOutputs)'),
    ...triggerBehaviour(),
  }),
});

export const FlowTrigger = defineTrigger({
  types: ['io.kestra.plugin.core.trigger.Flow', 'io.kestra.core.models.triggers.types.Flow'],
  title: 'Start the flow when executions of other flows end',
  properties: (k) => ({
    inputs: k.map(k.json()).optional().describe('Inputs of the started execution; {{ trigger.outputs }} is available'),
    states: z
      .array(z.enum(EXECUTION_STATES))
      .optional()
      .describe('Upstream execution states that count; terminal states and PAUSED by default'),
    preconditions: z
      .looseObject({ id: z.string().optional() })
      .optional()
      .describe('Upstream flows (and filters) whose executions must all match within a time window'),
    dependsOn: z
      .array(z.looseObject({ namespace: z.string().optional(), flowId: z.string().optional() }))
      .optional()
      .describe('Upstream flow executions this flow depends on'),
    window: z.looseObject({}).optional().describe('Time window within which dependsOn must be met'),
    mode: z.enum(['ALL', 'ANY', 'AT_LEAST']).optional().describe('How many dependsOn entries must be met'),
    minSatisfied: z.number().int().positive().optional().describe('For mode AT_LEAST: how many must be met'),
    ...triggerBehaviour(),
  }),
});

const DEFINITIONS: readonly TriggerDefinition[] = [ScheduleTrigger, WebhookTrigger, FlowTrigger];

const registry = new TypeRegistry<TriggerDefinition>('trigger', DEFINITIONS);

export const lookupTrigger = (type: string): TriggerDefinition | undefined => registry.lookup(type);
export const allTriggerDefinitions = (): readonly TriggerDefinition[] => registry.all();
export const triggerTypeNames = (): string[] => registry.names();
export const suggestTriggerTypes = (unknown: string, n = 3): string[] => registry.suggest(unknown, n);
