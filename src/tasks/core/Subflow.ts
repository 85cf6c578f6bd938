import { z } from 'zod';
import { defineTask } from '../types.js';

/** Starts an execution of another flow and, by default, waits for it to end. */
export const Subflow = defineTask({
  types: ['io.kestra.plugin.core.flow.Subflow', 'io.kestra.core.tasks.flows.Subflow', 'io.kestra.core.tasks.flows.Flow'],
  title: 'Run another flow as a subflow',
  kind: 'flowable',
  properties: (k) => ({
    namespace: k.string().describe('The namespace of the subflow'),
    flowId: k.string().describe('The id of the subflow'),
    revision: k.int({ min: 1 }).optional().describe('The revision to run; the latest one when unset'),
    inputs: k.map(k.json()).optional().describe('Inputs passed to the subflow'),
    labels: z
      .union([
        k.list(z.strictObject({ key: k.string(), value: k.string() })),
        k.map(z.union([z.string(), z.number(), z.boolean()])),
      ])
      .optional()
      .describe('Labels of the subflow execution, as a map or a list of {key, value}'),
    wait: k.bool().default(true).describe('Wait for the subflow execution to end before going on'),
    transmitFailed: k
      .bool()
      .default(true)
      .describe('Fail this task when the subflow execution fails or is killed (only with wait: true)'),
    inheritLabels: k.bool().default(false).describe('Give the subflow execution the labels of this execution'),
    scheduleDate: k.string().optional().describe('Start the subflow at this ISO-8601 date-time instead of now'),
    restartBehavior: k
      .enum(['RETRY_FAILED', 'NEW_EXECUTION'])
      .optional()
      .describe('On restart of this execution: retry the failed subflow execution (default) or start a new one'),
    outputs: k
      .map(k.json())
      .optional()
      .describe('Deprecated since Kestra 0.15: declare outputs on the subflow itself'),
  }),
});
