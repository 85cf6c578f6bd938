import type { App, ViewSubmitAction } from '@slack/bolt';
import { notice } from '../../../chat/replies.js';
import { approvalContext } from '../../approval-context.js';
import { RESUME_CALLBACK_ID, parseDecisionMetadata, readResumeModal } from '../../blocks/decision-modals.js';
import { inputErrorsOf, modalErrors } from '../../blocks/run-modal.js';
import { attemptDecision, decisionForm } from '../decision.js';
import type { ListenerDeps } from '../kit.js';
import { handleSubmission, showInModal } from './submission.js';

/**
 * The approve / resume form's submit: the typed `onResume` values (and comment) go with the
 * decision, which the engine checks like flow inputs — bad values come back under their
 * fields and decide nothing. A decision that settles the step closes the modal (the approval
 * message shows who decided); a partial quorum, a refusal or a late click is shown in place.
 */
export function registerFlowResume(app: App, deps: ListenerDeps): void {
  app.view<ViewSubmitAction>(RESUME_CALLBACK_ID, async ({ ack, body, view }) => {
    await handleSubmission(deps, 'resume form', ack, body, async () => {
      const meta = parseDecisionMetadata(view.private_metadata);
      const ctx = meta.approvalId ? await approvalContext(deps.service, meta.approvalId) : undefined;
      if (!ctx || ctx.executionId !== meta.executionId) return showInModal(notice(':grey_question: This approval request no longer exists.'));
      const { inputs, reason } = readResumeModal(decisionForm(ctx).inputs, view.state.values);
      try {
        const result = await attemptDecision(deps, { ctx, actor: body.user.id, approve: true, inputs, reason, channel: '' });
        return result.kind === 'applied' && result.outcome.decided ? undefined : showInModal(result.message);
      } catch (error) {
        const errors = inputErrorsOf(error);
        if (!errors) throw error;
        return { response_action: 'errors', errors: modalErrors(errors, view.blocks) };
      }
    });
  });
}
