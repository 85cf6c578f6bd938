import { parseCommandArgs, usageError } from '../args.js';
import { type CliCommand, ExitCode } from '../io.js';
import { actor, openService, printExecution } from '../service-io.js';

export const killCommand: CliCommand = {
  name: 'kill',
  summary: 'kill a running or paused execution (and its subflows)',
  usage: 'patchbay kill ID [--as USER] [--json]',
  async run(args, io) {
    const { positionals, values } = parseCommandArgs('kill', args, { as: { type: 'string' }, json: { type: 'boolean' } });
    const [id] = positionals;
    if (!id || positionals.length > 1) throw usageError('kill: give exactly one execution id');
    const service = await openService(io, { sync: false });
    try {
      await service.kill(id, actor(io, values.as));
      await service.startWorker({ pollMs: 200 });
      const view = await service.settle(id);
      printExecution(io, view, values.json ?? false);
      return ExitCode.OK;
    } finally {
      await service.close();
    }
  },
};
