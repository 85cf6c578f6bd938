/**
 * Channel messages and ephemerals, with the chat.* methods that write them. Every edit keeps the
 * previous version in `history`, so a test can assert the sequence of status updates a flow made.
 */
import { type Args, type Block, type MethodResult, type SlackTestDefaults, fail, isBlockArray, str } from './defaults.js';
import type { MethodHandler } from './api.js';
import type { Directory } from './users.js';

export interface MessageVersion {
  text?: string;
  blocks?: Block[];
  /** Date.now() when this version was replaced. */
  replacedAt: number;
}

export interface StoredMessage {
  channel: string;
  ts: string;
  thread_ts?: string;
  text?: string;
  blocks?: Block[];
  attachments?: unknown[];
  metadata?: unknown;
  files?: Args[];
  user: string;
  bot_id?: string;
  /** Where it came from: the Web API, a response_url, or a file upload. */
  via: 'api' | 'response_url' | 'files';
  history: MessageVersion[];
  reactions: { name: string; users: string[] }[];
  deleted: boolean;
}

export interface StoredEphemeral {
  channel: string;
  user: string;
  ts: string;
  thread_ts?: string;
  text?: string;
  blocks?: Block[];
  via: 'api' | 'response_url';
}

/** Slack caps message blocks at 50 (modals take 100). */
const MAX_MESSAGE_BLOCKS = 50;

export class MessageStore {
  readonly all: StoredMessage[] = [];
  readonly ephemeralList: StoredEphemeral[] = [];
  private lastMicros = 0;

  constructor(private readonly ids: SlackTestDefaults, private readonly directory: Directory) {}

  /** Monotonic "<sec>.<6 digits>": ordering and uniqueness are what the bot relies on. */
  nextTs(): string {
    this.lastMicros = Math.max(this.lastMicros + 1, Date.now() * 1000);
    const sec = Math.floor(this.lastMicros / 1_000_000);
    return `${sec}.${String(this.lastMicros % 1_000_000).padStart(6, '0')}`;
  }

  find(channel: string, ts: string): StoredMessage | undefined {
    return this.all.find((m) => m.channel === channel && m.ts === ts);
  }

  add(message: Omit<StoredMessage, 'ts' | 'history' | 'reactions' | 'deleted' | 'user'>): StoredMessage {
    const stored: StoredMessage = { ...message, ts: this.nextTs(), user: this.ids.botUserId, history: [], reactions: [], deleted: false };
    if (!stored.bot_id) stored.bot_id = this.ids.botId;
    this.all.push(stored);
    return stored;
  }

  replace(message: StoredMessage, content: { text?: string; blocks?: Block[] }): void {
    message.history.push({ ...pick(message), replacedAt: Date.now() });
    // Slack keeps the old blocks when chat.update omits them; `blocks: []` clears them.
    if (content.text !== undefined) message.text = content.text;
    if (content.blocks !== undefined) message.blocks = content.blocks;
  }

  addEphemeral(ephemeral: Omit<StoredEphemeral, 'ts'>): StoredEphemeral {
    const stored = { ...ephemeral, ts: this.nextTs() };
    this.ephemeralList.push(stored);
    return stored;
  }

  /** The wire shape of a message, as chat.postMessage returns it and as payloads embed it. */
  wire(m: StoredMessage): Args {
    const last = m.history.at(-1);
    return {
      type: 'message',
      ts: m.ts,
      user: m.user,
      bot_id: m.bot_id,
      app_id: this.ids.appId,
      team: this.ids.teamId,
      text: m.text ?? '',
      ...(m.blocks ? { blocks: m.blocks } : {}),
      ...(m.thread_ts ? { thread_ts: m.thread_ts } : {}),
      ...(m.files ? { files: m.files } : {}),
      ...(last ? { edited: { user: m.user, ts: `${Math.floor(last.replacedAt / 1000)}.000000` } } : {}),
    };
  }

  methods(): Record<string, MethodHandler> {
    return {
      'chat.postMessage': (args) => this.post(args),
      'chat.update': (args) => this.update(args),
      'chat.postEphemeral': (args) => this.postEphemeral(args),
      'chat.delete': (args) => this.withMessage(args, 'ts', (m) => {
        m.deleted = true;
        return { channel: m.channel, ts: m.ts };
      }),
      'chat.getPermalink': (args) => this.withMessage(args, 'message_ts', (m) => ({
        channel: m.channel,
        permalink: `https://${this.ids.teamDomain}.slack.com/archives/${m.channel}/p${m.ts.replace('.', '')}`,
      })),
      'reactions.add': (args) => this.withMessage(args, 'timestamp', (m) => {
        const name = str(args, 'name');
        if (!name) return fail('invalid_name');
        const reaction = m.reactions.find((r) => r.name === name);
        if (reaction?.users.includes(this.ids.botUserId)) return fail('already_reacted');
        if (reaction) reaction.users.push(this.ids.botUserId);
        else m.reactions.push({ name, users: [this.ids.botUserId] });
        return {};
      }),
    };
  }

  private post(args: Args): MethodResult {
    const channel = this.directory.resolveChannel(str(args, 'channel'));
    if (!channel) return fail('channel_not_found');
    const content = readContent(args);
    if ('error' in content) return content;
    const threadTs = str(args, 'thread_ts');
    const extra = { attachments: arrayOrUndefined(args.attachments), metadata: args.metadata };
    const m = this.add({ channel, ...content, ...(threadTs ? { thread_ts: threadTs } : {}), ...defined(extra), via: 'api' });
    return { channel, ts: m.ts, message: this.wire(m) };
  }

  private update(args: Args): MethodResult {
    return this.withMessage(args, 'ts', (m) => {
      const content = readContent(args);
      if ('error' in content) return content;
      this.replace(m, content);
      return { channel: m.channel, ts: m.ts, text: m.text ?? '', message: this.wire(m) };
    });
  }

  private postEphemeral(args: Args): MethodResult {
    const channel = this.directory.resolveChannel(str(args, 'channel'));
    if (!channel) return fail('channel_not_found');
    const user = str(args, 'user');
    if (!user || !this.directory.knowsUser(user)) return fail('user_not_found');
    const content = readContent(args);
    if ('error' in content) return content;
    const threadTs = str(args, 'thread_ts');
    const e = this.addEphemeral({ channel, user, ...content, ...(threadTs ? { thread_ts: threadTs } : {}), via: 'api' });
    return { message_ts: e.ts };
  }

  private withMessage(args: Args, tsField: string, act: (m: StoredMessage) => MethodResult): MethodResult {
    const channel = this.directory.resolveChannel(str(args, 'channel'));
    if (!channel) return fail('channel_not_found');
    const m = this.find(channel, str(args, tsField) ?? '');
    return m && !m.deleted ? act(m) : fail('message_not_found');
  }
}

/** text/blocks as Slack validates them: blocks must be Block Kit, and one of the two is required. */
export function readContent(args: Args): { text?: string; blocks?: Block[] } | { error: string } {
  const text = typeof args.text === 'string' ? args.text : undefined;
  let blocks: Block[] | undefined;
  if (args.blocks !== undefined && args.blocks !== '') {
    if (!isBlockArray(args.blocks, MAX_MESSAGE_BLOCKS)) return { error: 'invalid_blocks' };
    blocks = args.blocks;
  }
  if (!text && !blocks?.length && !arrayOrUndefined(args.attachments)?.length) return { error: 'no_text' };
  return { ...(text !== undefined ? { text } : {}), ...(blocks ? { blocks } : {}) };
}

function pick(m: StoredMessage): { text?: string; blocks?: Block[] } {
  return { ...(m.text !== undefined ? { text: m.text } : {}), ...(m.blocks ? { blocks: m.blocks } : {}) };
}

function arrayOrUndefined(value: unknown): unknown[] | undefined {
  return Array.isArray(value) ? value : undefined;
}

function defined<T extends object>(record: T): Partial<T> {
  return Object.fromEntries(Object.entries(record).filter(([, v]) => v !== undefined)) as Partial<T>;
}
