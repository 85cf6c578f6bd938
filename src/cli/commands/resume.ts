import { fileMembership } from '../../groups.js';
import { parseCommandArgs, usageError } from '../args.js';
import type { CliCommand } from '../io.js';
import { actor, openService, parsePairs } from '../service-io.js';
import { follow } from './waiting.js';

export const resumeCommand: CliCommand = {
  name: 'resume',
  summary: 'resume, approve or reject a waiting execution, then follow it',
  usage: 'patchbay resume ID [--approve|--reject] [--reason TEXT] [--as USER] [KEY=VALUE…] [--json]',
  async run(args, io) {
    const { positionals, values } = parseCommandArgs('resume', args, {
      approve: { type: 'boolean' },
      reject: { type: 'boolean' },
      reason: { type: 'string' },
      as: { type: 'string' },
      json: { type: 'boolean' },
    });
    const [id, ...pairs] = positionals;
    if (!id) throw usageError('resume: give the execution id');
    if (values.approve && values.reject) throw usageError('resume: --approve and --reject exclude each other');
    const service = await openService(io, { sync: false });
    try {
      const outcome = await service.decide({
        executionId: id,
        actor: actor(io, values.as),
        approve: !values.reject,
        reason: values.reason,
        inputs: parsePairs(pairs),
        isMember: await fileMembership(service.config.groupsFile),
      });
      if (!values.json) io.stderr.write(`${outcome.message}\n`);
      return await follow(io, service, id, values.json ?? false);
    } finally {
      await service.close();
    }
  },
};
