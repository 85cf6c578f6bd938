/**
 * Slack end-to-end test kit: a wire-level emulator of the Web API, response_urls and Socket Mode,
 * and a client that signs requests for the bot's HTTP receiver exactly as Slack does.
 *
 *   const slack = await startSlackEmulator({ users: [{ id: 'U1', name: 'alice' }] });
 *   const app = new App({ token: slack.botToken, signingSecret, deferInitialization: true,
 *     clientOptions: { slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 } } });
 *   await app.init();                       // awaits auth.test (the constructor would fire it unawaited)
 *   const server = await app.start(0);      // HTTP mode; Socket Mode: socketMode + appToken: slack.appToken
 *   await slashCommand(url, signingSecret, { command: '/flow', text: 'run x', user_id: 'U1', channel_id: 'C1',
 *     trigger_id: slack.triggerId('U1'), response_url: slack.responseUrl('C1', 'U1') });
 *   await slack.waitFor((c) => c.method === 'chat.postMessage' && c.ok);
 *   // …then app.stop() before slack.close(), so no listener talks to a closed server.
 */
export * from './emulator.js';
export * from './requests.js';
export { SLACK_TEST_DEFAULTS, type Block } from './defaults.js';
export {
  blockActionPayload,
  eventPayload,
  slashCommandPayload,
  viewClosedPayload,
  viewSubmissionPayload,
} from './payloads.js';
export type { ApiCall } from './api.js';
export type { ChatUpdateLimit, RateLimitOptions } from './faults.js';
export type { StoredFile } from './files.js';
export type { StoredEphemeral, StoredMessage } from './messages.js';
export type { RecordedResponse, ResponseUrlOptions } from './responses.js';
export type { EnvelopeRecord, EnvelopeType, SendOptions } from './socket.js';
export type { UserFixture, UserGroupFixture } from './users.js';
export type { StoredView } from './views.js';
