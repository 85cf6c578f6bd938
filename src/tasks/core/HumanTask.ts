import { z } from 'zod';
import type { PropKit } from '../kit.js';
import { defineTask } from '../types.js';
import { pauseBranches, pauseProperties } from './Pause.js';

/**
 * Who may decide. Kestra matches Kestra usernames and RBAC groups; Patchbay matches Slack
 * user ids, e-mail addresses or handles, and user-group handles (resolved by the Slack layer).
 */
export function assignmentSchema(k: PropKit) {
  return z
    .strictObject({
      users: k.list(k.string()).optional().describe('People who may resume: Slack user ids, e-mails or handles'),
      groups: k.list(k.string()).optional().describe('Groups whose members may resume'),
    })
    .describe('Who may resume the execution, by user or by group');
}

/** Patchbay's own approval rules; Kestra has no equivalent, so flows using them are Patchbay-only. */
export function approvalExtensions(k: PropKit) {
  return {
    minApprovals: k
      .int({ min: 1 })
      .default(1)
      .describe('Patchbay: how many distinct assignees must approve before the execution goes on'),
    allowSelfApproval: k
      .bool()
      .default(false)
      .describe('Patchbay: let the person who started the execution approve it'),
    remindEvery: k.duration().optional().describe('Patchbay: remind the assignees at this interval while waiting'),
  };
}

/** A Pause that only the assigned users or groups may resume (Kestra Enterprise). */
export const HumanTask = defineTask({
  types: ['io.kestra.plugin.ee.flow.HumanTask'],
  title: 'Pause until an assigned person resumes (approval)',
  kind: 'flowable',
  properties: (k) => ({
    // Kestra's HumanTask fails, rather than resumes, when pauseDuration elapses unanswered.
    ...pauseProperties(k, 'FAIL'),
    assignment: assignmentSchema(k).optional(),
    ...approvalExtensions(k),
  }),
  branches: pauseBranches,
});
