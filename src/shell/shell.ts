/**
 * The local terminal chat (Hubot's shell adapter, for Patchbay): used by `serve` when no Slack
 * token is configured. The same `/flow …` and `/assets …` commands as in Slack go through the
 * same registry; replies are the same Block Kit messages printed with blocksToText. Streams
 * are passed in, so tests drive it with PassThrough and nothing here reads process.stdin.
 */
import { userInfo } from 'node:os';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { type Token, restAfter, tokenize } from '../chat/command-line.js';
import { createChatRegistry } from '../chat/families.js';
import { didYouMean } from '../chat/family.js';
import type { CommandRegistry } from '../chat/registry.js';
import type { ChatActor, ChatReply } from '../chat/types.js';
import { type Membership, fileMembership } from '../groups.js';
import { loadPolicy } from '../policy/load.js';
import type { Policy } from '../policy/policy.js';
import type { PatchbayService } from '../service/service.js';
import { blocksToText } from '../slack/blocks/blocks-to-text.js';
import type { ChatPoster } from '../reports/ports.js';
import { saveShellFile, shellChatPoster } from './chat-poster.js';
import { ShellConsole } from './console.js';
import { shellDecide } from './decide.js';
import { Followers } from './follow.js';

export interface ShellOptions {
  service: PatchbayService;
  input: Readable;
  output: Writable;
  /** The acting user at start; default: the OS user name. */
  user?: string;
  /** Printed once before the first prompt (which database, chat, endpoints are in use). */
  banner?: string;
  /** Default: the /flow family (and whatever chatFamilies lists). */
  registry?: CommandRegistry;
  /** Default: PATCHBAY_POLICY_FILE through config.policyFile (absent: everyone may). */
  policy?: Policy;
  /** Group membership for assignments and the policy; default: PATCHBAY_GROUPS_FILE. */
  membership?: Membership;
  prompt?: string;
  /** Receives the poster that prints what tasks post to chat (serve makes it the tasks' chat). */
  onChatPoster?: (poster: ChatPoster) => void;
  /** Safety poll of followed executions (NOTIFY wakes them sooner). */
  pollMs?: number;
}

export const SHELL_PROMPT = 'patchbay> ';
const CHANNEL = 'shell';
const OWN_COMMANDS = ['approve', 'reject', 'resume', 'as', 'whoami', 'help', 'exit', 'quit'];

const SHELL_HELP = [
  'At this prompt (Slack has buttons for these):',
  '  approve ID [reason]       approve a waiting execution (ID = execution id)',
  '  reject ID <reason>        reject it, saying why',
  '  resume ID key=value …     resume a pause that asks for values',
  '  as USER                   act as USER from now on; `--as USER <command>` for one command',
  '  whoami                    who you act as',
  '  help                      this list',
  '  exit | quit               leave (Ctrl-D too)',
].join('\n');

function defaultUser(): string {
  try {
    return userInfo().username || 'shell';
  } catch {
    return 'shell'; // no passwd entry (some containers)
  }
}

export async function runShell(options: ShellOptions): Promise<void> {
  const { service, input, output } = options;
  const terminal = Boolean((input as { isTTY?: boolean }).isTTY && (output as { isTTY?: boolean }).isTTY);
  const prompt = options.prompt ?? SHELL_PROMPT;
  const out = new ShellConsole(output, prompt, terminal);
  const policy = options.policy ?? (await loadPolicy(service.config.policyFile));
  const membership = options.membership ?? (await fileMembership(service.config.groupsFile));
  const registry = options.registry ?? createChatRegistry({ onError: (error) => out.print(`internal error: ${(error as Error).stack ?? String(error)}`) });
  const followers = new Followers(service, (text) => out.print(text), options.pollMs);
  // The terminal is the chat: what tasks post (notifications, reports) appears here.
  options.onChatPoster?.(shellChatPoster((text) => out.print(text)));
  let user = options.user ?? defaultUser();
  const actorFor = (id: string): ChatActor => ({ id, isMember: (group) => membership(id, group) });

  const show = async (reply: ChatReply, as: string): Promise<void> => {
    if (reply.kind === 'started') {
      const view = await service.execution(reply.executionId);
      out.print(`▶ ${view.namespace}.${view.flowId} started by ${as}: execution ${view.id}`);
      followers.follow(reply.executionId);
      return;
    }
    if (reply.kind === 'file') {
      const file = await saveShellFile(reply.filename, reply.content);
      out.print(`${blocksToText(reply.message.blocks)}\n${reply.title}: ${file}`);
      return;
    }
    out.print(blocksToText(reply.message.blocks));
  };

  /** One command line; returns 'exit' to leave. */
  const handle = async (line: string): Promise<'exit' | void> => {
    let tokens: Token[];
    try {
      tokens = tokenize(line);
    } catch (error) {
      return out.print((error as Error).message);
    }
    let as = user;
    let start = 0;
    if (tokens[0]?.text === '--as') {
      if (!tokens[1]) return out.print('usage: --as USER [command]');
      as = tokens[1].text;
      start = 2;
      if (!tokens[2]) {
        user = as; // `--as bob` alone switches, like `as bob`
        return out.print(`now acting as ${user}`);
      }
    }
    const head = tokens[start];
    if (!head) return;
    const word = head.text.toLowerCase();
    const rest = restAfter(line, head);
    switch (word) {
      case 'exit':
      case 'quit':
        return 'exit';
      case 'help':
      case '?':
        return out.print(`${blocksToText(registry.help().blocks)}\n\n${SHELL_HELP}`);
      case 'whoami':
        return out.print(as);
      case 'as': {
        const [who] = tokenize(rest);
        if (!who) return out.print(`acting as ${user}; usage: as USER`);
        user = who.text;
        return out.print(`now acting as ${user}`);
      }
      case 'approve':
      case 'reject':
      case 'resume': {
        const result = await shellDecide(service, { verb: word, line: rest, actor: actorFor(as), membership, policy });
        out.print(result.text);
        if (result.follow) followers.follow(result.follow);
        return;
      }
      default:
        break;
    }
    if (head.text.startsWith('/') || registry.get(word)) {
      const reply = await registry.dispatch({ family: head.text, text: rest, actor: actorFor(as), channel: CHANNEL, surface: 'shell' }, { service, policy });
      return show(reply, as);
    }
    const near = didYouMean(word, [...OWN_COMMANDS, ...registry.names()]);
    const suggestion = near ? ` Did you mean \`${registry.get(near) ? `/${near}` : near}\`?` : '';
    out.print(`Unknown command \`${head.text}\`.${suggestion} Type \`help\` for the list, or \`/flow help\`.`);
  };

  const readline = createInterface({ input, ...(terminal ? { output, prompt } : {}), terminal });
  out.attach(readline);
  if (options.banner) out.print(options.banner);
  out.showPrompt();
  let exited = false;
  // Ctrl-C on a terminal leaves like `exit` (readline would otherwise only pause the input).
  readline.on('SIGINT', () => {
    exited = true;
    readline.close();
  });
  try {
    for await (const line of readline) {
      out.busy();
      if (line.trim()) {
        try {
          if ((await handle(line.trim())) === 'exit') {
            exited = true;
            break;
          }
        } catch (error) {
          out.print(`error: ${(error as Error).message}`);
        }
      }
      out.showPrompt();
    }
  } finally {
    readline.close();
    // EOF (a piped script) lets followed executions reach their end or a person first; `exit` does not wait.
    if (exited) await followers.stop();
    else await followers.settled();
    out.busy();
    if (!terminal) output.write('\n');
  }
}
