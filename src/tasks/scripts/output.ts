import { StringDecoder } from 'node:string_decoder';
import { LOG_LEVELS, type LogLevel, logAt } from '../core/Log.js';
import type { TaskLogger } from '../types.js';

/**
 * Kestra's convention for a script talking back (TaskLogLineMatcher): a whole line
 * `::{"outputs":{…}}::` adds to the task's `vars` output, `::{"logs":[{"level","message"}]}::`
 * writes log lines, and such a line is not logged itself. `metrics` are accepted and
 * dropped: Patchbay records no metrics.
 */
const COMMAND_LINE = /^::(\{.*\})::$/;

/** How many stderr lines a failure message quotes. */
const TAIL_LINES = 10;

/**
 * Splits a process's stdout and stderr into lines and logs them as Kestra does since 0.21:
 * stdout at INFO, stderr at ERROR (so `errorLogs()`-style alerts see what a script
 * complained about). Shared by the local scripts and the SSH command.
 */
export class OutputCollector {
  stdOutLineCount = 0;
  stdErrLineCount = 0;
  readonly vars: Record<string, unknown> = {};
  private readonly tail: string[] = [];
  private readonly streams = {
    out: { decoder: new StringDecoder('utf8'), partial: '' },
    err: { decoder: new StringDecoder('utf8'), partial: '' },
  };

  constructor(private readonly log: TaskLogger) {}

  stdout(chunk: Buffer): void {
    this.feed('out', chunk);
  }

  stderr(chunk: Buffer): void {
    this.feed('err', chunk);
  }

  /** Flushes a last line that had no newline. Call once both streams have ended. */
  end(): void {
    for (const name of ['out', 'err'] as const) {
      const stream = this.streams[name];
      const rest = stream.partial + stream.decoder.end();
      stream.partial = '';
      if (rest !== '') this.line(rest, name === 'err');
    }
  }

  /** The last lines written to stderr, for a failure message. */
  stderrTail(): string[] {
    return [...this.tail];
  }

  private feed(name: 'out' | 'err', chunk: Buffer): void {
    const stream = this.streams[name];
    const lines = (stream.partial + stream.decoder.write(chunk)).split('\n');
    stream.partial = lines.pop() ?? '';
    for (const line of lines) this.line(line, name === 'err');
  }

  private line(raw: string, isStdErr: boolean): void {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (isStdErr) {
      this.stdErrLineCount += 1;
      this.tail.push(line);
      if (this.tail.length > TAIL_LINES) this.tail.shift();
    } else {
      this.stdOutLineCount += 1;
    }
    const command = COMMAND_LINE.exec(line);
    if (command) this.command(command[1] ?? '', line);
    else if (isStdErr) this.log.error(line);
    else this.log.info(line);
  }

  private command(json: string, line: string): void {
    let parsed: { outputs?: unknown; logs?: unknown };
    try {
      parsed = JSON.parse(json) as typeof parsed;
    } catch (error) {
      this.log.warn(`Invalid outputs '${line}': ${(error as Error).message}`);
      return;
    }
    if (typeof parsed.outputs === 'object' && parsed.outputs !== null) Object.assign(this.vars, parsed.outputs);
    if (Array.isArray(parsed.logs)) for (const entry of parsed.logs) this.logEntry(entry, line);
  }

  private logEntry(entry: unknown, line: string): void {
    const { level, message } = (entry ?? {}) as { level?: unknown; message?: unknown };
    const known = typeof level === 'string' && (LOG_LEVELS as readonly string[]).includes(level.toUpperCase());
    if (!known || typeof message !== 'string') {
      this.log.warn(`Invalid log '${line}'`);
      return;
    }
    logAt(this.log, level.toUpperCase() as LogLevel, message);
  }
}
