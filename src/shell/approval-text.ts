/**
 * An approval request as terminal text: the very message Slack would post (what is asked,
 * who started the run, inputs, who may decide), without the buttons, and then the commands
 * to type instead of pressing them.
 */
import { taskById } from '../engine/task-index.js';
import type { InputDeclaration } from '../flow/input-schema.js';
import type { PendingApproval } from '../service/chat-queries.js';
import type { PatchbayService } from '../service/service.js';
import { approvalRequest } from '../slack/blocks/approval-message.js';
import { blocksToText } from '../slack/blocks/blocks-to-text.js';
import { onResumeDeclarations } from '../slack/blocks/decision-modals.js';

/** The onResume inputs of the waiting task; none when the flow revision cannot be read. */
export async function resumeDeclarations(service: PatchbayService, approval: PendingApproval): Promise<InputDeclaration[]> {
  try {
    const stored = await service.flows.get(approval.namespace, approval.flowId, approval.revision > 0 ? approval.revision : undefined);
    return onResumeDeclarations(taskById(stored.flow).get(approval.taskId));
  } catch {
    return [];
  }
}

const declLine = (decl: InputDeclaration): string =>
  `${decl.id}=<${decl.type}>${decl.required === false || decl.defaults !== undefined ? ' (optional)' : ''}`;

export async function approvalText(service: PatchbayService, approval: PendingApproval): Promise<string> {
  const view = await service.execution(approval.executionId);
  const declarations = await resumeDeclarations(service, approval);
  const message = approvalRequest({
    executionId: approval.executionId,
    approvalId: approval.approvalId,
    taskId: approval.taskId,
    flow: `${approval.namespace}.${approval.flowId}`,
    description: approval.description,
    requestedBy: approval.requestedBy,
    inputs: view.inputs,
    expiresAt: approval.expiresAt,
    assignees: approval.users,
    groups: approval.groups,
    approvals: approval.approvals,
    needed: approval.needed,
    hasResumeInputs: declarations.length > 0,
  });
  const id = approval.executionId;
  const lines = [blocksToText(message.blocks.filter((block) => block.type !== 'actions'))];
  if (!approval.allowSelfApproval) lines.push(`(${approval.requestedBy} started it and may not approve it)`);
  if (declarations.length) {
    lines.push(`  resume ${id} ${declarations.map(declLine).join(' ')}`);
  } else {
    lines.push(`  approve ${id} [reason]`);
  }
  lines.push(`  reject ${id} <reason>`);
  return lines.join('\n');
}
