import { loadConfig } from '../../config.js';
import { loadFlows } from '../../flow/flow-files.js';
import { type CliCommand, ExitCode } from '../io.js';

/**
 * `npm start`. The chat surface (Slack, or the local shell chat) arrives with the Slack issue;
 * until then it checks the flows folder and says how to run flows from the command line.
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
        'The Slack / shell chat is not part of this build yet. From the command line:',
        '  npx patchbay run hello-patchbay vm=web-01     run a flow (waits at approvals)',
        '  npx patchbay resume ID --approve --as USER    decide a waiting approval',
        '  npx patchbay executions list | show ID | logs ID',
        '  npx patchbay worker                           the engine loop (replicas on PostgreSQL)',
        '  npx patchbay validate [PATH…]                 check flow files (FILE:LINE:COL: message)',
        '  npx patchbay eval "{{ 1 + 1 }}"               render an expression',
        '',
      ].join('\n'),
    );
    return ExitCode.OK;
  },
};
