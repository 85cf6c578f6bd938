import type { ViewResponseAction } from '@slack/bolt';
import { errorReply, isUserFacing } from '../../../chat/replies.js';
import type { Message } from '../../blocks/slack-types.js';
import { type ListenerDeps, claim } from '../kit.js';
import { messageModal } from '../reply.js';

/**
 * A view_submission is the one request whose ack carries the answer: `errors` under the
 * fields, `update` to show an outcome in place, or nothing to close the modal. So the work
 * runs BEFORE the ack here (Slack allows 3 s; starts and decisions take milliseconds), and
 * the ack happens exactly once whatever the work did, a failure included.
 */
export type SubmissionAnswer = ViewResponseAction | undefined;

export const showInModal = (message: Message, title = 'Patchbay'): ViewResponseAction => ({ response_action: 'update', view: messageModal(title, message) });

export async function handleSubmission(
  deps: ListenerDeps,
  what: string,
  ack: (answer?: ViewResponseAction) => Promise<void>,
  body: unknown,
  work: () => Promise<SubmissionAnswer>,
): Promise<void> {
  let answer: SubmissionAnswer;
  try {
    // A copy of a submission already handled closes quietly: the first one answered the person.
    answer = (await claim(deps, what, body)) ? await work() : undefined;
  } catch (error) {
    if (!isUserFacing(error)) deps.log.error(`slack ${what} failed`, error);
    answer = showInModal(errorReply(error).message);
  }
  await ack(answer);
}
