/**
 * The Slack notifier: live status messages, approval requests, reminders (see notifier.ts).
 *
 *   const client = createNotifierClient(token, { slackApiUrl });
 *   const notifier = new SlackNotifier({ service, client });
 *   await notifier.start();            // every replica may run one
 *   …                                  // click handlers: await notifier.refreshApproval(id)
 *   await notifier.stop();
 *
 * `statusPermalink(database, executionId, tx)` is what `appLink()` returns for an execution.
 */
export { NOTIFIER_RETRY_POLICY, type NotifierClientOptions, type WebClient, createNotifierClient, describeError, isPermanent, slackErrorName } from './client.js';
export { type DirectoryOptions, SlackDirectory } from './directory.js';
export { PROGRESS_CHANNEL, SlackNotifier, type SlackNotifierOptions } from './notifier.js';
export { CHANNEL_LABEL, statusChannel, statusPermalink, statusThread } from './queries.js';
export { failureMessage } from './status.js';
