import { parseCommandArgs, usageError } from '../args.js';
import { type CliCommand, ExitCode } from '../io.js';
import { openService, printExecution } from '../service-io.js';

export const executionsCommand: CliCommand = {
  name: 'executions',
  summary: 'list executions, show one, or print its logs',
  usage: 'patchbay executions list [--flow FLOW] [--state STATE] [--json] | show ID [--json] | logs ID [--json]',
  async run(args, io) {
    const { positionals, values } = parseCommandArgs('executions', args, {
      json: { type: 'boolean' },
      flow: { type: 'string' },
      state: { type: 'string' },
      limit: { type: 'string' },
    });
    const [verb, id] = positionals;
    if (verb !== 'list' && verb !== 'show' && verb !== 'logs') throw usageError(`executions: expected list, show ID or logs ID`);
    if (verb !== 'list' && !id) throw usageError(`executions ${verb}: give the execution id`);
    const service = await openService(io, { sync: false });
    try {
      if (verb === 'list') {
        const rows = await service.list({ flowId: values.flow, state: values.state, limit: values.limit ? Number(values.limit) : 50 });
        if (values.json) io.stdout.write(`${JSON.stringify(rows)}\n`);
        else for (const row of rows) io.stdout.write(`${row.id}  ${row.state.padEnd(8)} ${row.namespace}.${row.flowId}  ${row.createdAt}  by ${row.createdBy}\n`);
      } else if (verb === 'show') {
        printExecution(io, await service.execution(id as string), values.json ?? false);
      } else {
        const lines = await service.logs(id as string);
        if (values.json) io.stdout.write(`${JSON.stringify(lines)}\n`);
        else for (const line of lines) io.stdout.write(`${line.at} ${line.level.padEnd(5)} ${line.taskId ?? '-'}: ${line.message}\n`);
      }
      return ExitCode.OK;
    } finally {
      await service.close();
    }
  },
};
