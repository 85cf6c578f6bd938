import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import { notice } from '../../../chat/replies.js';
import { approvalContext } from '../../approval-context.js';
import { REJECT_ACTION_ID } from '../../blocks/approval-message.js';
import { buildRejectModal } from '../../blocks/decision-modals.js';
import { decisionForm, lateMessage } from '../decision.js';
import { type ListenerDeps, claim, clickSource, guarded, privateReply } from '../kit.js';

/**
 * Reject (value: the APPROVAL id) opens the reason form; the rejection itself is decided on
 * submit (views/flow-reject.ts). A request already decided is reported instead of a form.
 */
export function registerApprovalReject(app: App, deps: ListenerDeps): void {
  app.action<BlockAction<ButtonAction>>(REJECT_ACTION_ID, async ({ ack, body, action, client, respond }) => {
    await ack();
    const click = clickSource(body, action, respond);
    const reply = privateReply(client, click);
    await guarded(deps, 'reject', reply, async () => {
      if (!(await claim(deps, 'reject', body))) return;
      const ctx = await approvalContext(deps.service, click.value);
      if (!ctx) return reply(notice(':grey_question: This approval request no longer exists.'));
      if (ctx.state !== 'PENDING') return reply(lateMessage(ctx));
      const view = buildRejectModal({
        executionId: ctx.executionId,
        approvalId: ctx.approvalId,
        taskId: ctx.taskId,
        flow: `${ctx.namespace}.${ctx.flowId}`,
        description: ctx.description,
        reasonRequired: decisionForm(ctx).commentOnReject,
      });
      await client.views.open({ trigger_id: click.triggerId, view });
    });
  });
}
