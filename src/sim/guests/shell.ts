import { type AndOrList, type Redirect, type SimpleCommand, type Word, ShellSyntaxError, parseScript } from './shell-parse.js';
import type { GuestState } from './types.js';

/** The guest as its commands see it: identity, clock, disk state and the power button. */
export interface GuestMachine {
  hostname: string;
  bootedAt: Date;
  /** Simulated duration of package-manager commands. */
  commandDelayMs: number;
  now(): Date;
  state(): GuestState;
  setState(next: GuestState): void;
  badPatchArmed(): boolean;
}

export interface ShellOutput {
  stdout(text: string): void;
  stderr(text: string): void;
}

/** One command as the interpreter hands it to its implementation (after sudo/env are unwrapped). */
export interface Invocation {
  argv: string[];
  machine: GuestMachine;
  /** The command runs as root (the user is root, or it came through sudo). */
  root: boolean;
  user: string;
  env: Record<string, string>;
  signal: AbortSignal;
  out(text: string): void;
  err(text: string): void;
  /** The command asked for a reboot: the script stops after it and the session closes. */
  reboot(): void;
}

export type CommandImpl = (invocation: Invocation) => number | Promise<number>;

/** How a script ended: an exit status, or killed by a signal (the client sent one, or hung up). */
export interface ShellResult {
  exitCode: number | null;
  signal?: string;
  reboot: boolean;
}

export interface ShellSession {
  user: string;
  /** Environment the client sent (SSH `env` requests). */
  env: Record<string, string>;
  signal: AbortSignal;
  commands: Readonly<Record<string, CommandImpl>>;
}

const ASSIGNMENT = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s;

/** Signals a script to stop: `exit N`, or a reboot. */
class ScriptEnd {
  constructor(readonly status: number) {}
}

/**
 * Runs a script as `bash -c` would, within the subset the parser accepts: and-or lists in
 * order, `&&`/`||` short-circuiting, `set -e` stopping at the first failed list, the status
 * of the last command as the script's.
 */
export async function runScript(script: string, machine: GuestMachine, session: ShellSession, io: ShellOutput): Promise<ShellResult> {
  let lists: AndOrList[];
  try {
    lists = parseScript(script);
  } catch (error) {
    if (!(error instanceof ShellSyntaxError)) throw error;
    io.stderr(`bash: ${error.message}\n`);
    return { exitCode: 2, reboot: false };
  }
  const shell = new Interpreter(machine, session, io);
  try {
    for (const list of lists) {
      const { status, lastRan } = await shell.runList(list);
      if (shell.rebooting) break;
      if (shell.errexit && status !== 0 && lastRan) break;
    }
  } catch (error) {
    if (error instanceof ScriptEnd) return { exitCode: error.status, reboot: shell.rebooting };
    if (session.signal.aborted) return { exitCode: null, signal: 'TERM', reboot: false };
    throw error;
  }
  return { exitCode: shell.status, reboot: shell.rebooting };
}

class Interpreter {
  status = 0;
  errexit = false;
  rebooting = false;
  private readonly vars: Record<string, string>;

  constructor(
    private readonly machine: GuestMachine,
    private readonly session: ShellSession,
    private readonly io: ShellOutput,
  ) {
    const home = session.user === 'root' ? '/root' : `/home/${session.user}`;
    this.vars = { HOME: home, USER: session.user, LOGNAME: session.user, HOSTNAME: machine.hostname, PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', ...session.env };
  }

  /** `lastRan`: the list's last command ran (what `set -e` looks at; `false && x` does not stop a script). */
  async runList(list: AndOrList): Promise<{ status: number; lastRan: boolean }> {
    this.status = await this.run(list.first);
    let lastRan = list.rest.length === 0;
    for (const [index, { op, command }] of list.rest.entries()) {
      if (this.rebooting) break;
      if ((op === '&&') !== (this.status === 0)) continue;
      this.status = await this.run(command);
      lastRan = index === list.rest.length - 1;
    }
    return { status: this.status, lastRan };
  }

  private expand(word: Word): string {
    return word.map((part) => (part.kind === 'text' ? part.text : part.name === '?' ? String(this.status) : (this.vars[part.name] ?? ''))).join('');
  }

  private async run(command: SimpleCommand): Promise<number> {
    // A word that was only an empty variable disappears, as unquoted expansions do in bash.
    const words = command.words.filter((word) => !(word.every((part) => part.kind === 'var') && this.expand(word) === '')).map((word) => this.expand(word));
    const env: Record<string, string> = {};
    while (words.length > 0 && ASSIGNMENT.test(words[0]!)) {
      const [, name, value] = ASSIGNMENT.exec(words.shift()!)!;
      env[name!] = value!;
    }
    if (words.length === 0) {
      Object.assign(this.vars, env);
      return 0;
    }
    const { out, err } = this.redirected(command.redirects);
    const builtin = this.builtin(words, err);
    if (builtin !== undefined) return builtin;
    const invocation = unwrap(words, { ...this.vars, ...env }, this.session.user === 'root');
    if ('error' in invocation) {
      err(invocation.error);
      return invocation.status;
    }
    const name = invocation.argv[0]!;
    const implementation = this.session.commands[name.replace(/^\/(usr\/)?s?bin\//, '')];
    if (implementation === undefined) {
      // sudo looks the program up itself and says so in its own words.
      err(invocation.viaSudo ? `sudo: ${name}: command not found\n` : `bash: ${name}: command not found\n`);
      return invocation.viaSudo ? 1 : 127;
    }
    return implementation({
      argv: invocation.argv,
      machine: this.machine,
      root: invocation.root,
      user: invocation.root ? 'root' : this.session.user,
      env: invocation.env,
      signal: this.session.signal,
      out,
      err,
      reboot: () => {
        this.rebooting = true;
      },
    });
  }

  /** exit, set, export, cd: they change the shell itself. Undefined when `words` is not one. */
  private builtin(words: string[], err: (text: string) => void): number | undefined {
    const [name, ...args] = words;
    switch (name) {
      case 'exit': {
        const status = args[0] === undefined ? this.status : Number(args[0]);
        throw new ScriptEnd(Number.isInteger(status) ? status & 255 : 2);
      }
      case 'set':
        for (const arg of args) {
          if (/^-[a-z]*e/.test(arg)) this.errexit = true;
          if (/^\+[a-z]*e/.test(arg)) this.errexit = false;
        }
        return 0;
      case 'export':
        for (const arg of args) {
          const match = ASSIGNMENT.exec(arg);
          if (match) this.vars[match[1]!] = match[2]!;
        }
        return 0;
      case 'cd':
        if (args[0] !== undefined && !['/', '/tmp', '~', this.vars.HOME].includes(args[0])) {
          err(`bash: cd: ${args[0]}: No such file or directory\n`);
          return 1;
        }
        return 0;
      default:
        return undefined;
    }
  }

  /** Writers for stdout and stderr after redirections; files other than the terminal swallow output. */
  private redirected(redirects: Redirect[]): { out: (text: string) => void; err: (text: string) => void } {
    const streams: Record<1 | 2, (text: string) => void> = { 1: (text) => this.io.stdout(text), 2: (text) => this.io.stderr(text) };
    const discard = () => undefined;
    for (const redirect of redirects) {
      const target = 'fd' in redirect.to ? streams[redirect.to.fd] : discard;
      if (redirect.from === 'both') streams[1] = streams[2] = target;
      else streams[redirect.from] = target;
    }
    return { out: streams[1], err: streams[2] };
  }
}

type Unwrapped = { argv: string[]; env: Record<string, string>; root: boolean; viaSudo: boolean } | { error: string; status: number };

/**
 * Peels `sudo [-n -E -H -S] [-u root]` and `env [VAR=value]…` off a command line. The guest's
 * user has passwordless sudo, as the default user of cloud images does.
 */
export function unwrap(words: string[], env: Record<string, string>, root: boolean): Unwrapped {
  const argv = [...words];
  const vars = { ...env };
  let asRoot = root;
  let viaSudo = false;
  for (;;) {
    const name = argv[0]!;
    if (name === 'sudo') {
      argv.shift();
      let user = 'root';
      while (argv[0]?.startsWith('-')) {
        const option = argv.shift()!;
        if (option === '-u') user = argv.shift() ?? '';
        else if (option === '--') break;
        else if (!/^-[nEHSk]+$/.test(option)) return { error: `sudo: invalid option -- '${option.replace(/^-+/, '')}'\nusage: sudo [-nEHSk] [-u user] command\n`, status: 1 };
      }
      asRoot = user === 'root' || user === '0';
      viaSudo = true;
    } else if (name === 'env') {
      argv.shift();
      while (argv[0] === '-i' || argv[0] === '-') argv.shift();
    } else if (ASSIGNMENT.test(name)) {
      const [, key, value] = ASSIGNMENT.exec(argv.shift()!)!;
      vars[key!] = value!;
    } else break;
    if (argv.length === 0) return name === 'sudo' ? { error: 'usage: sudo [-nEHSk] [-u user] command\n', status: 1 } : { argv: ['true'], env: vars, root: asRoot, viaSudo };
  }
  return { argv, env: vars, root: asRoot, viaSudo };
}
