import type { App, ViewSubmitAction } from '@slack/bolt';
import { notice } from '../../../chat/replies.js';
import { approvalContext } from '../../approval-context.js';
import { REJECT_CALLBACK_ID, parseDecisionMetadata, readReason } from '../../blocks/decision-modals.js';
import { attemptDecision } from '../decision.js';
import type { ListenerDeps } from '../kit.js';
import { handleSubmission, showInModal } from './submission.js';

/**
 * The reject form's submit: one reject vote, with its reason, settles the step (the flow's
 * `errors` / onDeny branch decides what follows). Refusals and late clicks show in the modal.
 */
export function registerFlowReject(app: App, deps: ListenerDeps): void {
  app.view<ViewSubmitAction>(REJECT_CALLBACK_ID, async ({ ack, body, view }) => {
    await handleSubmission(deps, 'reject form', ack, body, async () => {
      const meta = parseDecisionMetadata(view.private_metadata);
      const ctx = meta.approvalId ? await approvalContext(deps.service, meta.approvalId) : undefined;
      if (!ctx || ctx.executionId !== meta.executionId) return showInModal(notice(':grey_question: This approval request no longer exists.'));
      const result = await attemptDecision(deps, { ctx, actor: body.user.id, approve: false, reason: readReason(view.state.values), channel: '' });
      return result.kind === 'applied' ? undefined : showInModal(result.message);
    });
  });
}
