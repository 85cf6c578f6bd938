/**
 * Modals, App Home and trigger_ids. Slack's trigger_id is single-use and dies about 3 s after the
 * interaction, which is exactly the failure a slow ack-then-open path hits in production; the
 * emulator enforces both so the bot's "open the modal before doing work" ordering is testable.
 */
import { randomBytes } from 'node:crypto';
import { type Args, type Block, type MethodResult, type SlackTestDefaults, fail, isBlockArray, isRecord, str } from './defaults.js';
import type { MethodHandler } from './api.js';

export interface StoredView {
  id: string;
  hash: string;
  type: 'modal' | 'home';
  callback_id?: string;
  external_id?: string;
  private_metadata?: string;
  title?: unknown;
  submit?: unknown;
  close?: unknown;
  blocks: Block[];
  /** Modals: the first view of the stack; home views: themselves. */
  root_view_id: string;
  previous_view_id: string | null;
  /** Who sees it: the trigger's user for modals, user_id for home views. */
  user?: string;
  /** Every earlier version, oldest first (views.update keeps the id, changes the hash). */
  history: { hash: string; blocks: Block[]; title?: unknown }[];
}

interface Trigger {
  issuedAt: number;
  used: boolean;
  user?: string;
}

/** Slack allows three views on a modal stack. */
const MAX_STACK = 3;

export class ViewStore {
  readonly all: StoredView[] = [];
  readonly home = new Map<string, StoredView>();
  private readonly triggers = new Map<string, Trigger>();
  private seq = 0;

  constructor(private readonly ids: SlackTestDefaults, private readonly triggerTtlMs: number) {}

  /** A trigger_id in Slack's shape; `user` ties views.push to that user's open stack. */
  issueTrigger(user?: string): string {
    const id = `${Math.floor(Date.now() / 1000)}.${this.ids.teamId.slice(1)}.${randomBytes(16).toString('hex')}`;
    this.triggers.set(id, { issuedAt: Date.now(), used: false, ...(user ? { user } : {}) });
    return id;
  }

  /** The wire shape views.* return and that view_submission payloads carry. */
  wire(view: StoredView): Args {
    const { history: _history, user: _user, ...rest } = view;
    return { ...rest, team_id: this.ids.teamId, app_id: this.ids.appId, bot_id: this.ids.botId, state: { values: {} } };
  }

  methods(): Record<string, MethodHandler> {
    return {
      'views.open': (args) => this.openOrPush(args, false),
      'views.push': (args) => this.openOrPush(args, true),
      'views.update': (args) => this.update(args),
      'views.publish': (args) => this.publish(args),
    };
  }

  private exchange(triggerId: string | undefined): Trigger | { error: string } {
    if (!triggerId) return { error: 'invalid_arguments' };
    const trigger = this.triggers.get(triggerId);
    if (!trigger) return { error: 'invalid_trigger_id' };
    if (trigger.used) return { error: 'exchanged_trigger_id' };
    if (Date.now() - trigger.issuedAt > this.triggerTtlMs) return { error: 'expired_trigger_id' };
    trigger.used = true;
    return trigger;
  }

  private openOrPush(args: Args, push: boolean): MethodResult {
    const view = readView(args.view, 'modal');
    if ('error' in view) return fail(view.error, view.extra);
    const trigger = this.exchange(str(args, 'trigger_id'));
    if ('error' in trigger) return fail(trigger.error);
    const id = this.nextId();
    let root = id;
    let previous: string | null = null;
    if (push) {
      // Push onto the newest modal stack of the trigger's user (or the newest stack at all).
      const top = [...this.all].reverse().find((v) => v.type === 'modal' && (!trigger.user || v.user === trigger.user));
      if (!top) return fail('not_found');
      if (this.all.filter((v) => v.root_view_id === top.root_view_id).length >= MAX_STACK) return fail('push_limit_reached');
      root = top.root_view_id;
      previous = top.id;
    }
    const stored: StoredView = { ...view, id, hash: this.nextHash(), root_view_id: root, previous_view_id: previous, history: [], ...(trigger.user ? { user: trigger.user } : {}) };
    this.all.push(stored);
    return { view: this.wire(stored) };
  }

  private update(args: Args): MethodResult {
    const viewId = str(args, 'view_id');
    const externalId = str(args, 'external_id');
    if (!viewId && !externalId) return fail('invalid_arguments');
    const existing = this.all.find((v) => (viewId ? v.id === viewId : v.external_id === externalId));
    if (!existing) return fail('not_found');
    const view = readView(args.view, existing.type);
    if ('error' in view) return fail(view.error, view.extra);
    const hash = str(args, 'hash');
    if (hash && hash !== existing.hash) return fail('hash_conflict');
    existing.history.push({ hash: existing.hash, blocks: existing.blocks, title: existing.title });
    // views.update replaces the whole view: fields the new one omits are gone, the id stays.
    for (const key of ['callback_id', 'external_id', 'private_metadata', 'title', 'submit', 'close'] as const) delete existing[key];
    Object.assign(existing, view, { hash: this.nextHash() });
    return { view: this.wire(existing) };
  }

  private publish(args: Args): MethodResult {
    const user = str(args, 'user_id');
    if (!user) return fail('invalid_arguments');
    const view = readView(args.view, 'home');
    if ('error' in view) return fail(view.error, view.extra);
    const previous = this.home.get(user);
    const hash = str(args, 'hash');
    if (hash && previous && hash !== previous.hash) return fail('hash_conflict');
    const id = previous?.id ?? this.nextId();
    const history = previous ? [...previous.history, { hash: previous.hash, blocks: previous.blocks }] : [];
    const stored: StoredView = { ...view, id, hash: this.nextHash(), root_view_id: id, previous_view_id: null, user, history };
    this.home.set(user, stored);
    if (!previous) this.all.push(stored);
    else this.all.splice(this.all.indexOf(previous), 1, stored);
    return { view: this.wire(stored) };
  }

  private nextId(): string {
    this.seq += 1;
    return `V${String(this.seq).padStart(10, '0')}`;
  }

  private nextHash(): string {
    return `${Math.floor(Date.now() / 1000)}.${randomBytes(4).toString('hex')}`;
  }
}

type ViewContent = Omit<StoredView, 'id' | 'hash' | 'root_view_id' | 'previous_view_id' | 'history' | 'user'>;

/** Slack's view schema check, reduced to what catches real bugs: type, title, Block Kit blocks. */
function readView(value: unknown, expected: 'modal' | 'home'): ViewContent | { error: string; extra?: Args } {
  const invalid = (why: string) => ({ error: 'invalid_arguments', extra: { response_metadata: { messages: [`[ERROR] ${why} [json-pointer:/view]`] } } });
  if (!isRecord(value)) return invalid('view must be a JSON object');
  if (value.type !== expected) return invalid(`view.type must be "${expected}"`);
  if (expected === 'modal' && !isRecord(value.title)) return invalid('modal views need a title');
  if (!isBlockArray(value.blocks, 100)) return { error: 'invalid_blocks' };
  const text = (key: string): string | undefined => (typeof value[key] === 'string' ? (value[key] as string) : undefined);
  const content: ViewContent = { type: expected, blocks: value.blocks };
  for (const key of ['callback_id', 'external_id', 'private_metadata'] as const) {
    const v = text(key);
    if (v !== undefined) content[key] = v;
  }
  for (const key of ['title', 'submit', 'close'] as const) if (value[key] !== undefined) content[key] = value[key];
  return content;
}
