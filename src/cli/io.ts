/** What a CLI command may touch: passed in, so tests drive commands in-process. */
export interface CliIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
}

export const ExitCode = { OK: 0, FAILURE: 1, USAGE: 2 } as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

export interface CliCommand {
  name: string;
  /** One line for `patchbay --help`. */
  summary: string;
  usage: string;
  run(args: string[], io: CliIo): Promise<ExitCode>;
}
