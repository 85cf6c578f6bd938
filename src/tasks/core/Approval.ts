import { z } from 'zod';
import { defineTask, taskList } from '../types.js';
import { approvalExtensions, assignmentSchema } from './HumanTask.js';
import { inputDeclaration } from './Pause.js';
import { handlerBranches, handlerProperties } from './Sequential.js';

/** What the execution does after a decision's branch ends (or on expiry, at `timeout`). */
export const APPROVAL_BEHAVIORS = ['CONTINUE', 'WARN', 'FAIL', 'SUCCEED', 'CANCEL', 'KILL'] as const;

/**
 * Runs `onWait`, pauses until a reviewer approves or denies, then runs `onApprove` or
 * `onDeny`. The request expires after the common `timeout` property. Property names follow
 * Kestra's own Approval task; assignment and the approval rules are Patchbay's additions.
 */
export const Approval = defineTask({
  types: ['io.kestra.plugin.core.flow.Approval'],
  title: 'Pause until a reviewer approves or denies, then branch on the decision',
  kind: 'flowable',
  properties: (k) => ({
    inputs: z.array(inputDeclaration).optional().describe('Fields of the review dialog, declared like flow inputs'),
    decisions: z
      .strictObject({
        approve: k.string().default('Approve').describe('Label of the approve button'),
        deny: k.string().default('Deny').describe('Label of the deny button'),
      })
      .optional()
      .describe('Names of the two decisions'),
    commentRequired: k
      .enum(['NEVER', 'ALWAYS', 'ON_DENY', 'ON_APPROVE'])
      .default('NEVER')
      .describe('When the reviewer has to comment'),
    autoApprove: k.bool().default(false).describe('Approve at once, without pausing; onApprove runs straight away'),
    approveBehavior: k.enum(APPROVAL_BEHAVIORS).default('CONTINUE').describe('What happens after onApprove ends'),
    denyBehavior: k.enum(APPROVAL_BEHAVIORS).default('CANCEL').describe('What happens after onDeny ends'),
    expireBehavior: k
      .enum(APPROVAL_BEHAVIORS)
      .default('CANCEL')
      .describe('What happens when the request expires (after `timeout`) without a decision'),
    onWait: k.tasks().optional().describe('Tasks run before the execution pauses (post the request, open a ticket…)'),
    onApprove: k.tasks().optional().describe('Tasks run after an approval'),
    onDeny: k.tasks().optional().describe('Tasks run after a denial'),
    assignment: assignmentSchema(k).optional(),
    ...approvalExtensions(k),
    ...handlerProperties(k),
  }),
  branches: (task) => [
    { name: 'onWait', path: ['onWait'], tasks: taskList(task.onWait) },
    { name: 'onApprove', path: ['onApprove'], tasks: taskList(task.onApprove) },
    { name: 'onDeny', path: ['onDeny'], tasks: taskList(task.onDeny) },
    ...handlerBranches(task),
  ],
});
