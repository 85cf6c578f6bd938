import { createHash } from 'node:crypto';
import { open, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { ErrorCode, PatchbayError } from '../errors.js';
import { processAlive } from '../process-alive.js';
import type { Simulator } from '../sim/index.js';
import type { NutanixDefaults } from '../tasks/integrations.js';

/**
 * `<data>/sim/endpoint.json`: how the process that runs a data folder's simulator (`patchbay
 * sim`, or a bot that started the built-in one) tells other processes where it is, so they use
 * it instead of starting a second simulator on the same state and guest addresses.
 */
export interface PublishedSimulator {
  pid: number;
  defaults: NutanixDefaults;
  /** The secrets the shipped flows read (clusters, guest login, known_hosts). */
  secretDefaults: Record<string, string>;
  vms: string[];
}

export const endpointFile = (simFolder: string): string => path.join(simFolder, 'endpoint.json');

/**
 * The loopback /24 a data folder's simulated guests live in (`127.x.y.N`): its own per folder,
 * so two Patchbays on one machine (a demo and a test run, two checkouts) never hand out the
 * same guest address, and stable across restarts, so a VM keeps its IP.
 */
export function simLoopbackPrefix(simFolder: string): string {
  const digest = createHash('sha256').update(path.resolve(simFolder)).digest();
  return `127.${1 + (digest[0]! % 254)}.${digest[1]!}.`;
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

/**
 * The simulator a live process published for this folder, if any; this process's own only
 * with `includeSelf` (a process never uses its own as "another one's").
 */
export async function livePublisher(file: string, includeSelf = false): Promise<PublishedSimulator | undefined> {
  let published: PublishedSimulator;
  try {
    published = JSON.parse(await readFile(file, 'utf8')) as PublishedSimulator;
  } catch {
    return undefined; // absent, or half-written by a process that died
  }
  return (includeSelf || published.pid !== process.pid) && processAlive(published.pid) ? published : undefined;
}

/**
 * Publishes `sim` (O_EXCL: when another process published first, it wins and this one is told
 * to step back). A stale file of a dead process is replaced.
 */
export async function publishSimulator(file: string, sim: Simulator): Promise<PublishedSimulator> {
  const published: PublishedSimulator = { pid: process.pid, defaults: sim.connection(), secretDefaults: simulatorSecrets(sim), vms: sim.vms().map((vm) => vm.name) };
  if (!(await livePublisher(file))) await rm(file, { force: true });
  const handle = await open(file, 'wx', 0o600).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'EEXIST') throw new PatchbayError(ErrorCode.CONFLICT, `another process started the Nutanix simulator in ${path.dirname(file)} at the same time; start again`);
    throw error;
  });
  try {
    await handle.writeFile(JSON.stringify(published));
  } finally {
    await handle.close();
  }
  return published;
}
