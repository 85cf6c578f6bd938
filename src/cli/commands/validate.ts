import path from 'node:path';
import { loadConfig } from '../../config.js';
import { formatDiagnostic } from '../../flow/loader.js';
import { loadFlows } from '../../flow/flow-files.js';
import { parseCommandArgs } from '../args.js';
import { type CliCommand, ExitCode } from '../io.js';

export const validateCommand: CliCommand = {
  name: 'validate',
  summary: 'check flow files; one FILE:LINE:COL: message line per problem',
  usage: 'patchbay validate [PATH…]   (default: PATCHBAY_FLOWS_DIR, ./flows)',
  async run(args, io) {
    const { positionals } = parseCommandArgs('validate', args, {});
    const targets = positionals.length > 0 ? positionals : [path.relative(io.cwd, loadConfig(io.env, io.cwd).flowsDir) || '.'];
    const resolved = targets.map((target) => (path.isAbsolute(target) ? target : path.join(io.cwd, target)));
    const result = await loadFlows(resolved);
    const shown = (file: string) => path.relative(io.cwd, file) || file;
    for (const diagnostic of result.diagnostics) {
      io.stdout.write(`${formatDiagnostic({ ...diagnostic, file: shown(diagnostic.file) })}\n`);
    }
    if (result.diagnostics.length > 0) {
      io.stderr.write(`${result.diagnostics.length} problem(s); ${result.flows.length} flow(s) valid\n`);
      return ExitCode.FAILURE;
    }
    for (const loaded of result.flows) {
      io.stdout.write(`ok ${loaded.flow.namespace}.${loaded.flow.id} (${shown(loaded.file)})\n`);
    }
    io.stdout.write(`${result.flows.length} flow(s) valid\n`);
    return ExitCode.OK;
  },
};
