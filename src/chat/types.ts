import type { Flow } from '../flow/model.js';
import type { Policy } from '../policy/policy.js';
import type { PatchbayService } from '../service/service.js';
import type { Message } from '../slack/blocks/slack-types.js';

/**
 * The contract between chat commands and the surfaces that carry them (Slack, the local
 * shell). A command family (`/flow`, `/assets`) parses the text after its name and answers
 * with a ChatReply; the surface renders it (Block Kit in Slack, text in the shell). Replies
 * are built with the pure builders of src/slack/blocks (Block Kit is the lingua franca;
 * the shell prints them with blocksToText).
 */
export interface ChatActor {
  /** Slack user id (U…/W…) or the shell's `--as` name. */
  id: string;
  /** Groups the actor belongs to, resolved by the surface when needed (Slack user groups). */
  isMember?: (group: string) => Promise<boolean>;
}

export interface ChatRequest {
  /** Family name without the slash: `flow`, `assets`. */
  family: string;
  /** The text after the command, e.g. `run nutanix-safe-patch vm=prod-web-01`. */
  text: string;
  actor: ChatActor;
  /** Where the command was typed (Slack channel id; `shell` for the terminal). */
  channel: string;
  surface: 'slack' | 'shell';
}

/** Where an execution started from chat lives, stored as the execution's `trigger`. */
export interface ChatOrigin {
  type: 'chat';
  surface: 'slack' | 'shell';
  channel: string;
  user: string;
}

export type ChatReply =
  /** Shown to the actor only (ephemeral in Slack). */
  | { kind: 'private'; message: Message }
  /** Posted for everyone in the channel. */
  | { kind: 'public'; message: Message }
  /** Inputs are missing (or none were given): the surface asks for them (Slack: the run modal). */
  | { kind: 'askInputs'; flow: Flow; prefilled: Record<string, unknown>; options: Record<string, string[]>; message: Message }
  /** An execution was started; the surface's status message follows it. */
  | { kind: 'started'; executionId: string; message: Message }
  /**
   * A file to hand over (the `/assets graph` PNG): Slack uploads `content` with `message` as
   * its caption (files.uploadV2); the shell writes it under `.patchbay/graphs/` and prints the path.
   */
  | { kind: 'file'; filename: string; content: Uint8Array; title: string; message: Message };

export interface ChatContext {
  service: PatchbayService;
  /** Who may run and kill what (src/policy); absent means everyone may. */
  policy?: Policy;
}

export interface CommandFamily {
  name: string;
  /** One line per sub-command for `/flow help`. */
  help: { usage: string; description: string }[];
  handle(request: ChatRequest, context: ChatContext): Promise<ChatReply>;
}
