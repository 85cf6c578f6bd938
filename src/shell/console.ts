/**
 * The shell's output: answers to commands, and lines that arrive on their own (an execution
 * the shell follows moved on) while the prompt waits. On a terminal the half-typed line is
 * redrawn under them (readline keeps it); on a pipe the prompt is written as plain text.
 */
import type { Interface } from 'node:readline';
import type { Writable } from 'node:stream';

export class ShellConsole {
  /** True while the prompt is shown and no command is being handled. */
  private idle = false;
  private readline: Interface | undefined;

  constructor(private readonly output: Writable, readonly prompt: string, private readonly terminal: boolean) {}

  attach(readline: Interface): void {
    this.readline = readline;
  }

  /** Prints whole lines; while idle, keeps the prompt (and on a terminal what was typed) below them. */
  print(text: string): void {
    if (!text) return;
    const body = text.endsWith('\n') ? text : `${text}\n`;
    if (!this.idle) {
      this.output.write(body);
      return;
    }
    if (this.terminal && this.readline) {
      this.output.write('\r\x1b[K');
      this.output.write(body);
      this.readline.prompt(true);
    } else {
      this.output.write(`\n${body}${this.prompt}`);
    }
  }

  showPrompt(): void {
    this.idle = true;
    if (this.terminal && this.readline) this.readline.prompt();
    else this.output.write(this.prompt);
  }

  /** A command line arrived: its answer is printed without a prompt in between. */
  busy(): void {
    this.idle = false;
  }
}
