import type { Readable, Writable } from 'node:stream';
import { formatWithOptions } from 'node:util';
import { createChatRegistry } from '../../chat/families.js';
import { type Config, loadConfig } from '../../config.js';
import { ErrorCode, PatchbayError } from '../../errors.js';
import { formatDiagnostic } from '../../flow/loader.js';
import { loadPolicy } from '../../policy/load.js';
import type { Policy } from '../../policy/policy.js';
import { PatchbayService } from '../../service/service.js';
import { runShell } from '../../shell/index.js';
import { createSlackApp, describeChatSurface } from '../../slack/app.js';
import type { SlackLog } from '../../slack/listeners/index.js';
import { SlackNotifier, createNotifierClient } from '../../slack/notifier/index.js';
import { createSlackChatPoster } from '../../slack/notifier/report-poster.js';
import { type CliCommand, type CliIo, ExitCode } from '../io.js';

/**
 * `npm start`: the engine's worker loop and a chat surface in one process. Slack when a bot
 * token is configured (HTTP or Socket Mode, with the notifier keeping status and approval
 * messages current), else the local shell chat on the terminal — so `npm install && npm
 * start` works on a fresh machine with no settings (embedded PGlite, flows from ./flows).
 * SIGINT / SIGTERM stop the surface, then the worker, then the database, in that order.
 */
export interface ServeIo extends CliIo {
  /** The shell chat's input (default process.stdin); tests pass a stream. */
  stdin?: Readable;
  /** Where SIGINT / SIGTERM come from (default process); tests pass an EventEmitter. */
  signals?: NodeJS.EventEmitter;
}

const LEVELS = ['trace', 'debug', 'info', 'warn', 'error'] as const;

/** Log lines on stderr at or above the configured level (stdout is the shell chat's). */
export function consoleLog(level: Config['logLevel'], out: { write(text: string): unknown }): SlackLog {
  const min = LEVELS.indexOf(level);
  const at = (name: (typeof LEVELS)[number]) => (message: string, ...rest: unknown[]) => {
    if (LEVELS.indexOf(name) < min) return;
    out.write(`${new Date().toISOString()} ${name.padEnd(5)} ${formatWithOptions({ depth: 4, breakLength: Infinity }, message, ...rest)}\n`);
  };
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

export function banner(config: Config, database: string, flows: number, problems: number, nutanix = 'not configured'): string {
  return [
    'Patchbay — ChatOps for infrastructure teams',
    `  database  ${database}`,
    `  chat      ${describeChatSurface(config)}`,
    `  nutanix   ${nutanix}`,
    `  flows     ${config.flowsDir} (${flows} loaded${problems ? `, ${problems} with problems: see above` : ''})`,
  ].join('\n');
}

/** The first SIGINT or SIGTERM (`stopped`); `release` removes the listeners either way. */
function watchSignals(signals: NodeJS.EventEmitter): { stopped: Promise<string>; release: () => void } {
  let resolve: (signal: string) => void = () => undefined;
  const stopped = new Promise<string>((r) => {
    resolve = r;
  });
  const onInt = (): void => {
    release();
    resolve('SIGINT');
  };
  const onTerm = (): void => {
    release();
    resolve('SIGTERM');
  };
  const release = (): void => {
    signals.off('SIGINT', onInt);
    signals.off('SIGTERM', onTerm);
  };
  signals.on('SIGINT', onInt);
  signals.on('SIGTERM', onTerm);
  return { stopped, release };
}

/** What went wrong starting the Slack app, said in terms of the settings to fix. */
function startError(error: unknown, token: string, config: Config): unknown {
  const slackError = (error as { data?: { error?: unknown } }).data?.error;
  if (typeof slackError === 'string') {
    return new PatchbayError(ErrorCode.CONFIG_INVALID, `Slack did not accept ${token} (${slackError}); check it, and SLACK_API_URL if set`, { cause: error });
  }
  const code = (error as { code?: unknown }).code;
  if (code === 'EADDRINUSE') return new PatchbayError(ErrorCode.CONFIG_INVALID, `PORT ${config.port} is already in use; set PORT to a free port`, { cause: error });
  if (code === 'EACCES') return new PatchbayError(ErrorCode.CONFIG_INVALID, `PORT ${config.port} needs privileges this process lacks; use a port above 1023`, { cause: error });
  return error;
}

interface Running {
  service: PatchbayService;
  config: Config;
  policy: Policy;
  log: SlackLog;
  workerRunning: () => boolean;
  text: string;
}

async function serveSlack(run: Running, io: ServeIo, signals: NodeJS.EventEmitter): Promise<void> {
  const { service, config, log } = run;
  const slack = config.slack!;
  // One Web API client for the notifier and for what tasks post (reports, notifications).
  const client = createNotifierClient(slack.botToken, slack.apiUrl ? { slackApiUrl: slack.apiUrl } : {});
  const notifier = new SlackNotifier({
    service,
    client,
    onError: (error, context) => log.warn(`slack notifier: ${context}`, error),
  });
  const registry = createChatRegistry({ onError: (error, request) => log.error(`/${request.family} ${request.text}`, error) });
  const app = createSlackApp({ service, config, registry, policy: run.policy, log, notifier, directory: notifier.directory, workerRunning: run.workerRunning });
  // Tasks that post (reports, notifications) go through the bot's own Slack connection.
  service.integrations.chat = createSlackChatPoster(client);
  const signal = watchSignals(signals);
  try {
    await app.init().catch((error: unknown) => {
      throw startError(error, 'SLACK_BOT_TOKEN', config); // auth.test: a wrong bot token fails here
    });
    await app.start().catch(async (error: unknown) => {
      await app.stop().catch(() => undefined); // Socket Mode would otherwise keep retrying
      throw startError(error, slack.mode === 'socket' ? 'SLACK_APP_TOKEN' : 'SLACK_BOT_TOKEN', config);
    });
    try {
      await notifier.start();
      io.stdout.write(`${run.text}\n\nReady. Ctrl-C stops.\n`);
      log.info(`serve: stopping on ${await signal.stopped}`);
    } finally {
      await app.stop().catch((error: unknown) => log.warn('serve: stopping the Slack app', error));
      await notifier.stop();
    }
  } finally {
    signal.release();
  }
}

async function serveShell(run: Running, io: ServeIo, signals: NodeJS.EventEmitter): Promise<void> {
  const input = io.stdin ?? process.stdin;
  const output = 'on' in io.stdout ? (io.stdout as Writable) : process.stdout;
  // A signal ends the input, so the shell leaves its loop and returns as at end of file.
  const signal = watchSignals(signals);
  void signal.stopped.then(() => input.destroy());
  try {
    await runShell({ service: run.service, input, output, banner: run.text, policy: run.policy, onChatPoster: (poster) => (run.service.integrations.chat = poster) });
  } finally {
    signal.release();
  }
}

export const serveCommand: CliCommand = {
  name: 'serve',
  summary: 'run the bot: engine + Slack (with a token) or the local shell chat',
  usage: 'patchbay serve   (settings from the environment: SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET | SLACK_APP_TOKEN, PORT, DATABASE_URL…)',
  async run(args, cliIo) {
    const io = cliIo as ServeIo;
    if (args.length) {
      io.stderr.write(`patchbay serve: takes no arguments (got ${args.join(' ')}); settings come from the environment\n`);
      return ExitCode.USAGE;
    }
    const config = loadConfig(io.env, io.cwd);
    const log = consoleLog(config.logLevel, io.stderr);
    const policy = await loadPolicy(config.policyFile);
    const signals = io.signals ?? process;
    const service = await PatchbayService.open({ config, nutanix: 'resolve', integrations: config.slack?.apiUrl ? { slackApiUrl: config.slack.apiUrl } : {} });
    let workerRunning = false;
    try {
      const diagnostics = await service.syncFlows();
      for (const diagnostic of diagnostics) io.stderr.write(`${formatDiagnostic(diagnostic)}\n`);
      const flows = (await service.flowList()).length;
      await service.startWorker({ onError: (error) => log.warn('worker', error) });
      workerRunning = true;
      await service.startScheduler({ log });
      const text = banner(config, service.database.description, flows, new Set(diagnostics.map((d) => d.file)).size, service.nutanix?.description);
      const run: Running = { service, config, policy, log, workerRunning: () => workerRunning, text };
      if (config.slack) await serveSlack(run, io, signals);
      else await serveShell(run, io, signals);
    } finally {
      workerRunning = false;
      await service.close();
    }
    return ExitCode.OK;
  },
};
