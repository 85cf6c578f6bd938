import type { App, ViewSubmitAction } from '@slack/bolt';
import { chatOrigin, refuseRun } from '../../../chat/flow-commands/shared.js';
import { notice } from '../../../chat/replies.js';
import type { ChatRequest } from '../../../chat/types.js';
import { RUN_CALLBACK_ID, inputErrorsOf, modalErrors, parseRunMetadata, readRunModal } from '../../blocks/run-modal.js';
import { code } from '../../blocks/text.js';
import { type ListenerDeps, actorOf, chatContext, guarded, privateReply } from '../kit.js';
import { refresh } from '../reply.js';
import { handleSubmission, showInModal } from './submission.js';

/**
 * The run modal's submit: the flow named in the modal's metadata is started as the person
 * who submitted, with the values as typed (the engine coerces and validates them). Invalid
 * values come back under their fields and nothing is started; a policy refusal is shown in
 * the modal (and audited). On success the modal closes, the person gets a private line and
 * the notifier posts the status message in the channel the command came from.
 */
export function registerFlowRun(app: App, deps: ListenerDeps): void {
  app.view<ViewSubmitAction>(RUN_CALLBACK_ID, async ({ ack, body, view, client }) => {
    const user = body.user.id;
    let started: { id: string; name: string; channel: string } | undefined;
    await handleSubmission(deps, 'run form', ack, body, async () => {
      const meta = parseRunMetadata(view.private_metadata);
      const stored = await deps.service.flows.resolve(`${meta.namespace}.${meta.flowId}`);
      const name = `${stored.flow.namespace}.${stored.flow.id}`;
      const request: ChatRequest = { family: 'flow', text: `run ${name}`, actor: actorOf(deps, user), channel: meta.channelId, surface: 'slack' };
      const refusal = await refuseRun(request, chatContext(deps), stored.flow);
      if (refusal) return showInModal(refusal.message);
      if (stored.flow.disabled) return showInModal(notice(`:no_entry_sign: ${code(name)} is disabled.`));
      const values = readRunModal(stored.flow, view.state.values);
      try {
        const id = await deps.service.start(name, values, { as: user, trigger: { ...chatOrigin(request) } });
        started = { id, name, channel: meta.channelId };
        return undefined;
      } catch (error) {
        const errors = inputErrorsOf(error);
        if (!errors) throw error;
        return { response_action: 'errors', errors: modalErrors(errors, view.blocks) };
      }
    });
    if (!started) return;
    // After the ack: the modal is closed, so these can take their time.
    const run = started;
    const reply = privateReply(client, { user, channel: run.channel });
    await guarded(deps, 'run form', reply, async () => {
      await reply(notice(`:rocket: Started ${code(run.name)}, execution ${code(run.id)}.`));
      await refresh(deps, 'execution', run.id);
    });
  });
}
