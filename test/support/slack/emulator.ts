/**
 * A wire-level Slack emulator for end-to-end tests: one real HTTP server on 127.0.0.1 serving the
 * Web API (/api/<method>), response_urls (/response/<id>), file uploads (/upload/<id>) and Socket
 * Mode (/socket/<n>). The real Bolt app and WebClient talk to it through `slackApiUrl`, so the
 * tests exercise encoding, auth, retries and acks exactly as they happen against Slack.
 */
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type ApiCall, type MethodHandler, type TokenType, handleApiRequest, sendJson } from './api.js';
import { type Args, Recorder, SLACK_TEST_DEFAULTS, type SlackTestDefaults } from './defaults.js';
import { type ChatUpdateLimit, Faults, type RateLimitOptions } from './faults.js';
import { FileStore, type StoredFile } from './files.js';
import { MessageStore, type StoredEphemeral, type StoredMessage } from './messages.js';
import { type RecordedResponse, type ResponseUrlOptions, ResponseUrls } from './responses.js';
import { type EnvelopeRecord, SocketHub } from './socket.js';
import { Directory, type UserFixture, type UserGroupFixture } from './users.js';
import { type StoredView, ViewStore } from './views.js';

export interface SlackEmulatorOptions {
  /** Bot tokens accepted (default ['xoxb-test']). */
  botTokens?: string[];
  /** App-level tokens accepted for apps.connections.open (default ['xapp-test']). */
  appTokens?: string[];
  /** Overrides of team, app and bot identities answered by auth.test. */
  identity?: Partial<SlackTestDefaults>;
  /** How long an issued trigger_id stays usable (default 3000 ms, as Slack). */
  triggerTtlMs?: number;
  /** Automatic 429s for chat.update per channel; off by default. */
  chatUpdateLimit?: ChatUpdateLimit;
  /** When true, only fixture users are valid in conversations.open / postEphemeral / DMs. */
  strictUsers?: boolean;
  users?: UserFixture[];
  userGroups?: UserGroupFixture[];
}

export interface SlackEmulator {
  /** http://127.0.0.1:PORT/api/ — give it to WebClient / Bolt as `slackApiUrl`. */
  readonly apiUrl: string;
  /** http://127.0.0.1:PORT */
  readonly baseUrl: string;
  readonly ids: SlackTestDefaults;
  readonly botToken: string;
  readonly appToken: string;
  /** Every Web API call, including refused and rate-limited ones, in arrival order. */
  readonly calls: readonly ApiCall[];
  callsTo(method: string): ApiCall[];
  /** First call (already made or future) matching a method name or predicate. */
  waitFor(match: string | ((call: ApiCall) => boolean), timeoutMs?: number): Promise<ApiCall>;

  messages(channel?: string): StoredMessage[];
  message(channel: string, ts: string): StoredMessage | undefined;
  /** Parent message and its replies, oldest first. */
  thread(channel: string, ts: string): StoredMessage[];
  ephemerals(channel?: string, user?: string): StoredEphemeral[];
  views(): StoredView[];
  homeViews(userId: string): StoredView | undefined;
  files(): StoredFile[];

  triggerId(user?: string): string;
  responseUrl(channel: string, user: string, options?: ResponseUrlOptions): string;
  responses(): RecordedResponse[];
  waitForResponse(match: (r: RecordedResponse) => boolean, timeoutMs?: number): Promise<RecordedResponse>;

  addUser(user: UserFixture): void;
  addUserGroup(group: UserGroupFixture): void;

  rateLimit(method: string, options?: RateLimitOptions): void;
  /** The next `times` calls of `method` answer `{ok:false, error}`. */
  failNext(method: string, error: string, times?: number): void;
  setChatUpdateLimit(limit: ChatUpdateLimit | undefined): void;

  readonly socket: {
    send: SocketHub['send'];
    connected(): boolean;
    waitForConnection(timeoutMs?: number, after?: number): Promise<void>;
    /** Completed connections so far; pass to waitForConnection to await a reconnect. */
    connectionCount(): number;
    disconnect(reason?: string): void;
    terminate(): void;
    envelopes(): EnvelopeRecord[];
  };
  close(): Promise<void>;
}

export async function startSlackEmulator(options: SlackEmulatorOptions = {}): Promise<SlackEmulator> {
  const ids: SlackTestDefaults = { ...SLACK_TEST_DEFAULTS, ...options.identity };
  const botTokens = options.botTokens ?? [ids.botToken];
  const appTokens = options.appTokens ?? [ids.appToken];
  const tokens = new Map<string, TokenType>([...botTokens.map((t) => [t, 'bot'] as const), ...appTokens.map((t) => [t, 'app'] as const)]);
  let baseUrl = '';
  const base = (): string => baseUrl;

  const directory = new Directory(ids, options.strictUsers ?? false);
  for (const user of options.users ?? []) directory.addUser(user);
  for (const group of options.userGroups ?? []) directory.addUserGroup(group);
  const store = new MessageStore(ids, directory);
  const views = new ViewStore(ids, options.triggerTtlMs ?? 3000);
  const files = new FileStore(base, store, directory);
  const responses = new ResponseUrls(base, store);
  const socket = new SocketHub(ids, () => base().replace(/^http/, 'ws'));
  const faults = new Faults(options.chatUpdateLimit);
  const calls = new Recorder<ApiCall>();
  const handlers = new Map<string, MethodHandler>(Object.entries({
    ...directory.methods(),
    ...store.methods(),
    ...views.methods(),
    ...files.methods(),
    'apps.connections.open': (): Args => ({ url: socket.issueUrl() }),
  }));

  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://emulator').pathname;
    const [, area, id = ''] = path.split('/');
    const work = area === 'api' && id ? handleApiRequest(req, res, id, { tokens, handlers, faults, calls })
      : area === 'response' ? responses.handle(req, res, id)
        : area === 'upload' ? files.handleUpload(req, res, id)
          : Promise.resolve(sendJson(res, 404, { ok: false, error: 'not_found' }));
    // A bug in a handler must surface as a 500 the client sees, not hang the request.
    work.catch((error: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { ok: false, error: 'emulator_error', detail: String(error) });
    });
  });
  server.on('upgrade', (req, sock, head) => {
    const match = /^\/socket\/(\d+)$/.exec(req.url ?? '');
    if (match) socket.handleUpgrade(req, sock, head, match[1]!);
    else sock.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    apiUrl: `${baseUrl}/api/`,
    baseUrl,
    ids,
    botToken: botTokens[0] ?? ids.botToken,
    appToken: appTokens[0] ?? ids.appToken,
    calls: calls.items,
    callsTo: (method) => calls.items.filter((c) => c.method === method),
    waitFor: (match, timeoutMs = 3000) => {
      const predicate = typeof match === 'string' ? (c: ApiCall) => c.method === match : match;
      return calls.waitFor(predicate, timeoutMs, typeof match === 'string' ? `a ${match} call` : 'a matching call');
    },
    messages: (channel) => store.all.filter((m) => !m.deleted && (channel === undefined || m.channel === channel)),
    message: (channel, ts) => store.find(channel, ts),
    thread: (channel, ts) => store.all.filter((m) => !m.deleted && m.channel === channel && (m.ts === ts || m.thread_ts === ts)),
    ephemerals: (channel, user) => store.ephemeralList.filter((e) => (channel === undefined || e.channel === channel) && (user === undefined || e.user === user)),
    views: () => views.all.filter((v) => v.type === 'modal'),
    homeViews: (userId) => views.home.get(userId),
    files: () => [...files.all.values()],
    triggerId: (user) => views.issueTrigger(user),
    responseUrl: (channel, user, opts) => responses.issue(channel, user, opts),
    responses: () => [...responses.log.items],
    waitForResponse: (match, timeoutMs = 3000) => responses.log.waitFor(match, timeoutMs, 'a response_url POST'),
    addUser: (user) => directory.addUser(user),
    addUserGroup: (group) => directory.addUserGroup(group),
    rateLimit: (method, opts) => faults.rateLimit(method, opts),
    failNext: (method, error, times) => faults.failNext(method, error, times),
    setChatUpdateLimit: (limit) => {
      faults.chatUpdateLimit = limit;
    },
    socket: {
      send: (type, payload, opts) => socket.send(type, payload, opts),
      connected: () => socket.connected(),
      waitForConnection: (timeoutMs, after) => socket.waitForConnection(timeoutMs, after),
      connectionCount: () => socket.connections,
      disconnect: (reason) => socket.disconnect(reason),
      terminate: () => socket.terminate(),
      envelopes: () => [...socket.envelopes],
    },
    close: async () => {
      await socket.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
