import { parseCommandArgs, usageError } from '../args.js';
import { type CliCommand, ExitCode } from '../io.js';
import { actor, openService, parsePairs, readInputsFile } from '../service-io.js';
import { follow } from './waiting.js';

export const runCommand: CliCommand = {
  name: 'run',
  summary: 'start a flow and follow it until it ends or waits for a person',
  usage: 'patchbay run FLOW [KEY=VALUE…] [--file PATH] [--json] [--as USER] [--no-wait]',
  async run(args, io) {
    const { positionals, values } = parseCommandArgs('run', args, {
      file: { type: 'string', short: 'f' },
      json: { type: 'boolean' },
      as: { type: 'string' },
      'no-wait': { type: 'boolean' },
    });
    const [reference, ...pairs] = positionals;
    if (!reference) throw usageError('run: name the flow to run (namespace.flowId or a unique flowId)');
    const inputs = { ...(values.file ? await readInputsFile(io, values.file) : {}), ...parsePairs(pairs) };
    const service = await openService(io, { nutanix: 'resolve' });
    try {
      const id = await service.start(reference, inputs, { as: actor(io, values.as) });
      if (values['no-wait']) {
        io.stdout.write(values.json ? `${JSON.stringify({ id })}\n` : `${id}\n`);
        return ExitCode.OK;
      }
      return await follow(io, service, id, values.json ?? false);
    } finally {
      await service.close();
    }
  },
};
