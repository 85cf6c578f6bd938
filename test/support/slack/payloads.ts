/**
 * Payload builders in the shapes Slack really sends (bolt-js types SlashCommand, BlockAction,
 * ViewSubmitAction, ViewClosedAction, EnvelopedEvent). The same objects go over HTTP (requests.ts)
 * and over Socket Mode (`socketPayloads`), so one listener test can run through either receiver.
 */
import { randomBytes } from 'node:crypto';
import { type Args, type Block, SLACK_TEST_DEFAULTS } from './defaults.js';
import type { EnvelopeType } from './socket.js';

const ids = SLACK_TEST_DEFAULTS;
/** Unreachable on purpose: a listener that responds without a test-issued URL fails fast, locally. */
const NO_RESPONSE_URL = 'http://127.0.0.1:9/response/not-issued';

export type UserRef = string | { id: string; name?: string };

export interface SlashCommandArgs {
  command: string;
  text?: string;
  user_id: string;
  user_name?: string;
  channel_id: string;
  channel_name?: string;
  /** Use emulator.triggerId(); the default is a trigger the emulator never issued. */
  trigger_id?: string;
  /** Use emulator.responseUrl(channel, user). */
  response_url?: string;
  [field: string]: string | undefined;
}

export interface ActionInput {
  action_id: string;
  block_id?: string;
  type?: string;
  value?: string;
  text?: string;
  style?: 'primary' | 'danger';
  [field: string]: unknown;
}

/** A message as it appears in a payload; an emulator StoredMessage fits. */
export interface MessageRef {
  ts: string;
  text?: string;
  blocks?: Block[];
  thread_ts?: string;
  user?: string;
  bot_id?: string;
}

/** A view as it appears in a payload; an emulator StoredView fits. */
export interface ViewRef {
  id?: string;
  hash?: string;
  callback_id?: string;
  private_metadata?: string;
  external_id?: string;
  title?: unknown;
  submit?: unknown;
  close?: unknown;
  blocks?: Block[];
  root_view_id?: string;
  previous_view_id?: string | null;
  state?: { values: StateValues };
}

export type StateValues = Record<string, Record<string, Args>>;

export interface BlockActionArgs {
  user: UserRef;
  actions: ActionInput[];
  /** Message actions: the channel and the message holding the buttons. */
  channel?: string;
  message_ts?: string;
  message?: MessageRef;
  is_ephemeral?: boolean;
  /** Modal actions: the view holding the element (no channel, no response_url then). */
  view?: ViewRef;
  state?: StateValues;
  trigger_id?: string;
  response_url?: string;
}

export interface ViewSubmissionArgs {
  user: UserRef;
  view: ViewRef;
  trigger_id?: string;
  response_urls?: Args[];
}

/** Values as Slack puts them in view.state.values[block_id][action_id]. */
export const stateValue = {
  text: (value: string): Args => ({ type: 'plain_text_input', value }),
  select: (value: string, text = value): Args => ({ type: 'static_select', selected_option: option(value, text) }),
  checkboxes: (values: string[]): Args => ({ type: 'checkboxes', selected_options: values.map((v) => option(v, v)) }),
};

function option(value: string, text: string): Args {
  return { text: { type: 'plain_text', text, emoji: true }, value };
}

function user(ref: UserRef): { id: string; username: string; name: string; team_id: string } {
  const id = typeof ref === 'string' ? ref : ref.id;
  const name = (typeof ref === 'string' ? undefined : ref.name) ?? id.toLowerCase();
  return { id, username: name, name, team_id: ids.teamId };
}

const team = (): Args => ({ id: ids.teamId, domain: ids.teamDomain });
const unissuedTrigger = (): string => `0.${ids.teamId.slice(1)}.unissued${randomBytes(4).toString('hex')}`;
const nowTs = (): string => (Date.now() / 1000).toFixed(6);

/** Form fields of a slash command; every value is a string, as on the wire. */
export function slashCommandPayload(args: SlashCommandArgs): Record<string, string> {
  const fields: Record<string, string> = {
    token: ids.verificationToken,
    team_id: ids.teamId,
    team_domain: ids.teamDomain,
    channel_id: args.channel_id,
    channel_name: args.channel_name ?? (args.channel_id.startsWith('D') ? 'directmessage' : 'ops'),
    user_id: args.user_id,
    user_name: args.user_name ?? args.user_id.toLowerCase(),
    command: args.command,
    text: args.text ?? '',
    api_app_id: ids.appId,
    is_enterprise_install: 'false',
    response_url: args.response_url ?? NO_RESPONSE_URL,
    trigger_id: args.trigger_id ?? unissuedTrigger(),
  };
  for (const [key, value] of Object.entries(args)) if (value !== undefined) fields[key] = value;
  return fields;
}

export function blockActionPayload(args: BlockActionArgs): Args {
  const actionTs = nowTs();
  const actions = args.actions.map(({ text, ...a }) => ({
    type: 'button',
    block_id: 'actions',
    text: { type: 'plain_text', text: text ?? a.action_id, emoji: true },
    action_ts: actionTs,
    ...a,
  }));
  const common = { type: 'block_actions', user: user(args.user), api_app_id: ids.appId, token: ids.verificationToken, trigger_id: args.trigger_id ?? unissuedTrigger(), team: team(), enterprise: null, is_enterprise_install: false };
  if (args.view) {
    const view = viewPayload(args.view, args.state);
    return { ...common, container: { type: 'view', view_id: view.id }, view, state: { values: args.state ?? {} }, actions };
  }
  const channel = args.channel ?? '';
  const ts = args.message_ts ?? args.message?.ts ?? '';
  const m = args.message;
  const message = { type: 'message', ts, text: m?.text ?? '', user: m?.user ?? ids.botUserId, bot_id: m?.bot_id ?? ids.botId, app_id: ids.appId, team: ids.teamId, ...(m?.blocks ? { blocks: m.blocks } : {}), ...(m?.thread_ts ? { thread_ts: m.thread_ts } : {}) };
  return {
    ...common,
    container: { type: 'message', message_ts: ts, channel_id: channel, is_ephemeral: args.is_ephemeral ?? false },
    channel: { id: channel, name: channel.startsWith('D') ? 'directmessage' : 'ops' },
    ...(args.is_ephemeral ? {} : { message }),
    state: { values: args.state ?? {} },
    response_url: args.response_url ?? NO_RESPONSE_URL,
    actions,
  };
}

function viewPayload(view: ViewRef, values?: StateValues): Args {
  const id = view.id ?? 'V0000000000';
  return {
    id, team_id: ids.teamId, type: 'modal', blocks: view.blocks ?? [], private_metadata: view.private_metadata ?? '',
    callback_id: view.callback_id ?? '', state: { values: values ?? view.state?.values ?? {} }, hash: view.hash ?? '1.0',
    title: view.title ?? { type: 'plain_text', text: 'Modal', emoji: true }, clear_on_close: false, notify_on_close: false,
    close: view.close ?? null, submit: view.submit ?? null, previous_view_id: view.previous_view_id ?? null,
    root_view_id: view.root_view_id ?? id, app_id: ids.appId, external_id: view.external_id ?? '',
    app_installed_team_id: ids.teamId, bot_id: ids.botId,
  };
}

export function viewSubmissionPayload(args: ViewSubmissionArgs): Args {
  return {
    type: 'view_submission', team: team(), user: user(args.user), api_app_id: ids.appId, token: ids.verificationToken,
    trigger_id: args.trigger_id ?? unissuedTrigger(), view: viewPayload(args.view), response_urls: args.response_urls ?? [],
    is_enterprise_install: false, enterprise: null,
  };
}

export function viewClosedPayload(args: Omit<ViewSubmissionArgs, 'trigger_id' | 'response_urls'> & { is_cleared?: boolean }): Args {
  return {
    type: 'view_closed', team: team(), user: user(args.user), api_app_id: ids.appId, token: ids.verificationToken,
    view: viewPayload(args.view), is_cleared: args.is_cleared ?? false, is_enterprise_install: false, enterprise: null,
  };
}

/** The Events API `event_callback` wrapper around one event (e.g. app_home_opened). */
export function eventPayload(event: { type: string; [field: string]: unknown }): Args {
  const user = typeof event.user === 'string' ? event.user : undefined;
  const defaults = event.type === 'app_home_opened' && user ? { channel: `D${user.replace(/^[UW]/, '')}`, tab: 'home' } : {};
  return {
    token: ids.verificationToken, team_id: ids.teamId, api_app_id: ids.appId, type: 'event_callback',
    event: { ...defaults, event_ts: nowTs(), ...event },
    event_id: `Ev${randomBytes(5).toString('hex').toUpperCase()}`, event_time: Math.floor(Date.now() / 1000),
    authorizations: [{ enterprise_id: null, team_id: ids.teamId, user_id: ids.botUserId, is_bot: true, is_enterprise_install: false }],
    is_ext_shared_channel: false, event_context: `4-${randomBytes(8).toString('hex')}`,
  };
}

/** The same payloads, paired with their Socket Mode envelope type: `emulator.socket.send(p.type, p.payload)`. */
export const socketPayloads = {
  slashCommand: (args: SlashCommandArgs) => envelope('slash_commands', slashCommandPayload(args)),
  blockAction: (args: BlockActionArgs) => envelope('interactive', blockActionPayload(args)),
  viewSubmission: (args: ViewSubmissionArgs) => envelope('interactive', viewSubmissionPayload(args)),
  viewClosed: (args: Parameters<typeof viewClosedPayload>[0]) => envelope('interactive', viewClosedPayload(args)),
  event: (event: Parameters<typeof eventPayload>[0]) => envelope('events_api', eventPayload(event)),
};

function envelope(type: EnvelopeType, payload: Args): { type: EnvelopeType; payload: Args } {
  return { type, payload };
}
