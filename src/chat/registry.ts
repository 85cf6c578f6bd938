/**
 * The command families a chat surface answers (`/flow`, `/assets`…). Slack and the shell
 * both dispatch through one registry, so a family added here is reachable from both:
 * `registry.register(assetsFamily)` is all it takes.
 *
 * Dispatch never throws: an unknown family gets the list of families (with "did you mean"),
 * a failing handler gets a private reply, and unexpected errors also go to `onError` (log).
 */
import { flowHelp } from '../slack/blocks/flow-info.js';
import type { Message } from '../slack/blocks/slack-types.js';
import { code, mrkdwn } from '../slack/blocks/text.js';
import { didYouMean } from './family.js';
import { errorReply, isUserFacing } from './replies.js';
import type { ChatContext, ChatReply, ChatRequest, CommandFamily } from './types.js';

export interface RegistryOptions {
  /** Called with errors that are not the person's fault (bugs, a database down). */
  onError?: (error: unknown, request: ChatRequest) => void;
}

/** `/Flow` → `flow`: Slack sends the slash, people in the shell may or may not type it. */
export const familyName = (name: string): string => name.replace(/^\//, '').toLowerCase();

export class CommandRegistry {
  private readonly families = new Map<string, CommandFamily>();

  constructor(families: Iterable<CommandFamily> = [], private readonly options: RegistryOptions = {}) {
    for (const family of families) this.register(family);
  }

  /** Adds a family; a second family of the same name is a programming error. */
  register(family: CommandFamily): this {
    const name = familyName(family.name);
    if (this.families.has(name)) throw new Error(`command family /${name} is registered twice`);
    this.families.set(name, family);
    return this;
  }

  get(name: string): CommandFamily | undefined {
    return this.families.get(familyName(name));
  }

  names(): string[] {
    return [...this.families.keys()];
  }

  /** Every family's commands, for a general `help`. */
  help(lead?: string): Message {
    const message = flowHelp([...this.families.values()].flatMap((family) => family.help));
    if (lead) message.blocks.unshift({ type: 'section', block_id: 'lead', text: mrkdwn(lead) });
    return message;
  }

  async dispatch(request: ChatRequest, context: ChatContext): Promise<ChatReply> {
    const family = this.get(request.family);
    if (!family) {
      const near = didYouMean(familyName(request.family), this.names());
      const lead = `Unknown command ${code(`/${familyName(request.family)}`)}.${near ? ` Did you mean ${code(`/${near}`)}?` : ''}`;
      return { kind: 'private', message: this.help(lead) };
    }
    try {
      return await family.handle(request, context);
    } catch (error) {
      if (!isUserFacing(error)) this.options.onError?.(error, request);
      return errorReply(error);
    }
  }
}
