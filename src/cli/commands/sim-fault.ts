import path from 'node:path';
import { Agent, request } from 'undici';
import { loadConfig } from '../../config.js';
import { ErrorCode, PatchbayError } from '../../errors.js';
import { endpointFile, livePublisher } from '../../service/sim-endpoint-file.js';
import { parseFaultSpec } from '../../sim/index.js';
import { parseCommandArgs, usageError } from '../args.js';
import { type CliIo, ExitCode } from '../io.js';

/**
 * `patchbay sim fault bad-patch=prod-web-01`: arms faults in the simulator that already runs
 * for this data folder (the bot's built-in one, or `patchbay sim`), through its admin API —
 * how a newcomer makes the next patch fail and watches the flow roll back. `--clear` disarms
 * them all. Specs are checked here first, so a typo is a usage error, not an HTTP 400.
 */
export async function simFault(args: readonly string[], io: CliIo): Promise<ExitCode> {
  const { values, positionals } = parseCommandArgs('sim fault', [...args], { clear: { type: 'boolean' } });
  if (!values.clear && positionals.length === 0) throw usageError('sim fault: give at least one KIND=TARGET (e.g. bad-patch=prod-web-01), or --clear');
  if (values.clear && positionals.length > 0) throw usageError('sim fault: --clear takes no faults');
  for (const spec of positionals) parseFaultSpec(spec);
  const config = loadConfig(io.env, io.cwd);
  const running = await livePublisher(endpointFile(path.join(config.dataDir, 'sim')), true);
  if (!running) {
    throw new PatchbayError(ErrorCode.NOT_FOUND, `no simulator runs for ${config.dataDir}: start the bot (npm start) or \`patchbay sim\` first`);
  }
  const { host, port, apiKey, caCert } = running.defaults;
  const dispatcher = new Agent({ connect: caCert ? { ca: caCert } : {} });
  try {
    const answer = await request(`https://${host}:${port}/_sim/faults`, {
      method: values.clear ? 'DELETE' : 'POST',
      headers: { 'x-ntnx-api-key': apiKey ?? '', 'content-type': 'application/json' },
      ...(values.clear ? {} : { body: JSON.stringify(positionals) }),
      dispatcher,
    });
    const text = await answer.body.text();
    if (answer.statusCode >= 300) throw new PatchbayError(ErrorCode.INTERNAL, `the simulator refused: HTTP ${answer.statusCode} ${text}`);
    io.stdout.write(values.clear ? 'faults cleared\n' : `armed in the simulator of process ${running.pid}: ${positionals.join(', ')}\n`);
    return ExitCode.OK;
  } finally {
    await dispatcher.close();
  }
}
