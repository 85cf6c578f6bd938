import { loadConfig } from '../../config.js';
import { openDatabase } from '../../db/database.js';
import { parseCommandArgs } from '../args.js';
import { type CliCommand, ExitCode } from '../io.js';

export const migrateCommand: CliCommand = {
  name: 'migrate',
  summary: 'apply database migrations (also done at every start)',
  usage: 'patchbay migrate',
  async run(args, io) {
    parseCommandArgs('migrate', args, {});
    const config = loadConfig(io.env, io.cwd);
    const database = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir });
    io.stdout.write(`migrations applied to ${database.description}\n`);
    await database.close();
    return ExitCode.OK;
  },
};
