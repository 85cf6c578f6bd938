import type { RespondFn, webApi } from '@slack/bolt';
import type { CommandRegistry } from '../../chat/registry.js';
import { errorReply, isUserFacing } from '../../chat/replies.js';
import type { ChatActor, ChatContext } from '../../chat/types.js';
import type { Policy } from '../../policy/policy.js';
import type { PatchbayService } from '../../service/service.js';
import type { RequestDedupe } from '../dedupe.js';
import type { WorkGate } from '../work-gate.js';
import type { Message } from '../blocks/slack-types.js';

/** Through @slack/bolt (a declared dependency), like the notifier: web-api is only its dependency. */
export type WebClient = webApi.WebClient;

/**
 * What every listener shares, and the discipline they follow: ack first (Slack wants an
 * answer within 3 s, and a modal's trigger_id dies 3 s after the click), then drop copies
 * (dedupe), then work; failures after the ack reach the person privately, never silently.
 */
export interface SlackLog {
  debug(message: string, ...rest: unknown[]): void;
  info(message: string, ...rest: unknown[]): void;
  warn(message: string, ...rest: unknown[]): void;
  error(message: string, ...rest: unknown[]): void;
}

/** The status / approval message keeper (src/slack/notifier), when one runs in this process. */
export interface MessageRefresher {
  refreshExecution(executionId: string): Promise<unknown> | unknown;
  refreshApproval(approvalId: string): Promise<unknown> | unknown;
}

export interface ListenerDeps {
  service: PatchbayService;
  registry: CommandRegistry;
  policy: Policy;
  notifier: MessageRefresher | undefined;
  /** Slack user-group membership (handles or ids), for approvals and the policy. */
  isMember: (user: string, group: string) => Promise<boolean>;
  /** Whether an `assignment.users` entry (a Slack id or an e-mail) names this user. */
  isUser: (user: string, entry: string) => Promise<boolean>;
  dedupe: RequestDedupe;
  /** Post-ack work runs through it (see work-gate.ts). */
  gate: WorkGate;
  log: SlackLog;
}

export function actorOf(deps: ListenerDeps, user: string): ChatActor {
  return { id: user, isMember: (group) => deps.isMember(user, group) };
}

export function chatContext(deps: ListenerDeps): ChatContext {
  return { service: deps.service, policy: deps.policy };
}

export type PrivateReply = (message: Message) => Promise<void>;

/**
 * Says something to one person only. A response_url works in every conversation (DMs,
 * channels the bot is not in) but only five times in 30 minutes; an ephemeral needs a
 * channel the bot can post in; the last resort is a DM from the bot. Each is tried in turn.
 */
export function privateReply(client: WebClient, target: { user: string; respond?: RespondFn | undefined; channel?: string | undefined }): PrivateReply {
  return async (message) => {
    const { text, blocks } = message;
    if (target.respond) {
      try {
        await target.respond({ response_type: 'ephemeral', replace_original: false, text, blocks });
        return;
      } catch {
        // used_url, expired: try the Web API.
      }
    }
    if (target.channel && target.channel !== target.user) {
      try {
        await client.chat.postEphemeral({ channel: target.channel, user: target.user, text, blocks });
        return;
      } catch {
        // not_in_channel, channel_not_found…: fall through to the DM.
      }
    }
    await client.chat.postMessage({ channel: target.user, text, blocks });
  };
}

/** The private message for a failure: the error itself when it is meant for people, else a generic line. */
export function errorMessage(error: unknown): Message {
  const reply = errorReply(error);
  return reply.message;
}

/**
 * Runs post-ack `work` through the gate; an error is logged (when it is ours) and told to the
 * person, who must never wait on a dead click.
 */
export async function guarded(deps: ListenerDeps, what: string, reply: PrivateReply, work: () => Promise<void>): Promise<void> {
  await deps.gate.run(async () => {
    try {
      await work();
    } catch (error) {
      if (!isUserFacing(error)) deps.log.error(`slack ${what} failed`, error);
      await reply(errorMessage(error)).catch((replyError: unknown) => deps.log.warn(`slack ${what}: could not tell the user`, replyError));
    }
  });
}

/**
 * Whether this delivery is the first of its request anywhere (every replica shares the
 * table). Listeners call it right after `ack()`, inside `guarded`, before any work.
 */
export async function claim(deps: ListenerDeps, what: string, body: unknown): Promise<boolean> {
  if (await deps.dedupe.firstSeen(body)) return true;
  deps.log.info(`slack ${what}: duplicate delivery ignored`);
  return false;
}

/** Where a button was pressed: a message (response_url, channel) or a view (App Home, a modal). */
export interface ClickSource {
  user: string;
  channel: string | undefined;
  respond: RespondFn | undefined;
  triggerId: string;
  /** Pressed in the App Home tab: answers go to modals or DMs, and the tab is republished. */
  fromHome: boolean;
  value: string;
}

/** The fields of a block_actions body the listeners use, read defensively (payloads vary by container). */
export function clickSource(
  body: { user: { id: string }; channel?: { id: string }; container?: { channel_id?: string }; view?: { type?: string }; response_url?: string; trigger_id: string },
  action: { value?: string; selected_option?: { value?: string } | null },
  respond: RespondFn,
): ClickSource {
  return {
    user: body.user.id,
    channel: body.channel?.id ?? body.container?.channel_id,
    // Bolt hands out a respond() only when the payload has a response_url (not in views).
    respond: body.response_url ? respond : undefined,
    triggerId: body.trigger_id,
    fromHome: body.view?.type === 'home',
    value: action.value ?? action.selected_option?.value ?? '',
  };
}
