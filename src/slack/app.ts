import { App, type Logger, LogLevel, webApi } from '@slack/bolt';
import type { CommandRegistry } from '../chat/registry.js';
import type { Config, SlackConfig } from '../config.js';
import { ErrorCode, PatchbayError } from '../errors.js';
import type { Policy } from '../policy/policy.js';
import type { PatchbayService } from '../service/service.js';
import { RequestDedupe } from './dedupe.js';
import { healthRoute } from './health.js';
import { WorkGate } from './work-gate.js';
import { type MessageRefresher, type SlackLog, registerListeners } from './listeners/index.js';
import { SlackDirectory } from './notifier/directory.js';

/**
 * The Slack surface: a Bolt app in HTTP mode (signed requests on POST /slack/events, public
 * URL needed) or Socket Mode (a WebSocket Slack holds open; no public URL), chosen by
 * config.slack. Both serve GET /healthz on config.port. Every listener acks before it works,
 * drops duplicate deliveries through the shared `slack_requests` table, and answers through
 * the Web API — pointed at SLACK_API_URL when set (gateways, proxies, the test emulator).
 */
export interface SlackAppOptions {
  service: PatchbayService;
  config: Config;
  registry: CommandRegistry;
  policy: Policy;
  log: SlackLog;
  /** Keeps status and approval messages current; told after starts and decisions. */
  notifier?: MessageRefresher | undefined;
  /** User-group membership; default: a SlackDirectory on a client of its own (the notifier's, ideally). */
  directory?: { isMember(user: string, group: string): Promise<boolean>; userId(idOrEmail: string): Promise<string | undefined> } | undefined;
  /** For /healthz: whether this process's engine worker runs. */
  workerRunning: () => boolean;
}

/**
 * Interactive calls retry briefly: an ephemeral answer or a modal is worth little after a few
 * seconds (and a trigger_id is dead after 3), unlike the notifier's background edits.
 * A 429 is still honoured (Retry-After) within these retries.
 */
export const INTERACTIVE_RETRY_POLICY = { retries: 2, factor: 2, minTimeout: 250, maxTimeout: 2_000 } as const;

export function slackClientOptions(slack: SlackConfig): webApi.WebClientOptions {
  return {
    ...(slack.apiUrl ? { slackApiUrl: slack.apiUrl } : {}),
    retryConfig: { ...INTERACTIVE_RETRY_POLICY },
    timeout: 10_000,
  };
}

/**
 * Post-ack handlers in flight at once: on PGlite they share the event loop's thread with the
 * acks (see work-gate.ts); on PostgreSQL they mostly wait on the network.
 */
const PGLITE_WORK_LIMIT = 4;
const POSTGRES_WORK_LIMIT = 32;

/** "Slack HTTP on :3000" / "Slack Socket Mode" / the shell, for the start-up banner. */
export function describeChatSurface(config: Config): string {
  if (!config.slack) return 'local shell chat (no SLACK_BOT_TOKEN)';
  const api = config.slack.apiUrl ? `, Web API at ${config.slack.apiUrl}` : '';
  return config.slack.mode === 'http'
    ? `Slack HTTP on :${config.port} (POST /slack/events, GET /healthz)${api}`
    : `Slack Socket Mode (GET /healthz on :${config.port})${api}`;
}

const LEVELS: Record<LogLevel, number> = { [LogLevel.DEBUG]: 0, [LogLevel.INFO]: 1, [LogLevel.WARN]: 2, [LogLevel.ERROR]: 3 };

/** Bolt's Logger over ours, at the configured level (Bolt is chatty at debug). */
export function boltLogger(log: SlackLog, level: Config['logLevel']): Logger {
  let current: LogLevel = level === 'trace' || level === 'debug' ? LogLevel.DEBUG : (level as LogLevel);
  const at = (wanted: LogLevel, write: (message: string, ...rest: unknown[]) => void) => (...parts: unknown[]) => {
    if (LEVELS[wanted] < LEVELS[current]) return;
    const [first, ...rest] = parts;
    write(`bolt: ${typeof first === 'string' ? first : String(first)}`, ...rest);
  };
  return {
    debug: at(LogLevel.DEBUG, (m, ...r) => log.debug(m, ...r)),
    info: at(LogLevel.INFO, (m, ...r) => log.info(m, ...r)),
    warn: at(LogLevel.WARN, (m, ...r) => log.warn(m, ...r)),
    error: at(LogLevel.ERROR, (m, ...r) => log.error(m, ...r)),
    setLevel: (next) => {
      current = next;
    },
    getLevel: () => current,
    setName: () => undefined,
  };
}

/**
 * Builds the app with every listener registered. It is created with `deferInitialization`:
 * call `await app.init()` (one auth.test, which fails fast on a bad token) and then
 * `await app.start()` (HTTP: listens on config.port; Socket Mode: connects). `app.stop()`
 * closes the server or the socket.
 */
export function createSlackApp(options: SlackAppOptions): App {
  const { config, service, log } = options;
  const slack = config.slack;
  if (!slack) {
    throw new PatchbayError(ErrorCode.CONFIG_INVALID, 'Slack is not configured: set SLACK_BOT_TOKEN with SLACK_SIGNING_SECRET (HTTP) or SLACK_APP_TOKEN (Socket Mode)');
  }
  const clientOptions = slackClientOptions(slack);
  const common = {
    token: slack.botToken,
    clientOptions,
    logger: boltLogger(log, config.logLevel),
    deferInitialization: true,
    port: config.port,
    customRoutes: [healthRoute({ database: service.database, workerRunning: options.workerRunning })],
  };
  const app = slack.mode === 'http'
    ? new App({ ...common, signingSecret: slack.signingSecret ?? '' })
    // The Socket Mode client reads its Web API options (apps.connections.open) from installerOptions.
    : new App({ ...common, socketMode: true, appToken: slack.appToken ?? '', installerOptions: { clientOptions, port: config.port } });

  const directory = options.directory ?? new SlackDirectory(new webApi.WebClient(slack.botToken, clientOptions));
  const gate = new WorkGate(service.database.kind === 'pglite' ? PGLITE_WORK_LIMIT : POSTGRES_WORK_LIMIT);
  registerListeners(app, {
    service,
    registry: options.registry,
    policy: options.policy,
    notifier: options.notifier,
    isMember: (user, group) => directory.isMember(user, group),
    isUser: async (user, entry) => (await directory.userId(entry)) === user,
    dedupe: new RequestDedupe(service.database),
    gate,
    log,
  });
  // Work acked before the app stopped still finishes (or fails) before the caller closes the
  // database; Bolt has no hook for that, so stop() is extended on this instance.
  const stopReceiver = app.stop.bind(app);
  app.stop = async (...args: Parameters<App['stop']>) => {
    const stopped = await stopReceiver(...args);
    await gate.idle();
    return stopped;
  };
  app.error(async (error) => {
    log.error('slack: unhandled error in a listener', error);
  });
  return app;
}
