import { parseCommandArgs } from '../args.js';
import { type CliCommand, ExitCode } from '../io.js';
import { openService } from '../service-io.js';

export const workerCommand: CliCommand = {
  name: 'worker',
  summary: 'run the engine loop only (several may share one PostgreSQL)',
  usage: 'patchbay worker [--until-idle] [--concurrency N]',
  async run(args, io) {
    const { values } = parseCommandArgs('worker', args, { 'until-idle': { type: 'boolean' }, concurrency: { type: 'string' } });
    const service = await openService(io, { nutanix: 'running' });
    try {
      const worker = await service.startWorker({ concurrency: values.concurrency ? Number(values.concurrency) : 4, pollMs: 500 });
      io.stderr.write(`worker ${worker.id} on ${service.database.description}\n`);
      // Schedules fire from every replica (each fire time starts one execution); --until-idle is a one-shot drain.
      if (!values['until-idle']) await service.startScheduler({ log: { info: (m) => io.stderr.write(`${m}\n`), warn: (m, e) => io.stderr.write(`${m}${e ? `: ${String(e)}` : ''}\n`) } });
      if (values['until-idle']) {
        await service.untilIdle();
      } else {
        await new Promise<void>((resolve) => {
          process.once('SIGTERM', resolve);
          process.once('SIGINT', resolve);
        });
      }
      return ExitCode.OK;
    } finally {
      await service.close();
    }
  },
};
