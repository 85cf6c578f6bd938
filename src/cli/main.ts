import { isPatchbayError } from '../errors.js';
import { assetsCommand } from './commands/assets.js';
import { evalCommand } from './commands/eval.js';
import { executionsCommand } from './commands/executions.js';
import { killCommand } from './commands/kill.js';
import { migrateCommand } from './commands/migrate.js';
import { resumeCommand } from './commands/resume.js';
import { runCommand } from './commands/run.js';
import { schedulesCommand } from './commands/schedules.js';
import { schemaCommand } from './commands/schema.js';
import { serveCommand } from './commands/serve.js';
import { simCommand } from './commands/sim.js';
import { validateCommand } from './commands/validate.js';
import { workerCommand } from './commands/worker.js';
import { type CliCommand, type CliIo, ExitCode } from './io.js';

/** Errors in what the caller asked for (exit 2), as opposed to failures while doing it (exit 1). */
const USAGE_CODES = new Set<string>(['USAGE', 'CONFIG_INVALID', 'INPUT_INVALID', 'FLOW_NOT_FOUND', 'FLOW_INVALID', 'NOT_FOUND']);

/** `patchbay` subcommands. Exit codes: 0 ok, 1 failure, 2 usage or validation of the command line. */
const commands: CliCommand[] = [
  serveCommand, runCommand, resumeCommand, killCommand, executionsCommand, workerCommand, migrateCommand,
  validateCommand, evalCommand, schemaCommand, assetsCommand, schedulesCommand, simCommand,
];

function help(): string {
  const width = Math.max(...commands.map((command) => command.name.length));
  return [
    'usage: patchbay <command> [options]',
    '',
    ...commands.map((command) => `  ${command.name.padEnd(width)}  ${command.summary}`),
    '',
    'patchbay <command> --help shows the usage of one command.',
    '',
  ].join('\n');
}

export async function runCli(argv: string[], io: CliIo): Promise<ExitCode> {
  const [name, ...args] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(help());
    return name ? ExitCode.OK : ExitCode.USAGE;
  }
  const command = commands.find((candidate) => candidate.name === name);
  if (!command) {
    io.stderr.write(`patchbay: unknown command '${name}'\n\n${help()}`);
    return ExitCode.USAGE;
  }
  if (args.includes('--help') || args.includes('-h')) {
    io.stdout.write(`usage: ${command.usage}\n`);
    return ExitCode.OK;
  }
  try {
    return await command.run(args, io);
  } catch (error) {
    if (isPatchbayError(error)) {
      io.stderr.write(`patchbay ${name}: ${error.message}\n`);
      return USAGE_CODES.has(error.code) ? ExitCode.USAGE : ExitCode.FAILURE;
    }
    io.stderr.write(`patchbay ${name}: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return ExitCode.FAILURE;
  }
}
