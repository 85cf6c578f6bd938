import { PassThrough } from 'node:stream';
import { type ShellOptions, runShell } from '../../../src/shell/shell.js';

/**
 * Drives the shell chat through streams, as a person at a terminal would (but piped): lines
 * go in, everything printed is collected, and tests wait for text to appear rather than
 * sleeping, since followed executions print in the background.
 */
export interface ShellDriver {
  send(line: string): void;
  /** Resolves with the output once `pattern` appears after `from` (default: after the last send). */
  waitFor(pattern: string | RegExp, timeoutMs?: number): Promise<string>;
  /** Output printed since the last `send`. */
  since(): string;
  output(): string;
  /** Closes the input (EOF) and waits for the shell to end. */
  end(): Promise<void>;
  done: Promise<void>;
}

export function driveShell(options: Omit<ShellOptions, 'input' | 'output'>): ShellDriver {
  const input = new PassThrough();
  const output = new PassThrough();
  let text = '';
  let mark = 0;
  output.on('data', (chunk: Buffer) => {
    text += chunk.toString('utf8');
  });
  const done = runShell({ ...options, input, output });
  const found = (pattern: string | RegExp, from: number): boolean => {
    const tail = text.slice(from);
    return typeof pattern === 'string' ? tail.includes(pattern) : pattern.test(tail);
  };
  return {
    send(line) {
      mark = text.length;
      input.write(`${line}\n`);
    },
    async waitFor(pattern, timeoutMs = 10_000) {
      const from = mark;
      const deadline = Date.now() + timeoutMs;
      while (!found(pattern, from)) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${String(pattern)}; output so far:\n${text.slice(from)}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      return text.slice(from);
    },
    since: () => text.slice(mark),
    output: () => text,
    async end() {
      input.end();
      await done;
    },
    done,
  };
}
