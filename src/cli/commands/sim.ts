import { rm } from 'node:fs/promises';
import path from 'node:path';
import { loadConfig } from '../../config.js';
import { ErrorCode, PatchbayError } from '../../errors.js';
import { endpointFile, livePublisher, publishSimulator, simLoopbackPrefix } from '../../service/sim-endpoint-file.js';
import { type FaultSpec, type SeedVm, type Simulator, parseFaultSpec, startSimulator } from '../../sim/index.js';
import { loadSeedVms } from '../../sim/seed-file.js';
import { parseCommandArgs, usageError } from '../args.js';
import { type CliCommand, type CliIo, ExitCode } from '../io.js';
import { simFault } from './sim-fault.js';

/**
 * `patchbay sim`: the Prism Central simulator alone, with its state in `<data>/sim` — the
 * folder the bot's built-in simulator uses, so VMs and recovery points are shared. It publishes
 * itself in `<data>/sim/endpoint.json` (the format src/service/nutanix-endpoint.ts reads), so a
 * `patchbay serve` started meanwhile uses this simulator instead of starting a second one.
 */
export interface SimIo extends CliIo {
  /** Where SIGINT / SIGTERM come from (default process). */
  signals?: NodeJS.EventEmitter;
}

const ADDRESSING = ['auto', 'loopback', 'ports'] as const;

function integerOption(name: string, raw: string | undefined, min: number, max: number): number | undefined {
  if (raw === undefined) return undefined;
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) throw usageError(`sim: --${name} must be a whole number from ${min} to ${max}, got '${raw}'`);
  return Number(raw);
}


function summary(sim: Simulator, folder: string): string {
  const vms = sim.vms().map((vm) => {
    const guest = vm.simulatedGuest;
    const where = guest ? `${guest.ip} ssh:${guest.sshPort} ${guest.healthUrl}` : vm.powerState === 'ON' ? 'no guest' : '';
    return `    ${vm.name.padEnd(20)} ${vm.powerState.padEnd(4)} ${vm.extId}  ${where}`.trimEnd();
  });
  return [
    'Prism Central v4 simulator',
    `  url        ${sim.url}`,
    `  api key    ${sim.apiKey}   (X-ntnx-api-key; or Basic ${sim.username}:${sim.password})`,
    `  CA         ${path.join(folder, 'tls', 'ca.pem')}`,
    `  cluster    ${sim.clusterExtId}  PC-Cluster-01`,
    `  DR cluster ${sim.drClusterExtId}  DR-Cluster-01`,
    ...(sim.guests ? [`  guests     ssh ${sim.guests.credentials.username} / ${sim.guests.credentials.password}`] : []),
    `  faults     ${sim.faults.list().length ? sim.faults.list().map((fault) => JSON.stringify(fault)).join(' ') : 'none'}  (admin API: ${sim.url}/_sim/faults)`,
    '  VMs',
    ...vms,
    '',
    'Ready. Ctrl-C stops.',
    '',
  ].join('\n');
}

function waitForSignal(signals: NodeJS.EventEmitter): Promise<string> {
  return new Promise((resolve) => {
    const on = (signal: string) => () => {
      signals.off('SIGINT', onInt);
      signals.off('SIGTERM', onTerm);
      resolve(signal);
    };
    const onInt = on('SIGINT');
    const onTerm = on('SIGTERM');
    signals.on('SIGINT', onInt);
    signals.on('SIGTERM', onTerm);
  });
}

export const simCommand: CliCommand = {
  name: 'sim',
  summary: 'run the Prism Central simulator (and its guest VMs) alone',
  usage:
    'patchbay sim fault KIND=TARGET… | --clear   (arm faults in the running simulator of this data folder)\n' +
    'patchbay sim [--port N] [--host ADDR] [--vms FILE] [--fault KIND=TARGET]… [--task-delay MS] [--addressing auto|loopback|ports] [--no-guests] [--json]\n' +
    '  faults: bad-patch=<vm>, fail-task=<operation>[:<count>], slow-task=<operation>:<ms>, fail-call=<operation>[:<status>[:<count>]],\n' +
    '          delay-call=<operation>:<ms>[:<count>], drop-response=<operation>[:<count>]  (see src/sim/README.md)',
  async run(args, io: SimIo) {
    if (args[0] === 'fault') return simFault(args.slice(1), io);
    const { values, positionals } = parseCommandArgs('sim', args, {
      port: { type: 'string' },
      host: { type: 'string' },
      vms: { type: 'string' },
      fault: { type: 'string', multiple: true },
      'task-delay': { type: 'string' },
      addressing: { type: 'string' },
      'no-guests': { type: 'boolean' },
      json: { type: 'boolean' },
    });
    if (positionals.length) throw usageError(`sim: unexpected argument '${positionals[0]}'`);
    const port = integerOption('port', values.port, 0, 65535) ?? 9440;
    const taskDelayMs = integerOption('task-delay', values['task-delay'], 0, 600_000) ?? 1500;
    const addressing = values.addressing ?? 'auto';
    if (!(ADDRESSING as readonly string[]).includes(addressing)) throw usageError(`sim: --addressing must be one of ${ADDRESSING.join(', ')}, got '${addressing}'`);
    const faults: FaultSpec[] = (values.fault ?? []).map((text) => parseFaultSpec(text));
    const vms: SeedVm[] | undefined = values.vms ? await loadSeedVms(path.resolve(io.cwd, values.vms)) : undefined;

    const config = loadConfig(io.env, io.cwd);
    const folder = path.join(config.dataDir, 'sim');
    const file = endpointFile(folder);
    const running = await livePublisher(file);
    if (running) throw new PatchbayError(ErrorCode.CONFLICT, `the simulator for ${config.dataDir} already runs in process ${running.pid} at https://${running.defaults.host}:${running.defaults.port}; stop it first`);

    const sim = await startSimulator({
      port,
      ...(values.host ? { host: values.host } : {}),
      stateDir: folder,
      taskDelayMs,
      faults,
      ...(vms ? { vms } : {}),
      guests: values['no-guests'] ? false : { addressing: addressing as (typeof ADDRESSING)[number], loopbackPrefix: simLoopbackPrefix(folder), hostKeyDir: folder },
      log: (line) => io.stderr.write(`${new Date().toISOString()} ${line}\n`),
    }).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE') throw new PatchbayError(ErrorCode.CONFIG_INVALID, `port ${port} is already in use; pick another with --port (0 = any free port)`);
      if (error.code === 'EACCES') throw new PatchbayError(ErrorCode.CONFIG_INVALID, `port ${port} needs privileges this process lacks; use --port above 1023`);
      throw error;
    });
    try {
      await publishSimulator(file, sim);
      if (values.json) {
        const list = sim.vms().map((vm) => ({ name: vm.name, extId: vm.extId, ip: vm.simulatedGuest?.ip ?? null, sshPort: vm.simulatedGuest?.sshPort ?? null, healthUrl: vm.simulatedGuest?.healthUrl ?? null }));
        io.stdout.write(`${JSON.stringify({ url: sim.url, apiKey: sim.apiKey, clusterExtId: sim.clusterExtId, drClusterExtId: sim.drClusterExtId, vms: list })}\n`);
      }
      io.stdout.write(summary(sim, folder));
      const signal = await waitForSignal(io.signals ?? process);
      io.stderr.write(`sim: stopping on ${signal}\n`);
    } finally {
      await rm(file, { force: true });
      await sim.stop();
    }
    return ExitCode.OK;
  },
};
