import type { RespondFn } from '@slack/bolt';
import { notice } from '../../chat/replies.js';
import type { ChatReply } from '../../chat/types.js';
import { assertNever } from '../../errors.js';
import { buildRunModal } from '../blocks/run-modal.js';
import type { Message, ModalView } from '../blocks/slack-types.js';
import { LIMITS, code, plain, safeText } from '../blocks/text.js';
import { type ListenerDeps, type PrivateReply, type WebClient, errorMessage } from './kit.js';

/**
 * How a ChatReply looks in Slack. `askInputs` opens the run modal straight away: the
 * trigger_id it needs is single-use and dies about 3 s after the person typed the command,
 * so nothing slow may come between the dispatch and `views.open`.
 */
export interface ReplyTarget {
  client: WebClient;
  user: string;
  /** Where the command was typed; the run modal sends the status message there. */
  channel: string;
  triggerId: string;
  respond: RespondFn | undefined;
  reply: PrivateReply;
}

/** Tells the notifier (when one runs here) to post or refresh; a failure there is not the person's. */
export async function refresh(deps: ListenerDeps, kind: 'execution' | 'approval', id: string): Promise<void> {
  try {
    if (kind === 'execution') await deps.notifier?.refreshExecution(id);
    else await deps.notifier?.refreshApproval(id);
  } catch (error) {
    deps.log.warn(`slack: could not refresh the ${kind} message of ${id}`, error);
  }
}

export async function renderReply(deps: ListenerDeps, reply: ChatReply, target: ReplyTarget): Promise<void> {
  switch (reply.kind) {
    case 'private':
      await target.reply(reply.message);
      return;
    case 'public':
      if (target.respond) {
        await target.respond({ response_type: 'in_channel', replace_original: false, text: reply.message.text, blocks: reply.message.blocks });
      } else {
        await target.client.chat.postMessage({ channel: target.channel, text: reply.message.text, blocks: reply.message.blocks });
      }
      return;
    case 'askInputs':
      await openRunModal(deps, reply, target);
      return;
    case 'started':
      await target.reply(reply.message);
      await refresh(deps, 'execution', reply.executionId);
      return;
    case 'file':
      await uploadFile(deps, reply, target);
      return;
    default:
      assertNever(reply, 'chat reply');
  }
}

async function openRunModal(deps: ListenerDeps, reply: Extract<ChatReply, { kind: 'askInputs' }>, target: ReplyTarget): Promise<void> {
  let view: ModalView;
  try {
    view = buildRunModal(reply.flow, { prefilled: reply.prefilled, options: reply.options, channelId: target.channel });
  } catch (error) {
    await target.reply(errorMessage(error)); // e.g. more inputs than a modal holds: says to use key=value
    return;
  }
  try {
    await target.client.views.open({ trigger_id: target.triggerId, view });
  } catch (error) {
    // expired_trigger_id (Slack was slow to deliver, or we were) is the usual one: say how to go on.
    deps.log.warn(`slack: views.open failed for ${reply.flow.namespace}.${reply.flow.id}`, error);
    const why = safeText(slackErrorCode(error) ?? 'unknown error', 200);
    const name = code(`/flow run ${reply.flow.namespace}.${reply.flow.id} key=value …`, 400);
    await target.reply(notice(`:warning: Slack did not open the form (${why}). Try again, or give the inputs on the command line: ${name}`));
  }
}

/**
 * A file (the `/assets graph` PNG) shared in the channel the command came from, its message as
 * the caption; where the bot may not post (a channel it is not in), in a DM with the person.
 */
async function uploadFile(deps: ListenerDeps, reply: Extract<ChatReply, { kind: 'file' }>, target: ReplyTarget): Promise<void> {
  const upload = (channel: string) => target.client.filesUploadV2({
    channel_id: channel,
    file: Buffer.from(reply.content),
    filename: reply.filename,
    title: reply.title,
    initial_comment: reply.message.text,
  });
  try {
    await upload(target.channel);
  } catch (error) {
    deps.log.info(`slack: could not share ${reply.filename} in ${target.channel} (${slackErrorCode(error) ?? 'error'}); sending it as a DM`);
    const dm = await target.client.conversations.open({ users: target.user });
    if (!dm.channel?.id) throw error;
    await upload(dm.channel.id);
  }
}

/** The platform error name of a failed Web API call (`expired_trigger_id`…), when it is one. */
export function slackErrorCode(error: unknown): string | undefined {
  const data = (error as { data?: { error?: unknown } } | undefined)?.data;
  return typeof data?.error === 'string' ? data.error : undefined;
}

/** A modal that only shows a message: for `response_action: update` and read-only views. */
export function messageModal(title: string, message: Message): ModalView {
  return {
    type: 'modal',
    title: plain(title, LIMITS.modalTitle),
    close: plain('Close', LIMITS.modalButton),
    blocks: message.blocks.slice(0, LIMITS.viewBlocks),
  };
}
