import { mkdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Config } from '../config.js';
import { ErrorCode, PatchbayError, isPatchbayError } from '../errors.js';
import type { NutanixDefaults } from '../tasks/integrations.js';
import { type PublishedSimulator, endpointFile, livePublisher, publishSimulator, simLoopbackPrefix } from './sim-endpoint-file.js';

export { simulatorSecrets } from './sim-endpoint-file.js';

/**
 * Which Prism Central the Nutanix tasks talk to when a flow names none: the one configured
 * with NUTANIX_HOST, else Patchbay's built-in simulator, whose state lives in the data folder
 * so the bot, `patchbay run` and restarts all see the same VMs and recovery points. Only one
 * process runs a folder's simulator; the others use it through `sim/endpoint.json`.
 */
export interface NutanixEndpoint {
  defaults: NutanixDefaults;
  /** Lowest-priority secrets the shipped flows read (clusters, guest SSH login) — simulator only. */
  secretDefaults: Record<string, string>;
  /** One line for the start-up banner. */
  description: string;
  /** Stops the simulator when this process started it. */
  close(): Promise<void>;
}

export interface EndpointOptions {
  /**
   * false: use a simulator another process runs, never start one (`patchbay worker`: replicas
   * started together would race for the folder, and a worker is not where people try things).
   */
  start?: boolean;
  /** Simulated task duration (the demo shows progress; tests pass 0). */
  taskDelayMs?: number;
  /** How long a simulated guest's reboot takes. */
  rebootMs?: number;
}

export async function resolveNutanixEndpoint(config: Config, options: EndpointOptions = {}): Promise<NutanixEndpoint | undefined> {
  const real = config.nutanix;
  if (real) {
    const caCert = real.caFile ? await readCa(real.caFile) : undefined;
    const defaults: NutanixDefaults = {
      host: real.host,
      port: real.port,
      ...(real.apiKey ? { apiKey: real.apiKey } : { username: real.username, password: real.password }),
      ...(caCert ? { caCert } : {}),
      ...(real.insecure ? { insecure: true } : {}),
      source: 'NUTANIX_HOST',
    };
    const tls = real.insecure ? ', TLS verification OFF (NUTANIX_INSECURE)' : '';
    return { defaults, secretDefaults: {}, description: `https://${real.host}:${real.port}${tls}`, close: async () => undefined };
  }
  const folder = path.join(config.dataDir, 'sim');
  await mkdir(folder, { recursive: true });
  const file = endpointFile(folder);
  const running = await livePublisher(file);
  if (running) return borrowed(running);
  if (options.start === false) return undefined;
  const { startSimulator } = await import('../sim/index.js');
  const sim = await startSimulator({
    stateDir: folder,
    taskDelayMs: options.taskDelayMs ?? 1500,
    guests: { addressing: 'auto', loopbackPrefix: simLoopbackPrefix(folder), rebootMs: options.rebootMs ?? 3000, hostKeyDir: folder },
  });
  let published;
  try {
    published = await publishSimulator(file, sim);
  } catch (error) {
    await sim.stop();
    // Another process published first (two replicas starting together): use its simulator.
    const winner = isPatchbayError(error) && error.code === ErrorCode.CONFLICT ? await livePublisher(file) : undefined;
    if (winner) return borrowed(winner);
    throw error;
  }
  return {
    defaults: published.defaults,
    secretDefaults: published.secretDefaults,
    description: `built-in simulator at ${sim.url} (${published.vms.join(', ')}); set NUTANIX_HOST for a real Prism Central`,
    close: async () => {
      await rm(file, { force: true });
      await sim.stop();
    },
  };
}

function borrowed(running: PublishedSimulator): NutanixEndpoint {
  return {
    defaults: running.defaults,
    secretDefaults: running.secretDefaults,
    description: `simulator of process ${running.pid} at https://${running.defaults.host}:${running.defaults.port} (${running.vms.join(', ')})`,
    close: async () => undefined,
  };
}

async function readCa(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    throw new PatchbayError(ErrorCode.CONFIG_INVALID, `NUTANIX_CA_FILE ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
}
