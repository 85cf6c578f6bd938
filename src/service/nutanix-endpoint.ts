import { mkdir, open, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Config } from '../config.js';
import { ErrorCode, PatchbayError } from '../errors.js';
import { processAlive } from '../process-alive.js';
import type { Simulator } from '../sim/index.js';
import type { NutanixDefaults } from '../tasks/integrations.js';

/**
 * Which Prism Central the Nutanix tasks talk to when a flow names none: the one configured
 * with NUTANIX_HOST, else Patchbay's built-in simulator, whose state lives in the data folder
 * so the bot, `patchbay run` and restarts all see the same VMs and recovery points.
 *
 * Only one process runs the built-in simulator for a data folder (it owns the state file and
 * the guests' addresses). It publishes its endpoint in `<data>/sim/endpoint.json`; another
 * process that finds a live publisher uses that simulator instead of starting a second one.
 */
export interface NutanixEndpoint {
  defaults: NutanixDefaults;
  /** Lowest-priority secrets the shipped flows read (guest SSH login, known_hosts) — simulator only. */
  secretDefaults: Record<string, string>;
  /** One line for the start-up banner. */
  description: string;
  /** Stops the simulator when this process started it. */
  close(): Promise<void>;
}

interface Published {
  pid: number;
  defaults: NutanixDefaults;
  secretDefaults: Record<string, string>;
  vms: string[];
}

export interface EndpointOptions {
  /** Simulated task duration (the demo shows progress; tests pass 0). */
  taskDelayMs?: number;
  /** How long a simulated guest's reboot takes. */
  rebootMs?: number;
  /** Faults armed from the start (`bad-patch=prod-web-01`). */
  faults?: string[];
}

export async function resolveNutanixEndpoint(config: Config, options: EndpointOptions = {}): Promise<NutanixEndpoint> {
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
  const file = path.join(folder, 'endpoint.json');
  const existing = await readPublished(file);
  if (existing && existing.pid !== process.pid && processAlive(existing.pid)) {
    return {
      defaults: existing.defaults,
      secretDefaults: existing.secretDefaults,
      description: `built-in simulator of process ${existing.pid} at https://${existing.defaults.host}:${existing.defaults.port} (${existing.vms.join(', ')})`,
      close: async () => undefined,
    };
  }
  await rm(file, { force: true });
  return startBuiltIn(folder, file, options);
}

async function startBuiltIn(folder: string, file: string, options: EndpointOptions): Promise<NutanixEndpoint> {
  const { startSimulator, parseFaultSpec } = await import('../sim/index.js');
  const sim: Simulator = await startSimulator({
    stateDir: folder,
    taskDelayMs: options.taskDelayMs ?? 1500,
    guests: { addressing: 'auto', loopbackPrefix: '127.0.0.', rebootMs: options.rebootMs ?? 3000, hostKeyDir: folder },
    faults: (options.faults ?? []).map((spec) => parseFaultSpec(spec)),
  });
  const secretDefaults = simulatorSecrets(sim);
  const defaults = sim.connection();
  const vms = sim.vms().map((vm) => vm.name);
  const published: Published = { pid: process.pid, defaults, secretDefaults, vms };
  // O_EXCL: if another process published first, it wins and this simulator steps back.
  try {
    const handle = await open(file, 'wx', 0o600);
    await handle.writeFile(JSON.stringify(published));
    await handle.close();
  } catch (error) {
    await sim.stop();
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
      throw new PatchbayError(ErrorCode.CONFLICT, `another process started the built-in Nutanix simulator in ${folder} at the same time; start again`);
    }
    throw error;
  }
  return {
    defaults,
    secretDefaults,
    description: `built-in simulator at ${sim.url} (${vms.join(', ')}); set NUTANIX_HOST for a real Prism Central`,
    close: async () => {
      await rm(file, { force: true });
      await sim.stop();
    },
  };
}

/**
 * The secrets the shipped flows read, as the simulator knows them: its clusters (Kestra's own
 * examples name them NUTANIX_CLUSTER_EXT_ID) and its guests' login and host keys. Real
 * deployments set the same names (SECRET_<NAME> or the secrets file).
 */
export function simulatorSecrets(sim: Simulator): Record<string, string> {
  const secrets: Record<string, string> = {
    NUTANIX_CLUSTER_EXT_ID: sim.clusterExtId,
    NUTANIX_DR_CLUSTER_EXT_ID: sim.drClusterExtId,
  };
  if (sim.guests) {
    secrets.GUEST_SSH_USERNAME = sim.guests.credentials.username;
    secrets.GUEST_SSH_PASSWORD = sim.guests.credentials.password;
    secrets.GUEST_KNOWN_HOSTS = sim.guests.knownHosts();
  }
  return secrets;
}

async function readPublished(file: string): Promise<Published | undefined> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as Published;
  } catch {
    return undefined; // absent, or written by a process that died mid-write
  }
}

async function readCa(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    throw new PatchbayError(ErrorCode.CONFIG_INVALID, `NUTANIX_CA_FILE ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
}
