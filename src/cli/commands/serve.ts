import { loadConfig } from '../../config.js';
import { loadFlows } from '../../flow/flow-files.js';
import { type CliCommand, ExitCode } from '../io.js';

/**
 * `npm start`. The engine and the chat surface arrive with the engine and Slack issues; until
 * then it checks the flows folder and says what this build can do, exiting 0.
 */
export const serveCommand: CliCommand = {
  name: 'serve',
  summary: 'run the bot (engine + Slack or the local shell chat)',
  usage: 'patchbay serve',
  async run(_args, io) {
    const config = loadConfig(io.env, io.cwd);
    const { flows, diagnostics } = await loadFlows([config.flowsDir]);
    io.stdout.write(
      [
        'Patchbay — ChatOps for infrastructure teams',
        '',
        `Flows folder: ${config.flowsDir} (${flows.length} valid flow(s), ${diagnostics.length} problem(s))`,
        ...flows.map(({ flow }) => `  - ${flow.namespace}.${flow.id}${flow.description ? `: ${flow.description.split('\n')[0]}` : ''}`),
        '',
        'This build validates flows and evaluates expressions; the workflow engine and the',
        'Slack / shell chat are not part of it yet. Available now:',
        '  npx patchbay validate [PATH…]        check flow files (FILE:LINE:COL: message)',
        '  npx patchbay eval "{{ 1 + 1 }}"      render an expression',
        '  npx patchbay schema                  JSON Schema for editors',
        '',
      ].join('\n'),
    );
    return ExitCode.OK;
  },
};
