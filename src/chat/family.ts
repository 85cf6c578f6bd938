/**
 * A command family made of sub-commands (`/flow run`, `/flow list`…): parses the line once,
 * routes on the first word, answers `help` (and an empty line) with the family's help, and
 * an unknown word with "did you mean" plus the help. Families that need nothing more are one
 * `defineFamily` call; any CommandFamily may be registered, this is only a convenience.
 */
import { closest, distance } from 'fastest-levenshtein';
import { flowHelp } from '../slack/blocks/flow-info.js';
import type { KnownBlock, Message } from '../slack/blocks/slack-types.js';
import { code, mrkdwn } from '../slack/blocks/text.js';
import { type CommandLine, parseCommandLine } from './command-line.js';
import { errorReply } from './replies.js';
import type { ChatContext, ChatReply, ChatRequest, CommandFamily } from './types.js';

export interface SubcommandArgs {
  /** The whole line, parsed (token 0 is the sub-command). */
  line: CommandLine;
  /** Positional words after the sub-command. */
  positionals: string[];
  /** `key=value` pairs anywhere on the line. */
  pairs: Record<string, string>;
  /** The text after the sub-command, as typed (free text such as a reason). */
  rest: string;
}

export interface Subcommand {
  name: string;
  /** `/flow run <flow> [key=value …]` */
  usage: string;
  description: string;
  run(args: SubcommandArgs, request: ChatRequest, context: ChatContext): Promise<ChatReply>;
}

/** Closest candidate when it is close enough to be a typo, else undefined. */
export function didYouMean(word: string, candidates: readonly string[]): string | undefined {
  if (!candidates.length || !word) return undefined;
  const near = closest(word.toLowerCase(), [...candidates]);
  return distance(word.toLowerCase(), near) <= Math.max(2, Math.floor(near.length / 3)) ? near : undefined;
}

function helpMessage(family: CommandFamily, lead?: string): Message {
  const help = flowHelp(family.help);
  const title: KnownBlock = { type: 'header', block_id: 'title', text: { type: 'plain_text', text: `/${family.name} commands`, emoji: true } };
  const blocks = [title, ...help.blocks.slice(1)];
  if (lead) blocks.unshift({ type: 'section', block_id: 'lead', text: mrkdwn(lead) });
  return { text: lead ? `${lead.replace(/`/g, '')} — /${family.name} help` : `/${family.name} commands`, blocks };
}

export function defineFamily(options: { name: string; subcommands: Subcommand[] }): CommandFamily {
  const byName = new Map(options.subcommands.map((s) => [s.name, s]));
  const family: CommandFamily = {
    name: options.name,
    help: [
      ...options.subcommands.map(({ usage, description }) => ({ usage, description })),
      { usage: `/${options.name} help`, description: 'this list' },
    ],
    async handle(request, context) {
      let line: CommandLine;
      try {
        line = parseCommandLine(request.text);
      } catch (error) {
        return errorReply(error);
      }
      const first = line.tokens[0];
      const word = first?.text.toLowerCase() ?? '';
      if (!first || word === 'help') return { kind: 'private', message: helpMessage(family) };
      const sub = byName.get(word);
      if (!sub) {
        const near = didYouMean(word, [...byName.keys(), 'help']);
        const lead = `Unknown command ${code(`/${options.name} ${first.text}`)}.${near ? ` Did you mean ${code(`/${options.name} ${near}`)}?` : ''}`;
        return { kind: 'private', message: helpMessage(family, lead) };
      }
      // token 0 is the sub-command; the positionals list starts with it unless it read as a pair.
      const positionals = line.positionals[0] === first.text ? line.positionals.slice(1) : line.positionals;
      return sub.run({ line, positionals, pairs: line.pairs, rest: request.text.slice(first.end).trim() }, request, context);
    },
  };
  return family;
}
