import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import { notice } from '../../../chat/replies.js';
import { approvalContext } from '../../approval-context.js';
import { APPROVE_ACTION_ID } from '../../blocks/approval-message.js';
import { buildResumeModal } from '../../blocks/decision-modals.js';
import { publishHome } from '../events/app-home-opened.js';
import { attemptDecision, decisionForm, decisionKind, lateMessage } from '../decision.js';
import { type ListenerDeps, claim, clickSource, guarded, privateReply } from '../kit.js';

/**
 * Approve (the button's value is the APPROVAL id). A step that asks for values (`onResume`,
 * or an Approval whose comment is required) opens the form first — right away, while the
 * trigger_id is fresh — and decides on submit (views/flow-resume.ts); any other is decided
 * now. Refusals and late clicks are told privately; decide() has audited them.
 */
export function registerApprovalApprove(app: App, deps: ListenerDeps): void {
  app.action<BlockAction<ButtonAction>>(APPROVE_ACTION_ID, async ({ ack, body, action, client, respond }) => {
    await ack();
    const click = clickSource(body, action, respond);
    const reply = privateReply(client, click);
    await guarded(deps, 'approve', reply, async () => {
      if (!(await claim(deps, 'approve', body))) return;
      const ctx = await approvalContext(deps.service, click.value);
      if (!ctx) return reply(notice(':grey_question: This approval request no longer exists.'));
      if (ctx.state !== 'PENDING') return reply(lateMessage(ctx));
      const form = decisionForm(ctx);
      if (form.inputs.length > 0 || form.commentOnApprove) {
        const view = buildResumeModal({
          executionId: ctx.executionId,
          approvalId: ctx.approvalId,
          taskId: ctx.taskId,
          flow: `${ctx.namespace}.${ctx.flowId}`,
          description: ctx.description,
          inputs: form.inputs,
          decision: decisionKind(ctx),
          ...(form.commentOnApprove ? { withReason: 'required' as const } : {}),
        });
        await client.views.open({ trigger_id: click.triggerId, view });
        return;
      }
      const result = await attemptDecision(deps, { ctx, actor: click.user, approve: true, channel: click.channel ?? '' });
      await reply(result.message);
      if (click.fromHome) await publishHome(deps, client, click.user);
    });
  });
}
